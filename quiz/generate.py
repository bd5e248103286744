"""Facts -> questions: several forms per fact, plausible wrong answers, seeded.

Every question is built from its own `random.Random` seeded with the quiz seed
and the question's stable id, so a question looks the same whichever quiz it
lands in, on any machine. Selection uses a second seeded generator.
"""

from __future__ import annotations

import calendar
import datetime as dt
import random
from collections.abc import Iterable, Iterator
from dataclasses import dataclass, field
from typing import Any

from quiz.model import (
    BooleanAnswer,
    DateAnswer,
    Deck,
    Fact,
    IntegerAnswer,
    OrdinalAnswer,
    PoolAnswer,
    QuoteAnswer,
    TextAnswer,
    YearAnswer,
)
from quiz.text import fold

WRONG_PER_QUESTION = 3
DEFAULT_COUNT = 10
BOOLEAN_SHARE = 0.25
TIMELINE_SHARE = 0.1  # "Which came first?" is fun once or twice a quiz, not every other question
TRUE, FALSE = "True", "False"

AnyAnswer = (
    PoolAnswer
    | OrdinalAnswer
    | IntegerAnswer
    | YearAnswer
    | DateAnswer
    | QuoteAnswer
    | TextAnswer
    | BooleanAnswer
)


@dataclass(frozen=True)
class Question:
    """One question as asked: the prompt, the choices and which one is right."""

    id: str
    fact: str
    kind: str
    prompt: str
    choices: tuple[str, ...]
    answer: int
    explanation: str
    source: str
    difficulty: str
    facts: tuple[str, ...] = field(default=())

    @property
    def right(self) -> str:
        return self.choices[self.answer]

    def as_dict(self) -> dict[str, object]:
        """The public JSON form (`quiz preview --format json`)."""
        return {
            "id": self.id,
            "fact": self.fact,
            "kind": self.kind,
            "prompt": self.prompt,
            "choices": list(self.choices),
            "answer": self.answer,
            "explanation": self.explanation,
            "source": self.source,
            "difficulty": self.difficulty,
        }


# --- formatting values ------------------------------------------------------------


def ordinal(n: int) -> str:
    """8 -> '8th', 21 -> '21st', 12 -> '12th'."""
    if 10 <= n % 100 <= 20:
        suffix = "th"
    else:
        suffix = {1: "st", 2: "nd", 3: "rd"}.get(n % 10, "th")
    return f"{n}{suffix}"


def _month_label(year: int, month: int) -> str:
    return f"{calendar.month_name[month]} {year}"


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
        return f"{parts[2]} {calendar.month_name[parts[1]]} {parts[0]}"
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


def _date_key(value: str) -> tuple[int, ...]:
    return tuple(int(p) for p in value.split("-"))


def _shift_date(value: str, steps: int) -> str | None:
    parts = _date_key(value)
    if len(parts) == 2:
        index = parts[0] * 12 + parts[1] - 1 + steps
        year, month = divmod(index, 12)
        return f"{year:04d}-{month + 1:02d}" if 1000 <= year <= 2999 else None
    try:
        day = dt.date(*parts) + dt.timedelta(days=steps)
    except (ValueError, OverflowError):
        return None
    return day.isoformat()


