"""`quiz join` keeps its room token between runs (issue 26): a player whose terminal closed
comes back with their score; the token file is private and read as hostile input."""

from __future__ import annotations

import asyncio
import io
import json
import os
import stat
from collections.abc import Callable
from pathlib import Path

import pytest

from quiz.plain.join import Player
from quiz.room import tokens
from quiz.room.server import RoomServer
from tests.room_helpers import room_on
from tests.unit.test_room_homework import QUESTIONS

URL = "ws://127.0.0.1:8765/ws"


@pytest.fixture
def state(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> Path:
    monkeypatch.setenv(tokens.STATE_ENV, str(tmp_path / "state"))
    return tmp_path / "state" / tokens.FILE_NAME


def test_a_token_is_kept_per_room_code_and_name_in_a_private_file(state: Path) -> None:
    assert tokens.take(URL, "123456", "Ann") == (None, None)  # no file yet
    assert tokens.keep(URL, "123456", "Ann", "tok-ann_1") is None
    assert tokens.keep(URL, "123456", "Bo", "tok-bo") is None
    assert stat.S_IMODE(os.stat(state).st_mode) == 0o600
    assert tokens.take(URL, "123456", "ANN") == ("tok-ann_1", None)  # names as the room compares
    assert tokens.take(URL, "654321", "Ann") == (None, None)
    assert tokens.take("ws://10.0.0.2:8765/ws", "123456", "Ann") == (None, None)
    tokens.forget(URL, "123456", "ann")
    assert tokens.take(URL, "123456", "Ann") == (None, None)
    assert tokens.take(URL, "123456", "Bo") == ("tok-bo", None)


@pytest.mark.parametrize(
    ("content", "said"),
    [
        (b"\xff\xfe not json", "not a token file"),
        (b'{"tokens": 7}', "no list of tokens"),
        (b"[" * 70_000, "larger than 64 KB"),
    ],
    ids=["not-utf8", "no-list", "too-big"],
)
def test_a_bad_token_file_is_ignored_with_a_note(state: Path, content: bytes, said: str) -> None:
    state.parent.mkdir(parents=True)
    state.write_bytes(content)
    token, note = tokens.take(URL, "123456", "Ann")
    assert token is None and note is not None and said in note and str(state) in note
    assert tokens.keep(URL, "123456", "Ann", "t1") is None  # a good file takes its place
    assert tokens.take(URL, "123456", "Ann") == ("t1", None)


def test_entries_that_are_not_ours_are_skipped_and_a_symlink_is_not_followed(
    state: Path, tmp_path: Path
) -> None:
    state.parent.mkdir(parents=True)

    def entry(token: str) -> dict[str, str]:
        return {"url": URL, "code": "123456", "name": "Ann", "token": token, "at": "x"}

    state.write_text(json.dumps({"tokens": [1, entry("a b\x1b"), entry("ok")]}))
    assert tokens.take(URL, "123456", "Ann") == ("ok", None)
    state.unlink()
    (tmp_path / "elsewhere.json").write_text('{"tokens": []}')
    state.symlink_to(tmp_path / "elsewhere.json")
    token, note = tokens.take(URL, "123456", "Ann")
    assert token is None and note is not None and "ignoring" in note
    assert tokens.keep(URL, "123456", "Ann", "t2") is not None  # refused, said, no traceback
    assert (tmp_path / "elsewhere.json").read_text() == '{"tokens": []}'


async def until(check: Callable[[], bool]) -> None:
    async with asyncio.timeout(5):
        while not check():
            await asyncio.sleep(0.01)


async def test_quiz_join_run_again_after_its_terminal_closed_is_back_with_its_score(
    state: Path,
) -> None:
    room = room_on(QUESTIONS, timer=None)
    server = RoomServer(room, None, port=0)
    await server.start()
    try:
        url = f"http://127.0.0.1:{server.port}/"
        first = io.StringIO()
        playing = asyncio.ensure_future(Player(url, "123456", "Ann", io.StringIO(), first).run())
        await until(lambda: "Joined as Ann" in first.getvalue())
        playing.cancel()  # the terminal closed (Ctrl+C): the process is gone
        await asyncio.gather(playing, return_exceptions=True)
        await until(lambda: not room.active[0].connected)
        again = io.StringIO()
        back = asyncio.ensure_future(Player(url, "123456", "ann", io.StringIO(), again).run())
        await until(lambda: "Back in the room as Ann." in again.getvalue())
        assert room.active_count() == 1 and room.active[0].connected
        back.cancel()
        await asyncio.gather(back, return_exceptions=True)
    finally:
        await server.stop()
