"""The start screen: whose name is filled in, flags from the command line, decks by id."""

from __future__ import annotations

import shutil
from pathlib import Path

import pytest
from textual.widgets import Input, Select

from quiz.tui.app import make_app
from quiz.tui.screens.question import QuestionScreen
from quiz.tui.screens.start import StartScreen
from tests.conftest import MINI
from tests.ui.conftest import DECK, screen_text


async def start_as(app, pilot, name: str) -> None:  # type: ignore[no-untyped-def]
    player = app.screen.query_one("#player", Input)
    player.value = name
    await pilot.click("#start")
    await pilot.pause()


async def test_a_remembered_name_says_whose_it_is(saves, clock) -> None:  # type: ignore[no-untyped-def]
    app = make_app(deck=DECK, saves=saves, clock=clock, shared=False)
    async with app.run_test(size=(80, 24)) as pilot:
        await start_as(app, pilot, "Ann")
        assert isinstance(app.screen, QuestionScreen)
    again = make_app(deck=DECK, saves=saves, clock=clock, shared=False)
    async with again.run_test(size=(80, 24)) as pilot:
        assert again.screen.query_one("#player", Input).value == "Ann"
        assert "The last player here was Ann. Not you?" in screen_text(again)


async def test_served_games_never_remember_a_name(saves, clock) -> None:  # type: ignore[no-untyped-def]
    app = make_app(deck=DECK, saves=saves, clock=clock, shared=True)
    async with app.run_test(size=(80, 24)) as pilot:
        await start_as(app, pilot, "Ann")
        assert isinstance(app.screen, QuestionScreen)
    assert "Ann" not in (saves.root / "last-start.toml").read_text(encoding="utf-8")
    # Even a name remembered before serving began is not offered to the next visitor.
    (saves.root / "last-start.toml").write_text('player = "Ann"\n', encoding="utf-8")
    nxt = make_app(deck=DECK, saves=saves, clock=clock, shared=True)
    async with nxt.run_test(size=(80, 24)):
        assert nxt.screen.query_one("#player", Input).value == ""
        assert "Ann" not in screen_text(nxt)


def test_serve_runs_each_game_as_a_shared_screen(tmp_path: Path) -> None:
    import shlex

    from quiz.cli.main import build_parser
    from quiz.serve import play_command

    # The command each browser runs, parsed as `quiz play` parses it: shared, so the
    # app is built as in test_served_games_never_remember_a_name.
    argv = shlex.split(play_command(tmp_path, "mini"))
    args = build_parser().parse_args(argv[argv.index("play") :])
    assert args.shared and args.deck == "mini"
    assert not build_parser().parse_args(["play"]).shared


async def test_count_and_timer_flags_show_on_the_start_screen(saves, clock) -> None:  # type: ignore[no-untyped-def]
    app = make_app(deck=DECK, saves=saves, clock=clock, count=5, timer=20)
    async with app.run_test(size=(80, 24)) as pilot:
        assert isinstance(app.screen, StartScreen)
        assert app.screen.query_one("#count", Input).value == "5"
        assert app.screen.query_one("#timer", Select).value == 20
        assert "20 seconds" in screen_text(app)
        await start_as(app, pilot, "Ann")
        assert app.game.count == 5 and app.game.timer == 20


async def test_an_unlisted_timer_flag_is_offered_too(saves, clock) -> None:  # type: ignore[no-untyped-def]
    app = make_app(deck=DECK, saves=saves, clock=clock, timer=15)
    async with app.run_test(size=(80, 24)):
        assert app.screen.query_one("#timer", Select).value == 15


@pytest.fixture
def bundle(tmp_path: Path, monkeypatch) -> Path:  # type: ignore[no-untyped-def]
    """A bundle whose deck file is named differently from the deck's id ("mini")."""
    folder = tmp_path / "bundle"
    folder.mkdir()
    shutil.copy(MINI, folder / "a-small-deck.toml")
    monkeypatch.setattr("quiz.deckfile.catalog.bundled_dir", lambda: folder)
    monkeypatch.setattr("quiz.tui.app.bundled_dir", lambda: folder)
    return folder


async def test_a_bundled_deck_named_apart_from_its_id_starts(bundle, saves, clock) -> None:  # type: ignore[no-untyped-def]
    app = make_app(deck=DECK, saves=saves, clock=clock)
    async with app.run_test(size=(80, 24)) as pilot:
        await app.workers.wait_for_complete()  # the bundled decks are read after the first frame
        await pilot.pause()
        select = app.screen.query_one("#deck", Select)
        assert "mini" in [value for _, value in select._options]
        select.value = "mini"
        await start_as(app, pilot, "Ann")
        assert isinstance(app.screen, QuestionScreen), screen_text(app)
        assert app.game.deck_id == "mini"


