"""`quiz add-fact DECK`: ask for a fact field by field, check each as it is typed,
and add the fact to the deck, leaving the rest of the file byte for byte as it was.

Four parts: the dialogue (`ask_fact`, lines in and out through `Prompt`), the
text (`render_fact`, the fact written as the deck's own facts are), the check
(`Candidate`: the deck with the new fact, checked by `quiz validate`'s own
`check_file`, so every rule has one owner) and the write (`write_fact`, atomic,
never over a file that changed meanwhile).
"""

from __future__ import annotations

import difflib
import os
import re
import tempfile
import tomllib
from collections import Counter
from collections.abc import Callable, Iterable, Sequence
from dataclasses import dataclass
from pathlib import Path
from typing import TYPE_CHECKING, Any, TextIO

# pydantic (the schema), tomlkit and the lint rules: this module loads only
# for `quiz add-fact` (cli imports it in that command's function).
import tomlkit

from quiz.authoring.validate import check_file
from quiz.deckfile import schema
from quiz.deckfile.limits import (
    ANSWER_KINDS,
    CLAIM_RULE,
    DIFFICULTIES,
    MONTH_OR_DAY_PATTERN,
    claim_fits,
)
from quiz.deckfile.locate import line_of, locate
from quiz.deckfile.read import build_deck, deck_folder, decode, read_capped, read_deck
from quiz.disk.files import SaveError, atomic_write
from quiz.text import LINE_MAX, clean, read_line

if TYPE_CHECKING:
    from quiz.deckfile.problems import DeckSource, Problem
    from quiz.model import Deck

LABELS = {"wrong": "wrong answers", "questions": "question and claim", "answer": "answer"}
# The format's order, for a deck with no facts yet and for keys its facts never use.
FACT_KEYS = (
    "id",
    "statement",
    "answer",
    "questions",
    "claim",
    "reverse",
    "timeline",
    "wrong",
    "accept",
    "explanation",
    "source",
    "tags",
    "difficulty",
    "core",
)
SOURCE_KEYS = ("id", "title", "publisher", "date", "url")
FACT_FILE_HEADER = "#:schema ../facts.schema.json\n"
SHOWN_CHOICES = 12
STRICT = "a warning: `quiz validate --strict` and CI fail on it"


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
            self.stdout.write(clean(f"{label}{hint}: "))
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


# --- choices ----------------------------------------------------------------------


def did_you_mean(value: str, allowed: Sequence[str]) -> str | None:
    """The allowed value ``value`` is most likely a typo of (case aside), or None."""
    lowered = {choice.lower(): choice for choice in allowed}
    if value.lower() in lowered:
        return lowered[value.lower()]
    close = difflib.get_close_matches(value.lower(), list(lowered), n=1, cutoff=0.6)
    return lowered[close[0]] if close else None


def one_of(allowed: Sequence[str], what: str) -> Callable[[str], str | None]:
    """The check of every enumerated field: ``value`` must be one of ``allowed``.

    A typo gets "did you mean ...?" (answer kinds, pools, pool values, sources,
    difficulties, yes/no alike).
    """

    def check(value: str) -> str | None:
        if value in allowed:
            return None
        guess = did_you_mean(value, allowed)
        shown = ", ".join(allowed[:SHOWN_CHOICES]) + (
            ", ..." if len(allowed) > SHOWN_CHOICES else ""
        )
        hint = f"; did you mean '{guess}'?" if guess else ""
        return f"'{value}' is not {what}{hint} (one of: {shown})"

    return check


# --- the fact as text -------------------------------------------------------------


def _key_order(tables: Iterable[Any], canonical: Sequence[str]) -> list[str]:
    """The order the deck's own tables give their keys in, the format's order filling gaps."""
    order: list[str] = []
    for table in tables:
        if not isinstance(table, dict):
            continue
        before = -1
        for key in table:
            if key in order:
                before = order.index(key)
            else:
                order.insert(before + 1, key)
                before += 1
    for k, key in enumerate(canonical):
        if key not in order:
            earlier = [order.index(c) for c in canonical[:k] if c in order]
            order.insert(max(earlier) + 1 if earlier else 0, key)
    return order


