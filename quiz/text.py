"""Text safety shared by the deck model, the saves and every front end.

Deck, save, file-name and player text is data. The deck model refuses
control characters outright; `clean` is the one display-safe function that
every door to a terminal or to a file for people goes through (validate,
preview, play, scores, report, the TUI), whatever the text's origin, so
nothing that slipped through can move the cursor, retitle the window,
reorder text, flood a line with combining marks or break the encoding.
"""

from __future__ import annotations

import functools
import re
import unicodedata
from typing import TextIO

# Bidi embeddings, overrides and isolates, plus the invisible marks that can
# reorder or hide text (Trojan Source, CVE-2021-42574).
BIDI_CONTROLS = frozenset(
    "\u061c\u200e\u200f\u202a\u202b\u202c\u202d\u202e\u2066\u2067\u2068\u2069"
)
# Characters that draw as nothing or as a wide blank and break a layout:
# Hangul fillers, the language-tag block, interlinear annotation marks.
LAYOUT_BREAKERS = "\u115f\u1160\u3164\uffa0\ufff9-\ufffb\U000e0000-\U000e007f"
# Invisible characters that only change how text compares, never how it reads:
# zero-width space/joiners, word joiner, soft hyphen, BOM, variation selectors.
INVISIBLES = "\u00ad\u034f\u180e\u200b-\u200d\u2060-\u2064\ufeff\ufe00-\ufe0f"
# More combining marks on one letter than any language needs ("Zalgo" text).
MAX_MARKS = 4

_BIDI = "".join(sorted(BIDI_CONTROLS))
_CONTROL_RE = re.compile("[\x00-\x08\x0b-\x1f\x7f-\x9f" + _BIDI + LAYOUT_BREAKERS + "]")
_CONTROL_OR_WS_RE = re.compile("[\x00-\x1f\x7f-\x9f" + _BIDI + LAYOUT_BREAKERS + "]")
_SURROGATE_RE = re.compile("[\ud800-\udfff]")
_INVISIBLE_RE = re.compile("[" + INVISIBLES + _BIDI + "]")


def describe_char(char: str) -> str:
    """Name a character for an error message, e.g. 'U+001B (ESCAPE)'."""
    name = unicodedata.name(char, "")
    if not name:
        name = {
            "\x1b": "ESCAPE",
            "\x7f": "DELETE",
            "\n": "LINE FEED",
            "\t": "TAB",
            "\r": "CARRIAGE RETURN",
            "\x00": "NULL",
        }.get(char, "control character")
    return f"U+{ord(char):04X} ({name})"


def find_control(text: str, *, allow_newlines: bool) -> str | None:
    """Return the first forbidden character in ``text``, or None."""
    pattern = _CONTROL_RE if allow_newlines else _CONTROL_OR_WS_RE
    match = pattern.search(text)
    return match.group() if match else None


def mark_flood(text: str) -> bool:
    """Whether some letter carries more than MAX_MARKS combining marks."""
    if text.isascii():
        return False
    run = 0
    for char in text:
        if unicodedata.category(char)[0] == "M":
            run += 1
            if run > MAX_MARKS:
                return True
        else:
            run = 0
    return False


def _trim_marks(text: str) -> str:
    out, run = [], 0
    for char in text:
        if unicodedata.category(char)[0] == "M":
            run += 1
            if run > MAX_MARKS:
                continue
        else:
            run = 0
        out.append(char)
    return "".join(out)


def clean(text: object, *, allow_newlines: bool = False) -> str:
    """Make any text safe to show: the one function at every display door.

    Strips control characters (C0, DEL, C1: so no ESC, CSI or OSC sequence
    survives), bidi overrides, layout breakers and floods of combining marks,
    and turns lone surrogates (from file names that are not UTF-8) into
    U+FFFD so printing them never fails. Anything not a string is shown as
    its ``str``.
    """
    if not isinstance(text, str):
        text = str(text)
    if _SURROGATE_RE.search(text):
        text = _SURROGATE_RE.sub("\ufffd", text)
    pattern = _CONTROL_RE if allow_newlines else _CONTROL_OR_WS_RE
    text = pattern.sub("", text)
    return _trim_marks(text) if mark_flood(text) else text


