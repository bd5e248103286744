"""Helpers for driving the TUI with Pilot: a fake clock, a deck, a save folder."""

from __future__ import annotations

from collections.abc import Callable
from pathlib import Path

import pytest

from quiz.deckfile.read import load_deck
from quiz.game.play import Game
from quiz.saves.folder import SaveFolder
from quiz.session import save_folder, start_game
from quiz.tui.app import QuizApp, make_app
from quiz.tui.screens.question import QuestionScreen
from tests.conftest import FIXED

DECK = load_deck(FIXED)


class FakeClock:
    """A clock the test moves by hand: no sleeps, no flaky timing."""

    def __init__(self) -> None:
        self.now = 1000.0

    def __call__(self) -> float:
        return self.now

    def advance(self, seconds: float) -> None:
        self.now += seconds


@pytest.fixture
def clock() -> FakeClock:
    return FakeClock()


@pytest.fixture
def saves(tmp_path: Path) -> SaveFolder:
    return save_folder(tmp_path / "saves")  # as `quiz play` opens it


@pytest.fixture
def game_app(saves: SaveFolder, clock: FakeClock):
    """An app that opens straight on question 1, as `quiz play --player Ann` does."""

    def build(
        count: int = 3, seed: int = 7, timer: int | None = None, player: str = "Ann", deck=DECK
    ) -> QuizApp:
        game = start_game(deck, saves, player, count=count, seed=seed, timer=timer)
        return make_app(deck=deck, saves=saves, game=game, clock=clock)

    return build


LIMITS = load_deck(
    Path(__file__).resolve().parent.parent / "data" / "decks" / "limits" / "limits.toml"
)


def screen_text(app: QuizApp) -> str:
    """What the terminal shows right now, line by line (what a player can read)."""
    return "\n".join(strip.text for strip in app.screen._compositor.render_strips())


def wrong_key(question) -> str:  # type: ignore[no-untyped-def]
    """The key of a wrong choice."""
    return str((question.answer + 1) % len(question.choices) + 1)


async def answer_all(  # type: ignore[no-untyped-def]
    app: QuizApp, pilot, right: Callable[[Game], bool] = lambda game: True
) -> None:
    """Answer every question to the end of the game; ``right(game)`` says whether the
    current player answers right (everyone, by default)."""
    while isinstance(app.screen, QuestionScreen):
        game = app.game
        assert game is not None
        q = game.current
        await pilot.press(str(q.answer + 1) if right(game) else wrong_key(q), "enter")
        await pilot.pause()
