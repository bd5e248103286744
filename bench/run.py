"""Whole-process benchmarks, each a ratio against a floor run in the same script.

    python bench/run.py [--runs N] [--only NAME]

Every figure is the median wall time of N runs of a fresh process, so Python
start-up and imports count, as they do for a user. Results go to stdout as a
Markdown table; copy them into bench/README.md with the date and machine.
"""

from __future__ import annotations

import argparse
import json
import os
import platform
import shutil
import statistics
import subprocess
import sys
import tempfile
import time
from collections.abc import Callable
from pathlib import Path
from typing import Any

ROOT = Path(__file__).resolve().parent.parent
OUT = ROOT / "bench" / "out"
PY = sys.executable
# What a user runs: the installed `quiz` command (`make play` runs it). `python -m
# quiz` would also load runpy (~4 ms) that the floor app, run as a script, does not.
QUIZ_COMMAND = Path(PY).with_name("quiz")
QUIZ = [str(QUIZ_COMMAND)] if QUIZ_COMMAND.exists() else [PY, "-m", "quiz"]
QUIZ_SH = " ".join(QUIZ)


# An installed package has compiled bytecode; let the runs write and reuse it
# even where the machine sets PYTHONDONTWRITEBYTECODE (this one does).
ENV = {k: v for k, v in os.environ.items() if k != "PYTHONDONTWRITEBYTECODE"}

# The screen benches run on their own tmux server (``tmux -L``), never the user's.
TMUX = ["tmux", "-L", os.environ.get("QUIZ_BENCH_TMUX", "quizbench")]


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


def _tmux_start(session: str, command: str) -> float:
    """Start ``command`` in a fresh 80x24 tmux session; the time it was started.

    The tmux server is shared: a failed start (a server going away) is retried.
    """
    for _attempt in range(5):
        subprocess.run([*TMUX, "kill-session", "-t", session], stderr=subprocess.DEVNULL)
        start = time.perf_counter()
        result = subprocess.run(
            [*TMUX, "new-session", "-d", "-s", session, "-x", "80", "-y", "24", command],
            env=ENV,
            cwd=ROOT,
            capture_output=True,
            text=True,
        )
        if result.returncode == 0:
            return start
        time.sleep(0.5)
    raise RuntimeError(f"tmux could not start a session: {result.stderr.strip()}")


def screen_once(cmd: str, marker: str, quit_keys: list[str]) -> tuple[float, int]:
    """Seconds from launch until ``marker`` is on an 80x24 tmux screen, and peak RSS (KiB)."""
    rss = Path(tempfile.mkstemp(suffix=".rss")[1])
    session = f"quizbench{os.getpid()}"
    start = _tmux_start(session, f"/usr/bin/time -f %M -o {rss} {cmd}; sleep 5")
    try:
        elapsed = _wait_for(session, marker, start)
        for key in quit_keys:
            subprocess.run([*TMUX, "send-keys", "-t", session, key])
            time.sleep(0.3)
        deadline = time.time() + 10
        while not rss.read_text().strip() and time.time() < deadline:
            time.sleep(0.05)
    finally:
        subprocess.run([*TMUX, "kill-session", "-t", session], stderr=subprocess.DEVNULL)
    text = rss.read_text().split()
    rss.unlink(missing_ok=True)
    return elapsed, int(text[-1]) if text else 0


def rotation(
    measure: Callable[[Any], Any],
    items: list[Any],
    runs: int,
    resets: dict[int, Callable[[], None]] | None = None,
) -> list[list[Any]]:
    """``measure(item)`` for each item in turn (ABAB...), ``runs`` times after a warm-up.

    ``resets`` maps an item's index to what puts its start state back before each run.
    """
    samples: list[list[Any]] = [[] for _ in items]
    for run in range(runs + 1):  # the first run warms caches and bytecode
        for index, item in enumerate(items):
            if resets and index in resets:
                resets[index]()
            result = measure(item)
            if run:
                samples[index].append(result)
    return samples


