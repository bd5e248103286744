"""Text safety shared by the deck model and both front ends.

Deck and player text is data. The deck model refuses control characters
outright; `clean` strips them again at display time as a second line of
defence, so nothing that slipped through can move the cursor or reorder text.
"""

from __future__ import annotations

import re
import unicodedata

# Bidi embeddings, overrides and isolates, plus the invisible marks that can
# reorder or hide text (Trojan Source, CVE-2021-42574).
BIDI_CONTROLS = frozenset(
    "\u061c\u200e\u200f\u202a\u202b\u202c\u202d\u202e\u2066\u2067\u2068\u2069"
)

_CONTROL_RE = re.compile("[\x00-\x08\x0b-\x1f\x7f-\x9f" + "".join(sorted(BIDI_CONTROLS)) + "]")
_CONTROL_OR_WS_RE = re.compile("[\x00-\x1f\x7f-\x9f" + "".join(sorted(BIDI_CONTROLS)) + "]")


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


def clean(text: str, *, allow_newlines: bool = False) -> str:
    """Strip control characters, escapes and bidi overrides for display."""
    pattern = _CONTROL_RE if allow_newlines else _CONTROL_OR_WS_RE
    return pattern.sub("", text)


def fold(text: str) -> str:
    """Compare-key for choices: case-, width- and spacing-insensitive."""
    return " ".join(unicodedata.normalize("NFKC", text).casefold().split())
