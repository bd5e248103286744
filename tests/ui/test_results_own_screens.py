"""The results screen opens its own leaderboard and history, and is still there (as it was) after."""

from __future__ import annotations

from textual.widgets import DataTable

from quiz.tui.screens.leaderboard import LeaderboardScreen
from quiz.tui.screens.results import ResultsScreen
from tests.conftest import settle
from tests.ui.conftest import answer_all


async def test_back_from_the_leaderboard_the_results_keep_the_row_being_read(game_app) -> None:  # type: ignore[no-untyped-def]
    app = game_app(count=3)
    async with app.run_test(size=(80, 24)) as pilot:
        await answer_all(app, pilot)
        results = app.screen
        assert isinstance(results, ResultsScreen)
        await pilot.press("down", "down")
        assert results.query_one("#review", DataTable).cursor_row == 2
        await pilot.press("l")
        await settle(app, pilot, "#leaderboard-note")
        assert isinstance(app.screen, LeaderboardScreen)
        await pilot.press("escape")
        await pilot.pause()
        assert app.screen is results
        assert results.query_one("#review", DataTable).cursor_row == 2
        assert "3." in str(results.query_one("#review-detail").visual)


async def test_review_with_no_mistakes_says_so_and_stays_on_the_results(game_app) -> None:  # type: ignore[no-untyped-def]
    app = game_app(count=2)
    async with app.run_test(size=(80, 24)) as pilot:
        await answer_all(app, pilot)
        results = app.screen
        await pilot.press("r")
        await pilot.pause()
        assert app.screen is results
        assert any("No mistakes to review" in n.message for n in app._notifications)
