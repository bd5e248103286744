"""Facts that give their own answer away, whatever game they are in: `quiz audit`'s
fact faults and `quiz validate --strict`'s warnings share them.

Each is located at its fact: the clearly longest or only echoing choice, the odd
first word or register, a number whose place is not free, synonyms together,
mixed categories, an accepted answer named in its question, an estimate's number
in its question, an order that is the story's own order.
"""

from __future__ import annotations

from collections import Counter
from collections.abc import Iterable
from dataclasses import dataclass

from quiz.model import Deck, Fact
from quiz.questions.choices import LENGTH_RATIO
from quiz.questions.generate import Generator
from quiz.questions.meaning import odd_one
from quiz.questions.question import Question
from quiz.questions.words import first_word, words

CLEAR_GAP = 3  # characters: one more digit ("10th" against "9th") is no visible cue
RULE_SEEDS = 6  # each fact's questions are built with this many seeds for the rules below
RULE_SHARE = 0.5  # a cue that picks the right answer in more than this share of them is a fault


def longest_choice(question: Question) -> int | None:
    """The index of the clearly longest choice, if there is one.

    Clearly longest: over 1.25 times the next longest and at least 3 characters
    longer (one more digit in "10th" against "9th" is not a visible cue).
    """
    lengths = sorted(((len(c), i) for i, c in enumerate(question.choices)), reverse=True)
    if len(lengths) < 2:
        return None
    top, second = lengths[0][0], lengths[1][0]
    if top <= LENGTH_RATIO * second or top - second < CLEAR_GAP:
        return None
    return lengths[0][1]


def later(a: Fact, b: Fact) -> bool:
    """Whether a's event comes after b's (for facts whose order is implied)."""
    return bool(a.timeline and b.timeline and a.timeline.step > b.timeline.step)


def follows(generator: Generator, deck: Deck, question: Question) -> bool:
    """An order question whose items, first to last, each follow from the one before."""
    if question.kind != "order":
        return False
    facts = {f.id: f for f in deck.facts}
    items = [facts.get(i) for i in question.facts]  # first to last
    return len(items) == len(question.choices) and all(
        a is not None and b is not None and generator.ordered(a, b) and later(b, a)
        for a, b in zip(items, items[1:], strict=False)
    )


@dataclass(frozen=True)
class FactFault:
    """A fact whose own questions a player who knows nothing can answer."""

    path: tuple[str | int, ...]
    fact: str
    message: str


# What to do about a cue of the forms without choices (the others: give matching wrong answers).
ADVICE = {
    "is named by its question": "reword the question, or drop that accepted answer",
    "is in its question": "reword the question",
    "follows from cause and effect or the calendar": "ask events whose order does not",
}


def _cues_of(question: Question) -> list[str]:
    """The shape and meaning cues that each point at this question's right answer."""
    n = len(question.choices)
    if question.kind == "typed":
        # Any accepted answer's word in the stem types itself (the generator checks the first).
        named = frozenset().union(*map(words, question.accept)) & words(question.prompt)
        return ["is named by its question"] if named else []
    if question.kind == "estimate":
        number = words(question.answer_text) | {str(question.value)}
        return ["is in its question"] if number & words(question.prompt) else []
    if question.kind not in ("multiple", "reverse") or n < 3:
        return []
    out = []
    if longest_choice(question) == question.answer:
        out.append("is clearly the longest choice")
    prompt = words(question.prompt)
    echo = [i for i in range(n) if words(question.choices[i]) & prompt]
    if echo == [question.answer]:
        out.append("is the only choice that echoes a word of the question")
    starts = [first_word(c) for c in question.choices]
    counts = Counter(starts)
    if len(counts) == 2 and counts[starts[question.answer]] == 1:
        out.append("is the only choice with its first word")
    odd = odd_one(question.choices)
    if odd is not None and odd[0] == question.answer:
        out.append(f"is {odd[1]}")
    return out


