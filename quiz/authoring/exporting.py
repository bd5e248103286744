"""Which questions of a deck go out to another tool, one per fact, in the forms it holds.

Each format holds some of the forms (`FORMATS`); ``--kinds`` says which forms to
prefer, and a fact that gives only forms a format has not is counted, by form,
for the export's note. A multiple-choice question always goes out with three
wrong answers, as the formats and an import need.
"""

from __future__ import annotations

from collections import Counter
from collections.abc import Callable, Sequence
from dataclasses import dataclass, field

from quiz.deckfile.limits import CHOICE_MAX
from quiz.model import BooleanAnswer, Deck, Fact, PoolAnswer
from quiz.questions.generate import Generator
from quiz.questions.meaning import synonym_index, synonym_key
from quiz.questions.plan import DEFAULT_KINDS
from quiz.questions.question import FALSE, KINDS, TRUE, Question, QuestionId
from quiz.text import fold, plural

WRONG_PER_QUESTION = 3  # what Open Trivia DB's multiple choice and the CSV's columns hold
# The forms each format can hold; the others are left out with a note.
FORMATS = {
    "gift": ("multiple", "boolean", "typed", "estimate"),
    "csv": ("multiple", "boolean", "typed", "estimate"),
    "opentdb": ("multiple", "boolean"),
    "kahoot": ("multiple", "boolean"),
    "moodle-xml": ("multiple", "boolean", "typed", "estimate"),
    "aiken": ("multiple",),
}
TIMELINE = "it asks about several facts, and an export asks each fact once"
WHY_NOT = {
    "gift": {"order": "GIFT has no ordering question", "timeline": TIMELINE},
    "csv": {"order": "the CSV has no ordering question", "timeline": TIMELINE},
    "opentdb": {
        "timeline": TIMELINE,
        "typed": "Open Trivia DB has no typed-answer question",
        "estimate": "Open Trivia DB has no numeric question",
        "order": "Open Trivia DB has no ordering question",
    },
    "kahoot": {
        "timeline": TIMELINE,
        "typed": "Kahoot's sheet has no typed-answer question",
        "estimate": "Kahoot's sheet has no numeric question",
        "order": "Kahoot's sheet has no ordering question",
    },
    "moodle-xml": {"order": "Moodle XML has no ordering question here", "timeline": TIMELINE},
    "aiken": {
        "timeline": TIMELINE,
        "boolean": "Aiken has only multiple choice",
        "typed": "Aiken has only multiple choice",
        "estimate": "Aiken has only multiple choice",
        "order": "Aiken has only multiple choice",
    },
}


# What an import writes where its source gave no explanation (a deck's fact needs
# one): written back out as no explanation, and never counted as one dropped.
NO_EXPLANATION = "No explanation was given."


def given_explanation(fact: Fact) -> str:
    """The fact's explanation as another tool should get it: "" for an import's stand-in."""
    return "" if fact.explanation == NO_EXPLANATION else fact.explanation


@dataclass(frozen=True)
class Exported:
    """One question as other tools see it."""

    kind: str  # "multiple", "boolean", "typed" or "estimate"
    difficulty: str
    question: str
    right: str  # an estimate's: the number's digits
    wrong: tuple[str, ...]
    explanation: str
    accept: tuple[str, ...] = ()  # typed: the other answers taken, besides ``right``
    tolerance: int = 0  # estimate: how far off still scores
    fact: str = ""  # the fact's id, for a note about this question


@dataclass
class Export:
    """The questions a format gets from a deck, and what the format could not hold.

    ``left_out`` counts the facts left out by form (a form the format has not);
    a writer counts in ``lost`` what it could not write, as (what, how, why):
    ("explanation", "dropped", "Kahoot has no field for them"), or ("question",
    "left out", why) for a question it left out whole (`leave_out`), with a
    line in ``details`` naming the fact.
    """

    questions: list[Exported]
    left_out: Counter[str] = field(default_factory=Counter)
    lost: Counter[tuple[str, str, str]] = field(default_factory=Counter)
    details: list[str] = field(default_factory=list)

    def drop(self, what: str, why: str) -> None:
        """One ``what`` (an explanation, a difficulty) not written: the format has no place for it."""
        self.lost[(what, "dropped", why)] += 1

    def leave_out(self, question: Exported, why: str) -> None:
        """A whole question not written, and the line that names its fact and says why."""
        self.lost[("question", "left out", why)] += 1
        self.details.append(f"[{question.fact}] left out: {why}")

    def notes(self, fmt: str) -> list[str]:
        """ "1 order question left out: GIFT has no ordering question", one per form."""
        return [
            f"{plural(count, kind + ' question')} left out: {WHY_NOT[fmt][kind]}"
            for kind, count in self.left_out.items()
        ]

    def summary(self, fmt: str) -> str:
        """The one line an export says: what was written, and everything it lost, with why.

        "12 questions; 2 explanations dropped: Kahoot has no field for them".
        """
        written = len(self.questions) - sum(
            n for (what, how, _), n in self.lost.items() if (what, how) == ("question", "left out")
        )
        parts = [plural(written, "question")]
        parts.extend(self.notes(fmt))
        parts.extend(
            f"{plural(count, what, what[:-1] + 'ies' if what.endswith('y') else None)} {how}: {why}"
            for (what, how, why), count in self.lost.items()
        )
        if len(parts) == 1:
            parts.append("nothing lost")
        return "; ".join(parts)


