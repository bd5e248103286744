"""The verdict on an answer, for every form: which choice, what was typed, a number, an order.

One owner for "is this right, and how much of the points does it earn":
`verdict` gives a `Verdict` (right or not, and the share of the points). The
parsers turn a line a player typed into what `verdict` takes, or say why not,
in the words every front end shows.

Typed answers are compared after folding case, accents, leading articles and
punctuation, allowing small typos in proportion to each word's length (rapidfuzz's
OSA distance: two letters swapped are one typo); a word keeps its first letter and
digits are never a typo; a wrong value the deck lists (the fact's wrong answers, its
pool's other values) is never taken, however close.
"""

from __future__ import annotations

import functools
import re
from collections.abc import Sequence
from dataclasses import dataclass
from itertools import combinations

from quiz.model import NUMBER_MAX
from quiz.questions.question import Question
from quiz.text import answer_key, clean, ordinal, plural, strip_ignorable

MAX_TYPED = 200  # characters of a typed answer kept; the rest is cut
_ORDINAL_SUFFIX = re.compile(r"^(\d+)(st|nd|rd|th)$")


@dataclass(frozen=True)
class Verdict:
    """Right or not, and the share of the question's points an answer earns (0 to 1)."""

    correct: bool
    credit: float


WRONG = Verdict(False, 0.0)
RIGHT = Verdict(True, 1.0)


# --- typed answers ------------------------------------------------------------------


def typos_allowed(word: str) -> int:
    """How many typos (edits; two letters swapped count as one) a word of this length
    may have: none under five letters, one from five, two from ten, three from sixteen."""
    size = len(word)
    return 0 if size < 5 else 1 if size < 10 else 2 if size < 16 else 3


def typo_gap(typed: str, target: str) -> int | None:
    """The typos between two answer keys, or None when they are further apart than typos.

    Each word is held to its own allowance, and keeps its first letter: "South Korea"
    is not a typo of "North Korea", though the two are two letters apart. Digits are
    never a typo ("1000001" is not 1000000). Typed without its spaces, an answer gets
    its shortest word's allowance ("pitstop" is "pit stop"; "southkorea" is not
    "north korea").
    """
    from rapidfuzz.distance import OSA

    if _digits(typed) != _digits(target):
        return None
    words, wanted = typed.split(), target.split()
    if len(words) == len(wanted):
        gaps = []
        for word, right in zip(words, wanted, strict=True):
            gap = int(OSA.distance(word, right))
            if gap > typos_allowed(right) or (gap and word[0] != right[0]):
                return None
            gaps.append(gap)
        return sum(gaps)
    whole, right_whole = typed.replace(" ", ""), target.replace(" ", "")
    gap = int(OSA.distance(whole, right_whole))
    if gap > min(typos_allowed(w) for w in wanted) or (gap and whole[0] != right_whole[0]):
        return None
    return gap


def _digits(key: str) -> str:
    return "".join(c for c in key if c.isdigit())


@functools.lru_cache(maxsize=256)
def _keys(texts: tuple[str, ...]) -> tuple[str, ...]:
    """A question's accepted or refused texts as answer keys: worked out once per
    question, not once per answer (a pool gives 500 wrong values, and a room judges the
    same question for every player)."""
    return tuple(key for key in map(answer_key, texts) if key)


def typed_verdict(question: Question, text: str) -> Verdict:
    """Right when the text is one of the accepted answers, or within its typos of one,
    and no listed wrong value is as close."""
    key = answer_key(text)
    if not key:
        return WRONG
    refused = _keys(question.refuse)
    flat = key.replace(" ", "")
    if any(flat == wrong.replace(" ", "") for wrong in refused):
        return WRONG
    best: int | None = None
    for target in _keys(question.accept):
        if flat == target.replace(" ", ""):
            return RIGHT  # spaces do not count: "pitstop" is "pit stop"
        gap = typo_gap(key, target)
        if gap is not None and (best is None or gap < best):
            best = gap
    if best is None:
        return WRONG
    # As close to a wrong value the deck lists as to the right one: not taken.
    from rapidfuzz.distance import OSA

    if any(
        OSA.distance(flat, wrong.replace(" ", ""), score_cutoff=best) <= best for wrong in refused
    ):
        return WRONG
    return RIGHT


# --- estimates ------------------------------------------------------------------------


def estimate_credit(value: int, right: int, tolerance: int) -> float:
    """Full points when exact; within the tolerance, a share that falls by one step per
    unit off (off by d of tolerance t earns (t + 1 - d) / (t + 1)); none beyond."""
    off = abs(value - right)
    if off > tolerance:
        return 0.0
    return (tolerance + 1 - off) / (tolerance + 1)


# --- orders -------------------------------------------------------------------------------


