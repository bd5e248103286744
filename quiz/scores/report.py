"""`quiz report`: one row per player per question, for a teacher's gradebook."""

from __future__ import annotations

import csv
import io
import json
from collections.abc import Iterator
from typing import TYPE_CHECKING, Any

from quiz.saves.folder import SaveFolder
from quiz.scores.counting import counting
from quiz.text import clean, guard_cell

if TYPE_CHECKING:
    from quiz.saves.records import GameRecord

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
]


def rows(
    saves: SaveFolder, deck: str | None = None, since: str | None = None
) -> Iterator[dict[str, Any]]:
    """Answers of scored and practice games (quiz.scores.counting), oldest game first."""
    source = saves.games(deck=deck) if since is None else _games_since(saves, since, deck)
    games = [g for g in source if counting(g.status, g.mode) != "ignored"]
    games.sort(key=lambda g: (g.finished or g.started, g.player))
    for game in games:
        date = (game.finished or game.started)[:10]
        if since is not None and date < since:
            continue
        for answer in game.answers:
            # Saves are files anyone with the folder can edit: strip terminal
            # escapes before they reach a terminal or a spreadsheet.
            yield {
                "player": clean(game.player),
                "date": date,
                "deck": clean(game.deck),
                "question_id": clean(answer.question),
                "question": clean(answer.prompt),
                "choice": clean(answer.chosen),
                "correct": "yes" if answer.correct else "no",
                "points": answer.points,
                "seconds": answer.seconds,
                "mode": game.mode,
            }


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
