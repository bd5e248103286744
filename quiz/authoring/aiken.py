"""Moodle's Aiken format: multiple choice only, one line a text, no escaping at all.

A question is its text on one line, its choices one a line (``A. text`` or
``A) text``), then ``ANSWER: B``. Moodle reads every text literally (it
escapes HTML itself), and so do we. With no escaping, a text that holds a
line break, or a question that starts like a choice (``A. ``) or the answer
line, cannot be written: the export leaves that question out with a note.
"""

from __future__ import annotations

import re
import zlib
from typing import Any

from quiz.authoring.exporting import Export, Exported, export_for
from quiz.authoring.gift import Skipped
from quiz.authoring.interchange import literal
from quiz.model import Deck

LETTERS = "ABCDEFGHIJKLMNOPQRSTUVWXYZ"
# Moodle's own rules (question/format/aiken/format.php): a choice, the answer line.
_CHOICE = re.compile(r"[A-Z][).][ \t]")
_ANSWER = "ANSWER:"
WHY_LEFT_OUT = "Aiken cannot hold a line break, nor a question that starts like a choice or ANSWER:"


def read_aiken(text: str, limit: int) -> list[dict[str, Any] | Skipped]:
    """The questions of an Aiken file, each an item (with its line) or why it cannot be one."""
    out: list[dict[str, Any] | Skipped] = []
    question: str | None = None
    start = 0
    choices: list[str] = []
    # Lines end at \n or \r only, as Moodle reads them (never at U+2028 and the like).
    lines = re.split(r"\r\n|\r|\n", text.removeprefix("\ufeff"))
    for number, raw in enumerate(lines, 1):
        line = raw.strip()
        if len(line) < 2:
            continue
        if _CHOICE.match(line):
            if question is None:
                out.append(Skipped("a choice comes before any question", f"line {number}"))
                question, start = "", number  # the rest of this one is skipped with it
            choices.append(line[2:].strip())
            continue
        if line.startswith(_ANSWER):
            where = f"line {start or number}"
            letter = line[len(_ANSWER) :].strip()[:1]
            if question:
                out.append(_item(question, choices, letter, where))
            elif question is None:
                out.append(Skipped("an ANSWER: line comes before any question", where))
            question, choices, start = None, [], 0
            continue
        if question is not None:
            if question:  # a question still open: it never got its ANSWER: line
                out.append(Skipped("it has no ANSWER: line", f"line {start}"))
        question, choices, start = line, [], number
        if len(out) > limit:
            break
    if question:
        out.append(Skipped("it has no ANSWER: line", f"line {start}"))
    if len(out) > limit:
        raise ValueError(
            f"this file has more than {limit:,} questions; a deck holds at most {limit:,}"
        )
    return out


def _item(question: str, choices: list[str], letter: str, where: str) -> dict[str, Any] | Skipped:
    index = LETTERS.find(letter) if letter else -1
    if index < 0 or index >= len(choices):
        return Skipped(f"its ANSWER: {letter!r} names none of its {len(choices)} choices", where)
    return {
        "type": "multiple",
        "question": literal(question),
        "correct_answer": literal(choices[index]),
        "incorrect_answers": [literal(c) for k, c in enumerate(choices) if k != index],
        "where": where,
    }


def _fits(q: Exported) -> bool:
    """Whether Moodle's Aiken import reads this question back exactly as written."""
    texts = [q.question, q.right, *q.wrong]
    if any("\n" in t or "\r" in t or t != t.strip() or not t for t in texts):
        return False
    return len(q.question) >= 2 and not (
        _CHOICE.match(q.question) or q.question.startswith(_ANSWER)
    )


def place(question: str, count: int) -> int:
    """Where the right answer stands among ``count`` choices: the same in every export,
    and spread over the places (a sheet or a file that is not shuffled gives nothing away)."""
    return zlib.crc32(question.encode("utf-8")) % count


def to_aiken(deck: Deck, kinds: list[str] | None = None, export: Export | None = None) -> str:
    """Aiken text: each multiple-choice question with its choices and ANSWER: line."""
    export = export or export_for(deck, kinds, "aiken")
    blocks: list[str] = []
    for q in export.questions:
        if len(q.wrong) + 1 > len(LETTERS) or not _fits(q):
            export.leave_out(q, WHY_LEFT_OUT)
            continue
        choices = list(q.wrong)
        right = place(q.question, len(choices) + 1)
        choices.insert(right, q.right)
        lines = [q.question, *(f"{LETTERS[k]}. {c}" for k, c in enumerate(choices))]
        lines.append(f"ANSWER: {LETTERS[right]}")
        blocks.append("\n".join(lines))
        if q.explanation:
            export.drop("explanation", "Aiken has no field for them")
        export.drop("difficulty", "Aiken has no field for them")
    return "\n\n".join(blocks) + ("\n" if blocks else "")
