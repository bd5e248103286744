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
