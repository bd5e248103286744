"""Whole games through every input path, as a player would play them."""

from __future__ import annotations

import tomllib

from textual.widgets import DataTable, Label, Static

from quiz.tui.screens.history import HistoryScreen
from quiz.tui.screens.leaderboard import LeaderboardScreen
from quiz.tui.screens.modals import ConfirmQuit, HelpScreen
from quiz.tui.screens.question import QuestionScreen
from quiz.tui.screens.results import ResultsScreen
from quiz.tui.screens.start import StartScreen
from quiz.tui.widgets.choices import ChoiceList
from quiz.tui.widgets.status import DeckBar
from tests.conftest import settle, wait_until
from tests.ui.conftest import screen_text


def text_of(app, selector: str) -> str:  # type: ignore[no-untyped-def]
    widget = app.screen.query_one(selector)
    return str(widget.render() if not isinstance(widget, Static) else widget.visual)


def finished_games(saves) -> list[dict]:  # type: ignore[no-untyped-def]
    return [
        tomllib.loads(p.read_text(encoding="utf-8"))
        for p in sorted(saves.root.glob("*/games/*.toml"))
    ]


async def play_all(app, pilot, key_for) -> None:  # type: ignore[no-untyped-def]
    """Answer every question with the keys key_for(question) gives, pressing Enter between."""
    while isinstance(app.screen, QuestionScreen):
        question = app.game.current
        for key in key_for(question):
            await pilot.press(key)
        await pilot.pause()
        assert app.screen.answered
        await pilot.press("enter")
        await pilot.pause()


async def test_number_keys_play_a_whole_game_to_all_correct(game_app, saves) -> None:  # type: ignore[no-untyped-def]
    app = game_app(count=3)
    async with app.run_test(size=(80, 24)) as pilot:
        assert isinstance(app.screen, QuestionScreen)
        assert "Question 1/3" in text_of(app, "#progress-label")
        await play_all(app, pilot, lambda q: [str(q.answer + 1)])
        assert isinstance(app.screen, ResultsScreen)
        assert "3/3 correct" in text_of(app, "#correct-count")
        await pilot.pause()
    (record,) = finished_games(saves)
    assert record["correct"] == 3 and record["answered"] == 3 and record["status"] == "finished"
    assert record["player"] == "Ann" and record["seed"] == 7


async def test_letter_keys(game_app) -> None:  # type: ignore[no-untyped-def]
    app = game_app(count=3)
    async with app.run_test(size=(80, 24)) as pilot:
        await play_all(app, pilot, lambda q: ["abcd"[q.answer]])
        assert "3/3 correct" in text_of(app, "#correct-count")


async def test_arrows_and_enter(game_app) -> None:  # type: ignore[no-untyped-def]
    app = game_app(count=3)
    async with app.run_test(size=(80, 24)) as pilot:
        await play_all(app, pilot, lambda q: ["down"] * q.answer + ["enter"])
        assert "3/3 correct" in text_of(app, "#correct-count")


async def test_mouse_clicks(game_app) -> None:  # type: ignore[no-untyped-def]
    app = game_app(count=3)
    async with app.run_test(size=(80, 24)) as pilot:
        while isinstance(app.screen, QuestionScreen):
            question = app.game.current
            # The list has a one-line border; option i sits on line i + 1.
            assert await pilot.click(ChoiceList, offset=(12, question.answer + 1))
            await pilot.pause()
            assert app.screen.answered
            await pilot.click("#feedback")
            await pilot.press("space")
            await pilot.pause()
        assert "3/3 correct" in text_of(app, "#correct-count")


async def test_wrong_answer_shows_symbol_word_right_answer_explanation_and_source(game_app) -> None:  # type: ignore[no-untyped-def]
    app = game_app(count=2)
    async with app.run_test(size=(80, 24)) as pilot:
        question = app.game.current
        wrong = (question.answer + 1) % len(question.choices)
        await pilot.press(str(wrong + 1))
        await pilot.pause()
        feedback = text_of(app, "#feedback")
        assert "\u2717 Wrong." in feedback
        assert f"The answer is: {question.right}" in feedback
        assert "Source: Article on Amber Balcaen" in feedback
        assert "Streak 0" in text_of(app, "#progress-label")
        # Keys do nothing more once answered; the answer stands.
        await pilot.press(str(question.answer + 1))
        await pilot.pause()
        assert "\u2717 Wrong." in text_of(app, "#feedback")
        assert app.game.answered == 1 and not app.game.answers[0].correct


async def test_timer_off_gives_fixed_points_and_streak_bonus(game_app, clock) -> None:  # type: ignore[no-untyped-def]
    app = game_app(count=3)
    async with app.run_test(size=(80, 24)) as pilot:
        for expected in (1000, 1100, 1200):
            clock.advance(7)
            await pilot.press(str(app.game.current.answer + 1))
            await pilot.pause()
            assert f"+{expected} points" in text_of(app, "#feedback")
            await pilot.press("enter")
            await pilot.pause()
        assert app.game.score == 3300


