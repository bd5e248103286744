"""Run-time guards for the deferred imports that start-up speed relies on.

The import-linter contracts read the static graph, which cannot tell an import
at the top of a module from one deferred into the function that needs it. These
tests run the real command in a fresh interpreter and read `sys.modules` at the
end: the only way to prove a deferral defers. bench/README.md's plain-mode
start-up figures assume what is checked here.
"""

from __future__ import annotations

import subprocess
import sys
from pathlib import Path

# Runs `quiz ARGS...` through quiz.cli.main, then writes every imported module's
# name to the file named first, whatever happened.
PROBE = """
import sys
from quiz.cli.main import main
try:
    code = main(sys.argv[2:])
finally:
    with open(sys.argv[1], "w", encoding="utf-8") as out:
        out.write("\\n".join(sorted(sys.modules)))
sys.exit(code)
"""

# The TUI's libraries: plain mode draws nothing with them.
TUI = ("textual", "rich")


def imported(tmp_path: Path, *args: str, stdin: str = "") -> tuple[set[str], str]:
    """The top-level packages `quiz ARGS...` imported, and what it printed."""
    listing = tmp_path / "modules.txt"
    proc = subprocess.run(
        [sys.executable, "-c", PROBE, str(listing), *args],
        input=stdin,
        capture_output=True,
        text=True,
        timeout=60,
    )
    assert proc.returncode == 0, proc.stderr
    return {name.split(".")[0] for name in listing.read_text().split()}, proc.stdout


def play(tmp_path: Path) -> tuple[set[str], str]:
    return imported(
        tmp_path,
        "play",
        "--plain",
        "--player",
        "Ann",
        "--count",
        "1",
        "--seed",
        "1",
        "--saves",
        str(tmp_path / "saves"),
        stdin="2\n",  # the right answer for seed 1
    )


def test_plain_play_with_a_checked_deck_imports_neither_pydantic_nor_textual(
    tmp_path: Path,
) -> None:
    # The first game checks the deck with pydantic and notes that it passed
    # (this also shows the probe sees a deferred import).
    first, out = play(tmp_path)
    assert "/1 correct" in out, out  # the game was played to its end
    assert "pydantic" in first
    # The next game trusts the note: no pydantic, and never Textual or Rich.
    again, out = play(tmp_path)
    assert "pydantic" not in again
    assert not again & set(TUI), sorted(again & set(TUI))
    assert "/1 correct" in out, out


def test_plain_play_never_imports_textual_even_for_a_new_deck(tmp_path: Path) -> None:
    modules, _ = play(tmp_path)
    assert not modules & set(TUI), sorted(modules & set(TUI))


def test_preview_of_a_checked_deck_skips_pydantic(tmp_path: Path) -> None:
    args = ("preview", "--count", "2", "--seed", "1")
    first, _ = imported(tmp_path, *args)
    assert "pydantic" in first
    again, out = imported(tmp_path, *args)
    assert "pydantic" not in again
    assert not again & set(TUI), sorted(again & set(TUI))
    assert "2 questions, seed 1" in out, out


def test_a_new_game_over_a_solo_unfinished_one_starts_without_pydantic(tmp_path: Path) -> None:
    saves = tmp_path / "saves"
    common = ("play", "--plain", "--player", "Ann", "--seed", "1", "--saves", str(saves))
    # Two questions, one answer, then the input ends: the game is kept unfinished.
    imported(tmp_path, *common, "--count", "2", stdin="2\n")
    assert list(saves.glob("*/current.toml"))
    # --new shelves it: no one else has a game in progress, so it is moved, not
    # read. The input ends at the first question, before any save.
    modules, out = imported(tmp_path, *common, "--count", "2", "--new")
    assert "Question 1/2" in out, out
    assert "pydantic" not in modules
    assert len(list(saves.glob("*/games/*-unfinished.toml"))) == 1
