"""Every example the README and the contributors' guides show runs as shown.

- A line in a fenced block that starts with `$ ` is a shell example: it runs in
  bash, with the checkout's `quiz` on PATH and a fresh save folder, and must
  end with exit 0, no traceback, and (for a plain game) the game finished.
- Every other `quiz ...` line in a fenced block (the `quiz host` examples,
  which wait for players) must be a command the real parser accepts.
- Inline commands with an argument and no placeholders (`quiz validate
  --strict`, `quiz scores --format json`, ...) that print and end are run too
  (a bare `quiz report` in a sentence names the command; it is not an example).
"""

from __future__ import annotations

import os
import re
import shlex
import subprocess
import sys
from pathlib import Path

import pytest

from quiz.cli.main import build_parser
from tests.conftest import ROOT

DOCS = [ROOT / "README.md", ROOT / "CONTRIBUTING.md", ROOT / "questions" / "README.md"]
BIN = Path(sys.executable).parent
# Commands that print and end, so an inline example of them can simply be run.
RUNNABLE = {"validate", "schema", "scores", "preview", "report", "stats", "audit"}


def _fenced_lines(path: Path) -> list[str]:
    lines: list[str] = []
    inside = False
    for line in path.read_text(encoding="utf-8").splitlines():
        if line.lstrip().startswith("```"):
            inside = not inside
            continue
        if inside:
            lines.append(line.strip())
    return lines


def _shell_examples() -> list[str]:
    return [line[2:] for path in DOCS for line in _fenced_lines(path) if line.startswith("$ ")]


def _block_commands() -> list[str]:
    found = []
    for path in DOCS:
        for line in _fenced_lines(path):
            if re.match(r"quiz [a-z]", line):
                found.append(line.split("#", 1)[0].strip())
    return found


def _inline_commands() -> list[str]:
    found: set[str] = set()
    for path in DOCS:
        for span in re.findall(r"`(quiz [^`]+)`", path.read_text(encoding="utf-8")):
            words = shlex.split(span)
            placeholder = any(w.isupper() or "[" in w or "|" in w or ">" in w for w in words)
            # `quiz report` alone names a command; with an argument it is an example.
            if len(words) > 2 and words[1] in RUNNABLE and not placeholder:
                found.add(span)
    return sorted(found)


def _run(argv: list[str], tmp_path: Path) -> subprocess.CompletedProcess[str]:
    """Run from the checkout, with its quiz on PATH and a save folder of the test's own."""
    env = dict(os.environ)
    env["PATH"] = f"{BIN}{os.pathsep}{env.get('PATH', '')}"
    env["QUIZ_SAVES"] = str(tmp_path / "saves")
    done = subprocess.run(
        argv, cwd=ROOT, env=env, capture_output=True, text=True, timeout=60,
        stdin=subprocess.DEVNULL,
    )  # fmt: skip
    assert done.returncode == 0, done.stderr
    assert "Traceback" not in done.stdout + done.stderr
    return done


def test_the_docs_have_examples_to_run() -> None:
    # The guard for the tests below: an empty list would pass them all.
    assert _shell_examples(), "the README lost its shell examples"
    assert len(_inline_commands()) >= 5


@pytest.mark.parametrize("example", _shell_examples())
def test_each_shell_example_runs_as_shown(example: str, tmp_path: Path) -> None:
    done = _run(["bash", "-c", example], tmp_path)
    if "--plain" in example:
        assert "Input ended" not in done.stdout, done.stdout
        assert "The game is saved. Resume it" not in done.stdout, done.stdout


@pytest.mark.parametrize("command", _block_commands())
def test_each_command_in_a_code_block_is_one_the_parser_accepts(command: str) -> None:
    words = shlex.split(command)[1:]
    parser = build_parser()
    try:
        parser.parse_args(words)
    except SystemExit as stop:  # argparse's way of refusing
        pytest.fail(f"{command!r} is refused by quiz's parser (exit {stop.code})")


@pytest.mark.parametrize("command", _inline_commands())
def test_each_inline_command_runs(command: str, tmp_path: Path) -> None:
    done = _run([str(BIN / "quiz"), *shlex.split(command)[1:]], tmp_path)
    assert (done.stdout + done.stderr).strip(), f"{command} printed nothing"
