"""Rebuilding many games' score summaries shows a bar on a terminal's stderr, and nothing elsewhere."""

from __future__ import annotations

import os
import pty
import subprocess
import sys
import time
from pathlib import Path

from quiz.cli.scores import BAR_FROM
from quiz.saves.folder import SaveFolder
from tests.conftest import ROOT, Cli
from tests.saves_helpers import write_record


def many_games(root: Path, count: int) -> None:
    games = SaveFolder.games_in(SaveFolder(root).player_dir("Ann", create=True))
    games.mkdir(parents=True, exist_ok=True)
    for k in range(count):
        write_record(games, f"20261101T10{k // 60:02d}{k % 60:02d}Z-b{k:07d}.toml")


def test_a_long_rebuild_shows_a_bar_on_a_terminal_only(cli: Cli, tmp_path: Path) -> None:
    many_games(tmp_path / "saves", BAR_FROM + 10)
    # stderr a pipe (the cli fixture): the leaderboard and its notice, no bar.
    piped = cli("scores", "--saves", str(tmp_path / "saves"))
    assert piped.code == 0 and "Ann" in piped.out
    assert "Rebuilding" not in piped.err and "\x1b" not in piped.err
    (tmp_path / "saves" / ".scores.toml").unlink(missing_ok=True)
    for summary in (tmp_path / "saves").glob("*/summary.toml"):
        summary.unlink()
    # stderr a terminal: the bar, drawn as it goes and cleared at the end.
    leader, follower = pty.openpty()
    env = os.environ | {"COLUMNS": "100", "TERM": "xterm-256color"}
    env.pop("NO_COLOR", None)
    proc = subprocess.Popen(
        [sys.executable, "-m", "quiz", "scores", "--saves", str(tmp_path / "saves")],
        cwd=ROOT, stdout=subprocess.PIPE, stderr=follower, env=env,
    )  # fmt: skip
    os.close(follower)
    seen = b""
    deadline = time.monotonic() + 30
    while time.monotonic() < deadline:
        try:
            chunk = os.read(leader, 65536)
        except OSError:
            break  # the child closed its end
        if not chunk:
            break
        seen += chunk
    os.close(leader)
    out, _ = proc.communicate(timeout=30)
    assert proc.returncode == 0 and b"Ann" in out
    assert b"Rebuilding score summaries" in seen and f"{BAR_FROM + 10}".encode() in seen