def _inline_padding(text: str) -> str:
    """How the deck's facts space their inline tables: `{ kind = ... }` or `{kind = ...}`."""
    tight = len(re.findall(r"(?m)^answer\s*=\s*\{\S", text))
    spaced = len(re.findall(r"(?m)^answer\s*=\s*\{\s", text))
    return "" if tight > spaced else " "


def _toml(value: Any, pad: str) -> str:
    """One value as TOML on one line."""
    if isinstance(value, bool):
        return "true" if value else "false"
    if isinstance(value, int):
        return str(value)
    if isinstance(value, str):
        return tomlkit.item(value).as_string()
    if isinstance(value, list):
        return "[" + ", ".join(_toml(v, pad) for v in value) + "]"
    if isinstance(value, dict):
        inner = ", ".join(f"{k} = {_toml(v, pad)}" for k, v in value.items())
        return "{" + pad + inner + pad + "}" if inner else "{}"
    raise TypeError(f"no TOML for {type(value).__name__}")


def render_table(header: str, table: dict[str, Any], order: Sequence[str], pad: str) -> list[str]:
    """A table as the deck writes its own: the header, then one `key = value` line a key."""
    keys = sorted(table, key=lambda k: order.index(k) if k in order else len(order))
    return [f"[[{header}]]", *(f"{key} = {_toml(table[key], pad)}" for key in keys)]


def _separator(text: str) -> str:
    """What goes after ``text`` so that one blank line comes before what is added."""
    if not text or text.endswith("\n\n"):
        return ""
    return "\n" if text.endswith("\n") else "\n\n"


def _with_source(text: str, source: dict[str, Any], block: str) -> str:
    """``text`` with ``block`` (a new [[sources]] table) after the deck's last source.

    The first line after the last source's keys where the block reads back as
    that one new source, every other value unchanged, is the place: a value
    over several lines is never split, and no other byte of ``text`` moves.
    """
    data = tomllib.loads(text)
    sources = data.get("sources", [])
    want = {**data, "sources": [*sources, source]}
    lines = text.splitlines(keepends=True)
    found = locate(text)
    last = len(sources) - 1
    start = max((line_of(found, ("sources", last, key)) for key in sources[last]), default=0)
    for at in range(start, len(lines) + 1):
        head = "".join(lines[:at])
        tail = "".join(lines[at:])
        glue = "" if not head or head.endswith("\n") else "\n"
        after = "\n" if tail.strip() and not tail.startswith(("\n", "\r\n")) else ""
        candidate = head + glue + "\n" + block + after + tail
        try:
            if tomllib.loads(candidate) == want:
                return candidate
        except tomllib.TOMLDecodeError:
            continue
    return text + _separator(text) + block  # never reached for a deck that loaded


# --- the check --------------------------------------------------------------------


@dataclass(frozen=True)
class Found:
    """One problem the new fact (or its new source) brings: the field it is at, if any."""

    field: str | None
    message: str
    severity: str

    def told(self) -> str:
        return self.message if self.severity == "error" else f"{self.message} ({STRICT})"


