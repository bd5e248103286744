"""The save record's schema: pydantic at the edge where saves are read back.

Loaded only when a save is read, so starting a game does not pay for pydantic.
The format is documented in the README (format = 1).
"""

from __future__ import annotations

from typing import Annotated, Literal

from pydantic import BaseModel, ConfigDict, Field


class _Record(BaseModel):
    model_config = ConfigDict(extra="ignore", strict=True, frozen=True)


class AnswerRecord(_Record):
    question: str
    fact: str
    prompt: str = ""
    choice: int | None = None
    chosen: str = ""
    right: str = ""
    correct: bool
    seconds: Annotated[float, Field(ge=0)] | int
    points: int


class TeamRecord(_Record):
    name: str
    players: list[str]


class MatchRecord(_Record):
    """The hot-seat or team match a game belongs to (absent for a one-player game)."""

    id: str
    players: list[str]
    teams: list[TeamRecord] = []


class GameRecord(_Record):
    """One game as stored: what the leaderboard, history and review read."""

    format: Literal[1]
    id: str
    player: str
    deck: str
    deck_title: str = ""
    seed: int
    count: int
    mode: str = "tui"
    timer: int = 0
    status: Literal["finished", "in-progress", "quit"]
    started: str
    finished: str = ""
    score: int
    correct: int
    answered: int
    best_streak: int
    questions: list[str] = []
    answers: list[AnswerRecord] = []
    deck_path: str = ""  # the deck file the player named; only ever shown, never opened
    match: MatchRecord | None = None
