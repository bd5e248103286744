"""Small wording helpers shared by the command line and both front ends.

`plural` so counts read "1 question", "2 questions"; `width` and `fit` so
columns line up by what a terminal shows (a CJK character takes two cells),
and a name cut short ends with an ellipsis.
"""

from __future__ import annotations

import unicodedata

ELLIPSIS = "\u2026"


def plural(count: int, word: str, many: str | None = None) -> str:
    """ "1 question", "2 questions"; ``many`` for irregular plurals ("1 match", "2 matches")."""
    return f"{count} {word if count == 1 else many or word + 's'}"


def _cells(char: str) -> int:
    if unicodedata.combining(char) or unicodedata.category(char) in ("Mn", "Me", "Cf"):
        return 0
    return 2 if unicodedata.east_asian_width(char) in ("W", "F") else 1


def width(text: str) -> int:
    """How many terminal cells ``text`` takes (wide East Asian characters take two)."""
    return sum(_cells(char) for char in text)


def fit(text: str, cells: int) -> str:
    """``text`` cut to at most ``cells`` cells, ending with an ellipsis when cut."""
    if width(text) <= cells:
        return text
    out, used = [], 0
    for char in text:
        size = _cells(char)
        if used + size > cells - 1:
            break
        out.append(char)
        used += size
    return "".join(out) + ELLIPSIS


def pad(text: str, cells: int, align: str = "<") -> str:
    """``text`` padded with spaces to ``cells`` cells ("<" left, ">" right)."""
    fill = " " * max(cells - width(text), 0)
    return text + fill if align == "<" else fill + text