def numeric_neighbours(
    answer: AnyAnswer, extra: list[int | str]
) -> tuple[list[int | str], list[int | str]]:
    """Plausible values below and above a typed answer, nearest first."""
    spread = 6
    below: list[int | str] = []
    above: list[int | str] = []
    if isinstance(answer, DateAnswer):
        for k in range(1, spread + 1):
            for bucket, sign in ((below, -1), (above, 1)):
                shifted = _shift_date(answer.value, sign * k)
                if shifted is not None:
                    bucket.append(shifted)
        for value in extra:
            if isinstance(value, str) and value.count("-") == answer.value.count("-"):
                try:
                    _date_key(value)
                except ValueError:
                    continue
                (below if _date_key(value) < _date_key(answer.value) else above).append(value)
        return below, above
    assert isinstance(answer, (OrdinalAnswer, IntegerAnswer, YearAnswer))
    value = answer.value
    low = 1 if isinstance(answer, OrdinalAnswer) else getattr(answer, "min", None)
    high = answer.max
    step = nice_step(value) if isinstance(answer, IntegerAnswer) else 1
    for k in range(1, spread + 1):
        down, up = value - k * step, value + k * step
        if low is None or down >= low:
            below.append(down)
        if high is None or up <= high:
            above.append(up)
    for item in extra:
        if isinstance(item, int) and not isinstance(item, bool) and item != value:
            if (low is None or item >= low) and (high is None or item <= high):
                (below if item < value else above).append(item)
    return below, above


NUMERIC = (OrdinalAnswer, IntegerAnswer, YearAnswer, DateAnswer)


def _sort_key(answer: AnyAnswer, value: int | str) -> tuple[int, ...]:
    return (
        _date_key(value)
        if isinstance(answer, DateAnswer) and isinstance(value, str)
        else (int(value),)
    )


def wrong_answers(
    answer: AnyAnswer,
    deck: Deck,
    wrong: Iterable[int | str],
    accept: Iterable[int | str],
    rng: random.Random,
    count: int = WRONG_PER_QUESTION,
) -> list[tuple[tuple[int, ...], str]]:
    """Up to ``count`` distinct, plausible, false choices, formatted like the answer.

    Each comes with a sort key (the value itself for numbers and dates, so
    those choices can be listed in order; ``()`` for text). Numeric wrong
    answers fall on both sides of the right one: how many lie below is drawn
    uniformly, so the right answer is the smallest or largest only by chance.
    """
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
                out.append((_sort_key(answer, value) if isinstance(answer, NUMERIC) else (), shown))
        return out

    if isinstance(answer, NUMERIC):
        below_values, above_values = numeric_neighbours(answer, extra)
        below, above = usable(below_values), usable(above_values)
        feasible = [k for k in range(count + 1) if k <= len(below) and count - k <= len(above)]
        k = rng.choice(feasible) if feasible else min(len(below), count)
        picked_below = rng.sample(below, min(k, len(below)))
        picked_above = rng.sample(above, min(count - len(picked_below), len(above)))
        return picked_below + picked_above
    if isinstance(answer, BooleanAnswer):
        no_key: tuple[int, ...] = ()
        return [(no_key, FALSE if answer.value else TRUE)][:count]
    candidates: list[int | str] = []
    if isinstance(answer, PoolAnswer):
        candidates.extend(deck.pools.get(answer.pool, []))
    candidates.extend(value for value in extra if isinstance(value, str))
    options = usable(candidates)
    return rng.sample(options, min(count, len(options)))


# --- building questions ------------------------------------------------------------------