class Candidate:
    """The deck as it would be with the new fact, checked as `quiz validate --strict` checks it.

    A copy of the deck's files in a temporary folder gets the new text, and
    `check_file` (validate's own, every rule) runs on it; the problems the deck
    did not already have are the new fact's, each at the field on its line.
    """

    def __init__(self, path: Path, folder: Path | None, data: dict[str, Any], source: DeckSource):
        self._tmp = tempfile.TemporaryDirectory(prefix="quiz-add-fact-")
        root = Path(self._tmp.name)
        self.folder = folder
        self.main_text = source.parts[0].text  # the deck file, or a folder deck's deck.toml
        if folder is None:
            self.main = root / path.name
            self.checked = self.main
        else:
            self.checked = root / "deck"
            self.checked.mkdir()
            for part in source.parts:
                (self.checked / Path(part.display).name).write_text(part.text, encoding="utf-8")
            self.main = self.checked / "deck.toml"
        self.main.write_text(self.main_text, encoding="utf-8")
        facts = data.get("facts", [])
        self.fact_order = _key_order(facts if isinstance(facts, list) else [], FACT_KEYS)
        self.source_order = _key_order(data.get("sources", []), SOURCE_KEYS)
        self.pad = _inline_padding(source.text)
        self.source_ids = [s["id"] for s in data.get("sources", [])]
        self._fact_file: Path | None = None
        self.baseline = Counter(self._key(p) for p in self._problems())

    def close(self) -> None:
        self._tmp.cleanup()

    def _key(self, problem: Problem) -> tuple[str, str, str | None, str]:
        return (problem.path, problem.message, problem.fact, problem.severity)

    def _problems(self) -> list[Problem]:
        checked = check_file(self.checked, str(self.checked))
        return [p for p in checked.problems if p.severity != "note"]

    def texts(
        self, fact: dict[str, Any], source: dict[str, Any] | None
    ) -> tuple[str, str, int, tuple[int, int] | None]:
        """(deck file text, the new fact's file text, the fact's first line, the new source's lines).

        For a file deck both texts are the one file; for a folder deck the
        first is deck.toml, the second the fact's own file.
        """
        main = self.main_text
        span = None
        if source is not None:
            block = "\n".join(render_table("sources", source, self.source_order, self.pad)) + "\n"
            main = _with_source(main, source, block)
            first = _common_prefix_lines(self.main_text, main)
            span = (first, first + block.count("\n") + 1)
        fact_block = "\n".join(render_table("facts", fact, self.fact_order, self.pad)) + "\n"
        if self.folder is None:
            head = main + _separator(main)
            return head + fact_block, head + fact_block, head.count("\n") + 1, span
        return main, FACT_FILE_HEADER + fact_block, FACT_FILE_HEADER.count("\n") + 1, span

    def check(self, fact: dict[str, Any], source: dict[str, Any] | None) -> list[Found]:
        """Every problem the deck with this fact (and source) has that the deck alone had not."""
        main, fact_text, start, span = self.texts(fact, source)
        keys = render_table("facts", fact, self.fact_order, self.pad)[1:]
        keys = [line.split(" = ", 1)[0] for line in keys]
        self.main.write_text(main, encoding="utf-8")
        if self.folder is not None:
            if self._fact_file is not None:
                self._fact_file.unlink(missing_ok=True)
            self._fact_file = self.checked / f"{fact['id']}.toml"
            self._fact_file.write_text(fact_text, encoding="utf-8")
        fact_path = str(self.main if self.folder is None else self._fact_file)
        try:
            problems = self._problems()
        finally:
            self.main.write_text(self.main_text, encoding="utf-8")
            if self._fact_file is not None:
                self._fact_file.unlink(missing_ok=True)
                self._fact_file = None
        left = Counter(self.baseline)
        out = []
        for problem in problems:
            key = self._key(problem)
            if left[key] > 0:
                left[key] -= 1
                continue
            field = None
            if problem.path == fact_path and start < problem.line <= start + len(keys):
                field = keys[problem.line - start - 1]
            elif span is not None and problem.path == str(self.main):
                field = "source" if span[0] <= problem.line < span[1] else None
            out.append(Found(field, problem.message, problem.severity))
        return out


def _common_prefix_lines(old: str, new: str) -> int:
    """The line (1-based) where ``new`` first differs from ``old``."""
    k = 0
    while k < min(len(old), len(new)) and old[k] == new[k]:
        k += 1
    return old.count("\n", 0, k) + 1


# --- the dialogue -----------------------------------------------------------------