def first_screens(
    commands: list[tuple[str, str, list[str]]],
    runs: int,
    resets: dict[int, Callable[[], None]] | None = None,
) -> list[tuple[float, int]]:
    """Medians (seconds, peak RSS) for each command, run in turn (ABAB...), after a warm-up."""
    samples = rotation(lambda command: screen_once(*command), commands, runs, resets)
    return [
        (statistics.median(t for t, _ in taken), int(statistics.median(p for _, p in taken)))
        for taken in samples
    ]


def bench_startup(runs: int) -> list[tuple[str, float, float, str]]:
    if not shutil.which("tmux") or not Path("/usr/bin/time").exists():
        print("startup: needs tmux and /usr/bin/time; skipped", file=sys.stderr)
        return []
    returning, reset = _returning_player()  # the start bench_first_question measures
    (floor, floor_rss), (quiz, quiz_rss) = first_screens(
        [
            (f"{PY} bench/floor_app.py", "Question 1/10", ["Escape"]),
            (
                f"{QUIZ_SH} play --player Bench --seed 7 --saves {returning}",
                "Question 1/10",
                ["Escape", "y"],
            ),
        ],
        runs,
        {1: reset},
    )
    shutil.rmtree(returning.parent, ignore_errors=True)
    saves = tempfile.mkdtemp(prefix="quiz-bench-")
    bare, plain, preview, validate = alternating(
        [
            [PY, "-c", "pass"],
            [
                *QUIZ,
                "play",
                "--plain",
                "--player",
                "Bench",
                "--count",
                "1",
                "--new",
                "--saves",
                saves,
            ],
            [*QUIZ, "preview", "--seed", "1"],
            [*QUIZ, "validate"],
        ],
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
        ("launch to end of input (plain mode, no Textual)", plain, bare, "python -c pass"),
        ("quiz preview --seed 1 (bundled deck)", preview, bare, "python -c pass"),
        ("quiz validate (bundled decks)", validate, bare, "python -c pass"),
    ]


def load_average() -> str:
    return " ".join(f"{x:.2f}" for x in os.getloadavg())


def _on_cpu(pid: int) -> float | None:
    """Seconds process ``pid`` has spent on a CPU, all its threads, or None where Linux's
    schedstat is missing. Time spent waiting for a CPU (other load) is not in it."""
    try:
        tasks = os.listdir(f"/proc/{pid}/task")
        return (
            sum(int(Path(f"/proc/{pid}/task/{t}/schedstat").read_text().split()[0]) for t in tasks)
            / 1e9
        )
    except (OSError, ValueError, IndexError):
        return None


def pty_once(cmd: list[str], marker: bytes) -> tuple[float, float | None]:
    """Seconds from launch until ``marker`` is written to an 80x24 pseudo-terminal,
    and the seconds of CPU the process had used by then (None without schedstat).

    The steadier view of the same start: the terminal's output is read as it
    comes, where tmux is polled with a `capture-pane` process every 3 ms. The
    process is stopped the moment the marker arrives, and its on-CPU time read
    from /proc: the work done to draw the first question, whatever else the
    machine was doing (on this shared VM, the wall time of the same start
    varies by 20% from run to run; its CPU time by a few per cent).
    """
    import fcntl
    import pty
    import select
    import signal
    import struct
    import termios

    start = time.perf_counter()
    pid, fd = pty.fork()
    if pid == 0:  # the child: the command, in a terminal of its own
        os.chdir(ROOT)
        os.execvpe(cmd[0], cmd, {**ENV, "TERM": "xterm-256color", "COLUMNS": "80", "LINES": "24"})
    fcntl.ioctl(fd, termios.TIOCSWINSZ, struct.pack("HHHH", 24, 80, 0, 0))
    seen = b""
    try:
        while time.perf_counter() - start < 60:
            if select.select([fd], [], [], 0.5)[0]:
                try:
                    chunk = os.read(fd, 65536)
                except OSError:
                    break
                if not chunk:
                    break
                seen = seen[-len(marker) :] + chunk
                if marker in seen:
                    wall = time.perf_counter() - start
                    os.kill(pid, signal.SIGSTOP)
                    return wall, _on_cpu(pid)
        raise RuntimeError(f"{marker!r} never appeared from {cmd}")
    finally:
        os.kill(pid, signal.SIGKILL)
        os.waitpid(pid, 0)
        os.close(fd)


