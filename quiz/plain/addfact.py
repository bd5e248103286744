"""`quiz add-fact DECK`: ask for a fact field by field, check each as it is typed,
and add the fact to the deck, leaving the rest of the file byte for byte as it was.

Along the fact's path, one module a step: the dialogue here (`ask_fact`, lines
in and out through `addfact_prompt.Prompt`); the fact as data and text
(`addfact_text`: written as the deck's own facts are); the check
(`addfact_check.Candidate`: the deck with the new fact, checked by `quiz
validate`'s own rules, so every rule has one owner); and the write
(`addfact_write`: atomic, never over a file that changed meanwhile).
"""

from __future__ import annotations

import re
from collections.abc import Callable
from pathlib import Path
from typing import TYPE_CHECKING, Any, TextIO

# pydantic (the schema), tomlkit and the lint rules: this module loads only
# for `quiz add-fact` (cli imports it in that command's function).
from quiz.deckfile import schema
from quiz.deckfile.limits import (
    ANSWER_KINDS,
    CLAIM_RULE,
    DIFFICULTIES,
    MONTH_OR_DAY_PATTERN,
    claim_fits,
)
from quiz.deckfile.read import build_deck, deck_folder, read_deck
from quiz.plain.addfact_check import Candidate, other_decks
from quiz.plain.addfact_prompt import Aborted, Prompt, did_you_mean, one_of
from quiz.plain.addfact_text import fact_data
from quiz.plain.addfact_write import taken_file, write_fact

if TYPE_CHECKING:
    from quiz.model import Deck

LABELS = {"wrong": "wrong answers", "questions": "question and claim", "answer": "answer"}


# --- the dialogue -----------------------------------------------------------------


def add_fact(path: Path, stdin: TextIO, stdout: TextIO) -> int:
    """Run the dialogue; return an exit code (0 written, 1 not)."""
    data, deck_source = read_deck(path)
    deck = build_deck(data, deck_source)
    folder = deck_folder(path)
    prompt = Prompt(stdin, stdout)
    candidate = Candidate(path, folder, data, deck_source, other_decks(path, folder))
    try:
        got = ask_fact(deck, path, folder, prompt, candidate)
        if got is None:
            return 1
        return write_fact(path, folder, candidate, got, prompt.say)
    finally:
        candidate.close()


def ask_fact(
    deck: Deck, path: Path, folder: Path | None, prompt: Prompt, candidate: Candidate
) -> dict[str, Any] | None:
    """The dialogue: each field asked and checked as typed, then the whole fact.

    Returns the fields typed (see `fact_data`), or None when the dialogue
    stopped (end of input, or a problem no field can fix); it has said why.
    """
    say, ask = prompt.say, prompt.ask
    got: dict[str, Any] = {"new_source": None}

    def field(name: str, model: Any = schema.Fact) -> Callable[[str], str | None]:
        return schema.field_checker(model, name)

    def both(*checks: Callable[[str], str | None]) -> Callable[[str], str | None]:
        def check(value: str) -> str | None:
            return next((p for c in checks if (p := c(value)) is not None), None)

        return check

    def in_deck(
        key: str, name: str | None = None, across: bool = False
    ) -> Callable[[str], str | None]:
        """validate's rules at this field, with the value typed in the deck (see Candidate);
        ``across``: and its rules across decks (the fact id)."""

        def check(value: str) -> str | None:
            trial = {**got, name or key: value}
            found = [
                f.told()
                for f in candidate.check(sketch(trial), trial["new_source"], across)
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
            # validate's rules for an id: a slug, not in this deck, nor in another deck
            # of its folder or a bundled one; and a folder deck's file name free.
            both(field("id"), lambda v: taken_file(folder, v), in_deck("id", across=True)),
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
            found = candidate.check(fact_data(got), got["new_source"], across=True)
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


def _one(check: Callable[[Any], str | None], value: str) -> str | None:
    problem = check([value])
    return (
        problem.replace("'questions item 1'", "the question").replace("'questions'", "the question")
        if problem
        else None
    )


def _is_date(text: str) -> bool:
    return re.fullmatch(MONTH_OR_DAY_PATTERN, text) is not None
