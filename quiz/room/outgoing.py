"""What the room sends: one pydantic model for each frame, and `OUTGOING`, which reads them.

The room builds each one from its models (quiz.room.protocol's builders), so
the answer never leaves before the reveal and a frame the protocol does not
allow fails at the room, not at a player. A client reads the same models
(`quiz.room.protocol.read`): numbers bounded, lists capped, a choice index
within what a client can show, every string cleaned on the way in; extra fields
are ignored (a newer room may say more).
"""

from __future__ import annotations

from typing import Annotated, Literal

from pydantic import (
    AfterValidator,
    BaseModel,
    ConfigDict,
    Field,
    TypeAdapter,
    model_validator,
)

from quiz.room.wire import (
    CHOICES,
    CHOSEN_KINDS,
    ITEMS_MAX,
    LIMIT,
    PODIUM_MAX,
    Count,
    ErrorCode,
    Int,
    Kind,
    Name,
    Number,
    Phase,
    Text,
)
from quiz.text import clean


class RoomFrame(BaseModel):
    """A frame from the room; bools are not numbers, and no inf or nan."""

    model_config = ConfigDict(extra="ignore", strict=True, frozen=True, allow_inf_nan=False)


class Welcome(RoomFrame):
    type: Literal["welcome"] = "welcome"
    name: Name
    token: Annotated[str, Field(min_length=1, max_length=64, pattern=r"^[A-Za-z0-9_-]+$")]
    players: Count = 0
    # Where the room is, so a late joiner is not told to wait for a start (a room
    # before issue 23 sends none: the lobby).
    phase: Phase = "lobby"
    # Issue 26: the room's teams (none: no teams), and the one this player is on
    # (null: not picked yet; the page shows the teams as buttons).
    teams: Annotated[list[Name], Field(max_length=8)] = []
    team: Name | None = None
    pick: bool = False  # whether the player picks (else the room shares players out)
    # Issue 26: self-paced homework (each player's next question follows their reveal, or
    # their `next`), and when it closes (ISO 8601 with its offset; "": when the host ends it).
    self_paced: bool = False
    until: Annotated[str, Field(max_length=40)] = ""


class TeamSet(RoomFrame):
    """The team a player is on now (after picking one)."""

    type: Literal["team"] = "team"
    team: Name


class RoundCard(RoomFrame):
    """A round's title card, before its first question (issue 26)."""

    type: Literal["round"] = "round"
    round: Number
    rounds: Number
    title: Name = ""


class Lobby(RoomFrame):
    type: Literal["lobby"] = "lobby"
    players: Annotated[list[Name], Field(max_length=10_000)] = []


class Asked(RoomFrame):
    """A question as players see it: never the answer, the explanation or the source."""

    type: Literal["question"] = "question"
    question: Number
    count: Number
    prompt: Text
    # Empty for typed, estimate and order (issue 25); an old room sends no kind.
    choices: Annotated[list[Text], Field(max_length=CHOICES)]
    seconds: Annotated[int, Field(ge=0, le=3600)] | None = None
    kind: Kind = "multiple"
    items: Annotated[list[Text], Field(max_length=ITEMS_MAX)] = []  # order: as shown
    # estimate: the range to show, as the deck bounds it (either may be unknown)
    low: Int | None = None
    high: Int | None = None
    unit: Annotated[str, Field(max_length=100), AfterValidator(clean)] = ""
    # estimate: how far off still earns part of the points (0: only exact), so a client
    # says it as `quiz play` does (quiz.game.judge.close_line); an older room sends none.
    tolerance: Annotated[int, Field(ge=0, le=LIMIT)] = 0
    # Issue 26: the round this question is in (1-based), of how many.
    round: Number = 1
    rounds: Number = 1

    @model_validator(mode="after")
    def _fits_kind(self) -> Asked:
        if self.kind in CHOSEN_KINDS and len(self.choices) < 2:
            raise ValueError(f"a {self.kind} question has at least 2 choices")
        if self.kind not in CHOSEN_KINDS and self.choices:
            raise ValueError(f"a {self.kind} question has no choices")
        if (self.kind == "order") != bool(self.items) or (self.items and len(self.items) < 2):
            raise ValueError("an order question, and only one, has 2 or more items")
        return self