def fact_faults(deck: Deck) -> list[FactFault]:
    """Facts whose questions give their answer away by shape or meaning, and why.

    Each fact's questions are built with several seeds; a cue that points at the
    right answer in most of them (the clearly longest choice, the only one that
    echoes the question, the odd first word, the only moderate, positive or
    absolute choice) is a fault of the fact, whatever the rest of the deck does.
    So are numbers whose place among the shown values is not free, two
    synonyms shown together, mixed categories and timelines whose order follows
    from cause and effect.
    """
    from quiz.questions.choices import NUMERIC, rank_count
    from quiz.questions.meaning import synonym_index, synonym_key

    synonyms = synonym_index(deck.synonyms)
    generators = [Generator(deck, seed) for seed in range(RULE_SEEDS)]
    dates = {source.id: source.date for source in deck.sources}
    out: list[FactFault] = []
    for index, fact in enumerate(deck.facts):
        where: tuple[str | int, ...] = ("facts", index)
        for answer, at in (
            (fact.answer, "answer"),
            (fact.reverse.answer if fact.reverse else None, "reverse"),
        ):
            if answer is None or not isinstance(answer, NUMERIC):
                continue
            accept = fact.accept if at == "answer" else fact.reverse.accept if fact.reverse else ()
            ranks = rank_count(answer, accept, dates.get(fact.source))
            if 0 < ranks < 4:
                out.append(
                    FactFault(
                        where + ((at,) if at == "answer" else ("reverse", "answer")),
                        fact.id,
                        f"the right value can take only {ranks} of 4 places among the shown "
                        "numbers, so its place gives it away (the latest year, the last place)",
                    )
                )
        cues: Counter[tuple[str, str]] = Counter()
        built: Counter[str] = Counter()
        for generator in generators:
            for question_id in generator.forms(fact):
                q = generator.build(fact, question_id)
                if q is None:
                    continue
                form = question_id.rsplit("/", 1)[-1]
                built[form] += 1
                for cue in _cues_of(q):
                    cues[(form, cue)] += 1
                groups = [synonym_key(synonyms, c) for c in q.choices]
                named = [g for g in groups if g is not None]
                if len(named) != len(set(named)):
                    cues[(form, "shows two synonyms together")] += built[form]
                if q.kind == "timeline" and _chained(generator, deck, q):
                    cues[(form, "asks an order that cause and effect give away")] += built[form]
                if follows(generator, deck, q):
                    cues[(form, "follows from cause and effect or the calendar")] += 1
        for (form, cue), times in sorted(cues.items()):
            if times > RULE_SHARE * built[form]:
                share = min(100, round(100 * times / built[form]))
                advice = ADVICE.get(cue, "give wrong answers that match it")
                out.append(
                    FactFault(
                        where + ("answer",),
                        fact.id,
                        f"in {share}% of its {form} questions the right answer {cue}; {advice}",
                    )
                )
        out.extend(_category_faults(deck, where, fact))
    return out


def _chained(generator: Generator, deck: Deck, question: Question) -> bool:
    facts = {f.id: f for f in deck.facts}
    events = [facts[i] for i in question.facts if i in facts]
    return any(generator.ordered(a, b) for k, a in enumerate(events) for b in events[k + 1 :])


def _category_faults(deck: Deck, where: tuple[str | int, ...], fact: Fact) -> Iterable[FactFault]:
    """A pool answer without a category in a pool that has them mixes populations."""
    from quiz.model import PoolAnswer

    for answer, at in (
        (fact.answer, ("answer",)),
        (fact.reverse.answer if fact.reverse else None, ("reverse", "answer")),
    ):
        if not isinstance(answer, PoolAnswer):
            continue
        info = deck.pool_info.get(answer.pool, {})
        categories = {meta.category for meta in info.values() if meta.category}
        mine = info[answer.value].category if answer.value in info else None
        if categories and mine is None:
            yield FactFault(
                where + at,
                fact.id,
                f"the pool '{answer.pool}' has categories ({', '.join(sorted(categories))}) but "
                f"'{answer.value}' has none, so its wrong answers mix them; give it one",
            )
