"""Issue 23, items 7, 11 and 21: what `quiz join` (plain and screen) tells a player.

A real room on 127.0.0.1 (port 0) in this process, or a scripted one for the
frames a room may send; `quiz join --plain` runs as a child with pipes where
its exit code and its piped input are the point. Every wait has a deadline.
"""

from __future__ import annotations

import asyncio
import io
import json
import os
import subprocess
import sys
import threading
import time
from collections import deque
from typing import Any

from aiohttp import web

from quiz.deckfile.read import load_deck
from quiz.plain.join import Player
from quiz.questions.plan import make_quiz
from quiz.room.client import HOST_CLOSED, no_room
from quiz.room.server import RoomServer
from quiz.room.state import Room
from tests.conftest import FIXED, ROOT
from tests.room_helpers import serve_ws
from tests.serve_helpers import free_port, until

DECK = load_deck(FIXED)
CODE = "123456"


class Typist:
    """A player at a keyboard: each line is typed only once an answer is asked for.

    ``stdin`` and ``stdout`` go to a `Player`; a line is handed over when the
    player has printed "Your answer" (one line a prompt), and the input ends
    once the lines run out.
    """

    def __init__(self, *lines: str) -> None:
        self.lines = deque(lines)
        self.prompts = threading.Semaphore(0)
        typist = self

        class Screen(io.StringIO):
            def write(self, text: str) -> int:
                if "Your answer" in text:
                    typist.prompts.release()
                return super().write(text)

        class Keys(io.StringIO):
            def readline(self, size: int | None = -1) -> str:
                if not typist.lines or not typist.prompts.acquire(timeout=30):
                    return ""
                return typist.lines.popleft() + "\n"

        self.stdout = Screen()
        self.stdin = Keys()


def room_server(*, timer: int | None = None) -> RoomServer:
    room = Room(
        make_quiz(DECK, 7, 2),
        code=CODE,
        seed=7,
        deck_id=DECK.id,
        deck_title=DECK.title,
        timer=timer,
    )
    return RoomServer(room, None, port=0)


def child_env() -> dict[str, str]:
    return {**os.environ, "PYTHONPATH": str(ROOT)}


class Screen:
    """What a child has printed so far, read in a thread, waited on with deadlines."""

    def __init__(self, stream: Any) -> None:
        self.text = ""
        self.lock = threading.Lock()

        def pump() -> None:
            while chunk := os.read(stream.fileno(), 4096):
                with self.lock:
                    self.text += chunk.decode("utf-8", "replace")

        self.thread = threading.Thread(target=pump, daemon=True)
        self.thread.start()

    async def shows(self, words: str, seconds: float = 10.0) -> None:
        try:
            await until(lambda: words in self.text, seconds)
        except TimeoutError:
            raise AssertionError(f"never shown: {words!r}\n{self.text}") from None


async def test_lines_piped_before_a_question_never_answer_it_and_a_closed_room_ends_join() -> None:
    server = room_server()
    await server.start()
    room = server.room
    first = room.questions[0]
    url = f"http://127.0.0.1:{server.port}/"
    child = subprocess.Popen(
        [sys.executable, "-m", "quiz", "join", "--plain", "--code", CODE, "--name", "Ann", url],
        stdin=subprocess.PIPE,
        stdout=subprocess.PIPE,
        stderr=subprocess.PIPE,
        env=child_env(),
    )
    assert child.stdin is not None and child.stdout is not None
    try:
        screen = Screen(child.stdout)
        child.stdin.write(b"1\n2\n")  # typed ahead, before the room has even opened a question
        child.stdin.flush()
        await screen.shows("Waiting for the host to start.")
        await until(lambda: room.active)
        await server.begin()
        await screen.shows("Your answer (")
        assert "(2 lines typed before the question opened: not taken.)" in screen.text
        assert room.answered_count()[0] == 0  # the early lines answered nothing
        wrong = (first.answer + 1) % len(first.choices)
        child.stdin.write(f"{'abcd'[wrong]}\n".encode())
        child.stdin.flush()
        await until(lambda: room.answered_count()[0] == 1)
        player = next(iter(room.players.values()))
        answer = player.answer_for(0)
        assert answer is not None and answer.choice == wrong  # the line typed after it opened
        await server.close_question()
        await screen.shows("\u2717 Wrong. +0 points.")
        letter, chose = "ABCD"[first.answer], "ABCD"[wrong]
        await screen.shows(
            f"The answer is {letter}: {first.right}. You chose {chose}: {first.choices[wrong]}."
        )
        await server.stop()  # the host quits mid-game (q, Ctrl+C)
        await screen.shows(HOST_CLOSED)
        await until(lambda: child.poll() is not None)
        assert child.returncode == 0
        assert "Connection lost" not in screen.text
    finally:
        if child.poll() is None:
            child.kill()
        child.wait(5)
        child.stdin.close()
        child.stdout.close()
        assert child.stderr is not None
        child.stderr.close()
        await server.stop()


