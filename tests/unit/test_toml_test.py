"""Every file of the public toml-test corpus is refused by name, cleanly."""

from __future__ import annotations

from pathlib import Path

import pytest

from quiz.authoring.validate import check_file
from tests.conftest import SHARED, Cli, needs_shared

CORPUS = SHARED / "toml-test"
FILES = sorted(p for p in CORPUS.rglob("*") if p.is_file()) if CORPUS.exists() else []

pytestmark = needs_shared(CORPUS)


def test_corpus_is_there() -> None:
    assert len(FILES) > 700


@pytest.mark.parametrize("path", FILES, ids=[str(p.relative_to(CORPUS)) for p in FILES])
def test_each_file_is_refused_by_name(path: Path) -> None:
    checked = check_file(path)
    assert checked.errors, f"{path} was accepted as a deck"
    for problem in checked.errors:
        assert str(problem).startswith(f"{path}:{problem.line}: ")


def test_whole_corpus_through_the_command_has_no_traceback(cli: Cli) -> None:
    result = cli("validate", str(CORPUS))
    assert result.code == 1
    assert "Traceback" not in result.err + result.out
    named = {line.split(":", 1)[0] for line in result.out.splitlines()}
    assert len(named) == len([p for p in FILES if p.suffix == ".toml"])
