"""`quiz add-fact DECK`: ask for a fact field by field, check each as it is typed,
and append the fact to the deck, keeping the file's comments and layout (tomlkit).

Three parts: the dialogue (`ask_fact`, lines in and out through `Prompt`), the
table (`fact_table`, the fact as TOML) and the write (`write_fact`, which checks
the deck with the new fact and writes it atomically).
"""

from __future__ import annotations

import os
import re
import tomllib
from collections.abc import Callable
from dataclasses import replace
from pathlib import Path
from typing import TYPE_CHECKING, Any, TextIO

# pydantic (the schema), tomlkit and the lint rules: this module loads only
# for `quiz add-fact` (cli imports it in that command's function).
import tomlkit

from quiz.authoring.validate import lint
from quiz.deckfile import schema
from quiz.deckfile.limits import (
    ANSWER_KINDS,
    CLAIM_RULE,
    DIFFICULTIES,
    MONTH_OR_DAY_PATTERN,
    claim_fits,
)
from quiz.deckfile.problems import DeckError
from quiz.deckfile.read import build_deck, deck_folder, read_deck
from quiz.model import Deck, _fact
from quiz.saves.folder import SaveError, atomic_write
from quiz.text import LINE_MAX, clean, read_line

if TYPE_CHECKING:
    from tomlkit.items import Table

    from quiz.deckfile.problems import DeckSource

LABELS = {"wrong": "wrong answers", "questions": "question and claim", "answer": "answer"}


class Aborted(Exception):
    """Input ended before the fact was complete; nothing is written."""


class Prompt:
    """The dialogue's lines: every line shown is made display-safe, every line read capped."""

    def __init__(self, stdin: TextIO, stdout: TextIO) -> None:
        self.stdin, self.stdout = stdin, stdout

    def say(self, line: str) -> None:
        self.stdout.write(clean(line, allow_newlines=True) + "\n")
        self.stdout.flush()

    def ask(
        self,
        label: str,
        check: Callable[[str], str | None] | None = None,
        default: str | None = None,
        optional: bool = False,
    ) -> str:
        """Ask until the answer passes ``check``; raise Aborted at the end of input."""
        while True:
            hint = (
                f" [{default}]" if default else (" (optional, Enter to skip)" if optional else "")
            )
            self.stdout.write(f"{label}{hint}: ")
            self.stdout.flush()
            line, too_long = read_line(self.stdin)
            if not line:
                raise Aborted
            if too_long:
                self.say(f"  is longer than {LINE_MAX} characters; no field needs that much")
                continue
            if any("\ud800" <= char <= "\udfff" for char in line):
                # Bytes stdin could not decode (quiz/cli/startup.py keeps them as surrogates).
                encoding = getattr(self.stdin, "encoding", None) or "UTF-8"
                self.say(f"  is not {encoding} text (the terminal sent other bytes); type it again")
                continue
            value = line.rstrip("\n").strip() or (default or "")
            if not value and optional:
                return ""
            problem = "must not be empty" if not value else (check(value) if check else None)
            if problem is None:
                return value
            self.say(f"  {problem}")


def add_fact(path: Path, stdin: TextIO, stdout: TextIO) -> int:
    """Run the dialogue; return an exit code (0 written, 1 not)."""
    data, deck_source = read_deck(path)
    deck = build_deck(data, deck_source)
    folder = deck_folder(path)
    prompt = Prompt(stdin, stdout)
    got = ask_fact(deck, path, folder, prompt)
    if got is None:
        return 1
    return write_fact(path, data, deck_source, folder, fact_table(got), prompt.say)


def _taken_file(folder: Path | None, fact_id: str) -> str | None:
    """Why a folder deck cannot take a file for this fact id: never deck.toml, never an existing file."""
    if folder is None:
        return None
    if fact_id == "deck" or os.path.lexists(folder / f"{fact_id}.toml"):
        return f"{fact_id}.toml already exists in {folder}; pick another id"
    return None


