"""Snapshots of every main screen at 80x24, with a fixed seed and a fixed clock.

They draw the fixed test deck (tests/data/decks/fixed/), never the bundled one:
a new or reworded fact in questions/ changes no picture here.
"""

from __future__ import annotations

from pathlib import Path

import pytest

from quiz.deckfile.read import load_deck
from quiz.saves.folder import SaveFolder
from quiz.scores import summary
from quiz.session import start_game
from quiz.tui.app import make_app
from tests.conftest import DATA, FIXED, settle
from tests.saves_helpers import write_record

DECK = load_deck(FIXED)
SIZE = (80, 24)


def fixed_clock() -> float:
    return 1000.0


def app_with_game(tmp_path: Path, count: int = 3, player: str = "Ann"):  # type: ignore[no-untyped-def]
    saves = SaveFolder(tmp_path / "saves")
    game = start_game(DECK, saves, player, count=count, seed=7)
    return make_app(deck=DECK, saves=saves, game=game, clock=fixed_clock)


def answers_for(score: int) -> list[dict[str, object]]:
    """Three answers whose points add up to ``score``, one right for each 1100 in it
    (a game file's score must be what its answers give; points on a wrong answer are a
    share of them, its ``credit``, as a near estimate earns)."""
    right = score // 1100
    points = [1100] * right + [0] * (3 - right)
    points[0] += score - sum(points)
    return [
        {"question": f"q{k}", "fact": f"f{k}", "prompt": "", "correct": k < right}
        | {"seconds": 5, "points": p, "right": ""}
        | ({"credit": 0.5} if p and k >= right else {})
        for k, p in enumerate(points)
    ]


def seed_history(saves: SaveFolder) -> None:
    """Finished games with fixed dates, so the leaderboard never changes."""
    for player, scores in (
        ("Ann", [2100, 3300, 2400]),
        ("Ben", [1000, 1200]),
        ("[bold]Cy[/bold]", [900]),
    ):
        folder = saves.player_dir(player, create=True) / "games"
        for k, score in enumerate(scores):
            write_record(
                folder,
                f"2026110{k + 1}T100500Z-{k}.toml",
                id=f"{player}-{k}",
                player=player,
                deck=DECK.id,
                deck_title=DECK.title,
                seed=k,
                started=f"2026-11-0{k + 1}T10:00:00Z",
                finished=f"2026-11-0{k + 1}T10:05:00Z",
                score=score,
                correct=score // 1100,
                best_streak=score // 1100,
                answers=answers_for(score),
            )
    # The summaries that playing leaves (built here, quietly: a rebuild is a notice on screen).
    summary.leaderboard(SaveFolder(saves.root))


def test_question_screen(snap_compare, tmp_path: Path) -> None:  # type: ignore[no-untyped-def]
    assert snap_compare(app_with_game(tmp_path), terminal_size=SIZE)


def test_answered_right(snap_compare, tmp_path: Path) -> None:  # type: ignore[no-untyped-def]
    app = app_with_game(tmp_path)
    right = str(app.game.current.answer + 1)
    assert snap_compare(app, terminal_size=SIZE, press=[right])


def test_answered_wrong(snap_compare, tmp_path: Path) -> None:  # type: ignore[no-untyped-def]
    app = app_with_game(tmp_path)
    wrong = str((app.game.current.answer + 1) % 4 + 1)
    assert snap_compare(app, terminal_size=SIZE, press=[wrong])


def test_results_screen(snap_compare, tmp_path: Path) -> None:  # type: ignore[no-untyped-def]
    app = app_with_game(tmp_path)
    keys = []
    for index, question in enumerate(app.game.questions):
        keys += [
            str(question.answer + 1) if index != 1 else str((question.answer + 1) % 4 + 1),
            "enter",
        ]
    assert snap_compare(app, terminal_size=SIZE, press=keys)


def test_leaderboard_screen(snap_compare, tmp_path: Path) -> None:  # type: ignore[no-untyped-def]
    app = app_with_game(tmp_path)
    seed_history(app.saves)

    async def open_board(pilot) -> None:  # type: ignore[no-untyped-def]
        app.action_leaderboard()
        await settle(app, pilot, "#leaderboard-note")

    assert snap_compare(app, terminal_size=SIZE, run_before=open_board)


def test_history_screen(snap_compare, tmp_path: Path) -> None:  # type: ignore[no-untyped-def]
    app = app_with_game(tmp_path)
    seed_history(app.saves)

    async def open_history(pilot) -> None:  # type: ignore[no-untyped-def]
        from quiz.tui.screens.history import HistoryScreen

        app.push_screen(HistoryScreen(app.saves, "Ann", app.deck.id, app.deck.title))
        await settle(app, pilot, "#history-note")

    assert snap_compare(app, terminal_size=SIZE, run_before=open_history)


def test_start_screen(snap_compare, tmp_path: Path) -> None:  # type: ignore[no-untyped-def]
    app = make_app(deck=DECK, saves=SaveFolder(tmp_path / "saves"), clock=fixed_clock)

    async def steady_cursor(pilot) -> None:  # type: ignore[no-untyped-def]
        # A blinking cursor is on or off depending on when the picture is taken.
        for field in app.screen.query("Input"):
            field.cursor_blink = False  # type: ignore[attr-defined]
        await pilot.pause()

    assert snap_compare(app, terminal_size=SIZE, run_before=steady_cursor)


