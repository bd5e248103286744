"""The start screen's checks and deck choice; the hot-seat results' play again and leaderboard."""

from __future__ import annotations

from textual.widgets import Button, DataTable, Input, Label, Select

from quiz.deckfile.read import load_deck
from quiz.session import start_match
from quiz.tui.app import make_app
from quiz.tui.screens.leaderboard import LeaderboardScreen
from quiz.tui.screens.question import QuestionScreen
from quiz.tui.screens.results import MatchResultsScreen
from quiz.tui.screens.start import StartScreen
from quiz.tui.widgets.status import DeckBar
from tests.conftest import BUNDLED, MINI, settle, wait_until
from tests.ui.conftest import DECK


def start_error(app) -> str:  # type: ignore[no-untyped-def]
    return str(app.screen.query_one("#start-error", Label).visual)


async def test_start_screen_refuses_a_bad_count_and_says_why(saves, clock) -> None:  # type: ignore[no-untyped-def]
    app = make_app(deck=DECK, saves=saves, clock=clock, seed=7)
    async with app.run_test(size=(80, 24)) as pilot:
        await pilot.click("#player")
        await pilot.press(*"Ann")
        count = app.screen.query_one("#count", Input)
        start = app.screen.query_one("#start", Button)
        for bad in ("0", "501", ""):
            count.value = bad
            # A button ignores clicks while it still shows the last press (0.2 s), as a player sees.
            await wait_until(pilot, lambda: not start.has_class("-active"), "Start released")
            await pilot.click("#start")
            await pilot.pause()
            assert isinstance(app.screen, StartScreen), bad
            assert "must be between 1 and 500" in start_error(app), bad
            assert app.focused is count, "the field to fix has the focus"
        count.value = "2"
        await wait_until(pilot, lambda: not start.has_class("-active"), "Start released")
        await pilot.click("#start")
        await pilot.pause()
        assert isinstance(app.screen, QuestionScreen)
        assert app.game.player == "Ann" and app.game.count == 2
    assert not list(saves.root.glob("*/games/*.toml")), "nothing is saved for a refused start"


async def test_start_screen_refuses_a_blank_name_and_keeps_the_form(saves, clock) -> None:  # type: ignore[no-untyped-def]
    app = make_app(deck=DECK, saves=saves, clock=clock, seed=7)
    async with app.run_test(size=(80, 24)) as pilot:
        await pilot.click("#player")
        await pilot.press(*"   ")
        app.screen.query_one("#count", Input).value = "3"
        await pilot.press("enter")  # Enter in a field submits the form too
        await pilot.pause()
        assert isinstance(app.screen, StartScreen)
        assert "the player name is empty" in start_error(app)
        assert "--player" not in start_error(app), "the TUI does not speak in command-line flags"
        assert app.focused is app.screen.query_one("#player", Input)
        assert app.screen.query_one("#count", Input).value == "3"


async def test_start_screen_plays_the_deck_chosen(saves, clock) -> None:  # type: ignore[no-untyped-def]
    """The start screen lists the bundled decks after the one it was opened with."""
    mini = load_deck(MINI)
    bundled = load_deck(BUNDLED)
    app = make_app(deck=mini, saves=saves, clock=clock, seed=7)
    async with app.run_test(size=(80, 24)) as pilot:
        deck = app.screen.query_one("#deck", Select)
        assert deck.value == mini.id, "the deck it was opened with comes first"
        await pilot.click("#player")
        await pilot.press(*"Ann")
        await pilot.click("#deck")
        await pilot.press("down", "enter")
        await pilot.pause()
        assert deck.value == bundled.id
        app.screen.query_one("#count", Input).value = "2"
        await pilot.click("#start")
        await pilot.pause()
        assert isinstance(app.screen, QuestionScreen)
        assert app.game.deck_id == bundled.id
        assert bundled.title in str(app.screen.query_one(DeckBar).render())
        assert app.game.current.fact in {f.id for f in bundled.facts}


async def play_match(app, pilot) -> None:  # type: ignore[no-untyped-def]
    """Ann answers right, Ben wrong, to the results."""
    while isinstance(app.screen, QuestionScreen):
        q = app.game.current
        right = app.game.player == "Ann"
        await pilot.press(str(q.answer + 1 if right else (q.answer + 1) % len(q.choices) + 1))
        await pilot.press("enter")
        await pilot.pause()
    assert isinstance(app.screen, MatchResultsScreen)


async def test_match_results_play_again_deals_a_new_game_to_the_same_players(saves, clock) -> None:  # type: ignore[no-untyped-def]
    match = start_match(DECK, saves, ["Ann", "Ben"], count=2, seed=4)
    app = make_app(deck=DECK, saves=saves, match=match, clock=clock)
    async with app.run_test(size=(80, 24)) as pilot:
        await play_match(app, pilot)
        await pilot.press("p")
        await pilot.pause()
        assert isinstance(app.screen, QuestionScreen)
        again = app.match
        assert again is not match
        assert [g.player for g in again.games] == ["Ann", "Ben"]
        assert all(g.answered == 0 and g.count == 2 for g in again.games)
        assert "Ann's turn" in str(app.screen.query_one(DeckBar).render())
    assert len(list(saves.root.glob("*/games/*.toml"))) == 2, "the first match stays saved"


async def test_match_results_leaderboard_then_back_to_the_same_results(saves, clock) -> None:  # type: ignore[no-untyped-def]
    match = start_match(DECK, saves, ["Ann", "Ben"], count=2, seed=4)
    app = make_app(deck=DECK, saves=saves, match=match, clock=clock)
    async with app.run_test(size=(80, 24)) as pilot:
        await play_match(app, pilot)
        headline = str(app.screen.query_one("#correct-count").visual)
        assert "Ann wins" in headline
        await pilot.press("l")
        await settle(app, pilot, "#leaderboard-note")
        assert isinstance(app.screen, LeaderboardScreen)
        board = app.screen.query_one("#leaderboard", DataTable)
        assert [str(board.get_row_at(i)[1]) for i in range(board.row_count)] == ["Ann", "Ben"]
        await pilot.press("escape")
        await pilot.pause()
        assert isinstance(app.screen, MatchResultsScreen)
        assert str(app.screen.query_one("#correct-count").visual) == headline
        await pilot.press("q")
        await pilot.pause()
    assert app.return_code == 0
