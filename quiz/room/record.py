"""The room's own record, read back for `quiz host --resume` (pydantic at the edge).

It is JSON, not TOML like the game saves: it is rewritten after every
question of a room that may hold 1,000 players, and tomli_w took 226 ms for
such a record where json takes 41 ms, time the room's one thread needs for
its players. The record is written by the server (see Room.record) before the lobby opens,
after each answer (at most twice a second) and after each question closes.
Tokens are kept only as SHA-256 hashes: a player who comes back with their
token is found by its hash, and nobody can read a token out of the file.
"""

from __future__ import annotations

import json
from collections.abc import Sequence
from pathlib import Path
from typing import Annotated, Literal

from pydantic import BaseModel, ConfigDict, Field, ValidationError

from quiz.game import Answer, Game, now_utc
from quiz.generate import Question
from quiz.records import MAX_SECONDS, Long, Short, Signed
from quiz.room.state import Player, Room, RoomError, check_room_name
from quiz.saves import MAX_SAVE_BYTES, read_nofollow
from quiz.text import clean

MAX_QUESTIONS = 100_000
MAX_RECORD_BYTES = MAX_SAVE_BYTES * 64  # a room of 1,000 players and 50 questions fits


class _Model(BaseModel):
    # Bounded as a game save is (quiz.records): anyone with the saves folder can
    # edit this file, and what it holds becomes players' games and their saves.
    model_config = ConfigDict(extra="ignore", strict=True, frozen=True, allow_inf_nan=False)


QuestionNumber = Annotated[int, Field(ge=1, le=MAX_QUESTIONS)]


class PlayerRecord(_Model):
    name: Short
    token_sha256: Annotated[str, Field(pattern=r"^[0-9a-f]{64}$")]
    first: QuestionNumber
    removed: bool = False
    game: Annotated[str, Field(min_length=1, max_length=64, pattern=r"^[A-Za-z0-9_-]+$")]


class AnswerRecord(_Model):
    player: Short
    question: QuestionNumber
    id: Short
    choice: Annotated[int, Field(ge=0, le=25)] | None = None
    correct: bool
    seconds: Annotated[float, Field(ge=0, le=MAX_SECONDS)]
    points: Signed


class RoomRecord(_Model):
    format: Literal[1]
    code: Annotated[str, Field(pattern=r"^[0-9]{6}$")]
    seed: Annotated[int, Field(ge=0, le=2**63)]
    deck: Short
    deck_title: Long = ""
    count: QuestionNumber
    timer: Annotated[int, Field(ge=0, le=3600)] = 0
    scoring: Literal["speed", "accuracy"] = "speed"
    started: Annotated[str, Field(max_length=40, pattern=r"^[0-9T:.+Z-]*$")] = ""
    phase: Literal["lobby", "question", "reveal", "end"]
    question: Annotated[int, Field(ge=0, le=MAX_QUESTIONS)]
    questions: Annotated[list[Short], Field(max_length=MAX_QUESTIONS)]
    players: list[PlayerRecord] = []
    answers: list[AnswerRecord] = []


class RecordError(Exception):
    """A room's record cannot be resumed; the message is one clear line."""


def read(path: Path) -> RoomRecord:
    try:
        data = read_nofollow(path, cap=MAX_RECORD_BYTES)
    except OSError as exc:
        raise RecordError(f"cannot read {clean(str(path))}: {exc.strerror or exc}") from None
    path = Path(clean(str(path)))  # named in every message below
    if len(data) > MAX_RECORD_BYTES:
        raise RecordError(f"{path} is too large to be a room's record")
    try:
        return RoomRecord.model_validate(json.loads(data.decode("utf-8")))
    except (UnicodeDecodeError, ValueError, RecursionError) as exc:
        raise RecordError(f"{path} is not a readable room record ({exc})") from None
    except ValidationError as exc:
        first = exc.errors()[0]
        where = ".".join(str(p) for p in first["loc"]) or "the file"
        raise RecordError(f"{path}: {where}: {first['msg']}") from None


def latest(rooms: Path) -> Path:
    """The newest room record that has not reached its end."""
    if not rooms.is_dir() or rooms.is_symlink():
        raise RecordError(f"no rooms to resume in {rooms}")
    for path in sorted(rooms.glob("*.json"), reverse=True):
        if path.is_symlink() or not path.is_file():
            continue
        try:
            if read(path).phase != "end":
                return path
        except RecordError:
            continue
    raise RecordError(f"no unfinished room to resume in {rooms}")


def restore(record: RoomRecord, questions: Sequence[Question], deck_title: str) -> Room:
    """The room as it was: same code, same question, the scores and streaks as they were."""
    if [q.id for q in questions] != record.questions:
        raise RecordError(
            f"the deck '{record.deck}' has changed since room {record.code} began; it cannot be resumed"
        )
    if record.question > len(questions):
        raise RecordError(f"room {record.code}: question {record.question} of {len(questions)}")
    room = Room(
        list(questions),
        code=record.code,
        seed=record.seed,
        deck_id=record.deck,
        deck_title=record.deck_title or deck_title,
        timer=record.timer or None,
        scoring=record.scoring,
        started=record.started or now_utc(),
    )
    room.phase = record.phase
    room.index = record.question - 1
    by_name: dict[str, Player] = {}
    for pr in record.players:
        # The names a room lets in (check_room_name), and no two alike: a record is
        # a file anyone with the saves folder can edit.
        try:
            kept = check_room_name(pr.name)
        except RoomError:
            kept = ""
        if kept != pr.name or room.by_name(pr.name) is not None:
            raise RecordError(f"room {record.code}: a player's name is not one a room lets in")
        first = pr.first - 1
        game = Game(
            list(questions[first:]),
            player=pr.name,
            deck_id=record.deck,
            deck_title=room.deck_title,
            seed=record.seed,
            timer=room.timer,
            mode="live",
            id=pr.game,
        )
        key = "sha256:" + pr.token_sha256
        player = Player(
            name=pr.name, token=key, game=game, first=first, connected=False, removed=pr.removed
        )
        room.players[key] = player
        by_name[pr.name] = player

    def ranks() -> dict[str, int]:
        return {s.token: s.place for s in room._ranked()}

    before: dict[str, int] = {}
    done = False
    for ar in sorted(record.answers, key=lambda a: a.question):
        who = by_name.get(ar.player)
        if who is None or not 0 < ar.question <= len(questions):
            raise RecordError(f"room {record.code}: an answer of an unknown player or question")
        if not done and ar.question - 1 >= room.index:
            before, done = ranks(), True
        asked = questions[ar.question - 1]
        if ar.choice is not None and ar.choice >= len(asked.choices):
            raise RecordError(f"room {record.code}: an answer out of range")
        who.game.answers.append(
            Answer(asked.id, asked.fact, ar.choice, ar.correct, ar.seconds, ar.points)
        )
        room.version += 1
    if not done:
        before = ranks()
    # The leaderboard's movement carries on from where it was.
    if room.phase == "question":
        room.last_ranks = before
    elif room.phase == "reveal":
        room.previous_ranks, room.last_ranks = before, ranks()
    if room.phase == "end":
        raise RoomError("not-open", f"room {record.code} has already ended")
    return room
