"""A save folder with games in it: games played on the fixed deck, and records written by hand.

`played` plays a game as a player would (right or wrong, in order);
`save_games` records N of them in a folder; `write_record` writes a game file
quiz could have written, from a full record with only the fields a test
cares about changed (fixed dates and scores for snapshots and summaries).
"""

from __future__ import annotations

from collections.abc import Sequence
from pathlib import Path
from typing import Any

import tomli_w

from quiz.deckfile.read import load_deck
from quiz.game.play import Game
from quiz.questions.plan import make_quiz
from quiz.saves.folder import SaveFolder
from quiz.saves.gamefile import FORMAT, as_written
from tests.conftest import FIXED

DECK = load_deck(FIXED)


def played(
    player: str,
    *,
    seed: int = 1,
    count: int = 3,
    rights: Sequence[bool] | None = None,
    mode: str = "tui",
    seconds: float = 1.5,
) -> Game:
    """A game of ``count`` questions on the fixed deck; ``rights`` says which are answered
    right (the rest wrong); without it, every question is answered right."""
    game = Game(
        make_quiz(DECK, seed, count),
        player=player,
        deck_id=DECK.id,
        deck_title=DECK.title,
        seed=seed,
        mode=mode,
    )
    for right in rights if rights is not None else [True] * count:
        q = game.current
        game.answer(q.answer if right else (q.answer + 1) % len(q.choices), seconds)
    return game


def save_games(saves: SaveFolder, player: str, n: int, **how: Any) -> list[Path]:
    """``n`` finished games of ``player`` (seeds 0 to n-1), recorded as quiz records them."""
    return [saves.save_finished(played(player, seed=seed, **how)) for seed in range(n)]


def write_record(games: Path, name: str, **fields: Any) -> Path:
    """A game file named ``name`` in ``games``: a finished game with these fields changed."""
    record: dict[str, Any] = {
        "format": FORMAT,
        "id": name.removesuffix(".toml")[-8:],
        "player": "Ann",
        "deck": DECK.id,
        "deck_title": DECK.title,
        "seed": 0,
        "count": 3,
        "mode": "tui",
        "timer": 0,
        "status": "finished",
        "started": "2026-11-01T10:00:00Z",
        "score": 0,
        "correct": 0,
        "answered": 3,
        "best_streak": 0,
        "questions": [],
        "answers": [],
        "finished": "2026-11-01T10:05:00Z",
    }
    record.update(fields)
    path = games / name
    path.write_text(tomli_w.dumps(as_written(record)), encoding="utf-8")
    return path
