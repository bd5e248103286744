"""Facts -> questions: several forms per fact, plausible wrong answers, seeded.

Every question is built from its own `random.Random` seeded with the quiz seed
and the question's stable id, so a question looks the same whichever quiz it
lands in, on any machine. Selection uses a second seeded generator.

A game is planned as a whole (`make_quiz`): each question knows the words that
would give it away (its *cues*: words only its right choice has, not its wrong
choices nor its question) and the words it shows (its prompt, right answer,
explanation and source line). No question is asked once one of its cues has
been on screen, in the deck's own text or in an earlier question.
"""

from __future__ import annotations

import datetime as dt
import functools
import math
import random
import re
from collections.abc import Callable, Iterable, Iterator
from dataclasses import dataclass, field
from typing import Any

from quiz.model import (
    Answer,
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
from quiz.questions.meaning import (
    absolute_added,
    implied_order,
    register_gap,
    related,
    synonym_index,
    synonym_key,
)
from quiz.text import fold, ordinal

WRONG_PER_QUESTION = 3
DEFAULT_COUNT = 10
BOOLEAN_SHARE = 0.2  # true/false: between 10% and 30% of a game, spread through it
BOOLEAN_MAX = 0.3
TIMELINE_SHARE = 0.1  # "Which came first?" is fun once or twice a quiz, not every other question
TIMELINE_EVENTS = 4
SHORTLIST = 4  # candidates weighed at each step of planning
PLAN_FACTS = 80  # a game is planned from at most this many facts (or 3x the count)
CORE_SHARE = 0.85  # a headline fact (core = true) is wanted in this share of games
CORE_PULL = 2.0  # how strongly a wanted headline fact is preferred at each step
LENGTH_RATIO = 1.25  # the right choice is never longer than this times the longest wrong one
TRUE, FALSE = "True", "False"

AnyAnswer = Answer  # quiz.model's one union of answer kinds


@dataclass(frozen=True)
class QuestionId:
    """A question's stable id, ``FACT/FORM``: kept in saves, and rebuilt from.

    The form is ``multiple-N`` or ``statement-N`` (the fact's Nth wording),
    ``reverse``, ``timeline`` or ``boolean``. Fact ids are slugs, so the first
    "/" parts them.
    """

    fact: str
    form: str

    @classmethod
    def parse(cls, text: str) -> QuestionId:
        fact, _, form = text.partition("/")
        return cls(fact, form)

    def format(self) -> str:
        return f"{self.fact}/{self.form}"

    __str__ = format

    @property
    def wording(self) -> int:
        """Which of the fact's wordings a ``multiple-N`` or ``statement-N`` form asks (0-based)."""
        return int(self.form.split("-")[1]) - 1


def is_true_false(choices: Iterable[str]) -> bool:
    """The one rule for a true/false question: its choices are True and False, in either order."""
    return sorted(choices) == [FALSE, TRUE]


@dataclass(frozen=True)
class Question:
    """One question as asked: the prompt, the choices and which one is right.

    ``cues`` are the words that would give the question away if they were on
    screen before it (see `cue_words`); they are not part of its identity.
    """

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
    cues: frozenset[str] = field(default=frozenset(), compare=False, repr=False)

    @property
    def right(self) -> str:
        return self.choices[self.answer]

    @property
    def true_false(self) -> bool:
        """Its choices are True and False, whatever its kind: t and f answer it."""
        return is_true_false(self.choices)

    def true_false_choice(self, word: str) -> int | None:
        """The choice "t"/"true" or "f"/"false" picks on a true/false question, else None."""
        word = word.strip().lower()
        if not self.true_false or word not in ("t", "true", "f", "false"):
            return None
        return self.choices.index(TRUE if word.startswith("t") else FALSE)

    def decoys(self) -> tuple[frozenset[str], ...]:
        """For each wrong choice, the words only it has: all shown earlier, it reads as wrong.

        A wrong choice named earlier (as another question's answer, say) is as easy
        to rule out as a right one to spot; a single shared word ("team") is not.
        """
        if self.kind not in ("multiple", "reverse"):
            return ()
        prompt = words(self.prompt)
        sets = [words(c) for c in self.choices]
        out = []
        for i, mine in enumerate(sets):
            if i != self.answer:
                only = mine - prompt - frozenset().union(*(sets[:i] + sets[i + 1 :]))
                if only:
                    out.append(only)
        return tuple(out)

    def shows(self) -> frozenset[str]:
        """The words this question puts on screen once it is answered."""
        shown = [self.prompt, self.right, self.explanation, self.source]
        if self.kind == "timeline":
            shown.extend(self.choices)
        # The words of each text, not of the texts joined: the same as one text
        # (words never run across the space between them), but each is cached,
        # and a fact's forms share their explanation, and a deck's facts their source.
        return frozenset().union(*map(words, shown))

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


# --- words: what a text shows, what would give a question away ------------------------

STOPWORDS = frozenset(
    """a an the of in on at to for with and or but nor her hers she he him his it its is was
    were be been being by from that this these those what which who whom whose how did does
    do done i me my we us our you your not no as after before when where why there their they
    them so than then into onto out up about have had has just only if all any each can could
    would should will shall may might must also too more most some such own same other another
    over under again once here while during said says say told tell asked ask according
    whether ever are am being get got""".split()
)
ORDINAL_WORDS = {
    word: f"{n}{'st' if n % 10 == 1 and n != 11 else 'nd' if n % 10 == 2 and n != 12 else 'rd' if n % 10 == 3 and n != 13 else 'th'}"
    for n, word in enumerate(
        """first second third fourth fifth sixth seventh eighth ninth tenth eleventh twelfth
        thirteenth fourteenth fifteenth sixteenth seventeenth eighteenth nineteenth
        twentieth""".split(),
        1,
    )
}
_YEAR = re.compile(r"\b(1[0-9]{3}|2[0-9]{3})\b")
_WORD_RE = re.compile(r"[0-9]+(?:st|nd|rd|th)?|[^\W\d_]+")


@functools.lru_cache(maxsize=8192)  # a deck repeats its words: planning a game stems each often
def _stem(word: str) -> str:
    word = ORDINAL_WORDS.get(word, word)
    if word[:1].isdigit():
        return word
    for suffix in ("ing", "ed", "es", "s"):
        if suffix == "s" and word.endswith(("ss", "as", "is", "us")):
            continue
        if word.endswith(suffix) and len(word) - len(suffix) >= 4:
            return word[: -len(suffix)]
    return word


@functools.lru_cache(maxsize=8192)
def words(text: str) -> frozenset[str]:
    """The content words of a text, folded and lightly stemmed ("crashed" -> "crash")."""
    folded = fold(text).replace("\u2019", "'").replace("'s ", " ")
    out = set()
    for token in _WORD_RE.findall(folded):
        if token in STOPWORDS or (len(token) < 3 and not token.isdigit()):
            continue
        out.add(_stem(token))
    return frozenset(out)


def cue_words(right: str, wrong: Iterable[str], prompt: str) -> frozenset[str]:
    """Words only the right choice has: not its wrong choices, not its question."""
    taken: set[str] = set(words(prompt))
    for choice in wrong:
        taken |= words(choice)
    return words(right) - taken


def first_word(text: str) -> str:
    parts = fold(text).strip("\u201c\u201d\"'").split()
    return parts[0] if parts else ""


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


def _after_limit(value: str, limit: str | None) -> bool:
    """Whether a date lies after the source's date (given as YYYY, YYYY-MM or YYYY-MM-DD)."""
    if limit is None:
        return False
    try:
        bound = _date_key(limit)
    except ValueError:
        return False
    return _date_key(value)[: len(bound)] > bound


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
        parts = _date_key(limit)
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
        parts = _date_key(answer.value)
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
    answer: AnyAnswer, accept: Iterable[int | str], rng: random.Random, limit: str | None
) -> list[int | str]:
    """Three wrong values, evenly spaced around the right one at a uniformly drawn rank."""
    ladders = number_ladders(answer, accept, limit)
    if not ladders:
        return []
    step, ranks = rng.choice(ladders)
    rank = rng.choice(ranks)
    axis = number_axis(answer, limit)
    bottom = axis.at - rank * step
    return [axis.value(bottom + k * step) for k in range(RANKS) if k != rank]


