"""Quitting mid-game always asks, the timer stops while asked, and the terminal says how to resume."""

from __future__ import annotations

from quiz.tui.screens.modals import ConfirmQuit, HelpScreen
from quiz.tui.screens.question import QuestionScreen
from tests.conftest import wait_until
from tests.ui.conftest import screen_text


async def test_the_timer_stops_while_the_quit_dialog_is_open(game_app, clock) -> None:  # type: ignore[no-untyped-def]
    app = game_app(count=2, timer=20)
    async with app.run_test(size=(80, 24)) as pilot:
        clock.advance(5)
        await pilot.press("escape")
        await pilot.pause()
        assert isinstance(app.screen, ConfirmQuit)
        clock.advance(60)
        await pilot.pause(0.3)
        await pilot.press("n")
        await pilot.pause(0.3)
        assert isinstance(app.screen, QuestionScreen)
        assert not app.screen.answered, "time ran out while the player was being asked"
        assert "Time 15s" in screen_text(app)
        await pilot.press(str(app.game.current.answer + 1))
        await pilot.pause()
        assert app.game.answers[0].correct and app.game.answers[0].seconds == 5


async def test_the_timer_stops_while_help_is_open(game_app, clock) -> None:  # type: ignore[no-untyped-def]
    app = game_app(count=2, timer=10)
    async with app.run_test(size=(80, 24)) as pilot:
        await pilot.press("f1")
        await pilot.pause()
        assert isinstance(app.screen, HelpScreen)
        clock.advance(30)
        await pilot.pause(0.3)
        await pilot.press("escape")
        await pilot.pause(0.3)
        assert not app.screen.answered
        clock.advance(11)
        await wait_until(pilot, lambda: "Time's up" in screen_text(app), "Time's up")
        assert app.screen.answered


async def test_ctrl_q_with_help_on_top_asks_first(game_app, saves) -> None:  # type: ignore[no-untyped-def]
    app = game_app(count=3)
    async with app.run_test(size=(80, 24)) as pilot:
        await pilot.press(str(app.game.current.answer + 1), "enter", "f1")
        await pilot.pause()
        assert isinstance(app.screen, HelpScreen)
        for key in ("ctrl+q", "ctrl+c"):
            await pilot.press(key)
            await pilot.pause()
            assert isinstance(app.screen, ConfirmQuit), key
            await pilot.press("n")
            await pilot.pause()
            assert isinstance(app.screen, HelpScreen)
        assert app.is_running


async def test_the_palette_quit_asks_first_mid_game(game_app, saves) -> None:  # type: ignore[no-untyped-def]
    app = game_app(count=3)
    async with app.run_test(size=(80, 24)) as pilot:
        await pilot.press(str(app.game.current.answer + 1), "enter")
        await app.action_quit()
        await pilot.pause()
        assert isinstance(app.screen, ConfirmQuit)
        await pilot.press("y")
        await pilot.pause()
    assert saves.load_current("Ann").record.answered == 1


async def test_quitting_says_how_to_resume(game_app, saves, capsys) -> None:  # type: ignore[no-untyped-def]
    app = game_app(count=3, player="Ann Lee")
    async with app.run_test(size=(80, 24)) as pilot:
        await pilot.press(str(app.game.current.answer + 1), "enter", "escape", "y")
        await pilot.pause()
    from quiz.cli.play import tell_resume  # what `quiz play` prints once the terminal is back

    tell_resume(app.match)
    printed = capsys.readouterr().out
    assert "quiz play --player 'Ann Lee' --resume" in printed
    assert "1 of 3 questions answered" in printed


async def test_after_the_match_quit_does_not_ask(game_app, capsys) -> None:  # type: ignore[no-untyped-def]
    app = game_app(count=1)
    async with app.run_test(size=(80, 24)) as pilot:
        await pilot.press(str(app.game.current.answer + 1), "enter")
        await pilot.pause()
        await pilot.press("ctrl+q")
        await pilot.pause()
    assert app.return_code == 0 and "Resume it with" not in capsys.readouterr().err


async def test_a_save_that_fails_at_quit_is_not_called_saved(game_app, saves, monkeypatch) -> None:  # type: ignore[no-untyped-def]
    from quiz.saves.folder import SaveError, SaveFolder

    app = game_app(count=3)
    async with app.run_test(size=(80, 24)) as pilot:
        await pilot.press(str(app.game.current.answer + 1), "enter")
        await app.workers.wait_for_complete()

        def full(self, game):  # type: ignore[no-untyped-def]
            raise SaveError("the disk is full")

        monkeypatch.setattr(SaveFolder, "save_progress", full)
        await pilot.press("escape", "y")
        await pilot.pause()
    # cli.cmd_play reads these: exit 1 and why, never "The game is saved".
    assert app.return_code == 1
    assert app.unsaved == "the disk is full"
    assert saves.load_current("Ann").record.answered == 1  # the last save that worked


async def test_help_opened_as_the_game_ends_leaves_no_screen_behind(game_app) -> None:  # type: ignore[no-untyped-def]
    from quiz.tui.screens.results import ResultsScreen

    app = game_app(count=1)
    async with app.run_test(size=(80, 24)) as pilot:
        for _round in range(2):
            await pilot.press(str(app.game.current.answer + 1))
            await pilot.pause()
            question = app.screen
            question.action_next()  # Enter, and F1 in the same moment
            app.action_help()
            await pilot.pause()
            assert isinstance(app.screen, ResultsScreen)
            assert [type(s).__name__ for s in app.screen_stack] == [
                "QuestionScreen",
                "ResultsScreen",
            ]
            await pilot.press("p")  # play again
            await pilot.pause()
            assert isinstance(app.screen, QuestionScreen)
            assert len(app.screen_stack) == 2
