"""The room's own record, read back for `quiz host --resume` (pydantic at the edge).

It is JSON, not TOML like the game saves: it is rewritten after every
question of a room that may hold 1,000 players, and tomli_w took 226 ms for
such a record where json takes 41 ms, time the room's one thread needs for
its players. The record is written by the server (see Room.record) before the lobby opens,
when a question opens and a player joins, after each answer (at most once a
second) and after each question closes; it says how long the open question had
run, so `--resume` reopens it with the time it had left.
Tokens are kept only as SHA-256 hashes: a player who comes back with their
token is found by its hash, and nobody can read a token out of the file.

Anyone with the saves folder can edit the record, so a resume trusts none of
it: `read` bounds every field, and `restore` checks that the record is one a
room could have written (one answer per question, none past the current one,
each player's answers from their first question on, unique names, tokens and
games) and judges every answer again with the room's own rules (verdict and
points from the deck, the seed, the kinds, the answer given and the time). A record that
fails is refused with its file and field named, and set aside unchanged.

This module reads the file and refuses it; the fields and their bounds are
quiz.room.record_schema's, and the judging again quiz.room.restore's.
"""

from __future__ import annotations

import json
import os
from collections.abc import Sequence
from datetime import UTC, datetime
from pathlib import Path

from pydantic import ValidationError

from quiz.questions.question import Question
from quiz.room.record_schema import MAX_RECORD_BYTES, RoomRecord
from quiz.room.restore import BadField, restore_homework, restore_live
from quiz.room.state import Room
from quiz.room.wire import RoomError
from quiz.saves.folder import SaveFolder, read_nofollow
from quiz.text import clean, plural


class RecordError(Exception):
    """A room's record cannot be resumed; the message is one clear line.

    ``tampered``: the file itself is at fault (not a room's record, or not one
    a room could write), so it is set aside; otherwise (no room, another deck)
    it stays as it is.
    """

    def __init__(self, message: str, *, tampered: bool = False) -> None:
        super().__init__(message)
        self.tampered = tampered


def read(path: Path) -> RoomRecord:
    """The record's fields, each within its bounds (`restore` checks they fit together)."""
    try:
        data = read_nofollow(path, cap=MAX_RECORD_BYTES)
    except OSError as exc:
        raise RecordError(f"cannot read {clean(str(path))}: {exc.strerror or exc}") from None
    path = Path(clean(str(path)))  # named in every message below
    if len(data) > MAX_RECORD_BYTES:
        raise RecordError(f"{path} is too large to be a room's record", tampered=True)
    try:
        raw = json.loads(data.decode("utf-8"))
        _counted(raw, path)
        return RoomRecord.model_validate(raw)
    except ValidationError as exc:  # before ValueError, which it is
        first = exc.errors()[0]
        where = ".".join(str(p) for p in first["loc"]) or "the file"
        what = first["msg"].removeprefix("Value error, ")
        raise RecordError(f"{path}: {where}: {what}", tampered=True) from None
    except (UnicodeDecodeError, ValueError, RecursionError) as exc:
        raise RecordError(f"{path} is not a readable room record ({exc})", tampered=True) from None


def _counted(raw: object, path: Path) -> None:
    """Refuse, before any answer is read, more answers than the room's players could give:
    one each per question (a million copies of one answer took 26 s and 2 GB to refuse)."""
    if not isinstance(raw, dict):
        return  # the schema says what is wrong with it
    players, questions, answers = (raw.get(k) for k in ("players", "questions", "answers"))
    if isinstance(players, list) and isinstance(questions, list) and isinstance(answers, list):
        most = len(players) * len(questions)
        if len(answers) > most:
            raise RecordError(
                f"{path}: answers: {len(answers):,} answers, more than its "
                f"{len(players):,} players could give to {len(questions):,} questions",
                tampered=True,
            )


def set_aside(path: Path, error: RecordError) -> RecordError:
    """Move a refused record out of the way, unchanged, so the next resume finds the room before it.

    The new name does not end in .json: nothing reads it as a room again.
    """
    stamp = datetime.now(UTC).strftime("%Y%m%dT%H%M%S%fZ")
    aside = path.with_name(f"{path.name}.refused-{stamp}")
    try:
        os.replace(path, aside)
    except OSError as exc:
        return RecordError(f"{error}; it could not be set aside: {exc.strerror or exc}")
    return RecordError(f"{error}; it was set aside, unchanged, as {clean(aside.name)}")


def latest(rooms: Path) -> Path:
    """The newest room record that has not reached its end; a damaged one is refused, set aside."""
    if not rooms.is_dir() or rooms.is_symlink():
        raise RecordError(f"no rooms to resume in {clean(str(rooms))}")
    for path in SaveFolder.room_records(rooms):
        if path.is_symlink() or not path.is_file():
            continue
        try:
            record = read(path)
        except RecordError as exc:
            raise set_aside(path, exc) if exc.tampered else exc from None
        if record.phase != "end":
            return path
    raise RecordError(f"no unfinished room to resume in {clean(str(rooms))}")


def restore(
    record: RoomRecord,
    questions: Sequence[Question],
    deck_title: str,
    *,
    path: Path | None = None,
    max_players: int | None = None,
) -> Room:
    """The room as it was: same code, same question, the scores and streaks as the rules give.

    ``path`` is the record's file: named in every refusal, and set aside when the
    record is not one a room could have written. ``max_players`` is the room's cap.
    """
    where = clean(str(path)) if path is not None else f"room {record.code}"
    if record.phase == "end":
        raise RoomError("not-open", f"room {record.code} has already ended")
    try:
        if record.count != len(record.questions):
            raise BadField(
                "count",
                f"{record.count}, but the record lists {plural(len(record.questions), 'question')}",
            )
        if [q.id for q in questions] != record.questions:
            raise RecordError(
                f"{where}: questions: the deck '{record.deck}' has changed since room "
                f"{record.code} began; it cannot be resumed"
            )
        if record.self_paced:
            return restore_homework(record, questions, deck_title, max_players)
        return restore_live(record, questions, deck_title, max_players)
    except BadField as exc:
        refused = RecordError(f"{where}: {exc}", tampered=True)
    raise set_aside(path, refused) if path is not None else refused
