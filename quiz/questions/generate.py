"""Facts -> questions: several forms per fact, plausible wrong answers, seeded.

Every question is built from its own `random.Random` seeded with the quiz seed
and the question's stable id, so a question looks the same whichever quiz it
lands in, on any machine. Selection uses a second seeded generator.

The game is planned from these questions in quiz.questions.plan.
"""

from __future__ import annotations

import random
from collections.abc import Iterable, Iterator
from typing import Any

from quiz.model import (
    Answer,
    BooleanAnswer,
    Deck,
    Fact,
    IntegerAnswer,
    OrdinalAnswer,
    QuoteAnswer,
    TextAnswer,
    YearAnswer,
)
from quiz.questions.choices import (
    NUMERIC,
    RANKS,
    format_value,
    in_sentence,
    number_axis,
    number_ladders,
    sort_key,
    wrong_answers,
)
from quiz.questions.meaning import absolute_added, implied_order, related
from quiz.questions.memo import per_deck
from quiz.questions.question import FALSE, TRUE, Question, QuestionId
from quiz.questions.unchosen import (
    ORDER_ITEMS,
    estimate_question,
    order_events_question,
    order_values_question,
    typed_question,
    typed_sets,
    value_group,
)
from quiz.questions.words import YEAR, cue_words

TIMELINE_EVENTS = 4
DEALS = 8  # seeded deals of the numeric questions' places tried, the fewest clashes kept

# --- building questions ------------------------------------------------------------------