class Answered(RoomFrame):
    type: Literal["answered"] = "answered"
    question: Number


class Reveal(RoomFrame):
    type: Literal["reveal"] = "reveal"
    question: Number
    # The right choice; null for typed, estimate and order (answer_text says it).
    answer: Annotated[int, Field(ge=0, lt=CHOICES)] | None
    correct: bool
    points: Int
    score: Int
    rank: Count
    players: Count
    explanation: Text = ""
    source: Text = ""
    # The player's own pick (null: no answer); absent from a room before issue 23.
    choice: Annotated[int, Field(ge=0, lt=CHOICES)] | None = None
    # Issue 25: what every kind reveals (a room before it sends none of these).
    kind: Kind = "multiple"
    answer_text: Text = ""  # the right answer as shown
    answer_value: Int | None = None  # estimate: the right number
    order: (
        Annotated[list[Annotated[int, Field(ge=0, lt=ITEMS_MAX)]], Field(max_length=ITEMS_MAX)]
        | None
    ) = None
    # The player's own: what they gave as shown (null: no answer), the share of the
    # points it earned, and how far an estimate was off.
    given: Text | None = None
    credit: Annotated[float, Field(ge=0, le=1)] | None = None
    off: Count | None = None
    # Issue 26: the points part by part, as the terminal says them ("500 base + 250
    # speed + 100 streak"; "" for none), and whether time ran out on a player who gave
    # no answer (so a page says "Time's up", never "Wrong"). A room before sends neither.
    breakdown: Text = ""
    timed_out: bool = False
    # Issue 26: the round the question was in (1-based), of how many, as its question said.
    round: Number = 1
    rounds: Number = 1


class Top(RoomFrame):
    name: Name
    score: Int
    # Ties share a place (1, 1, 3), as on the host's screen; null from a room before issue 26.
    place: Count | None = None


class Board(RoomFrame):
    type: Literal["leaderboard"] = "leaderboard"
    top: Annotated[list[Top], Field(max_length=100)] = []
    # Issue 26: a round's own board (the points scored in that round); null: the whole game.
    round: Number | None = None
    title: Name = ""


class TeamTop(RoomFrame):
    name: Name
    score: Int  # the mean of its members' counted scores, rounded
    place: Count
    players: Count


class TeamBoard(RoomFrame):
    """The teams' standings, after each reveal and before the end (issue 26)."""

    type: Literal["teams"] = "teams"
    teams: Annotated[list[TeamTop], Field(max_length=8)] = []


class Podium(RoomFrame):
    name: Name
    score: Int
    place: Count


class End(RoomFrame):
    type: Literal["end"] = "end"
    score: Int
    rank: Count
    correct: Count
    count: Count
    podium: Annotated[list[Podium], Field(max_length=PODIUM_MAX)] = []
    # Issue 26: false for a self-paced player who has played every question before the
    # homework closes (their place so far; the final results follow when it closes).
    final: bool = True
    # Issue 25: answers that earned part of the points (a near estimate, a partly right
    # order): "0/2 correct, 2 close". An older room sends none.
    close: Count = 0


class Error(RoomFrame):
    type: Literal["error"] = "error"
    code: ErrorCode
    message: Text = ""


Outgoing = (
    Welcome
    | Lobby
    | Asked
    | Answered
    | Reveal
    | Board
    | End
    | Error
    | TeamSet
    | RoundCard
    | TeamBoard
)
OUTGOING: TypeAdapter[Outgoing] = TypeAdapter(Annotated[Outgoing, Field(discriminator="type")])
