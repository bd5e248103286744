"""The room's one wire protocol: JSON text frames over one WebSocket (docs/protocol.md).

One pydantic model for each frame, in each direction, used by both ends; the
vocabulary both share (limits, field types, `ErrorCode`, `RoomError`) is
quiz.room.wire's, and the models of what the room sends are quiz.room.outgoing's:

- what a player sends (`JoinFrame`, `AnswerFrame`): the room checks every one
  with `parse` before it sees it (`extra="forbid"`); what is wrong comes back
  as a `RoomError` whose code is one of `ErrorCode`. A client writes them
  with `join` and `answer`.
- what the room sends (`Welcome` ... `Error`): the room builds each one from
  its models (so the answer never leaves before the reveal, and a frame the
  protocol does not allow fails at the room, not at a player), and sends its
  `model_dump_json`. `quiz join` connects to whatever address a player types,
  so it reads the same models with `read`: numbers bounded, lists capped, a
  choice index within what a client can show, every string passed through
  quiz.text.clean on the way in; a frame that does not fit is dropped. Extra
  fields are ignored there (a newer room may say more).

Issue 25's forms without choices: a question frame says its ``kind``; a typed
question has no choices, an estimate gives the range to show (``low``,
``high``, ``unit``), an order its ``items``. A player answers with exactly one
of ``choice``, ``text``, ``value`` or ``order`` (`AnswerFrame`), and the reveal
says what they gave (``given``), the share of points it earned (``credit``)
and, for an estimate, how far off it was (``off``).

Two size limits, because the two directions carry different things: a
player's frame is a join or an answer, a few hundred bytes (`PLAYER_FRAME`);
the room's frames hold a question's choices or a lobby of up to 10,000 names
(`ROOM_FRAME`).
"""

from __future__ import annotations

import json
from collections.abc import Sequence
from typing import Annotated, Any, Literal, Protocol, cast

from pydantic import (
    BaseModel,
    ConfigDict,
    Field,
    TypeAdapter,
    ValidationError,
    model_validator,
)
from pydantic_core import to_json

from quiz.questions.question import Question
from quiz.room.outgoing import (
    OUTGOING,
    Answered,
    Asked,
    Board,
    End,
    Error,
    Lobby,
    Podium,
    Reveal,
    RoomFrame,
    RoundCard,
    TeamBoard,
    TeamSet,
    TeamTop,
    Top,
    Welcome,
)
from quiz.room.wire import (
    ITEMS_MAX,
    PLAYER_FRAME,
    PODIUM_MAX,
    ROOM_FRAME,
    TYPED_MAX,
    ErrorCode,
    Estimate,
    Kind,
    Number,
    Phase,
    RoomError,
    Text,
)

# --- what a player sends -------------------------------------------------------------


class PlayerFrame(BaseModel):
    """A frame from a player: nothing but its fields, each of its type."""

    model_config = ConfigDict(extra="forbid", strict=True, frozen=True)


class JoinFrame(PlayerFrame):
    type: Literal["join"]
    code: Annotated[str, Field(max_length=32)]
    name: Annotated[str, Field(max_length=1000)]
    token: Annotated[str, Field(max_length=64)] | None = None
    # Issue 26: the team picked, by name or number (`quiz join --team`), in a room with teams.
    team: Annotated[str, Field(max_length=64)] | None = None


class TeamFrame(PlayerFrame):
    """A player picks their team after the welcome (in the lobby), by name or number."""

    type: Literal["team"]
    team: Annotated[str, Field(max_length=64)]


class NextFrame(PlayerFrame):
    """A self-paced player asks for their next question now (issue 26), from their reveal."""

    type: Literal["next"]


# The fields an answer may carry, exactly one at a time.
ANSWER_FIELDS = ("choice", "text", "value", "order")


