"""Starting a game or a hot-seat match: names, seeds, and an unfinished game kept in the history."""

from __future__ import annotations

import hashlib
import random
import uuid
from collections.abc import Callable, Iterable
from datetime import UTC, datetime
from pathlib import Path

from quiz.errors import QuizError
from quiz.game.play import MAX_PLAYERS, Game, Match, MatchInfo
from quiz.model import Deck, GameMode
from quiz.names import BadName, first_alike
from quiz.names import check as check_player_name
from quiz.questions.plan import DEFAULT_COUNT, make_quiz
from quiz.questions.question import Question
from quiz.saves.folder import SaveFolder
from quiz.text import clean, plural

NAME_MAX = 300
MAX_COUNT = 500  # questions per player: the command line and the start screen agree


def save_folder(
    root: Path | str | None = None, *, notify: Callable[[str], None] | None = None
) -> SaveFolder:
    """The save folder games are played into: its score summaries kept up to date as each is saved.

    The summary is derived (quiz.scores.summary): a folder opened without this still
    reads right, and its next reader catches up from the game files.
    """
    from quiz.scores.summary import recorded

    return SaveFolder(root, notify=notify, after_save=recorded)


class SessionError(QuizError):
    """A game cannot be started or resumed; the message is one clear line."""


def check_name(name: str) -> str:
    """A player name as kept: as typed (NFC), minus outer spaces; `quiz.names` checks it."""
    # Names that differ only by invisible, bidi or control characters would
    # look alike on every screen: refuse them instead of folding them together.
    try:
        return check_player_name(name, limit=NAME_MAX).text
    except BadName as exc:
        hint = "; give one with --player NAME" if exc.empty else ""
        raise ValueError(f"the player name {exc.problem}{hint}") from None


def playable(questions: list[Question], what: str) -> list[Question]:
    """Refuse a game of no questions with a clear message, before anything is saved."""
    if not questions:
        raise SessionError(f"{what} gives no questions to ask")
    return questions


def new_seed() -> int:
    """A fresh quiz code: short enough to read out to a class."""
    # The system's randomness, as `secrets` would use, through `random`, which
    # planning imports anyway.
    return random.SystemRandom().randrange(10**6)


def start_game(
    deck: Deck,
    saves: SaveFolder,
    player: str,
    *,
    count: int | None = None,
    seed: int | None = None,
    timer: int | None = None,
    mode: GameMode = "tui",
    deck_ref: str = "",
    kinds: Iterable[str] | None = None,
) -> Game:
    """A new game. An unfinished game of this player is kept in the history, as quit.

    Front ends ask first: `unfinished_game` tells whether there is one to offer.
    The player is held for this process first (PlayerBusy when another window
    plays them), so a game still being played is never shelved.
    """
    seed = new_seed() if seed is None else seed
    questions = playable(
        make_quiz(deck, seed, count or DEFAULT_COUNT, kinds=kinds), f"the deck '{deck.id}'"
    )
    take_over(saves, player)
    if count and len(questions) < count:
        saves.notify(short_deck_notice(len(questions), count))
    return deck_game(deck, questions, player, seed, timer, mode, deck_ref=deck_ref)


def deck_game(
    deck: Deck,
    questions: list[Question],
    player: str,
    seed: int,
    timer: int | None,
    mode: GameMode,
    *,
    review: bool = False,
    match: MatchInfo | None = None,
    deck_ref: str = "",
) -> Game:
    """A new game of ``questions`` from ``deck`` for ``player``: solo, a review round, or one
    player's game of a match."""
    return Game(
        questions,
        player=player,
        deck_id=deck.id,
        deck_title=deck.title,
        seed=seed,
        timer=timer,
        mode=mode,
        review=review,
        match=match,
        deck_ref=deck_ref,
    )


def take_over(saves: SaveFolder, player: str) -> None:
    """What every new game of one player does first: hold the player for this process
    (PlayerBusy when another window plays them), then keep their unfinished game in
    the history, so a game still being played is never shelved."""
    saves.claim(player)
    if saves.has_current(player):
        shelve_unfinished(saves, player)


def shelve_unfinished(saves: SaveFolder, player: str) -> None:
    """Keep the player's unfinished game in the history; a hot-seat game goes whole.

    A match resumes only as a whole, so the other players' parts of it are
    shelved too: left behind, they would be refused alone and refused together.
    """
    partners = _match_partners(saves, player)
    with saves.claimed(*partners):  # all of them or none: a partner may be playing elsewhere
        saves.shelve_current(player)
        for other in partners:
            saves.shelve_current(other)
    if partners:
        who = ", ".join(clean(p) for p in (player, *partners))
        saves.notify(
            f"the unfinished hot-seat game of {who} was kept in the history (not resumed); a new game starts"
        )
        return
    saves.notify(
        f"the unfinished game of {clean(player)} was kept in the history (not resumed); a new game starts"
    )


