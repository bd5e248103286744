"""Starting and resuming games: shared by the CLI, plain mode and the TUI."""

from __future__ import annotations

import secrets
from collections.abc import Callable

from quiz.deck import Deck
from quiz.game import Game
from quiz.generate import DEFAULT_COUNT, make_quiz
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
    if saves.load_current(player) is not None:
        saves.shelve_current(player)
        saves.notices.append("your unfinished game was kept in your history; a new game starts")
    seed = new_seed() if seed is None else seed
    questions = make_quiz(deck, seed, count or DEFAULT_COUNT)
    return Game(questions, player=player, deck_id=deck.id, deck_title=deck.title, seed=seed, timer=timer, mode=mode)


def resume_game(saves: SaveFolder, player: str, load_deck: Callable[[str], Deck], *, mode: str = "tui") -> Game:
    """The player's unfinished game, with the same questions, from where it stopped."""
    current = saves.load_current(player)
    if current is None:
        raise SessionError(f"{player!r} has no game in progress to resume")
    record = current.record
    deck = load_deck(record.deck)
    questions = make_quiz(deck, record.seed, record.count)
    answers = restore_answers(record)
    if [q.id for q in questions[: len(answers)]] != [a.question for a in answers]:
        raise SessionError(f"the deck '{record.deck}' has changed since this game began; it cannot be resumed")
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
