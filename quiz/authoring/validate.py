"""`quiz validate`: every problem in a set of decks, located and explained, in one run.

Loading (quiz.deckfile.read) catches what makes a file unusable; the lint rules
(quiz.authoring.rules) catch what would make a question unfair or wrong: an answer that is also a
wrong answer, too few wrong answers, a fact written twice, an id used in two
decks.

The stages run one after another: reading, the schema, the references, the
fair-question rules. A problem in one stage does not stop the next: it runs
on what passed (the facts without errors of their own), and a note says what
it could not check yet, so a contributor fixes every problem after one run.
"""

from __future__ import annotations

import dataclasses
import os
from collections.abc import Iterable
from dataclasses import dataclass
from pathlib import Path
from typing import TYPE_CHECKING

from quiz.authoring.rules import lint, question_marks
from quiz.deckfile.catalog import deck_files
from quiz.deckfile.problems import DeckError, DeckSource, Problem
from quiz.deckfile.read import not_a_deck, read_deck_parts
from quiz.deckfile.references import reference_problems
from quiz.model import BooleanAnswer, Deck, deck_from_dict

if TYPE_CHECKING:
    from typing import Any

    from quiz.deckfile.screen import Screened


@dataclass
class Checked:
    """One file after validation: the deck if it loaded, and its problems."""

    path: str
    deck: Deck | None  # None unless it passed the schema and the references
    problems: list[Problem]
    source: DeckSource | None = None
    # (place in the deck's data, id) of each fact that passed the schema, for
    # the check of ids across decks, which runs even when the deck has errors.
    ids: list[tuple[int, str]] = dataclasses.field(default_factory=list)

    @property
    def errors(self) -> list[Problem]:
        return [p for p in self.problems if p.severity == "error"]


def check_file(path: Path, display: str | None = None) -> Checked:
    """Load one deck (a file or a folder deck) and run every rule on it, in one run.

    Each stage runs on what the one before passed, and says what it left for
    the next run (module docstring).
    """
    display = display or str(path)
    try:
        data, source, problems = read_deck_parts(path, display)
    except DeckError as exc:
        return Checked(display, None, exc.problems + _read_notes(exc.problems, set()))
    problems += _read_notes(problems, {part.display for part in source.parts})
    unlike = not_a_deck(data, source)
    if unlike is not None:
        return Checked(display, None, [*problems, unlike], source)
    from quiz.deckfile import screen  # pydantic: only here, as loading imports it

    screened = screen.screen(data, source)
    problems += screened.problems
    if screened.data is None:
        return Checked(display, None, _sorted(problems), source)
    deck = deck_from_dict(screened.data)
    ids = [(place, fact.id) for place, fact in zip(screened.index, deck.facts, strict=True)]
    references = reference_problems(
        deck,
        source,
        screened.index,
        left_out=len(screened.left_out) + screened.facts_broken,
        unchecked=screened.left_out_ids,
        sources_known=screened.sources_known,
    )
    problems += [source.problem(p, message, fact) for p, message, fact in references]
    loaded = deck if not any(p.severity == "error" for p in problems) else None
    # The fair-question rules, on the facts whose references they can trust.
    blocked: set[int] = set()
    claimless: set[int] = set()
    for p, _, _ in references:
        if len(p) >= 3 and p[0] == "facts" and isinstance(p[1], int):
            if p[2] in ("answer", "reverse", "id"):
                blocked.add(p[1])
            elif p[2] == "claim":
                claimless.add(p[1])  # only its true/false question waits
    fair = [
        (place, dataclasses.replace(fact, claim=None) if place in claimless else fact)
        for place, fact in zip(screened.index, deck.facts, strict=True)
        if place not in blocked
    ]
    judged = dataclasses.replace(deck, facts=tuple(fact for _, fact in fair))
    at = [place for place, _ in fair]
    facts = data.get("facts")
    waiting = [
        facts[place]
        for place in sorted(blocked | screened.left_out.keys())
        if isinstance(facts, list) and isinstance(facts[place], dict)
    ]
    pools = {pool for fact in waiting for pool in screen.pools_of(fact)}
    for finding in lint(judged, used_elsewhere=pools):
        where = finding.path
        if len(where) >= 2 and where[0] == "facts" and isinstance(where[1], int):
            where = ("facts", at[where[1]], *where[2:])
        problems.append(source.problem(where, finding.message, finding.fact, finding.severity))
    # A fact the rules above skipped still has its wording checked, so that every
    # fault of a fact shows in one run (a mistyped kind hides no missing "?").
    for place in sorted(blocked | screened.left_out.keys()):
        raw = facts[place] if isinstance(facts, list) else None
        if not isinstance(raw, dict):
            continue
        reverse, answer, questions = raw.get("reverse"), raw.get("answer"), raw.get("questions")
        for finding in question_marks(
            ("facts", place),
            screen.data_fact_id(data, ("facts", place)),
            questions if isinstance(questions, list) else [],
            reverse.get("question") if isinstance(reverse, dict) else None,
            boolean=isinstance(answer, dict) and answer.get("kind") == "boolean",
        ):
            problems.append(
                source.problem(finding.path, finding.message, finding.fact, finding.severity)
            )
    problems += _stage_notes(source, data, screened, blocked)
    return Checked(display, loaded, _sorted(problems), source, ids)