def first_in_pty(
    commands: list[list[str]],
    marker: bytes,
    runs: int,
    resets: dict[int, Callable[[], None]] | None = None,
) -> list[tuple[float, float | None]]:
    """Medians (wall, CPU) for each command, run in turn (ABAB...), after a warm-up."""
    samples = rotation(lambda cmd: pty_once(cmd, marker), commands, runs, resets)
    out: list[tuple[float, float | None]] = []
    for taken in samples:
        cpus = [c for _, c in taken if c is not None]
        out.append(
            (statistics.median(w for w, _ in taken), statistics.median(cpus) if cpus else None)
        )
    return out


def _returning_player() -> tuple[Path, Callable[[], None]]:
    """A saves folder where Bench has one finished game and nothing unfinished,
    and what puts it back in that state (before each run). Both live in one
    temporary folder: remove ``saves.parent`` when done.
    """
    base = Path(tempfile.mkdtemp(prefix="quiz-bench-"))
    template, saves = base / "template", base / "saves"
    subprocess.run(
        [*QUIZ, "play", "--plain", "--player", "Bench", "--seed", "7", "--count", "3"]
        + ["--saves", str(template)],
        input=b"1\n\n1\n\n1\n\n",
        stdout=subprocess.DEVNULL,
        check=True,
        cwd=ROOT,
        env=ENV,
    )

    def reset() -> None:
        shutil.rmtree(saves, ignore_errors=True)
        shutil.copytree(template, saves)

    reset()
    return saves, reset


def bench_first_question(runs: int) -> list[tuple[str, float, float, str]]:
    """Only the TUI's first question against the floor app, alternating.

    The goal's start: a returning player (one finished game, nothing
    unfinished) starts a game; the folder is put back to that state before
    each run. Also measured: `--new` over the unfinished game the run before
    left behind (what this suite measured before 2026-11-26, every run but the
    warm-up), and the goal's start read straight from a pseudo-terminal.

    With ``QUIZ_BENCH_BEFORE=DIR`` (an exported older tree, e.g. ``git archive``),
    that tree's quiz runs in the same rotation, for a before/after in one run.
    """
    saves, reset = _returning_player()
    shelving = tempfile.mkdtemp(prefix="quiz-bench-")
    play = f"play --player Bench --seed 7 --saves {saves}"
    quit_keys = ["Escape", "y"]
    commands = [
        (f"{PY} bench/floor_app.py", "Question 1/10", ["Escape"]),
        (f"{QUIZ_SH} {play}", "Question 1/10", quit_keys),
        (
            f"{QUIZ_SH} play --player Bench --seed 7 --new --saves {shelving}",
            "Question 1/10",
            quit_keys,
        ),
    ]
    resets = {1: reset}
    before = os.environ.get("QUIZ_BENCH_BEFORE")
    if before:
        # The same command, importing the older tree's quiz first.
        older = f"env -C {before} PYTHONPATH={before} {QUIZ_SH} {play}"
        commands.append((older, "Question 1/10", quit_keys))
        resets[3] = reset
    print(f"load average before: {load_average()}", file=sys.stderr)
    results = first_screens(commands, runs, resets)
    print(f"load average after tmux: {load_average()}", file=sys.stderr)
    floor = results[0][0]
    what = "floor app: a question and four buttons"
    rows = [
        ("launch to first question on screen (TUI, 80x24, tmux)", results[1][0], floor, what),
        ("the same, --new over the last run's unfinished game", results[2][0], floor, what),
    ]
    if before:
        rows.append((f"the same as the first, {before}", results[3][0], floor, what))
    play_args = ["play", "--player", "Bench", "--seed", "7", "--saves", str(saves)]
    pty_commands = [[PY, str(ROOT / "bench" / "floor_app.py")], [*QUIZ, *play_args]]
    pty_resets = {1: reset}
    if before:
        pty_commands.append(["env", "-C", before, f"PYTHONPATH={before}", *QUIZ, *play_args])
        pty_resets[2] = reset
    # CPU time varies less than wall time, so this measure can take more runs in the same time.
    measured = first_in_pty(pty_commands, b"Question 1/10", runs * 3, pty_resets)
    print(f"load average at the end: {load_average()}", file=sys.stderr)
    for folder in (saves.parent, Path(shelving)):
        shutil.rmtree(folder, ignore_errors=True)
    (floor_wall, floor_cpu), (quiz_wall, quiz_cpu) = measured[:2]
    rows.append(("the first, read from a pseudo-terminal (no tmux)", quiz_wall, floor_wall, what))
    if floor_cpu is not None and quiz_cpu is not None:
        on_cpu = "floor app, its on-CPU time"
        rows.append(("the same, CPU time used until then (schedstat)", quiz_cpu, floor_cpu, on_cpu))
        before_cpu = measured[2][1] if before else None
        if before_cpu is not None:
            rows.append((f"the same CPU time, {before}", before_cpu, floor_cpu, on_cpu))
    return rows