def test_help_screen(snap_compare, tmp_path: Path) -> None:  # type: ignore[no-untyped-def]
    assert snap_compare(app_with_game(tmp_path), terminal_size=SIZE, press=["f1"])


def test_confirm_quit(snap_compare, tmp_path: Path) -> None:  # type: ignore[no-untyped-def]
    assert snap_compare(app_with_game(tmp_path), terminal_size=SIZE, press=["escape"])


@pytest.mark.parametrize("size", [(120, 40)])
def test_question_screen_large(snap_compare, tmp_path: Path, size: tuple[int, int]) -> None:  # type: ignore[no-untyped-def]
    assert snap_compare(app_with_game(tmp_path), terminal_size=size, press=["1"])


def test_hot_seat_results(snap_compare, tmp_path: Path) -> None:  # type: ignore[no-untyped-def]
    from quiz.session import start_match

    saves = SaveFolder(tmp_path / "saves")
    match = start_match(
        DECK,
        saves,
        ["Ann", "Ben", "Cy", "Dee"],
        count=1,
        seed=2,
        teams={"Red": ["Ann", "Ben"], "Blue": ["Cy", "Dee"]},
    )
    app = make_app(deck=DECK, saves=saves, match=match, clock=fixed_clock)
    keys = []
    for k, game in enumerate(match.games):
        keys += [
            str(game.questions[0].answer + 1)
            if k != 1
            else str((game.questions[0].answer + 1) % 4 + 1),
            "enter",
        ]
    assert snap_compare(app, terminal_size=SIZE, press=keys)


def test_hostile_deck_shows_its_brackets(snap_compare, tmp_path: Path) -> None:  # type: ignore[no-untyped-def]
    hostile = load_deck(DATA / "decks" / "hostile" / "markup.toml")
    saves = SaveFolder(tmp_path / "saves")
    game = start_game(hostile, saves, "[@click=app.quit]Mallory", count=2, seed=1)
    app = make_app(deck=hostile, saves=saves, game=game, clock=fixed_clock)
    assert snap_compare(app, terminal_size=SIZE, press=["2"])


LIMITS = load_deck(DATA / "decks" / "limits" / "limits.toml")


def limits_app(tmp_path: Path, timer: int | None = None):  # type: ignore[no-untyped-def]
    """A deck at the validator's limits: 200-char questions, 60-char choices, 400-char explanations."""
    saves = SaveFolder(tmp_path / "saves")
    started: list[str] = []  # the short-deck note, handed to the app as `quiz play` does
    game = start_game(LIMITS, saves.telling(started.append), "Ann", count=3, seed=1, timer=timer)
    return make_app(deck=LIMITS, saves=saves, game=game, clock=fixed_clock, notices=started)


def test_limits_deck_question(snap_compare, tmp_path: Path) -> None:  # type: ignore[no-untyped-def]
    assert snap_compare(limits_app(tmp_path), terminal_size=SIZE)


def test_limits_deck_answered_shows_source_and_next(snap_compare, tmp_path: Path) -> None:  # type: ignore[no-untyped-def]
    app = limits_app(tmp_path)
    wrong = str((app.game.current.answer + 1) % 4 + 1)
    assert snap_compare(app, terminal_size=SIZE, press=[wrong])


def test_limits_deck_results(snap_compare, tmp_path: Path) -> None:  # type: ignore[no-untyped-def]
    app = limits_app(tmp_path)
    keys = []
    for question in app.game.questions:
        keys += [str(question.answer + 1), "enter"]
    assert snap_compare(app, terminal_size=SIZE, press=keys)


def test_timed_question_has_a_countdown(snap_compare, tmp_path: Path) -> None:  # type: ignore[no-untyped-def]
    assert snap_compare(limits_app(tmp_path, timer=20), terminal_size=SIZE)


def test_answered_at_60x20(snap_compare, tmp_path: Path) -> None:  # type: ignore[no-untyped-def]
    app = app_with_game(tmp_path)
    wrong = str((app.game.current.answer + 1) % 4 + 1)
    assert snap_compare(app, terminal_size=(60, 20), press=[wrong])


def test_results_at_60x20(snap_compare, tmp_path: Path) -> None:  # type: ignore[no-untyped-def]
    app = app_with_game(tmp_path, count=2)
    keys = []
    for question in app.game.questions:
        keys += [str(question.answer + 1), "enter"]
    assert snap_compare(app, terminal_size=(60, 20), press=keys)


def test_answered_at_160x50_is_centred(snap_compare, tmp_path: Path) -> None:  # type: ignore[no-untyped-def]
    app = app_with_game(tmp_path)
    assert snap_compare(app, terminal_size=(160, 50), press=[str(app.game.current.answer + 1)])


def test_start_screen_with_count_and_timer_flags(snap_compare, tmp_path: Path) -> None:  # type: ignore[no-untyped-def]
    app = make_app(
        deck=DECK, saves=SaveFolder(tmp_path / "saves"), clock=fixed_clock, count=5, timer=20
    )
    assert snap_compare(app, terminal_size=SIZE)
