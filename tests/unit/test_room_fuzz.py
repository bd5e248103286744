"""Hypothesis against the real server: random frames from several clients, and the host's keys.

Invariants: the server never raises and still answers; every player's score is
the sum of the points they were told; the room's record matches what was revealed.
"""

from __future__ import annotations

import asyncio
import json
import logging
import os
from typing import Any

import aiohttp
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from quiz.deckfile.read import load_deck
from quiz.questions.plan import make_quiz
from quiz.room.server import RoomServer
from quiz.room.state import Room
from tests.conftest import CHOICE_FORMS, FIXED

DECK = load_deck(FIXED)
QUESTIONS = make_quiz(DECK, 3, 3, kinds=CHOICE_FORMS)
CHECKED: list[int] = []
EXAMPLES = int(os.environ.get("QUIZ_FUZZ_EXAMPLES", "15"))

names = st.sampled_from(
    ["Ann", "ann", "Ben", "[b]Cy[/b]", "\x1b[31mDee", "\u202eEve", "", " ", "x" * 60]
)
join = st.builds(
    lambda code, name, token: {"type": "join", "code": code, "name": name, **token},
    st.sampled_from(["123456", "123456", "000000", "12345", 123456]),
    names,
    st.sampled_from([{}, {}, {"token": "forged"}, {"token": 7}, {"token": "own"}]),
)
answer = st.builds(
    lambda q, c: {"type": "answer", "question": q, "choice": c},
    st.integers(-1, 4) | st.just("1"),
    st.integers(-1, 5) | st.just(True),
)
raw = st.sampled_from(
    ["", "{", "[]", "null", '{"type": "shout"}', "x" * 5000, '{"type": "answer"}']
)
frame = st.one_of(join, answer, answer, raw)
step = st.one_of(
    st.tuples(st.integers(0, 2), frame),
    st.tuples(st.just(-1), st.sampled_from(["begin", "close", "advance", "remove", "lock"])),
)


async def scenario(steps: list[tuple[int, Any]]) -> None:
    room = Room(
        QUESTIONS, code="123456", seed=3, deck_id=DECK.id, deck_title=DECK.title, timer=None
    )
    # The flood limit has its own test; here every frame must reach the room.
    server = RoomServer(room, None, port=0, rate=1e6, burst=1e6)
    errors: list[str] = []

    class Catch(logging.Handler):
        def emit(self, record: logging.LogRecord) -> None:
            if record.levelno >= logging.ERROR:
                errors.append(record.getMessage())

    catcher = Catch()
    logging.getLogger("aiohttp").addHandler(catcher)
    await server.start()
    url = f"http://127.0.0.1:{server.port}/ws"
    tokens: dict[int, str] = {}
    try:
        async with aiohttp.ClientSession() as session:
            clients = [await session.ws_connect(url) for _ in range(3)]
            seen: list[list[dict[str, Any]]] = [[], [], []]

            async def settle(who: int) -> None:
                """Send a sentinel and read up to its answer: the frame before it is handled."""
                ws = clients[who]
                if ws.closed:
                    return
                try:
                    await ws.send_str('{"type": "sentinel"}')
                except ConnectionError:  # the server closed it (removed, flood, wrong codes)
                    return
                async with asyncio.timeout(10):
                    async for msg in ws:
                        if msg.type != aiohttp.WSMsgType.TEXT:
                            break
                        f = json.loads(msg.data)
                        seen[who].append(f)
                        if f["type"] == "welcome":
                            tokens[who] = f["token"]
                        if f["type"] == "error" and "sentinel" in f["message"]:
                            break

            for who, what in steps:
                if who == -1:
                    try:
                        if what == "begin":
                            await server.begin()
                        elif what == "close":
                            await server.close_question()
                        elif what == "advance":
                            await server.advance()
                        elif what == "remove" and room.active:
                            await server.remove(room.active[0].name)
                        elif what == "lock":
                            server.set_locked(not room.locked)
                    except Exception as exc:  # the host's own refusals are RoomErrors
                        assert type(exc).__name__ == "RoomError", exc
                    continue
                ws = clients[who]
                if ws.closed:
                    continue
                if isinstance(what, dict) and what.get("token") == "own":
                    what = {**what, "token": tokens.get(who, "none")}
                try:
                    await ws.send_str(what if isinstance(what, str) else json.dumps(what))
                except ConnectionError:
                    continue
                await settle(who)
            # Play it out to the end, so every reveal and the end frame go out.
            if room.phase == "lobby" and room.active:
                await server.begin()
            while room.phase in ("question", "reveal"):
                await server.close_question()
                await server.advance()
            for who in range(3):
                await settle(who)
            # The server still answers a newcomer.
            probe = await session.ws_connect(url)
            await probe.send_str("{")
            assert (await probe.receive_json(timeout=10))["code"] == "bad-message"
    finally:
        await server.stop()
        logging.getLogger("aiohttp").removeHandler(catcher)
    assert not errors, errors
    record = room.record()
    for frames in seen:
        welcomes = [f for f in frames if f["type"] == "welcome"]
        if not welcomes:
            continue
        name = welcomes[-1]["name"]
        reveals = [f for f in frames if f["type"] == "reveal"]
        for f in frames:
            assert f["type"] != "question" or "answer" not in f
        if not reveals:
            continue
        points = {r["question"]: r["points"] for r in reveals}
        CHECKED.append(len(points))
        assert reveals[-1]["score"] == sum(points.values())
        recorded = {a["question"]: a["points"] for a in record["answers"] if a["player"] == name}
        for question, got in points.items():
            assert recorded[question] == got
        player = next(p for p in room.players.values() if p.name == name)
        assert player.game.score == sum(a.points for a in player.game.answers)


@settings(
    max_examples=EXAMPLES,
    deadline=None,
    suppress_health_check=[HealthCheck.too_slow, HealthCheck.function_scoped_fixture],
)
@given(st.lists(step, min_size=1, max_size=25))
def test_random_frames_from_several_clients_keep_the_room_consistent(
    steps: list[tuple[int, Any]],
) -> None:
    asyncio.run(scenario(steps))


def test_the_fuzz_reaches_reveals() -> None:
    """The invariants above are checked on real reveals, not only on refused frames."""
    steps: list[tuple[int, Any]] = [
        (0, {"type": "join", "code": "123456", "name": "Ann"}),
        (1, {"type": "join", "code": "123456", "name": "[b]Ben"}),
        (-1, "begin"),
        (0, {"type": "answer", "question": 1, "choice": QUESTIONS[0].answer}),
        (1, {"type": "answer", "question": 1, "choice": 0}),
        (1, {"type": "answer", "question": 1, "choice": 1}),
    ]
    CHECKED.clear()
    asyncio.run(scenario(steps))
    assert CHECKED == [3, 3]