class Generator:
    """Builds the questions of one deck for one seed."""

    def __init__(self, deck: Deck, seed: int | str) -> None:
        self.deck = deck
        self.seed = seed
        self._timeline: dict[int, list[Fact]] | None = None
        self._citations: dict[str, str] = {s.id: s.citation() for s in deck.sources}

    def rng(self, question_id: str) -> random.Random:
        return random.Random(f"{self.seed}/{question_id}")

    def forms(self, fact: Fact) -> list[str]:
        """The question ids one fact can give, in a fixed order."""
        if isinstance(fact.answer, BooleanAnswer):
            return [f"{fact.id}/statement-{i + 1}" for i in range(len(fact.questions))]
        ids = [f"{fact.id}/multiple-{i + 1}" for i in range(len(fact.questions))]
        if fact.reverse is not None:
            ids.append(f"{fact.id}/reverse")
        if fact.timeline is not None and len(self.timeline()) > 1:
            ids.append(f"{fact.id}/timeline")
        if fact.claim is not None:
            ids.append(f"{fact.id}/boolean")
        return ids

    def timeline(self) -> dict[int, list[Fact]]:
        if self._timeline is None:
            steps: dict[int, list[Fact]] = {}
            for fact in self.deck.facts:
                if fact.timeline is not None:
                    steps.setdefault(fact.timeline.step, []).append(fact)
            self._timeline = steps
        return self._timeline

    def build(self, fact: Fact, question_id: str) -> Question | None:
        """The question with this id, or None if the fact cannot give it."""
        rng = self.rng(question_id)
        form = question_id.rsplit("/", 1)[1]
        source = self._citations.get(fact.source, fact.source)
        common: dict[str, Any] = dict(
            fact=fact.id, explanation=fact.explanation, source=source, difficulty=fact.difficulty
        )
        if form.startswith("statement-") and isinstance(fact.answer, BooleanAnswer):
            statement = fact.questions[int(form.split("-")[1]) - 1]
            return Question(
                id=question_id,
                kind="boolean",
                prompt=statement
                if statement.lower().startswith("true or false")
                else f"True or false? {statement}",
                choices=(TRUE, FALSE),
                answer=0 if fact.answer.value else 1,
                **common,
            )
        if form.startswith("multiple-"):
            prompt = fact.questions[int(form.split("-")[1]) - 1]
            return self._multiple(
                question_id, "multiple", prompt, fact.answer, fact.wrong, fact.accept, rng, common
            )
        if form == "reverse" and fact.reverse is not None:
            rev = fact.reverse
            return self._multiple(
                question_id, "reverse", rev.question, rev.answer, rev.wrong, rev.accept, rng, common
            )
        if form == "boolean":
            return self._boolean(question_id, fact, rng, common)
        if form == "timeline":
            return self._timeline_question(question_id, fact, rng, common)
        return None

    def _multiple(
        self,
        question_id: str,
        kind: str,
        prompt: str,
        answer: AnyAnswer,
        wrong: Iterable[int | str],
        accept: Iterable[int | str],
        rng: random.Random,
        common: dict[str, Any],
    ) -> Question | None:
        right = format_value(answer, answer.value)
        others = wrong_answers(answer, self.deck, wrong, accept, rng)
        if not others:
            return None
        keyed = [
            (_sort_key(answer, answer.value) if isinstance(answer, NUMERIC) else (), right),
            *others,
        ]
        if isinstance(answer, NUMERIC):
            keyed.sort()
        else:
            rng.shuffle(keyed)
        choices = [shown for _, shown in keyed]
        return Question(
            id=question_id,
            kind=kind,
            prompt=prompt,
            choices=tuple(choices),
            answer=choices.index(right),
            **common,
        )

    def _boolean(
        self, question_id: str, fact: Fact, rng: random.Random, common: dict[str, Any]
    ) -> Question | None:
        answer = fact.answer
        if fact.claim is None:
            return None
        truth = rng.random() < 0.5
        shown = format_value(answer, answer.value)
        if not truth:
            others = wrong_answers(answer, self.deck, fact.wrong, fact.accept, rng, count=1)
            if not others:
                truth = True
            else:
                shown = others[0][1]
        claim = fact.claim.replace("{answer}", in_sentence(answer, shown))
        if not truth:
            common = dict(common, explanation=f"False: {fact.statement} {fact.explanation}".strip())
        return Question(
            id=question_id,
            kind="boolean",
            prompt=f"True or false? {claim}",
            choices=(TRUE, FALSE),
            answer=0 if truth else 1,
            **common,
        )

    def _timeline_question(
        self, question_id: str, fact: Fact, rng: random.Random, common: dict[str, Any]
    ) -> Question | None:
        """ "Which came first?" (or last) with this fact's event as the answer.

        The other events come only from steps on one side of this fact's step,
        so each timeline question has its own answer; events that share a step
        are never compared, as the source does not order them.
        """
        assert fact.timeline is not None
        steps = self.timeline()
        here = fact.timeline.step
        later = sorted(s for s in steps if s > here)
        earlier = sorted(s for s in steps if s < here)
        if not later and not earlier:
            return None
        first = len(later) >= len(earlier)
        chosen = rng.sample(
            later if first else earlier, min(WRONG_PER_QUESTION, len(later if first else earlier))
        )
        events = [fact] + [rng.choice(steps[s]) for s in chosen]
        events.sort(key=lambda f: f.timeline.step if f.timeline else 0)
        in_order = ", then ".join(
            in_sentence(TextAnswer(f.timeline.event), f.timeline.event) if k else f.timeline.event
            for k, f in enumerate(events)
            if f.timeline
        )
        choices = [f.timeline.event for f in events if f.timeline]
        right = fact.timeline.event
        rng.shuffle(choices)
        citations = dict.fromkeys(self._citations.get(f.source, f.source) for f in events)
        return Question(
            id=question_id,
            kind="timeline",
            prompt=f"Which of these came {'first' if first else 'last'}?",
            choices=tuple(choices),
            answer=choices.index(right),
            facts=tuple(f.id for f in events),
            **dict(common, explanation=f"In order: {in_order}.", source="; ".join(citations)),
        )

    def all_questions(self) -> Iterator[Question]:
        """Every question the deck can give, fact by fact."""
        for fact in self.deck.facts:
            for question_id in self.forms(fact):
                question = self.build(fact, question_id)
                if question is not None:
                    yield question


