"""Usage errors exit 2 from argparse; a QuizError exits 1 with clean lines, once, in cli.main."""

from __future__ import annotations

from pathlib import Path

import pytest

from quiz.authoring.interchange import ImportProblem
from quiz.deckfile.problems import DeckError
from quiz.disk.files import SaveError
from quiz.errors import QuizError
from quiz.session import SessionError
from tests.conftest import Cli


@pytest.mark.parametrize(
    "args, message",
    [
        (["play", "--daily", "--seed", "3"], "not allowed with argument --daily"),
        (["play", "--player", "A", "--resume", "--review"], "not allowed with argument --resume"),
        (["play", "--team", "Red=Ann", "--player", "Ben"], "not allowed with argument --team"),
        (["preview", "--seed", "1", "--daily"], "not allowed with argument --seed"),
        (["host", "--daily", "--seed", "3"], "not allowed with argument --daily"),
    ],
)
def test_flags_that_exclude_each_other_are_usage_errors(
    cli: Cli, args: list[str], message: str
) -> None:
    result = cli(*args)
    assert result.code == 2
    assert message in result.err
    assert "Traceback" not in result.err


def test_every_explained_error_shares_one_base() -> None:
    for error in (DeckError, SaveError, SessionError, ImportProblem):
        assert issubclass(error, QuizError)


def test_a_save_error_is_one_clean_line_and_exit_1(cli: Cli, tmp_path: Path) -> None:
    blocker = tmp_path / "file"
    blocker.write_text("not a folder")
    result = cli("export", "amber-balcaen", "--format", "csv", "--out", str(blocker / "x.csv"))
    assert result.code == 1
    assert result.err.startswith("quiz: ") and result.err.count("\n") == 1
    assert "Traceback" not in result.err


def test_a_deck_error_prints_located_lines_without_a_prefix(cli: Cli, tmp_path: Path) -> None:
    deck = tmp_path / "bad.toml"
    deck.write_text("id = \x1b[31m\n")
    result = cli("preview", "--deck", str(deck))
    assert result.code == 1
    assert result.err.startswith(f"{deck}:1:")
    assert "\x1b" not in result.err


def test_quiz_host_says_when_the_deck_gives_fewer_questions_than_asked(tmp_path: Path) -> None:
    import os
    import selectors
    import socket
    import subprocess
    import sys
    import time

    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        port = probe.getsockname()[1]
    host = subprocess.Popen(
        [sys.executable, "-m", "quiz", "host", "--plain", "--count", "30", "--port", str(port),
         "--saves", str(tmp_path)],
        stdin=subprocess.PIPE, stdout=subprocess.DEVNULL, stderr=subprocess.PIPE, text=True,
    )  # fmt: skip
    try:
        assert host.stderr is not None
        deadline = time.monotonic() + 30
        said = ""
        with selectors.DefaultSelector() as ready:  # never a read that waits past the deadline
            ready.register(host.stderr, selectors.EVENT_READ)
            while "\n" not in said and time.monotonic() < deadline:
                if ready.select(timeout=max(0.0, deadline - time.monotonic())):
                    chunk = os.read(host.stderr.fileno(), 4096).decode()
                    if not chunk:
                        break
                    said += chunk
        assert "quiz: note: the deck can give" in said and "not 30: playing" in said, said
    finally:
        host.kill()
        host.wait(timeout=10)
