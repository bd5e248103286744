"""For hosts: answer keys, the daily quiz, share cards and reports."""

from __future__ import annotations

import csv
import io
import json
from pathlib import Path

from quiz.deckfile.read import load_deck
from quiz.saves.folder import SaveFolder
from quiz.session import daily_seed, share_card, start_game
from tests.conftest import FIXED, Cli
from tests.plain_helpers import PlainGame

DECK = load_deck(FIXED)


def test_answer_key_lists_each_question_with_its_right_answer(cli: Cli) -> None:
    preview = json.loads(cli("preview", "--seed", "9", "--count", "4", "--format", "json").out)
    key = cli("preview", "--seed", "9", "--count", "4", "--answer-key").out
    assert "quiz code 9, 4 questions" in key
    assert "quiz play --seed 9 --count 4" in key
    for number, question in enumerate(preview, 1):
        assert f"{number:>3}. {question['prompt']}" in key
        assert f"     {question['answer'] + 1}) {question['choices'][question['answer']]}" in key


def test_daily_seed_is_the_same_all_day_and_differs_by_deck_and_day(cli: Cli) -> None:
    assert daily_seed("amber-balcaen", "2026-11-23") == daily_seed("amber-balcaen", "2026-11-23")
    assert daily_seed("amber-balcaen", "2026-11-23") != daily_seed("amber-balcaen", "2026-11-24")
    assert daily_seed("amber-balcaen", "2026-11-23") != daily_seed("other", "2026-11-23")
    today = cli("preview", "--daily", "--count", "3", "--format", "json").out
    assert today == cli("preview", "--daily", "--count", "3", "--format", "json").out
    assert cli("preview", "--daily", "--seed", "1").code == 2


def test_share_card_is_spoiler_free(tmp_path: Path) -> None:
    game = start_game(DECK, SaveFolder(tmp_path), "Ann", count=3, seed=42)
    for right in (True, False, True):
        q = game.current
        game.answer(q.answer if right else (q.answer + 1) % len(q.choices), 1)
    card = share_card(game, day="2026-11-23")
    assert card == f"quiz \u00b7 {DECK.title}\n2026-11-23 \u00b7 code 42\n\u2713\u2717\u2713 2/3"
    for question in game.questions:
        assert question.right not in card and question.prompt not in card


def test_plain_mode_prints_the_share_card(plain_game: PlainGame) -> None:
    result = plain_game("1", "1", seed=1, count=2)
    assert "Share it (no spoilers):" in result.out
    assert "code 1" in result.out.split("Share it")[1]


def test_report_csv_has_one_row_per_player_per_question(
    plain_game: PlainGame, cli: Cli, tmp_path: Path
) -> None:
    for player in ("Ann", "=SUM(A1:A9)"):
        plain_game("1", "2", "1", player=player, seed=3, count=3)
    result = cli("report", "--saves", str(tmp_path), "--format", "csv")
    assert result.code == 0
    table = list(csv.DictReader(io.StringIO(result.out)))
    assert len(table) == 6
    assert {"player", "question", "correct"} <= set(table[0])
    assert {row["correct"] for row in table} <= {"yes", "no"}
    assert {row["player"] for row in table} == {"Ann", "'=SUM(A1:A9)"}  # never a live formula
    data = json.loads(cli("report", "--saves", str(tmp_path), "--format", "json").out)
    assert len(data) == 6 and data[0]["question"].endswith("?")
    assert (
        cli(
            "report", "--saves", str(tmp_path), "--format", "csv", "--since", "2999-01-01"
        ).out.count("\n")
        == 1
    )
    assert cli("report", "--saves", str(tmp_path), "--format", "csv", "--since", "soon").code == 2
