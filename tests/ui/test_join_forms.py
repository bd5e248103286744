"""Issue 25 in `quiz join`'s screen: a typed answer, a number and an order's letters in the
answer line, read as `quiz play` reads them, against a scripted room on 127.0.0.1."""

from __future__ import annotations

import asyncio
from typing import Any

import pytest

from quiz.tui.live.join import JoinApp
from quiz.tui.widgets.answer import AnswerInput
from tests.room_helpers import serve_ws
from tests.ui.conftest import screen_text
from tests.ui.test_live_round3 import until
from tests.unit import test_join_forms
from tests.unit.test_join_forms import REVEALS, scripted_room


async def test_quiz_join_answers_each_form_in_its_answer_line_and_says_how_close(
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    # An order's reveal with an explanation and source as long as the deck's run.
    why = (
        "She finished 8th at Kansas, her best result of the season, after starting 21st;"
        " at Talladega she was caught in a late crash and at Daytona a flat tyre put her"
        " two laps down before the halfway point of the race."
    )
    long = {**REVEALS[2], "explanation": why, "source": "https://example.org/" + "a" * 60}
    monkeypatch.setattr(test_join_forms, "REVEALS", [*REVEALS[:2], long])
    answers: list[dict[str, Any]] = []
    go = asyncio.Event()
    runner, port = await scripted_room(answers, go)
    try:
        app = JoinApp(f"http://127.0.0.1:{port}/?code=123456", name="Ann")
        async with app.run_test(size=(60, 20)) as pilot:
            text = lambda sel: str(app.query_one(sel).visual)  # noqa: E731
            line = app.query_one("#answer", AnswerInput)

            async def answer(typed: str) -> None:
                await until(pilot, lambda: not line.disabled and line.has_focus, "the line open")
                line.value = typed
                await pilot.press("enter")

            await until(pilot, lambda: "which team" in text("#prompt"), "the typed question")
            assert "Type your answer in words. Enter answers." in text("#hint")
            await pilot.press(*"q1 rette jones")  # q and 1 are text here, not keys
            await pilot.press("enter")
            await until(pilot, lambda: "Right" in text("#after"), "the typed reveal")
            assert answers[-1]["text"] == "q1 rette jones"
            assert "The answer is: Rette Jones Racing." in text("#after")
            go.set()

            await until(pilot, lambda: "Kansas?" in text("#prompt"), "the estimate")
            assert "A number from 1st to 40th." in text("#hint")
            assert "Up to 2 places off earns part of the points." in text("#hint")
            await answer("eighth")
            await until(pilot, lambda: "Try again" in text("#hint"), "the retry words")
            assert "Type a number, like 3rd." in text("#hint") and len(answers) == 1
            await answer("8th")
            await until(pilot, lambda: "Close" in text("#after"), "the estimate's reveal")
            assert "You said: 8th. 2 places off." in text("#after")
            go.set()

            await until(pilot, lambda: "in order" in text("#prompt"), "the order question")
            assert "a) Kansas\nb) Daytona\nc) Talladega" in text("#items")
            await answer("cab")
            await until(pilot, lambda: "pairs in order" in text("#after"), "the order's reveal")
            assert answers[-1]["order"] == [2, 0, 1]
            assert "2 of 3 pairs in order." in text("#after")
            # At 60x20 the order's reveal is longer than the screen: the keys scroll it
            # down to its source (newcomer, issue 25: PageDown and Down did nothing).
            body = app.query_one("#body")
            await until(pilot, lambda: body.max_scroll_y > 0, "a reveal taller than the screen")
            await pilot.press("down")
            await until(pilot, lambda: body.scroll_y > 0, "Down scrolls")
            await pilot.press("pagedown", "pagedown", "pagedown")
            await until(pilot, lambda: body.scroll_y == body.max_scroll_y, "PageDown to the end")
            assert "example.org/" in screen_text(app), screen_text(app)
            go.set()
            await until(pilot, lambda: "Game over" in text("#prompt"), "the end")
            await until(pilot, lambda: "1/3 right, 2 close" in text("#status"), "the count")
    finally:
        await runner.cleanup()


async def test_quiz_join_counts_the_time_down_and_keeps_the_reveal_beside_the_teams() -> None:
    """Newcomer N4: "Question 1/4 · 15 seconds" stayed; a teams frame overwrote the reveal."""
    import json

    from aiohttp import web

    sent: asyncio.Queue[dict[str, Any] | None] = asyncio.Queue()

    async def room(request: web.Request) -> web.WebSocketResponse:
        ws = web.WebSocketResponse()
        await ws.prepare(request)
        await ws.receive(timeout=10)  # the join
        await ws.send_str(json.dumps({"type": "welcome", "name": "Ann", "token": "t1"}))
        while (frame := await asyncio.wait_for(sent.get(), 10)) is not None:
            await ws.send_str(json.dumps(frame))
        await ws.close()
        return ws

    runner, port = await serve_ws(room)
    now = [100.0]
    try:
        join = JoinApp(f"http://127.0.0.1:{port}/?code=123456", name="Ann")
        join.clock = lambda: now[0]
        async with join.run_test(size=(60, 20)) as pilot:
            text = lambda sel: str(join.query_one(sel).visual)  # noqa: E731
            await until(pilot, lambda: join.ws is not None and join.token == "t1", "joined")
            question = {"type": "question", "question": 1, "count": 4, "seconds": 15,
                        "prompt": "Which?", "choices": ["Red", "Blue"]}  # fmt: skip
            await sent.put(question)
            await until(pilot, lambda: "Question 1/4 \u00b7 15 seconds" in text("#status"), "15")
            now[0] += 3.5
            await until(pilot, lambda: "Question 1/4 \u00b7 12 seconds" in text("#status"), "12")
            reveal = {"type": "reveal", "question": 1, "answer": 1, "correct": False,
                      "points": 0, "score": 0, "rank": 1, "players": 2, "choice": None}  # fmt: skip
            await sent.put(reveal)
            await until(pilot, lambda: "Blue" in text("#after"), "the reveal")
            shown = text("#after")
            teams = {"type": "teams", "teams": [{"name": "Reds", "score": 500, "place": 1,
                                                 "players": 2}]}  # fmt: skip
            await sent.put(teams)
            await until(pilot, lambda: "Reds" in text("#teams"), "the teams line")
            assert text("#after") == shown  # the reveal stays readable
            await sent.put(None)
    finally:
        await runner.cleanup()