class AnswerFrame(PlayerFrame):
    """An answer: ``choice`` for the kinds with choices, ``text`` for typed, ``value``
    for an estimate, ``order`` (the items' indexes, first to last) for an order.

    Which one fits the open question is the room's to check (`quiz.room.state`);
    here: exactly one, each bounded. ``text`` is kept as sent (at most
    `TYPED_MAX` characters) and cleaned by the room before it judges or keeps it.
    """

    type: Literal["answer"]
    question: Number
    choice: Annotated[int, Field(ge=0, le=100)] | None = None
    text: Annotated[str, Field(max_length=TYPED_MAX)] | None = None
    value: Estimate | None = None
    order: (
        Annotated[
            list[Annotated[int, Field(ge=0, lt=ITEMS_MAX)]],
            Field(min_length=2, max_length=ITEMS_MAX),
        ]
        | None
    ) = None

    @model_validator(mode="after")
    def _one_answer(self) -> AnswerFrame:
        given = [name for name in ANSWER_FIELDS if getattr(self, name) is not None]
        if len(given) != 1:
            what = "none" if not given else " and ".join(given)
            raise ValueError(
                f"an answer carries exactly one of {', '.join(ANSWER_FIELDS)}, not {what}"
            )
        return self

    @property
    def carries(self) -> str:
        """Which of `ANSWER_FIELDS` this answer carries."""
        return next(name for name in ANSWER_FIELDS if getattr(self, name) is not None)


INCOMING: TypeAdapter[JoinFrame | AnswerFrame | TeamFrame | NextFrame] = TypeAdapter(
    Annotated[JoinFrame | AnswerFrame | TeamFrame | NextFrame, Field(discriminator="type")]
)
KNOWN_TYPES = ("join", "answer", "team", "next")


def parse(text: str | bytes) -> JoinFrame | AnswerFrame | TeamFrame | NextFrame:
    """One incoming frame, validated; RoomError("bad-message", ...) otherwise."""
    if isinstance(text, bytes):
        raise RoomError("bad-message", "frames are JSON text, not binary")
    if len(text.encode("utf-8", "surrogatepass")) > PLAYER_FRAME:
        raise RoomError("bad-message", f"a frame is at most {PLAYER_FRAME} bytes")
    try:
        data = json.loads(text)
    except (ValueError, RecursionError):
        raise RoomError("bad-message", "a frame must be one JSON object") from None
    if not isinstance(data, dict):
        raise RoomError("bad-message", "a frame must be one JSON object")
    kind = data.get("type")
    if kind not in KNOWN_TYPES:
        shown = kind if isinstance(kind, str) and len(kind) <= 20 else "?"
        raise RoomError(
            "bad-message",
            f"unknown message type {shown!r}; expected 'join', 'answer', 'team' or 'next'",
        )
    try:
        return INCOMING.validate_python(data)
    except ValidationError as exc:
        first = exc.errors()[0]
        where = ".".join(str(p) for p in first["loc"][1:]) or "frame"
        message = first["msg"].removeprefix("Value error, ")
        raise RoomError("bad-message", f"{kind}: {where}: {message}") from None


def join(
    code: str | None, name: str | None, token: str | None = None, team: str | None = None
) -> str:
    """The frame that joins a room, or rejoins it with the token the room gave; ``team``:
    the team picked, a name or a number (a room with teams).

    Not checked here: the room checks it, and says what is wrong in its words.
    """
    frame = JoinFrame.model_construct(
        type="join", code=code, name=name, token=token or None, team=team or None
    )
    return frame.model_dump_json(exclude_none=True, warnings=False)


def next_question() -> str:
    """The frame a self-paced player sends from a reveal for their next question now."""
    return NextFrame(type="next").model_dump_json()


def pick_team(team: str) -> str:
    """The frame that picks a team (its name or number) after the welcome."""
    return TeamFrame.model_construct(type="team", team=team).model_dump_json(warnings=False)


def answer(
    question: int,
    choice: int | None = None,
    *,
    text: str | None = None,
    value: int | None = None,
    order: Sequence[int] | None = None,
) -> str:
    """The frame that answers the question numbered ``question``: one of a ``choice``,
    the ``text`` typed, an estimate's ``value`` or the items' ``order`` (as
    `quiz.game.judge.parse_answer` gave it). A text longer than the room takes is cut."""
    frame = AnswerFrame(
        type="answer",
        question=question,
        choice=choice,
        text=None if text is None else text[:TYPED_MAX],
        value=value,
        order=None if order is None else list(order),
    )
    return frame.model_dump_json(exclude_none=True)


