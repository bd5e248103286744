"""One rule for which games count: scored, practice (review rounds) or ignored (not played to the end)."""

from __future__ import annotations

from pathlib import Path

from quiz.deckfile.read import load_deck
from quiz.game.play import Game
from quiz.model import GameMode, GameStatus
from quiz.questions.plan import make_quiz
from quiz.scores import report, summary
from quiz.scores.stats import read_games
from quiz.session import save_folder
from tests.conftest import FIXED


def test_every_reader_counts_games_by_the_same_rule(tmp_path: Path) -> None:
    questions = make_quiz(load_deck(FIXED), 1, 2)
    saves = save_folder(str(tmp_path))
    played: list[tuple[GameMode, GameStatus]] = [
        ("tui", "finished"),  # scored
        ("review", "finished"),  # practice
        ("plain", "quit"),  # ignored
    ]
    for mode, status in played:
        game = Game(questions, player="Ann", deck_id="amber", deck_title="T", seed=1, mode=mode)
        game.answer(questions[0].answer, 1)
        saves.save_finished(game, status)

    (row,) = summary.leaderboard(saves)
    assert row["games"] == 1
    history = summary.history(saves, "Ann", "amber")
    assert (len(history.scores), history.reviews) == (1, 1)
    games, _ = read_games(str(tmp_path), None)
    assert [g.mode for g in games] == ["tui"]
    assert sorted(r["mode"] for r in report.rows(saves)) == ["review", "tui"]
