"""Playing in a terminal and a browser (issue 23, items 12-15, 17, 18): what a player sees.

A terminal below 60x20 gets one message and a game that waits; the palette holds
only the game's own commands; the hot-seat results review each player's answers
and give each a review round; a game quit and replaced tells nothing about
summaries or folders; the resume hint can be run as printed; the served page
fits a phone.
"""

from __future__ import annotations

import asyncio
import shutil
import sys
from pathlib import Path

from textual.widgets import DataTable, Input

from quiz.saves.folder import SaveFolder
from quiz.session import start_match
from quiz.tui.app import make_app
from quiz.tui.screens.modals import ConfirmNewGame, ConfirmQuit, TooSmall
from quiz.tui.screens.question import QuestionScreen
from quiz.tui.screens.results import MatchResultsScreen, PlayerResultsScreen, ResultsScreen
from tests.conftest import settle, wait_until
from tests.ui.conftest import DECK, answer_all, screen_text, wrong_key

TOO_SMALL = "The terminal is too small: quiz needs 60x20"


# --- 14. below 60x20: one message, and the game waits for a resize ---------------------------


async def test_below_60x20_the_player_is_told_and_the_game_waits_for_a_resize(
    game_app, clock
) -> None:  # type: ignore[no-untyped-def]
    app = game_app(count=2, timer=20)
    async with app.run_test(size=(40, 12)) as pilot:
        await pilot.pause()
        assert isinstance(app.screen, TooSmall)
        shown = screen_text(app)
        assert TOO_SMALL in " ".join(shown.split()) and "It is 40x12" in shown
        assert "Question 1/2" not in shown
        app.tell("a notice that would cover half the screen")
        await pilot.press("1")  # keys never reach the hidden question
        clock.advance(60)  # nor does its timer run out while nobody can see it
        await pilot.pause()
        assert "a notice" not in screen_text(app)
        assert app.game.answered == 0

        await pilot.resize_terminal(80, 24)
        await wait_until(pilot, lambda: isinstance(app.screen, QuestionScreen), "the question")
        assert "Question 1/2" in screen_text(app)
        await pilot.press(str(app.game.current.answer + 1))
        await pilot.pause()
        assert app.game.answered == 1 and app.game.answers[0].correct

        # Smaller again, mid-game: the message again; Ctrl+Q still asks first, over it.
        await pilot.resize_terminal(59, 24)
        await wait_until(pilot, lambda: isinstance(app.screen, TooSmall), "the message")
        await pilot.press("ctrl+q")
        await pilot.pause()
        assert isinstance(app.screen, ConfirmQuit)
        await pilot.press("n")
        await pilot.pause()
        assert isinstance(app.screen, TooSmall)
        await pilot.resize_terminal(60, 20)  # the smallest size played in
        await wait_until(pilot, lambda: isinstance(app.screen, QuestionScreen), "the question")


async def test_the_start_screen_waits_for_a_resize_too(saves: SaveFolder, clock) -> None:  # type: ignore[no-untyped-def]
    app = make_app(deck=DECK, saves=saves, clock=clock, shared=True)
    async with app.run_test(size=(80, 12)) as pilot:
        await pilot.pause()
        assert isinstance(app.screen, TooSmall)
        assert "It is 80x12" in screen_text(app)
        await pilot.resize_terminal(80, 24)
        await wait_until(pilot, lambda: "Your name" in screen_text(app), "the start screen")


# --- 17. the palette: the game's commands, in its words --------------------------------------


async def test_the_palette_lists_only_the_games_commands(game_app) -> None:  # type: ignore[no-untyped-def]
    app = game_app(count=2)
    async with app.run_test(size=(80, 24)) as pilot:
        await pilot.press("ctrl+p")
        await wait_until(pilot, lambda: "Theme" in screen_text(app), "the palette's commands")
        shown = screen_text(app)
        for name in ("Help", "Leaderboard", "Theme", "Quit"):
            assert name in shown
        for textual_own in ("Keys", "Maximize", "Screenshot", "as soon as possible"):
            assert textual_own not in shown
        assert "asks first mid-game" in shown
        await pilot.press(*"quit", "enter")
        await pilot.pause()
        assert isinstance(app.screen, ConfirmQuit)  # mid-game, the palette's Quit asks first


# --- 18. hot-seat results: each player's answers, and their review round --------------------


