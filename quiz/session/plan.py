"""What a front end asked for, turned into a match: the one unfinished-game policy.

Every front end (the command line, plain mode, the start screen, `quiz serve`)
asks `offer` before a new game, puts the question to its player in its own
way, gives the answer back through `Offer.answered`, and plays what `begin`
returns.
"""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from dataclasses import dataclass, field, replace
from typing import Literal

from quiz.game.play import Match
from quiz.model import Deck, GameMode
from quiz.names import name_key
from quiz.saves.folder import SaveFolder
from quiz.session.resume import DeckLookup, resume_match
from quiz.session.review import start_review
from quiz.session.start import SessionError, start_match
from quiz.session.unfinished import Unfinished, unfinished_game

# The player's answer to an offer: resume the unfinished game, or start the new one anyway.
Choice = Literal["resume", "new"]


@dataclass(frozen=True)
class Request:
    """What a front end was asked to play: a new game or match, a review round, or a resume."""

    players: tuple[str, ...]
    deck: Deck | None = None  # a new game's deck; a resume finds the save's own (DeckLookup)
    count: int | None = None
    seed: int | None = None
    timer: int | None = None
    mode: GameMode = "tui"
    teams: Mapping[str, Sequence[str]] = field(default_factory=dict)
    review: bool = False
    resume: bool = False
    deck_ref: str = ""  # the --deck a resume command needs ("" for a bundled deck)
    kinds: tuple[str, ...] | None = (
        None  # the question forms a new game may ask (None: the default)
    )


@dataclass(frozen=True)
class Offer:
    """The unfinished games a new game would shelve: the question to put to the player first.

    When ``resumable`` (one game, or one hot-seat game, of just the players
    asked for), the question is "resume it instead?", yes by default; else only
    "start a new game anyway?", no by default, with `resume_commands` to say.
    A front end that cannot ask starts nothing and says `resume_commands`.
    """

    games: tuple[Unfinished, ...]
    resumable: bool

    def resume_commands(self, *, plain: bool = False) -> list[str]:
        """The command resuming each unfinished game (a hot-seat game once)."""
        return [u.resume_command(plain=plain) for u in {u.players: u for u in self.games}.values()]

    def answered(self, request: Request, choice: Choice) -> Request:
        """The request the player's answer makes: the unfinished game resumed, or the new game."""
        if choice == "new":
            return request
        if not self.resumable:
            raise SessionError(
                "that unfinished game is not just these players'; resume it with: "
                + "; ".join(self.resume_commands(plain=request.mode == "plain"))
            )
        return replace(request, players=self.games[0].players, resume=True, review=False)


def offer(saves: SaveFolder, request: Request) -> Offer | None:
    """What to ask before this request shelves an unfinished game; None: nothing to ask.

    A game quit before its first answer holds nothing to lose: the new game
    replaces it with a note, unasked. Asking holds the players for this
    process (PlayerBusy when another window plays one of them).
    """
    if request.resume:
        return None
    pending = tuple(
        u
        for u in (unfinished_game(saves, p) for p in request.players)
        if u is not None and u.answered
    )
    if not pending:
        return None
    players = pending[0].players
    resumable = {name_key(p) for p in players} == {name_key(p) for p in request.players} and all(
        u.players == players for u in pending
    )
    return Offer(pending, resumable)


def begin(saves: SaveFolder, request: Request, lookup: DeckLookup | None = None) -> Match:
    """The match a request starts (or resumes); ``lookup`` finds a resumed game's deck."""
    if request.resume:
        return resume_match(saves, list(request.players), lookup or DeckLookup(), mode=request.mode)
    if request.deck is None:
        raise SessionError("no deck to play")
    if request.review:
        (player,) = request.players
        game = start_review(
            request.deck, saves, player, count=request.count, timer=request.timer, mode=request.mode
        )
        return Match([game])
    return start_match(
        request.deck,
        saves,
        list(request.players),
        count=request.count,
        seed=request.seed,
        timer=request.timer,
        mode=request.mode,
        teams={team: list(members) for team, members in request.teams.items()},
        deck_ref=request.deck_ref,
        kinds=request.kinds,
    )