# --- what the room sends -------------------------------------------------------------


def read(text: str | bytes) -> dict[str, Any] | None:
    """One frame from a room as a plain dict, every field checked; None when it does not fit."""
    if not isinstance(text, str) or len(text) > ROOM_FRAME:
        return None
    try:
        model = OUTGOING.validate_json(text)
    except (ValueError, RecursionError, ValidationError):
        return None
    frame: dict[str, Any] = model.model_dump()
    if isinstance(model, Reveal) and "choice" not in model.model_fields_set:
        del frame["choice"]  # a room that does not say: the client goes by what it sent
    if isinstance(model, Welcome) and "phase" not in model.model_fields_set:
        del frame["phase"]
    return frame


def dump(frame: RoomFrame) -> str:
    """A room frame as it goes on the wire."""
    return frame.model_dump_json()


def error(code: ErrorCode, message: str) -> Error:
    return Error(code=code, message=message)


def welcome(
    name: str,
    token: str,
    players: int,
    phase: Phase = "lobby",
    *,
    teams: Sequence[str] = (),
    team: str | None = None,
    pick: bool = False,
    self_paced: bool = False,
    until: str = "",
) -> Welcome:
    return Welcome(
        name=name,
        token=token,
        players=players,
        phase=phase,
        teams=list(teams),
        team=team,
        pick=pick,
        self_paced=self_paced,
        until=until,
    )


def team_set(team: str) -> TeamSet:
    return TeamSet(team=team)


def round_card(number: int, rounds: int, title: str) -> RoundCard:
    return RoundCard(round=number, rounds=rounds, title=title)


def team_board(teams: Sequence[tuple[str, float, int, int]]) -> TeamBoard:
    """The teams: (name, mean score, place, players), best first."""
    return TeamBoard(
        teams=[TeamTop(name=n, score=round(s), place=k, players=m) for n, s, k, m in teams]
    )


def lobby(names: list[str]) -> Lobby:
    return Lobby(players=names)


def question(
    number: int,
    count: int,
    asked: Question,
    seconds: float | None,
    round_number: int = 1,
    rounds: int = 1,
    *,
    with_prompt: bool = True,
) -> Asked:
    """The question as players see it: never the answer, the explanation or the source.

    ``with_prompt`` False (`quiz host --show-question-on-devices off`): the prompt is left
    out (""), the projector shows it; the choices, items and range are sent as ever.
    """
    order = asked.kind == "order"
    estimate = asked.kind == "estimate"
    return Asked(
        question=number,
        count=count,
        prompt=asked.prompt if with_prompt else "",
        choices=[] if asked.unchosen else list(asked.choices),
        seconds=None if seconds is None else round(seconds),
        kind=cast(Kind, asked.kind),
        items=list(asked.choices) if order else [],
        low=asked.low if estimate else None,
        high=asked.high if estimate else None,
        unit=asked.unit if estimate else "",
        tolerance=asked.tolerance if estimate else 0,
        round=round_number,
        rounds=rounds,
    )


def answered(number: int) -> Answered:
    return Answered(question=number)


def reveal(
    number: int,
    asked: Question,
    correct: bool,
    points: int,
    score: int,
    rank: int,
    players: int,
    choice: int | None = None,
    given: str | None = None,
    credit: float | None = None,
    off: int | None = None,
    breakdown: str = "",
    timed_out: bool = False,
    round_number: int = 1,
    rounds: int = 1,
) -> Reveal:
    """The closed question for one player: ``choice`` is their own pick, ``given``
    what they gave as shown (`quiz.game.judge.given_text`; None: no answer),
    ``credit`` the share of points it earned, ``off`` how far an estimate was,
    ``breakdown`` the points part by part (`Points.words`), ``timed_out`` whether
    time ran out before they answered; ``round_number`` of ``rounds`` the round the
    question was in."""
    return Reveal(
        question=number,
        answer=None if asked.unchosen else asked.answer,
        correct=correct,
        points=points,
        score=score,
        rank=rank,
        players=players,
        explanation=asked.explanation,
        source=asked.source,
        choice=choice,
        kind=cast(Kind, asked.kind),
        answer_text=asked.right,
        answer_value=asked.value if asked.kind == "estimate" else None,
        order=list(asked.order) if asked.kind == "order" else None,
        given=given,
        credit=None if credit is None else float(credit),
        off=off,
        breakdown=breakdown,
        timed_out=timed_out,
        round=round_number,
        rounds=rounds,
    )


