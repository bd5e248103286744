"""The save record's one schema: what is read is checked by it, and written back by it.

Loaded only when a save is read, so playing a game never pays for pydantic.
The fields, their order, what is left out when empty and the bounds are
quiz.saves.gamefile's, which writes a game as plain data: these models are
checked against its field lists as this module loads, and write a record back
through the same `as_written`, so a save read and written again is the same
file, byte for byte. The format is documented in the README (format = 1).

Anyone with the save folder can edit a save, so every field is bounded here,
where it is read: numbers have ranges (no 5,000-digit score, no infinite
seconds), text has a length limit and is made display-safe with the shared
`quiz.text.clean`, and timestamps must look like timestamps. A save that
breaks a bound is damaged: quiz.saves.folder moves it aside and plays on.
"""

from __future__ import annotations

from typing import Annotated, Any, Literal

from pydantic import (
    AfterValidator,
    BaseModel,
    ConfigDict,
    Field,
    StringConstraints,
    model_validator,
)

from quiz.model import GameStatus
from quiz.saves.gamefile import (
    ANSWER_FIELDS,
    GAME_FIELDS,
    MATCH_FIELDS,
    MAX_CHOICE,
    MAX_TEXT,
    ORDER_ITEMS,
    TEAM_FIELDS,
    as_written,
)
from quiz.saves.gamefile import (
    MAX_INT as MAX_INT,
)
from quiz.saves.gamefile import (
    MAX_QUESTIONS as MAX_QUESTIONS,
)
from quiz.saves.gamefile import (
    MAX_SECONDS as MAX_SECONDS,
)
from quiz.text import clean

Count = Annotated[int, Field(ge=0, le=MAX_INT)]
Signed = Annotated[int, Field(ge=-MAX_INT, le=MAX_INT)]


Short = Annotated[str, StringConstraints(max_length=300), AfterValidator(clean)]
Long = Annotated[str, StringConstraints(max_length=2_000), AfterValidator(clean)]
# "2026-11-23T20:15:00+00:00" and the like: digits, T, colons, dots, signs, Z.
Stamp = Annotated[str, StringConstraints(max_length=40, pattern=r"^[0-9T:.+Z-]*$")]


def _kept_as_typed(text: str) -> str:
    """A typed answer is kept cleaned: one that is not was not written by quiz."""
    if clean(text) != text:
        raise ValueError("holds control, bidi or invisible characters")
    return text


def _each_once(order: list[int]) -> list[int]:
    if len(set(order)) != len(order):
        raise ValueError("names an item twice")
    return order


Typed = Annotated[str, StringConstraints(max_length=MAX_TEXT), AfterValidator(_kept_as_typed)]
Order = Annotated[
    list[Annotated[int, Field(ge=0, lt=ORDER_ITEMS[1])]],
    Field(min_length=ORDER_ITEMS[0], max_length=ORDER_ITEMS[1]),
    AfterValidator(_each_once),
]
Credit = (
    Annotated[float, Field(ge=0, le=1, allow_inf_nan=False)] | Annotated[int, Field(ge=0, le=1)]
)


class _Record(BaseModel):
    # extra="ignore" is for reading a save from a later version only: everything
    # this version writes is a field here, since the record is built by this model.
    model_config = ConfigDict(extra="ignore", strict=True, frozen=True, allow_inf_nan=False)


