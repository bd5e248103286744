"""A room as the tests build one: the fixed deck's choice questions, a fixed code and
seed, and tokens t0, t1, ... so a test can name each player's."""

from __future__ import annotations

import itertools
from collections.abc import Sequence
from typing import Any

from quiz.deckfile.read import load_deck
from quiz.questions.question import Question
from quiz.room.state import Room
from tests.conftest import FIXED

DECK = load_deck(FIXED)


def room_on(questions: Sequence[Question], **kw: Any) -> Room:
    """A room on ``questions`` (its other settings by keyword, as `Room` takes them)."""
    counter = itertools.count()
    return Room(
        list(questions),
        code="123456",
        seed=7,
        deck_id=DECK.id,
        deck_title=DECK.title,
        token_factory=lambda: f"t{next(counter)}",
        **kw,
    )


async def serve_ws(handler: Any) -> tuple[Any, int]:
    """A scripted room on 127.0.0.1: ``handler`` answers `/ws`; (its runner, to clean up, and
    its port). What a test of `quiz join` against a room that says exactly this needs."""
    from aiohttp import web

    app = web.Application()
    app.router.add_get("/ws", handler)
    runner = web.AppRunner(app)
    await runner.setup()
    site = web.TCPSite(runner, "127.0.0.1", 0)
    await site.start()
    return runner, site._server.sockets[0].getsockname()[1]  # type: ignore[union-attr]
