"""Notices in the TUI: a notification, once, from whichever thread raised it.

Saves run in a worker thread: what they raise reaches the screen as a message
posted to the UI thread (see QuizApp._saves_notice).
"""

from __future__ import annotations

from pathlib import Path

from quiz.saves.folder import SaveFolder, player_slug
from quiz.session import start_game
from quiz.tui.app import make_app
from quiz.tui.screens.leaderboard import LeaderboardScreen
from quiz.tui.screens.question import QuestionScreen
from quiz.tui.screens.results import ResultsScreen
from tests.conftest import settle, wait_until
from tests.ui.conftest import DECK, answer_all

SET_ASIDE = "could not be read (it is not valid TOML"


def damage_a_game(saves: SaveFolder, player: str = "Ann") -> Path:
    games = saves.root / player_slug(player) / "games"
    games.mkdir(parents=True, exist_ok=True)
    bad = games / "20991231T000000000000Z-bad.toml"
    bad.write_text("score = [\n", encoding="utf-8")
    return bad


def shown(app, text: str) -> list[tuple[str, str]]:  # type: ignore[no-untyped-def]
    """The notifications on screen that hold ``text``, with their severity."""
    return [(n.message, n.severity) for n in app._notifications if text in n.message]


async def test_a_damaged_game_read_by_the_save_worker_is_a_warning_once(
    game_app, saves: SaveFolder
) -> None:
    # A finished game the summary does not count (its file was lost): rebuilding it is news.
    earlier = start_game(DECK, saves, "Ann", count=1, seed=9)
    earlier.answer(0, 1.0)
    saves.save_finished(earlier)
    (saves.player_dir("Ann", create=False) / "summary.toml").unlink()
    bad = damage_a_game(saves)
    app = game_app(count=2)
    async with app.run_test(size=(80, 24)) as pilot:
        await answer_all(app, pilot)
        assert isinstance(app.screen, ResultsScreen)
        await app.workers.wait_for_complete()
        await wait_until(pilot, lambda: shown(app, SET_ASIDE), "the set-aside notice")
        await wait_until(pilot, lambda: shown(app, "rebuilt it from"), "the rebuild notice")
        await pilot.pause()
        # Raised together by one save: one notification, a line each, in order.
        ((message, severity),) = shown(app, SET_ASIDE)
        assert severity == "warning"
        first, rebuilt = message.split("\n")
        assert first.startswith(f"{bad.name} {SET_ASIDE}")
        # The player's name, never the folder's.
        assert rebuilt == "the score summary of Ann was missing; rebuilt it from 3 game files"
    assert not bad.exists() and list(bad.parent.glob("*.corrupt-*.toml"))


async def test_the_leaderboard_says_a_damaged_game_while_it_is_shown(
    game_app, saves: SaveFolder
) -> None:
    app = game_app(count=1)
    async with app.run_test(size=(80, 24)) as pilot:
        await answer_all(app, pilot)
        await app.workers.wait_for_complete()
        bad = damage_a_game(saves)
        await pilot.press("l")
        await settle(app, pilot, "#leaderboard-note")
        assert isinstance(app.screen, LeaderboardScreen)
        await wait_until(pilot, lambda: shown(app, SET_ASIDE), "the set-aside notice")
        ((message, severity),) = shown(app, SET_ASIDE)
        assert message.startswith(bad.name) and severity == "warning"


async def test_what_starting_raised_is_told_once_on_the_first_question(
    saves: SaveFolder, clock
) -> None:  # type: ignore[no-untyped-def]
    """As `quiz play --player Ann` does: the CLI holds what starting raised and hands it over."""
    first = start_game(DECK, saves, "Ann", count=3, seed=1)
    saves.save_progress(first)  # quit before answering: replaced, with a note
    started: list[str] = []
    game = start_game(DECK, saves.telling(started.append), "Ann", count=3, seed=2)
    app = make_app(deck=DECK, saves=saves, game=game, clock=clock, notices=started)
    async with app.run_test(size=(80, 24)) as pilot:
        await pilot.pause()
        assert isinstance(app.screen, QuestionScreen)
        kept = "the unfinished game of Ann was kept in the history (not resumed)"
        ((_, severity),) = shown(app, kept)
        assert severity == "information"


async def test_resuming_a_damaged_game_from_the_start_screen_says_both_at_once(
    saves: SaveFolder, clock
) -> None:  # type: ignore[no-untyped-def]
    """Starting inside the app runs on the UI thread: the notice is told there and then."""
    from textual.widgets import Input

    from quiz.tui.screens.start import StartScreen

    current = saves.player_dir("Ann", create=True) / "current.toml"
    current.write_text("[[", encoding="utf-8")
    app = make_app(deck=DECK, saves=saves, clock=clock, shared=True)
    async with app.run_test(size=(80, 24)) as pilot:
        app.screen.query_one("#player", Input).value = "Ann"
        await pilot.pause()
        await pilot.click("#resume")
        await pilot.pause()
        assert isinstance(app.screen, StartScreen)
        ((_, severity),) = shown(app, "current.toml could not be read")
        assert severity == "information"
        ((_, severity),) = shown(app, "could not be read and was set aside; there is no game")
        assert severity == "error"
    assert list(current.parent.glob("current.corrupt-*.toml"))


async def test_many_notices_at_once_are_one_short_notification(game_app) -> None:  # type: ignore[no-untyped-def]
    """A first read of a class's saves can rebuild thirty summaries: one line each would bury the screen."""
    import threading

    app = game_app(count=1)
    async with app.run_test(size=(80, 24)) as pilot:
        await pilot.pause()
        rebuilt = [f"the score summary of Player {n} was missing; rebuilt it" for n in range(8)]
        worker = threading.Thread(target=lambda: [app.saves.notify(t) for t in rebuilt])
        worker.start()
        worker.join()
        await wait_until(pilot, lambda: shown(app, "rebuilt it"), "the notification")
        await pilot.pause(0.5)  # anything still to come would have come by now
        ((message, severity),) = shown(app, "rebuilt it")
        assert severity == "warning"
        assert message.split("\n") == [rebuilt[0], rebuilt[1], "... and 6 more like these"]


async def test_a_notice_raised_as_the_app_closes_is_kept_for_the_terminal(game_app) -> None:  # type: ignore[no-untyped-def]
    """A save worker may finish after the app stopped taking messages: cli.cmd_play prints these."""
    import threading

    app = game_app(count=1)
    async with app.run_test(size=(80, 24)) as pilot:
        await pilot.pause()
    late = threading.Thread(target=app.saves.notify, args=("a late notice",))
    late.start()
    late.join()
    assert app.undelivered == ["a late notice"]
