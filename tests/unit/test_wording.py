"""What the command line says: plurals, columns by display width, honest hints (issue 10)."""

from __future__ import annotations

import json
from pathlib import Path

import pytest

from tests.conftest import FIXED, MINI, ROOT
from tests.plain_helpers import PlainGame


def test_plural() -> None:
    from quiz.text import plural

    assert plural(1, "question") == "1 question"
    assert plural(2, "game") == "2 games"
    assert plural(0, "player") == "0 players"
    assert plural(2, "match", "matches") == "2 matches"


def test_validate_summary_counts_in_words(cli) -> None:  # type: ignore[no-untyped-def]
    result = cli("validate", str(MINI))
    assert "1 file, 1 valid deck, " in result.err and "0 errors, " in result.err
    assert "(s)" not in result.err


def test_scores_line_up_by_display_width(
    plain_game: PlainGame, cli, tmp_path: Path, monkeypatch
) -> None:  # type: ignore[no-untyped-def]
    from quiz.text import width

    for name in ("Ann", "李小龍", "Zoë"):
        played = plain_game("1", player=name, count=1)
        assert played.code == 0
    lines = cli("scores", "--saves", str(tmp_path)).out.splitlines()
    assert len(lines) == 4 and any("李小龍" in line for line in lines)
    # Every row ends at the same cell: a date (10 cells) under "Last played" (11).
    assert {width(line) for line in lines[1:]} == {width(lines[0]) - 1}, lines


def test_long_names_end_with_an_ellipsis(
    plain_game: PlainGame, cli, tmp_path: Path, monkeypatch
) -> None:  # type: ignore[no-untyped-def]
    name = "Bartholomew-Alexander Featherstonehaugh III"
    plain_game("1", player=name, count=1)
    out = cli("scores", "--saves", str(tmp_path)).out
    assert name not in out and name[:29] + "\u2026" in out


def test_strict_says_when_a_fact_makes_no_true_false_question(cli, tmp_path: Path) -> None:  # type: ignore[no-untyped-def]
    text = MINI.read_text(encoding="utf-8")
    deck = tmp_path / "noclaim.toml"
    deck.write_text(text.replace('claim = "The race was {answer} long."\n', ""), encoding="utf-8")
    assert cli("validate", str(deck)).code == 0  # a claim is optional
    strict = cli("validate", "--strict", str(deck))
    assert strict.code == 1
    assert "[mini-laps] warning: no 'claim': this fact makes no true/false question" in strict.out
    assert cli("validate", "--strict", str(MINI)).code == 0


def test_the_docs_call_claim_optional() -> None:
    root = ROOT
    table = (root / "questions" / "README.md").read_text(encoding="utf-8")
    assert "| `claim` | no |" in table
    contributing = (root / "CONTRIBUTING.md").read_text(encoding="utf-8")
    assert "`claim` (optional" in contributing


def test_answer_key_for_one_fact_prints_no_play_command(cli) -> None:  # type: ignore[no-untyped-def]
    result = cli("preview", "--deck", str(FIXED), "--fact", "fx-balcaen-age", "--answer-key")
    assert result.code == 0
    assert "quiz play" not in result.out
    assert "every question of the fact 'fx-balcaen-age'" in result.out


def test_answer_key_names_the_deck_it_was_made_from(cli) -> None:  # type: ignore[no-untyped-def]
    result = cli("preview", "--deck", str(MINI), "--seed", "3", "--count", "2", "--answer-key")
    assert f"quiz play --deck {MINI} --seed 3 --count 2" in result.out


def test_answer_key_with_json_is_an_error_not_ignored(cli) -> None:  # type: ignore[no-untyped-def]
    result = cli("preview", "--answer-key", "--format", "json")
    assert result.code == 2 and "--answer-key" in result.err
    plain_json = cli("preview", "--seed", "1", "--count", "1", "--format", "json")
    assert json.loads(plain_json.out)[0]["answer"] >= 0


@pytest.mark.parametrize("kind", ["csv"])
def test_imported_decks_do_not_repeat_themselves(cli, tmp_path: Path, kind: str) -> None:  # type: ignore[no-untyped-def]
    sheet = tmp_path / "sheet.csv"
    sheet.write_text(
        "type,difficulty,question,correct_answer,incorrect_answer_1,incorrect_answer_2,incorrect_answer_3,explanation\n"
        "multiple,easy,Which planet is largest?,Jupiter,Mars,Venus,Earth,\n",
        encoding="utf-8",
    )
    out = tmp_path / "deck.toml"
    result = cli("import", kind, str(sheet), "--out", str(out))
    assert result.code == 0, result.err
    assert "1 question," in result.out
    text = out.read_text(encoding="utf-8")
    assert "imported from Imported from" not in text
    assert "1 question imported from sheet.csv." in text
    assert "The answer is Jupiter" not in text
