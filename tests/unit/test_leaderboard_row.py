"""The leaderboard row's type names exactly the keys `quiz scores --format json` prints."""

from __future__ import annotations

import json
import typing
from pathlib import Path

from quiz.scores.summary import LeaderRow
from tests.conftest import Cli
from tests.plain_helpers import PlainGame


def test_scores_json_rows_have_the_typed_keys(
    plain_game: PlainGame, cli: Cli, tmp_path: Path
) -> None:
    saves = str(tmp_path / "saves")
    played = plain_game("2", seed=1, count=1, saves=saves)
    assert played.code == 0, played.err
    result = cli("scores", "--format", "json", "--saves", saves)
    assert result.code == 0, result.err
    rows = json.loads(result.out)
    assert [row["player"] for row in rows] == ["Ann"]
    hints = typing.get_type_hints(LeaderRow)
    assert set(rows[0]) == set(hints)
    for key, kind in hints.items():
        assert isinstance(rows[0][key], kind), key
