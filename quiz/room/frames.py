"""What a player's client accepts from a room: every frame validated, bounded and display-safe.

`quiz join` connects to whatever address a player types: the room at the
other end is as much a stranger as a player is to the room. So each frame it
sends is checked here with pydantic, as the room checks what players send
(quiz.room.protocol): numbers are bounded, lists are capped, a choice index is
within the choices a client can show, and every string is passed through
quiz.text.clean on the way in. A frame that does not fit is dropped, never
shown and never a traceback. Both front ends of `quiz join` (plain and TUI)
read frames through `read`, and write the two a player sends with `join` and
`answer` (docs/protocol.md).
"""

from __future__ import annotations

import json
from typing import Annotated, Any, Literal

from pydantic import AfterValidator, BaseModel, ConfigDict, Field, TypeAdapter, ValidationError

from quiz.text import clean

MAX_FRAME = 256 * 1024  # a question of 10 choices, or a lobby of 1,000 names, fits
CHOICES = 10  # the letters a client can show (quiz.room.plain.LETTERS)
LIMIT = 10**12

Text = Annotated[str, Field(max_length=4_000), AfterValidator(clean)]
Name = Annotated[str, Field(max_length=300), AfterValidator(clean)]
Int = Annotated[int, Field(ge=-LIMIT, le=LIMIT)]
Count = Annotated[int, Field(ge=0, le=LIMIT)]


class _Frame(BaseModel):
    # extra fields are ignored (a newer room may say more); bools are not numbers
    model_config = ConfigDict(extra="ignore", strict=True, frozen=True, allow_inf_nan=False)


class Welcome(_Frame):
    type: Literal["welcome"]
    name: Name
    token: Annotated[str, Field(min_length=1, max_length=64, pattern=r"^[A-Za-z0-9_-]+$")]
    players: Count = 0


class Lobby(_Frame):
    type: Literal["lobby"]
    players: Annotated[list[Name], Field(max_length=10_000)] = []


class Asked(_Frame):
    type: Literal["question"]
    question: Annotated[int, Field(ge=1, le=100_000)]
    count: Annotated[int, Field(ge=1, le=100_000)]
    prompt: Text
    choices: Annotated[list[Text], Field(min_length=2, max_length=CHOICES)]
    seconds: Annotated[int, Field(ge=0, le=3600)] | None = None


class Answered(_Frame):
    type: Literal["answered"]
    question: Annotated[int, Field(ge=1, le=100_000)]


class Reveal(_Frame):
    type: Literal["reveal"]
    question: Annotated[int, Field(ge=1, le=100_000)]
    answer: Annotated[int, Field(ge=0, lt=CHOICES)]
    correct: bool
    points: Int
    score: Int
    rank: Count
    players: Count
    explanation: Text = ""
    source: Text = ""
    # The player's own pick (null: no answer), from a room that says it; absent otherwise.
    choice: Annotated[int, Field(ge=0, lt=CHOICES)] | None = None


class Top(_Frame):
    name: Name
    score: Int


class Board(_Frame):
    type: Literal["leaderboard"]
    top: Annotated[list[Top], Field(max_length=100)] = []


class Podium(_Frame):
    name: Name
    score: Int
    place: Count


class End(_Frame):
    type: Literal["end"]
    score: Int
    rank: Count
    correct: Count
    count: Count
    podium: Annotated[list[Podium], Field(max_length=100)] = []


class Error(_Frame):
    type: Literal["error"]
    code: Annotated[str, Field(max_length=40, pattern=r"^[a-z-]+$")]
    message: Text = ""


_ANY: TypeAdapter[Any] = TypeAdapter(
    Annotated[
        Welcome | Lobby | Asked | Answered | Reveal | Board | End | Error,
        Field(discriminator="type"),
    ]
)


def read(text: str | bytes) -> dict[str, Any] | None:
    """One frame from a room as a plain dict, every field checked; None when it does not fit."""
    if not isinstance(text, str) or len(text) > MAX_FRAME:
        return None
    try:
        data = json.loads(text)
        model = _ANY.validate_python(data)
        frame: dict[str, Any] = model.model_dump()
        if isinstance(model, Reveal) and "choice" not in model.model_fields_set:
            del frame["choice"]  # a room that does not say: the client goes by what it sent
        return frame
    except (ValueError, RecursionError, ValidationError):
        return None


def join(code: str | None, name: str | None, token: str | None = None) -> str:
    """The frame that joins a room, or rejoins it with the token the room gave."""
    frame: dict[str, Any] = {"type": "join", "code": code, "name": name}
    if token:
        frame["token"] = token
    return json.dumps(frame)


def answer(question: int, choice: int) -> str:
    """The frame that answers the question numbered ``question``."""
    return json.dumps({"type": "answer", "question": question, "choice": choice})