async def test_timer_on_scores_by_speed_and_times_out(game_app, clock) -> None:  # type: ignore[no-untyped-def]
    app = game_app(count=2, timer=20)
    async with app.run_test(size=(80, 24)) as pilot:
        assert "Time 20s" in text_of(app, "#progress-label")
        clock.advance(5)
        await pilot.press(str(app.game.current.answer + 1))
        await pilot.pause()
        assert "+875 points" in text_of(app, "#feedback")  # round(1000 * (1 - 5/40))
        await pilot.press("enter")
        clock.advance(21)
        await wait_until(pilot, lambda: "Time's up." in text_of(app, "#feedback"), "Time's up.")
        assert app.screen.answered
        assert app.game.answers[-1].choice is None and app.game.answers[-1].points == 0


async def test_keys_pressed_as_time_runs_out_do_not_skip_the_reveal(game_app, clock) -> None:  # type: ignore[no-untyped-def]
    app = game_app(count=2, timer=10)
    async with app.run_test(size=(80, 24)) as pilot:
        clock.advance(11)
        await wait_until(pilot, lambda: "Time's up." in text_of(app, "#feedback"), "Time's up.")
        # Meant for the question, too late: neither Next nor the quit dialog.
        await pilot.press("space", "enter", "q", "1")
        await pilot.pause()
        assert isinstance(app.screen, QuestionScreen) and app.screen.answered
        assert app.game.answered == 1 and "Time's up." in text_of(app, "#feedback")
        clock.advance(1.1)  # then keys count again
        await pilot.press("enter")
        await wait_until(pilot, lambda: not app.screen.answered, "the next question")
        assert app.game.answered == 1


async def test_quitting_mid_game_asks_and_keeps_the_game(game_app, saves) -> None:  # type: ignore[no-untyped-def]
    app = game_app(count=3)
    async with app.run_test(size=(80, 24)) as pilot:
        await pilot.press(str(app.game.current.answer + 1), "enter")
        await pilot.press("escape")
        await pilot.pause()
        assert isinstance(app.screen, ConfirmQuit)
        await pilot.press("n")
        await pilot.pause()
        assert isinstance(app.screen, QuestionScreen)
        await pilot.press("q")
        await pilot.pause()
        assert isinstance(app.screen, ConfirmQuit)
        await pilot.press("y")
        await pilot.pause()
    assert app.return_code == 0
    current = tomllib.loads(
        (saves.root / next(saves.root.iterdir()).name / "current.toml").read_text(encoding="utf-8")
    )
    assert current["status"] == "in-progress" and current["answered"] == 1


async def test_results_keys_leaderboard_history_and_play_again(game_app, saves) -> None:  # type: ignore[no-untyped-def]
    app = game_app(count=2)
    async with app.run_test(size=(80, 24)) as pilot:
        await play_all(app, pilot, lambda q: [str(q.answer + 1)])
        table = app.screen.query_one("#review", DataTable)
        assert table.row_count == 2
        await pilot.press("l")
        await settle(app, pilot, "#leaderboard-note")
        assert isinstance(app.screen, LeaderboardScreen)
        board = app.screen.query_one("#leaderboard", DataTable)
        assert board.row_count == 1
        assert str(board.get_row_at(0)[1]) == "Ann"
        await pilot.press("enter")
        await settle(app, pilot, "#history-note")
        assert isinstance(app.screen, HistoryScreen)
        assert "1 game. Best" in text_of(app, "#history-note")
        await pilot.press("escape", "escape")
        await pilot.pause()
        assert isinstance(app.screen, ResultsScreen)
        await pilot.press("p")
        await pilot.pause()
        assert isinstance(app.screen, QuestionScreen)
        assert app.game.answered == 0 and app.game.count == 2


async def test_review_mistakes_asks_only_the_wrong_ones(game_app) -> None:  # type: ignore[no-untyped-def]
    app = game_app(count=3)
    async with app.run_test(size=(80, 24)) as pilot:
        first = app.game.current
        await pilot.press(str((first.answer + 1) % len(first.choices) + 1), "enter")
        await play_all(app, pilot, lambda q: [str(q.answer + 1)])
        assert "2/3 correct" in text_of(app, "#correct-count")
        await pilot.press("r")
        await pilot.pause()
        assert isinstance(app.screen, QuestionScreen)
        assert [q.id for q in app.game.questions] == [first.id]


async def test_help_from_f1_and_question_mark(game_app) -> None:  # type: ignore[no-untyped-def]
    app = game_app()
    async with app.run_test(size=(80, 24)) as pilot:
        await pilot.press("f1")
        await pilot.pause()
        assert isinstance(app.screen, HelpScreen)
        assert "1-4 or a-d" in screen_text(app)
        await pilot.press("escape")
        await pilot.pause()
        assert isinstance(app.screen, QuestionScreen)
        await pilot.press("question_mark")
        await pilot.pause()
        assert isinstance(app.screen, HelpScreen)


