"""Writing Anki decks (.apkg) for `quiz export --format anki` and `quiz review export`.

What goes in them is built in quiz/authoring/anki.py. The rule for which --out may be
written is quiz.cli.decks.writable_target, passed in by the caller (quiz/cli/decks.py
imports this module, so this one does not import it back).
"""

from __future__ import annotations

import argparse
from collections.abc import Callable
from pathlib import Path
from typing import TYPE_CHECKING

from quiz.cli.output import fail, show
from quiz.disk.files import atomic_write_bytes

if TYPE_CHECKING:
    from quiz.authoring.anki import AnkiDeck
    from quiz.model import Deck

Target = Callable[[Path, bool], "str | None"]


def export_deck(deck: Deck, args: argparse.Namespace, writable_target: Target) -> int:
    """`quiz export DECK --format anki --out FILE.apkg`: a note per fact, a card per form."""
    from quiz.authoring import anki
    from quiz.text import plural

    if args.out is None:
        return fail("an Anki deck is a file: give it with --out FILE.apkg")
    if args.kinds is not None:
        show("quiz: --kinds is not used by --format anki: every form of each fact is a card")
    built = anki.from_deck(deck)
    if built.left_out:
        what = plural(built.left_out, "timeline question")
        show(f"quiz: {what} left out: each asks about several facts, and a note is one fact")
    return write([built], args.out, args.force, writable_target)


def write(decks: list[AnkiDeck], out: str, force: bool, writable_target: Target) -> int:
    """The .apkg at ``out``, where ``writable_target`` (quiz.cli.decks) allows it."""
    from quiz.authoring import anki
    from quiz.text import clean

    path = Path(out)
    problem = writable_target(path, force)
    if problem:
        return fail(problem)
    atomic_write_bytes(path, anki.package(decks))  # SaveError: cli.main
    what = "; ".join(f"{clean(d.name)}: {d.summary()}" for d in decks)
    show(f"Wrote {clean(out)} (Anki: {what}).")
    return 0
