"""Issue 25 in `quiz join`'s screen: a typed answer, a number and an order's letters in the
answer line, read as `quiz play` reads them, against a scripted room on 127.0.0.1."""

from __future__ import annotations

import asyncio
from typing import Any

from quiz.tui.live.join import JoinApp
from quiz.tui.widgets.answer import AnswerInput
from tests.ui.test_live_round3 import until
from tests.unit.test_join_forms import scripted_room


async def test_quiz_join_answers_each_form_in_its_answer_line_and_says_how_close() -> None:
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
            go.set()
            await until(pilot, lambda: "Game over" in text("#prompt"), "the end")
            await until(pilot, lambda: "1/3 right, 2 close" in text("#status"), "the count")
    finally:
        await runner.cleanup()
