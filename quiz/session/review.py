"""Review rounds: the questions a player got wrong, until right twice in a row."""

from __future__ import annotations

from quiz.game.play import Game
from quiz.model import Deck, GameMode
from quiz.questions.generate import Generator
from quiz.questions.question import Question, QuestionId
from quiz.saves.folder import SaveFolder
from quiz.session.start import SessionError, deck_game, new_seed, playable, take_over

LEITNER_RIGHTS = 2


def review_pile(saves: SaveFolder, player: str, deck_id: str) -> list[str]:
    """Question ids this player still has to review, Leitner style.

    Worked out from the saved games, oldest first: a question joins the pile
    when it is answered wrong, and leaves it after two right answers in a row.
    The recorded games are read through their summary (quiz/scores/summary.py), which
    is derived from them and rebuilt from them whenever in doubt.
    """
    from quiz.scores.summary import leitner_step, review_streaks

    # Absent: never wrong; else right answers since the last wrong one.
    streaks = review_streaks(saves, player, deck_id)
    current = saves.load_current(player)
    if current is not None and current.record.deck == deck_id:
        for answer in current.record.answers:
            leitner_step(streaks, answer.question, answer.correct)
    return [qid for qid, rights in streaks.items() if rights < LEITNER_RIGHTS]


def questions_by_id(deck: Deck, seed: int, ids: list[str]) -> list[Question]:
    """Rebuild questions from their stable ids (ids of removed facts are skipped)."""
    generator = Generator(deck, seed)
    facts = {fact.id: fact for fact in deck.facts}
    out = []
    for question_id in ids:
        fact = facts.get(QuestionId.parse(question_id).fact)
        question = generator.build(fact, question_id) if fact is not None else None
        if question is not None:
            out.append(question)
    return out


def start_review(
    deck: Deck,
    saves: SaveFolder,
    player: str,
    *,
    count: int | None = None,
    timer: int | None = None,
    mode: GameMode = "tui",
) -> Game:
    """A game of only the questions in the player's review pile."""
    pile = review_pile(saves, player, deck.id)
    if not pile:
        raise SessionError(
            f"{player!r} has nothing to review on this deck: no wrong answers left to practise"
        )
    seed = new_seed()
    questions = playable(
        questions_by_id(deck, seed, pile[: count or len(pile)]), "the review of this deck"
    )
    take_over(saves, player)
    return deck_game(deck, questions, player, seed, timer, mode, review=True)


def review_mistakes(game: Game) -> Game | None:
    """A review round of the questions this game got wrong (None when every answer was right).

    It keeps the player, deck, code and timer; it is practice, saved but never counted.
    """
    wrong = [q for q, a in zip(game.questions, game.answers, strict=False) if not a.correct]
    if not wrong:
        return None
    return Game(
        wrong,
        player=game.player,
        deck_id=game.deck_id,
        deck_title=game.deck_title,
        seed=game.seed,
        timer=game.timer,
        mode=game.mode,
        review=True,
    )