async def test_hot_seat_results_show_each_players_answers_and_a_review_round(
    saves: SaveFolder, clock
) -> None:  # type: ignore[no-untyped-def]
    match = start_match(DECK, saves, ["Ann", "Ben"], count=2, seed=4)
    app = make_app(deck=DECK, saves=saves, match=match, clock=clock)
    async with app.run_test(size=(80, 24)) as pilot:
        await answer_all(app, pilot, right=lambda game: game.player == "Ann")
        assert isinstance(app.screen, MatchResultsScreen)
        assert "Enter: a player's answers" in screen_text(app)
        table = app.screen.query_one("#review", DataTable)
        assert [str(table.get_row_at(i)[1]) for i in range(2)] == ["Ann", "Ben"]

        # Ann answered everything right: nothing to review, and she is told so.
        await pilot.press("r")
        await pilot.pause()
        assert isinstance(app.screen, MatchResultsScreen)
        told = [n.message for n in app._notifications]
        assert "No mistakes to review: every answer of Ann was right." in told

        # Ben's answers, question by question, as a solo game's results show them.
        await pilot.press("down", "enter")
        await pilot.pause()
        assert isinstance(app.screen, PlayerResultsScreen)
        shown = screen_text(app)
        assert "Results · Ben" in shown and "Your answer" in shown and "Right answer" in shown
        ben = match.games[1]
        assert ben.questions[0].prompt[:20] in shown
        assert "q Back" in shown and "p Again" not in shown
        await pilot.press("escape")
        await pilot.pause()
        assert isinstance(app.screen, MatchResultsScreen)

        # r on Ben's row: his review round, then back to the match's results.
        await pilot.press("r")
        await pilot.pause()
        assert isinstance(app.screen, QuestionScreen)
        assert "Review round · Ben" in screen_text(app)
        assert [q.id for q in app.game.questions] == [q.id for q in ben.questions]
        await answer_all(app, pilot)
        assert isinstance(app.screen, PlayerResultsScreen)
        assert "Review round" in screen_text(app)
        await pilot.press("escape")
        await pilot.pause()
        assert isinstance(app.screen, MatchResultsScreen)
        await pilot.press("p")  # play again: the same players, a new match
        await pilot.pause()
        assert isinstance(app.screen, QuestionScreen)
        assert [g.player for g in app.match.games] == ["Ann", "Ben"]
        assert not any(g.review for g in app.match.games)


# --- 13. quit, then a new game: no notice about summaries or folders -------------------------


async def test_a_game_quit_then_replaced_tells_nothing_about_summaries_or_folders(
    saves: SaveFolder, clock
) -> None:  # type: ignore[no-untyped-def]
    first = make_app(deck=DECK, saves=saves, clock=clock, shared=True)
    async with first.run_test(size=(80, 24)) as pilot:
        first.screen.query_one("#player", Input).value = "Ann"
        await pilot.press("enter")
        await pilot.pause()
        await pilot.press(wrong_key(first.game.current), "escape", "y")
        await pilot.pause()
    app = make_app(deck=DECK, saves=saves, clock=clock, shared=True)
    async with app.run_test(size=(80, 24)) as pilot:
        app.screen.query_one("#player", Input).value = "Ann"
        app.screen.query_one("#count", Input).value = "2"
        await pilot.press("enter")
        await pilot.pause()
        assert isinstance(app.screen, ConfirmNewGame)
        await pilot.press("n")
        await pilot.pause()
        await answer_all(app, pilot)
        await app.workers.wait_for_complete()
        assert isinstance(app.screen, ResultsScreen)
        await pilot.press("l")  # the leaderboard reads every folder's summary
        await settle(app, pilot, "#leaderboard-note")
        told = " ".join(n.message for n in app._notifications)
    folders = [p.name for p in saves.root.iterdir() if p.is_dir()]
    assert folders and not any(name in told for name in folders)
    assert "summary" not in told


# --- 15. the resume hint, as it can be run ---------------------------------------------------


def _fake_quiz(folder: Path) -> Path:
    bin_dir = folder / ".venv" / "bin"
    bin_dir.mkdir(parents=True)
    program = bin_dir / "quiz"
    program.write_text("#!/bin/sh\n", encoding="utf-8")
    program.chmod(0o755)
    return program


def test_the_resume_hint_names_quiz_as_it_was_run(cli, tmp_path: Path, monkeypatch) -> None:  # type: ignore[no-untyped-def]
    program = _fake_quiz(tmp_path)
    saves = str(tmp_path / "saves")
    monkeypatch.chdir(tmp_path)
    monkeypatch.setenv("PWD", str(tmp_path))
    monkeypatch.setenv("PATH", str(tmp_path / "empty"))
    # `make play` runs .venv/bin/quiz, which is not on PATH.
    monkeypatch.setattr(sys, "argv", [".venv/bin/quiz", "play"])
    args = ("play", "--plain", "--player", "Ann", "--count", "3", "--saves", saves)
    result = cli(*args, stdin="1\n")
    assert "Resume it with: .venv/bin/quiz play --player Ann --resume --plain" in result.out
    # From a shell in another folder, the path it can be run by from there.
    monkeypatch.setenv("PWD", "/")
    refused = cli(*args, stdin="1\n")
    assert f"resume it with: {program} play --player Ann --resume" in refused.err
    # Where PATH finds this quiz, plain `quiz`.
    monkeypatch.setenv("PATH", str(program.parent))
    assert shutil.which("quiz") is not None
    again = cli(*args, stdin="1\n")
    assert "resume it with: quiz play --player Ann --resume" in again.err


# --- 12. the served page fits a phone ---------------------------------------------------------


def test_the_served_page_is_fitted_to_the_window_and_keeps_its_own_styles(tmp_path: Path) -> None:
    from aiohttp.test_utils import TestClient, TestServer

    from quiz.serve import make_server, play_command
    from tests.serve_helpers import free_port

    server = make_server(play_command(tmp_path, None), "127.0.0.1", free_port(), 1)

    async def fetch() -> str:
        client = TestClient(TestServer(await server._make_app()))
        await client.start_server()
        try:
            response = await client.get("/")
            return await response.text()
        finally:
            await client.close()

    page = asyncio.run(fetch())
    # Without it a phone lays the page out 980 px wide and shows a part of it.
    assert '<meta name="viewport" content="width=device-width, initial-scale=1">' in page
    # The terminal's own stylesheet, from this server (it was dropped with Google's font).
    assert "/static/css/xterm.css" in page
    assert "googleapis" not in page and "https://" not in page
    assert page.index("dataset.fontSize") > page.index('id="terminal"')
