"""Issue 25 in `quiz join --plain`: typed, estimate and order questions from a scripted room.

The room here is a script on 127.0.0.1 (port 0) that sends each form's question
frame, takes the answer frame the player sends, and reveals it as the protocol
says (docs/protocol.md). Every wait has a deadline.
"""

from __future__ import annotations

import asyncio
import json
from typing import Any

from aiohttp import web

from quiz.plain.join import Player
from quiz.questions.question import Question
from tests.room_helpers import serve_ws
from tests.unit.test_join_round3 import CODE, Typist

QUESTIONS: list[dict[str, Any]] = [
    {"kind": "typed", "prompt": "In 2024, which team did she drive for?", "choices": []},
    {"kind": "estimate", "prompt": "Where did she finish at Kansas?", "choices": [],
     "low": 1, "high": 40, "unit": "place", "tolerance": 2},
    {"kind": "order", "prompt": "Put these finishes in order, best first.", "choices": [],
     "items": ["Kansas", "Daytona", "Talladega"]},
]  # fmt: skip
REVEALS: list[dict[str, Any]] = [
    {"correct": True, "points": 100, "answer_text": "Rette Jones Racing",
     "given": "rette jones", "credit": 1.0, "breakdown": "60 base + 40 speed"},
    {"correct": False, "points": 60, "answer_text": "6th", "answer_value": 6,
     "given": "8th", "credit": 0.6, "off": 2},
    {"correct": False, "points": 67, "answer_text": "Talladega \u2192 Kansas \u2192 Daytona",
     "order": [2, 0, 1], "given": "Talladega \u2192 Daytona \u2192 Kansas", "credit": 2 / 3},
]  # fmt: skip


async def scripted_room(
    answers: list[dict[str, Any]], go: asyncio.Event | None = None
) -> tuple[web.AppRunner, int]:
    """A room that asks QUESTIONS in turn, each closed with its REVEALS entry once answered;
    with ``go``, the host moves on to the next question only when it is set (then cleared)."""

    async def room(request: web.Request) -> web.WebSocketResponse:
        ws = web.WebSocketResponse()
        await ws.prepare(request)
        await ws.receive(timeout=10)  # the join
        await ws.send_str(json.dumps({"type": "welcome", "name": "Ann", "token": "t1"}))
        for number, (asked, told) in enumerate(zip(QUESTIONS, REVEALS, strict=True), 1):
            if go is not None and number > 1:
                await asyncio.wait_for(go.wait(), 10)
                go.clear()
            frame = {"type": "question", "question": number, "count": 3, "seconds": None}
            await ws.send_str(json.dumps({**frame, **asked}))
            answers.append(json.loads((await ws.receive(timeout=10)).data))
            await ws.send_str(json.dumps({"type": "answered", "question": number}))
            await ws.send_str(
                json.dumps(
                    {
                        "type": "reveal",
                        "question": number,
                        "answer": None,
                        "score": 0,
                        "rank": 1,
                        "players": 1,
                        "kind": asked["kind"],
                        **told,
                    }
                )  # fmt: skip
            )
        if go is not None:
            await asyncio.wait_for(go.wait(), 10)
        end = {"type": "end", "score": 227, "rank": 1, "correct": 1, "count": 3, "close": 2}
        await ws.send_str(json.dumps(end))
        return ws

    return await serve_ws(room)


async def test_plain_join_reads_typed_numbers_and_orders_and_says_how_close() -> None:
    answers: list[dict[str, Any]] = []
    runner, port = await scripted_room(answers)
    typist = Typist("  rette jones  ", "eighth", "8th", "a", "cab")
    try:
        player = Player(f"http://127.0.0.1:{port}/", CODE, "Ann", typist.stdin, typist.stdout)
        async with asyncio.timeout(10):
            code = await player.run()
    finally:
        await runner.cleanup()
    shown = typist.stdout.getvalue()
    assert code == 0, shown
    assert [{k: v for k, v in a.items() if k not in ("type", "question")} for a in answers] == [
        {"text": "rette jones"},
        {"value": 8},
        {"order": [2, 0, 1]},
    ]
    assert "Your answer (type the answer): " in shown
    # What a near answer earns, in `quiz play`'s words (newcomer N4 item 3).
    assert "  (A number from 1st to 40th. Up to 2 places off earns part of the points.)" in shown
    assert "Type a number, like 3rd." in shown  # "eighth" is not a number: asked again
    assert "  a) Kansas\n  b) Daytona\n  c) Talladega\n" in shown
    assert "Type the 3 letters (or numbers) in your order, first to last, like abc or 123" in shown
    # The parts, as the phone and the join screen say them (newcomer N4 item 7).
    assert "\u2713 Right! +100 points (60 base + 40 speed). Score" in shown
    assert "You typed: rette jones. The answer is: Rette Jones Racing." in shown
    assert "\u2248 Close. +60 points." in shown
    assert "You said: 8th. 2 places off. The answer is: 6th." in shown
    assert "Your order: Talladega \u2192 Daytona \u2192 Kansas. 2 of 3 pairs in order." in shown
    assert "Game over: place 1, score 227, 1/3 right, 2 close." in shown  # the near ones counted