def ask_fact(deck: Deck, path: Path, folder: Path | None, prompt: Prompt) -> dict[str, Any] | None:
    """The dialogue: each field asked and checked as typed, then the whole fact.

    Returns the fields typed (see `_fact_dict`), or None when the dialogue
    stopped (end of input, or a problem no field can fix); it has said why.
    """
    say, ask = prompt.say, prompt.ask
    ids = {fact.id for fact in deck.facts}

    def field(name: str, model: Any = schema.Fact) -> Callable[[str], str | None]:
        return schema.field_checker(model, name)

    def number(text: str) -> int:
        return int(text)

    def whole(text: str) -> str | None:
        try:
            int(text)
        except ValueError:
            return "must be a whole number"
        return None

    say(f"Adding a fact to {deck.title} ({path}). Ctrl+D stops without writing anything.")
    got: dict[str, Any] = {}

    def ask_id() -> None:
        got["id"] = ask(
            "id (a slug, e.g. balcaen-kansas-eighth)",
            lambda v: (
                field("id")(v)
                or (f"'{v}' is already used; pick another id" if v in ids else None)
                or _taken_file(folder, v)
            ),
        )

    def ask_statement() -> None:
        got["statement"] = ask("statement (the fact, in one sentence)", field("statement"))

    def ask_answer() -> None:
        kind = ask(
            f"answer kind ({', '.join(ANSWER_KINDS)})",
            lambda v: None if v in ANSWER_KINDS else f"use one of: {', '.join(ANSWER_KINDS)}",
        )
        answer: dict[str, Any] = {"kind": kind}
        if kind == "pool":
            pools = sorted(deck.pools)
            pool = ask(
                f"pool ({', '.join(pools)})",
                lambda v: None if v in deck.pools else f"use one of: {', '.join(pools)}",
            )
            answer["pool"] = pool
            answer["value"] = ask(
                "value",
                lambda v: None if v in deck.pools[pool] else f"'{v}' is not in the pool '{pool}'",
            )
        elif kind in ("ordinal", "integer", "year"):
            answer["value"] = number(ask("value (a whole number)", whole))
            for bound in ("min", "max") if kind != "ordinal" else ("max",):
                given = ask(f"{bound}, so no wrong answer is impossible", whole, optional=True)
                if given:
                    answer[bound] = number(given)
            if kind == "integer":
                unit = ask("unit (e.g. laps)", optional=True)
                if unit:
                    answer["unit"] = unit
        elif kind == "boolean":
            answer["value"] = (
                ask(
                    "is the statement true or false? (true/false)",
                    lambda v: None if v.lower() in ("true", "false") else "type true or false",
                ).lower()
                == "true"
            )
        elif kind == "date":
            answer["value"] = ask(
                "value (YYYY-MM or YYYY-MM-DD)",
                lambda v: None if _is_date(v) else "write it as YYYY-MM or YYYY-MM-DD",
            )
        else:
            answer["value"] = ask(
                "value (the right answer, 60 characters at most)",
                lambda v: None if len(v) <= 60 else f"is {len(v)} characters; keep it to 60",
            )
        got["answer"] = answer

    def ask_question() -> None:
        if got["answer"]["kind"] == "boolean":
            got["question"] = ask(
                "the statement players judge true or false", lambda v: _one(field("questions"), v)
            )
            got["claim"] = ""
            return
        got["question"] = ask("question (ending with ?)", lambda v: _one(field("questions"), v))
        got["claim"] = ask(
            "claim (the statement with {answer} where the answer goes; Enter for no true/false question)",
            lambda v: field("claim")(v) or (None if claim_fits(v) else CLAIM_RULE),
            optional=True,
        )

    def ask_wrong() -> None:
        kind = got["answer"]["kind"]
        wrong: list[Any] = []
        need = 3 if kind in ("text", "quote") else 0
        if kind == "boolean":
            need = -1
        while need >= 0:
            label = f"wrong answer {len(wrong) + 1}" + (
                " (Enter when done)" if len(wrong) >= need else ""
            )
            value = ask(label, optional=len(wrong) >= need)
            if not value:
                break
            wrong.append(
                number(value)
                if kind in ("ordinal", "integer", "year") and re.fullmatch(r"-?[0-9]{1,15}", value)
                else value
            )
        got["wrong"] = wrong

    def ask_explanation() -> None:
        got["explanation"] = ask("explanation (shown after answering)", field("explanation"))

    sources = [s.id for s in deck.sources]

    def ask_source() -> None:
        got["source"] = ask(
            f"source ({', '.join(sources)})",
            lambda v: None if v in sources else f"use one of: {', '.join(sources)}",
            default=sources[0] if len(sources) == 1 else None,
        )

    def tag_list(text: str) -> list[str]:
        return [t.strip() for t in text.split(",") if t.strip()]

    def ask_tags() -> None:
        check_tags: Callable[[Any], str | None] = schema.field_checker(schema.Fact, "tags")
        got["tags"] = tag_list(
            ask(
                "tags (comma-separated, lower-case words joined by hyphens)",
                lambda v: check_tags(tag_list(v)),
                optional=True,
            )
        )

    def ask_difficulty() -> None:
        got["difficulty"] = ask(
            "difficulty (easy, medium, hard)",
            lambda v: None if v in DIFFICULTIES else "use easy, medium or hard",
            default="medium",
        )

    steps: dict[str, Callable[[], None]] = {
        "id": ask_id,
        "statement": ask_statement,
        "answer": ask_answer,
        "questions": ask_question,
        "wrong": ask_wrong,
        "explanation": ask_explanation,
        "source": ask_source,
        "tags": ask_tags,
        "difficulty": ask_difficulty,
    }
    # Which step asks again for a field a whole-fact check finds wrong.
    step_of = {**{name: name for name in steps}, "claim": "questions", "accept": "wrong"}
    try:
        for step in steps.values():
            step()
        while True:
            # The whole fact is checked too (a wrong answer equal to the answer, too
            # few wrong answers...): only the fields at fault are asked again.
            problems = _fact_problems(_fact_dict(got), deck)
            if not problems:
                break
            redo: list[str] = []
            for name, message in problems:
                say(f"  {message}")
                step_name = step_of.get(name)
                if step_name is None:
                    redo = []
                    break
                if step_name not in redo:
                    redo.append(step_name)
            if not redo:
                say("The fact was not added.")
                return None
            for step_name in sorted(redo, key=list(steps).index):
                say(f"Type the {LABELS.get(step_name, step_name)} again:")
                steps[step_name]()
                if step_name == "answer":
                    steps["wrong"]()
    except Aborted:
        say("")
        say("Stopped: nothing was written.")
        return None
    return got


