"""Which games count: the one rule the leaderboard, the history, stats and report share.

- **scored**: a finished game that is not a review round. It is ranked on the
  leaderboard, listed in the history, analysed by `quiz stats` and reported.
- **practice**: a finished review round. Never scored or ranked (the history
  says how many there were); `quiz report` lists its answers, with its mode, so
  a teacher sees the practice too.
- **ignored**: a game not played to its end (quit, or still in progress). It
  counts nowhere but in the review pile, which learns from every answer.

Pure: the rule reads only a game's status and mode, as written in its save.
"""

from __future__ import annotations

from typing import Literal

Counting = Literal["scored", "practice", "ignored"]


def counting(status: str, mode: str) -> Counting:
    """How a game with this ``status`` and ``mode`` counts."""
    if status != "finished":
        return "ignored"
    # "review" or a later version's "*-review" (a save may name a mode this one lacks).
    if mode == "review" or mode.endswith("-review"):
        return "practice"
    return "scored"
