"""The host screen's small pieces: the room's QR code, a player's name as shown, marks, chips.

Drawn the way the players' page draws them (quiz/web/room.js, room.css), so the
projector and a phone agree; names are data, cleaned and cut, never markup.
"""

from __future__ import annotations

from textual.content import Content

from quiz.room.client import LETTERS
from quiz.text import clean

NAME_SHOWN = 24
# The shapes and colours of the choices on the players' page (quiz/web/room.js, room.css),
# so a player matches what the projector shows to the button under their thumb.
SHAPES = ("\u25b2", "\u25c6", "\u25cf", "\u25a0")  # triangle, diamond, circle, square
COLOURS = ("#b3261e", "#1b4fa0", "#8a6100", "#1e6b35")


def qr_text(data: str, *, large: bool = False) -> str:
    """A QR code of ``data``: half blocks (two modules a line), or on a big screen two cells a module."""
    import segno

    code = segno.make(data, error="l", boost_error=False)
    rows = [[bool(v) for v in row] for row in code.matrix_iter(scale=1, border=1)]
    if large:
        return "\n".join("".join("\u2588\u2588" if v else "  " for v in row) for row in rows)
    if len(rows) % 2:
        rows.append([False] * len(rows[0]))
    lines = []
    for y in range(0, len(rows), 2):
        top, bottom = rows[y], rows[y + 1]
        lines.append(
            "".join(
                "\u2588" if t and b else "\u2580" if t else "\u2584" if b else " "
                for t, b in zip(top, bottom, strict=True)
            )
        )
    return "\n".join(lines)


def name(text: str) -> str:
    shown = clean(text)
    return shown if len(shown) <= NAME_SHOWN else shown[: NAME_SHOWN - 1] + "\u2026"


def extra_mark(times: float) -> str:
    """The mark by the name of a player with extra time: "  · 2x time" (none at 1x)."""
    return "" if times == 1 else f"  \u00b7 {times:g}x time"


def chip(index: int) -> Content:
    """Choice ``index`` as its button on the phones shows it: shape and letter on its colour."""
    return Content.styled(
        f" {SHAPES[index % 4]} {LETTERS[index].upper()} ",
        f"bold #ffffff on {COLOURS[index % 4]}",
    )