async def test_starting_over_an_unfinished_game_offers_to_resume_it(game_app, saves, clock) -> None:  # type: ignore[no-untyped-def]
    from quiz.tui.screens.modals import ConfirmNewGame

    app = game_app(count=3)
    async with app.run_test(size=(80, 24)) as pilot:
        await pilot.press(str(app.game.current.answer + 1), "enter", "escape", "y")
        await pilot.pause()
    for key, answered in (("escape", None), ("r", 1), ("n", 0)):
        again = make_app(deck=DECK, saves=saves, clock=clock, shared=True)
        async with again.run_test(size=(80, 24)) as pilot:
            await start_as(again, pilot, "Ann")
            assert isinstance(again.screen, ConfirmNewGame)
            assert "Ann has an unfinished game" in screen_text(again)
            await pilot.press(key)
            await pilot.pause()
            if answered is None:
                assert isinstance(again.screen, StartScreen)
                continue
            assert isinstance(again.screen, QuestionScreen)
            assert again.game.answered == answered
            if key == "r":
                await pilot.press("escape", "y")
                await pilot.pause()
    shelved = [r for r in saves.games(player="Ann") if r.status != "finished"]
    assert len(shelved) == 1 and shelved[0].answered == 1, "the ended game stays in the history"


async def test_resuming_a_hot_seat_game_from_the_start_screen_says_how_instead(
    saves, clock
) -> None:  # type: ignore[no-untyped-def]
    from quiz.session import start_match
    from quiz.tui.screens.modals import ConfirmNewGame

    match = start_match(DECK, saves, ["Ann", "Ben"], count=2, seed=1)
    game = match.current
    game.answer(game.current.answer, 1.0)
    saves.save_progress(game)
    app = make_app(deck=DECK, saves=saves, clock=clock, shared=True)
    async with app.run_test(size=(80, 24)) as pilot:
        await start_as(app, pilot, "Ann")
        assert isinstance(app.screen, ConfirmNewGame)
        await pilot.press("r")
        await pilot.pause()
        # Not Ann's game alone: it resumes only with both players, and the screen says how.
        assert isinstance(app.screen, StartScreen)
        assert "not just these players'" in screen_text(app)
        assert "--player Ann --player Ben" in " ".join(screen_text(app).split())


async def test_start_screen_and_command_line_stop_at_one_count(saves, clock, cli) -> None:  # type: ignore[no-untyped-def]
    # The command line refuses 501 questions...
    refused = cli("play", "--plain", "--player", "Ann", "--count", "501")
    assert refused.code == 2 and "must be between 1 and 500" in refused.err
    # ...and so does the start screen, which stays up and says the same limit.
    app = make_app(deck=DECK, saves=saves, clock=clock, shared=False)
    async with app.run_test(size=(80, 24)) as pilot:
        app.screen.query_one("#count", Input).value = "501"
        await start_as(app, pilot, "Ann")
        assert isinstance(app.screen, StartScreen)
        assert "between 1 and 500" in screen_text(app)


async def test_the_start_screen_draws_first_then_offers_the_remembered_bundled_deck(
    bundle, saves, clock
) -> None:  # type: ignore[no-untyped-def]
    saves.ensure()
    saves.start_choices.write_text('deck = "mini"\n', encoding="utf-8")
    app = make_app(deck=DECK, saves=saves, clock=clock)
    async with app.run_test(size=(80, 24)) as pilot:
        assert isinstance(app.screen, StartScreen)  # drawn before the bundle is read
        await app.workers.wait_for_complete()
        await pilot.pause()
        assert app.screen.query_one("#deck", Select).value == "mini"
        await start_as(app, pilot, "Ann")
        assert app.game.deck_id == "mini"


async def test_a_game_quit_before_its_first_answer_is_replaced_with_a_note(
    game_app, saves, clock
) -> None:  # type: ignore[no-untyped-def]
    # The command line's rule (tests/unit/test_play_sessions.py): nothing to lose, nothing asked.
    app = game_app(count=3)
    async with app.run_test(size=(80, 24)) as pilot:
        await pilot.press("escape", "y")
        await pilot.pause()
    assert saves.has_current("Ann")
    again = make_app(deck=DECK, saves=saves, clock=clock)
    async with again.run_test(size=(80, 24)) as pilot:
        await start_as(again, pilot, "Ann")
        assert isinstance(again.screen, QuestionScreen), screen_text(again)
    (shelved,) = saves.games(player="Ann")
    assert shelved.answered == 0 and shelved.status != "finished"
