"""The live room's screens after issue 23: the host's shapes and bottom line, `quiz join`'s reveal.

The host's screen is driven through its room with no socket; `quiz join` plays
against a real room on 127.0.0.1 (port 0), which a test stops and starts again
on the same port to see the player come back.
"""

from __future__ import annotations

import time
from collections.abc import Callable
from typing import Any

from textual.pilot import Pilot

from quiz.deckfile.read import load_deck
from quiz.questions.plan import make_quiz
from quiz.room.server import RoomServer
from quiz.room.state import Room
from quiz.tui.live.host import HostApp
from quiz.tui.live.join import JoinApp
from quiz.tui.widgets.choices import ChoiceList
from tests.conftest import FIXED
from tests.ui.conftest import screen_text

DECK = load_deck(FIXED)


def room_server(*, timer: int | None = None, port: int = 0) -> RoomServer:
    room = Room(
        make_quiz(DECK, 7, 2),
        code="123456",
        seed=7,
        deck_id=DECK.id,
        deck_title=DECK.title,
        timer=timer,
    )
    return RoomServer(room, None, port=port, clock=lambda: 1000.0)


async def until(
    pilot: Pilot[Any], check: Callable[[], bool], what: str, seconds: float = 10.0
) -> None:
    """Let the app run until ``check()`` holds; fail after ``seconds``."""
    deadline = time.monotonic() + seconds
    while not check():
        assert time.monotonic() < deadline, f"never happened: {what}"
        await pilot.pause(0.02)


async def test_the_projector_shows_the_phones_shapes_and_never_cuts_its_bottom_line() -> None:
    server = room_server(timer=20)
    room = server.room
    app = HostApp(server, start_server=False)
    async with app.run_test(size=(80, 24)) as pilot:
        ann = room.join("Ann")[0]
        room.join("Ben")
        await server.begin()
        await pilot.pause()
        lines = screen_text(app).splitlines()
        shown = [s for s in map(str.strip, lines) if s and s[0] in "\u25b2\u25c6\u25cf\u25a0"]
        asked = room.questions[0]
        assert shown == [
            f"{shape} {letter}   {choice}"
            for shape, letter, choice in zip(
                "\u25b2\u25c6\u25cf\u25a0", "ABCD", asked.choices, strict=True
            )
        ]
        assert "Remove" not in lines[-1]  # removing is for the lobby

        room.answer(ann.token, 1, asked.answer, 1001.0)
        await server.close_question()
        await pilot.pause()
        right = "\u25b2\u25c6\u25cf\u25a0"[asked.answer] + " " + "ABCD"[asked.answer]
        assert f"The answer: {right} {asked.right}" in " ".join(screen_text(app).split())
        await pilot.press("ctrl+q")  # once: the host is told how to close, not cut off
        for size in ((80, 24), (60, 20)):
            await pilot.resize_terminal(*size)
            await pilot.pause()
            text = screen_text(app)
            bottom = " ".join(line.strip() for line in text.splitlines()[-4:-1])
            assert "Ctrl+Q again closes the room; quiz host --resume carries on." in bottom, text
            assert "code 123456" in text.splitlines()[0]  # the code outlives a narrow screen
        assert room.phase == "reveal"


async def test_the_host_draws_the_qr_code_for_the_size_it_is_now() -> None:
    server = room_server()
    app = HostApp(server, start_server=False)
    async with app.run_test(size=(140, 45)) as pilot:
        await pilot.pause()
        width = lambda: max(map(len, str(app.query_one("#qr").visual).splitlines()))  # noqa: E731
        big = width()  # two cells a module: readable from the back of the room
        await pilot.resize_terminal(80, 24)
        await until(pilot, lambda: width() * 2 == big, "half blocks at 80x24")
        await pilot.resize_terminal(140, 45)
        await until(pilot, lambda: width() == big, "the large QR code again")


async def test_quiz_join_says_no_answer_names_the_pick_and_comes_back_after_the_host() -> None:
    server = room_server()
    await server.start()
    room = server.room
    port = server.port
    again: RoomServer | None = None
    try:
        app = JoinApp(f"http://127.0.0.1:{port}/?code=123456", name="Zoe")
        async with app.run_test(size=(80, 30)) as pilot:
            text = lambda sel: str(app.query_one(sel).visual)  # noqa: E731
            await until(pilot, lambda: bool(room.active), "Zoe in the room")
            room.join("Ben")  # Ben's answer keeps each question open until the host closes it
            first, second = room.questions

            # Question 1: no answer at all.
            await server.begin()
            await until(pilot, lambda: first.prompt in text("#prompt"), "question 1")
            await server.close_question()
            await until(pilot, lambda: "points" in text("#after"), "the first reveal")
            assert text("#after").startswith("No answer.  +0 points")
            assert "Wrong" not in text("#after")
            assert f"The answer is {'ABCD'[first.answer]}: {first.right}. You did not answer." in (
                text("#after")
            )

            # Question 2: a wrong pick, then the host goes away and comes back.
            await server.advance()
            await until(pilot, lambda: second.prompt in text("#prompt"), "question 2")
            wrong = (second.answer + 1) % len(second.choices)
            await pilot.press("abcd"[wrong])
            await until(pilot, lambda: room.answered_count()[0] == 1, "the answer in")
            # The host's computer goes away (no close frame, as after kill -9), unlike a host
            # who quits, which closes the room for good.
            assert server.gate is not None
            for guard in list(server.gate.guards.values()):
                guard.transport.abort()
            await server.stop()
            await until(pilot, lambda: "Connection lost" in text("#status"), "the drop shown")
            assert app.query_one("#choices", ChoiceList).disabled
            room.close(1001.0)  # the question closes while Zoe is away
            again = RoomServer(room, None, port=port, clock=lambda: 1000.0)
            await again.start()
            await until(pilot, lambda: "points" in text("#after"), "the reveal, back", 5.0)
            after = text("#after")
            assert after.startswith("\u2717 Wrong.  +0 points"), after
            assert f"You chose {'ABCD'[wrong]}: {second.choices[wrong]}." in after
            assert second.prompt in text("#prompt")  # the question is still there to read
            assert "Back in the room." in text("#status")
    finally:
        await server.stop()
        if again is not None:
            await again.stop()