def _sorted(problems: list[Problem]) -> list[Problem]:
    """By file and line; each file's notes (what waits for the next run) after its problems."""
    return sorted(problems, key=lambda p: (p.path, p.severity == "note", p.line))


def _read_notes(problems: list[Problem], read: set[str]) -> list[Problem]:
    """A file that is there but could not be read (as TOML): nothing in it was checked further."""
    return [
        Problem(
            p.path,
            p.line,
            "not checked yet, until this is fixed: anything else in this file (the schema, "
            "the references, the fair-question rules)",
            severity="note",
        )
        for p in problems
        if p.path not in read and os.path.isfile(p.path) and not os.path.islink(p.path)
    ]


def _stage_notes(
    source: DeckSource, data: dict[str, Any], screened: Screened, blocked: set[int]
) -> list[Problem]:
    """What the references and the fair-question rules left for the next run, and why."""
    facts = data.get("facts")
    facts = facts if isinstance(facts, list) else []

    def named(places: list[int]) -> str:
        shown = []
        for place in places[:8]:
            fact_id = facts[place].get("id") if isinstance(facts[place], dict) else None
            shown.append(f"'{fact_id[:64]}'" if isinstance(fact_id, str) else f"#{place + 1}")
        more = f" and {len(places) - 8} more" if len(places) > 8 else ""
        return ("fact " if len(places) == 1 else "facts ") + ", ".join(shown) + more

    groups: dict[str, list[int]] = {}
    for place, why in sorted(screened.left_out.items()):
        groups.setdefault(why, []).append(place)
    out = []
    for why, places in groups.items():
        out.append(
            source.problem(
                ("facts", places[0]),
                f"not checked yet, {why}: the references and the other fair-question rules of {named(places)}"
                if why
                else f"not checked yet, until the errors of {named(places)} are fixed: their "
                "references and their other fair-question rules",
                severity="note",
            )
        )
    if blocked:
        places = sorted(blocked)
        out.append(
            source.problem(
                ("facts", places[0]),
                f"not checked yet, until the errors of {named(places)} are fixed: their "
                "other fair-question rules",
                severity="note",
            )
        )
    if not screened.sources_known:
        out.append(
            source.problem(
                ("sources",),
                "not checked yet, until the errors in [[sources]] are fixed: whether the "
                "source each fact names exists",
                severity="note",
            )
        )
    if screened.broken_text:
        shown = ", ".join(screened.broken_text)
        out.append(
            source.problem(
                (screened.broken_text[0],),
                f"not checked yet, until the errors in the deck's {shown} are fixed: the "
                "words they would give away to the questions",
                severity="note",
            )
        )
    return out


def expand(paths: Iterable[Path]) -> list[Checked | tuple[Path, str]]:
    """Turn PATH arguments into files: a folder gives every deck below it.

    A folder that cannot be listed comes back as an already-failed Checked.
    """
    out: list[Checked | tuple[Path, str]] = []
    for path in paths:
        if not path.is_dir():
            out.append((path, str(path)))
            continue
        try:
            files = deck_files(path)
        except ValueError as exc:
            out.append(Checked(str(path), None, [Problem(str(path), 1, f"this folder {exc}")]))
            continue
        if not files:
            out.append((path, str(path)))
        for file in files:
            if file.is_symlink():
                # A walk stays inside the folder it was given: links are not followed.
                message = (
                    "this is a symbolic link; a folder walk never follows links, so it was not read"
                )
                out.append(Checked(str(file), None, [Problem(str(file), 1, message)]))
            else:
                out.append((file, str(file)))
    return out


def check_all(paths: Iterable[Path]) -> list[Checked]:
    """Validate every file, then check that fact ids are unique across decks."""
    results = [item if isinstance(item, Checked) else check_file(*item) for item in expand(paths)]
    owners: dict[str, str] = {}
    for result in results:
        for place, fact_id in result.ids:
            owner = owners.get(fact_id)
            if owner is not None and owner != result.path and result.source is not None:
                result.problems.append(
                    result.source.problem(
                        ("facts", place, "id"),
                        f"the fact id '{fact_id}' is already used in {owner}; fact ids must be unique across all decks",
                        fact_id,
                    )
                )
            owners.setdefault(fact_id, result.path)
        result.problems = _sorted(result.problems)
    return results


def strict_problems(results: list[Checked]) -> None:
    """What only --strict asks for: a warning for each fact that makes no true/false question.

    A claim is optional (imported questions rarely have one), so only --strict,
    which asks for every question form, says so.
    """

    for result in results:
        if result.deck is None or result.source is None:
            continue
        for i, fact in enumerate(result.deck.facts):
            # A fact kept to one form (an imported question's) is asked only in that form.
            if (
                fact.claim is None
                and fact.form is None
                and not isinstance(fact.answer, BooleanAnswer)
            ):
                result.problems.append(
                    result.source.problem(
                        ("facts", i),
                        "no 'claim': this fact makes no true/false question "
                        "(add a claim with {answer} where the answer goes to get one)",
                        fact.id,
                        "warning",
                    )
                )
