"""`quiz validate`: every problem in a set of decks, located and explained, in one run.

Loading (quiz.deckfile.read) catches what makes a file unusable; the lint rules here
catch what would make a question unfair or wrong: an answer that is also a
wrong answer, too few wrong answers, a fact written twice, an id used in two
decks.

The stages run one after another: reading, the schema, the references, the
fair-question rules. A problem in one stage does not stop the next: it runs
on what passed (the facts without errors of their own), and a note says what
it could not check yet, so a contributor fixes every problem after one run.
"""

from __future__ import annotations

import dataclasses
import datetime as dt
import os
from collections.abc import Iterable, Sequence
from dataclasses import dataclass
from pathlib import Path
from typing import TYPE_CHECKING, Literal

from quiz.deckfile.limits import CLAIM_MAX, real_date
from quiz.deckfile.problems import DeckError, DeckSource, Problem
from quiz.deckfile.read import deck_files, not_a_deck, read_deck_parts, reference_problems
from quiz.model import (
    BooleanAnswer,
    DateAnswer,
    Deck,
    Fact,
    PoolAnswer,
    QuoteAnswer,
    TextAnswer,
    YearAnswer,
    deck_from_dict,
)
from quiz.questions.choices import (
    NUMERIC,
    WRONG_PER_QUESTION,
    AnyAnswer,
    format_value,
    in_sentence,
    number_ladders,
)
from quiz.questions.question import QuestionId
from quiz.questions.words import words
from quiz.text import fold

if TYPE_CHECKING:
    from typing import Any

    from quiz.deckfile.schema import Screened


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


@dataclass(frozen=True)
class Finding:
    """One thing a fairness rule found: where in the deck's data, what, for which fact."""

    path: tuple[str | int, ...]
    message: str
    fact: str | None
    severity: Literal["error", "warning"]


def lint(
    deck: Deck, today: dt.date | None = None, used_elsewhere: Iterable[str] = ()
) -> list[Finding]:
    """Rules that make questions fair: one Finding for each thing to fix.

    ``today`` (the real date by default) is what a source's date must not be after;
    ``used_elsewhere`` names pools that facts left out of ``deck`` use.
    """
    out: list[Finding] = []
    statements: dict[str, str] = {}
    used_pools: set[str] = set(used_elsewhere)
    pool_keys = {name: frozenset(fold(v) for v in values) for name, values in deck.pools.items()}
    for i, fact in enumerate(deck.facts):
        where: tuple[str | int, ...] = ("facts", i)
        key = fold(fact.statement)
        if key in statements:
            out.append(
                Finding(
                    where + ("statement",),
                    f"this fact says the same as '{statements[key]}'; remove one of them",
                    fact.id,
                    "error",
                )
            )
        statements.setdefault(key, fact.id)
        out.extend(
            _answer_rules(
                deck, pool_keys, where, fact.id, fact.answer, fact.wrong, fact.accept, fact.source
            )
        )
        if fact.reverse is not None:
            rev = fact.reverse
            out.extend(
                _answer_rules(
                    deck,
                    pool_keys,
                    where + ("reverse",),
                    fact.id,
                    rev.answer,
                    rev.wrong,
                    rev.accept,
                    fact.source,
                )
            )
            if not rev.question.endswith("?"):
                out.append(
                    Finding(
                        where + ("reverse", "question"),
                        "a question should end with '?'",
                        fact.id,
                        "warning",
                    )
                )
        for answer in (fact.answer, fact.reverse.answer if fact.reverse else None):
            if isinstance(answer, PoolAnswer):
                used_pools.add(answer.pool)
        for k, wording in enumerate(fact.questions):
            if not wording.endswith("?") and not isinstance(fact.answer, BooleanAnswer):
                out.append(
                    Finding(
                        where + ("questions", k),
                        "a question should end with '?'",
                        fact.id,
                        "warning",
                    )
                )
        out.extend(_claim_rules(deck, where, fact))
    events: dict[str, str] = {}
    for i, fact in enumerate(deck.facts):
        if fact.timeline is None:
            continue
        key = fold(fact.timeline.event)
        if key in events:
            # Timeline choices are events: two that look alike cannot be told apart.
            out.append(
                Finding(
                    ("facts", i, "timeline", "event"),
                    f"this event looks the same as the event of '{events[key]}' (case, "
                    "invisible characters or look-alike letters aside); word it differently",
                    fact.id,
                    "error",
                )
            )
        events.setdefault(key, fact.id)
    for name in deck.pools:
        if name not in used_pools:
            out.append(
                Finding(
                    ("pools", name), f"the pool '{name}' is not used by any fact", None, "warning"
                )
            )
    for name, values in deck.pools.items():
        seen: set[str] = set()
        for k, value in enumerate(values):
            if fold(value) in seen:
                out.append(
                    Finding(
                        ("pools", name, k),
                        f"'{value}' is in the pool '{name}' twice",
                        None,
                        "error",
                    )
                )
            seen.add(fold(value))
    out.extend(_giveaway_rules(deck))
    out.extend(_meaning_rules(deck))
    out.extend(_date_rules(deck, today or dt.date.today()))
    return out


