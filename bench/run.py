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
    subprocess.run(cmd, check=True, stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL, cwd=ROOT, **kwargs)
    times = []
    for _ in range(runs):
        start = time.perf_counter()
        subprocess.run(cmd, check=True, stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL, cwd=ROOT, **kwargs)
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
    preview = timed([*QUIZ, "preview", "--deck", str(path), "--count", "100", "--seed", "1", "--format", "json"], runs)
    return [
        ("validate a 10,000-fact deck", validate, floor, "tomllib.load of the same file"),
        ("generate 100 questions from it (preview --format json)", preview, floor, "tomllib.load of the same file"),
    ]


def report(rows: list[tuple[str, float, float, str]]) -> str:
    lines = ["| what | median | floor | floor is | ratio |", "| --- | ---: | ---: | --- | ---: |"]
    for name, value, floor, what in rows:
        lines.append(f"| {name} | {value * 1000:.0f} ms | {floor * 1000:.0f} ms | {what} | {value / floor:.2f}x |")
    return "\n".join(lines)


SUITES = {"decks": bench_decks}


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--runs", type=int, default=7)
    parser.add_argument("--only", choices=sorted(SUITES))
    args = parser.parse_args()
    OUT.mkdir(exist_ok=True)
    rows = []
    for name, suite in SUITES.items():
        if args.only in (None, name):
            rows.extend(suite(args.runs))
    print(f"{time.strftime('%Y-%m-%d')}, {platform.machine()}, {os.cpu_count()} cores, Python {platform.python_version()}, median of {args.runs} runs")
    print()
    print(report(rows))
    return 0


if __name__ == "__main__":
    sys.exit(main())
