"""The checks the schema cannot express alone: ids that must exist or be unique, and
values that must agree with each other (a pool's value, min..max, a tolerance, the timeline).

Run on a deck that passed the schema, by loading (quiz.deckfile.read) and by
`quiz validate` (on the facts that passed, while the others' errors are reported).
"""

from __future__ import annotations

import difflib
from typing import TYPE_CHECKING, Any

from quiz.deckfile.limits import ANSWER_SLOT, CLAIM_RULE, claim_fits
from quiz.model import Deck, IntegerAnswer, OrdinalAnswer, PoolAnswer, YearAnswer

if TYPE_CHECKING:
    from collections.abc import Callable, Mapping, Sequence

    from quiz.deckfile.problems import DeckSource


def reference_problems(
    deck: Deck,
    source: DeckSource | None = None,
    index: Sequence[int] | None = None,
    *,
    left_out: int = 0,
    unchecked: Mapping[str, int] | None = None,
    sources_known: bool = True,
) -> list[tuple[tuple[str | int, ...], str, str | None]]:
    """Checks the models cannot express alone: ids that must exist or be unique.

    ``index`` gives each of the deck's facts its place in the deck file's data,
    when the deck holds only the facts that passed the schema (`quiz validate`
    checks those while it reports the others' errors); ``left_out`` counts the
    others, and ``unchecked`` maps their ids to their places: 'follows' may name
    them, and a fact may share one's id. Without
    ``sources_known`` (the [[sources]] themselves have errors) no source is
    called unknown. ``source`` finds the line of the first of two facts with
    one id.
    """
    at = list(range(len(deck.facts))) if index is None else list(index)
    unchecked = unchecked or {}

    def fact_at(place: int) -> str:
        """Fact #N of the deck's data, and the line of its id."""
        text = f"fact #{place + 1}"
        if source is None:
            return text
        display, line = source.where(("facts", place, "id"))
        return (
            f"{text}, line {line}" if len(source.parts) == 1 else f"{text}, {display} line {line}"
        )

    def first(i: int) -> str:
        return fact_at(at[i])

    out: list[tuple[tuple[str | int, ...], str, str | None]] = []
    for path, message, fact_id in _references(deck, first, left_out, unchecked, sources_known):
        if len(path) >= 2 and path[0] == "facts" and isinstance(path[1], int):
            path = ("facts", at[path[1]], *path[2:])
        out.append((path, message, fact_id))
    # An id shared with a fact left out: the later of the two is the one to rename.
    for i, fact in enumerate(deck.facts):
        other = unchecked.get(fact.id)
        if other is not None:
            later, earlier = (at[i], other) if other < at[i] else (other, at[i])
            out.append(
                (
                    ("facts", later, "id"),
                    f"the fact id '{fact.id}' is used twice (also {fact_at(earlier)}); "
                    "give each fact its own id",
                    fact.id,
                )
            )
    return out