async def play_in_a_real_room(questions: list[Question], typist: Typist) -> tuple[int, str]:
    """Ann plays ``questions`` in a real room on 127.0.0.1 with what ``typist`` types; the
    host closes each question once she has answered it. Her exit code and what she saw."""
    from quiz.room.server import RoomServer
    from quiz.room.state import Room
    from tests.serve_helpers import until
    from tests.unit.test_join_round3 import DECK

    room = Room(questions, code=CODE, seed=1, deck_id=DECK.id, deck_title=DECK.title)
    server = RoomServer(room, None, port=0)
    await server.start()
    try:
        player = Player(
            f"http://127.0.0.1:{server.port}/", CODE, "Ann", typist.stdin, typist.stdout
        )
        playing = asyncio.ensure_future(player.run())
        await until(lambda: bool(room.active))
        await server.begin()
        for _ in questions:
            await until(lambda: room.answered_count()[0] == 1)
            await server.close_question()
            await server.advance()
        async with asyncio.timeout(10):
            code = await playing
    finally:
        await server.stop()
    return code, typist.stdout.getvalue()


async def test_plain_join_answers_each_form_in_a_real_room_that_judges_them() -> None:
    from quiz.questions.plan import make_quiz
    from tests.unit.test_join_round3 import DECK

    questions = make_quiz(DECK, 1, 3, kinds=("typed", "estimate", "order"))
    assert [q.kind for q in questions] == ["estimate", "typed", "order"]
    estimate, typed, order = questions
    letters = "".join("abcd"[k] for k in order.order)
    code, shown = await play_in_a_real_room(
        questions, Typist(str(estimate.value), typed.right.upper(), letters)
    )
    assert code == 0, shown
    assert shown.count("\u2713 Right!") == 3, shown
    assert f"You said: {estimate.right}. Exact. The answer is: {estimate.right}." in shown
    assert f"The answer is: {typed.right}." in shown
    pairs = len(order.choices) * (len(order.choices) - 1) // 2
    assert f"Your order: {order.right}. {pairs} of {pairs} pairs in order." in shown


async def test_plain_join_answers_true_or_false_with_t_and_f() -> None:
    from quiz.questions.plan import make_quiz
    from tests.unit.test_join_round3 import DECK

    questions = make_quiz(DECK, 1, 2, kinds=("boolean",))
    words = ["true" if q.choices[q.answer] == "True" else "f" for q in questions]
    code, shown = await play_in_a_real_room(questions, Typist(*words))
    assert code == 0, shown
    assert "or t/f): " in shown
    assert shown.count("\u2713 Right!") == 2, shown


async def test_plain_join_shows_round_cards_team_standings_and_a_rounds_board() -> None:
    typist = Typist()
    player = Player("http://127.0.0.1:9/", CODE, "Ann", typist.stdin, typist.stdout)
    frames: list[dict[str, Any]] = [
        {"type": "welcome", "name": "Ann", "token": "t1", "players": 2,
         "teams": ["Red", "<i>Blue</i>"], "team": None, "pick": True},
        {"type": "team", "team": "Red"},
        {"type": "round", "round": 2, "rounds": 3, "title": "Speed"},
        {"type": "leaderboard", "round": 1, "top": [
            {"name": "Ben", "score": 900, "place": 1}, {"name": "Ann", "score": 900, "place": 1}]},
        {"type": "teams", "teams": [{"name": "Red", "score": 900, "place": 1, "players": 1},
                                    {"name": "<i>Blue</i>", "score": 0, "place": 2, "players": 1}]},
    ]  # fmt: skip
    for frame in frames:
        await player._on(None, frame)
    shown = typist.stdout.getvalue()
    assert "Teams: Red, <i>Blue</i>. You are put on one when the game starts" in shown
    assert "Your team: Red." in shown
    assert "Round 2 of 3: Speed" in shown
    assert "Round 1 top 5: 1. Ben 900, 1. Ann 900" in shown
    assert "Teams: 1. Red 900 (your team), 2. <i>Blue</i> 0" in shown


async def test_plain_join_without_a_code_says_no_room_is_there_before_asking_for_one() -> None:
    import io

    from tests.serve_helpers import free_port

    page = f"http://127.0.0.1:{free_port()}/"  # nothing listens there
    out = io.StringIO()
    player = Player(page, None, None, io.StringIO("123456\nAnn\n"), out)
    async with asyncio.timeout(10):
        code = await player.run()
    assert code == 1
    assert out.getvalue().strip() == f"No room is answering at {page} (is `quiz host` running?)"
