"""Hot-seat and teams in the TUI: turns, results that compare players, a podium, one save each."""

from __future__ import annotations

import tomllib

from textual.widgets import DataTable

from quiz.session import start_match
from quiz.tui.app import make_app
from quiz.tui.screens.question import QuestionScreen
from quiz.tui.screens.results import MatchResultsScreen
from quiz.tui.widgets.status import DeckBar
from tests.ui.conftest import DECK


async def test_three_players_take_turns_and_results_compare_them(saves, clock) -> None:  # type: ignore[no-untyped-def]
    match = start_match(DECK, saves, ["Ann", "Ben", "Cy"], count=2, seed=4)
    app = make_app(deck=DECK, saves=saves, match=match, clock=clock)
    order = []
    async with app.run_test(size=(80, 24)) as pilot:
        while isinstance(app.screen, QuestionScreen):
            game = app.game
            order.append(game.player)
            assert f"{game.player}'s turn" in str(app.screen.query_one(DeckBar).render())
            right = game.player != "Ben"
            q = game.current
            await pilot.press(str(q.answer + 1 if right else (q.answer + 1) % len(q.choices) + 1))
            await pilot.press("enter")
            await pilot.pause()
        assert order == ["Ann", "Ben", "Cy", "Ann", "Ben", "Cy"]
        assert isinstance(app.screen, MatchResultsScreen)
        table = app.screen.query_one("#review", DataTable)
        assert [str(table.get_row_at(i)[1]) for i in range(3)] == ["Ann", "Cy", "Ben"]
        assert "Ann and Cy tie with 2100 points" in str(
            app.screen.query_one("#correct-count").visual
        )
    asked = [q.id for g in match.games for q in g.questions]
    assert len(asked) == len(set(asked)) == 6, "players never get the same question"
    records = [
        tomllib.loads(p.read_text(encoding="utf-8")) for p in saves.root.glob("*/games/*.toml")
    ]
    assert sorted(r["player"] for r in records) == ["Ann", "Ben", "Cy"]


async def test_teams_get_a_podium_of_mean_scores(saves, clock) -> None:  # type: ignore[no-untyped-def]
    teams = {"Red": ["Ann", "Ben"], "Blue": ["Cy", "Dee"]}
    match = start_match(DECK, saves, ["Ann", "Ben", "Cy", "Dee"], count=1, seed=2, teams=teams)
    app = make_app(deck=DECK, saves=saves, match=match, clock=clock)
    async with app.run_test(size=(80, 24)) as pilot:
        while isinstance(app.screen, QuestionScreen):
            q = app.game.current
            right = app.game.player in ("Ann", "Cy", "Dee")
            await pilot.press(
                str(q.answer + 1 if right else (q.answer + 1) % len(q.choices) + 1), "enter"
            )
            await pilot.pause()
        podium = str(app.screen.query_one("#podium").visual)
        places = [line.split() for line in podium.splitlines()[1:]]
        assert places == [["1st", "Blue", "1000"], ["2nd", "Red", "500"]]


async def test_quitting_a_hot_seat_game_keeps_every_player(saves, clock) -> None:  # type: ignore[no-untyped-def]
    match = start_match(DECK, saves, ["Ann", "Ben"], count=2, seed=4)
    app = make_app(deck=DECK, saves=saves, match=match, clock=clock)
    async with app.run_test(size=(80, 24)) as pilot:
        await pilot.press(str(app.game.current.answer + 1), "enter", "escape", "y")
        await pilot.pause()
    assert saves.load_current("Ann").record.answered == 1
    assert saves.load_current("Ben").record.answered == 0
