"""The forms without choices: type the answer, estimate the number, put them in order.

None of them shows a right answer among wrong ones, so none can be picked by its
shape. Each keeps the generator's rules: its cues are the words that would give
it away if shown earlier, and an order is built only from items whose order does
not follow from cause and effect or the calendar.
"""

from __future__ import annotations

import random
from collections.abc import Callable, Iterable, Sequence
from dataclasses import replace
from typing import Any

from quiz.model import (
    Deck,
    Fact,
    IntegerAnswer,
    OrdinalAnswer,
    PoolAnswer,
    QuoteAnswer,
    TextAnswer,
    YearAnswer,
)
from quiz.questions.choices import format_value, in_sentence
from quiz.questions.meaning import synonym_index, synonym_key
from quiz.questions.memo import per_deck
from quiz.questions.question import Question
from quiz.questions.words import words
from quiz.text import answer_key, fold

GAP = "___"  # a blank in a quote, as decks write it
TYPED_WORDS = 2  # a typed text answer has at most this many words, unless the fact lists `accept`
SHORT_FORM = 4  # a pool value's first word, this long or longer and its own, is accepted alone
ORDER_ITEMS = (3, 4)  # an order question puts three or four items in order
_ARTICLES = ("the", "a", "an")

Estimable = OrdinalAnswer | IntegerAnswer | YearAnswer


def _bare_words(text: str) -> list[str]:
    parts = fold(text).replace("-", " ").split()
    return parts[1:] if len(parts) > 1 and parts[0] in _ARTICLES else parts


def short_form(value: str, others: Iterable[str]) -> str | None:
    """A pool value's first word when it alone names it ("Nitro" for "Nitro Motorsports"):
    at least `SHORT_FORM` letters, and in no other value of the pool."""
    parts = value.split()  # "Part-time" is one word: "Part" alone would not name it
    if len(parts) > 1 and fold(parts[0]) in _ARTICLES:
        parts = parts[1:]
    if len(parts) < 2 or len(parts[0]) < SHORT_FORM:
        return None
    if any(fold(parts[0]) in _bare_words(other) for other in others):
        return None
    return parts[0]


def typed_sets(deck: Deck, fact: Fact) -> tuple[tuple[str, ...], tuple[str, ...]] | None:
    """What a typed answer to this fact accepts (its answer first) and refuses, or None
    when the fact gives no typed question: a pool value, or a short text (a quote's
    missing word, a phrase of at most `TYPED_WORDS` words, or any text whose fact lists
    accepted variants)."""
    memo = per_deck(deck)
    key = ("typed-sets", id(fact))
    held = memo.get(key)
    if held is None or held[0] is not fact:  # the fact itself is kept: its id stays its own
        held = memo[key] = (fact, _typed_sets(deck, fact))
    sets: tuple[tuple[str, ...], tuple[str, ...]] | None = held[1]
    return sets


def _typed_sets(deck: Deck, fact: Fact) -> tuple[tuple[str, ...], tuple[str, ...]] | None:
    answer = fact.answer
    listed = [str(v) for v in fact.accept]
    if isinstance(answer, PoolAnswer):
        others = [v for v in deck.pools.get(answer.pool, ()) if fold(v) != fold(answer.value)]
        accept = [answer.value, *listed]
        short = short_form(answer.value, others)
        if short is not None:
            accept.append(short)
        refuse = [*others, *(s for o in others if (s := short_form(o, [answer.value])))]
    elif isinstance(answer, (TextAnswer, QuoteAnswer)):
        if len(_bare_words(answer.value)) > TYPED_WORDS and not listed:
            return None
        accept = [answer.value, *listed]
        others = []
        refuse = []
    else:
        return None
    refuse.extend(str(v) for v in fact.wrong)
    groups = synonym_index(deck.synonyms)
    mine = synonym_key(groups, answer.value)
    if mine is not None:
        accept.extend(v for group in deck.synonyms for v in group if synonym_key(groups, v) == mine)
    # Compared as a typed answer is (quiz.text.answer_key): a refused value that is an
    # accepted one by that rule would make the right answer judged wrong.
    taken = {answer_key(a) for a in accept}
    refuse = [r for r in refuse if answer_key(r) not in taken]
    # An answer of no letters or digits ("...") cannot be typed: a player's "..." is no
    # answer at all. Without one that can, the fact gives no typed question.
    accept = [a for a in accept if answer_key(a)]
    if not accept or not answer_key(answer.value):
        return None
    return tuple(dict.fromkeys(accept)), tuple(dict.fromkeys(refuse))


