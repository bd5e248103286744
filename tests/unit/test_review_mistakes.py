"""The "review mistakes" round is built in the core, so every front end gets the same game."""

from __future__ import annotations

from quiz.deckfile.catalog import bundled_deck
from quiz.deckfile.read import load_deck
from quiz.game.play import Game
from quiz.questions.plan import make_quiz
from quiz.session import review_mistakes


def played(rights: list[bool]) -> Game:
    deck = load_deck(bundled_deck("amber-balcaen"))
    questions = make_quiz(deck, 7, len(rights))
    game = Game(questions, player="Ann", deck_id=deck.id, deck_title=deck.title, seed=7, timer=20)
    for question, right in zip(questions, rights, strict=True):
        wrong = next(i for i in range(len(question.choices)) if i != question.answer)
        game.answer(question.answer if right else wrong, 1.0)
    return game


def test_the_review_asks_only_the_wrong_answers_in_their_order() -> None:
    game = played([True, False, True, False])
    review = review_mistakes(game)
    assert review is not None
    assert [q.prompt for q in review.questions] == [
        game.questions[1].prompt,
        game.questions[3].prompt,
    ]
    assert review.review and review.mode == "tui"  # the front end the game was played on
    assert (review.player, review.deck_id, review.seed, review.timer) == (
        "Ann",
        game.deck_id,
        7,
        20,
    )
    assert review.answers == []


def test_no_mistakes_means_no_review() -> None:
    assert review_mistakes(played([True, True])) is None


def test_a_review_round_resumed_is_still_a_review_round(tmp_path) -> None:  # type: ignore[no-untyped-def]
    """Review rounds are practice, kept off the leaderboard: quitting one half-way and
    resuming it (from the TUI or plain mode) must not turn it into a scored game."""
    from quiz.saves.folder import SaveFolder
    from quiz.session import resume_game

    deck = load_deck(bundled_deck("amber-balcaen"))
    review = review_mistakes(played([False, False, False]))
    assert review is not None
    saves = SaveFolder(tmp_path)
    question = review.current
    review.answer(question.answer, 1.0)
    saves.save_progress(review)
    for mode in ("tui", "plain"):
        resumed = resume_game(saves, "Ann", lambda deck_id: deck, mode=mode)  # type: ignore[arg-type]
        assert resumed.review
        assert resumed.answered == 1
