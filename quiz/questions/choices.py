"""Choices: values shown in one style, and plausible wrong answers drawn for them.

Numbers, years and dates lie on a `NumberAxis`; their wrong answers are evenly
spaced around the right one at a uniformly drawn rank. Text and pool values are
the ones closest to the right answer in length, form and register.
"""

from __future__ import annotations

import datetime as dt
import random
from collections.abc import Callable, Iterable
from dataclasses import dataclass

from quiz.model import (
    Answer,
    BooleanAnswer,
    DateAnswer,
    Deck,
    IntegerAnswer,
    OrdinalAnswer,
    PoolAnswer,
    QuoteAnswer,
    TextAnswer,
    YearAnswer,
)
from quiz.questions.meaning import register_gap, synonym_index, synonym_key
from quiz.questions.memo import per_deck
from quiz.questions.question import FALSE, TRUE
from quiz.questions.words import first_word, words
from quiz.text import fold, ordinal

WRONG_PER_QUESTION = 3
LENGTH_RATIO = 1.25  # the right choice is never longer than this times the longest wrong one

AnyAnswer = Answer  # quiz.model's one union of answer kinds

# --- formatting values ------------------------------------------------------------


# English names whatever the locale, like the rest of a deck's words (and no
# `calendar` import on the way to the first question).
MONTHS = (
    "January", "February", "March", "April", "May", "June",
    "July", "August", "September", "October", "November", "December",
)  # fmt: skip


def _month_label(year: int, month: int) -> str:
    return f"{MONTHS[month - 1]} {year}"


def format_value(answer: AnyAnswer, value: int | str) -> str:
    """Show a value of the answer's type, so every choice has the same style."""
    if isinstance(answer, OrdinalAnswer):
        return ordinal(int(value))
    if isinstance(answer, IntegerAnswer):
        text = f"{int(value):,}"
        return f"{text} {answer.unit}" if answer.unit else text
    if isinstance(answer, YearAnswer):
        return str(value)
    if isinstance(answer, DateAnswer):
        parts = [int(p) for p in str(value).split("-")]
        if len(parts) == 2:
            return _month_label(parts[0], parts[1])
        return f"{parts[2]} {_month_label(parts[0], parts[1])}"
    if isinstance(answer, QuoteAnswer):
        return f"\u201c{value}\u201d"
    if isinstance(answer, BooleanAnswer):
        return TRUE if value else FALSE
    return str(value)


def in_sentence(answer: AnyAnswer, text: str) -> str:
    """A choice as it reads inside a claim ("She steered towards the wall")."""
    if isinstance(answer, TextAnswer) and len(text) > 1 and not text[1].isupper():
        return text[0].lower() + text[1:]
    return text


# --- wrong answers -------------------------------------------------------------------


def nice_step(value: int) -> int:
    size = abs(value)
    if size < 50:
        return 1
    raw = size / 20
    magnitude: int = 10 ** (len(str(int(raw))) - 1)
    for factor in (1, 2, 5, 10):
        if magnitude * factor >= raw:
            return magnitude * factor
    return magnitude * 10


def date_key(value: str) -> tuple[int, ...]:
    return tuple(int(p) for p in value.split("-"))


def _after_limit(value: str, limit: str | None) -> bool:
    """Whether a date lies after the source's date (given as YYYY, YYYY-MM or YYYY-MM-DD)."""
    if limit is None:
        return False
    try:
        bound = date_key(limit)
    except ValueError:
        return False
    return date_key(value)[: len(bound)] > bound


RANKS = WRONG_PER_QUESTION + 1  # the right value's possible places among the shown values


@dataclass(frozen=True)
class NumberAxis:
    """A numeric answer as a whole number on a line, with its bounds and steps.

    Dates become month or day numbers, so one rule spaces every kind of number.
    """

    at: int
    low: int | None
    high: int | None
    steps: tuple[int, ...]
    kind: str  # "number", "month" or "day"

    def value(self, point: int) -> int | str:
        if self.kind == "month":
            year, month = divmod(point, 12)
            return f"{year:04d}-{month + 1:02d}"
        if self.kind == "day":
            return dt.date.fromordinal(point).isoformat()
        return point


def _limit_point(limit: str, kind: str) -> int | None:
    """The last month or day that a source's date ("YYYY", "YYYY-MM", "YYYY-MM-DD") allows."""
    try:
        parts = date_key(limit)
    except ValueError:
        return None
    year, month = parts[0], parts[1] if len(parts) > 1 else 12
    if kind == "month":
        return year * 12 + month - 1
    if len(parts) > 2:
        day = dt.date(year, month, parts[2])
    else:
        day = dt.date(year + (month == 12), month % 12 + 1, 1) - dt.timedelta(days=1)
    return day.toordinal()


