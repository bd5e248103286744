"""`quiz report`: one row per player per question, for a teacher's gradebook.

The ``round`` and ``team`` columns are a live room's (issue 26; a team match's team too),
empty for a solo game and for a save from before they were kept.

The ``choice`` column is what the player gave, as the game showed it back: the
choice picked, the text typed, the number given ("8th", "2024") or the order
given ("A → B → C"). A save from before ``chosen`` held numbers and orders is
worded from its ``value`` or ``order``, rebuilding the question from the
bundled deck and the game's seed when it can be found.
"""

from __future__ import annotations

import csv
import io
import json
from collections.abc import Collection, Iterator
from typing import TYPE_CHECKING, Any

from quiz.saves.folder import SaveFolder
from quiz.scores.counting import counting
from quiz.text import clean, guard_cell

if TYPE_CHECKING:
    from quiz.model import Deck
    from quiz.saves.records import AnswerRecord, GameRecord

COLUMNS = [
    "player",
    "date",
    "deck",
    "question_id",
    "question",
    "choice",
    "correct",
    "points",
    "seconds",
    "mode",
    "round",  # a live room's round (1-based; issue 26), else empty
    "team",  # a live room's or a team match's team, else empty
]


def games(
    saves: SaveFolder,
    deck: str | None = None,
    since: str | None = None,
    only: Collection[str] | None = None,
) -> list[GameRecord]:
    """The games a report covers: scored and practice (quiz.scores.counting), on ``deck``,
    finished on or after ``since``, and with ``only``, just the games of those ids (a
    live room's players' games); oldest first. Every report format reads these."""
    source = saves.games(deck=deck) if since is None else _games_since(saves, since, deck)
    out = [
        g
        for g in source
        if counting(g.status, g.mode) != "ignored"
        and (only is None or g.id in only)
        and (since is None or (g.finished or g.started)[:10] >= since)
    ]
    out.sort(key=lambda g: (g.finished or g.started, g.player))
    return out


def rows(
    saves: SaveFolder,
    deck: str | None = None,
    since: str | None = None,
    only: Collection[str] | None = None,
) -> Iterator[dict[str, Any]]:
    """One row per answer of the report's games (`games`), oldest game first."""
    decks = Decks()
    for game in games(saves, deck, since, only):
        date = (game.finished or game.started)[:10]
        team = clean(team_of(game))
        for answer in game.answers:
            # Saves are files anyone with the folder can edit: strip terminal
            # escapes before they reach a terminal or a spreadsheet.
            yield {
                "player": clean(game.player),
                "date": date,
                "deck": clean(game.deck),
                "question_id": clean(answer.question),
                "question": clean(answer.prompt),
                "choice": clean(given(answer, game, decks)),
                "correct": "yes" if answer.correct else "no",
                "points": answer.points,
                "seconds": answer.seconds,
                "mode": game.mode,
                "round": answer.round,
                "team": team,
            }


def team_of(game: GameRecord) -> str:
    """The player's team: a live room's (the game keeps it), or their team in a team match;
    "" for none."""
    if game.team:
        return game.team
    if game.match is not None:
        for team in game.match.teams:
            if game.player in team.players:
                return team.name
    return ""


class Decks:
    """The bundled decks, loaded the first time an answer needs its question rebuilt."""

    def __init__(self) -> None:
        self._decks: dict[str, Deck] | None = None

    def get(self, deck_id: str) -> Deck | None:
        if self._decks is None:
            from quiz.deckfile.catalog import bundled_decks

            self._decks = bundled_decks(None)
        return self._decks.get(deck_id)


def given(answer: AnswerRecord, game: GameRecord, decks: Decks) -> str:
    """What the player gave, as shown (quiz.scores.stats.given_shown)."""
    from quiz.scores.stats import given_shown, rebuilt

    question = None
    if not answer.chosen and (answer.value is not None or answer.order is not None):
        question = rebuilt(decks.get(game.deck), game.seed, answer.question)
    return given_shown(answer, question)


def _games_since(saves: SaveFolder, since: str, deck: str | None) -> Iterator[GameRecord]:
    """Only the game files named on or after ``since``: file names carry the time they were written."""
    from quiz.scores.cache import names_since

    for folder in saves.player_folders():
        games = SaveFolder.games_in(folder)
        for name in names_since(folder, since):
            loaded = saves.load(games / name)
            if loaded is not None and (deck is None or loaded.record.deck == deck):
                yield loaded.record


def as_csv(items: Iterator[dict[str, Any]]) -> str:
    out = io.StringIO()
    writer = csv.DictWriter(out, fieldnames=COLUMNS, lineterminator="\r\n")
    writer.writeheader()
    for row in items:
        writer.writerow({k: guard_cell(v) for k, v in row.items()})
    return out.getvalue()


def as_json(items: Iterator[dict[str, Any]]) -> str:
    return json.dumps(list(items), ensure_ascii=False, indent=2) + "\n"
