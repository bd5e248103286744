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
from typing import TYPE_CHECKING, Any

import pytest

if TYPE_CHECKING:
    from textual.app import App
    from textual.pilot import Pilot

ROOT = Path(__file__).resolve().parent.parent
DATA = ROOT / "tests" / "data"
SHARED = ROOT.parent / "shared"
ARTICLE = SHARED / "sources" / "amber-balcaen-article.txt"
# The bundled deck: tests of it check properties only, never its exact questions.
BUNDLED = ROOT / "questions" / "amber-balcaen.toml"
# A frozen copy of it (own id, fx- fact ids), for every test that asserts exact output.
FIXED = DATA / "decks" / "fixed" / "comeback.toml"
MINI = DATA / "decks" / "good" / "mini.toml"


# The checkout's own save folder: where `make play` saves, and no test may touch.
CHECKOUT_SAVES = ROOT / "saves"
_BEFORE = pytest.StashKey[dict[str, tuple[int, int, int]]]()
_CHANGED = pytest.StashKey[list[str]]()


def _entries(folder: Path) -> dict[str, tuple[int, int, int]]:
    """Every entry at and below ``folder``, with its type, size and modification time."""
    out: dict[str, tuple[int, int, int]] = {}
    for root, dirs, files in os.walk(folder):
        for name in ["", *dirs, *files]:
            path = os.path.join(root, name) if name else root
            try:
                st = os.lstat(path)
            except OSError:
                continue
            out[os.path.relpath(path, folder)] = (st.st_mode, st.st_size, st.st_mtime_ns)
    return out


def _controller(config: pytest.Config) -> bool:
    """The one process that runs the session (not an xdist worker)."""
    return not hasattr(config, "workerinput")


def pytest_configure(config: pytest.Config) -> None:
    if _controller(config):
        config.stash[_BEFORE] = _entries(CHECKOUT_SAVES)
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


def pytest_sessionfinish(session: pytest.Session) -> None:
    """Fail the run if the checkout's saves/ changed while it ran (after every worker ended)."""
    config = session.config
    if not _controller(config) or _BEFORE not in config.stash:
        return
    before, after = config.stash[_BEFORE], _entries(CHECKOUT_SAVES)
    changed = sorted(
        name for name in before.keys() | after.keys() if before.get(name) != after.get(name)
    )
    if changed:
        config.stash[_CHANGED] = changed
        session.exitstatus = pytest.ExitCode.TESTS_FAILED


def pytest_terminal_summary(terminalreporter: pytest.TerminalReporter) -> None:
    changed = terminalreporter.config.stash.get(_CHANGED, [])
    if changed:
        terminalreporter.write_sep(
            "!", f"{CHECKOUT_SAVES} changed while the tests ran", red=True, bold=True
        )
        terminalreporter.write_line(
            "A test used the checkout's own save folder (or a game was played there meanwhile); "
            "tests must use the one the `hermetic` fixture gives them. Changed:"
        )
        for name in changed[:20]:
            terminalreporter.write_line(f"  {'the folder itself' if name == '.' else name}")
        if len(changed) > 20:
            terminalreporter.write_line(f"  ... and {len(changed) - 20} more")


# What a user's environment may hold and must not change the suite's outcome;
# so are every QUIZ_* and TEXTUAL* variable but the suite's own: the size knobs,
# which the fuzz modules read at import (`make fuzz` sets them), and what
# pytest-textual-snapshot sets for its workers (TEXTUAL_SNAPSHOT_TEMPDIR).
_USER_ENV = ("NO_COLOR", "FORCE_COLOR", "COLUMNS", "LINES", "TERM")
_KNOBS = frozenset({"QUIZ_FUZZ_EXAMPLES", "QUIZ_SERVE_SESSIONS", "QUIZ_SUMMARY_EXAMPLES"})