def add_fact(path: Path, stdin: TextIO, stdout: TextIO) -> int:
    """Run the dialogue; return an exit code (0 written, 1 not)."""
    data, deck_source = read_deck(path)
    deck = build_deck(data, deck_source)
    folder = deck_folder(path)
    prompt = Prompt(stdin, stdout)
    candidate = Candidate(path, folder, data, deck_source)
    try:
        got = ask_fact(deck, path, folder, prompt, candidate)
        if got is None:
            return 1
        return write_fact(path, folder, candidate, got, prompt.say)
    finally:
        candidate.close()


def _taken_file(folder: Path | None, fact_id: str) -> str | None:
    """Why a folder deck cannot take a file for this fact id: never deck.toml, never an existing file."""
    if folder is None:
        return None
    if fact_id == "deck" or os.path.lexists(folder / f"{fact_id}.toml"):
        return f"{fact_id}.toml already exists in {folder}; pick another id"
    return None


def ask_fact(
    deck: Deck, path: Path, folder: Path | None, prompt: Prompt, candidate: Candidate
) -> dict[str, Any] | None:
    """The dialogue: each field asked and checked as typed, then the whole fact.

    Returns the fields typed (see `fact_data`), or None when the dialogue
    stopped (end of input, or a problem no field can fix); it has said why.
    """
    say, ask = prompt.say, prompt.ask
    ids = {fact.id for fact in deck.facts}
    got: dict[str, Any] = {"new_source": None}

    def field(name: str, model: Any = schema.Fact) -> Callable[[str], str | None]:
        return schema.field_checker(model, name)

    def both(*checks: Callable[[str], str | None]) -> Callable[[str], str | None]:
        def check(value: str) -> str | None:
            return next((p for c in checks if (p := c(value)) is not None), None)

        return check

    def in_deck(key: str, name: str | None = None) -> Callable[[str], str | None]:
        """validate's rules at this field, with the value typed in the deck (see Candidate)."""

        def check(value: str) -> str | None:
            trial = {**got, name or key: value}
            found = [
                f.told()
                for f in candidate.check(sketch(trial), trial["new_source"])
                if f.field == key
            ]
            return "\n  ".join(found) or None

        return check

    def sketch(trial: dict[str, Any]) -> dict[str, Any]:
        new = trial["new_source"]
        return fact_data(trial, new["id"] if new else candidate.source_ids[0])

    def whole(text: str) -> str | None:
        return None if re.fullmatch(r"-?[0-9]{1,15}", text) else "must be a whole number"

    say(f"Adding a fact to {deck.title} ({path}). Ctrl+D stops without writing anything.")

    def ask_id() -> None:
        got["id"] = ask(
            "id (a new slug, e.g. balcaen-pocono-return)",
            lambda v: (
                field("id")(v)
                or (f"'{v}' is already used; pick another id" if v in ids else None)
                or _taken_file(folder, v)
            ),
        )

    def ask_statement() -> None:
        got["statement"] = ask(
            "statement (the fact, in one sentence)",
            both(field("statement"), in_deck("statement")),
        )

    def ask_answer() -> None:
        kind = ask(
            f"answer kind ({', '.join(ANSWER_KINDS)})", one_of(ANSWER_KINDS, "an answer kind")
        )
        answer: dict[str, Any] = {"kind": kind}
        if kind == "pool":
            pools = sorted(deck.pools)
            pool = ask(f"pool ({', '.join(pools)})", one_of(pools, "a pool of this deck"))
            answer["pool"] = pool
            answer["value"] = ask("value", one_of(deck.pools[pool], f"in the pool '{pool}'"))
        elif kind in ("ordinal", "integer", "year"):
            answer["value"] = int(ask("value (a whole number)", whole))
            for bound in ("min", "max") if kind != "ordinal" else ("max",):
                given = ask(f"{bound}, so no wrong answer is impossible", whole, optional=True)
                if given:
                    answer[bound] = int(given)
            if kind == "integer":
                unit = ask("unit (e.g. laps)", optional=True)
                if unit:
                    answer["unit"] = unit
        elif kind == "boolean":
            truth = ask(
                "is the statement true or false? (true/false)",
                one_of(["true", "false"], "true or false"),
            )
            answer["value"] = truth == "true"
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
        got.pop("claim", None)
        if got["answer"]["kind"] == "boolean":
            got["question"] = ask(
                "the statement players judge true or false",
                both(lambda v: _one(field("questions"), v), in_deck("questions", "question")),
            )
            got["claim"] = ""
            return
        got["question"] = ask(
            "question (ending with ?)",
            both(lambda v: _one(field("questions"), v), in_deck("questions", "question")),
        )
        # `quiz validate --strict` wants a true/false question from every fact: a claim.
        got["claim"] = ask(
            "claim (the statement with {answer} where the answer goes, for the true/false question)",
            both(
                lambda v: field("claim")(v) or (None if claim_fits(v) else CLAIM_RULE),
                in_deck("claim"),
            ),
        )

    def ask_wrong() -> None:
        kind = got["answer"]["kind"]
        if kind == "boolean":
            got["wrong"] = []
            return
        need = 3 if kind in ("text", "quote") else 0
        while True:
            wrong: list[Any] = []
            while True:
                value = ask(f"wrong answer {len(wrong) + 1}", optional=len(wrong) >= need)
                if not value:
                    break
                numeric = kind in ("ordinal", "integer", "year") and whole(value) is None
                wrong.append(int(value) if numeric else value)
            got["wrong"] = wrong
            trial = sketch(got)
            found = [
                f.told()
                for f in candidate.check(trial, got["new_source"])
                if f.field == "wrong" or (f.field == "answer" and "'wrong'" in f.message)
            ]
            if not found:
                return
            for message in found:
                say(f"  {message}")
            say("Type the wrong answers again:")

    def ask_explanation() -> None:
        got["explanation"] = ask(
            "explanation (shown after answering)",
            both(field("explanation"), in_deck("explanation")),
        )

    def ask_source() -> None:
        while True:
            known = candidate.source_ids
            value = ask(
                f"source ({', '.join(known)}, or a new id to add a source)",
                field("source"),
                default=known[0] if len(known) == 1 else None,
            )
            if value in known:
                got["source"], got["new_source"] = value, None
                return
            guess = did_you_mean(value, known)
            say(
                f"  '{value}' is not a source of this deck"
                + (f"; did you mean '{guess}'?" if guess else ".")
            )
            yes = ask(
                f"add '{value}' as a new [[sources]] entry? (y/n)",
                one_of(["y", "n", "yes", "no"], "y or n"),
                default="n",
            )
            if yes in ("y", "yes"):
                got["source"], got["new_source"] = value, ask_new_source(value)
                return

    def ask_new_source(source_id: str) -> dict[str, Any]:
        new: dict[str, Any] = {"id": source_id}

        def in_sources(key: str) -> Callable[[str], str | None]:
            def check(value: str) -> str | None:
                trial = {**got, "source": source_id, "new_source": {**new, key: value}}
                found = [
                    f.told()
                    for f in candidate.check(sketch(trial), trial["new_source"])
                    if f.field == "source"
                ]
                return "\n  ".join(found) or None

            return check

        for key, label, optional in (
            ("title", "source title (what the source is called)", False),
            ("publisher", "publisher", True),
            ("date", "date it was published (YYYY, YYYY-MM or YYYY-MM-DD)", True),
            ("url", "url (https://...)", True),
        ):
            value = ask(label, both(field(key, schema.Source), in_sources(key)), optional=optional)
            if value:
                new[key] = value
        return new

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
            f"difficulty ({', '.join(DIFFICULTIES)})",
            one_of(DIFFICULTIES, "a difficulty"),
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
            # The whole deck is checked with the fact in it (a wrong answer equal to
            # the answer, a giveaway...): only the fields at fault are asked again.
            found = candidate.check(fact_data(got), got["new_source"])
            if not found:
                break
            redo: list[str] = []
            for problem in found:
                say(f"  {problem.told()}")
                name = problem.field
                if name == "answer" and "'wrong'" in problem.message:
                    name = "wrong"  # too few wrong answers: the fix is in the wrong list
                step_name = step_of.get(name or "")
                if step_name is None:
                    redo = []
                    break
                if step_name not in redo:
                    redo.append(step_name)
            if not redo:
                say("The fact was not added: no field of it can fix this.")
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


