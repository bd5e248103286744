"""The save record's one schema: what is read is checked by it, and written back by it.

Loaded only when a save is read, so playing a game never pays for pydantic:
quiz.saves.folder.game_record writes the same fields, in the same order, as
plain data, and tests/unit/test_saves_record.py holds the two to each other
(a game written, read and written again is the same file, byte for byte, so
no field is written that this schema would drop). The format is documented
in the README (format = 1).

Anyone with the save folder can edit a save, so every field is bounded here,
where it is read: numbers have ranges (no 5,000-digit score, no infinite
seconds), text has a length limit and is made display-safe with the shared
`quiz.text.clean`, and timestamps must look like timestamps. A save that
breaks a bound is damaged: quiz.saves.folder moves it aside and plays on.
"""

from __future__ import annotations

from typing import Annotated, Any, Literal

from pydantic import AfterValidator, BaseModel, ConfigDict, Field, StringConstraints

from quiz.model import GameStatus
from quiz.text import clean

MAX_INT = 10**12
MAX_SECONDS = 10.0**7
MAX_QUESTIONS = 100_000 * 8

Count = Annotated[int, Field(ge=0, le=MAX_INT)]
Signed = Annotated[int, Field(ge=-MAX_INT, le=MAX_INT)]


Short = Annotated[str, StringConstraints(max_length=300), AfterValidator(clean)]
Long = Annotated[str, StringConstraints(max_length=2_000), AfterValidator(clean)]
# "2026-11-23T20:15:00+00:00" and the like: digits, T, colons, dots, signs, Z.
Stamp = Annotated[str, StringConstraints(max_length=40, pattern=r"^[0-9T:.+Z-]*$")]


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
    choice: Annotated[int, Field(ge=0, le=25)] | None = None  # absent: no answer given
    chosen: Long = ""  # written only with a choice


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
    match: MatchRecord | None = None

    def to_dict(self) -> dict[str, Any]:
        """The record as TOML-ready data: TOML has no null, so what is absent is left out."""
        data = self.model_dump()
        for item in data["answers"]:
            if item["choice"] is None:
                del item["choice"], item["chosen"]
        for key in ("finished", "deck_path"):
            if not data[key]:
                del data[key]
        if data["match"] is None:
            del data["match"]
        elif not data["match"]["teams"]:
            del data["match"]["teams"]
        return data

    def to_toml(self) -> str:
        """The record as the text of its save file."""
        import tomli_w

        return tomli_w.dumps(self.to_dict())
