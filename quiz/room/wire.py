"""The room protocol's vocabulary: its limits, field types, phases, error codes and `RoomError`.

Both directions' frames (quiz.room.protocol: what a player sends;
quiz.room.outgoing: what the room sends) are built from these, and so is every
refusal of the room: a `RoomError` whose code is one of `ErrorCode`, sent back
as an `Error` frame.
"""

from __future__ import annotations

from typing import Annotated, Literal

from pydantic import (
    AfterValidator,
    Field,
)

from quiz.model import NUMBER_MAX
from quiz.text import clean

PLAYER_FRAME = 4096  # bytes: the most the room reads of one player's frame
ROOM_FRAME = 256 * 1024  # characters: the most a client reads of one room frame
CHOICES = 10  # the letters a client can show (quiz.room.client.LETTERS)
LIMIT = NUMBER_MAX
# The most players one end frame's podium names: ties share a place, so a room
# where everyone ties would otherwise send them all (a client drops the frame).
PODIUM_MAX = 100

ErrorCode = Literal[
    "bad-code",
    "name-taken",
    "bad-name",
    "full",
    "locked",
    "not-open",
    "already-answered",
    "bad-message",
    "removed",
    "replaced",
    "bad-team",
]
Phase = Literal["lobby", "question", "reveal", "end"]
# The old socket's last frame when its player joins again elsewhere (error code "replaced").
REPLACED = "you joined again from another page or window: play there, or join again here"

Text = Annotated[str, Field(max_length=4_000), AfterValidator(clean)]
Name = Annotated[str, Field(max_length=300), AfterValidator(clean)]
Int = Annotated[int, Field(ge=-LIMIT, le=LIMIT)]
Count = Annotated[int, Field(ge=0, le=LIMIT)]
Number = Annotated[int, Field(ge=1, le=100_000)]
# A question's kind as the room says it (quiz.questions.question: "reverse" is a
# multiple-choice form asked the other way round).
Kind = Literal["multiple", "reverse", "boolean", "timeline", "typed", "estimate", "order"]
CHOSEN_KINDS = ("multiple", "reverse", "boolean", "timeline")
TYPED_MAX = 200  # characters of a typed answer (quiz.game.judge.MAX_TYPED)
VALUE_MAX = NUMBER_MAX  # the largest estimate a player may give: any number a deck holds
ITEMS_MAX = 6  # an order question's items (3 or 4 today)
Estimate = Annotated[int, Field(ge=-VALUE_MAX, le=VALUE_MAX)]


class RoomError(Exception):
    """What the room refuses, a frame or a request (quiz.room.state), with the protocol's error code.

    The one error of the room: the server sends it back as an `Error` frame.
    """

    def __init__(self, code: ErrorCode, message: str) -> None:
        super().__init__(message)
        self.code: ErrorCode = code
        self.message = message
