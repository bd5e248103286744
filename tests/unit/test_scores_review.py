"""`quiz scores` and `quiz play --review`: what players and hosts read from the saves."""

from __future__ import annotations

import json
from pathlib import Path

from quiz.deckfile.read import load_deck
from quiz.saves.folder import SaveFolder
from quiz.scores import summary
from quiz.session import review_pile, start_game
from tests.conftest import FIXED, Cli
from tests.plain_helpers import PlainGame

DECK = load_deck(FIXED)


def play(saves: SaveFolder, player: str, seed: int, rights: list[bool]) -> list[str]:
    game = start_game(DECK, saves, player, count=len(rights), seed=seed)
    for right in rights:
        q = game.current
        game.answer(q.answer if right else (q.answer + 1) % len(q.choices), 1)
    saves.save_finished(game)
    return [q.id for q in game.questions]


def test_scores_json_contract_and_text(cli: Cli, tmp_path: Path) -> None:
    saves = SaveFolder(tmp_path)
    play(saves, "Ann", 1, [True, True, False])
    play(saves, "Ann", 2, [True, True, True])
    play(saves, "Ben", 3, [False, False, True])
    result = cli("scores", "--saves", str(tmp_path), "--format", "json")
    assert result.code == 0
    rows = json.loads(result.out)
    assert [r["player"] for r in rows] == ["Ann", "Ben"]
    ann = rows[0]
    assert {"player", "games", "answered", "correct", "best_score", "last_played"} <= ann.keys()
    assert (
        ann["games"] == 2
        and ann["answered"] == 6
        and ann["correct"] == 5
        and ann["best_score"] == 3300
    )
    text = cli("scores", "--saves", str(tmp_path)).out
    assert text.splitlines()[1].split()[:3] == ["1", "Ann", "3300"]
    assert (
        json.loads(
            cli("scores", "--saves", str(tmp_path), "--deck", "other", "--format", "json").out
        )
        == []
    )


def test_scores_env_var_and_empty_folder(cli: Cli, tmp_path: Path) -> None:
    result = cli("scores", env={"QUIZ_SAVES": str(tmp_path / "none")})
    assert result.code == 0 and "No finished games" in result.out


def test_leitner_pile_leaves_after_two_rights_in_a_row(
    plain_game: PlainGame, tmp_path: Path
) -> None:
    saves = SaveFolder(tmp_path)
    ids = play(saves, "Ann", 5, [False, True, False])
    assert review_pile(saves, "Ann", DECK.id) == [ids[0], ids[2]]
    review = plain_game(deck=FIXED, args=["--review"])
    assert "2 questions for Ann" in review.out
    # Answer the first missed question right twice, in two review games.
    from quiz.session import start_review

    for rounds in range(2):
        game = start_review(DECK, saves, "Ann")
        for q in game.questions:
            game.answer(q.answer if q.id == ids[0] else (q.answer + 1) % len(q.choices), 1)
        saves.save_finished(game)
        expected = [ids[0], ids[2]] if rounds == 0 else [ids[2]]
        assert sorted(review_pile(saves, "Ann", DECK.id)) == sorted(expected)


def test_review_games_do_not_count_on_the_leaderboard(tmp_path: Path) -> None:
    from quiz.session import start_review

    saves = SaveFolder(tmp_path)
    play(saves, "Ann", 5, [False, True])
    game = start_review(DECK, saves, "Ann")
    for q in game.questions:
        game.answer(q.answer, 1)
    saves.save_finished(game)
    (row,) = summary.leaderboard(saves)
    assert row["games"] == 1


def test_nothing_to_review_is_a_clear_error(plain_game: PlainGame) -> None:
    result = plain_game(player="Zed", args=["--review"])
    assert result.code == 1 and "nothing to review" in result.err
