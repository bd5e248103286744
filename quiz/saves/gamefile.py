"""A game as its save file: the record's fields, in their order, and how a game is written.

This module owns the record's shape: which fields there are, in which order
they are written, which are left out when they hold nothing (TOML has no
null), and the bounds of every number. quiz.saves.records (pydantic) reads a
save with the same fields and bounds, and checks at import that its models
list exactly these fields; it writes a record back through `as_written` too,
so what quiz writes, reads and writes again is the same file, byte for byte.

Plain data, no pydantic: saving a game never pays for it (the schema loads
only when a save is read back).
"""

from __future__ import annotations

import math
from typing import Any

from quiz.game.judge import given_text
from quiz.game.play import Game
from quiz.model import GameStatus
from quiz.text import clean

FORMAT = 1

# The bounds of what a save may hold (quiz.saves.records refuses anything past them).
MAX_INT = 10**12
MAX_SECONDS = 10.0**7
MAX_QUESTIONS = 100_000 * 8
MAX_CHOICE = 25
MAX_TEXT = 200  # a typed answer, as kept
ORDER_ITEMS = (2, 6)  # an order question's items: at least, at most

# Every field of a game record, in the order written.
GAME_FIELDS = (
    "format",
    "id",
    "player",
    "deck",
    "deck_title",
    "seed",
    "count",
    "mode",
    "timer",
    "status",
    "started",
    "score",
    "correct",
    "answered",
    "best_streak",
    "questions",
    "answers",
    "finished",
    "deck_path",
    "team",
    "match",
)
# Every field of one answer, in the order written. choice and chosen: a
# multiple-choice answer; text, value, order: what was given to a typed,
# estimate or order question; credit: the share of the points earned; round: a live
# room's round (1-based), when it had rounds. A game's team: a live room's, when it had teams.
ANSWER_FIELDS = (
    "question",
    "fact",
    "prompt",
    "correct",
    "seconds",
    "points",
    "right",
    "choice",
    "chosen",
    "text",
    "value",
    "order",
    "credit",
    "round",
)
MATCH_FIELDS = ("id", "players", "teams")
TEAM_FIELDS = ("name", "players")

# Left out when they hold this (what the reader then assumes).
GAME_ABSENT: dict[str, Any] = {"finished": "", "deck_path": "", "team": "", "match": None}
ANSWER_ABSENT: dict[str, Any] = {
    "choice": None,
    "chosen": "",
    "text": None,
    "value": None,
    "order": None,
    "credit": None,
    "round": None,
}
MATCH_ABSENT: dict[str, Any] = {"teams": []}


def _tidy(data: dict[str, Any], fields: tuple[str, ...], absent: dict[str, Any]) -> dict[str, Any]:
    out = {}
    for key in fields:
        value = data.get(key, absent.get(key))
        if key in absent and value == absent[key] and type(value) is type(absent[key]):
            continue
        out[key] = value
    return out


def as_written(record: dict[str, Any]) -> dict[str, Any]:
    """A record (every field given, or the absent ones missing) as its save file holds it."""
    out = _tidy(record, GAME_FIELDS, GAME_ABSENT)
    out["answers"] = [_tidy(a, ANSWER_FIELDS, ANSWER_ABSENT) for a in out["answers"]]
    match = out.get("match")
    if match is not None:
        match = _tidy(match, MATCH_FIELDS, MATCH_ABSENT)
        if "teams" in match:
            match["teams"] = [_tidy(t, TEAM_FIELDS, {}) for t in match["teams"]]
        out["match"] = match
    return out


def game_record(game: Game, status: GameStatus) -> dict[str, Any]:
    """The TOML-ready record of a game, as quiz.saves.records reads it back."""
    answers: list[dict[str, Any]] = []
    for answer, question in zip(game.answers, game.questions, strict=False):
        text = None if answer.text is None else clean(answer.text)[:MAX_TEXT]
        # What the player gave, as shown back: a choice, the text, "8th", "A → B → C".
        chosen = given_text(question, text, answer.value, answer.order, answer.choice)
        answers.append(
            {
                "question": answer.question,
                "fact": answer.fact,
                "prompt": question.prompt,
                "correct": answer.correct,
                "seconds": float(answer.seconds),
                "points": answer.points,
                "right": question.right,
                "choice": answer.choice,
                "chosen": chosen,
                "text": text,
                "value": answer.value,
                "order": None if answer.order is None else list(answer.order),
                "credit": _credit(answer.credit, answer.correct),
                # A live room's round (issue 26): absent for a game without rounds.
                "round": game.rounds[len(answers)] if len(answers) < len(game.rounds) else None,
            }
        )
    match = None
    if game.match is not None:
        match = {
            "id": game.match.id,
            "players": list(game.match.players),
            "teams": [{"name": t, "players": list(ps)} for t, ps in game.match.teams],
        }
    return as_written(
        {
            "format": FORMAT,
            "id": game.id,
            "player": game.player,
            "deck": game.deck_id,
            "deck_title": game.deck_title,
            "seed": game.seed,
            "count": game.count,
            # The one word that makes a save practice: quiz.scores.counting reads it.
            "mode": "review" if game.review else game.mode,
            "timer": game.timer or 0,
            "status": status,
            "started": game.started,
            "score": game.score,
            "correct": game.correct,
            "answered": game.answered,
            "best_streak": game.best_streak,
            "questions": [q.id for q in game.questions],
            "answers": answers,
            "finished": game.finished_at or "",
            "deck_path": game.deck_ref or "",
            "team": game.team,
            "match": match,
        }
    )


def _credit(credit: float | None, correct: bool) -> float | None:
    """The share of points as kept: within 0..1, never NaN; left out when it says no more
    than ``correct`` does (1 when right, 0 when wrong), as in every multiple-choice answer."""
    if credit is None or math.isnan(credit):
        return None
    kept = min(1.0, max(0.0, float(credit)))
    return None if kept == (1.0 if correct else 0.0) else kept


def to_toml(record: dict[str, Any]) -> str:
    """A save record as TOML text (tomli_w loads with the first save, not at start-up)."""
    import tomli_w

    return tomli_w.dumps(record)