def test_quiz_join_with_no_room_running_says_so_and_exits_1() -> None:
    url = f"http://127.0.0.1:{free_port()}/"
    run = subprocess.run(
        [sys.executable, "-m", "quiz", "join", "--plain", "--code", CODE, "--name", "Ann", url],
        stdin=subprocess.DEVNULL,
        capture_output=True,
        text=True,
        env=child_env(),
        timeout=30,
    )
    assert run.returncode == 1
    assert run.stdout.strip() == f"No room is answering at {url} (is `quiz host` running?)"
    assert "Connect call failed" not in run.stdout + run.stderr and "Traceback" not in run.stderr


def test_quiz_join_without_a_terminal_joins_in_plain_mode_and_says_so() -> None:
    url = f"http://127.0.0.1:{free_port()}/"
    run = subprocess.run(  # no --plain, no terminal: the full screen would draw into a pipe
        [sys.executable, "-m", "quiz", "join", "--code", CODE, "--name", "Ann", url],
        stdin=subprocess.DEVNULL,
        capture_output=True,
        text=True,
        env=child_env(),
        timeout=30,
    )
    assert run.returncode == 1 and "\x1b" not in run.stdout + run.stderr
    assert "not a terminal, so joining in plain mode (--plain)" in run.stderr
    assert run.stdout.strip() == f"No room is answering at {url} (is `quiz host` running?)"


async def test_a_wrong_code_is_said_in_words_without_the_rooms_internal_name() -> None:
    server = room_server()
    await server.start()
    out = io.StringIO()
    try:
        player = Player(f"http://127.0.0.1:{server.port}/", "654321", "Ann", io.StringIO(), out)
        async with asyncio.timeout(10):
            code = await player.run()
    finally:
        await server.stop()
    assert code == 1
    assert out.getvalue().strip() == "quiz: no room with that code here; check the code"


async def test_a_lost_connection_rejoins_and_the_reveal_says_times_up_or_the_rooms_choice() -> None:
    """A room that drops without a close frame is rejoined; a reveal names the pick in words."""
    prompt = "In 2024, which series?"
    choices = ["ARCA", "NASCAR", "IndyCar", "F1"]
    joins: list[dict[str, Any]] = []

    def question(number: int, seconds: int | None) -> str:
        return json.dumps(
            {"type": "question", "question": number, "count": 2, "prompt": prompt,
             "choices": choices, "seconds": seconds}
        )  # fmt: skip

    def reveal(number: int, **more: Any) -> str:
        return json.dumps(
            {"type": "reveal", "question": number, "answer": 1, "correct": False, "points": 0,
             "score": 0, "rank": 1, "players": 1, **more}
        )  # fmt: skip

    async def room(request: web.Request) -> web.WebSocketResponse:
        ws = web.WebSocketResponse()
        await ws.prepare(request)
        joins.append(json.loads((await ws.receive()).data))
        await ws.send_str(json.dumps({"type": "welcome", "name": "Ann", "token": "t1"}))
        if len(joins) == 1:
            await ws.send_str(question(1, 20))
            await ws.send_str(reveal(1))  # no answer, and the room does not say a choice
            await ws.send_str(question(2, None))
            assert request.transport is not None
            request.transport.abort()  # the host's computer goes away: no close frame
        else:
            await ws.send_str(reveal(2, choice=2))  # the room names the player's own pick
            await ws.send_str(
                json.dumps({"type": "end", "score": 0, "rank": 1, "correct": 0, "count": 2})
            )
        return ws

    runner, port = await serve_ws(room)
    typist = Typist()
    try:
        player = Player(f"http://127.0.0.1:{port}/", CODE, "Ann", typist.stdin, typist.stdout)
        async with asyncio.timeout(10):
            code = await player.run()
    finally:
        await runner.cleanup()
    shown = typist.stdout.getvalue()
    assert code == 0, shown
    assert "Time's up. +0 points." in shown and "Wrong" not in shown.split("Question 2")[0]
    assert "The answer is B: NASCAR. You did not answer." in shown
    assert "Connection lost; rejoining..." in shown and HOST_CLOSED not in shown
    assert joins[1]["token"] == "t1"  # rejoined as the same player
    assert "The answer is B: NASCAR. You chose C: IndyCar." in shown