def _match_partners(saves: SaveFolder, player: str) -> list[str]:
    """The other players whose unfinished game is part of the same match as this player's."""
    if not saves.others_in_progress(player):
        # No one else has a game in progress, so no partner: the game is not read
        # (validating it loads pydantic, ~60 ms before the first question).
        return []
    current = saves.load_current(player)
    if current is None or current.record.match is None:
        return []
    match = current.record.match
    partners = []
    for other in match.players:
        if other == player or not saves.has_current(other):
            continue
        theirs = saves.load_current(other)
        if theirs is not None and theirs.record.match is not None:
            if theirs.record.match.id == match.id:
                partners.append(other)
    return partners


def shortfall(match: Match, asked: int | None) -> str | None:
    """A one-line note when the deck gave fewer questions than asked, else None."""
    if asked is None:
        return None
    got = min(game.count for game in match.games)
    if got >= asked:
        return None
    return short_deck_notice(got, asked, len(match.games))


def short_deck_notice(have: int, asked: int, players: int = 1) -> str:
    """What to tell a player who asked for more questions than the deck can give."""
    if players > 1:
        return (
            f"the deck has {plural(have, 'question')} each for {players} players without giving answers "
            f"away, not {asked}: everyone gets {have}"
        )
    return (
        f"the deck can give {plural(have, 'question')} without giving answers away, not {asked}: "
        f"playing {have}"
    )


def daily_seed(deck_id: str, day: str | None = None) -> int:
    """Today's quiz code for a deck: the same for everybody on the same UTC date."""
    day = day or datetime.now(UTC).date().isoformat()
    return int(hashlib.sha256(f"{day}/{deck_id}".encode()).hexdigest(), 16) % 10**6


def share_card(game: Game, day: str | None = None) -> str:
    """A short, spoiler-free summary to paste into a chat, like Wordle's."""
    day = day or (game.finished_at or game.started or datetime.now(UTC).isoformat())[:10]
    # ✓ right, ≈ close (part of the points), ✗ wrong: the marks the screens show.
    marks = "".join(a.mark for a in game.answers)
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
    mode: GameMode = "tui",
    teams: dict[str, list[str]] | None = None,
    deck_ref: str = "",
    kinds: Iterable[str] | None = None,
) -> Match:
    """A hot-seat match: each player gets ``count`` questions of one seeded quiz, dealt in turn.

    Dealing round-robin from one quiz keeps it fair (the same mix of forms and
    difficulties) without two players ever being asked the same question.
    """
    if len(players) == 1 and not teams:
        return Match(
            [
                start_game(
                    deck,
                    saves,
                    players[0],
                    count=count,
                    seed=seed,
                    timer=timer,
                    mode=mode,
                    deck_ref=deck_ref,
                    kinds=kinds,
                )
            ]
        )
    if not 2 <= len(players) <= MAX_PLAYERS:
        raise SessionError(f"a hot-seat game takes 2 to {MAX_PLAYERS} players, not {len(players)}")
    if first_alike(players) is not None:  # "Ann" and "Аnn" (Cyrillic А) look the same
        raise SessionError("each player needs a different name")
    seed = new_seed() if seed is None else seed
    count = count or DEFAULT_COUNT
    questions = playable(
        make_quiz(deck, seed, count * len(players), kinds=kinds), f"the deck '{deck.id}'"
    )
    each = min(count, len(questions) // len(players))  # everyone gets the same number
    if each == 0:
        raise SessionError(f"the deck is too small for {len(players)} players")
    if each < count:
        saves.notify(short_deck_notice(each, count, len(players)))
    info = MatchInfo(
        id=uuid.uuid4().hex,
        players=tuple(players),
        teams=tuple((team, tuple(members)) for team, members in (teams or {}).items()),
    )
    for player in players:  # every player held before any game is shelved
        saves.claim(player)
    games = []
    for k, player in enumerate(players):
        if saves.has_current(player):
            shelve_unfinished(saves, player)
        dealt = questions[k :: len(players)][:each]
        games.append(
            deck_game(deck, dealt, player, seed, timer, mode, match=info, deck_ref=deck_ref)
        )
    return Match(games, teams=dict(teams or {}))
