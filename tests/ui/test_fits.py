"""Every screen fits the terminal: 80x24 with a deck at the validator's limits, 60x20, 160x50."""

from __future__ import annotations

import pytest
from textual.widgets import Footer

from quiz.deckfile.limits import CHOICE_MAX, EXPLANATION_MAX, PROMPT_MAX
from quiz.tui.screens.modals import HelpScreen
from quiz.tui.screens.question import QuestionScreen
from quiz.tui.screens.results import ResultsScreen
from tests.ui.conftest import DECK, LIMITS, answer_all, screen_text


def test_the_limits_deck_is_at_the_limits() -> None:
    fact = LIMITS.facts[0]
    assert len(fact.questions[0]) == PROMPT_MAX
    assert len(fact.explanation) == EXPLANATION_MAX
    assert len(str(fact.answer.value)) == CHOICE_MAX


@pytest.mark.parametrize(
    ("deck", "size"), [(LIMITS, (80, 24)), (DECK, (60, 20)), (LIMITS, (60, 20))]
)
async def test_after_an_answer_the_source_and_the_next_hint_are_on_screen(
    game_app, deck, size
) -> None:  # type: ignore[no-untyped-def]
    app = game_app(count=3, deck=deck, seed=1)
    async with app.run_test(size=size) as pilot:
        for _ in range(len(app.game.questions)):
            question = app.game.current
            wrong = (question.answer + 1) % len(question.choices)
            await pilot.press(str(wrong + 1))
            await pilot.pause()
            await pilot.wait_for_scheduled_animations()
            await pilot.pause()
            shown = screen_text(app)
            assert "Enter or Space" in shown, shown
            assert "Source:" in shown, shown
            assert "Wrong." in shown, shown
            await pilot.press("enter")
            await pilot.pause()


async def test_sixty_character_choices_show_whole_at_80_columns(game_app) -> None:  # type: ignore[no-untyped-def]
    app = game_app(count=1, deck=LIMITS, seed=1)
    async with app.run_test(size=(80, 24)) as pilot:
        await pilot.pause()
        before = screen_text(app)
        await pilot.press("1")
        await pilot.pause()
        await pilot.wait_for_scheduled_animations()
        after = screen_text(app)
        for choice in app.game.questions[0].choices:
            assert len(choice) == CHOICE_MAX
            assert choice in before.replace("\n", " ")
        # Once answered, the list gets a scroll bar: the choices still show whole, maybe wrapped.
        joined = " ".join(line.strip(" │") for line in after.splitlines())
        for choice in app.game.questions[0].choices:
            assert choice.split()[-1] in joined


@pytest.mark.parametrize("size", [(80, 24), (60, 20)])
async def test_every_footer_key_fits_on_the_results_screen(game_app, size) -> None:  # type: ignore[no-untyped-def]
    app = game_app(count=1)
    async with app.run_test(size=size) as pilot:
        await pilot.press(str(app.game.current.answer + 1), "enter")
        await pilot.pause()
        assert isinstance(app.screen, ResultsScreen)
        footer = app.screen.query_one(Footer)
        shown = screen_text(app).splitlines()[-1]
        for key in footer.query("FooterKey"):
            assert key.region.right <= size[0], f"{key.description} is cut: {shown!r}"
        for key in ("p Again", "r Review", "l Leaderboard", "h History", "s Share", "q Quit"):
            assert key in shown, shown
        # At 60 columns the keys of the results fill the footer; F1 still opens the help.
        assert ("Help" in shown) == (size[0] >= 64)
        await pilot.press("f1")
        await pilot.pause()
        assert isinstance(app.screen, HelpScreen)


async def test_at_160_columns_the_content_is_capped_and_centred(game_app) -> None:  # type: ignore[no-untyped-def]
    app = game_app(count=1)
    async with app.run_test(size=(160, 50)) as pilot:
        await pilot.pause()
        assert isinstance(app.screen, QuestionScreen)
        choices = app.screen.query_one("#choices")
        assert choices.region.width <= 100
        left = choices.region.x
        right = 160 - choices.region.right
        assert abs(left - right) <= 2 and left >= 25
        await pilot.press(str(app.game.current.answer + 1), "enter")
        await pilot.pause()
        table = app.screen.query_one("#review")
        assert table.region.width <= 100 and table.region.x >= 25


