"""Hot-seat and teams in plain mode: answers are read in turn order."""

from __future__ import annotations

import json
from pathlib import Path

from tests.conftest import Cli
from tests.plain_helpers import PlainGame


def test_plain_hot_seat_reads_answers_in_turn_order(
    plain_game: PlainGame, cli: Cli, tmp_path: Path
) -> None:
    quiz = json.loads(cli("preview", "--seed", "5", "--count", "4", "--format", "json").out)
    # Two players, two questions each, dealt in turn: Ann gets 1 and 3, Ben 2 and 4.
    keys = [str(q["answer"] + 1) for q in quiz]
    keys[1] = str((quiz[1]["answer"] + 1) % len(quiz[1]["choices"]) + 1)  # Ben misses his first
    result = plain_game(*keys, player=["Ann", "Ben"], seed=5, count=2)
    assert result.code == 0, result.err
    turns = [line for line in result.out.splitlines() if line.endswith("'s turn.")]
    assert turns == ["Ann's turn.", "Ben's turn.", "Ann's turn.", "Ben's turn."]
    assert "  1. Ann: 2/2 correct, score 2100" in result.out
    assert "  2. Ben: 1/2 correct, score 1000" in result.out
    assert len(list(tmp_path.glob("*/games/*.toml"))) == 2


def test_plain_teams(plain_game: PlainGame) -> None:
    result = plain_game(
        "1",
        "1",
        "1",
        player=None,
        seed=5,
        count=1,
        args=["--team", "Red=Ann,Ben", "--team", "Blue=Cy"],
    )
    assert result.code == 0
    assert "Teams (mean score of the members):" in result.out


def test_bad_teams_and_player_counts(cli: Cli, tmp_path: Path) -> None:
    cases = [
        (["--team", "Red"], 2, "is not a team"),
        (["--team", "Red=Ann", "--player", "Ben"], 2, "not allowed with argument --team"),
        (["--player", "Ann", "--player", "ann"], 1, "different name"),
        ([arg for i in range(9) for arg in ("--player", f"P{i}")], 1, "2 to 8 players"),
        (["--player", "Ann", "--player", "Ben", "--resume"], 1, "no game in progress to resume"),
    ]
    for args, code, needle in cases:
        result = cli("play", "--plain", "--saves", str(tmp_path), *args, stdin="")
        assert result.code == code and needle in result.err, (args, result.err)