MEMORY: list[tuple[str, int]] = []

RECORD_ONE = """
import sys
from quiz.deckfile.read import load_deck
from quiz.game.play import Game
from quiz.questions.plan import make_quiz
from quiz.saves.folder import SaveFolder
deck = load_deck(sys.argv[1], use_cache=True)
game = Game(make_quiz(deck, 1, 10), player=sys.argv[3], deck_id=deck.id, deck_title=deck.title, seed=1)
while not game.finished:
    game.answer(game.current.answer, 1.0)
SaveFolder(sys.argv[2]).save_finished(game)
"""


GAME_TEMPLATES: list[tuple[dict, str]] = []


def _templates() -> list[tuple[dict, str]]:
    """Four finished 10-question games (different answers right), as a record and as TOML text."""
    if GAME_TEMPLATES:
        return GAME_TEMPLATES
    sys.path.insert(0, str(ROOT))
    import tomli_w

    from quiz.deckfile.read import load_deck
    from quiz.game.play import Game
    from quiz.questions.plan import make_quiz
    from quiz.saves.folder import game_record

    deck = load_deck(ROOT / "questions" / "amber-balcaen.toml")
    for variant in range(4):
        game = Game(
            # The forms with choices: the bench's games answer by choice index.
            make_quiz(deck, variant, 10, kinds=("multiple", "boolean", "timeline")),
            player="@PLAYER@",
            deck_id=deck.id,
            deck_title=deck.title,
            seed=variant,
            id="@ID@",
            started="@STARTED@",
        )
        while not game.finished:
            q = game.current
            right = (game.index + variant) % 3 != 0
            game.answer(q.answer if right else (q.answer + 1) % len(q.choices), 2.0)
        game.finished_at = "@FINISHED@"
        record = game_record(game, "finished")
        GAME_TEMPLATES.append((record, tomli_w.dumps(record)))
    return GAME_TEMPLATES


