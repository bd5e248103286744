"""Resuming a saved game or a whole hot-seat match, from where it stopped."""

from __future__ import annotations

from collections.abc import Callable, Iterable
from pathlib import Path
from typing import TYPE_CHECKING

from quiz.game.play import Game, Match, MatchInfo
from quiz.model import Deck, GameMode
from quiz.names import name_key
from quiz.questions.plan import make_quiz
from quiz.saves.folder import LoadedGame, SaveFolder, Unreadable, restore_answers
from quiz.session.commands import resume_command
from quiz.session.review import questions_by_id
from quiz.session.start import SessionError
from quiz.text import clean

if TYPE_CHECKING:
    from quiz.saves.records import GameRecord  # pydantic: a plain game never loads it


def resume_game(
    saves: SaveFolder, player: str, load_deck: Callable[[str], Deck], *, mode: GameMode = "tui"
) -> Game:
    """The player's unfinished game, with the same questions, from where it stopped.

    Part of a hot-seat game, it is refused with the command that resumes the
    whole match (see `resume_match`).

    ``load_deck`` gets the deck id from the save: it must look it up among known
    decks (bundled, or the one named on the command line), never open it as a
    path, and raise LookupError when it is none of them: the error then names
    the --deck to give (the file the save remembers, when there is one).
    """
    saves.claim(player)  # PlayerBusy: the game is being played in another window
    current = saves.read_current(player)
    if not isinstance(current, LoadedGame):
        if isinstance(current, Unreadable):
            raise SessionError(
                f"the unfinished game of {player!r} could not be read and was set aside; "
                "there is no game to resume"
            )
        raise SessionError(f"{player!r} has no game in progress to resume")
    match = current.record.match
    if match is not None:
        # One player's part of a hot-seat game would go on alone: resume the whole match.
        raise SessionError(
            f"the unfinished game of {player!r} is part of a hot-seat game; resume it with: "
            + resume_command(match.players, current.record.deck_path, saves=saves.named)
        )
    return _restore(current.record, player, load_deck, mode, current.path, saves)


def _restore(
    record: GameRecord,
    player: str,
    load_deck: Callable[[str], Deck],
    mode: GameMode,
    path: Path | None = None,
    saves: SaveFolder | None = None,
) -> Game:
    """A saved game back in play; ``path`` is its current.toml (None for a finished game)."""
    try:
        deck = load_deck(record.deck)
    except LookupError:
        players = tuple(record.match.players) if record.match is not None else (player,)
        raise SessionError(
            f"the unfinished game is on the deck '{clean(record.deck)}', which is not bundled; "
            f"name its file: {resume_command(players, record.deck_path or 'PATH', saves=saves.named if saves is not None else '')}"
        ) from None
    if record.questions:
        questions = questions_by_id(deck, record.seed, record.questions)
    else:
        questions = make_quiz(deck, record.seed, record.count)
    if not questions:
        raise SessionError(
            f"the deck '{record.deck}' has changed since this game began; it gives no questions to resume"
        )
    answers = restore_answers(record)
    if [q.id for q in questions[: len(answers)]] != [a.question for a in answers]:
        raise SessionError(
            f"the deck '{record.deck}' has changed since this game began; it cannot be resumed"
        )
    too_many = len(answers) >= len(questions) if path is not None else len(answers) > len(questions)
    tampered = too_many or any(
        a.choice is not None and a.choice >= len(q.choices)
        for a, q in zip(answers, questions, strict=False)
    )
    if tampered:
        # A save that cannot be played (edited by hand): set it aside, say so.
        if path is not None and saves is not None:
            saves.move_aside(path, "its answers do not fit its questions")
        raise SessionError(
            "the saved game could not be resumed (its answers do not fit its questions); "
            "it was kept aside: start a new game"
        )
    match = None
    if record.match is not None:
        match = MatchInfo(
            id=record.match.id,
            players=tuple(record.match.players),
            teams=tuple((t.name, tuple(t.players)) for t in record.match.teams),
        )
    return Game(
        questions,
        player=player,
        deck_id=deck.id,
        deck_title=deck.title,
        seed=record.seed,
        timer=record.timer or None,
        mode=mode,
        # A review round stays one (practice, off the leaderboard) whichever front end resumes it.
        review=record.mode == "review",
        id=record.id,
        started=record.started,
        finished_at=record.finished or None,
        answers=answers,
        match=match,
        deck_ref=record.deck_path,
    )


