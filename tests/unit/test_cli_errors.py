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