def _date_rules(deck: Deck, today: dt.date) -> Iterable[Finding]:
    """Dates a source cannot have: after its own date, or in the future."""
    now = today.isoformat()
    for k, source in enumerate(deck.sources):
        if source.date and source.date > now[: len(source.date)]:
            yield Finding(
                ("sources", k, "date"),
                f"the source '{source.id}' is dated {source.date}, which is in the future; "
                "write the date it was published",
                None,
                "warning",
            )
    for i, fact in enumerate(deck.facts):
        cited = deck.source(fact.source)
        if cited is None or not cited.date:
            continue
        date = cited.date
        answers: list[tuple[tuple[str | int, ...], AnyAnswer]] = [
            (("facts", i, "answer"), fact.answer)
        ]
        if fact.reverse is not None:
            answers.append((("facts", i, "reverse", "answer"), fact.reverse.answer))
        for where, answer in answers:
            if isinstance(answer, YearAnswer):
                shown, later = str(answer.value), answer.value > int(date[:4])
            elif isinstance(answer, DateAnswer):
                n = min(len(answer.value), len(date))
                shown, later = answer.value, answer.value[:n] > date[:n]
            else:
                continue
            if later:
                yield Finding(
                    where + ("value",),
                    f"the answer {shown} is after the date of its source '{cited.id}' "
                    f"({date}): a source cannot report what had not happened yet; "
                    "check the answer, or the source and its date",
                    fact.id,
                    "warning",
                )


def _meaning_rules(deck: Deck) -> Iterable[Finding]:
    """Facts whose own questions give their answer away by shape or meaning (quiz audit)."""
    from quiz.authoring.audit import fact_faults

    for fault in fact_faults(deck):
        yield Finding(fault.path, fault.message, fault.fact, "warning")


def _giveaway_rules(deck: Deck) -> Iterable[Finding]:
    """Questions the deck's own text gives away: the planner can never ask them (quiz audit)."""
    from quiz.authoring.audit import unplannable

    # The warning is about the deck's own text: it points at the line that shows the word.
    texts: list[tuple[tuple[str | int, ...], str, str]] = [
        (("title",), "title", deck.title),
        (("subject",), "subject", deck.subject),
        (("description",), "description", deck.description),
    ]
    texts.extend(
        (("sources", k), f"source '{source.id}'", source.citation())
        for k, source in enumerate(deck.sources)
    )
    for question_id, word in unplannable(deck):
        fact_id = QuestionId.parse(question_id).fact
        where, what = next(
            ((path, name) for path, name, text in texts if word in words(text)),
            (("title",), "title, description or sources"),
        )
        yield Finding(
            where,
            f'the deck\'s {what} shows "{word}", a word only the right answer of '
            f"{question_id} has, so that question is a giveaway and is never asked; "
            "reword it, or give that fact a wrong answer that has the word too",
            fact_id,
            "warning",
        )


