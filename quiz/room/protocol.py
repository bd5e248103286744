"""The room's wire protocol: JSON text frames over one WebSocket (docs/protocol.md).

Every incoming frame is validated here with pydantic, as a deck is, before
the room sees it; what is wrong comes back as a `ProtocolError` whose code
is one of the protocol's error codes. Outgoing frames are built here too, so
one place decides what a client is told, and the answer never leaves before
the reveal.
"""

from __future__ import annotations

import json
from typing import Annotated, Any, Literal, Protocol

from pydantic import BaseModel, ConfigDict, Field, TypeAdapter, ValidationError

from quiz.questions.generate import Question

MAX_FRAME = 4096  # bytes
ERROR_CODES = (
    "bad-code",
    "name-taken",
    "bad-name",
    "full",
    "locked",
    "not-open",
    "already-answered",
    "bad-message",
    "removed",
)


class ProtocolError(Exception):
    def __init__(self, code: str, message: str) -> None:
        super().__init__(message)
        self.code = code
        self.message = message


class _Frame(BaseModel):
    model_config = ConfigDict(extra="forbid", strict=True, frozen=True)


class JoinFrame(_Frame):
    type: Literal["join"]
    code: Annotated[str, Field(max_length=32)]
    name: Annotated[str, Field(max_length=1000)]
    token: Annotated[str, Field(max_length=64)] | None = None


class AnswerFrame(_Frame):
    type: Literal["answer"]
    question: Annotated[int, Field(ge=1, le=100_000)]
    choice: Annotated[int, Field(ge=0, le=100)]


Incoming = Annotated[JoinFrame | AnswerFrame, Field(discriminator="type")]
_INCOMING: TypeAdapter[JoinFrame | AnswerFrame] = TypeAdapter(Incoming)
KNOWN_TYPES = ("join", "answer")


def parse(text: str | bytes) -> JoinFrame | AnswerFrame:
    """One incoming frame, validated; ProtocolError("bad-message", ...) otherwise."""
    if isinstance(text, bytes):
        raise ProtocolError("bad-message", "frames are JSON text, not binary")
    if len(text.encode("utf-8", "surrogatepass")) > MAX_FRAME:
        raise ProtocolError("bad-message", f"a frame is at most {MAX_FRAME} bytes")
    try:
        data = json.loads(text)
    except (ValueError, RecursionError):
        raise ProtocolError("bad-message", "a frame must be one JSON object") from None
    if not isinstance(data, dict):
        raise ProtocolError("bad-message", "a frame must be one JSON object")
    kind = data.get("type")
    if kind not in KNOWN_TYPES:
        shown = kind if isinstance(kind, str) and len(kind) <= 20 else "?"
        raise ProtocolError(
            "bad-message", f"unknown message type {shown!r}; expected 'join' or 'answer'"
        )
    try:
        return _INCOMING.validate_python(data)
    except ValidationError as exc:
        first = exc.errors()[0]
        where = ".".join(str(p) for p in first["loc"][1:]) or "frame"
        raise ProtocolError("bad-message", f"{kind}: {where}: {first['msg']}") from None


# --- outgoing frames ---------------------------------------------------------------


def dump(frame: dict[str, Any]) -> str:
    return json.dumps(frame, ensure_ascii=False, separators=(",", ":"))


def error(code: str, message: str) -> dict[str, Any]:
    return {"type": "error", "code": code, "message": message}


def welcome(name: str, token: str, players: int, phase: str = "lobby") -> dict[str, Any]:
    """Joined; ``phase`` says where the room is, so a late joiner is not told to wait for a start."""
    return {"type": "welcome", "name": name, "token": token, "players": players, "phase": phase}


def lobby(names: list[str]) -> dict[str, Any]:
    return {"type": "lobby", "players": names}


def question(number: int, count: int, asked: Question, seconds: float | None) -> dict[str, Any]:
    """The question as players see it: never the answer, the explanation or the source."""
    return {
        "type": "question",
        "question": number,
        "count": count,
        "prompt": asked.prompt,
        "choices": list(asked.choices),
        "seconds": None if seconds is None else round(seconds),
    }


def answered(number: int) -> dict[str, Any]:
    return {"type": "answered", "question": number}


def reveal(
    number: int,
    asked: Question,
    correct: bool,
    points: int,
    score: int,
    rank: int,
    players: int,
    choice: int | None = None,
) -> dict[str, Any]:
    """The closed question for one player: ``choice`` is their own (None: no answer)."""
    return {
        "type": "reveal",
        "question": number,
        "answer": asked.answer,
        "correct": correct,
        "points": points,
        "score": score,
        "rank": rank,
        "players": players,
        "explanation": asked.explanation,
        "source": asked.source,
        "choice": choice,
    }


class RevealText(Protocol):
    """One player's reveal as text, from `reveal_texts`."""

    def __call__(
        self, correct: bool, points: int, score: int, rank: int, choice: int | None = None
    ) -> str: ...


def reveal_texts(number: int, asked: Question, players: int) -> RevealText:
    """`dump(reveal(...))` for many players at once: the shared text is serialised once.

    A reveal differs between players only in correct, points, score, rank and
    choice (plain ints, a bool and None); the question's answer, explanation and
    source are the same for all. The result is byte for byte what
    `dump(reveal(...))` gives.
    """
    head = dump({"type": "reveal", "question": number, "answer": asked.answer})[:-1]
    tail = dump({"players": players, "explanation": asked.explanation, "source": asked.source})
    head += ',"correct":'
    tail = "," + tail[1:]

    tail = tail[:-1] + ',"choice":'

    def text(correct: bool, points: int, score: int, rank: int, choice: int | None = None) -> str:
        return (
            f"{head}{'true' if correct else 'false'},"
            f'"points":{int(points)},"score":{int(score)},"rank":{int(rank)}{tail}'
            f"{'null' if choice is None else int(choice)}}}"
        )

    return text


def leaderboard(top: list[tuple[str, int]]) -> dict[str, Any]:
    return {"type": "leaderboard", "top": [{"name": n, "score": s} for n, s in top]}


def end(
    score: int, rank: int, correct: int, count: int, podium: list[tuple[str, int, int]]
) -> dict[str, Any]:
    return {
        "type": "end",
        "score": score,
        "rank": rank,
        "correct": correct,
        "count": count,
        "podium": [{"name": n, "score": s, "place": p} for n, s, p in podium],
    }
