"""The live room for a whole school (issue 26): the projector's `x` mid-game.

The host's screen is driven through its room with no socket, as in test_live_round3.
"""

from __future__ import annotations

from textual.widgets import OptionList

from quiz.tui.live.host import HostApp
from quiz.tui.live.picker import ExtraPicker
from tests.ui.conftest import screen_text
from tests.ui.test_live_round3 import room_server, until


def flat(text: str) -> str:
    return " ".join(text.split())


async def test_x_mid_game_picks_a_player_whose_extra_time_starts_at_their_next_question() -> None:
    server = room_server(timer=20)
    room = server.room
    app = HostApp(server, start_server=False)
    async with app.run_test(size=(80, 24)) as pilot:
        room.join("Ann")
        ben = room.join("Ben")[0]
        await server.begin()
        await pilot.pause()
        assert "Extra time" in screen_text(app).splitlines()[-1]  # the footer shows x mid-game

        await pilot.press("x")
        await until(pilot, lambda: isinstance(app.screen, ExtraPicker), "the picker")
        assert "Ann" in screen_text(app) and "Ben" in screen_text(app)
        await pilot.press("escape")  # Esc closes, nothing changes
        await until(pilot, lambda: not isinstance(app.screen, ExtraPicker), "picker closed")
        assert (ben.extra, ben.extra_next) == (1, None)

        await pilot.press("x")
        await until(pilot, lambda: isinstance(app.screen, ExtraPicker), "the picker")
        await pilot.press("down", "enter")
        await until(pilot, lambda: not isinstance(app.screen, ExtraPicker), "Ben picked")
        said = "Ben: 1.5x the time from their next question."
        assert said in flat(screen_text(app))
        assert (ben.extra, ben.extra_next) == (1, 1.5)  # this question's time stays as it was

        await server.close_question()
        await pilot.resize_terminal(60, 20)
        await pilot.pause()
        assert "Extra time" in screen_text(app)  # on the reveal too, at 60x20
        await pilot.press("x")
        await until(pilot, lambda: isinstance(app.screen, ExtraPicker), "the picker again")
        names = app.screen.query_one(OptionList)
        assert names.highlighted == 1  # on Ben, the last player picked
        assert "1.5x time" in flat(screen_text(app))
        await pilot.press("enter")
        await until(pilot, lambda: not isinstance(app.screen, ExtraPicker), "Ben again")
        text = flat(screen_text(app))
        assert "Ben: 2x the time from their next question." in text, text

        await server.advance()
        await pilot.pause()
        assert room.phase == "question" and ben.extra == 2  # from the next question on
