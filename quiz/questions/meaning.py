"""What a choice says beyond its words: its register, and the order events imply.

A player who knows nothing can still read for meaning: the one moderate
answer among three extremes, the only positive one among negatives, a false
statement made absolute ("the only...", "never"), two synonyms that rule each
other out, events whose order follows from cause and effect. This module owns
the small lexicon and the rules that tell those cues; the generator uses them
to choose wrong answers that match the right one's register, and `quiz audit`
and `quiz validate` to find the questions that still show them.

The lexicon is a short English word list on purpose: the words that carry
these cues in quiz answers. A change here changes every deck's audit, so it
is made here, never per deck.
"""

from __future__ import annotations

import functools
import re
from collections.abc import Iterable, Mapping, Sequence

from quiz.text import fold

# Words that make a choice extreme or absolute: a test-wise player rules them
# out ("always", "never", "the whole season") or picks the one choice without.
ABSOLUTE = frozenset(
    """only never always every everyone everything nothing nobody none all whole entire
    completely totally forever impossible certainly must""".split()
)
EXTREME = frozenset(
    """best worst disaster disastrous terrible awful perfect amazing incredible greatest
    career-best hate hated love loved forget quit ruined fastest slowest""".split()
)
# Evaluative words only: "win" or "fast" name a result, not a feeling about it.
POSITIVE = frozenset(
    """good great best decent happy glad proud amazing perfect pleased special solid nice
    fantastic wonderful brilliant excellent satisfied thrilled""".split()
)
NEGATIVE = frozenset(
    """bad worst disaster disastrous terrible awful tough poor struggling horrible sad
    disappointing disappointed frustrating painful forget ruined no-good scared afraid""".split()
)
# Words that soften a claim ("isn't bad", "fairly"): the one hedged choice stands out.
HEDGES = frozenset("""isn't not quite fairly rather somewhat okay ok""".split())

_TOKEN = re.compile(r"[^\W\d_]+(?:['\u2019-][^\W\d_]+)*")


@functools.lru_cache(maxsize=4096)
def tokens(text: str) -> tuple[str, ...]:
    """The words of a text, folded, apostrophes kept ("isn't")."""
    return tuple(t.replace("\u2019", "'") for t in _TOKEN.findall(fold(text)))


@functools.lru_cache(maxsize=4096)
def register(text: str) -> frozenset[str]:
    """The marks a text carries: "absolute", "extreme", "positive", "negative", "hedged"."""
    found = set(tokens(text))
    joined = " ".join(tokens(text))
    if "no good" in joined:
        found.add("no-good")
    marks = set()
    if found & ABSOLUTE:
        marks.add("absolute")
    if found & EXTREME:
        marks.add("extreme")
    if found & POSITIVE:
        marks.add("positive")
    if found & NEGATIVE:
        marks.add("negative")
    if found & HEDGES:
        marks.add("hedged")
    return frozenset(marks)


def register_gap(right: str, other: str) -> int:
    """How many marks two texts do not share (0: the same register)."""
    return len(register(right) ^ register(other))


def odd_one(choices: Sequence[str]) -> tuple[int, str] | None:
    """(index, mark) of the one choice that alone has, or alone lacks, a mark.

    With three choices or more: the only moderate choice among extremes, the
    only positive one among the rest, the only absolute one. None when every
    mark is shared by at least two choices or lacked by at least two.
    """
    n = len(choices)
    if n < 3:
        return None
    marks = [register(c) for c in choices]
    for mark in ("absolute", "extreme", "positive", "negative", "hedged"):
        having = [i for i in range(n) if mark in marks[i]]
        if len(having) == 1:
            return having[0], f"the only {mark} choice"
        if len(having) == n - 1:
            alone = next(i for i in range(n) if mark not in marks[i])
            return alone, f"the only choice not {mark}"
    return None


def absolute_added(right: str, shown: str) -> bool:
    """Whether a false value brings in an absolute or extreme word the right one lacks."""
    added = register(shown) - register(right)
    return bool(added & {"absolute", "extreme"})


# --- synonyms -----------------------------------------------------------------------------


def synonym_index(groups: Iterable[Sequence[str]]) -> dict[str, int]:
    """Each folded value -> the number of its group of synonyms."""
    out: dict[str, int] = {}
    for k, group in enumerate(groups):
        for value in group:
            out.setdefault(fold(value).strip("\u201c\u201d\"'"), k)
    return out


def synonym_key(index: Mapping[str, int], value: str) -> int | None:
    return index.get(fold(value).strip("\u201c\u201d\"'"))


# --- implied order --------------------------------------------------------------------------


def implied_order(follows: Mapping[str, Iterable[str]]) -> set[tuple[str, str]]:
    """Every (earlier, later) pair that cause and effect imply, transitively.

    ``follows`` maps a fact id to the ids its event follows from.
    """
    pairs: set[tuple[str, str]] = set()
    for fact in follows:
        stack = list(follows[fact])
        seen: set[str] = set()
        while stack:
            earlier = stack.pop()
            if earlier in seen:
                continue
            seen.add(earlier)
            pairs.add((earlier, fact))
            stack.extend(follows.get(earlier, ()))
    return pairs


def related(pairs: set[tuple[str, str]], a: str, b: str) -> bool:
    """Whether the order of two events follows from cause and effect."""
    return (a, b) in pairs or (b, a) in pairs