def number_axis(answer: AnyAnswer, limit: str | None = None) -> NumberAxis:
    """The line a numeric answer's choices are drawn from.

    ``limit`` is the source's date: a year or date after it is never offered
    unless the answer itself lies after it, or the deck sets its own ``max``.
    """
    if isinstance(answer, DateAnswer):
        parts = date_key(answer.value)
        kind = "month" if len(parts) == 2 else "day"
        at = parts[0] * 12 + parts[1] - 1 if kind == "month" else dt.date(*parts).toordinal()
        low, high = (
            (1000 * 12, 2999 * 12 + 11)
            if kind == "month"
            else (
                dt.date(1000, 1, 1).toordinal(),
                dt.date(2999, 12, 31).toordinal(),
            )
        )
        if limit is not None and not _after_limit(answer.value, limit):
            bound = _limit_point(limit, kind)
            if bound is not None:
                high = min(high, bound)
        return NumberAxis(at, low, high, (1, 2) if kind == "month" else (1, 7), kind)
    assert isinstance(answer, (OrdinalAnswer, IntegerAnswer, YearAnswer))
    value = answer.value
    if isinstance(answer, OrdinalAnswer):
        return NumberAxis(value, 1, answer.max, (1,) if value < 10 else (1, 2), "number")
    top = answer.max
    if isinstance(answer, YearAnswer):
        if top is None and limit is not None and limit[:4].isdigit() and int(limit[:4]) >= value:
            top = int(limit[:4])
        return NumberAxis(value, answer.min, top, (1, 2), "number")
    step = nice_step(value)
    return NumberAxis(
        value, answer.min, top, (step, 2 * step) if value >= 10 else (step,), "number"
    )


def number_ladders(
    answer: AnyAnswer, accept: Iterable[int | str] = (), limit: str | None = None
) -> list[tuple[int, list[int]]]:
    """Every (step, rank) a question's numbers can take: evenly spaced, inside the bounds.

    The right value sits at ``rank`` (how many shown values lie below it) on a
    ladder of ``RANKS`` values ``step`` apart. Only the steps that allow the
    most ranks are kept, so a fact whose bounds allow every rank always gets a
    uniform rank; one that does not (a year just before the source's date) gets
    as many as it can, which `quiz validate --strict` reports.
    """
    axis = number_axis(answer, limit)
    banned = {fold(format_value(answer, v)) for v in accept}
    by_step: dict[int, list[int]] = {}
    for step in axis.steps:
        for rank in range(RANKS):
            bottom, top = axis.at - rank * step, axis.at + (RANKS - 1 - rank) * step
            if (axis.low is not None and bottom < axis.low) or (
                axis.high is not None and top > axis.high
            ):
                continue
            points = [bottom + k * step for k in range(RANKS) if k != rank]
            if any(fold(format_value(answer, axis.value(p))) in banned for p in points):
                continue
            by_step.setdefault(step, []).append(rank)
    most = max((len(ranks) for ranks in by_step.values()), default=0)
    return [(step, ranks) for step, ranks in by_step.items() if len(ranks) == most and most]


def rank_count(
    answer: AnyAnswer, accept: Iterable[int | str] = (), limit: str | None = None
) -> int:
    """How many places the right value can take among the shown numbers (RANKS is fair)."""
    ladders = number_ladders(answer, accept, limit)
    return len(ladders[0][1]) if ladders else 0


def numeric_wrong(
    answer: AnyAnswer,
    accept: Iterable[int | str],
    rng: random.Random,
    limit: str | None,
    rank: int | None = None,
) -> list[int | str]:
    """Three wrong values, evenly spaced around the right one at a uniformly drawn rank
    (``rank``, the place the deck's plan gives this question, when its bounds allow it)."""
    ladders = number_ladders(answer, accept, limit)
    if not ladders:
        return []
    fitting = [ladder for ladder in ladders if rank in ladder[1]]
    step, ranks = rng.choice(fitting or ladders)
    place = rank if rank is not None and fitting else rng.choice(ranks)
    axis = number_axis(answer, limit)
    bottom = axis.at - place * step
    return [axis.value(bottom + k * step) for k in range(RANKS) if k != place]


NUMERIC = (OrdinalAnswer, IntegerAnswer, YearAnswer, DateAnswer)


def sort_key(answer: AnyAnswer, value: int | str) -> tuple[int, ...]:
    return (
        date_key(value)
        if isinstance(answer, DateAnswer) and isinstance(value, str)
        else (int(value),)
    )


def _fit(right: str, choice: str) -> float:
    """How far a wrong choice is from the right one in length and form (0 is best)."""
    gap = abs(len(choice) - len(right)) / max(len(right), 1)
    too_short = 1.0 if len(right) > LENGTH_RATIO * len(choice) else 0.0
    return gap + too_short


