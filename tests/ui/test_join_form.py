"""The `quiz join` form: Enter in the code goes to the name; Join without a name says what is missing."""

from __future__ import annotations

from textual.widgets import Input, Static

from quiz.tui.live.join import JoinApp


async def test_enter_in_the_code_moves_to_the_name_and_join_needs_both() -> None:
    # Nothing listens on this port: the form never gets as far as connecting.
    app = JoinApp("http://127.0.0.1:9/")
    async with app.run_test(size=(80, 24)) as pilot:
        assert app.focused is app.query_one("#code", Input)
        await pilot.press(*"123456", "enter")
        assert app.focused is app.query_one("#name", Input)
        await pilot.click("#join")
        await pilot.pause()
        error = str(app.query_one("#form-error", Static).visual)
        assert "Type the room code and your name." in error
