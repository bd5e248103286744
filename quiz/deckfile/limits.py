"""The deck file format's vocabulary: limits, answer kinds, difficulties, dates.

A leaf of the package: it imports only quiz.model's vocabularies, so every
layer (the schema, the reader, the checkers, add-fact, import) takes these
from one place.
"""

from __future__ import annotations

import datetime as dt
import re
from typing import get_args

from quiz.model import AnswerKind, Difficulty

# Limits that keep a question and its choices readable on an 80x24 screen,
# and a hostile file from costing more than a moment.
MAX_FILE_BYTES = 32 * 1024 * 1024
MAX_FACTS = 20_000
PROMPT_MAX = 200
CHOICE_MAX = 60
CLAIM_MAX = 200
STATEMENT_MAX = 300
EXPLANATION_MAX = 400
TITLE_MAX = 60
DESCRIPTION_MAX = 500

# The Literal aliases' values, in order, for messages and prompts.
ANSWER_KINDS: tuple[AnswerKind, ...] = get_args(AnswerKind)
DIFFICULTIES: tuple[Difficulty, ...] = get_args(Difficulty)


# A date in a deck: a year, a month or a day ("1995", "1995-03", "1995-03-07").
DATE_RE = re.compile(r"(\d{4})(?:-(\d{2})(?:-(\d{2}))?)?")


def real_date(text: str) -> bool:
    """Whether "YYYY", "YYYY-MM" or "YYYY-MM-DD" names a date that exists."""
    match = DATE_RE.fullmatch(text)
    if match is None:
        return False
    year, month, day = (int(g) if g else 1 for g in match.groups())
    try:
        dt.date(year, month, day)
    except ValueError:
        return False
    return year >= 1
