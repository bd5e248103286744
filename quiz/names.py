"""One player name: the form kept and shown, the key it compares by, and its checks.

Every door a name comes through uses it: ``quiz play --player`` and the start
screen (`quiz.session.check_name`), hot-seat players and teams, the live room
and a room's resume. A name is refused when it holds a character that does not
show as itself (Unicode's Default_Ignorable_Code_Point set, format and
separator characters, controls, private-use and unassigned code points, blank
symbols), or a combining mark of another script than the letter it sits on
(a Thai, Kannada, Arabic or Greek mark on a Latin letter), an enclosing mark
(``Ann⃝``), an overlay (``A̸nn``) or one mark stacked twice on a letter. Two names
are the same player when they look alike: case, compatibility forms (NFKC:
full-width ``Ｂｏｂ`` is ``Bob``), look-alike letters (UTS #39 skeletons,
`quiz.text.skeleton`) and loose diacritics aside: a mark of no script of its
own that does not compose with its letter (``Ann̲``, ``Ann̅``) is not in the key,
while é and ñ (one character each, in NFC) are. A team name that is a number in
any digits (``2``, ``٢``, ``①``) is refused where teams are named (`is_number`).
"""

from __future__ import annotations

import functools
import importlib
import unicodedata
from collections.abc import Iterable
from dataclasses import dataclass
from typing import Any

import regex

from quiz.text import BLANK_SYMBOLS, clean, describe_char, hidden_characters, is_ignorable, skeleton
from quiz.text import strip_ignorable as _strip

NAME_MAX = 300  # the save rules' limit; a live room allows fewer (quiz.room.state)


class BadName(ValueError):
    """A name refused. ``problem`` completes "the name ..." in the caller's words."""

    def __init__(self, problem: str, *, empty: bool = False) -> None:
        super().__init__(f"the name {problem}")
        self.problem = problem
        self.empty = empty


def _settle(text: str) -> str:
    """NFKC, case-fold and map to prototypes until none changes anything (a few rounds)."""
    for _ in range(4):
        # The skeleton before NFKC too: NFKC makes some look-alikes (U+00B4, U+309B)
        # a space and a mark, which the confusables table does not map.
        folded = skeleton(unicodedata.normalize("NFKC", skeleton(text)).casefold())
        if folded == text:
            break
        text = folded
    return text


def _base(text: str) -> str:
    """The text without ignorable characters, blank symbols as spaces."""
    text = _strip(text)
    for blank in BLANK_SYMBOLS:
        text = text.replace(blank, " ")
    return text


def _loose(char: str) -> bool:
    """A combining mark of no script of its own (Script=Inherited: U+0300-U+036F and the
    like), but not an overlay: a typed one is refused (odd_mark), and one a skeleton makes
    tells letters apart (``Ł`` is ``L`` with a stroke)."""
    return (
        unicodedata.category(char).startswith("M")
        and unicodedata.combining(char) != 1
        and bool(regex.match(r"\p{sc=Zinh}", char))
    )


@functools.lru_cache(maxsize=4096)  # a room compares each join with every player
def name_key(text: str) -> str:
    """The key names compare by: the skeleton of the case-folded, ignorable-stripped form,
    without the marks of no script that are left over once it is composed (NFC): ``Ann̲``
    (a low line under the n) is ``Ann``; ``José`` keeps its é, one composed letter."""
    composed = unicodedata.normalize("NFC", _settle(_base(text)))
    return " ".join("".join(c for c in composed if not _loose(c)).split())


@functools.lru_cache(maxsize=4096)
def name_shape(text: str) -> str:
    """The key of the name's skeleton taken before case is folded: ``Ian``, ``lan``
    and ``1an`` share one (capital I looks like small l; small i does not)."""
    return name_key(skeleton(unicodedata.normalize("NFKC", skeleton(_base(text)))))


@functools.cache
def _script_patterns() -> tuple[Any, ...]:
    """One pattern per Unicode script (``\\p{scx=...}``), from the `regex` package's own
    table of Script_Extensions values: Unicode's data, not a list of ours."""
    table = importlib.import_module("regex._regex_core").PROPERTIES["SCX"][1]
    codes = sorted({v: k for k, v in table.items() if len(k) == 4}.values())
    skip = {"ZZZZ", "ZYYY", "ZINH"}  # unknown, common, inherited: no script of their own
    return tuple(regex.compile(rf"\p{{scx={c}}}") for c in codes if c not in skip)


def _scripts(char: str) -> frozenset[int]:
    return frozenset(k for k, p in enumerate(_script_patterns()) if p.match(char))


def foreign_mark(text: str) -> tuple[str, str] | None:
    """The first combining mark that belongs to scripts its base character is not in
    (``Ann`` + U+0E31, a Thai vowel sign, over the ``n``), as (base, mark), or None.

    A mark of every script (U+0301 on any letter) passes, and so does a Thai mark on
    a Thai letter: the rule is UTS #39's mixed-script test, for a mark and its base.
    """
    base = ""
    for char in text:
        if not unicodedata.category(char).startswith("M"):
            base = char
            continue
        if regex.match(r"\p{scx=Zinh}|\p{scx=Zyyy}", char):
            continue
        marks = _scripts(char)
        if marks and not marks & _scripts(base or " "):
            return base, char
    return None


