"""Issue 25's forms in the room: what answer a question takes, what a player gave, and the
host's counts for the forms without choices.

The verdict is never the room's: it is the game's (`quiz.game.judge` through
`Game.answer`). Here: which of an answer frame's fields a question's kind
takes (`fitted`, for the room and for a resumed record alike), what a player
gave as the reveal says it (`given`, `credit_of`, `off_of`), and what the host's
projector shows once a question closes (`tally`): counts only, never a
player's typed text.
"""

from __future__ import annotations

from collections.abc import Iterable, Sequence
from dataclasses import dataclass

from quiz.game.judge import estimate_line, given_text, parse_answer, parse_text
from quiz.game.play import Answer
from quiz.questions.question import KINDS, Question
from quiz.room.wire import RoomError
from quiz.text import clean

CLOSEST = 5  # estimates named on the host's screen, closest first


def planned_kinds(kinds: Iterable[str]) -> tuple[str, ...]:
    """Question forms as a room keeps them: each once, in `KINDS` order."""
    wanted = set(kinds)
    return tuple(k for k in KINDS if k in wanted)


def fitted(
    asked: Question,
    number: int,
    choice: int | None,
    text: str | None,
    value: int | None,
    order: Sequence[int] | None,
) -> str | None:
    """Check that an answer is the one ``asked``'s kind takes; the typed text as it is kept.

    A player's text is cleaned (`quiz.game.judge.parse_text`, as every front end
    does) before it is judged or kept; an order must place every item once.
    """
    wants = {"typed": "text", "estimate": "value", "order": "order"}.get(asked.kind, "choice")
    given = {"choice": choice, "text": text, "value": value, "order": order}
    sent = [name for name, v in given.items() if v is not None]
    if sent != [wants]:
        what = " and ".join(sent) or "nothing"
        raise RoomError(
            "bad-message",
            f"question {number} is a {asked.kind} question: answer with {wants}, not {what}",
        )
    if choice is not None and not 0 <= choice < len(asked.choices):
        raise RoomError(
            "bad-message", f"choice must be 0 to {len(asked.choices) - 1}, not {choice}"
        )
    if order is not None and sorted(order) != list(range(len(asked.choices))):
        n = len(asked.choices)
        raise RoomError(
            "bad-message", f"order must place each of the {n} items (0 to {n - 1}) once"
        )
    if value is not None:
        # The range the question shows, checked by the one rule every front end asks
        # again by (`parse_answer`: "Type a number from 1st to 40th."); the question
        # stays open for this player.
        asked_again = parse_answer(asked, str(value))
        if isinstance(asked_again, str):
            raise RoomError("bad-message", asked_again)
    if text is None:
        return None
    kept = parse_text(text)
    if kept is None:
        raise RoomError("bad-message", "text: type your answer in words")
    return kept


def given(asked: Question, answer: Answer | None) -> str | None:
    """What a player gave to ``asked``, as shown back to them (None: no answer)."""
    if answer is None or nothing_given(answer):
        return None
    return given_text(asked, answer.text, answer.value, answer.order, answer.choice) or None


def credit_of(answer: Answer) -> float:
    """The share of the points an answer earned (0 to 1)."""
    if answer.credit is not None:
        return answer.credit
    return 1.0 if answer.correct else 0.0


def off_of(asked: Question, answer: Answer) -> int | None:
    """How far an estimate was from the right number; None for other forms or no answer."""
    if asked.kind != "estimate" or answer.value is None or asked.value is None:
        return None
    return abs(answer.value - asked.value)


def nothing_given(answer: Answer) -> bool:
    """No answer: the time ran out, or the question closed first."""
    return (
        answer.choice is None and answer.text is None and answer.value is None and not answer.order
    )


@dataclass(frozen=True)
class Tally:
    """A closed question's answers as the host's screen counts them (typed text never shown)."""

    counts: tuple[tuple[str, int], ...]  # ("right", 3), ("wrong", 1), ("no answer", 2)
    # estimate: the closest answers, nearest first (ties by time), as (name, how close)
    closest: tuple[tuple[str, str], ...] = ()

    def line(self) -> str:
        """ "3 right, 1 wrong, 2 no answer"."""
        return ", ".join(f"{n} {what}" for what, n in self.counts)

    def closest_line(self) -> str | None:
        """ "Closest: Ann (exact), Ben (2 places off)"; None when nobody gave a number."""
        if not self.closest:
            return None
        return "Closest: " + ", ".join(f"{clean(name)} ({how})" for name, how in self.closest)


def tally(asked: Question, answers: Iterable[tuple[str, Answer]]) -> Tally | None:
    """The host's counts for a typed, estimate or order question (None for the choice kinds:
    the host shows the count of each choice)."""
    if not asked.unchosen:
        return None
    given = [(name, a) for name, a in answers]
    none = sum(nothing_given(a) for _, a in given)
    answered = [(name, a) for name, a in given if not nothing_given(a)]
    if asked.kind == "typed":
        right = sum(a.correct for _, a in answered)
        counts: tuple[tuple[str, int], ...] = (
            ("right", right),
            ("wrong", len(answered) - right),
            ("no answer", none),
        )
        return Tally(counts)
    if asked.kind == "order":
        full = sum(credit_of(a) >= 1 for _, a in answered)
        part = sum(0 < credit_of(a) < 1 for _, a in answered)
        counts = (
            ("all right", full),
            ("partly", part),
            ("none right", len(answered) - full - part),
            ("no answer", none),
        )
        return Tally(counts)
    exact = sum(a.correct for _, a in answered)
    close = sum(not a.correct and credit_of(a) > 0 for _, a in answered)
    counts = (
        ("exact", exact),
        ("close", close),
        ("off", len(answered) - exact - close),
        ("no answer", none),
    )
    near = sorted(
        (
            (off_of(asked, a) or 0, a.seconds, name, a)
            for name, a in answered
            if a.value is not None
        ),
        key=lambda t: (t[0], t[1]),
    )[:CLOSEST]
    closest = tuple(
        (name, "exact" if off == 0 else estimate_line(asked, a.value or 0).rstrip(".").lower())
        for off, _, name, a in near
    )
    return Tally(counts, closest)


def how_to_answer(asked: Question) -> str | None:
    """What players do to answer a question without choices, as the host's screen says it."""
    if asked.kind == "typed":
        return "Players type the answer."
    if asked.kind == "order":
        return "Players put these in order, first to last."
    if asked.kind != "estimate":
        return None

    def shown(value: int) -> str:
        return given_text(asked, None, value, None, None)

    if asked.low is not None and asked.high is not None:
        return f"Players give a number, {shown(asked.low)} to {shown(asked.high)}."
    if asked.low is not None:
        return f"Players give a number, {shown(asked.low)} or more."
    if asked.high is not None:
        return f"Players give a number, {shown(asked.high)} at most."
    return "Players give a number."
