"""`pip install .` gives a quiz that finds its bundled decks from any folder."""

from __future__ import annotations

import subprocess
import sys
import zipfile
from pathlib import Path

from tests.conftest import ROOT


def test_wheel_ships_the_bundled_decks(tmp_path: Path) -> None:
    subprocess.run(
        [
            sys.executable,
            "-m",
            "pip",
            "wheel",
            "-q",
            "--no-deps",
            "--no-build-isolation",
            "-w",
            str(tmp_path),
            str(ROOT),
        ],
        check=True,
        capture_output=True,
    )
    (wheel,) = tmp_path.glob("quiz-*.whl")
    names = zipfile.ZipFile(wheel).namelist()
    assert "quiz/_decks/amber-balcaen.toml" in names
    assert "quiz/cli/main.py" in names and "quiz/__main__.py" in names
    entry = next(n for n in names if n.endswith("entry_points.txt"))
    assert "quiz = quiz.cli.main:main" in zipfile.ZipFile(wheel).read(entry).decode()


def test_bundled_decks_are_found_from_another_folder(tmp_path: Path) -> None:
    result = subprocess.run(
        [sys.executable, "-m", "quiz", "validate"], cwd=tmp_path, capture_output=True, text=True
    )
    assert result.returncode == 0, result.stderr
    assert "1 valid deck," in result.stderr