def export_kinds(kinds: Sequence[str] | None) -> tuple[str, ...]:
    """The forms to export, in the order preferred: ``kinds`` as given, else the game's
    default forms in `KINDS` order (multiple choice first, so one export stays the same)."""
    return tuple(kinds) if kinds is not None else tuple(k for k in KINDS if k in DEFAULT_KINDS)


def _forms(generator: Generator, fact: Fact, kind: str) -> list[str]:
    """The question ids that ask ``fact`` in this form, first wording first."""
    if kind == "boolean":
        return [f"{fact.id}/boolean"] if isinstance(fact.answer, BooleanAnswer) else []
    if kind == "multiple":
        return [QuestionId(fact.id, "multiple-1").format()]
    return [
        qid for qid in generator.forms(fact) if QuestionId.parse(qid).form.startswith(f"{kind}-")
    ]


def export_for(
    deck: Deck,
    kinds: Sequence[str] | None = None,
    fmt: str = "csv",
    tick: Callable[[int, int], None] | None = None,
) -> Export:
    """One question per fact: the first form of ``kinds`` (see `export_kinds`) that the
    fact gives and ``fmt`` holds, in its first wording, wrong answers drawn for seed 0.
    A fact that gives only forms ``fmt`` has not is counted as left out, by form.
    ``tick(done, total)`` is called as facts are done."""
    generator = Generator(deck, 0)
    holds = FORMATS[fmt]
    out = Export([])
    for number, fact in enumerate(deck.facts, 1):
        if tick is not None and (number % 200 == 0 or number == len(deck.facts)):
            tick(number, len(deck.facts))
        missed: str | None = None
        for kind in export_kinds(kinds):
            if kind == "timeline":
                # A timeline question asks about several facts, not this one's answer.
                missed = missed or ("timeline" if fact.timeline is not None else None)
                continue
            if isinstance(fact.answer, BooleanAnswer) != (kind == "boolean"):
                continue
            question = _build_first(generator, fact, kind)
            if question is None:
                continue
            if kind not in holds:
                missed = missed or kind
                continue
            out.questions.append(_exported(deck, fact, question))
            missed = None
            break
        if missed is not None:
            out.left_out[missed] += 1
    return out


def _build_first(generator: Generator, fact: Fact, kind: str) -> Question | None:
    if kind == "boolean":
        return Question(
            id=f"{fact.id}/boolean",
            fact=fact.id,
            kind="boolean",
            prompt=fact.questions[0],
            choices=(TRUE, FALSE),
            answer=0 if isinstance(fact.answer, BooleanAnswer) and fact.answer.value else 1,
            explanation=fact.explanation,
            source="",
            difficulty=fact.difficulty,
        )
    for qid in _forms(generator, fact, kind):
        question = generator.build(fact, qid)
        if question is not None:
            return question
    return None


def _exported(deck: Deck, fact: Fact, q: Question) -> Exported:
    if q.kind == "typed":
        return Exported(
            "typed",
            fact.difficulty,
            q.prompt,
            q.right,
            (),
            given_explanation(fact),
            q.accept[1:],
            fact=fact.id,
        )
    if q.kind == "estimate":
        assert q.value is not None
        return Exported(
            "estimate",
            fact.difficulty,
            q.prompt,
            str(q.value),
            (),
            given_explanation(fact),
            tolerance=q.tolerance,
            fact=fact.id,
        )
    if q.kind == "order":
        # Never written: no format holds it (FORMATS), so it is only counted.
        return Exported(
            "order", fact.difficulty, q.prompt, q.right, (), given_explanation(fact), fact=fact.id
        )
    if q.kind == "boolean":
        return Exported(
            "boolean", fact.difficulty, q.prompt, q.right, (), given_explanation(fact), fact=fact.id
        )
    wrong = tuple(c for k, c in enumerate(q.choices) if k != q.answer)
    return Exported(
        "multiple",
        fact.difficulty,
        q.prompt,
        q.right,
        _topped_up(deck, fact, q, wrong),
        given_explanation(fact),
        fact=fact.id,
    )


def _topped_up(deck: Deck, fact: Fact, q: Question, wrong: tuple[str, ...]) -> tuple[str, ...]:
    """Three wrong answers, as Open Trivia DB's multiple choice and the CSV's columns hold,
    and as an import needs: a question drawn with fewer (a synonym of a shown wrong answer
    dropped) gets the fact's next listed wrong answers (or pool values) that are not a
    shown answer, nor in a synonym group with one."""
    if len(wrong) >= WRONG_PER_QUESTION:
        return wrong
    groups = synonym_index(deck.synonyms)
    shown = [q.right, *wrong]
    taken = {fold(c) for c in shown}
    keys = {key for c in shown if (key := synonym_key(groups, c)) is not None}
    extra = [str(w) for w in fact.wrong]
    if isinstance(fact.answer, PoolAnswer):
        extra.extend(deck.pools.get(fact.answer.pool, ()))
    out = list(wrong)
    for value in extra:
        key = synonym_key(groups, value)
        if len(out) >= WRONG_PER_QUESTION:
            break
        if fold(value) in taken or (key is not None and key in keys) or len(value) > CHOICE_MAX:
            continue
        out.append(value)
        taken.add(fold(value))
        if key is not None:
            keys.add(key)
    return tuple(out)
