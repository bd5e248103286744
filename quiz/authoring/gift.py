"""Reading Moodle GIFT: the questions `quiz export --format gift` writes, and others' too.

Each question comes out in Open Trivia DB's shape (see interchange.build), with
the types GIFT has and a deck can hold: multiple choice (``{=right ~wrong}``),
true/false (``{TRUE}``), short answer (``{=a =b}``: "typed", the first answer
the fact's, the rest accepted) and numeric (``{#8:2}``: "estimate", a value and
how far off still scores). Text is left as written apart from GIFT's own
escapes; interchange.build decodes entities and cleans it as all imported text.
A question of a type a deck cannot hold is passed on with the reason, so the
import notes it and goes on.
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from typing import Any

SPECIAL = "~=#{}:"
_FORMAT = re.compile(r"\A\s*\[(html|moodle|plain|markdown)\]", re.IGNORECASE)
_WEIGHT = re.compile(r"\A%-?[0-9.]+%")
_NUMBER = re.compile(r"-?[0-9]+")


@dataclass(frozen=True)
class Skipped:
    """A question that cannot be a fact, and why (in words for the import's note).

    ``where``: its place in the file ("line 12"), when the reader knows it.
    """

    reason: str
    where: str = ""


def _find(text: str, chars: str, start: int = 0) -> int:
    """The index of the first of ``chars`` not escaped with a backslash, or -1."""
    k = start
    while k < len(text):
        if text[k] == "\\":
            k += 2
            continue
        if text[k] in chars:
            return k
        k += 1
    return -1


def _rfind(text: str, char: str) -> int:
    found, k = -1, _find(text, char)
    while k != -1:
        found, k = k, _find(text, char, k + 1)
    return found


def _split(text: str, chars: str) -> list[str]:
    """Pieces of ``text``, each starting at an unescaped one of ``chars`` (the first may not)."""
    pieces, start = [], 0
    k = _find(text, chars)
    while k != -1:
        pieces.append(text[start:k])
        start = k
        k = _find(text, chars, k + 1)
    pieces.append(text[start:])
    return pieces


def unescape(text: str) -> str:
    """GIFT's escapes undone: ``\\~ \\= \\# \\{ \\} \\: \\\\`` and ``\\n`` for a line break."""
    return re.sub(
        r"\\(.)", lambda m: "\n" if m.group(1) == "n" else m.group(1), text, flags=re.DOTALL
    )


def _chunks(text: str) -> list[tuple[int, str]]:
    """The questions of a GIFT file, each with the line it starts on: separated by blank
    lines, comments and categories dropped."""
    out: list[tuple[int, str]] = []
    current: list[str] = []
    start = 0
    # Lines end at \n or \r only, as Moodle reads them (never at U+2028 and the like).
    for number, line in enumerate(re.split(r"\r\n|\r|\n", text), 1):
        stripped = line.strip()
        if stripped.startswith("//") or stripped.startswith("$CATEGORY:"):
            continue
        if stripped:
            start = start or number
            current.append(line)
        elif current:
            out.append((start, "\n".join(current)))
            current, start = [], 0
    if current:
        out.append((start, "\n".join(current)))
    return out


def _answer_feedback(piece: str) -> str:
    """An answer without its weight and its own feedback (``#...``)."""
    piece = _WEIGHT.sub("", piece.strip())
    end = _find(piece, "#")
    return piece if end == -1 else piece[:end]


def _weight(piece: str) -> float | None:
    """An answer's weight (``%50%``) as a number, or None when it has none."""
    found = _WEIGHT.match(piece.strip())
    if found is None:
        return None
    try:
        return float(found.group()[1:-1])
    except ValueError:
        return -1.0  # "%1.2.3%": not a weight a question can give


def _question(chunk: str) -> dict[str, Any] | Skipped:
    """One GIFT question as an item, or why it cannot be one."""
    body = chunk.strip()
    if body.startswith("::"):
        end = _find(body, ":", 2)
        if end == -1 or body[end : end + 2] != "::":
            return Skipped("its name (::name::) is not closed")
        body = body[end + 2 :]
    body = _FORMAT.sub("", body, count=1)
    opening = _find(body, "{")
    closing = _rfind(body, "}")
    if opening == -1 or closing < opening:
        return Skipped("it has no answers in { }")
    before, after = body[:opening].strip(), body[closing + 1 :].strip()
    block = body[opening + 1 : closing]
    explanation = ""
    marker = block.find("####")  # general feedback, after the answers
    if marker != -1:
        explanation = block[marker + 4 :]
        block = block[:marker]
    prompt = f"{before} ___ {after}" if after else before
    item: dict[str, Any] = {
        "question": unescape(_FORMAT.sub("", prompt, count=1).strip()),
        "explanation": unescape(explanation.strip()),
    }
    answers = block.strip()
    if not answers:
        return Skipped("an essay question has no answer to check")
    if answers.startswith("#"):
        pieces = [_answer_feedback(p) for p in _split(answers[1:], "=~")]
        pieces = [p.lstrip("=").strip() for p in pieces if p.strip()]
        if len(pieces) != 1 or ".." in pieces[0]:
            return Skipped("a numeric question is read only with one answer, like {#8:2}")
        value, _, tolerance = (unescape(p).strip() for p in pieces[0].partition(":"))
        if not _NUMBER.fullmatch(value) or not (
            tolerance == "" or (tolerance.isascii() and tolerance.isdigit())
        ):
            return Skipped("a numeric question is read only with a whole number, like {#8:2}")
        return item | {"type": "estimate", "correct_answer": value, "tolerance": tolerance}
    word = _answer_feedback(answers).strip().upper()
    if word in ("T", "TRUE", "F", "FALSE"):
        return item | {"type": "boolean", "correct_answer": str(word.startswith("T"))}
    pieces = [p.strip() for p in _split(answers, "=~") if p.strip()]
    if any(not p.startswith(("=", "~")) for p in pieces):
        return Skipped("its answers must each start with = or ~")
    if any("->" in p for p in pieces):
        return Skipped("a matching question (->) cannot be a fact")
    weights = [_weight(p[1:]) for p in pieces]
    if any(
        w is not None and w not in (0, 100) and not (w < 0 and p[0] == "~")
        for w, p in zip(weights, pieces, strict=True)
    ):
        return Skipped(
            "an answer with part marks (like =%50%) cannot be one fact: quiz gives an answer "
            "all of its points or none"
        )
    # "=%0%Sydney" in a short answer is a wrong answer its author wrote: never taken.
    right = [
        unescape(_answer_feedback(p[1:])).strip()
        for p, w in zip(pieces, weights, strict=True)
        if p[0] == "=" and w in (None, 100)
    ]
    wrong = [
        unescape(_answer_feedback(p[1:])).strip()
        for p, w in zip(pieces, weights, strict=True)
        if p[0] == "~" or w is not None and w <= 0
    ]
    if all(p[0] == "=" for p in pieces) and right:
        typed = {"type": "typed", "correct_answer": right[0], "accept": right[1:]}
        return item | typed | {"incorrect_answers": wrong}
    if len(right) != 1:
        return Skipped("a multiple-choice question needs exactly one right answer (=)")
    return item | {"type": "multiple", "correct_answer": right[0], "incorrect_answers": wrong}


def read_gift(text: str, limit: int) -> list[dict[str, Any] | Skipped]:
    """The questions of a GIFT file, each an item or the reason it cannot be imported."""
    chunks = _chunks(text.removeprefix("\ufeff"))
    if len(chunks) > limit:
        raise ValueError(f"this file has {len(chunks):,} questions; a deck holds at most {limit:,}")
    out: list[dict[str, Any] | Skipped] = []
    for line, chunk in chunks:
        item = _question(chunk)
        where = f"line {line}"
        out.append(
            Skipped(item.reason, where) if isinstance(item, Skipped) else item | {"where": where}
        )
    return out