def write_games(folder: Path, players: list[str], per_player: int, every_hours: float) -> Path:
    """A save folder of finished games, written directly (not played), with its summaries.

    Player k's game g finishes ``g * every_hours`` hours apart (plus k minutes),
    the last one yesterday, so the file names carry realistic times. Built once under bench/out.
    """
    from datetime import UTC, datetime, timedelta

    done = folder / ".complete"
    if done.exists():
        return folder
    shutil.rmtree(folder, ignore_errors=True)
    templates = _templates()
    from quiz.saves.folder import player_slug
    from quiz.scores import cache, groups

    # All in the past, ending yesterday: games recorded by the bench come after them.
    now = datetime.now(UTC).replace(tzinfo=None, hour=8, minute=0, second=0, microsecond=0)
    start = now - timedelta(days=1, hours=per_player * every_hours)
    for k, player in enumerate(players):
        pfolder = folder / player_slug(player)
        games = pfolder / "games"
        games.mkdir(parents=True)
        entries = []
        for g in range(per_player):
            record, text = templates[g % len(templates)]
            finished = start + timedelta(hours=g * every_hours, minutes=k)
            began = finished - timedelta(minutes=3)
            game_id = f"{k:04d}{g:06d}" + "0" * 22
            iso_start, iso_end = (
                began.strftime("%Y-%m-%dT%H:%M:%SZ"),
                finished.strftime("%Y-%m-%dT%H:%M:%SZ"),
            )
            name = f"{finished:%Y%m%dT%H%M%S%f}Z-{game_id[:8]}.toml"
            body = (
                text.replace('"@PLAYER@"', json.dumps(player, ensure_ascii=False))
                .replace("@ID@", game_id)
                .replace("@STARTED@", iso_start)
                .replace("@FINISHED@", iso_end)
            )
            (games / name).write_text(body, encoding="utf-8")
            entries.append(
                groups.Entry.from_dict(
                    name,
                    dict(record, player=player, started=iso_start, finished=iso_end),
                )
            )
        stamp, _ = cache.stamp_now(games)
        cache.write_stamped(pfolder, groups.build(entries, stamp))
    done.touch()
    return folder


def bench_saves(runs: int) -> list[tuple[str, float, float, str]]:
    deck_path = str(ROOT / "questions" / "amber-balcaen.toml")
    small = write_games(OUT / "saves-10", ["Ten"], 10, 24)
    large = write_games(OUT / "saves-10000", ["Tenk"], 10_000, 2)
    record_small = timed([PY, "-c", RECORD_ONE, deck_path, str(small), "Ten"], runs)
    record_large = timed([PY, "-c", RECORD_ONE, deck_path, str(large), "Tenk"], runs)
    return [
        (
            "record one game, player with 10,000 games",
            record_large,
            record_small,
            "the same, player with 10 games",
        ),
    ]


def scores(folder: Path) -> list[str]:
    return [*QUIZ, "scores", "--saves", str(folder), "--format", "json"]


def bench_summary(runs: int) -> list[tuple[str, float, float, str]]:
    """Issue 16: scores, the leaderboard and report --since in proportion to what they show."""
    ten = write_games(OUT / "sum-1x10", ["Ten"], 10, 24)
    crowd = write_games(OUT / "sum-100x100", [f"Player {i:03d}" for i in range(100)], 100, 24)
    big = write_games(OUT / "sum-100x1000", [f"Player {i:03d}" for i in range(100)], 1000, 24)
    one = write_games(OUT / "sum-1x1", ["One"], 1, 24)
    # Alternate the runs so a busy moment on the machine hits both sides alike.
    small, mid, large = alternating([scores(ten), scores(crowd), scores(big)], runs)
    tenk = write_games(OUT / "sum-1x10000", ["Tenk"], 10_000, 2)
    since_one, since_crowd, floor = alternating(
        [
            report_since(tenk),
            report_since(crowd),
            [*QUIZ, "report", "--saves", str(one), "--format", "json"],
        ],
        runs,
    )
    rows = [
        ("quiz scores --format json, 100 players x 100 games", mid, small, "the same on 10 games"),
        (
            "quiz scores --format json, 100 players x 1,000 games",
            large,
            small,
            "the same on 10 games",
        ),
        (
            f"quiz report --since the last day of 1 player x 10,000 games ({last_day_games(tenk)} games)",
            since_one,
            floor,
            "quiz report on a folder of 1 game",
        ),
        (
            f"quiz report --since the last day of 100 players x 100 games ({last_day_games(crowd)} games)",
            since_crowd,
            floor,
            "quiz report on a folder of 1 game",
        ),
    ]
    if shutil.which("tmux"):
        lb_small, key_small = leaderboard_open(ten, runs)
        lb_large, key_large = leaderboard_open(tenk, runs)
        rows += [
            (
                "TUI leaderboard, launch to rows on screen, 10,000 games",
                lb_large,
                lb_small,
                "the same on 10 games",
            ),
            (
                "TUI leaderboard, Ctrl+L to rows on screen, 10,000 games",
                key_large,
                key_small,
                "the same on 10 games",
            ),
        ]
    return rows


