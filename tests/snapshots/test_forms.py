"""Snapshots of the typed, estimate and order questions at 80x24 (the fixed deck, ``kinds=``)."""

from __future__ import annotations

from pathlib import Path

from quiz.deckfile.read import load_deck
from quiz.questions.plan import make_quiz
from quiz.saves.folder import SaveFolder
from quiz.session import start_game
from quiz.tui.app import make_app
from tests.conftest import FIXED

DECK = load_deck(FIXED)
SIZE = (80, 24)


def form_app(tmp_path: Path, kind: str):  # type: ignore[no-untyped-def]
    saves = SaveFolder(tmp_path / "saves")
    game = start_game(DECK, saves, "Ann", count=1, seed=5)
    game.questions = make_quiz(DECK, 5, 1, kinds=(kind,))
    return make_app(deck=DECK, saves=saves, game=game, clock=lambda: 1000.0)


def test_typed_question(snap_compare, tmp_path: Path) -> None:  # type: ignore[no-untyped-def]
    assert snap_compare(form_app(tmp_path, "typed"), terminal_size=SIZE, press=[*"Venturni"])


def test_typed_answered_wrong(snap_compare, tmp_path: Path) -> None:  # type: ignore[no-untyped-def]
    press = [*"Nitro [b]x[/b]", "enter"]
    assert snap_compare(form_app(tmp_path, "typed"), terminal_size=SIZE, press=press)


def test_estimate_answered_close(snap_compare, tmp_path: Path) -> None:  # type: ignore[no-untyped-def]
    assert snap_compare(
        form_app(tmp_path, "estimate"), terminal_size=SIZE, press=[*"2023", "enter"]
    )


def test_order_question(snap_compare, tmp_path: Path) -> None:  # type: ignore[no-untyped-def]
    assert snap_compare(form_app(tmp_path, "order"), terminal_size=SIZE, press=["c", "space"])


def test_order_answered_in_part(snap_compare, tmp_path: Path) -> None:  # type: ignore[no-untyped-def]
    press = [*"dcb", "enter"]  # D C B A: all but the last pair in order
    assert snap_compare(form_app(tmp_path, "order"), terminal_size=SIZE, press=press)
