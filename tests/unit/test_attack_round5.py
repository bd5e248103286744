"""The attack on issue 22's follow-up (findings 5, 6, 8 and 10): what a user sees stays true."""

from __future__ import annotations

import multiprocessing
import os
import tomllib
from pathlib import Path
from typing import Any

import pytest
import tomli_w

from quiz.deckfile.read import load_deck
from quiz.game.play import Game
from quiz.questions.plan import make_quiz
from quiz.room import tokens
from quiz.room.state import RoomError
from quiz.saves.folder import SaveFolder
from quiz.scores import summary
from tests.conftest import CHOICE_FORMS, FIXED, MINI, Cli
from tests.unit.test_confusables import make_room

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


# --- finding 6: two `quiz join` processes keeping their tokens at once ------------------------


def _keep_one(state: str, who: int, barrier: Any) -> None:
    os.environ[tokens.STATE_ENV] = state
    barrier.wait(10)
    tokens.keep(f"ws://127.0.0.1:{8000 + who}/ws", "123456", "Ann", f"tok{who}")


def test_two_joins_keeping_tokens_at_once_both_keep_their_seat(tmp_path: Path) -> None:
    """Each terminal can rejoin with its score: neither process's token overwrites the other's."""
    forked = multiprocessing.get_context("fork")
    for trial in range(6):
        state = tmp_path / f"state{trial}"
        barrier = forked.Barrier(2)
        joins = [forked.Process(target=_keep_one, args=(str(state), w, barrier)) for w in (1, 2)]
        for join in joins:
            join.start()
        for join in joins:
            join.join(30)
            assert join.exitcode == 0
        os.environ[tokens.STATE_ENV] = str(state)
        try:
            kept = [tokens.take(f"ws://127.0.0.1:{8000 + w}/ws", "123456", "Ann") for w in (1, 2)]
        finally:
            del os.environ[tokens.STATE_ENV]
        assert kept == [("tok1", None), ("tok2", None)], trial


def test_a_symlink_at_the_token_lock_is_refused_with_a_note(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setenv(tokens.STATE_ENV, str(tmp_path / "state"))
    (tmp_path / "state").mkdir()
    elsewhere = tmp_path / "elsewhere"
    (tmp_path / "state" / (tokens.FILE_NAME + tokens.LOCK_SUFFIX)).symlink_to(elsewhere)
    note = tokens.keep("ws://127.0.0.1:8765/ws", "123456", "Ann", "tok")
    assert note is not None and "symbolic link" in note
    assert not elsewhere.exists()


# --- finding 10's names: one rule for numbers, '=' in --team, marks drawn over letters -------


@pytest.mark.parametrize(
    ("team", "said", "code"),
    [
        ("\u0662=Ann", "the team name '\u0662' is a number; give each team a name", 2),
        ("\u2460=Ann", "the team name '\u2460' is a number; give each team a name", 2),
        ("Red=Ann=Ben", "the player name 'Ann=Ben' holds '='", 2),
        ("Red=Ann\u20dd", "U+20DD (COMBINING ENCLOSING CIRCLE) on 'n'", 1),
    ],
)
def test_hot_seat_refuses_number_teams_and_joined_players(
    cli: Cli, tmp_path: Path, team: str, said: str, code: int
) -> None:
    result = cli(
        "play", "--plain", "--deck", str(MINI), "--count", "1", "--seed", "3",
        "--saves", str(tmp_path), "--team", team, "--team", "Blue=Bob", stdin="1\n",
    )  # fmt: skip
    assert result.code == code
    assert said in result.err and "Traceback" not in result.err
    assert not list(tmp_path.glob("*/games/*.toml"))  # nothing was played


def test_a_name_with_a_mark_drawn_over_it_cannot_sit_beside_ann(cli: Cli, tmp_path: Path) -> None:
    room = make_room()
    room.join("Ann")
    for name in ("A\u0338nn", "Ann\u20dd", "An\u0144\u0301\u0301", "Ann\u0336"):
        with pytest.raises(RoomError) as err:
            room.join(name)
        assert err.value.code == "bad-name", name
    for name in ("Ann\u0332", "Ann\u0305", "An\u0332n"):  # a loose line under or over a letter
        with pytest.raises(RoomError) as err:
            room.join(name)
        assert err.value.code == "name-taken", name
    for name in (
        "Jos\u00e9",
        "Jose\u0301n",
        "Ni\u00f1o",
        "\u0141ukasz",
        "Lukasz",
        "Ad\u00e9b\u00e1y\u1ecd",
    ):
        room.join(name)  # a letter's own accent, composed or not, is part of the name
    with pytest.raises(RoomError) as err:
        room.join("Jos\u00e9n")  # "José" + n typed composed: the same as "Jose\u0301n"
    assert err.value.code == "name-taken"
    hot_seat = cli(
        "play", "--plain", "--deck", str(MINI), "--count", "1", "--saves", str(tmp_path),
        "--player", "Ann", "--player", "Ann\u0332", stdin="1\n1\n",
    )  # fmt: skip
    assert hot_seat.code == 1 and "different name" in hot_seat.err
