"""`quiz validate`: every problem in a set of decks, located and explained.

Loading (quiz.deckfile.read) catches what makes a file unusable; the lint rules here
catch what would make a question unfair or wrong: an answer that is also a
wrong answer, too few wrong answers, a fact written twice, an id used in two
decks.
"""

from __future__ import annotations

from collections.abc import Iterable, Sequence
from dataclasses import dataclass
from pathlib import Path
from typing import Literal

from quiz.deckfile.limits import CLAIM_MAX, real_date
from quiz.deckfile.problems import DeckError, DeckSource, Problem
from quiz.deckfile.read import build_deck, deck_files, read_deck
from quiz.generate import (
    NUMERIC,
    WRONG_PER_QUESTION,
    AnyAnswer,
    QuestionId,
    format_value,
    in_sentence,
    number_ladders,
)
from quiz.model import BooleanAnswer, DateAnswer, Deck, Fact, PoolAnswer, QuoteAnswer, TextAnswer
from quiz.text import fold


@dataclass
class Checked:
    """One file after validation: the deck if it loaded, and its problems."""

    path: str
    deck: Deck | None
    problems: list[Problem]
    source: DeckSource | None = None

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


def lint(deck: Deck) -> list[Finding]:
    """Rules that make questions fair: one Finding for each thing to fix."""
    out: list[Finding] = []
    statements: dict[str, str] = {}
    used_pools: set[str] = set()
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
    return out


def _meaning_rules(deck: Deck) -> Iterable[Finding]:
    """Facts whose own questions give their answer away by shape or meaning (quiz audit)."""
    from quiz.audit import fact_faults

    for fault in fact_faults(deck):
        yield Finding(fault.path, fault.message, fault.fact, "warning")


def _giveaway_rules(deck: Deck) -> Iterable[Finding]:
    """Questions the deck's own text gives away: the planner can never ask them (quiz audit)."""
    from quiz.audit import unplannable

    index = {fact.id: i for i, fact in enumerate(deck.facts)}
    for question_id, word in unplannable(deck):
        fact_id = QuestionId.parse(question_id).fact
        yield Finding(
            ("facts", index.get(fact_id, 0), "answer"),
            f'the deck\'s title, description or source shows "{word}", a word only the right '
            f"answer of {question_id} has, so that question is a giveaway and is never asked; "
            "reword the deck text, or give a wrong answer that has the word too",
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
    """Load one deck (a file or a folder deck) and run every rule on it."""
    display = display or str(path)
    try:
        data, source = read_deck(path, display)
        deck = build_deck(data, source)
    except DeckError as exc:
        return Checked(display, None, exc.problems)
    problems = [source.problem(f.path, f.message, f.fact, f.severity) for f in lint(deck)]
    return Checked(display, deck, sorted(problems, key=lambda p: (p.path, p.line)), source)


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
        if result.deck is None:
            continue
        for i, fact in enumerate(result.deck.facts):
            owner = owners.get(fact.id)
            if owner is not None and owner != result.path and result.source is not None:
                result.problems.append(
                    result.source.problem(
                        ("facts", i, "id"),
                        f"the fact id '{fact.id}' is already used in {owner}; fact ids must be unique across all decks",
                        fact.id,
                    )
                )
            owners.setdefault(fact.id, result.path)
    return results
