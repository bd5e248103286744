"""What the generator works out once per deck: the same in every game.

Only the draw that orders a game's choices is seeded (`Generator.rng`); wrong
answers, typed answers' accepted values and a fact's forms are the deck's own,
so they are kept while the deck lives and a game is planned without working
them out again (a deck is frozen: nothing kept can go stale).
"""

from __future__ import annotations

import weakref
from collections.abc import Hashable
from typing import Any

from quiz.model import Deck

_KEPT: dict[int, tuple[weakref.ref[Deck], dict[Hashable, Any]]] = {}


def per_deck(deck: Deck) -> dict[Hashable, Any]:
    """This deck's memo (a dict keyed by what was worked out), gone with the deck."""
    key = id(deck)
    held = _KEPT.get(key)
    if held is not None and held[0]() is deck:
        return held[1]

    def gone(_: weakref.ref[Deck]) -> None:
        _KEPT.pop(key, None)

    memo: dict[Hashable, Any] = {}
    _KEPT[key] = (weakref.ref(deck, gone), memo)
    return memo