class RevealText(Protocol):
    """One player's reveal as text, from `reveal_texts`."""

    def __call__(
        self,
        correct: bool,
        points: int,
        score: int,
        rank: int,
        choice: int | None = None,
        given: str | None = None,
        credit: float | None = None,
        off: int | None = None,
        breakdown: str = "",
        timed_out: bool = False,
    ) -> str: ...


# A reveal's fields that differ between players (the rest is the question's).
OWN = (
    "correct", "points", "score", "rank", "choice", "given", "credit", "off", "breakdown",
    "timed_out",
)  # fmt: skip


def reveal_texts(
    number: int, asked: Question, players: int, round_number: int = 1, rounds: int = 1
) -> RevealText:
    """`dump(reveal(...))` for many players at once: the shared values checked and serialised once.

    A reveal differs between players only in `OWN` (ints, a bool, a float, a
    text and None). The model is built and checked once; each of its values is
    serialised on its own (pydantic's JSON, as `dump` writes it) and the
    player's own values are written between them, so the result is byte for
    byte `dump(reveal(...))`. Nothing is cut out of serialised JSON. The
    player's ``given`` passes through the same checks as the model's (`Text`).
    """
    shared = reveal(
        number, asked, False, 0, 0, 0, players, None, round_number=round_number, rounds=rounds
    )
    pieces: list[str] = []  # the text before each of the player's own values, then the end
    text = "{"
    for key, value in shared.model_dump(mode="json").items():
        text += ("," if text != "{" else "") + to_json(key).decode() + ":"
        if key in OWN:
            pieces.append(text)
            text = ""
        else:
            text += to_json(value).decode()
    pieces.append(text + "}")
    order = [key for key in shared.model_dump() if key in OWN]
    assert tuple(sorted(order)) == tuple(sorted(OWN)), order

    def number_or_null(value: int | None) -> str:
        return "null" if value is None else str(int(value))

    def text_for(
        correct: bool,
        points: int,
        score: int,
        rank: int,
        choice: int | None = None,
        given: str | None = None,
        credit: float | None = None,
        off: int | None = None,
        breakdown: str = "",
        timed_out: bool = False,
    ) -> str:
        values = {
            "correct": "true" if correct else "false",
            "points": str(int(points)),
            "score": str(int(score)),
            "rank": str(int(rank)),
            "choice": number_or_null(choice),
            "given": "null" if given is None else to_json(_GIVEN.validate_python(given)).decode(),
            "credit": "null"
            if credit is None
            else to_json(_CREDIT.validate_python(float(credit))).decode(),
            "off": number_or_null(off),
            "breakdown": to_json(_GIVEN.validate_python(breakdown)).decode(),
            "timed_out": "true" if timed_out else "false",
        }
        return (
            "".join(piece + values[key] for piece, key in zip(pieces, order, strict=False))
            + (pieces[-1])
        )

    return text_for


_GIVEN: TypeAdapter[str] = TypeAdapter(Text)
_CREDIT: TypeAdapter[float] = TypeAdapter(Annotated[float, Field(ge=0, le=1, allow_inf_nan=False)])


def leaderboard(
    top: list[tuple[str, int, int]], round_number: int | None = None, title: str = ""
) -> Board:
    """The top players: (name, score, place), ties sharing a place; ``round_number``:
    a round's own board (the points scored in it), titled ``title``."""
    return Board(
        top=[Top(name=n, score=s, place=k) for n, s, k in top], round=round_number, title=title
    )


def end(
    score: int,
    rank: int,
    correct: int,
    count: int,
    podium: list[tuple[str, int, int]],
    close: int = 0,
) -> End:
    """This player's result and the podium, its first `PODIUM_MAX` places at most."""
    return End(
        score=score,
        rank=rank,
        correct=correct,
        count=count,
        podium=[Podium(name=n, score=s, place=p) for n, s, p in podium[:PODIUM_MAX]],
        close=close,
    )
