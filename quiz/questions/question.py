"""A question as asked, and its stable id: what front ends show and saves keep.

``cues`` (see quiz.questions.words) are the words that would give a question away
if they were on screen before it.
"""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass, field

from quiz.questions.words import words

TRUE, FALSE = "True", "False"


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