def fact_table(got: dict[str, Any]) -> Table:
    """The table: the typed fact as a TOML table, keys in the format's order."""
    fact = tomlkit.table()
    fact["id"] = got["id"]
    fact["statement"] = got["statement"]
    inline = tomlkit.inline_table()
    inline.update(got["answer"])
    fact["answer"] = inline
    fact["questions"] = [got["question"]]
    if got["claim"]:
        fact["claim"] = got["claim"]
    if got["wrong"]:
        fact["wrong"] = got["wrong"]
    fact["explanation"] = got["explanation"]
    fact["source"] = got["source"]
    if got["tags"]:
        fact["tags"] = got["tags"]
    fact["difficulty"] = got["difficulty"]
    return fact


def write_fact(
    path: Path,
    data: dict[str, Any],
    deck_source: DeckSource,
    folder: Path | None,
    fact: Table,
    say: Callable[[str], None],
) -> int:
    """The write: the deck with the new fact checked whole, then written atomically.

    A file deck gets the fact appended to its untouched text; a folder deck a
    new file of its own. Returns an exit code (0 written, 1 not).
    """
    fact_id = str(fact["id"])
    if folder is not None:
        # A folder deck: one new file per fact, so parallel pull requests never collide.
        target = folder / f"{fact_id}.toml"
        taken = _taken_file(folder, fact_id)
        if taken:
            say(f"The fact was not added: {taken}")
            return 1
        new_text = "#:schema ../facts.schema.json\n" + tomlkit.dumps({"facts": [fact]})
        merged = {**data, "facts": [*data["facts"], tomllib.loads(new_text)["facts"][0]]}
        check_source = None
    else:
        # Append to the untouched text: every comment and blank line stays as it was.
        target = path
        new_text = (
            deck_source.parts[0].text.rstrip("\n") + "\n\n" + tomlkit.dumps({"facts": [fact]})
        )
        merged = tomllib.loads(new_text)
        check_source = new_text
    try:
        new_deck = build_deck(
            merged, check_source if check_source is not None else deck_source, str(path)
        )
    except DeckError as exc:
        say("The fact was not added:")
        for problem in exc.problems:
            say(f"  {problem}")
        return 1
    errors = [f for f in lint(new_deck) if f.severity == "error" and f.fact == fact_id]
    if errors:
        say("The fact was not added:")
        for finding in errors:
            say(f"  [{fact_id}] {finding.message}")
        return 1
    if folder is not None and os.path.lexists(target):
        say(f"The fact was not added: {target} appeared meanwhile; nothing was overwritten")
        return 1
    try:
        atomic_write(target, new_text)
    except SaveError as exc:
        say(f"Could not write {target}: {exc}")
        return 1
    say(
        f"Added '{fact_id}' to {target}. See its questions with: quiz preview --deck {path} --fact {fact_id}"
    )
    return 0


def _fact_dict(got: dict[str, Any]) -> dict[str, Any]:
    """The fact as TOML data, from the fields typed so far."""
    fact: dict[str, Any] = {
        "id": got["id"],
        "statement": got["statement"],
        "answer": dict(got["answer"]),
        "questions": [got["question"]],
        "explanation": got["explanation"],
        "source": got["source"],
        "difficulty": got["difficulty"],
    }
    if got.get("claim"):
        fact["claim"] = got["claim"]
    if got.get("wrong"):
        fact["wrong"] = list(got["wrong"])
    if got.get("tags"):
        fact["tags"] = list(got["tags"])
    return fact


def _fact_problems(fact: dict[str, Any], deck: Deck) -> list[tuple[str, str]]:
    """(field, message) for each error in this fact, checked with the deck's own rules."""
    errors = schema.fact_errors(fact)
    if errors:
        return errors
    merged = replace(deck, facts=(*deck.facts, _fact(fact)))
    problems = []
    for finding in lint(merged):
        if finding.severity != "error" or finding.fact != fact["id"]:
            continue
        name = str(finding.path[2]) if len(finding.path) > 2 else ""
        if name == "answer" and "'wrong'" in finding.message:
            name = "wrong"  # too few wrong answers: the fix is in the wrong list
        problems.append((name, finding.message))
    return problems


def _one(check: Callable[[Any], str | None], value: str) -> str | None:
    problem = check([value])
    return (
        problem.replace("'questions item 1'", "the question").replace("'questions'", "the question")
        if problem
        else None
    )


def _is_date(text: str) -> bool:
    return re.fullmatch(MONTH_OR_DAY_PATTERN, text) is not None