async def test_the_join_screen_says_no_room_and_the_host_closing_the_room() -> None:
    from quiz.tui.live.join import JoinApp

    url = f"http://127.0.0.1:{free_port()}/"
    app = JoinApp(url, code=CODE, name="Zoe")
    async with app.run_test(size=(60, 20)) as pilot:
        error = lambda: str(app.query_one("#form-error").visual)  # noqa: E731
        deadline = time.monotonic() + 10
        while "No room" not in error():
            assert time.monotonic() < deadline, error()
            await pilot.pause(0.02)
        assert error() == no_room(url)
        assert app.failure == no_room(url)  # quitting now says it on stderr, exit 1

    server = room_server()
    await server.start()
    try:
        app = JoinApp(f"http://127.0.0.1:{server.port}/?code={CODE}", name="Zoe")
        async with app.run_test(size=(60, 20)) as pilot:
            prompt = lambda: str(app.query_one("#prompt").visual)  # noqa: E731
            deadline = time.monotonic() + 10
            while not server.room.active:
                assert time.monotonic() < deadline
                await pilot.pause(0.02)
            await server.begin()
            while server.room.questions[0].prompt not in prompt():
                assert time.monotonic() < deadline
                await pilot.pause(0.02)
            await server.stop()
            while HOST_CLOSED not in prompt():
                assert time.monotonic() < deadline, prompt()
                await pilot.pause(0.02)
            assert "Connection lost" not in str(app.query_one("#status").visual)
            assert app.failure is None
    finally:
        await server.stop()


async def test_joining_late_or_coming_back_mid_game_shows_the_game_never_the_lobby() -> None:
    """`quiz join --plain` in a game already on: told it is on, then its question or reveal."""
    server = room_server()
    room = server.room
    await server.start()
    zed = Typist("1")  # answers question 2 with its first choice
    try:
        room.join("Ann")  # a player with no socket: Zed joins during question 1's reveal
        await server.begin()
        player = Player(f"http://127.0.0.1:{server.port}/", CODE, "Zed", zed.stdin, zed.stdout)
        await server.close_question()
        playing = asyncio.ensure_future(player.run())
        await until(lambda: "The game is on" in zed.stdout.getvalue())
        await server.advance()
        await until(lambda: room.answered_count()[0] == 1)  # Zed's answer to question 2
        await server.close_question()
        await until(lambda: "Source:" in zed.stdout.getvalue())
        token = next(p.token for p in room.players.values() if p.name == "Zed")
        await server.sockets[token].ws.close(code=1000)  # not the host closing: he comes back
        await until(lambda: zed.stdout.getvalue().count("Source:") == 2)
        await server.advance()
        async with asyncio.timeout(10):
            assert await playing == 0
    finally:
        await server.stop()
    shown = zed.stdout.getvalue()
    assert "Joined as Zed (2 in the room). The game is on: you play from the next question" in shown
    assert shown.index("Back in the room as Zed.") < shown.rindex("Source:")
    assert "Players (" not in shown and "Waiting for the host" not in shown, shown
    assert "Game over" in shown
