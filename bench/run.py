"""Whole-process benchmarks, each a ratio against a floor run in the same script.

    python bench/run.py [--runs N] [--only NAME]

Every figure is the median wall time of N runs of a fresh process, so Python
start-up and imports count, as they do for a user. Results go to stdout as a
Markdown table; copy them into bench/README.md with the date and machine.
"""

from __future__ import annotations

import argparse
import os
import platform
import shutil
import statistics
import subprocess
import sys
import tempfile
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
OUT = ROOT / "bench" / "out"
PY = sys.executable
QUIZ = [PY, "-m", "quiz"]


# An installed package has compiled bytecode; let the runs write and reuse it
# even where the machine sets PYTHONDONTWRITEBYTECODE (this one does).
ENV = {k: v for k, v in os.environ.items() if k != "PYTHONDONTWRITEBYTECODE"}


def timed(cmd: list[str], runs: int, **kwargs) -> float:
    """Median wall time of ``runs`` fresh processes, after one warm-up run."""
    kwargs.setdefault("env", ENV)
    subprocess.run(
        cmd, check=True, stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL, cwd=ROOT, **kwargs
    )
    times = []
    for _ in range(runs):
        start = time.perf_counter()
        subprocess.run(
            cmd,
            check=True,
            stdout=subprocess.DEVNULL,
            stderr=subprocess.DEVNULL,
            cwd=ROOT,
            **kwargs,
        )
        times.append(time.perf_counter() - start)
    return statistics.median(times)


def deck(n: int) -> Path:
    path = OUT / f"deck-{n}.toml"
    if not path.exists():
        subprocess.run([PY, str(ROOT / "bench" / "make_deck.py"), str(n), str(path)], check=True)
    return path


def bench_decks(runs: int) -> list[tuple[str, float, float, str]]:
    path = deck(10_000)
    floor = timed([PY, "-c", f"import tomllib; tomllib.load(open({str(path)!r}, 'rb'))"], runs)
    validate = timed([*QUIZ, "validate", str(path)], runs)
    preview = timed(
        [
            *QUIZ,
            "preview",
            "--deck",
            str(path),
            "--count",
            "100",
            "--seed",
            "1",
            "--format",
            "json",
        ],
        runs,
    )
    return [
        ("validate a 10,000-fact deck", validate, floor, "tomllib.load of the same file"),
        (
            "generate 100 questions from it (preview --format json)",
            preview,
            floor,
            "tomllib.load of the same file",
        ),
    ]


def report(rows: list[tuple[str, float, float, str]]) -> str:
    lines = ["| what | median | floor | floor is | ratio |", "| --- | ---: | ---: | --- | ---: |"]
    for name, value, floor, what in rows:
        lines.append(
            f"| {name} | {value * 1000:.0f} ms | {floor * 1000:.0f} ms | {what} | {value / floor:.2f}x |"
        )
    return "\n".join(lines)


def first_screen(cmd: str, marker: str, quit_keys: list[str], runs: int) -> tuple[float, int]:
    """Median seconds from launch until ``marker`` is on an 80x24 tmux screen, and peak RSS (KiB)."""
    times, peaks = [], []
    for run in range(runs + 1):  # the first run warms caches and bytecode
        rss = Path(tempfile.mkstemp(suffix=".rss")[1])
        session = f"quizbench{os.getpid()}"
        start = time.perf_counter()
        subprocess.run(
            [
                "tmux",
                "new-session",
                "-d",
                "-s",
                session,
                "-x",
                "80",
                "-y",
                "24",
                f"/usr/bin/time -f %M -o {rss} {cmd}; sleep 5",
            ],
            check=True,
            env=ENV,
            cwd=ROOT,
        )
        while True:
            screen = subprocess.run(
                ["tmux", "capture-pane", "-p", "-t", session], capture_output=True, text=True
            ).stdout
            if marker in screen:
                elapsed = time.perf_counter() - start
                break
            if time.perf_counter() - start > 30:
                raise RuntimeError(f"{marker!r} never appeared:\n{screen}")
            time.sleep(0.003)
        for key in quit_keys:
            subprocess.run(["tmux", "send-keys", "-t", session, key])
            time.sleep(0.3)
        deadline = time.time() + 10
        while not rss.read_text().strip() and time.time() < deadline:
            time.sleep(0.05)
        subprocess.run(["tmux", "kill-session", "-t", session], stderr=subprocess.DEVNULL)
        if run:
            times.append(elapsed)
            text = rss.read_text().split()
            peaks.append(int(text[-1]) if text else 0)
        rss.unlink(missing_ok=True)
    return statistics.median(times), int(statistics.median(peaks))