def resume_match(
    saves: SaveFolder,
    players: list[str],
    load_deck: Callable[[str], Deck],
    *,
    mode: GameMode = "tui",
) -> Match:
    """Resume one player's game, or a whole hot-seat or team match: turn order, teams and all.

    Every player named must belong to the same match, and the match's players
    must all be named. A player who already answered all their questions has
    no game in progress; their finished game is read back from the history.
    """
    if len(players) == 1:
        return Match([resume_game(saves, players[0], load_deck, mode=mode)])
    for player in players:
        saves.claim(player)
    read = {p: saves.read_current(p) for p in players}
    loaded = {p: item for p, item in read.items() if isinstance(item, LoadedGame)}
    started = [(p, item.record) for p, item in loaded.items()]
    if not started:
        set_aside = any(isinstance(item, Unreadable) for item in read.values())
        damaged = " (a damaged save was set aside)" if set_aside else ""
        who = " and ".join([", ".join(clean(p) for p in players[:-1]), clean(players[-1])])
        raise SessionError(f"{who} have no game in progress to resume{damaged}")
    ids = {r.match.id if r.match is not None else None for _, r in started}
    first = started[0][1]
    if len(ids) != 1 or first.match is None:
        raise SessionError(
            "these players' unfinished games are not one hot-seat game; resume each with "
            "quiz play --player NAME --resume"
        )
    saved_players = list(first.match.players)
    if {name_key(p) for p in saved_players} != {name_key(p) for p in players} or len(
        saved_players
    ) != len(players):
        raise SessionError(
            "that hot-seat game was played by "
            + ", ".join(clean(p) for p in saved_players)
            + "; resume it with: "
            + resume_command(saved_players, first.deck_path, saves=saves.named)
        )
    by_name = {name_key(p): p for p in players}
    games = []
    for saved in saved_players:
        name = by_name[name_key(saved)]
        item = loaded.get(name)
        record = (
            item.record if item is not None else _finished_in_match(saves, name, first.match.id)
        )
        if record is None:
            raise SessionError(f"the game of {name!r} in that hot-seat game cannot be found")
        games.append(
            _restore(record, name, load_deck, mode, item.path if item is not None else None, saves)
        )
    teams = {t: list(ps) for t, ps in games[0].match.teams} if games[0].match else {}
    return Match(games, teams=teams)


def _finished_in_match(saves: SaveFolder, player: str, match_id: str) -> GameRecord | None:
    found = None
    for record in saves.games(player=player):
        if record.match is not None and record.match.id == match_id and record.status == "finished":
            found = record
    return found


class DeckLookup:
    """How a resume finds the deck of a save: by its id, never by a path in the save.

    ``given``: the deck named on the command line; a save on another deck is
    refused. Else a deck already loaded (``known``) with that id, else the
    bundled deck of that id; none of them is a LookupError, which the resume
    turns into the command naming --deck. Each deck found is kept in ``decks``.
    """

    def __init__(self, given: Deck | None = None, known: Iterable[Deck] = ()) -> None:
        self.given = given
        self.decks: dict[str, Deck] = {deck.id: deck for deck in known}

    def __call__(self, deck_id: str) -> Deck:
        if self.given is not None:
            if self.given.id != deck_id:
                raise SessionError(
                    f"the unfinished game is on the deck '{clean(deck_id)}', not '{clean(self.given.id)}'"
                )
            return self.given
        if deck_id not in self.decks:
            from quiz.deckfile.catalog import bundled
            from quiz.deckfile.problems import DeckError

            try:
                self.decks[deck_id] = bundled(deck_id)[1]
            except DeckError:
                raise LookupError(deck_id) from None
        return self.decks[deck_id]
