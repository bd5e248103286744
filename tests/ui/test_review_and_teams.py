"""Review rounds (labelled, then a normal game again, one counting rule) and team results."""

from __future__ import annotations

from textual.widgets import DataTable

from quiz.session import start_match
from quiz.tui.app import make_app
from quiz.tui.screens.history import HistoryScreen
from quiz.tui.screens.question import QuestionScreen
from quiz.tui.screens.results import MatchResultsScreen, ResultsScreen
from quiz.tui.widgets.status import DeckBar
from tests.conftest import settle
from tests.ui.conftest import DECK, answer_all, screen_text, wrong_key


async def test_a_review_round_is_labelled_and_play_again_starts_a_normal_game(game_app) -> None:  # type: ignore[no-untyped-def]
    app = game_app(count=4)
    async with app.run_test(size=(80, 24)) as pilot:
        first = app.game.current
        await pilot.press(wrong_key(first), "enter")
        await answer_all(app, pilot, lambda g: True)
        await pilot.press("r")
        await pilot.pause()
        assert isinstance(app.screen, QuestionScreen) and app.game.review
        shown = screen_text(app)
        assert "Review round" in shown and "Review 1/1" in shown
        await answer_all(app, pilot, lambda g: True)
        assert isinstance(app.screen, ResultsScreen)
        assert "Review round" in screen_text(app)
        assert "practice" in screen_text(app)
        await pilot.press("p")
        await pilot.pause()
        assert isinstance(app.screen, QuestionScreen)
        assert not app.game.review and app.game.count == 4
        assert "Review" not in screen_text(app)


async def test_history_leaves_review_rounds_out_and_says_so(game_app) -> None:  # type: ignore[no-untyped-def]
    app = game_app(count=2)
    async with app.run_test(size=(80, 24)) as pilot:
        await pilot.press(wrong_key(app.game.current), "enter")
        await answer_all(app, pilot, lambda g: True)
        await pilot.press("r")
        await pilot.pause()
        await answer_all(app, pilot, lambda g: True)
        await app.workers.wait_for_complete()
        await pilot.press("h")
        await settle(app, pilot, "#history-note")
        assert isinstance(app.screen, HistoryScreen)
        note = str(app.screen.query_one("#history-note").visual)
        assert note.startswith("1 game.")
        assert "1 review round (practice) not counted" in note
        assert app.screen.query_one("#history", DataTable).row_count == 1


async def play_teams(saves, clock, teams):  # type: ignore[no-untyped-def]
    players = [p for members in teams.values() for p in members]
    match = start_match(DECK, saves, players, count=1, seed=2, teams=teams)
    return match, make_app(deck=DECK, saves=saves, match=match, clock=clock)


async def test_tied_teams_share_a_place_and_every_team_is_listed(saves, clock) -> None:  # type: ignore[no-untyped-def]
    teams = {"Red": ["Ann"], "Blue": ["Ben"], "Green": ["Cy"], "Gold": ["Dee"]}
    match, app = await play_teams(saves, clock, teams)
    async with app.run_test(size=(80, 24)) as pilot:
        await answer_all(app, pilot, lambda g: g.player in ("Ann", "Ben"))
        assert isinstance(app.screen, MatchResultsScreen)
        podium = str(app.screen.query_one("#podium").visual)
        places = [line.split() for line in podium.splitlines()[1:]]
        assert places == [
            ["1st", "Red", "1000"],
            ["1st", "Blue", "1000"],
            ["3rd", "Green", "0"],
            ["3rd", "Gold", "0"],
        ]
        headline = str(app.screen.query_one("#correct-count").visual)
        assert headline == "Teams Red and Blue tie with 1000 points"
        table = app.screen.query_one("#review", DataTable)
        ranks = [str(table.get_row_at(i)[0]) for i in range(4)]
        assert ranks == ["1", "1", "3", "3"], "tied players share a rank"


async def test_the_headline_names_the_winning_team(saves, clock) -> None:  # type: ignore[no-untyped-def]
    # Ann, Ben and Cy tie as players; the headline is about the teams: Red (both right) wins.
    teams = {"Red": ["Ann", "Ben"], "Blue": ["Cy", "Dee"]}
    match, app = await play_teams(saves, clock, teams)
    async with app.run_test(size=(80, 24)) as pilot:
        turns = []
        while isinstance(app.screen, QuestionScreen):
            game = app.game
            turns.append(str(app.screen.query_one(DeckBar).render()))
            q = game.current
            await pilot.press(str(q.answer + 1) if game.player != "Dee" else wrong_key(q))
            await pilot.press("enter")
            await pilot.pause()
        assert "Team Red \u00b7 Ann's turn" in turns[0]
        assert "Team Blue \u00b7 Cy's turn" in turns[2]
        headline = str(app.screen.query_one("#correct-count").visual)
        assert headline == "Team Red wins with 1000 points"


async def test_history_draws_no_chart_for_a_single_score_of_zero(game_app) -> None:  # type: ignore[no-untyped-def]
    app = game_app(count=1)
    async with app.run_test(size=(80, 24)) as pilot:
        await pilot.press(wrong_key(app.game.current), "enter")
        await pilot.pause()
        await app.workers.wait_for_complete()
        await pilot.press("h")
        await settle(app, pilot, "#history-note")
        assert not app.screen.query_one("#history-spark").display
        assert "\u2588" not in screen_text(app)