class Generator:
    """Builds the questions of one deck for one seed."""

    def __init__(self, deck: Deck, seed: int | str) -> None:
        self.deck = deck
        self.seed = seed
        self._timeline: dict[int, list[Fact]] | None = None
        self._order: set[tuple[str, str]] | None = None
        self._groups: dict[tuple[str, int | None, str], list[Fact]] | None = None
        self._ranks: dict[str, int] | None = None
        self._citations: dict[str, str] = {s.id: s.citation() for s in deck.sources}
        self._dates: dict[str, str | None] = {s.id: s.date for s in deck.sources}

    def rng(self, question_id: str) -> random.Random:
        """This game's draws for a question: the order its choices are shown in, whether
        a claim is true."""
        return random.Random(f"{self.seed}/{question_id}")

    def ranks(self) -> dict[str, int]:
        """The place each numeric question's right value takes among its four, dealt
        evenly over the deck's numeric questions (a seeded deal, the same in every game):
        drawn one by one, a small deck's few numbers could favour a place, and a player
        who plays again would learn it."""
        if self._ranks is None:
            numeric = [
                (QuestionId(fact.id, form).format(), fact, answer)
                for fact in self.deck.facts
                for form, answer in self._numeric_forms(fact)
            ]
            # Of a few seeded deals, the first whose ladders show the fewest of the other
            # numeric facts' answers ("8th" offered as a wrong place beside a fact whose
            # answer is 8th): such a value ties two questions together, and the planner
            # then keeps one of them out of most games.
            answers = {format_value(a, a.value) for _, _, a in numeric if isinstance(a, NUMERIC)}
            deal = random.Random(f"{self.deck.id}/ranks")
            best: tuple[int, dict[str, int]] | None = None
            for _ in range(DEALS):
                ids = [entry for entry in numeric]
                deal.shuffle(ids)
                start = deal.randrange(RANKS)  # so no place is dealt more often to any question
                ranks = {qid: (start + k) % RANKS for k, (qid, _, _) in enumerate(ids)}
                clashes = sum(
                    self._shows_another(fact, answer, ranks[qid], answers)
                    for qid, fact, answer in ids
                )
                if best is None or clashes < best[0]:
                    best = (clashes, ranks)
            self._ranks = best[1] if best is not None else {}
        return self._ranks

    def _shows_another(self, fact: Fact, answer: Answer, rank: int, answers: set[str]) -> bool:
        """Whether every ladder at ``rank`` offers another numeric fact's answer."""
        limit = self._dates.get(fact.source)
        own = format_value(answer, answer.value) if isinstance(answer, NUMERIC) else ""
        ladders = [
            ladder for ladder in number_ladders(answer, fact.accept, limit) if rank in ladder[1]
        ]
        if not ladders:
            return False
        axis = number_axis(answer, limit)
        for step, _ in ladders:
            bottom = axis.at - rank * step
            shown = {format_value(answer, axis.value(bottom + k * step)) for k in range(RANKS)}
            if not (shown - {own}) & answers:
                return False
        return True

    @staticmethod
    def _numeric_forms(fact: Fact) -> list[tuple[str, Answer]]:
        forms: list[tuple[str, Answer]] = []
        if fact.form not in (None, "multiple"):
            return forms  # never asked with four numbers: dealing it a place would skew the rest
        if isinstance(fact.answer, NUMERIC):
            forms.extend((f"multiple-{i + 1}", fact.answer) for i in range(len(fact.questions)))
        if fact.reverse is not None and isinstance(fact.reverse.answer, NUMERIC):
            forms.append(("reverse", fact.reverse.answer))
        return forms

    def fixed(self, question_id: str) -> random.Random:
        """The draws that are the same in every game: which wrong answers a question
        offers, a false claim's detail, the items of an order. A player who plays again
        then meets the same choices, in another order: comparing games shows nothing
        but the facts (if the wrong answers changed, the right one would be the choice
        every game has)."""
        return random.Random(f"{self.deck.id}/{question_id}")

    def forms(self, fact: Fact) -> list[str]:
        """The question ids one fact can give, in a fixed order (the deck's own: kept)."""
        memo = per_deck(self.deck)
        key = ("forms", id(fact))
        held = memo.get(key)
        if held is None or held[0] is not fact:
            held = memo[key] = (fact, tuple(self._forms(fact)))
        return list(held[1])

    def _forms(self, fact: Fact) -> list[str]:
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
        if typed_sets(self.deck, fact) is not None:
            forms.extend(f"typed-{i + 1}" for i in range(len(fact.questions)))
        if isinstance(fact.answer, (OrdinalAnswer, IntegerAnswer, YearAnswer)):
            forms.extend(f"estimate-{i + 1}" for i in range(len(fact.questions)))
        if fact.timeline is not None:
            forms.append("order-events")
            key = value_group(fact)
            if key is not None and len(self.groups().get(key, ())) >= ORDER_ITEMS[0]:
                forms.append("order-values")
        if fact.form is not None:
            # Kept to one form (an imported question keeps the form it came in).
            forms = [
                form for form in forms if form == fact.form or form.startswith(f"{fact.form}-")
            ]
        return [QuestionId(fact.id, form).format() for form in forms]

    def groups(self) -> dict[tuple[str, int | None, str], list[Fact]]:
        """Facts whose numbers can be put in order, by `value_group`."""
        if self._groups is None:
            self._groups = {}
            for fact in self.deck.facts:
                key = value_group(fact)
                if key is not None:
                    self._groups.setdefault(key, []).append(fact)
        return self._groups

    def citation(self, fact: Fact) -> str:
        return self._citations.get(fact.source, fact.source)

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
        years = [YEAR.findall(f.timeline.event) if f.timeline else [] for f in (a, b)]
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
        fixed = self.fixed(question_id)
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
                fixed,
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
                fixed,
                common,
                limit,
            )
        if form == "boolean":
            return self._boolean(question_id, fact, rng, common, limit)
        if form == "timeline":
            return self._timeline_question(question_id, fact, rng, fixed, common)
        if form.startswith("typed-"):
            return typed_question(question_id, self.deck, fact, fact.questions[qid.wording], common)
        if form.startswith("estimate-"):
            prompt = fact.questions[qid.wording]
            return estimate_question(question_id, fact, prompt, common)
        if form == "order-events" and fact.timeline is not None:
            return order_events_question(
                question_id, fact, self.timeline(), self.ordered, fixed, rng, common, self.citation
            )
        if form == "order-values":
            key = value_group(fact)
            group = self.groups().get(key, []) if key is not None else []
            return order_values_question(
                question_id, fact, group, fixed, rng, common, self.citation
            )
        return None

    def _multiple(
        self,
        question_id: str,
        kind: str,
        prompt: str,
        answer: Answer,
        wrong: Iterable[int | str],
        accept: Iterable[int | str],
        rng: random.Random,
        fixed: random.Random,
        common: dict[str, Any],
        limit: str | None,
    ) -> Question | None:
        right = format_value(answer, answer.value)
        others = wrong_answers(
            answer,
            self.deck,
            wrong,
            accept,
            fixed,
            prompt=prompt,
            limit=limit,
            rank=self.ranks().get(question_id),
        )
        if not others:
            return None
        keyed = [
            (sort_key(answer, answer.value) if isinstance(answer, NUMERIC) else (), right),
            *others,
        ]
        if isinstance(answer, NUMERIC):
            # Numbers in order, the right one's rank dealt over the deck (ranks); either
            # way up, drawn per game: a rank is fixed per question, and the questions
            # asked most would otherwise pull the right answer to one place.
            keyed.sort(reverse=rng.random() < 0.5)
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
            random.Random(f"{self.deck.id}/{fact.id}/c"),
            count=len(fact.wrong) + 12,
            limit=limit,
        )
        # A false claim changes one detail to a near miss: never to a value that
        # brings in an absolute or extreme word ("only", "the whole season") the
        # truth lacks, which a reader would spot as the invented one.
        # The detail comes from the wrong answers the fact's first wording offers, in every
        # game the same one: a false claim whose detail changed from game to game would
        # leave the true value as the one claimed most often.
        first = QuestionId(fact.id, "multiple-1").format()
        offered = wrong_answers(
            answer,
            self.deck,
            fact.wrong,
            fact.accept,
            self.fixed(first),
            prompt=fact.questions[0] if fact.questions else "",
            limit=limit,
            rank=self.ranks().get(first),
        )
        misses = [(key, c) for key, c in offered if not absolute_added(right, c)]
        if not misses:
            return None  # a claim that could only ever be true is no question
        if isinstance(answer, NUMERIC):
            # The nearest wrong number: a far one ("March", for a deal announced before
            # the season opened in February) is false on its face.
            at = _point(sort_key(answer, answer.value))
            misses.sort(key=lambda miss: abs(_point(miss[0]) - at))
        shown = right if truth else misses[0][1]
        claim = _claimed(fact.claim, in_sentence(answer, shown))
        if not truth:
            corrected = _claimed(fact.claim, in_sentence(answer, right))
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
        self,
        question_id: str,
        fact: Fact,
        rng: random.Random,
        fixed: random.Random,
        common: dict[str, Any],
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
        fixed.shuffle(sides)  # the events are the same in every game; only their order changes
        first = False  # this fact's event is the first of the four (the others are later)
        for later, side in sides:
            # Three events of three steps, none of whose order follows from another's.
            for _attempt in range(8):
                picked: list[Fact] = []
                for other in fixed.sample(side, len(side)):
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


def _claimed(claim: str, value: str) -> str:
    """The claim with a value in it; one that opens the sentence starts with a capital."""
    said = claim.replace("{answer}", value)
    return said[:1].upper() + said[1:] if claim.startswith("{answer}") else said


def _point(key: tuple[int, ...]) -> int:
    """A value's sort key as one number on its line: months and days counted through."""
    if len(key) == 2:
        return key[0] * 12 + key[1]
    if len(key) == 3:
        return key[0] * 372 + key[1] * 31 + key[2]
    return key[0]