# Latin look-alikes from other scripts (Unicode TR39 confusables, the letters
# that survive NFKC): a choice must not differ from another only by these.
_HOMOGLYPHS = str.maketrans(
    {
        # Cyrillic
        "\u0430": "a", "\u0435": "e", "\u043e": "o", "\u0440": "p", "\u0441": "c",
        "\u0443": "y", "\u0445": "x", "\u0455": "s", "\u0456": "i", "\u0458": "j",
        "\u04bb": "h", "\u0501": "d", "\u051b": "q", "\u051d": "w", "\u04cf": "l",
        "\u0432": "b", "\u043a": "k", "\u043c": "m", "\u043d": "h", "\u0442": "t",
        "\u0410": "a", "\u0412": "b", "\u0415": "e", "\u041a": "k", "\u041c": "m",
        "\u041d": "h", "\u041e": "o", "\u0420": "p", "\u0421": "c", "\u0422": "t",
        "\u0425": "x", "\u0405": "s", "\u0406": "i", "\u0408": "j", "\u04ae": "y",
        # Greek
        "\u03b1": "a", "\u03bf": "o", "\u03c1": "p", "\u03bd": "v", "\u03b9": "i",
        "\u03ba": "k", "\u03c4": "t", "\u03c5": "u", "\u03c7": "x",
        "\u0391": "a", "\u0392": "b", "\u0395": "e", "\u0396": "z", "\u0397": "h",
        "\u0399": "i", "\u039a": "k", "\u039c": "m", "\u039d": "n", "\u039f": "o",
        "\u03a1": "p", "\u03a4": "t", "\u03a5": "y", "\u03a7": "x",
        # Latin look-alikes within Latin
        "\u0131": "i", "\u0261": "g", "\u01c0": "l",
    }
)  # fmt: skip


@functools.lru_cache(maxsize=4096)  # planning a game folds the same few hundred texts ~1,100 times
def fold(text: str) -> str:
    """Compare-key for choices: two choices with the same key look the same.

    NFKC (full-width, ligatures), invisible characters and bidi marks removed,
    Latin look-alikes from other scripts mapped to Latin, case-folded, and
    runs of spaces folded to one.
    """
    if text.isascii():
        return " ".join(text.lower().split())
    return _fold_unicode(text)


def _fold_unicode(text: str) -> str:
    """`fold` in full. For ASCII it is lower() with runs of spaces folded: NFKC leaves
    ASCII as it is, and every invisible character and look-alike lies beyond it."""
    text = _INVISIBLE_RE.sub("", unicodedata.normalize("NFKC", text))
    return " ".join(text.casefold().translate(_HOMOGLYPHS).split())


def hidden_characters(text: str) -> str | None:
    """The first invisible, bidi or control character in ``text`` (names), or None."""
    match = _INVISIBLE_RE.search(text) or _CONTROL_OR_WS_RE.search(text)
    return match.group() if match else None


LINE_MAX = 4_096


def read_line(stream: TextIO, cap: int = LINE_MAX) -> tuple[str, bool]:
    """One line from a text stream, read with a cap: (line, too_long).

    The line is "" at the end of input. A line longer than ``cap`` is read
    to its end in cap-sized pieces and thrown away (too_long is True), so an
    800 MB line costs time, never memory, and is not taken for many answers.
    """
    line = stream.readline(cap + 1)
    if len(line) <= cap or line.endswith("\n"):
        return line, False
    while line and not line.endswith("\n"):
        line = stream.readline(cap)
    return "\n", True


# A spreadsheet runs a cell that starts with one of these as a formula (OWASP's
# CSV injection list: = + - @, and tab and carriage return, which some
# spreadsheets strip before looking).
FORMULA_STARTS = ("=", "+", "-", "@", "\t", "\r")


def runs_as_formula(value: str) -> bool:
    """Whether a spreadsheet would run this cell as a formula (never for "")."""
    return value[:1] in FORMULA_STARTS if value else False


def guard_cell(value: object) -> object:
    """A CSV cell a spreadsheet shows as text: a leading ' before a would-be formula."""
    if isinstance(value, str) and runs_as_formula(value):
        return "'" + value
    return value
