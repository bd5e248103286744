"""A player's unfinished game, as offered before a new game would shelve it."""

from __future__ import annotations

from dataclasses import dataclass

from quiz.saves.folder import SaveFolder
from quiz.session.commands import resume_command
from quiz.text import clean, plural


@dataclass(frozen=True)
class Unfinished:
    """A player's game in progress, as offered before a new game would shelve it."""

    player: str
    deck_id: str
    deck_title: str
    deck_path: str  # the deck file named when the game began ("" for a bundled deck)
    answered: int
    count: int
    started: str
    players: tuple[str, ...]  # the match's players in turn order; just the player when solo
    saves: str = ""  # the --saves folder it is in, when one was named

    def describe(self) -> str:
        """One line, e.g. "Ann has an unfinished game: 3 of 10 questions answered on 'X'"."""
        with_whom = (
            f" (a hot-seat game with {', '.join(clean(p) for p in self.players)})"
            if len(self.players) > 1
            else ""
        )
        return (
            f"{clean(self.player)} has an unfinished game{with_whom}: "
            f"{self.answered} of {plural(self.count, 'question')} answered on "
            f"'{clean(self.deck_title or self.deck_id)}', started {self.started[:10]}"
        )

    def resume_command(self, *, plain: bool = False) -> str:
        """The command that resumes it (with the --deck it needs when not bundled)."""
        return resume_command(self.players, self.deck_path, plain=plain, saves=self.saves)


def unfinished_game(saves: SaveFolder, player: str) -> Unfinished | None:
    """The player's game in progress, if any: what to offer before starting a new game.

    A damaged current game is set aside by the reading (and the player told,
    through ``saves.notify``) and reads as none. Asking is the first step of
    playing: the player is held for this process (PlayerBusy, "Ann is playing
    in another window right now", when another one plays them).
    """
    saves.claim(player)
    if not saves.has_current(player):
        return None
    loaded = saves.load_current(player)
    if loaded is None:
        return None
    record = loaded.record
    players = tuple(record.match.players) if record.match is not None else (player,)
    return Unfinished(
        player=player,
        deck_id=record.deck,
        deck_title=record.deck_title,
        deck_path=record.deck_path,
        answered=record.answered,
        count=record.count,
        started=record.started,
        players=players,
        saves=saves.named,
    )