def _users(name: str) -> bool:
    """A QUIZ_* or TEXTUAL* variable of the user's, which no test may see."""
    return (
        name.startswith(("QUIZ_", "TEXTUAL"))
        and name not in _KNOBS
        and not name.startswith("TEXTUAL_SNAPSHOT")
    )


# The forms with choices to pick from: what most tests answer (a choice index), so
# a game they plan asks only these unless the test is marked `all_forms` (issue 25's
# typed, estimate and order questions have tests of their own, in every front end).
CHOICE_FORMS = frozenset({"multiple", "boolean", "timeline"})


@pytest.fixture(autouse=True)
def choice_forms(request: pytest.FixtureRequest, monkeypatch: pytest.MonkeyPatch) -> None:
    """Plan this process's games from the choice forms, unless the test says `all_forms`.

    A game run in another process (`run_quiz`, a room's child) is planned as a user's
    is, from every form: such a test passes `--kinds` when it answers by choice.
    """
    if request.node.get_closest_marker("all_forms") is not None:
        return
    from quiz.authoring import exporting
    from quiz.questions import plan
    from quiz.room import roster as state

    # quiz.cli.live reads plan.DEFAULT_KINDS when it runs; these two bound it at import.
    monkeypatch.setattr(plan, "DEFAULT_KINDS", CHOICE_FORMS)
    monkeypatch.setattr(state, "DEFAULT_KINDS", CHOICE_FORMS)
    monkeypatch.setattr(exporting, "DEFAULT_KINDS", CHOICE_FORMS)


@pytest.fixture(autouse=True)
def hermetic(tmp_path_factory: pytest.TempPathFactory, monkeypatch: pytest.MonkeyPatch) -> Path:
    """Every test gets its own HOME, XDG folders and save folder, and none of the user's settings.

    All of it is in the environment, so a `quiz` the test starts as a
    subprocess inherits it too: no test reads or writes the checkout's saves/
    (the default when quiz runs from a checkout), nor the user's config or cache.
    """
    # mkdtemp, not tmp_path_factory.mktemp: that lists every folder made so far
    # to number the next one, which over ~700 tests a worker cost seconds.
    home = Path(tempfile.mkdtemp(prefix="home-", dir=tmp_path_factory.getbasetemp()))
    for var in [v for v in os.environ if _users(v)]:
        monkeypatch.delenv(var)
    monkeypatch.setenv("HOME", str(home))
    # Not created: a first run finds no save folder, as a new user's does.
    monkeypatch.setenv("QUIZ_SAVES", str(home / "saves"))
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
    from quiz.cli.main import main

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


@pytest.fixture
def plain_game(cli: Cli, tmp_path: Path) -> Callable[..., Result]:
    """`quiz play --plain` in this process with lines piped in: ``plain_game("1", "2",
    seed=5, count=2)`` plays Ann's seeded two-question game into ``tmp_path``
    (tests/plain_helpers.py: play_plain says every option)."""
    from functools import partial

    from tests.plain_helpers import play_plain

    return partial(play_plain, cli, tmp_path)


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


async def settle(app: App[Any], pilot: Pilot[Any], note: str) -> None:
    """Wait until a screen that loads saves in a worker has shown them (no sleeps)."""
    for _ in range(200):
        await pilot.pause()
        await app.workers.wait_for_complete()
        shown = app.screen.query(note)
        if shown and "Loading" not in str(getattr(shown.first(), "visual", "")):
            # Tables lay themselves out on later ticks; let them finish.
            await pilot.wait_for_scheduled_animations()
            for _ in range(3):
                await pilot.pause()
            return
    raise AssertionError(f"{note} never finished loading")


async def wait_until(pilot: Pilot[Any], seen: Callable[[], bool], what: str) -> None:
    """Wait until the screen shows what ``seen`` checks, for what timers drive (bounded, no fixed sleep)."""
    for _ in range(250):
        if seen():
            return
        await pilot.pause(0.02)
    raise AssertionError(f"never saw {what}")