def order_credit(given: Sequence[int], right: Sequence[int]) -> float:
    """The share of pairs of items put in the right order (3 items: 3 pairs; 4 items: 6)."""
    place = {item: k for k, item in enumerate(given)}
    pairs = list(combinations(right, 2))
    good = sum(place[a] < place[b] for a, b in pairs)
    return good / len(pairs) if pairs else 0.0


# --- the one verdict ---------------------------------------------------------------------


def verdict(
    question: Question,
    choice: int | None = None,
    *,
    text: str | None = None,
    value: int | None = None,
    order: Sequence[int] | None = None,
) -> Verdict:
    """The verdict on one answer to ``question``; what was given must fit its kind.

    Raises ValueError for an answer of the wrong shape (a choice for a typed
    question, an order that is not a permutation of the items): front ends parse
    with `parse_answer` first, so only a caller's bug gets here.
    """
    kind = question.kind
    given = [x is not None for x in (choice, text, value, order)]
    if sum(given) > 1:
        raise ValueError("one answer at a time")
    if not any(given):
        return WRONG  # no answer
    if kind == "typed":
        if text is None:
            raise ValueError("a typed question takes text")
        return typed_verdict(question, text)
    if kind == "estimate":
        if value is None or question.value is None:
            raise ValueError("an estimate takes a number")
        credit = estimate_credit(value, question.value, question.tolerance)
        return Verdict(value == question.value, credit)
    if kind == "order":
        if order is None or sorted(order) != list(range(len(question.choices))):
            raise ValueError("an order takes every item once")
        credit = order_credit(order, question.order)
        return Verdict(credit == 1.0, credit)
    if choice is None or not 0 <= choice < len(question.choices):
        raise ValueError(f"choice {choice} is out of range")
    return RIGHT if choice == question.answer else WRONG


# --- what a player types ----------------------------------------------------------------


@dataclass(frozen=True)
class Given:
    """A line a player typed, as the answer it is: one of the four is set."""

    choice: int | None = None
    text: str | None = None
    value: int | None = None
    order: tuple[int, ...] | None = None


def parse_value(text: str) -> int | None:
    """A number as typed: "8", "8th", "2,024", "-3"; None if it is not one."""
    raw = text.strip().lower().replace(",", "").replace("_", "")
    match = _ORDINAL_SUFFIX.match(raw)
    if match:
        raw = match.group(1)
    body = raw[1:] if raw[:1] in "+-" else raw
    if not body or len(body) > len(str(NUMBER_MAX)) or not (body.isascii() and body.isdigit()):
        return None
    value = int(raw)
    return value if -NUMBER_MAX <= value <= NUMBER_MAX else None


def parse_order(text: str, items: int) -> tuple[int, ...] | None:
    """Letters or digits in order ("cadb", "3142", "c a d b", "3,1,4,2") as 0-based
    item indexes, first to last; None unless each item comes exactly once. The last
    may be left out ("cad"): it can only go last, as the TUI's order list fills it in."""
    raw = [c for c in text.strip().lower() if not (c.isspace() or c in ",;-/>")]
    if len(raw) not in (items, items - 1) or not raw:
        return None
    out: list[int] = []
    for c in raw:
        if c.isascii() and c.isdigit():
            index = int(c) - 1
        elif c.isascii() and "a" <= c <= "z":
            index = ord(c) - ord("a")
        else:
            return None
        out.append(index)
    if len(out) == items - 1 and len(set(out)) == len(out) and all(0 <= k < items for k in out):
        out += [k for k in range(items) if k not in out]
    return tuple(out) if sorted(out) == list(range(items)) else None


def parse_choice(text: str, choices: int) -> int | None:
    """A typed answer ("2", "b", "B ") to a 0-based index, or None if it is not one."""
    text = text.strip().lower()
    if len(text) == 1 and "a" <= text <= "z":
        index = ord(text) - ord("a")
    elif text.isascii() and text.isdigit() and len(text) <= 6:
        # isdigit() alone lets "²" and "①" through, which int() refuses.
        index = int(text) - 1
    else:
        return None
    return index if 0 <= index < choices else None


def parse_answer(question: Question, line: str) -> Given | str:
    """A line a player typed as the answer to ``question``, or the retry line to show."""
    if question.kind == "typed":
        text = parse_text(line)
        return Given(text=text) if text is not None else what_to_type(question)
    if question.kind == "estimate":
        value = parse_value(line)
        if value is None:
            return what_to_type(question)
        low, high = question.low, question.high
        if (low is not None and value < low) or (high is not None and value > high):
            shown = [given_text(question, None, v, None, None) for v in (low, high)]
            if low is not None and high is not None:
                return f"Type a number from {shown[0]} to {shown[1]}."
            return (
                f"Type a number {'from ' + shown[0] if low is not None else 'up to ' + shown[1]}."
            )
        return Given(value=value)
    if question.kind == "order":
        order = parse_order(line, len(question.choices))
        return Given(order=order) if order is not None else what_to_type(question)
    picked = question.true_false_choice(line)
    if picked is None:
        picked = parse_choice(line, len(question.choices))
    if picked is None:
        return what_to_type(question)
    return Given(choice=picked)