def fact_data(got: dict[str, Any], stand_in_source: str | None = None) -> dict[str, Any]:
    """The fact as TOML data, from the fields typed.

    With ``stand_in_source``, fields not typed yet get stand-ins the schema
    accepts, so that the deck's rules can judge the fields that are (a
    problem at a stand-in's line is never shown).
    """
    stand_in: dict[str, Any] = {
        "id": "add-fact-new-fact",
        "statement": "Not typed yet.",
        "answer": {"kind": "boolean", "value": True},
        "question": "Not typed yet?",
        "explanation": "Not typed yet.",
        "source": stand_in_source,
        "difficulty": "medium",
    }

    def value(key: str) -> Any:
        return got[key] if key in got or stand_in_source is None else stand_in[key]

    fact: dict[str, Any] = {
        "id": value("id"),
        "statement": value("statement"),
        "answer": dict(value("answer")),
        "questions": [value("question")],
    }
    if got.get("claim"):
        fact["claim"] = got["claim"]
    if got.get("wrong"):
        fact["wrong"] = list(got["wrong"])
    fact["explanation"] = value("explanation")
    fact["source"] = value("source")
    if got.get("tags"):
        fact["tags"] = list(got["tags"])
    fact["difficulty"] = value("difficulty")
    return fact


# --- the write --------------------------------------------------------------------


