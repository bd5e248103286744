"""Words: what a text shows, and what would give a question away."""

from __future__ import annotations

import functools
import re
from collections.abc import Iterable

from quiz.model import Deck
from quiz.text import fold

STOPWORDS = frozenset(
    """a an the of in on at to for with and or but nor her hers she he him his it its is was
    were be been being by from that this these those what which who whom whose how did does
    do done i me my we us our you your not no as after before when where why there their they
    them so than then into onto out up about have had has just only if all any each can could
    would should will shall may might must also too more most some such own same other another
    over under again once here while during said says say told tell asked ask according
    whether ever are am being get got""".split()
)
ORDINAL_WORDS = {
    word: f"{n}{'st' if n % 10 == 1 and n != 11 else 'nd' if n % 10 == 2 and n != 12 else 'rd' if n % 10 == 3 and n != 13 else 'th'}"
    for n, word in enumerate(
        """first second third fourth fifth sixth seventh eighth ninth tenth eleventh twelfth
        thirteenth fourteenth fifteenth sixteenth seventeenth eighteenth nineteenth
        twentieth""".split(),
        1,
    )
}
YEAR = re.compile(r"\b(1[0-9]{3}|2[0-9]{3})\b")
_WORD_RE = re.compile(r"[0-9]+(?:st|nd|rd|th)?|[^\W\d_]+")


@functools.lru_cache(maxsize=8192)  # a deck repeats its words: planning a game stems each often
def _stem(word: str) -> str:
    word = ORDINAL_WORDS.get(word, word)
    if word[:1].isdigit():
        return word
    for suffix in ("ing", "ed", "es", "s"):
        if suffix == "s" and word.endswith(("ss", "as", "is", "us")):
            continue
        if word.endswith(suffix) and len(word) - len(suffix) >= 4:
            return word[: -len(suffix)]
    return word


@functools.lru_cache(maxsize=8192)
def words(text: str) -> frozenset[str]:
    """The content words of a text, folded and lightly stemmed ("crashed" -> "crash")."""
    folded = fold(text).replace("\u2019", "'").replace("'s ", " ")
    out = set()
    for token in _WORD_RE.findall(folded):
        if token in STOPWORDS or (len(token) < 3 and not token.isdigit()):
            continue
        out.add(_stem(token))
    return frozenset(out)


def cue_words(right: str, wrong: Iterable[str], prompt: str) -> frozenset[str]:
    """Words only the right choice has: not its wrong choices, not its question."""
    taken: set[str] = set(words(prompt))
    for choice in wrong:
        taken |= words(choice)
    return words(right) - taken


def first_word(text: str) -> str:
    parts = fold(text).strip("\u201c\u201d\"'").split()
    return parts[0] if parts else ""


def deck_words(deck: Deck) -> frozenset[str]:
    """Words every game shows before its first question: title, subject, description, sources."""
    texts = [deck.title, deck.subject, deck.description]
    texts.extend(source.citation() for source in deck.sources)
    return words(" ".join(texts))