def bench_startup(runs: int) -> list[tuple[str, float, float, str]]:
    if not shutil.which("tmux") or not Path("/usr/bin/time").exists():
        print("startup: needs tmux and /usr/bin/time; skipped", file=sys.stderr)
        return []
    saves = tempfile.mkdtemp(prefix="quiz-bench-")
    floor, floor_rss = first_screen(f"{PY} bench/floor_app.py", "Question 1/10", ["Escape"], runs)
    quiz, quiz_rss = first_screen(
        f"{PY} -m quiz play --player Bench --seed 7 --new --saves {saves}",
        "Question 1/10",
        ["Escape", "y"],
        runs,
    )
    plain_floor = timed([PY, "-c", "pass"], runs)
    plain = timed(
        [*QUIZ, "play", "--plain", "--player", "Bench", "--count", "1", "--new", "--saves", saves],
        runs,
        input=b"",
    )
    shutil.rmtree(saves, ignore_errors=True)
    MEMORY.extend([("floor app", floor_rss), ("quiz play", quiz_rss)])
    return [
        (
            "launch to first question on screen (TUI, 80x24)",
            quiz,
            floor,
            "floor app: a question and four buttons",
        ),
        ("launch to end of input (plain mode, no Textual)", plain, plain_floor, "python -c pass"),
    ]


MEMORY: list[tuple[str, int]] = []

RECORD_ONE = """
import sys
from quiz.deck import load_deck
from quiz.game import Game
from quiz.generate import make_quiz
from quiz.saves import SaveFolder
deck = load_deck(sys.argv[1], use_cache=True)
game = Game(make_quiz(deck, 1, 10), player=sys.argv[3], deck_id=deck.id, deck_title=deck.title, seed=1)
while not game.finished:
    game.answer(game.current.answer, 1.0)
SaveFolder(sys.argv[2]).save_finished(game)
"""


def history(folder: Path, players: dict[str, int]) -> Path:
    """A save folder with the given number of finished games per player (built once)."""
    done = folder / ".complete"
    if done.exists():
        return folder
    sys.path.insert(0, str(ROOT))
    from quiz.deck import load_deck
    from quiz.game import Game
    from quiz.generate import make_quiz
    from quiz.saves import SaveFolder

    deck = load_deck(ROOT / "questions" / "amber-balcaen.toml")
    saves = SaveFolder(folder)
    for player, games in players.items():
        template = Game(
            make_quiz(deck, 1, 10), player=player, deck_id=deck.id, deck_title=deck.title, seed=1
        )
        while not template.finished:
            template.answer(template.current.answer, 1.0)
        for _ in range(games):
            saves.save_finished(template)
    done.touch()
    return folder


def bench_saves(runs: int) -> list[tuple[str, float, float, str]]:
    deck_path = str(ROOT / "questions" / "amber-balcaen.toml")
    small = history(OUT / "saves-10", {"Ten": 10})
    large = history(OUT / "saves-10000", {"Tenk": 10_000})
    crowd = history(OUT / "saves-100x100", {f"Player {i:03d}": 100 for i in range(100)})
    work = Path(tempfile.mkdtemp(prefix="quiz-bench-"))
    try:
        # Record into copies-by-link-free folders: each run adds one game to the history.
        record_small = timed([PY, "-c", RECORD_ONE, deck_path, str(small), "Ten"], runs)
        record_large = timed([PY, "-c", RECORD_ONE, deck_path, str(large), "Tenk"], runs)
        files = sorted(str(p) for p in crowd.rglob("*.toml"))
        listing = work / "files.txt"
        listing.write_text("\n".join(files))
        floor = timed(
            [
                PY,
                "-c",
                f"import tomllib\nfor p in open({str(listing)!r}).read().split():\n    tomllib.load(open(p, 'rb'))",
            ],
            runs,
        )
        scores = timed([*QUIZ, "scores", "--saves", str(crowd), "--format", "json"], runs)
    finally:
        shutil.rmtree(work, ignore_errors=True)
    return [
        (
            "record one game, player with 10,000 games",
            record_large,
            record_small,
            "the same, player with 10 games",
        ),
        (
            "quiz scores, 100 players x 100 games",
            scores,
            floor,
            "tomllib.load of the same 10,000 files",
        ),
    ]


SUITES = {"decks": bench_decks, "startup": bench_startup, "saves": bench_saves}


def main() -> int:
    parser = argparse.ArgumentParser(
        description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter
    )
    parser.add_argument("--runs", type=int, default=7)
    parser.add_argument("--only", choices=sorted(SUITES))
    args = parser.parse_args()
    OUT.mkdir(exist_ok=True)
    rows = []
    for name, suite in SUITES.items():
        if args.only in (None, name):
            rows.extend(suite(args.runs))
    print(
        f"{time.strftime('%Y-%m-%d')}, {platform.machine()}, {os.cpu_count()} cores, Python {platform.python_version()}, median of {args.runs} runs"
    )
    print()
    print(report(rows))
    if MEMORY:
        print()
        print("| peak memory (max RSS) | KiB |")
        print("| --- | ---: |")
        for name, kib in MEMORY:
            print(f"| {name} | {kib:,} |")
    return 0


if __name__ == "__main__":
    sys.exit(main())