class AnswerRecord(_Record):
    question: Short
    fact: Short
    prompt: Long = ""
    correct: bool
    seconds: (
        Annotated[float, Field(ge=0, le=MAX_SECONDS, allow_inf_nan=False)]
        | Annotated[int, Field(ge=0, le=int(MAX_SECONDS))]
    )
    points: Signed
    right: Long = ""
    choice: Annotated[int, Field(ge=0, le=MAX_CHOICE)] | None = None  # absent: no choice made
    chosen: Long = ""  # what the player gave, as shown (absent: nothing to show)
    text: Typed | None = None  # a typed answer
    value: Signed | None = None  # an estimate
    order: Order | None = None  # an order question's items, as the player put them
    credit: Credit | None = None  # absent: 1 when correct, else 0
    # A live room's round (1-based; issue 26); absent: no rounds, or a save from before.
    round: Annotated[int, Field(ge=1, le=MAX_QUESTIONS)] | None = None

    @model_validator(mode="after")
    def _verdict_is_what_it_records(self) -> AnswerRecord:
        """An answer's verdict agrees with what it records (not re-judged against the deck,
        which changes between versions): a choice marked right is the right answer, and a
        wrong answer without a share of the points earns none. A save edited to say more is
        corrupt, not believed, as one whose score is not its answers' is. (A choice marked
        wrong may read as the answer: two choices can clean to the same text.)"""
        given = (self.text, self.value, self.order)
        chose = self.choice is not None and given == (None, None, None)
        if chose and self.correct and self.chosen != self.right:
            raise ValueError("it is marked right, but the choice it records is not the answer")
        if not self.correct and self.credit is None and self.points != 0:
            raise ValueError(f"it is marked wrong, but earns {self.points} points")
        return self


class TeamRecord(_Record):
    name: Short
    players: Annotated[list[Short], Field(max_length=8)]


class MatchRecord(_Record):
    """The hot-seat or team match a game belongs to (absent for a one-player game)."""

    id: Short
    players: Annotated[list[Short], Field(max_length=8)]
    teams: Annotated[list[TeamRecord], Field(max_length=8)] = []


class GameRecord(_Record):
    """One game as stored: what the leaderboard, history and review read."""

    format: Literal[1]
    id: Annotated[str, StringConstraints(min_length=1, max_length=64), AfterValidator(clean)]
    player: Short
    deck: Short
    deck_title: Long = ""
    seed: Annotated[int, Field(ge=0, le=2**63)]
    count: Annotated[int, Field(ge=0, le=MAX_QUESTIONS)]
    # Not GameMode: a save from a later version may name a mode this one lacks.
    mode: Annotated[str, StringConstraints(max_length=20, pattern=r"^[a-z-]*$")] = "tui"
    timer: Annotated[int, Field(ge=0, le=3600)] = 0
    status: GameStatus
    started: Stamp
    score: Signed
    correct: Count
    answered: Count
    best_streak: Count
    questions: Annotated[list[Short], Field(max_length=MAX_QUESTIONS)] = []
    answers: Annotated[list[AnswerRecord], Field(max_length=MAX_QUESTIONS)] = []
    finished: Stamp = ""
    deck_path: Long = ""  # the deck file the player named; only ever shown, never opened
    team: Short = ""  # a live room's team (issue 26); absent: none, or a save from before
    match: MatchRecord | None = None

    @model_validator(mode="after")
    def _score_is_its_answers(self) -> GameRecord:
        """The score and the right answers are what the answers give (`Game.score`'s rule,
        the sum of their points): a save edited to say more is corrupt, not believed."""
        points = sum(a.points for a in self.answers)
        if self.score != points:
            raise ValueError(f"its score {self.score} is not its answers' {points} points")
        right = sum(a.correct for a in self.answers)
        if self.correct != right:
            raise ValueError(f"it says {self.correct} right, but {right} of its answers are")
        return self

    def to_dict(self) -> dict[str, Any]:
        """The record as TOML-ready data, as quiz.saves.gamefile writes it."""
        return as_written(self.model_dump())

    def to_toml(self) -> str:
        """The record as the text of its save file."""
        import tomli_w

        return tomli_w.dumps(self.to_dict())


# One field list, written and read: a field modelled here but not written, or
# written but not modelled (dropped on reading), is a mistake found at once.
for _model, _fields in (
    (GameRecord, GAME_FIELDS),
    (AnswerRecord, ANSWER_FIELDS),
    (MatchRecord, MATCH_FIELDS),
    (TeamRecord, TEAM_FIELDS),
):
    if tuple(_model.model_fields) != _fields:
        raise RuntimeError(f"{_model.__name__} and quiz.saves.gamefile disagree on the fields")