# --- choosing a quiz ------------------------------------------------------------------------


def _interleave_by_difficulty(facts: list[Fact], rng: random.Random) -> list[Fact]:
    buckets: dict[str, list[Fact]] = {"easy": [], "medium": [], "hard": []}
    for fact in facts:
        buckets[fact.difficulty].append(fact)
    for bucket in buckets.values():
        rng.shuffle(bucket)
    order = list(buckets)
    rng.shuffle(order)
    out: list[Fact] = []
    while any(buckets.values()):
        for name in order:
            if buckets[name]:
                out.append(buckets[name].pop())
    return out


def make_quiz(
    deck: Deck,
    seed: int | str,
    count: int = DEFAULT_COUNT,
    *,
    boolean_share: float = BOOLEAN_SHARE,
) -> list[Question]:
    """The questions of one quiz, in order.

    One question per fact until every fact has had one, then a second round,
    and so on; a spread of difficulties; true/false at most ``boolean_share``
    of the quiz while other forms are left. Asking for more questions than the
    deck holds gives all of them.
    """
    generator = Generator(deck, seed)
    rng = random.Random(f"{seed}/select")
    facts = _interleave_by_difficulty(list(deck.facts), rng)
    plans: dict[int, list[str]] = {}
    caps = {"boolean": int(count * boolean_share), "timeline": max(1, int(count * TIMELINE_SHARE))}
    used = {"boolean": 0, "timeline": 0}
    picked: list[Question] = []
    for capped in (True, False):
        progress = True
        while progress and len(picked) < count:
            progress = False
            for index, fact in enumerate(facts):
                if len(picked) >= count:
                    break
                plan = plans.get(index)
                if plan is None:
                    plan = generator.forms(fact)
                    rng.shuffle(plan)
                    plan.sort(
                        key=lambda q: (
                            q.endswith("/timeline"),
                            q.endswith("/boolean") or "/statement-" in q,
                        )
                    )
                    plans[index] = plan
                for position, question_id in enumerate(plan):
                    form = question_id.rsplit("/", 1)[1]
                    form = "boolean" if form.startswith("statement-") else form
                    if capped and form in caps and used[form] >= caps[form]:
                        continue
                    plan.pop(position)
                    question = generator.build(fact, question_id)
                    if question is None:
                        break
                    picked.append(question)
                    if form in used:
                        used[form] += 1
                    progress = True
                    break
    return picked
