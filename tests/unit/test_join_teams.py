"""`quiz join --plain` in a room with `--teams N` (issue 26): the player is asked for a
team in the lobby, by number or name, and the room keeps the pick (a real room on
127.0.0.1, port 0; every wait has a deadline)."""

from __future__ import annotations

import asyncio
import io
from collections.abc import Callable
from pathlib import Path

import pytest

from quiz.plain.join import Player
from quiz.room import tokens
from quiz.room.server import RoomServer
from tests.room_helpers import room_on
from tests.unit.test_room_homework import QUESTIONS, homework

TEAMS = ("Red", "Blue")


@pytest.fixture(autouse=True)
def state(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setenv(tokens.STATE_ENV, str(tmp_path / "state"))


async def until(check: Callable[[], bool], what: str) -> None:
    try:
        async with asyncio.timeout(10):
            while not check():
                await asyncio.sleep(0.01)
    except TimeoutError:
        raise AssertionError(f"never happened: {what}") from None


async def test_a_plain_joiner_in_a_paced_room_picks_a_team_and_keeps_it_at_the_start() -> None:
    room = room_on(QUESTIONS, timer=None, teams=TEAMS)
    server = RoomServer(room, None, port=0)
    await server.start()
    out = io.StringIO()
    playing = None
    try:
        url = f"http://127.0.0.1:{server.port}/"
        # Ben joins first and picks nothing: the start balances him, never Ann.
        room.join("Ben")
        player = Player(url, "123456", "Ann", io.StringIO("2\n"), out)
        playing = asyncio.ensure_future(player.run())
        await until(lambda: "Your team: Blue." in out.getvalue(), "Ann on Blue")
        said = out.getvalue()
        assert "Teams: 1 Red, 2 Blue." in said and "Your team (1-2 or its name): " in said
        ann = room.by_name("Ann")
        assert ann is not None and ann.team == "Blue"
        await server.begin()  # the start shares out whoever has not picked
        await until(lambda: "Question 1" in out.getvalue(), "the first question")
        assert ann.team == "Blue"
        ben = room.by_name("Ben")
        assert ben is not None and ben.team == "Red"
    finally:
        if playing is not None:
            playing.cancel()
            await asyncio.gather(playing, return_exceptions=True)
        await server.stop()


async def test_a_plain_joiner_of_homework_picks_by_name_then_gets_the_first_question() -> None:
    room = homework(teams=TEAMS)
    server = RoomServer(room, None, port=0)
    await server.start()
    out = io.StringIO()
    playing = None
    try:
        url = f"http://127.0.0.1:{server.port}/"
        player = Player(url, "123456", "Ann", io.StringIO("purple\nred\n"), out)
        playing = asyncio.ensure_future(player.run())
        await until(lambda: "Your team: Red." in out.getvalue(), "Ann on Red")
        said = out.getvalue()
        assert said.count("Your team (1-2 or its name): ") == 2  # asked again after a wrong name
        # Homework has no start to wait for (the school week's walk-through).
        assert "at your own pace" in said and "Waiting for the host" not in said, said
        ann = room.by_name("Ann")
        assert ann is not None and ann.team == "Red"
        await until(lambda: "Question 1" in out.getvalue(), "the first question after the pick")
    finally:
        if playing is not None:
            playing.cancel()
            await asyncio.gather(playing, return_exceptions=True)
        await server.stop()