async def test_start_screen_starts_a_game_and_remembers_choices(saves, clock) -> None:  # type: ignore[no-untyped-def]
    from quiz.tui.app import make_app
    from tests.ui.conftest import DECK

    app = make_app(deck=DECK, saves=saves, clock=clock, seed=7)
    async with app.run_test(size=(80, 24)) as pilot:
        assert isinstance(app.screen, StartScreen)
        await pilot.click("#start")
        await pilot.pause()
        assert "name is empty" in str(app.screen.query_one("#start-error", Label).visual)
        await pilot.click("#player")
        await pilot.press(*"Zoë", "tab")
        count = app.screen.query_one("#count")
        count.value = "4"
        await pilot.click("#start")
        await pilot.pause()
        assert isinstance(app.screen, QuestionScreen)
        assert app.game.player == "Zoë" and app.game.count == 4 and app.game.seed == 7
    again = make_app(deck=DECK, saves=saves, clock=clock)
    async with again.run_test(size=(80, 24)) as pilot:
        assert again.screen.query_one("#player").value == "Zoë"
        assert again.screen.query_one("#count").value == "4"


async def test_start_screen_offers_resume(game_app, saves, clock) -> None:  # type: ignore[no-untyped-def]
    from quiz.tui.app import make_app
    from tests.ui.conftest import DECK

    app = game_app(count=3)
    async with app.run_test(size=(80, 24)) as pilot:
        await pilot.press(str(app.game.current.answer + 1), "enter", "escape", "y")
        await pilot.pause()
    again = make_app(deck=DECK, saves=saves, clock=clock)
    async with again.run_test(size=(80, 24)) as pilot:
        await pilot.click("#player")
        await pilot.press(*"Ann")
        await pilot.pause()
        assert not again.screen.query_one("#resume").disabled
        await pilot.click("#resume")
        await pilot.pause()
        assert isinstance(again.screen, QuestionScreen)
        assert again.game.answered == 1 and "Question 2/3" in text_of(again, "#progress-label")


async def test_every_screen_names_the_deck(game_app) -> None:  # type: ignore[no-untyped-def]
    app = game_app(count=1)
    title = app.deck.title
    async with app.run_test(size=(80, 24)) as pilot:
        assert title in str(app.screen.query_one(DeckBar).render())
        await pilot.press(str(app.game.current.answer + 1), "enter")
        await pilot.pause()
        assert isinstance(app.screen, ResultsScreen)
        assert title in str(app.screen.query_one(DeckBar).render())
        await pilot.press("l")
        await pilot.pause()
        assert isinstance(app.screen, LeaderboardScreen)
        assert title in str(app.screen.query_one(DeckBar).render())


def reparses(app, monkeypatch) -> list[object]:  # type: ignore[no-untyped-def]
    """Every full re-parse of the app's stylesheet from now on (each one restyles every screen)."""
    seen: list[object] = []
    original = app.stylesheet.reparse
    monkeypatch.setattr(app.stylesheet, "reparse", lambda: seen.append(original()))
    return seen


def test_every_screen_style_file_is_one_the_app_reads_early() -> None:
    """QuizApp._read_later_css reads every .tcss in quiz/tui/screens/: a screen whose
    CSS_PATH named a file elsewhere would bring back the stall the first time it opens."""
    import importlib
    import pkgutil
    from pathlib import Path

    from textual.screen import Screen

    import quiz.tui.screens as screens

    folder = Path(screens.__file__).parent.resolve()
    named = set()
    for module in pkgutil.iter_modules(screens.__path__):
        for value in vars(importlib.import_module(f"quiz.tui.screens.{module.name}")).values():
            ours = isinstance(value, type) and value.__module__.startswith("quiz.")
            if ours and issubclass(value, Screen) and vars(value).get("CSS_PATH"):
                named.add((folder / value.CSS_PATH).resolve())
    assert named and all(path.parent == folder and path.is_file() for path in named)
    assert named == set(folder.glob("*.tcss")), "a style file no screen names, or the reverse"


async def test_from_the_start_screen_no_screen_restyles_the_whole_app(  # type: ignore[no-untyped-def]
    saves, clock, monkeypatch
) -> None:
    from quiz.tui.app import make_app
    from tests.ui.conftest import DECK

    app = make_app(deck=DECK, saves=saves, clock=clock)
    async with app.run_test(size=(80, 24)) as pilot:
        await pilot.pause()
        assert isinstance(app.screen, StartScreen)
        reparsed = reparses(app, monkeypatch)
        await pilot.press("ctrl+l")
        await pilot.pause()
        assert isinstance(app.screen, LeaderboardScreen)
        await pilot.press("f1")
        await pilot.pause()
        assert isinstance(app.screen, HelpScreen)
        assert reparsed == []


async def test_ctrl_c_asks_then_keeps_the_game(game_app, saves) -> None:  # type: ignore[no-untyped-def]
    app = game_app(count=3)
    async with app.run_test(size=(80, 24)) as pilot:
        await pilot.press(str(app.game.current.answer + 1), "enter", "ctrl+c")
        await pilot.pause()
        assert isinstance(app.screen, ConfirmQuit)
        await pilot.press("y")
        await pilot.pause()
    assert saves.load_current("Ann").record.answered == 1
