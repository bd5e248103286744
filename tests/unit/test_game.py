"""The game rules: scoring, streaks, timer, answers."""

from __future__ import annotations

import pytest

from quiz.deckfile.read import load_deck
from quiz.game.judge import parse_choice
from quiz.game.play import Game, Points, points_for, streak_bonus
from quiz.questions.plan import make_quiz
from tests.conftest import FIXED

DECK = load_deck(FIXED)


def new_game(timer: int | None = None, count: int = 5) -> Game:
    return Game(
        make_quiz(DECK, 3, count),
        player="Ann",
        deck_id=DECK.id,
        deck_title=DECK.title,
        seed=3,
        timer=timer,
    )


def test_kahoot_timer_formula() -> None:
    assert points_for(True, 0, 20, 1) == 1000
    assert points_for(True, 5, 20, 1) == 875
    assert points_for(True, 20, 20, 1) == 500
    assert points_for(True, 10, 30, 1) == round(1000 * (1 - 10 / 60))
    assert points_for(False, 1, 20, 0) == 0


def test_fixed_points_without_timer_and_streak_bonus() -> None:
    assert points_for(True, 99, None, 1) == 1000
    assert [streak_bonus(s) for s in range(1, 9)] == [0, 100, 200, 300, 400, 500, 500, 500]
    assert points_for(True, 3, None, 4) == 1300


def test_streaks_score_and_finish() -> None:
    game = new_game(count=4)
    picks = [True, True, False, True]
    for right in picks:
        q = game.current
        game.answer(q.answer if right else (q.answer + 1) % len(q.choices), 2.0)
    assert game.finished and game.finished_at
    assert game.correct == 3 and game.answered == 4
    assert game.best_streak == 2 and game.streak == 1
    assert game.score == 1000 + 1100 + 0 + 1000
    with pytest.raises(ValueError):
        game.answer(0, 1)


def test_slow_answer_with_timer_is_wrong() -> None:
    game = new_game(timer=10)
    result = game.answer(game.current.answer, 11)
    assert not result.correct and result.points == 0


def test_out_of_range_choice_is_refused() -> None:
    game = new_game()
    with pytest.raises(ValueError):
        game.answer(7, 1)


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        ("1", 0),
        ("4", 3),
        ("b", 1),
        (" D \n", 3),
        ("5", None),
        ("e", None),
        ("", None),
        ("x1", None),
    ],
)
def test_parse_choice(text: str, expected: int | None) -> None:
    assert parse_choice(text, 4) == expected


def test_the_verdict_is_judged_on_the_seconds_the_save_keeps() -> None:
    """10.004 s into a 10 s timer is 10.00 s in the save: in time, so a right answer scores."""
    game = new_game(timer=10)
    right = game.current.answer
    on_time = game.answer(right, 10.004)
    assert (on_time.correct, on_time.timed_out, on_time.seconds, on_time.points) == (
        True,
        False,
        10.0,
        500,
    )
    assert on_time.breakdown == Points(base=500, speed=0, streak=0)
    late = game.answer(game.current.answer, 10.006)  # 10.01 s: after the buzzer
    assert (late.correct, late.timed_out, late.points) == (False, True, 0)
    assert late.breakdown == Points(0, 0, 0)
    none = game.answer(None, 10.0)
    assert none.timed_out and not none.correct


def test_an_untimed_unanswered_question_is_not_a_timeout() -> None:
    game = new_game(timer=None)
    result = game.answer(None, 40.0)
    assert not result.correct and not result.timed_out


def test_accuracy_scoring_is_a_setting_of_the_game() -> None:
    game = new_game(timer=20)
    game.scoring = "accuracy"
    first = game.answer(game.current.answer, 1.0)
    second = game.answer(game.current.answer, 19.0)
    wrong = game.answer((game.current.answer + 1) % len(game.current.choices), 2.0)
    # A flat 1000 a right answer: no speed bonus, no streak bonus.
    assert [a.points for a in (first, second, wrong)] == [1000, 1000, 0]
    assert second.breakdown == Points(1000, 0, 0)
    assert game.score == 2000


def test_the_results_headline_names_the_winners_and_their_points() -> None:
    from quiz.game.play import Match

    def game(player: str, right: bool) -> Game:
        played = new_game(count=1)
        played.player = player
        q = played.current
        played.answer(q.answer if right else (q.answer + 1) % len(q.choices), 1.0)
        return played

    win = Match([game("Ann", False), game("Ben", True)])
    assert win.headline(str) == f"Ben wins with {win.games[1].score} points"
    tie = Match([game("Ann", False), game("Ben", False), game("Cy", False)])
    assert tie.headline(str) == "Ann, Ben and Cy tie with 0 points"
    teams = Match([game("Ann", False), game("Ben", False)], teams={"Red": ["Ann"], "Blue": ["Ben"]})
    assert teams.headline(lambda name: name.upper()) == "Teams RED and BLUE tie with 0 points"
