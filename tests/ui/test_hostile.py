"""A deck built to attack the player: every bracket shows as plain text, nothing acts."""

from __future__ import annotations

from quiz.deckfile.read import load_deck
from quiz.session import start_game
from quiz.tui.app import make_app
from quiz.tui.screens.question import QuestionScreen
from quiz.tui.screens.results import ResultsScreen
from tests.conftest import DATA
from tests.plain_helpers import PlainGame

HOSTILE = DATA / "decks" / "hostile" / "markup.toml"
DECK = load_deck(HOSTILE)


def screen_text(app) -> str:  # type: ignore[no-untyped-def]
    """What the terminal shows, as plain text."""
    return "\n".join(strip.text for strip in app.screen._compositor.render_strips())  # type: ignore[attr-defined]


async def test_markup_in_a_deck_and_a_name_shows_literally_and_never_acts(saves, clock) -> None:  # type: ignore[no-untyped-def]
    game = start_game(DECK, saves, "[@click=app.quit]Mallory", count=2, seed=4)
    app = make_app(deck=DECK, saves=saves, game=game, clock=clock)
    async with app.run_test(size=(80, 24)) as pilot:
        # The planner may ask the quote first: answer it, to reach the pool question.
        if "Which one is" not in screen_text(app):
            await pilot.press("1")
            await pilot.press("enter")
            await pilot.pause()
        text = screen_text(app)
        assert "[bold]Attack[/bold]" in text
        assert "[@click=app.quit]Mallory" in text
        assert "Which one is [@click=app.quit]the action[/]" in text
        assert "[@click=app.quit]Quit now" in text and "[[unbalanced" in text and "[/" in text
        # Click every line of the screen: a live [@click=app.quit] would end the app.
        for y in range(24):
            await pilot.click(offset=(30, y))
        await pilot.pause()
        assert app.is_running
        # A click on the choices answered the question: the feedback shows.
        assert app.screen.answered  # type: ignore[attr-defined]
        await pilot.pause()
        text = screen_text(app)
        assert "[@click=app.bell]Ring[/] and [bold]shout[/bold] and [/ and [[ and ]]" in text
        assert "Source: [link=https://evil.example]Totally real source[/link]" in text
        while isinstance(app.screen, QuestionScreen):
            if not app.screen.answered:
                await pilot.press("1")
            await pilot.press("enter")
            await pilot.pause()
        assert isinstance(app.screen, ResultsScreen)
        await pilot.press("s")  # the share card holds the deck title: a notification, never markup
        await pilot.pause()
        assert app.is_running
        assert "[@click=app.quit]Mallory" in screen_text(app)


def test_plain_mode_prints_markup_literally(plain_game: PlainGame) -> None:  # type: ignore[no-untyped-def]
    result = plain_game("1", "1", player="[bold]Eve", seed=1, count=2, deck=HOSTILE)
    assert result.code == 0
    assert "[bold]Attack[/bold] [@click=app.quit]Deck: 2 questions for [bold]Eve" in result.out
    assert "[@click=app.quit]Quit now" in result.out