def odd_mark(text: str) -> tuple[str, str] | None:
    """The first mark that draws over or around a letter rather than being part of it,
    as (base, mark), or None: an enclosing mark (``Ann⃝``, category Me), an overlay
    (``A̸nn``, combining class 1), or the same mark of no script twice on one letter (``ń́́``)."""
    base, marks = "", ""
    for char in unicodedata.normalize("NFC", text):
        if not unicodedata.category(char).startswith("M"):
            base, marks = char, ""
            continue
        if unicodedata.category(char) == "Me" or unicodedata.combining(char) == 1:
            return base, char
        if _loose(char):  # a script's own signs may repeat (Malayalam writes ൈ as െെ)
            if char in marks:
                return base, char
            marks += char
    return None


def is_number(text: str) -> bool:
    """Whether a name is a number in any digits (``2``, ``٢``, ``①``, ``2 3``), as folded:
    a team picked by its number could not also be named one."""
    folded = "".join(unicodedata.normalize("NFKC", _base(text)).casefold().split())
    return bool(folded) and all(unicodedata.numeric(c, None) is not None for c in folded)


@dataclass(frozen=True)
class PlayerName:
    """A player's name as kept and shown, with the keys it is compared by.

    The keys are worked out when first compared: a game of one player never
    loads the confusables table.
    """

    text: str

    @classmethod
    def of(cls, text: str) -> PlayerName:
        """The name of a player already kept (a save, a room), without checks."""
        return cls(text)

    @functools.cached_property
    def key(self) -> str:
        return name_key(self.text)

    @functools.cached_property
    def shape(self) -> str:
        return name_shape(self.text)

    def alike(self, other: PlayerName) -> bool:
        """Whether the two would pass for each other on a screen."""
        return self.key == other.key or self.shape == other.shape

    def __str__(self) -> str:
        return self.text


def _readable(raw: str) -> str:
    # Bytes that are not UTF-8 (argv on Linux keeps them as lone surrogates)
    # cannot go into a TOML save: they show as U+FFFD instead of failing.
    return raw.encode("utf-8", "surrogateescape").decode("utf-8", "replace")


def kept_form(raw: str) -> str:
    """A name as kept and shown: as typed, in NFC, trimmed, display-safe."""
    return unicodedata.normalize("NFC", clean(_readable(raw))).strip()


def _visible(char: str) -> bool:
    return unicodedata.category(char)[0] in "LNPS"


def _hidden(char: str) -> str:
    """What a refused character is, for the message."""
    code = f"U+{ord(char):04X}"
    category = unicodedata.category(char)
    if category == "Co":
        return f"the private-use character {code}"
    if category == "Cn" and not is_ignorable(char):
        return f"{code}, a code point Unicode {unicodedata.unidata_version} has not assigned"
    return f"the invisible character {describe_char(char)}"


def check(raw: str, *, limit: int = NAME_MAX) -> PlayerName:
    """A typed name, checked and kept; BadName says what is wrong with it."""
    typed = _readable(raw).strip()
    # As typed, so the message names the key pressed; then in NFC, as it is kept.
    hidden = hidden_characters(typed) or hidden_characters(unicodedata.normalize("NFC", typed))
    if hidden is not None:
        raise BadName(f"holds {_hidden(hidden)}; type it without")
    kept = kept_form(raw)
    foreign = foreign_mark(kept)
    if foreign is not None:
        mark = describe_char(foreign[1])
        raise BadName(f"puts {mark} on {foreign[0]!r}, a mark of another script; type it without")
    odd = odd_mark(kept)
    if odd is not None:
        mark = describe_char(odd[1])
        raise BadName(f"puts {mark} on {odd[0]!r}, drawn over or around it; type it without")
    if not any(map(_visible, kept)):
        raise BadName("is empty", empty=True)
    if len(kept) > limit:
        raise BadName(f"is {len(kept)} characters long; the limit is {limit}")
    return PlayerName.of(kept)


def alike(a: str, b: str) -> bool:
    """Whether two names would pass for each other (case and look-alikes aside)."""
    return a == b or PlayerName.of(a).alike(PlayerName.of(b))


def find_alike(name: str, names: Iterable[str]) -> str | None:
    """The first of ``names`` that would pass for ``name``, or None."""
    wanted = PlayerName.of(name)
    return next((n for n in names if wanted.alike(PlayerName.of(n))), None)


def first_alike(names: Iterable[str]) -> tuple[str, str] | None:
    """The first two of ``names`` that would pass for each other, or None."""
    seen: list[PlayerName] = []
    for text in names:
        name = PlayerName.of(text)
        twin = next((s for s in seen if s.alike(name)), None)
        if twin is not None:
            return twin.text, text
        seen.append(name)
    return None
