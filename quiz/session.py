"""Starting and resuming games: shared by the CLI, plain mode and the TUI."""

from __future__ import annotations

import hashlib
import random
import uuid
from collections.abc import Callable
from dataclasses import dataclass
from datetime import UTC, datetime
from pathlib import Path
from typing import TYPE_CHECKING

from quiz.errors import QuizError
from quiz.game.play import MAX_PLAYERS, Game, Match, MatchInfo
from quiz.model import Deck, GameMode
from quiz.names import BadName, first_alike
from quiz.names import check as check_player_name
from quiz.questions.generate import Generator
from quiz.questions.plan import DEFAULT_COUNT, make_quiz
from quiz.questions.question import Question, QuestionId
from quiz.saves.folder import LoadedGame, SaveFolder, Unreadable, restore_answers
from quiz.text import clean, plural

if TYPE_CHECKING:
    from quiz.saves.records import GameRecord  # pydantic: a plain game never loads it

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


def _playable(questions: list[Question], what: str) -> list[Question]:
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
) -> Game:
    """A new game. An unfinished game of this player is kept in the history, as quit.

    Front ends ask first: `unfinished_game` tells whether there is one to offer.
    The player is held for this process first (PlayerBusy when another window
    plays them), so a game still being played is never shelved.
    """
    seed = new_seed() if seed is None else seed
    questions = _playable(make_quiz(deck, seed, count or DEFAULT_COUNT), f"the deck '{deck.id}'")
    saves.claim(player)
    if saves.has_current(player):
        _shelve(saves, player)
    if count and len(questions) < count:
        saves.notify(short_deck_notice(len(questions), count))
    return Game(
        questions,
        player=player,
        deck_id=deck.id,
        deck_title=deck.title,
        seed=seed,
        timer=timer,
        mode=mode,
        deck_ref=deck_ref,
    )


def _shelve(saves: SaveFolder, player: str) -> None:
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


def quiz_command() -> str:
    """quiz as it can be run again from the same shell: `quiz` when PATH finds this one.

    `make play` runs .venv/bin/quiz, which is not on PATH: then the path it was
    run by, as typed when the shell is in this process's folder, else absolute.
    """
    import os
    import shutil
    import sys

    program = sys.argv[0] if sys.argv else ""
    if os.path.basename(program) != "quiz" or os.sep not in program:
        return "quiz"  # found on PATH, or not run as the command (python -m quiz, the tests)
    try:
        found = shutil.which("quiz")
        if found is not None and os.path.samefile(found, program):
            return "quiz"
        if not os.path.isabs(program) and not os.path.samefile(
            os.environ.get("PWD") or "/nonexistent", os.getcwd()
        ):
            return os.path.abspath(program)
    except OSError:
        return os.path.abspath(program)
    return program


def resume_command(
    players: tuple[str, ...] | list[str],
    deck_path: str = "",
    *,
    plain: bool = False,
    saves: str = "",
) -> str:
    """`quiz play --player A [--player B ...] --resume [--deck PATH] [--plain] [--saves DIR]`, shell-quoted.

    ``saves`` is the folder named by --saves: without it the command would look
    in the default folder and find no game. ``quiz`` is written as it can be run
    (quiz_command).
    """
    import shlex  # here, not at the top: said when a game is left, not to start one

    parts = [quiz_command(), "play"]
    for player in players:
        parts += ["--player", clean(player)]
    parts.append("--resume")
    if deck_path:
        parts += ["--deck", clean(deck_path)]
    if plain:
        parts.append("--plain")
    if saves:
        parts += ["--saves", clean(saves)]
    return shlex.join(parts)


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


def game_resume_command(game: Game, *, plain: bool = False, saves: str = "") -> str:
    """The command that resumes this game (or its whole match); ``saves``: a --saves folder."""
    players = game.match.players if game.match is not None else (game.player,)
    return resume_command(players, game.deck_ref, plain=plain, saves=saves)


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
) -> Game:
    """A game of only the questions in the player's review pile."""
    pile = review_pile(saves, player, deck.id)
    if not pile:
        raise SessionError(
            f"{player!r} has nothing to review on this deck: no wrong answers left to practise"
        )
    seed = new_seed()
    questions = _playable(
        questions_by_id(deck, seed, pile[: count or len(pile)]), "the review of this deck"
    )
    saves.claim(player)
    if saves.has_current(player):
        _shelve(saves, player)
    return Game(
        questions,
        player=player,
        deck_id=deck.id,
        deck_title=deck.title,
        seed=seed,
        timer=timer,
        mode="review",
    )


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
        mode="review",
    )


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
        # A review round stays one (practice, off the leaderboard) whichever front end resumes it.
        mode="review" if record.mode == "review" else mode,
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
    if {p.casefold() for p in saved_players} != {p.casefold() for p in players} or len(
        saved_players
    ) != len(players):
        raise SessionError(
            "that hot-seat game was played by "
            + ", ".join(clean(p) for p in saved_players)
            + "; resume it with: "
            + resume_command(saved_players, first.deck_path, saves=saves.named)
        )
    by_name = {p.casefold(): p for p in players}
    games = []
    for saved in saved_players:
        name = by_name[saved.casefold()]
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


def daily_seed(deck_id: str, day: str | None = None) -> int:
    """Today's quiz code for a deck: the same for everybody on the same UTC date."""
    day = day or datetime.now(UTC).date().isoformat()
    return int(hashlib.sha256(f"{day}/{deck_id}".encode()).hexdigest(), 16) % 10**6


def share_card(game: Game, day: str | None = None) -> str:
    """A short, spoiler-free summary to paste into a chat, like Wordle's."""
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
    mode: GameMode = "tui",
    teams: dict[str, list[str]] | None = None,
    deck_ref: str = "",
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
                )
            ]
        )
    if not 2 <= len(players) <= MAX_PLAYERS:
        raise SessionError(f"a hot-seat game takes 2 to {MAX_PLAYERS} players, not {len(players)}")
    if first_alike(players) is not None:  # "Ann" and "Аnn" (Cyrillic А) look the same
        raise SessionError("each player needs a different name")
    seed = new_seed() if seed is None else seed
    count = count or DEFAULT_COUNT
    questions = _playable(make_quiz(deck, seed, count * len(players)), f"the deck '{deck.id}'")
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
            _shelve(saves, player)
        dealt = questions[k :: len(players)][:each]
        games.append(
            Game(
                dealt,
                player=player,
                deck_id=deck.id,
                deck_title=deck.title,
                seed=seed,
                timer=timer,
                mode=mode,
                match=info,
                deck_ref=deck_ref,
            )
        )
    return Match(games, teams=dict(teams or {}))
