"""What players expect: t/f keys, a points breakdown, a countdown bar, explanations, the theme kept."""

from __future__ import annotations

from textual.widgets import ProgressBar

from quiz.deckfile.read import load_deck
from quiz.tui.app import make_app
from quiz.tui.screens.question import QuestionScreen
from quiz.tui.screens.results import ResultsScreen
from tests.conftest import MINI, wait_until
from tests.ui.conftest import DECK, screen_text


async def test_the_screen_shows_the_games_verdict_at_the_buzzer(game_app, clock) -> None:  # type: ignore[no-untyped-def]
    """10.004 s into a 10 s timer is right (+500); a pick at 10.01 s says "Time's up"."""
    app = game_app(count=2, timer=10)
    async with app.run_test(size=(80, 24)) as pilot:
        clock.advance(10.004)
        await pilot.press(str(app.game.current.answer + 1))
        await wait_until(pilot, lambda: "Right!" in screen_text(app), "the verdict")
        assert "+500 points (500 base)" in screen_text(app)
        await pilot.press("enter")
        await pilot.pause()
        clock.advance(10.01)
        await pilot.press(str(app.game.current.answer + 1))
        await wait_until(pilot, lambda: "Time's up" in screen_text(app), "time's up")
        assert "Wrong" not in screen_text(app)
        assert app.game.score == 500


async def test_true_false_with_t_and_f(saves, clock) -> None:  # type: ignore[no-untyped-def]
    from quiz.session import start_game

    mini = load_deck(MINI)
    game = start_game(mini, saves, "Ann", count=20, seed=3)
    app = make_app(deck=mini, saves=saves, game=game, clock=clock)
    seen = 0
    async with app.run_test(size=(80, 24)) as pilot:
        while isinstance(app.screen, QuestionScreen):
            question = app.game.current
            if question.kind == "boolean":
                seen += 1
                assert "t True" in screen_text(app).splitlines()[-1]
                await pilot.press("t" if question.right == "True" else "f")
                await pilot.pause()
                assert app.game.answers[-1].correct
            else:
                await pilot.press("t")
                await pilot.pause()
                assert not app.screen.answered, "t answers only true/false questions"
                await pilot.press(str(question.answer + 1))
                await pilot.pause()
            await pilot.press("enter")
            await pilot.pause()
    assert seen, "the deck gave no true/false question to try"


async def test_each_answer_shows_where_its_points_came_from(game_app, clock) -> None:  # type: ignore[no-untyped-def]
    app = game_app(count=2, timer=20)
    async with app.run_test(size=(80, 24)) as pilot:
        clock.advance(5)
        await pilot.press(str(app.game.current.answer + 1), "enter")
        await pilot.pause()
        clock.advance(10)
        await pilot.press(str(app.game.current.answer + 1))
        await pilot.pause()
        assert "+850 points (500 base + 250 speed + 100 streak)" in screen_text(app)


async def test_a_timed_game_shows_a_countdown_bar(game_app, clock) -> None:  # type: ignore[no-untyped-def]
    app = game_app(count=2, timer=20)
    async with app.run_test(size=(80, 24)) as pilot:
        bar = app.screen.query_one("#countdown", ProgressBar)
        assert bar.total == 20 and bar.progress == 20
        clock.advance(15)
        await wait_until(pilot, lambda: bar.progress != 20, "the bar moved")
        assert bar.progress == 5
    untimed = game_app(count=2)
    async with untimed.run_test(size=(80, 24)):
        assert not untimed.screen.query("#countdown")


async def test_the_results_review_shows_the_explanation(game_app) -> None:  # type: ignore[no-untyped-def]
    app = game_app(count=2)
    async with app.run_test(size=(80, 24)) as pilot:
        questions = list(app.game.questions)
        for q in questions:
            await pilot.press(str(q.answer + 1), "enter")
            await pilot.pause()
        assert isinstance(app.screen, ResultsScreen)
        assert questions[0].explanation[:40] in screen_text(app).replace("\n", " ")
        await pilot.press("down")
        await pilot.pause()
        shown = " ".join(line.strip(" \u258a\u2503") for line in screen_text(app).splitlines())
        assert questions[1].explanation[:30] in shown


async def test_the_theme_is_remembered_between_runs(saves, clock, hermetic) -> None:  # type: ignore[no-untyped-def]
    app = make_app(deck=DECK, saves=saves, clock=clock)
    async with app.run_test(size=(80, 24)) as pilot:
        app.theme = "nord"
        await pilot.pause()
    again = make_app(deck=DECK, saves=saves, clock=clock)
    async with again.run_test(size=(80, 24)):
        assert again.theme == "nord"
    # Kept in the user's own config folder, never in the shared saves folder.
    assert list(hermetic.rglob("tui.toml")) and not list(saves.root.rglob("tui.toml"))