@pytest.mark.parametrize("size", [(80, 24), (60, 20)])
async def test_help_shows_how_to_close_it(game_app, size) -> None:  # type: ignore[no-untyped-def]
    app = game_app(count=1)
    async with app.run_test(size=size) as pilot:
        await pilot.press("f1")
        await pilot.pause()
        shown = screen_text(app)
        assert "Esc closes this help." in shown and "1-4 or a-d" in shown


async def test_the_start_screen_scrolls_to_its_buttons_at_60x20(saves, clock) -> None:  # type: ignore[no-untyped-def]
    from quiz.tui.app import make_app

    (saves.root).mkdir(parents=True, exist_ok=True)
    (saves.root / "last-start.toml").write_text('player = "Ann"\n', encoding="utf-8")
    app = make_app(deck=DECK, saves=saves, clock=clock, shared=False)
    async with app.run_test(size=(60, 20)) as pilot:
        app.screen.query_one("#count").value = "0"
        await pilot.click("#start")
        await pilot.pause()
        shown = screen_text(app)
        assert "between 1 and 500" in shown
        app.screen.query_one("#start").scroll_visible(animate=False)
        await pilot.pause()
        assert "Start" in screen_text(app)


@pytest.mark.parametrize("size", [(80, 24), (60, 20)])
async def test_every_leaderboard_column_shows(game_app, size) -> None:  # type: ignore[no-untyped-def]
    from tests.conftest import settle

    app = game_app(count=1, player="Annabelle Featherstonehaugh-Wilberforce")
    async with app.run_test(size=size) as pilot:
        await pilot.press(str(app.game.current.answer + 1), "enter")
        await pilot.pause()
        await app.workers.wait_for_complete()
        await pilot.press("l")
        await settle(app, pilot, "#leaderboard-note")
        shown = screen_text(app)
        assert "Last played" in shown and "Right" in shown, shown
        assert "Annabelle" in shown and "\u2026" in shown, "a long name is cut with an ellipsis"


async def test_every_column_of_the_match_results_shows_at_60x20(saves, clock) -> None:  # type: ignore[no-untyped-def]
    from quiz.session import start_match
    from quiz.tui.app import make_app

    match = start_match(DECK, saves, ["Ann", "Ben"], count=1, seed=3)
    app = make_app(deck=DECK, saves=saves, match=match, clock=clock)
    async with app.run_test(size=(60, 20)) as pilot:
        await answer_all(app, pilot)
        assert "Best streak" in screen_text(app)


async def test_a_deck_bar_too_narrow_for_its_context_cuts_it_on_its_one_line(saves, clock) -> None:  # type: ignore[no-untyped-def]
    from quiz.session import start_match
    from quiz.tui.app import make_app

    long_name = "Annabelle Marguerite Longname Smithson X"
    teams = {"Red": [long_name, "Bo"], "Blue": ["Cy"]}
    match = start_match(DECK, saves, [long_name, "Bo", "Cy"], count=1, seed=3, teams=teams)
    app = make_app(deck=DECK, saves=saves, match=match, clock=clock)
    async with app.run_test(size=(60, 20)):
        lines = screen_text(app).splitlines()
        assert lines[0].strip().startswith(f"Team Red \u00b7 {long_name}")
        assert lines[0].rstrip().endswith("\u2026"), "cut where it ends, and said so"
        assert lines[1].strip().startswith("Question 1/"), "nothing of the bar spills below it"


async def test_the_next_hint_stays_on_screen_when_the_terminal_shrinks_after_an_answer(
    game_app,
) -> None:  # type: ignore[no-untyped-def]
    app = game_app(count=2, deck=LIMITS, seed=1)
    async with app.run_test(size=(80, 24)) as pilot:
        question = app.game.current
        await pilot.press(str((question.answer + 1) % len(question.choices) + 1))
        await pilot.pause()
        await pilot.wait_for_scheduled_animations()
        assert "Enter or Space" in screen_text(app)
        await pilot.resize_terminal(60, 20)
        await pilot.pause()
        await pilot.wait_for_scheduled_animations()
        await pilot.pause()
        shown = screen_text(app)
        assert "Enter or Space" in shown, shown  # the newcomer's 60x20 after a resize