def typed_question(
    question_id: str, deck: Deck, fact: Fact, prompt: str, common: dict[str, Any]
) -> Question | None:
    sets = typed_sets(deck, fact)
    if sets is None:
        return None
    accept, refuse = sets
    right = accept[0]
    if words(right) & words(prompt):
        return None  # the question names its own answer
    if GAP in prompt:
        # A gap in someone's words is filled by the words around it ("Crashing is ___ in
        # racing": inevitable) as well as by knowing the quote: typed, the likeliest word
        # wins; among choices, the wrong ones are as likely.
        return None
    taken = words(prompt).union(*map(words, refuse))
    return Question(
        id=question_id,
        kind="typed",
        prompt=prompt,
        choices=(),
        answer=-1,
        answer_text=right,
        accept=accept,
        refuse=refuse,
        cues=words(right) - taken or words(right),
        **common,
    )


def estimate_range(answer: Estimable) -> tuple[int | None, int | None]:
    """The range an estimate is asked in: only the deck's own bounds, never one drawn
    around the answer, whose middle would give it away, nor the source's date, which a
    recent event's year lies just below."""
    if isinstance(answer, OrdinalAnswer):
        return 1, answer.max
    return answer.min, answer.max


def default_tolerance(answer: Estimable, high: int | None) -> int:
    """How far off still earns part of the points, unless the fact says: a tenth of a
    place's range (at least 1), 2 years, a tenth of a number (at least 1)."""
    if answer.tolerance is not None:
        return answer.tolerance
    if isinstance(answer, OrdinalAnswer):
        return max(1, round((high or 40) / 10))
    if isinstance(answer, YearAnswer):
        return 2
    return max(1, round(abs(answer.value) / 10))


def estimate_question(
    question_id: str, fact: Fact, prompt: str, common: dict[str, Any]
) -> Question | None:
    answer = fact.answer
    if not isinstance(answer, (OrdinalAnswer, IntegerAnswer, YearAnswer)):
        return None
    low, high = estimate_range(answer)
    right = format_value(answer, answer.value)
    # The number (not its unit: "How many laps ...?" asks for "200 laps") must not be
    # in the question, nor cue it when shown earlier.
    number = (
        format_value(replace(answer, unit=None), answer.value)
        if isinstance(answer, IntegerAnswer)
        else right
    )
    if words(number) & words(prompt):
        return None
    unit = (
        "place"
        if isinstance(answer, OrdinalAnswer)
        else "year"
        if isinstance(answer, YearAnswer)
        else answer.unit or ""
    )
    return Question(
        id=question_id,
        kind="estimate",
        prompt=prompt,
        choices=(),
        answer=-1,
        answer_text=right,
        value=answer.value,
        tolerance=default_tolerance(answer, high),
        low=low,
        high=high,
        unit=unit,
        cues=words(number),
        **common,
    )


# --- orders ---------------------------------------------------------------------------------


def value_group(fact: Fact) -> tuple[str, int | None, str] | None:
    """Facts whose numbers can be put in order share this key: one kind, one range, one unit,
    and each names its item with a timeline event."""
    answer = fact.answer
    if fact.timeline is None or not isinstance(answer, (OrdinalAnswer, IntegerAnswer, YearAnswer)):
        return None
    unit = answer.unit or "" if isinstance(answer, IntegerAnswer) else ""
    return answer.kind, answer.max, unit


def _value_prompt(answer: Estimable) -> str:
    if isinstance(answer, OrdinalAnswer):
        return "Put these in order, from the best place to the worst."
    if isinstance(answer, YearAnswer):
        return "Put these in order, from the earliest year to the latest."
    if answer.unit:
        return f"Put these in order, from the fewest {answer.unit} to the most."
    return "Put these in order, from the smallest number to the largest."


