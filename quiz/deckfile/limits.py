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


# How a deck writes dates, in one place: a source's date is a year, a month or
# a day ("1995", "1995-03", "1995-03-07"); a date answer a month or a day.
# The schema anchors these (^...$); `real_date` then checks the date exists.
_MONTH = r"(0[1-9]|1[0-2])"
_DAY = r"(0[1-9]|[12]\d|3[01])"
DATE_PATTERN = rf"\d{{4}}(-{_MONTH}(-{_DAY})?)?"
MONTH_OR_DAY_PATTERN = rf"\d{{4}}-{_MONTH}(-{_DAY})?"
DATE_RE = re.compile(r"(\d{4})(?:-(\d{2})(?:-(\d{2}))?)?")  # the parts, for real_date


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


# A claim is the statement with a slot where the answer goes, filled with the
# right answer or a wrong one to make a true/false question.
ANSWER_SLOT = "{answer}"
CLAIM_RULE = "'claim' must contain {answer} exactly once, where the answer goes"


def claim_fits(claim: str) -> bool:
    """Whether a claim has its one answer slot (the rule the reader and add-fact share)."""
    return claim.count(ANSWER_SLOT) == 1
