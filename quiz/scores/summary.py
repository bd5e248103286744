"""What the commands and screens read from the score summary: the leaderboard, a history, the review pile.

The summary is a cache of the game files (quiz.scores.cache keeps it in step;
quiz.scores.files keeps it on disk): these queries give typed rows, never
the cache's own lists.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from pathlib import Path
from typing import Any, NamedTuple, TypedDict

from quiz.saves.folder import SaveFolder
from quiz.saves.layout import DETAIL as DETAIL
from quiz.saves.layout import ROLLUP as ROLLUP
from quiz.saves.layout import SUMMARY as SUMMARY
from quiz.scores.cache import all_summaries, group_of, load
from quiz.scores.files import MAX_SUMMARY_BYTES as MAX_SUMMARY_BYTES
from quiz.scores.groups import Entry
from quiz.scores.groups import leitner_step as leitner_step
from quiz.text import clean


def recorded(saves: SaveFolder, folder: Path, path: Path, record: dict[str, Any]) -> None:
    """Bring the summary up to date with a game file just written (under the player's lock).

    The game is saved whatever happens here: the summary is derived, and a
    reader catches up from the game files if this could not finish.
    """
    try:
        load(
            saves,
            folder,
            detail=True,
            known={path.name: Entry.from_dict(path.name, record)},
            locked=True,
        )
    except (OSError, ValueError, KeyError, TypeError, RecursionError) as exc:
        saves.notify(
            f"the score summary of {clean(str(record.get('player', '')))} could not be updated ({exc}); it will be rebuilt from the games"
        )


class LeaderRow(TypedDict):
    """One player's row of the leaderboard: the `quiz scores --format json` contract.

    A TypedDict, not a dataclass: the row is written as JSON exactly as it is.
    """

    player: str
    games: int
    answered: int
    correct: int
    best_score: int
    last_played: str  # ISO 8601, UTC


def leaderboard(saves: SaveFolder, deck: str | None = None) -> list[LeaderRow]:
    """One row per player: the `quiz scores` JSON contract, best first."""
    rows: dict[str, LeaderRow] = {}
    for summary in all_summaries(saves):
        for group in summary.groups.values():
            if group.games == 0 or (deck is not None and group.deck != deck):
                continue
            # The same rows as a full read of the records, which are cleaned as they are read.
            player = clean(group.player)
            row = rows.setdefault(
                player,
                {
                    "player": player,
                    "games": 0,
                    "answered": 0,
                    "correct": 0,
                    "best_score": 0,
                    "last_played": "",
                },
            )
            row["games"] += group.games
            row["answered"] += group.answered
            row["correct"] += group.correct
            row["best_score"] = max(row["best_score"], group.best_score)
            row["last_played"] = max(row["last_played"], clean(group.last_played))
    return sorted(rows.values(), key=lambda r: (-r["best_score"], -r["correct"], r["player"]))


def review_streaks(saves: SaveFolder, player: str, deck: str) -> dict[str, int]:
    """Question id -> right answers since its last wrong one, over the recorded games."""
    group = group_of(saves, player, deck)
    return dict(group.review) if group is not None else {}


class HistoryRow(NamedTuple):
    """One game of a player's history table."""

    when: str  # "YYYY-MM-DDTHH:MM", UTC: when it finished
    score: int
    correct: int
    questions: int  # how many the game had
    best_streak: int


@dataclass(frozen=True)
class History:
    """One player's history on one deck (review rounds are practice: counted, not listed)."""

    scores: list[int]  # every finished game, oldest first
    rows: list[HistoryRow] = field(default_factory=list)  # the last HISTORY_ROWS games
    reviews: int = 0  # review rounds left out


def history(saves: SaveFolder, player: str, deck: str) -> History:
    group = group_of(saves, player, deck)
    if group is None:
        return History([])
    rows = [
        HistoryRow(when, score, right, count, streak)
        for when, score, right, count, streak in group.rows
    ]
    return History(list(group.scores), rows, group.reviews)
