"""The attack on issue 22's follow-up (findings 5, 6, 8 and 10): what a user sees stays true."""

from __future__ import annotations

import tomllib
from pathlib import Path
from typing import Any

import pytest
import tomli_w

from quiz.deckfile.read import load_deck
from quiz.game.play import Game
from quiz.questions.plan import make_quiz
from quiz.saves.folder import SaveFolder
from quiz.scores import summary
from tests.conftest import CHOICE_FORMS, FIXED, Cli

DECK = load_deck(FIXED)


def _saved_game(root: Path, player: str, rights: list[bool]) -> Path:
    questions = make_quiz(DECK, 4, len(rights), kinds=CHOICE_FORMS)
    game = Game(questions, player=player, deck_id="amber", deck_title="T", seed=4)
    for question, right in zip(questions, rights, strict=True):
        game.answer(question.answer if right else (question.answer + 1) % len(question.choices), 1)
    SaveFolder(root, after_save=summary.recorded).save_finished(game)
    (path,) = root.glob("*/games/*.toml")
    return path


def _forge(path: Path, change: Any) -> str:
    record = tomllib.loads(path.read_text(encoding="utf-8"))
    change(record["answers"])
    record["score"] = sum(a["points"] for a in record["answers"])
    record["correct"] = sum(a["correct"] for a in record["answers"])
    text = tomli_w.dumps(record)
    path.write_text(text, encoding="utf-8")
    return text


def _all_right(answers: list[dict[str, Any]]) -> None:
    for answer in answers:
        answer["correct"], answer["points"] = True, 1000


def _paid_wrong(answers: list[dict[str, Any]]) -> None:
    answers[-1]["points"] = 900  # still marked wrong, its choice still not the answer


@pytest.mark.parametrize(
    ("change", "said"),
    [
        (_all_right, "answers.1: it is marked right, but the choice it records is not the answer"),
        (_paid_wrong, "answers.2: it is marked wrong, but earns 900 points"),
    ],
)
def test_a_game_whose_verdicts_disagree_with_its_choices_is_set_aside(
    cli: Cli, tmp_path: Path, change: Any, said: str
) -> None:
    """Finding 8: `correct = true, points = 1000` on a choice that is not `right` is not counted."""
    game = _saved_game(tmp_path, "Zed", [True, False, False])
    before = cli("scores", "--saves", str(tmp_path))
    assert "Zed" in before.out and before.err == ""
    forgery = _forge(game, change)
    result = cli("scores", "--saves", str(tmp_path))
    assert result.code == 0
    assert "Zed" not in result.out
    assert f"{game.name} could not be read ({said}); it was set aside" in result.err
    (aside,) = tmp_path.glob("*/games/*.corrupt-*.toml")
    assert aside.read_text(encoding="utf-8") == forgery  # kept byte for byte
    stats = cli("stats", "--saves", str(tmp_path))
    assert "0 games" in stats.out or "no answers" in stats.out


def test_an_honest_game_still_counts_with_its_verdicts(cli: Cli, tmp_path: Path) -> None:
    _saved_game(tmp_path, "Amy", [True, False, True])
    result = cli("scores", "--saves", str(tmp_path), "--format", "json")
    assert result.code == 0 and result.err == ""
    assert '"correct": 2' in result.out
