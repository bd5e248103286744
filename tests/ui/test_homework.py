"""Self-paced homework on the host's screen (issue 26): the live grid, and E twice ends it."""

from __future__ import annotations

import time

from quiz.room.server import RoomServer
from quiz.tui.live.host import HostApp
from tests.ui.conftest import screen_text
from tests.unit.test_room_homework import RIGHT, homework


async def test_the_projector_shows_who_is_where_and_e_twice_ends_the_homework() -> None:
    server = RoomServer(homework(timer=20, teams=("Red", "Blue"), team_mode="auto"), None, port=0)
    room = server.room
    app = HostApp(server, start_server=False)
    async with app.run_test(size=(80, 24)) as pilot:
        ann = room.join("Ann")[0].token
        room.join("[b]Ben[/b]")
        for token in list(room.players):
            await server.paced_catch_up(token)  # as the server does on joining
        room.answer(ann, 1, RIGHT[0], server.clock())
        await server.paced_reveal(ann)
        deadline = time.monotonic() + 5
        while "did Q1/3" not in screen_text(app):  # the grid is drawn on the next tick
            assert time.monotonic() < deadline, screen_text(app)
            await pilot.pause(0.02)
        text = " ".join(screen_text(app).split())
        assert "2 players · 0 done · until the host ends it" in text
        assert "Ann · Red did Q1/3" in text and "1 right" in text
        assert "[b]Ben[/b] · Blue on Q1/3 0 0 right" in text  # a name is text, never markup
        assert "Start/next" not in screen_text(app).splitlines()[-1]  # nothing to start
        await pilot.press("e")
        assert room.phase != "end" and "E again ends the homework" in screen_text(app)
        await pilot.press("e")
        await pilot.pause()
        assert room.phase == "end"
        text = " ".join(screen_text(app).split())
        assert "Podium" in text and "Teams" in text and "1. Ann" in text
