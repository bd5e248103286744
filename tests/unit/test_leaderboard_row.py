"""The leaderboard row's type names exactly the keys `quiz scores --format json` prints."""

from __future__ import annotations

import json
import typing
from pathlib import Path

from quiz.scores.summary import LeaderRow
from tests.conftest import Cli


def test_scores_json_rows_have_the_typed_keys(cli: Cli, tmp_path: Path) -> None:
    saves = str(tmp_path / "saves")
    played = cli(
        "play",
        "--plain",
        "--player",
        "Ann",
        "--count",
        "1",
        "--seed",
        "1",
        "--saves",
        saves,
        stdin="2\n",
    )
    assert played.code == 0, played.err
    result = cli("scores", "--format", "json", "--saves", saves)
    assert result.code == 0, result.err
    rows = json.loads(result.out)
    assert [row["player"] for row in rows] == ["Ann"]
    hints = typing.get_type_hints(LeaderRow)
    assert set(rows[0]) == set(hints)
    for key, kind in hints.items():
        assert isinstance(rows[0][key], kind), key
