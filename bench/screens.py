"""Each screen's first opening, timed in the app: help, results and leaderboard.

    python bench/screens.py [--runs N]

A screen with a stylesheet of its own made Textual re-parse every rule and
restyle every open screen the first time it was shown (a 20-100 ms stall on the
way to the results, the leaderboard or help); the app now reads those files
itself once the first question is up. This measures what a player waits for:
from the key press to the new screen being on, headless at 80x24, in a fresh
process each run (median of N), against a floor opened the same way in the
same app: a bare screen with one line of text and no stylesheet. It also
counts the stylesheet's full re-parses while the screens open (0 is the goal).
"""

from __future__ import annotations

import argparse
import asyncio
import json
import statistics
import subprocess
import sys
import tempfile
import time
from pathlib import Path
from typing import Any

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))
FLOOR = "a bare screen (one Static, no stylesheet), first opened in the same app"


async def _opened(pilot: Any, app: Any, keys: list[str], screen: type) -> float:
    """Seconds from pressing ``keys`` until ``screen`` is on and the app is idle."""
    start = time.perf_counter()
    await pilot.press(*keys)
    for _ in range(500):
        if isinstance(app.screen, screen):
            break
        await pilot.pause()
    else:
        raise SystemExit(f"{screen.__name__} never opened")
    await pilot.pause()
    return time.perf_counter() - start


async def _once(folder: Path) -> dict[str, float]:
    from textual.screen import Screen
    from textual.widgets import Static

    from quiz.deckfile.read import load_deck
    from quiz.session import save_folder, start_game
    from quiz.tui.app import make_app
    from quiz.tui.screens.leaderboard import LeaderboardScreen
    from quiz.tui.screens.modals import HelpScreen
    from quiz.tui.screens.results import ResultsScreen

    class Floor(Screen[None]):
        BINDINGS = [("escape", "app.pop_screen", "Back")]

        def compose(self) -> Any:
            yield Static("The floor: one line, no stylesheet of its own.")

    deck = load_deck(ROOT / "tests" / "data" / "decks" / "fixed" / "comeback.toml")
    saves = save_folder(folder / "saves")
    game = start_game(deck, saves, "Ann", count=1, seed=7)
    app = make_app(deck=deck, saves=saves, game=game, clock=lambda: 1000.0)
    out: dict[str, float] = {}
    async with app.run_test(size=(80, 24)) as pilot:
        await pilot.pause()  # the first question is on screen, and the player reads it
        reparses = []
        original = app.stylesheet.reparse
        app.stylesheet.reparse = lambda: reparses.append(original())
        start = time.perf_counter()
        app.push_screen(Floor())
        while not isinstance(app.screen, Floor):
            await pilot.pause()
        await pilot.pause()
        out["floor"] = time.perf_counter() - start
        await pilot.press("escape")
        out["help"] = await _opened(pilot, app, ["f1"], HelpScreen)
        await pilot.press("escape")
        right = str(app.game.current.answer + 1)
        out["results"] = await _opened(pilot, app, [right, "enter"], ResultsScreen)
        out["leaderboard"] = await _opened(pilot, app, ["l"], LeaderboardScreen)
        out["reparses"] = len(reparses)
    return out


def child() -> None:
    with tempfile.TemporaryDirectory(prefix="quiz-bench-screens-") as folder:
        print(json.dumps(asyncio.run(_once(Path(folder)))))


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n", 1)[0])
    parser.add_argument("--runs", type=int, default=7)
    parser.add_argument("--child", action="store_true", help=argparse.SUPPRESS)
    args = parser.parse_args()
    if args.child:
        child()
        return
    env = {"TERM": "xterm-256color", "PATH": "/usr/bin:/bin", "HOME": tempfile.gettempdir()}
    runs = []
    for _ in range(args.runs + 1):  # the first is a warm-up, as in run.py
        done = subprocess.run(
            [sys.executable, __file__, "--child"],
            check=True,
            capture_output=True,
            text=True,
            cwd=ROOT,
            env=env,
            timeout=120,
        )
        runs.append(json.loads(done.stdout.splitlines()[-1]))
    runs = runs[1:]
    floor = statistics.median(r["floor"] for r in runs)
    print(
        f"median of {args.runs} runs; full stylesheet re-parses: "
        f"{max(r['reparses'] for r in runs):.0f} at most in a run"
    )
    print("| what | median | floor | floor is | ratio |")
    print("| --- | ---: | ---: | --- | ---: |")
    for name, what in (
        ("help", "help (F1) first opened, from question 1"),
        ("results", "results first opened, after the answer"),
        ("leaderboard", "leaderboard (l) first opened, from the results"),
    ):
        value = statistics.median(r[name] for r in runs)
        print(
            f"| {what} | {value * 1000:.0f} ms | {floor * 1000:.0f} ms | {FLOOR} "
            f"| {value / floor:.2f}x |"
        )


if __name__ == "__main__":
    main()
