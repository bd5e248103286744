"""Starting and resuming games: shared by the CLI, plain mode and the TUI."""

from __future__ import annotations

import secrets
from collections.abc import Callable

from quiz.game import MAX_PLAYERS, Game, Match
from quiz.generate import DEFAULT_COUNT, Generator, Question, make_quiz
from quiz.model import Deck
from quiz.saves import SaveFolder, restore_answers

NAME_MAX = 300


class SessionError(Exception):
    """A game cannot be started or resumed; the message is one clear line."""


def check_name(name: str) -> str:
    """A player name as kept: exactly as typed, minus control characters and outer spaces."""
    from quiz.saves import clean_name

    kept = clean_name(name)
    if not kept:
        raise ValueError("the player name is empty; give one with --player NAME")
    if len(kept) > NAME_MAX:
        raise ValueError(f"the player name is {len(kept)} characters long; the limit is {NAME_MAX}")
    return kept


def new_seed() -> int:
    """A fresh quiz code: short enough to read out to a class."""
    return secrets.randbelow(10**6)


def start_game(
    deck: Deck,
    saves: SaveFolder,
    player: str,
    *,
    count: int | None = None,
    seed: int | None = None,
    timer: int | None = None,
    mode: str = "tui",
) -> Game:
    """A new game. An unfinished game of this player is kept in the history, as quit."""
    if saves.has_current(player):
        saves.shelve_current(player)
        saves.notices.append("your unfinished game was kept in your history; a new game starts")
    seed = new_seed() if seed is None else seed
    questions = make_quiz(deck, seed, count or DEFAULT_COUNT)
    return Game(
        questions,
        player=player,
        deck_id=deck.id,
        deck_title=deck.title,
        seed=seed,
        timer=timer,
        mode=mode,
    )


LEITNER_RIGHTS = 2


def review_pile(saves: SaveFolder, player: str, deck_id: str) -> list[str]:
    """Question ids this player still has to review, Leitner style.

    Worked out from the saved games, oldest first: a question joins the pile
    when it is answered wrong, and leaves it after two right answers in a row.
    The recorded games are read through their summary (quiz/summary.py), which
    is derived from them and rebuilt from them whenever in doubt.
    """
    from quiz.summary import review_streaks

    # Absent: never wrong; else right answers since the last wrong one.
    streaks: dict[str, int | None] = dict(review_streaks(saves, player, deck_id))
    current = saves.load_current(player)
    if current is not None and current.record.deck == deck_id:
        for answer in current.record.answers:
            if not answer.correct:
                streaks[answer.question] = 0
            elif streaks.get(answer.question) is not None:
                streaks[answer.question] = (streaks[answer.question] or 0) + 1
    return [
        qid for qid, rights in streaks.items() if rights is not None and rights < LEITNER_RIGHTS
    ]


def questions_by_id(deck: Deck, seed: int, ids: list[str]) -> list[Question]:
    """Rebuild questions from their stable ids (ids of removed facts are skipped)."""
    generator = Generator(deck, seed)
    facts = {fact.id: fact for fact in deck.facts}
    out = []
    for question_id in ids:
        fact = facts.get(question_id.split("/", 1)[0])
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
    mode_prefix: str = "",
) -> Game:
    """A game of only the questions in the player's review pile."""
    pile = review_pile(saves, player, deck.id)
    if not pile:
        raise SessionError(
            f"{player!r} has nothing to review on this deck: no wrong answers left to practise"
        )
    if saves.has_current(player):
        saves.shelve_current(player)
    seed = new_seed()
    questions = questions_by_id(deck, seed, pile[: count or len(pile)])
    return Game(
        questions,
        player=player,
        deck_id=deck.id,
        deck_title=deck.title,
        seed=seed,
        timer=timer,
        mode="review",
    )


def resume_game(
    saves: SaveFolder, player: str, load_deck: Callable[[str], Deck], *, mode: str = "tui"
) -> Game:
    """The player's unfinished game, with the same questions, from where it stopped."""
    current = saves.load_current(player)
    if current is None:
        raise SessionError(f"{player!r} has no game in progress to resume")
    record = current.record
    deck = load_deck(record.deck)
    if record.questions:
        questions = questions_by_id(deck, record.seed, record.questions)
    else:
        questions = make_quiz(deck, record.seed, record.count)
    answers = restore_answers(record)
    if [q.id for q in questions[: len(answers)]] != [a.question for a in answers]:
        raise SessionError(
            f"the deck '{record.deck}' has changed since this game began; it cannot be resumed"
        )
    return Game(
        questions,
        player=player,
        deck_id=deck.id,
        deck_title=deck.title,
        seed=record.seed,
        timer=record.timer or None,
        mode=mode,
        id=record.id,
        started=record.started,
        answers=answers,
    )


def daily_seed(deck_id: str, day: str | None = None) -> int:
    """Today's quiz code for a deck: the same for everybody on the same UTC date."""
    import hashlib
    from datetime import UTC, datetime

    day = day or datetime.now(UTC).date().isoformat()
    return int(hashlib.sha256(f"{day}/{deck_id}".encode()).hexdigest(), 16) % 10**6


def share_card(game: Game, day: str | None = None) -> str:
    """A short, spoiler-free summary to paste into a chat, like Wordle's."""
    from datetime import UTC, datetime

    day = day or (game.finished_at or game.started or datetime.now(UTC).isoformat())[:10]
    marks = "".join("\u2713" if a.correct else "\u2717" for a in game.answers)
    return "\n".join(
        [
            f"quiz \u00b7 {game.deck_title}",
            f"{day} \u00b7 code {game.seed}",
            f"{marks} {game.correct}/{game.count}",
        ]
    )


def start_match(
    deck: Deck,
    saves: SaveFolder,
    players: list[str],
    *,
    count: int | None = None,
    seed: int | None = None,
    timer: int | None = None,
    mode: str = "tui",
    teams: dict[str, list[str]] | None = None,
) -> Match:
    """A hot-seat match: each player gets ``count`` questions of one seeded quiz, dealt in turn.

    Dealing round-robin from one quiz keeps it fair (the same mix of forms and
    difficulties) without two players ever being asked the same question.
    """
    if len(players) == 1 and not teams:
        return Match(
            [start_game(deck, saves, players[0], count=count, seed=seed, timer=timer, mode=mode)]
        )
    if not 2 <= len(players) <= MAX_PLAYERS:
        raise SessionError(f"a hot-seat game takes 2 to {MAX_PLAYERS} players, not {len(players)}")
    folded = [p.casefold() for p in players]
    if len(set(folded)) != len(folded):
        raise SessionError("each player needs a different name")
    seed = new_seed() if seed is None else seed
    count = count or DEFAULT_COUNT
    questions = make_quiz(deck, seed, count * len(players))
    games = []
    for k, player in enumerate(players):
        if saves.has_current(player):
            saves.shelve_current(player)
        dealt = questions[k :: len(players)][:count]
        games.append(
            Game(
                dealt,
                player=player,
                deck_id=deck.id,
                deck_title=deck.title,
                seed=seed,
                timer=timer,
                mode=mode,
            )
        )
    return Match(games, teams=dict(teams or {}))