def _references(
    deck: Deck,
    first: Callable[[int], str],
    left_out: int,
    unchecked: Mapping[str, int],
    sources_known: bool,
) -> list[tuple[tuple[str | int, ...], str, str | None]]:
    out: list[tuple[tuple[str | int, ...], str, str | None]] = []
    if not deck.facts and not left_out:
        out.append(
            (
                ("facts",),
                "the deck has no facts yet: add a [[facts]] table (in a folder deck, a fact file beside deck.toml)",
                None,
            )
        )
    sources = {s.id for s in deck.sources}
    seen: dict[str, int] = {}
    for i, fact in enumerate(deck.facts):
        where: tuple[str | int, ...] = ("facts", i)
        if fact.id in seen:
            out.append(
                (
                    where + ("id",),
                    f"the fact id '{fact.id}' is used twice (also {first(seen[fact.id])}); give each fact its own id",
                    fact.id,
                )
            )
        seen.setdefault(fact.id, i)
        if sources_known and fact.source not in sources:
            out.append((where + ("source",), _unknown("source", fact.source, sources), fact.id))
        if fact.claim is None and fact.answer.kind != "boolean":
            pass  # No claim: the fact simply gives no true/false question.
        elif (
            fact.claim is not None and fact.answer.kind != "boolean" and not claim_fits(fact.claim)
        ):
            out.append(
                (
                    where + ("claim",),
                    f'{CLAIM_RULE}, e.g. "She finished {ANSWER_SLOT} at Kansas."',
                    fact.id,
                )
            )
        answers = [(where + ("answer",), fact.answer)]
        if fact.reverse is not None:
            answers.append((where + ("reverse", "answer"), fact.reverse.answer))
        for apath, answer in answers:
            if isinstance(answer, PoolAnswer):
                if answer.pool not in deck.pools:
                    out.append(
                        (apath + ("pool",), _unknown("pool", answer.pool, deck.pools), fact.id)
                    )
                elif answer.value not in deck.pools[answer.pool]:
                    out.append(
                        (
                            apath + ("value",),
                            f"'{answer.value}' is not in the pool '{answer.pool}'; add it to [pools] {answer.pool}",
                            fact.id,
                        )
                    )
            elif isinstance(answer, (IntegerAnswer, YearAnswer)):
                low = answer.min if answer.min is not None else answer.value
                high = answer.max if answer.max is not None else answer.value
                if answer.min is not None and answer.max is not None:
                    out.extend(_tolerance(apath, answer.tolerance, low, high, fact.id))
                if not low <= answer.value <= high:
                    out.append(
                        (
                            apath + ("value",),
                            f"the answer {answer.value} is outside min..max ({low}..{high})",
                            fact.id,
                        )
                    )
            elif isinstance(answer, OrdinalAnswer) and answer.max is not None:
                out.extend(_tolerance(apath, answer.tolerance, 1, answer.max, fact.id, "raise max"))
            if (
                isinstance(answer, OrdinalAnswer)
                and answer.max is not None
                and answer.value > answer.max
            ):
                out.append(
                    (
                        apath + ("value",),
                        f"the answer {answer.value} is larger than max ({answer.max})",
                        fact.id,
                    )
                )
    timed = {fact.id: fact.timeline.step for fact in deck.facts if fact.timeline is not None}
    for i, fact in enumerate(deck.facts):
        if fact.timeline is None:
            continue
        for k, earlier in enumerate(fact.timeline.follows):
            where = ("facts", i, "timeline", "follows", k)
            if earlier in unchecked and earlier not in seen:
                continue  # its errors come first; whether it has a timeline is checked after
            if earlier not in timed:
                message = (
                    _unknown("fact", earlier, seen)
                    if earlier not in seen
                    else f"'{earlier}' has no timeline; 'follows' names facts with a timeline"
                )
                out.append((where, message, fact.id))
            elif timed[earlier] >= fact.timeline.step:
                out.append(
                    (
                        where,
                        f"this event follows '{earlier}' but its step ({fact.timeline.step}) "
                        f"is not after that fact's step ({timed[earlier]})",
                        fact.id,
                    )
                )
    return out


def _tolerance(
    where: tuple[str | int, ...],
    tolerance: int | None,
    low: int,
    high: int,
    fact_id: str,
    widen: str = "widen min..max",
) -> list[tuple[tuple[str | int, ...], str, str | None]]:
    """A tolerance as wide as the answer's whole range would give every estimate points."""
    if tolerance is None or high < low or tolerance < high - low:
        return []
    return [
        (
            where + ("tolerance",),
            f"the tolerance {tolerance} is not less than the answer's whole range "
            f"({low}..{high}, {high - low} apart), so every estimate would earn points; "
            f"make it smaller, or {widen}",
            fact_id,
        )
    ]


def _unknown(what: str, name: str, known: Any) -> str:
    message = f"unknown {what} '{name}'"
    close = difflib.get_close_matches(name, list(known), n=1)
    if close:
        return f"{message}; did you mean '{close[0]}'?"
    if known:
        return f"{message}; the deck has: {', '.join(sorted(known))}"
    return f"{message}; the deck defines no {what}s"