def _balanced(
    right: str,
    options: list[str],
    count: int,
    rng: random.Random,
    group_of: Callable[[str], int | None] = lambda _: None,
) -> list[str]:
    """``count`` wrong choices closest to the right one in length, form and register.

    Ties are broken at random; never two synonyms (values of one group); the
    first words are kept from making the right choice the odd one out (three
    wrong choices starting alike, the right one not).
    """
    ranked = sorted(
        options,
        key=lambda c: (round(_fit(right, c) + 0.6 * register_gap(right, c), 1), rng.random()),
    )
    groups: set[int] = set()
    kept: list[str] = []
    for option in ranked:
        group = group_of(option)
        if group is not None:
            if group in groups:
                continue
            groups.add(group)
        kept.append(option)
    ranked = kept
    picked = ranked[:count]
    head = first_word(right)
    starts = [first_word(c) for c in picked]
    if count >= 2 and head not in starts and len(set(starts)) < len(starts):
        for spare in ranked[count:]:
            repeated = next(s for s in starts if starts.count(s) > 1)
            if first_word(spare) != repeated:
                index = starts.index(repeated)
                picked[index] = spare
                starts[index] = first_word(spare)
                if len(set(starts)) == len(starts):
                    break
    return picked


def wrong_answers(
    answer: AnyAnswer,
    deck: Deck,
    wrong: Iterable[int | str],
    accept: Iterable[int | str],
    rng: random.Random,
    count: int = WRONG_PER_QUESTION,
    *,
    prompt: str = "",
    limit: str | None = None,
    rank: int | None = None,
) -> list[tuple[tuple[int, ...], str]]:
    """Up to ``count`` distinct, plausible, false choices, formatted like the answer.

    Each comes with a sort key (the value itself for numbers and dates, so
    those choices can be listed in order; ``()`` for text). Numeric wrong
    answers fall on both sides of the right one: how many lie below is drawn
    uniformly, so the right answer is the smallest or largest only by chance.
    Text and pool wrong answers are the ones closest to the right answer in
    length and form, and never echo a word of the question.
    """
    accept = tuple(accept)
    right = format_value(answer, answer.value)
    taken = {fold(right)} | {fold(format_value(answer, v)) for v in accept}
    extra = list(wrong)

    def usable(values: Iterable[int | str]) -> list[tuple[tuple[int, ...], str]]:
        out: list[tuple[tuple[int, ...], str]] = []
        for value in values:
            shown = format_value(answer, value)
            key = fold(shown)
            if key not in taken:
                taken.add(key)
                out.append((sort_key(answer, value) if isinstance(answer, NUMERIC) else (), shown))
        return out

    if isinstance(answer, NUMERIC):
        ladder = usable(numeric_wrong(answer, accept, rng, limit, rank))
        return rng.sample(ladder, min(count, len(ladder)))
    if isinstance(answer, BooleanAnswer):
        no_key: tuple[int, ...] = ()
        return [(no_key, FALSE if answer.value else TRUE)][:count]
    key = ("text-options", answer, tuple(extra), accept, prompt, count)
    known = per_deck(deck)
    if key not in known:
        known[key] = _text_options(answer, deck, extra, accept, prompt, count, usable)
    options, synonyms = known[key]
    picked = _balanced(right, list(options), count, rng, lambda c: synonym_key(synonyms, c))
    return [((), c) for c in picked]


def _text_options(
    answer: AnyAnswer,
    deck: Deck,
    extra: list[int | str],
    accept: Iterable[int | str],
    prompt: str,
    count: int,
    usable: Callable[[Iterable[int | str]], list[tuple[tuple[int, ...], str]]],
) -> tuple[tuple[str, ...], dict[str, int]]:
    """The false text choices a draw may take, and the deck's synonym groups."""
    right = format_value(answer, answer.value)
    candidates: list[int | str] = []
    if isinstance(answer, PoolAnswer):
        candidates.extend(pool_values(deck, answer.pool, answer.value, answer.year))
    candidates.extend(value for value in extra if isinstance(value, str))
    synonyms = synonym_index(deck.synonyms)
    own = {synonym_key(synonyms, right)} | {
        synonym_key(synonyms, format_value(answer, v)) for v in accept
    }
    own.discard(None)
    # A synonym of the right answer is right too: never offered as wrong.
    options = [shown for _, shown in usable(candidates) if synonym_key(synonyms, shown) not in own]
    asked = words(prompt) - words(right)
    quiet = [c for c in options if not (words(c) & asked)]
    if len(quiet) >= count:
        options = quiet
    return tuple(options), synonyms


def pool_values(
    deck: Deck, pool: str, right: str | None = None, year: int | None = None
) -> list[str]:
    """A pool's values that fit as wrong answers, in deck order.

    A value outside its ``since``..``until`` years is left out for a question
    about ``year``; where the right value has a category, only values of the
    same category are offered.
    """
    info = deck.pool_info.get(pool, {})
    category = info[right].category if right in info else None
    out = []
    for value in deck.pools.get(pool, []):
        meta = info.get(value)
        if category is not None and (meta is None or meta.category != category):
            continue
        if year is not None and meta is not None:
            if (meta.since is not None and year < meta.since) or (
                meta.until is not None and year > meta.until
            ):
                continue
        out.append(str(value))
    return out