NUMERIC = (OrdinalAnswer, IntegerAnswer, YearAnswer, DateAnswer)


def _sort_key(answer: AnyAnswer, value: int | str) -> tuple[int, ...]:
    return (
        _date_key(value)
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
) -> list[tuple[tuple[int, ...], str]]:
    """Up to ``count`` distinct, plausible, false choices, formatted like the answer.

    Each comes with a sort key (the value itself for numbers and dates, so
    those choices can be listed in order; ``()`` for text). Numeric wrong
    answers fall on both sides of the right one: how many lie below is drawn
    uniformly, so the right answer is the smallest or largest only by chance.
    Text and pool wrong answers are the ones closest to the right answer in
    length and form, and never echo a word of the question.
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
        ladder = usable(numeric_wrong(answer, accept, rng, limit))
        return rng.sample(ladder, min(count, len(ladder)))
    if isinstance(answer, BooleanAnswer):
        no_key: tuple[int, ...] = ()
        return [(no_key, FALSE if answer.value else TRUE)][:count]
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
    picked = _balanced(right, options, count, rng, lambda c: synonym_key(synonyms, c))
    return [((), c) for c in picked]


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


# --- building questions ------------------------------------------------------------------


class Generator:
    """Builds the questions of one deck for one seed."""

    def __init__(self, deck: Deck, seed: int | str) -> None:
        self.deck = deck
        self.seed = seed
        self._timeline: dict[int, list[Fact]] | None = None
        self._order: set[tuple[str, str]] | None = None
        self._citations: dict[str, str] = {s.id: s.citation() for s in deck.sources}
        self._dates: dict[str, str | None] = {s.id: s.date for s in deck.sources}

    def rng(self, question_id: str) -> random.Random:
        return random.Random(f"{self.seed}/{question_id}")

    def forms(self, fact: Fact) -> list[str]:
        """The question ids one fact can give, in a fixed order."""
        if isinstance(fact.answer, BooleanAnswer):
            forms = [f"statement-{i + 1}" for i in range(len(fact.questions))]
            return [QuestionId(fact.id, form).format() for form in forms]
        forms = [f"multiple-{i + 1}" for i in range(len(fact.questions))]
        if fact.reverse is not None:
            forms.append("reverse")
        if fact.timeline is not None and len(self.timeline()) >= TIMELINE_EVENTS:
            forms.append("timeline")
        if fact.claim is not None and not isinstance(fact.answer, QuoteAnswer):
            # A false claim about a quote would put invented words in someone's mouth.
            forms.append("boolean")
        return [QuestionId(fact.id, form).format() for form in forms]

    def ordered(self, a: Fact, b: Fact) -> bool:
        """Whether the order of two facts' events follows without knowing it.

        By cause and effect (``follows``, taken transitively), or by the calendar:
        two events that name different years.
        """
        if self._order is None:
            self._order = implied_order(
                {f.id: f.timeline.follows for f in self.deck.facts if f.timeline is not None}
            )
        if related(self._order, a.id, b.id):
            return True
        years = [_YEAR.findall(f.timeline.event) if f.timeline else [] for f in (a, b)]
        return bool(years[0] and years[1] and set(years[0]) != set(years[1]))

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
        qid = QuestionId.parse(question_id)
        form = qid.form
        source = self._citations.get(fact.source, fact.source)
        common: dict[str, Any] = dict(
            fact=fact.id, explanation=fact.explanation, source=source, difficulty=fact.difficulty
        )
        limit = self._dates.get(fact.source)
        if form.startswith("statement-") and isinstance(fact.answer, BooleanAnswer):
            statement = fact.questions[qid.wording]
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
            prompt = fact.questions[qid.wording]
            return self._multiple(
                question_id,
                "multiple",
                prompt,
                fact.answer,
                fact.wrong,
                fact.accept,
                rng,
                common,
                limit,
            )
        if form == "reverse" and fact.reverse is not None:
            rev = fact.reverse
            return self._multiple(
                question_id,
                "reverse",
                rev.question,
                rev.answer,
                rev.wrong,
                rev.accept,
                rng,
                common,
                limit,
            )
        if form == "boolean":
            return self._boolean(question_id, fact, rng, common, limit)
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
        limit: str | None,
    ) -> Question | None:
        right = format_value(answer, answer.value)
        others = wrong_answers(answer, self.deck, wrong, accept, rng, prompt=prompt, limit=limit)
        if not others:
            return None
        keyed = [
            (_sort_key(answer, answer.value) if isinstance(answer, NUMERIC) else (), right),
            *others,
        ]
        if isinstance(answer, NUMERIC):
            keyed.sort()  # numbers in order: the right one's rank is drawn uniformly
        else:
            rng.shuffle(keyed)
        choices = [shown for _, shown in keyed]
        return Question(
            id=question_id,
            kind=kind,
            prompt=prompt,
            choices=tuple(choices),
            answer=choices.index(right),
            cues=cue_words(right, [c for c in choices if c != right], prompt),
            **common,
        )

    def _boolean(
        self,
        question_id: str,
        fact: Fact,
        rng: random.Random,
        common: dict[str, Any],
        limit: str | None,
    ) -> Question | None:
        answer = fact.answer
        if fact.claim is None or isinstance(answer, QuoteAnswer):
            return None
        truth = rng.random() < 0.5
        right = format_value(answer, answer.value)
        candidates = wrong_answers(
            answer,
            self.deck,
            fact.wrong,
            fact.accept,
            random.Random(f"{self.seed}/{fact.id}/c"),
            count=len(fact.wrong) + 12,
            limit=limit,
        )
        # A false claim changes one detail to a near miss: never to a value that
        # brings in an absolute or extreme word ("only", "the whole season") the
        # truth lacks, which a reader would spot as the invented one.
        misses = [
            c
            for _, c in wrong_answers(
                answer, self.deck, fact.wrong, fact.accept, rng, count=3, limit=limit
            )
            if not absolute_added(right, c)
        ]
        if not misses:
            return None  # a claim that could only ever be true is no question
        shown = right if truth else misses[0]
        claim = fact.claim.replace("{answer}", in_sentence(answer, shown))
        if not truth:
            corrected = fact.claim.replace("{answer}", in_sentence(answer, right))
            common = dict(common, explanation=f"False. {corrected} {fact.explanation}".strip())
        return Question(
            id=question_id,
            kind="boolean",
            prompt=f"True or false? {claim}",
            choices=(TRUE, FALSE),
            answer=0 if truth else 1,
            cues=cue_words(right, [c for _, c in candidates], fact.claim.replace("{answer}", " ")),
            **common,
        )

    def _timeline_question(
        self, question_id: str, fact: Fact, rng: random.Random, common: dict[str, Any]
    ) -> Question | None:
        """ "Which came first?" (or last) among four events, with this fact's as the answer.

        The other three events come from three other steps all on one side of
        this fact's step, so each timeline question has its own answer; events
        that share a step are never compared, as the source does not order them.
        A fact without three steps on one side gets no timeline question.
        """
        assert fact.timeline is not None
        steps = self.timeline()
        here = fact.timeline.step
        need = TIMELINE_EVENTS - 1
        sides = []
        for later in (True, False):
            side = [
                f
                for step, group in sorted(steps.items())
                if (step > here if later else step < here)
                for f in group
                if not self.ordered(fact, f)
            ]
            if len({f.timeline.step for f in side if f.timeline}) >= need:
                sides.append((later, side))
        rng.shuffle(sides)
        first = False  # this fact's event is the first of the four (the others are later)
        for later, side in sides:
            # Three events of three steps, none of whose order follows from another's.
            for _attempt in range(8):
                picked: list[Fact] = []
                for other in rng.sample(side, len(side)):
                    assert other.timeline is not None
                    if all(
                        p.timeline is not None
                        and p.timeline.step != other.timeline.step
                        and not self.ordered(p, other)
                        for p in picked
                    ):
                        picked.append(other)
                        if len(picked) == need:
                            break
                if len(picked) == need:
                    break
            else:
                continue
            first = later
            break
        else:
            return None
        events = [fact, *picked]
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


# --- planning a game ------------------------------------------------------------------------


def deck_words(deck: Deck) -> frozenset[str]:
    """Words every game shows before its first question: title, subject, description, sources."""
    texts = [deck.title, deck.subject, deck.description]
    texts.extend(source.citation() for source in deck.sources)
    return words(" ".join(texts))


def form_of(question: Question) -> str:
    """ "multiple", "reverse", "timeline" or "boolean"."""
    return question.kind


def _spread(share: float, count: int, rng: random.Random) -> list[int]:
    """Positions for a kind with this share of ``count``: evenly spaced, at a seeded phase."""
    phase = rng.random()
    out: list[int] = []
    for position in range(count):
        if math.floor(phase + share * (position + 1)) > len(out):
            out.append(position)
    return out


def plan_kinds(
    count: int, boolean_share: float, timeline_share: float, rng: random.Random
) -> list[str]:
    """The kind wanted at each position: "boolean", "timeline" or "multiple".

    True/false and timeline questions are spread through the game; where both
    fall on one position the timeline moves to the nearest free one.
    """
    plan = ["multiple"] * count
    for position in _spread(boolean_share, count, rng):
        plan[position] = "boolean"
    for position in _spread(timeline_share, count, rng):
        free = sorted(
            (p for p in range(count) if plan[p] == "multiple"), key=lambda p: abs(p - position)
        )
        if free:
            plan[free[0]] = "timeline"
    return plan


def _score(
    q: Question,
    blocks: dict[str, frozenset[str]],
    blocked_by: dict[str, int],
    remaining: frozenset[str],
    difficulty: dict[str, int],
    noise: float,
) -> float:
    """Lower is asked sooner: gives little away, is easily given away, mixes difficulties."""
    harm = len(blocks[q.id] & remaining)
    urgency = blocked_by[q.id]
    spread = difficulty.get(q.difficulty, 0)
    return 3 * harm - 0.5 * urgency + 1.5 * spread + 3 * noise


def make_quiz(
    deck: Deck,
    seed: int | str,
    count: int = DEFAULT_COUNT,
    *,
    boolean_share: float = BOOLEAN_SHARE,
) -> list[Question]:
    """The questions of one game, planned as a whole, in order.

    - No question comes after a question (or deck text) that shows one of its cues.
    - One question per fact until every fact has had one; a true/false question
      never comes after another form of its own fact.
    - True/false makes ``boolean_share`` of the game and timeline questions a
      tenth (at least one in a game of ten), spread evenly at a seeded phase.
    - Difficulties are mixed, and questions that would give away many others
      wait until those have been asked.

    Asking for more questions than can be asked without a giveaway gives as
    many as can be: callers say so.
    """
    generator = Generator(deck, seed)
    rng = random.Random(f"{seed}/select")
    fixed = deck_words(deck)
    chosen = list(deck.facts)
    room = max(PLAN_FACTS, 3 * count)
    if len(chosen) > room:
        # A large deck: plan from a seeded sample of facts, not all of them.
        keep = set(random.Random(f"{seed}/facts").sample(range(len(chosen)), room))
        chosen = [fact for index, fact in enumerate(chosen) if index in keep]
    facts = {fact.id: fact for fact in chosen}
    pool: list[Question] = []
    for fact in chosen:
        for question_id in generator.forms(fact):
            question = generator.build(fact, question_id)
            if question is not None and not (question.cues & fixed):
                pool.append(question)
    shows = {q.id: q.shows() for q in pool}
    decoys = {q.id: q.decoys() for q in pool}
    by_cue: dict[str, list[Question]] = {}
    for q in pool:
        for word in sorted(q.cues):
            by_cue.setdefault(word, []).append(q)
    blocks = {
        q.id: frozenset(
            d.id for word in shows[q.id] for d in by_cue.get(word, ()) if d.fact != q.fact
        )
        for q in pool
    }
    blocked_by: dict[str, int] = {q.id: 0 for q in pool}
    for q in pool:
        for other in blocks[q.id]:
            blocked_by[other] += 1
    timeline_share = TIMELINE_SHARE if any(q.kind == "timeline" for q in pool) else 0.0
    if 0 < count < 20 and timeline_share:
        timeline_share = max(timeline_share, 1 / max(count, 10))
    plan = plan_kinds(count, boolean_share, timeline_share, rng)
    seen = set(fixed)
    # Headline facts: each is wanted in most games (drawn per game, so games still differ).
    core_rng = random.Random(f"{seed}/core")
    headliners = {f.id for f in chosen if f.core and core_rng.random() < CORE_SHARE}
    prompts: set[str] = set()
    in_order: set[str] = set()  # facts whose events a timeline's explanation has put in order
    asked_facts: set[str] = set()
    asked: set[str] = set()
    made = {"boolean": 0, "timeline": 0}
    difficulty: dict[str, int] = {"easy": 0, "medium": 0, "hard": 0}
    picked: list[Question] = []
    while len(picked) < count:
        position = len(picked)
        left = [q for q in pool if q.id not in asked and not (q.cues & seen)]
        # One question per fact while facts are left. A timeline question asks
        # for an order of events, not its fact's answer, so it may come after.
        fresh = [q for q in left if q.fact not in asked_facts or q.kind == "timeline"]
        if len(asked_facts) < len(facts) and fresh:
            left = fresh
        # true/false never after another form of its own fact
        left = [q for q in left if q.kind != "boolean" or q.fact not in asked_facts]
        # No prompt twice; no timeline over events an earlier one put in order.
        left = [
            q
            for q in left
            if q.prompt not in prompts
            and not (q.kind == "timeline" and len(in_order.intersection(q.facts)) >= 2)
        ]
        if not left:
            break
        wanted = plan[position] if position < len(plan) else "multiple"
        kinds = {"multiple": ("multiple", "reverse")}.get(wanted, (wanted,))
        choice = [q for q in left if q.kind in kinds]
        if not choice:
            # Fall back to multiple choice; true/false and timeline only within their shares.
            choice = [q for q in left if q.kind in ("multiple", "reverse")]
            if not choice and made["boolean"] + 1 <= BOOLEAN_MAX * (position + 1):
                choice = [q for q in left if q.kind == "boolean"]
            if not choice:
                # A true/false statement (an imported deck's) is its fact's only form:
                # the share above is for claims, which have a multiple-choice form too.
                choice = [q for q in left if q.id.rsplit("/", 1)[-1].startswith("statement-")]
        if not choice:
            break
        # Prefer questions none of whose wrong choices was named earlier: a wrong
        # choice seen before would be as easy to rule out as a right one to spot.
        clear = [q for q in choice if not any(d <= seen for d in decoys[q.id])]
        if clear:
            choice = clear
        remaining = frozenset(q.id for q in left)
        # Weigh a few candidates drawn at random, not all of them, so that games
        # differ: always taking the least harmful would ask the same facts first.
        choice = sorted(choice, key=lambda q: q.id)
        if len(choice) > SHORTLIST and count < len(facts):  # a long game weighs all
            headline = [q for q in choice if q.fact in headliners and q.fact not in asked_facts]
            rest = [q for q in choice if q not in headline]
            choice = headline + rng.sample(rest, max(0, min(len(rest), SHORTLIST - len(headline))))
        noise = {q.id: rng.random() for q in choice}
        best = min(
            choice,
            key=lambda q: (
                _score(q, blocks, blocked_by, remaining, difficulty, noise[q.id])
                - CORE_PULL * (q.fact in headliners and q.fact not in asked_facts),
                q.id,
            ),
        )
        picked.append(best)
        asked.add(best.id)
        asked_facts.add(best.fact)
        prompts.add(best.prompt)
        if best.kind == "timeline":
            in_order.update(best.facts)
        seen |= shows[best.id]
        if best.kind in made:
            made[best.kind] += 1
        difficulty[best.difficulty] = difficulty.get(best.difficulty, 0) + 1
    return picked