def _answer_rules(
    deck: Deck,
    pool_keys: dict[str, frozenset[str]],
    where: tuple[str | int, ...],
    fact_id: str,
    answer: AnyAnswer,
    wrong: Sequence[int | str],
    accept: Sequence[int | str],
    source_id: str | None = None,
) -> Iterable[Finding]:
    if isinstance(answer, BooleanAnswer):
        return
    numeric = isinstance(answer, NUMERIC) and not isinstance(answer, DateAnswer)
    for field, values in (("wrong", wrong), ("accept", accept)):
        for k, value in enumerate(values):
            if numeric and not isinstance(value, int):
                yield Finding(
                    where + (field, k),
                    f"'{field}' values must be whole numbers for a {answer.kind} answer, not \"{value}\"",
                    fact_id,
                    "error",
                )
            elif not numeric and not isinstance(value, str):
                yield Finding(
                    where + (field, k),
                    f"'{field}' values must be text in quotes for a {answer.kind} answer, not {value}",
                    fact_id,
                    "error",
                )
            elif isinstance(answer, DateAnswer) and (
                not isinstance(value, str)
                or value.count("-") != answer.value.count("-")
                or not real_date(value)
            ):
                yield Finding(
                    where + (field, k),
                    f"'{field}' values must be dates written like the answer (\"{answer.value}\")",
                    fact_id,
                    "error",
                )
    usable_wrong = [v for v in wrong if _same_type(answer, v)] if wrong else []
    usable_accept = [v for v in accept if _same_type(answer, v)] if accept else []
    right = (
        fold(format_value(answer, answer.value))
        if usable_wrong or not isinstance(answer, NUMERIC)
        else ""
    )
    accepted = {fold(format_value(answer, v)) for v in usable_accept}
    wrong_keys: set[str] = set()
    for k, value in enumerate(wrong):
        if not _same_type(answer, value):
            continue
        shown = fold(format_value(answer, value))
        wrong_keys.add(shown)
        if shown == right:
            yield Finding(
                where + ("wrong", k),
                f"the answer '{answer.value}' is also listed among its wrong answers; remove it from 'wrong'",
                fact_id,
                "error",
            )
        elif shown in accepted:
            yield Finding(
                where + ("wrong", k),
                f"'{value}' is both accepted and wrong; keep it in one list only",
                fact_id,
                "error",
            )
    if isinstance(answer, PoolAnswer):
        # Counting is enough, and far cheaper than drawing: fold each pool once.
        taken = {right} | accepted
        distinct = (pool_keys.get(answer.pool, frozenset()) | wrong_keys) - taken
        available = len(distinct)
    elif isinstance(answer, DateAnswer):
        available = WRONG_PER_QUESTION  # neighbouring months or days always exist
    elif isinstance(answer, NUMERIC):
        # The generator's own rule (evenly spaced values inside min..max), so the
        # two can never disagree. A source's date bounds years and dates too.
        source = deck.source(source_id) if source_id else None
        ladders = number_ladders(answer, usable_accept, source.date if source else None)
        available = WRONG_PER_QUESTION if ladders else 0
        if usable_wrong:
            yield Finding(
                where + ("wrong",),
                f"a {answer.kind} answer's wrong values are drawn evenly spaced around it, so "
                "that its place among them tells nothing; 'wrong' is not used: remove it",
                fact_id,
                "warning",
            )
    else:
        # Text and quotes: the distinct wrong answers are the fact's own list.
        available = len(wrong_keys - {right} - accepted)
    if available < WRONG_PER_QUESTION:
        if isinstance(answer, PoolAnswer):
            how = f"add values to the pool '{answer.pool}' or list more under 'wrong'"
        elif isinstance(answer, NUMERIC):
            how = "widen 'min'/'max' or list more under 'wrong'"
        else:
            how = "list more plausible wrong answers under 'wrong'"
        yield Finding(
            where + ("answer",),
            f"only {available} distinct wrong answer(s) can be drawn for this answer; a question needs {WRONG_PER_QUESTION}: {how}",
            fact_id,
            "error",
        )
    if isinstance(answer, (TextAnswer, PoolAnswer, QuoteAnswer)) and answer.value[:1].isalpha():
        upper = answer.value[0].isupper()
        for k, value in enumerate(usable_wrong):
            if isinstance(value, str) and value[:1].isalpha() and value[0].isupper() != upper:
                yield Finding(
                    where + ("wrong", k),
                    f"'{value}' is capitalised differently from the answer, which gives the answer away",
                    fact_id,
                    "warning",
                )


def _same_type(answer: AnyAnswer, value: int | str) -> bool:
    if isinstance(answer, DateAnswer):
        return (
            isinstance(value, str)
            and value.count("-") == answer.value.count("-")
            and real_date(value)
        )
    if isinstance(answer, NUMERIC):
        return isinstance(value, int)
    return isinstance(value, str)


def _claim_rules(deck: Deck, where: tuple[str | int, ...], fact: Fact) -> Iterable[Finding]:
    if fact.claim is None or isinstance(fact.answer, BooleanAnswer):
        return
    filled = fact.claim.replace(
        "{answer}", in_sentence(fact.answer, format_value(fact.answer, fact.answer.value))
    )
    if len(filled) > CLAIM_MAX + 40:
        yield Finding(
            where + ("claim",),
            f"with the answer filled in, the claim is {len(filled)} characters; keep it under {CLAIM_MAX + 40} so it fits on an 80x24 screen",
            fact.id,
            "warning",
        )


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
    from quiz.deckfile import schema  # pydantic: only here, as loading imports it

    screened = schema.screen(data, source)
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
    pools = {pool for fact in waiting for pool in schema.pools_of(fact)}
    for finding in lint(judged, used_elsewhere=pools):
        where = finding.path
        if len(where) >= 2 and where[0] == "facts" and isinstance(where[1], int):
            where = ("facts", at[where[1]], *where[2:])
        problems.append(source.problem(where, finding.message, finding.fact, finding.severity))
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
                f"not checked yet, {why}: the references and fair-question rules of {named(places)}"
                if why
                else f"not checked yet, until the errors of {named(places)} are fixed: their "
                "references and fair-question rules",
                severity="note",
            )
        )
    if blocked:
        places = sorted(blocked)
        out.append(
            source.problem(
                ("facts", places[0]),
                f"not checked yet, until the errors of {named(places)} are fixed: their "
                "fair-question rules",
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
    from quiz.model import BooleanAnswer

    for result in results:
        if result.deck is None or result.source is None:
            continue
        for i, fact in enumerate(result.deck.facts):
            if fact.claim is None and not isinstance(fact.answer, BooleanAnswer):
                result.problems.append(
                    result.source.problem(
                        ("facts", i),
                        "no 'claim': this fact makes no true/false question "
                        "(add a claim with {answer} where the answer goes to get one)",
                        fact.id,
                        "warning",
                    )
                )