def _order_question(
    question_id: str,
    fact: Fact,
    items: Sequence[Fact],
    prompt: str,
    explained: Sequence[str],
    rng: random.Random,
    common: dict[str, Any],
    citations: Callable[[Fact], str],
    cues: frozenset[str],
) -> Question:
    """Items given in their right order, shown shuffled (never already in order)."""
    labels = [f.timeline.event if f.timeline else f.id for f in items]
    shown = list(range(len(items)))
    while shown == sorted(shown):
        rng.shuffle(shown)
    choices = tuple(labels[k] for k in shown)
    order = tuple(shown.index(k) for k in range(len(items)))
    in_order = ", then ".join(
        text if k == 0 else in_sentence(TextAnswer(text), text) for k, text in enumerate(explained)
    )
    sources = "; ".join(dict.fromkeys(citations(f) for f in items))
    return Question(
        id=question_id,
        kind="order",
        prompt=prompt,
        choices=choices,
        answer=-1,
        answer_text=" \u2192 ".join(labels),
        order=order,
        facts=tuple(f.id for f in items),
        cues=cues,
        **dict(common, explanation=f"In order: {in_order}.", source=sources),
    )


def order_values_question(
    question_id: str,
    fact: Fact,
    group: Sequence[Fact],
    pick: random.Random,
    rng: random.Random,
    common: dict[str, Any],
    citations: Callable[[Fact], str],
) -> Question | None:
    """This fact's item and two or three others of its group, by their numbers: the
    items drawn with ``pick`` (the same in every game), shown in ``rng``'s order."""
    answer = fact.answer
    if not isinstance(answer, (OrdinalAnswer, IntegerAnswer, YearAnswer)):
        return None
    values = {answer.value}
    others = []
    for other in pick.sample(list(group), len(group)):
        value = getattr(other.answer, "value", None)
        if other.id != fact.id and isinstance(value, int) and value not in values:
            values.add(value)
            others.append(other)
    if len(others) + 1 < ORDER_ITEMS[0]:
        return None
    size = pick.choice([n for n in ORDER_ITEMS if n <= len(others) + 1])
    items = sorted([fact, *others[: size - 1]], key=lambda f: int(getattr(f.answer, "value", 0)))
    explained = [
        f"{f.timeline.event if f.timeline else f.id} ({format_value(f.answer, f.answer.value)})"
        for f in items
        if isinstance(f.answer, (OrdinalAnswer, IntegerAnswer, YearAnswer))
    ]
    cues = frozenset().union(
        *(
            words(format_value(f.answer, f.answer.value))
            for f in items
            if isinstance(f.answer, (OrdinalAnswer, IntegerAnswer, YearAnswer))
        )
    )
    prompt = _value_prompt(answer)
    return _order_question(
        question_id, fact, items, prompt, explained, rng, common, citations, cues
    )


def order_events_question(
    question_id: str,
    fact: Fact,
    steps: dict[int, list[Fact]],
    ordered: Callable[[Fact, Fact], bool],
    pick: random.Random,
    rng: random.Random,
    common: dict[str, Any],
    citations: Callable[[Fact], str],
) -> Question | None:
    """This fact's event and two or three others of other steps, no two of which are
    ordered by cause and effect or by the years they name."""
    assert fact.timeline is not None
    pool = [
        f
        for step, group in sorted(steps.items())
        if step != fact.timeline.step
        for f in group
        if not ordered(fact, f)
    ]
    picked: list[Fact] = [fact]
    for other in pick.sample(pool, len(pool)):
        assert other.timeline is not None
        if all(
            p.timeline is not None
            and p.timeline.step != other.timeline.step
            and not ordered(p, other)
            for p in picked
        ):
            picked.append(other)
            if len(picked) == ORDER_ITEMS[-1]:
                break
    if len(picked) < ORDER_ITEMS[0]:
        return None
    items = sorted(picked, key=lambda f: f.timeline.step if f.timeline else 0)
    explained = [f.timeline.event for f in items if f.timeline]
    return _order_question(
        question_id,
        fact,
        items,
        "Put these in order, from first to last.",
        explained,
        rng,
        common,
        citations,
        frozenset(),
    )