def write_fact(
    path: Path,
    folder: Path | None,
    candidate: Candidate,
    got: dict[str, Any],
    say: Callable[[str], None],
) -> int:
    """The write: the text just checked, written atomically; nothing is ever overwritten
    that changed since add-fact read it. Returns an exit code (0 written, 1 not)."""
    fact, source = fact_data(got), got["new_source"]
    main_text, fact_text, _, _ = candidate.texts(fact, source)
    main = path if folder is None else folder / "deck.toml"
    if folder is None or source is not None:
        try:
            now = decode(read_capped(main))
        except (OSError, ValueError) as exc:
            say(f"The fact was not added: {main} cannot be read again: {exc}")
            return 1
        if now != candidate.main_text:
            say(
                f"The fact was not added: {main} changed while you typed; nothing was "
                "overwritten. Run quiz add-fact again."
            )
            return 1
    target = main
    try:
        if folder is not None:
            target = folder / f"{fact['id']}.toml"
            taken = _taken_file(folder, str(fact["id"]))
            if taken:
                say(f"The fact was not added: {taken}; nothing was overwritten")
                return 1
            if source is not None:
                atomic_write(main, main_text)  # the source first: a fact never cites a missing one
            atomic_write(target, fact_text)
        else:
            atomic_write(main, main_text)
    except SaveError as exc:
        say(f"Could not write {target}: {exc}")
        return 1
    added = f" and the source '{source['id']}'" if source else ""
    say(
        f"Added '{fact['id']}'{added} to {target}. See its questions with: "
        f"quiz preview --deck {path} --fact {fact['id']}"
    )
    return 0


def _one(check: Callable[[Any], str | None], value: str) -> str | None:
    problem = check([value])
    return (
        problem.replace("'questions item 1'", "the question").replace("'questions'", "the question")
        if problem
        else None
    )


def _is_date(text: str) -> bool:
    return re.fullmatch(MONTH_OR_DAY_PATTERN, text) is not None
