"""A question as asked, and its stable id: what front ends show and saves keep.

``cues`` (see quiz.questions.words) are the words that would give a question away
if they were on screen before it.
"""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass, field

from quiz.questions.words import words

TRUE, FALSE = "True", "False"

# The forms a game can ask, as `--kinds` names them ("multiple" includes the
# reverse form, asked the other way round). The last three have no choices to
# pick from: the player types the answer, gives a number, or orders the items.
KINDS = ("multiple", "boolean", "timeline", "typed", "estimate", "order")
UNCHOSEN = frozenset({"typed", "estimate", "order"})


def kind_group(kind: str) -> str:
    """The `--kinds` name of a question's kind: "reverse" is a multiple-choice form."""
    return "multiple" if kind == "reverse" else kind


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
    # The forms without choices (`UNCHOSEN`); ``answer`` is -1 for typed and estimate,
    # and ``choices`` are an order question's items as shown.
    answer_text: str = ""  # the right answer as shown after the question
    accept: tuple[str, ...] = ()  # typed: what counts as right, the fact's answer first
    refuse: tuple[str, ...] = ()  # typed: wrong values never taken, however close
    value: int | None = None  # estimate: the right number
    tolerance: int = 0  # estimate: how far off still earns part of the points
    low: int | None = None  # estimate: the range the number lies in, as the deck bounds it
    high: int | None = None
    unit: str = ""  # estimate: "place" for a position, "year", or the fact's unit ("laps")
    order: tuple[int, ...] = ()  # order: the items' indexes from first to last

    @property
    def right(self) -> str:
        """The right answer as shown: the right choice, or the answer of a form without choices."""
        if self.kind in UNCHOSEN:
            return self.answer_text
        return self.choices[self.answer]

    @property
    def unchosen(self) -> bool:
        """A form without choices to pick from: typed, estimate or order."""
        return self.kind in UNCHOSEN

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
        if self.kind in ("timeline", "order"):
            shown.extend(self.choices)
        # The words of each text, not of the texts joined: the same as one text
        # (words never run across the space between them), but each is cached,
        # and a fact's forms share their explanation, and a deck's facts their source.
        return frozenset().union(*map(words, shown))

    def as_dict(self) -> dict[str, object]:
        """The public JSON form (`quiz preview --format json`), by kind.

        Multiple choice, true/false and timeline: ``choices`` and ``answer`` (an
        index). typed: ``answer_text`` and ``accept``; estimate: ``answer_value``,
        ``tolerance`` and ``range``; order: ``items`` as shown and ``order`` (their
        indexes from first to last). Forms without choices have no ``choices``.
        """
        out: dict[str, object] = {
            "id": self.id,
            "fact": self.fact,
            "kind": self.kind,
            "prompt": self.prompt,
        }
        if self.kind == "typed":
            out.update(answer_text=self.answer_text, accept=list(self.accept))
        elif self.kind == "estimate":
            out.update(
                answer_value=self.value,
                answer_text=self.answer_text,
                tolerance=self.tolerance,
                range=[self.low, self.high],
                unit=self.unit,
            )
        elif self.kind == "order":
            out.update(items=list(self.choices), order=list(self.order))
        else:
            out.update(choices=list(self.choices), answer=self.answer)
        out.update(explanation=self.explanation, source=self.source, difficulty=self.difficulty)
        return out