def parse_text(text: str) -> str | None:
    """A typed answer cleaned as all player text is, without invisible characters (a
    zero-width space kept would follow the answer into saves and reports), and cut to
    `MAX_TYPED`; None if empty."""
    kept = strip_ignorable(clean(text)).strip()[:MAX_TYPED]
    return kept if answer_key(kept) else None


def what_to_type(question: Question) -> str:
    """The retry line for an answer that does not fit the question's form."""
    if question.kind == "typed":
        return "Type your answer in words."
    if question.kind == "estimate":
        example = (
            ordinal(3) if question.unit == "place" else "2015" if question.unit == "year" else "3"
        )
        return f"Type a number, like {example}."
    if question.kind == "order":
        # The items as shown are never in their right order, so "abc" is a safe example.
        n = len(question.choices)
        letters = "".join(chr(ord("a") + k) for k in range(n))
        digits = "".join(str(k + 1) for k in range(n))
        return (
            f"Type the {n} letters (or numbers) in your order, first to last, like {letters}"
            f" or {digits} (the last one may be left out)."
        )
    if question.true_false:
        return "Type t or f (or 1 or 2)."
    n = len(question.choices)
    return f"Type a letter a-{chr(ord('a') + n - 1)} or a number 1-{n}."


def order_line(question: Question, order: Sequence[int]) -> str:
    """How much of an order was right, as the reveal says it ("2 of 3 pairs in order.")."""
    pairs = list(combinations(question.order, 2))
    place = {item: k for k, item in enumerate(order)}
    good = sum(place.get(a, 0) < place.get(b, 0) for a, b in pairs)
    return f"{good} of {plural(len(pairs), 'pair')} in order."


def shown_order(question: Question, order: Sequence[int]) -> str:
    """An order as the player gave it, as the items' texts ("A → B → C")."""
    return " → ".join(question.choices[k] for k in order if 0 <= k < len(question.choices))


def given_text(
    question: Question,
    answer_text: str | None,
    value: int | None,
    order: Sequence[int] | None,
    choice: int | None,
) -> str:
    """What a player gave, as it is shown back to them and kept in a save's ``chosen``."""
    if answer_text is not None:
        return answer_text
    if value is not None:
        return (
            ordinal(value)
            if question.unit == "place"
            else f"{value:,}"
            if question.unit != "year"
            else str(value)
        )
    if order is not None:
        return shown_order(question, order)
    if choice is not None and 0 <= choice < len(question.choices):
        return question.choices[choice]
    return ""


def range_line(question: Question) -> str:
    """An estimate's range as the question shows it: "A number from 1st to 40th." ("" if none)."""
    if question.kind != "estimate":
        return ""
    low, high = question.low, question.high
    shown = [
        given_text(question, None, v, None, None) if v is not None else "" for v in (low, high)
    ]
    if low is not None and high is not None:
        return f"A number from {shown[0]} to {shown[1]}."
    if low is not None:
        return f"A number from {shown[0]} up."
    return f"A number up to {shown[1]}." if high is not None else ""


def close_line(question: Question) -> str:
    """What a near estimate earns, said before the answer: "Up to 4 places off earns part
    of the points." ("" when only the exact number counts)."""
    tolerance = question.tolerance or 0
    if question.kind != "estimate" or tolerance <= 0:
        return ""
    return f"Up to {_amount(question, tolerance)} off earns part of the points."


def _amount(question: Question, off: int) -> str:
    """A distance in the estimate's unit: "1 place", "2 years", "20 laps" (a deck's unit is
    written as a number's unit is, "200 laps"), or the bare number."""
    if question.unit in ("place", "year"):
        return plural(off, question.unit)
    return f"{off:,} {question.unit}" if question.unit else f"{off:,}"


def estimate_line(question: Question, value: int) -> str:
    """How close an estimate was, as the reveal says it ("2 places off", "exact")."""
    off = abs(value - (question.value or 0))
    if off == 0:
        return "Exact."
    return f"{_amount(question, off)} off."


def tally(correct: int, count: int, close: int = 0, word: str = "correct") -> str:
    """How a game went, as every results screen says it: "3/10 correct", and the near
    answers that earned part of the points, "0/2 correct, 2 close" (``word``: "right"
    where the room says it so)."""
    line = f"{correct}/{count} {word}"
    return f"{line}, {close} close" if close > 0 else line