def _last_day(folder: Path) -> str:
    newest = max(p.name for p in folder.glob("*/games/*.toml"))
    return f"{newest[:4]}-{newest[4:6]}-{newest[6:8]}"


def last_day_games(folder: Path) -> int:
    day = _last_day(folder).replace("-", "")
    return sum(1 for p in folder.glob("*/games/*.toml") if p.name.startswith(day))


def report_since(folder: Path) -> list[str]:
    since = _last_day(folder)
    return [*QUIZ, "report", "--saves", str(folder), "--since", since, "--format", "json"]


def alternating(commands: list[list[str]], runs: int, input: bytes | None = None) -> list[float]:
    """Median wall time of each command, run in turn (ABCABC...), after one warm-up each."""
    times: list[list[float]] = [[] for _ in commands]
    for run in range(runs + 1):
        for index, cmd in enumerate(commands):
            start = time.perf_counter()
            subprocess.run(
                cmd,
                check=True,
                stdout=subprocess.DEVNULL,
                stderr=subprocess.DEVNULL,
                cwd=ROOT,
                env=ENV,
                input=input,
            )
            if run:
                times[index].append(time.perf_counter() - start)
    return [statistics.median(t) for t in times]


def _screen(session: str) -> str:
    return subprocess.run(
        [*TMUX, "capture-pane", "-p", "-t", session], capture_output=True, text=True
    ).stdout


def _wait_for(session: str, marker: str, start: float) -> float:
    while True:
        screen = _screen(session)
        if marker in screen:
            return time.perf_counter() - start
        if time.perf_counter() - start > 60:
            raise RuntimeError(f"{marker!r} never appeared:\n{screen}")
        time.sleep(0.003)


def leaderboard_open(saves: Path, runs: int) -> tuple[float, float]:
    """Medians: launch to leaderboard rows on screen, and Ctrl+L to rows (80x24 tmux)."""
    totals, keys = [], []
    for run in range(runs + 1):
        session = f"quizbench{os.getpid()}"
        start = _tmux_start(session, f"{QUIZ_SH} play --saves {saves}")
        try:
            _wait_for(session, "Your name", start)
            pressed = time.perf_counter()
            subprocess.run([*TMUX, "send-keys", "-t", session, "C-l"])
            # The note the leaderboard shows once its rows are in ("Loading the saves..." before).
            _wait_for(session, "Enter: a player's history", pressed)
            done = time.perf_counter()
        finally:
            subprocess.run([*TMUX, "kill-session", "-t", session], stderr=subprocess.DEVNULL)
        if run:
            totals.append(done - start)
            keys.append(done - pressed)
    return statistics.median(totals), statistics.median(keys)


SUITES = {
    "decks": bench_decks,
    "startup": bench_startup,
    "firstq": bench_first_question,
    "saves": bench_saves,
    "summary": bench_summary,
}


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
