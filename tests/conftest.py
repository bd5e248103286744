"""Shared fixtures: paths, the bundled and the fixed test deck, and running the CLI in-process."""

from __future__ import annotations

import gc
import io
import os
import subprocess
import sys
import tempfile
from collections.abc import Callable
from dataclasses import dataclass
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parent.parent
DATA = ROOT / "tests" / "data"
SHARED = ROOT.parent / "shared"
ARTICLE = SHARED / "sources" / "amber-balcaen-article.txt"
# The bundled deck: tests of it check properties only, never its exact questions.
BUNDLED = ROOT / "questions" / "amber-balcaen.toml"
# A frozen copy of it (own id, fx- fact ids), for every test that asserts exact output.
FIXED = DATA / "decks" / "fixed" / "comeback.toml"
MINI = DATA / "decks" / "good" / "mini.toml"


def pytest_configure(config: pytest.Config) -> None:
    # Pilot's waits for an idle app, in 5 ms steps rather than 20 ms (tests/pilot_idle.py).
    from tests import pilot_idle

    pilot_idle.install()
    # The TUI tests build and drop many thousands of widgets. With Python's default
    # thresholds (700, 10, 10) the cycle collector made ~50 full passes over the
    # heap at ~150 ms each: a fifth of those tests' CPU. It still runs, less often.
    gc.set_threshold(50_000, 20, 10)


def pytest_collection_finish(session: pytest.Session) -> None:
    # What imports and collection built lives to the end: no collection need walk it again.
    gc.collect()
    gc.freeze()


# What a user's environment may hold and must not change the suite's outcome.
_USER_ENV = ("NO_COLOR", "FORCE_COLOR", "COLUMNS", "LINES", "TERM", "QUIZ_NO_CACHE", "TEXTUAL")


@pytest.fixture(autouse=True)
def hermetic(tmp_path_factory: pytest.TempPathFactory, monkeypatch: pytest.MonkeyPatch) -> Path:
    """Every test gets its own HOME and XDG folders, and none of the user's display settings."""
    # mkdtemp, not tmp_path_factory.mktemp: that lists every folder made so far
    # to number the next one, which over ~700 tests a worker cost seconds.
    home = Path(tempfile.mkdtemp(prefix="home-", dir=tmp_path_factory.getbasetemp()))
    monkeypatch.setenv("HOME", str(home))
    for var, sub in (
        ("XDG_CACHE_HOME", ".cache"),
        ("XDG_DATA_HOME", ".local/share"),
        ("XDG_CONFIG_HOME", ".config"),
        ("XDG_STATE_HOME", ".local/state"),
    ):
        monkeypatch.setenv(var, str(home / sub))
    for var in _USER_ENV:
        monkeypatch.delenv(var, raising=False)
    monkeypatch.setenv("TERM", "xterm-256color")
    return home


def needs_shared(path: Path) -> pytest.MarkDecorator:
    return pytest.mark.skipif(
        not path.exists(), reason=f"{path} is absent: ../shared is not beside this checkout"
    )


@dataclass
class Result:
    code: int
    out: str
    err: str


# `cli(*args, stdin="", env=None) -> Result`: the `cli` fixture's type.
Cli = Callable[..., Result]


@pytest.fixture
def cli(capsys: pytest.CaptureFixture[str]) -> Cli:
    """Run `quiz ARGS...` in this process, fast; return exit code, stdout, stderr.

    ``stdin`` is what is piped in (a pipe, not a terminal), ``env`` extra
    environment variables for this one run.
    """
    from quiz.cli import main

    def run(*args: str, stdin: str = "", env: dict[str, str] | None = None) -> Result:
        capsys.readouterr()  # only this run's output
        with pytest.MonkeyPatch.context() as patch:
            patch.setattr(sys, "stdin", io.StringIO(stdin))
            for name, value in (env or {}).items():
                patch.setenv(name, value)
            try:
                code = main(list(args))
            except SystemExit as exc:  # argparse usage errors
                code = exc.code if isinstance(exc.code, int) else 1 if exc.code else 0
        captured = capsys.readouterr()
        return Result(code, captured.out, captured.err)

    return run


def run_quiz(
    *args: str, stdin: str = "", env: dict[str, str] | None = None, cwd: Path | None = None
) -> Result:
    """Run `python -m quiz ARGS...` as a separate process, as a user would.

    Slow (a fresh interpreter each time): keep it for the end-to-end tests that
    need a real process; the `cli` fixture runs the same command in-process.
    """
    full_env = {**os.environ, "NO_COLOR": "1", **(env or {})}
    proc = subprocess.run(
        [sys.executable, "-m", "quiz", *args],
        input=stdin,
        capture_output=True,
        text=True,
        env=full_env,
        cwd=cwd or ROOT,
        timeout=60,
    )
    return Result(proc.returncode, proc.stdout, proc.stderr)


async def settle(app, pilot, note: str) -> None:  # type: ignore[no-untyped-def]
    """Wait until a screen that loads saves in a worker has shown them (no sleeps)."""
    for _ in range(200):
        await pilot.pause()
        await app.workers.wait_for_complete()
        shown = app.screen.query(note)
        if shown and "Loading" not in str(shown.first().visual):
            # Tables lay themselves out on later ticks; let them finish.
            await pilot.wait_for_scheduled_animations()
            for _ in range(3):
                await pilot.pause()
            return
    raise AssertionError(f"{note} never finished loading")


async def wait_until(pilot, seen: Callable[[], bool], what: str) -> None:  # type: ignore[no-untyped-def]
    """Wait until the screen shows what ``seen`` checks, for what timers drive (bounded, no fixed sleep)."""
    for _ in range(250):
        if seen():
            return
        await pilot.pause(0.02)
    raise AssertionError(f"never saw {what}")
