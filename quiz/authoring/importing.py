"""`quiz import`: a file of another tool's questions becomes a checked deck file; and
`written`, the one place an export's format picks its writer.

Each format's reader (`read_items`) gives the questions in Open Trivia DB's
shape, each with its place in the file; interchange.build makes the facts,
and the deck is checked as any deck is before it is written. A question that
cannot be a fact is skipped with a note located in the input file, and the
rest imported.
"""

from __future__ import annotations

import os
from collections.abc import Callable
from pathlib import Path
from typing import Any

import tomli_w

from quiz.authoring.exporting import Export
from quiz.authoring.gift import read_gift
from quiz.authoring.interchange import (
    Imported,
    ImportProblem,
    build,
    read_csv,
    read_opentdb,
    to_csv,
    to_gift,
    to_opentdb,
)
from quiz.authoring.rules import lint
from quiz.deckfile.limits import MAX_FACTS
from quiz.deckfile.problems import DeckSource
from quiz.deckfile.read import build_deck, decode, read_capped
from quiz.disk.files import atomic_write
from quiz.errors import QuizError
from quiz.model import Deck
from quiz.text import clean


class ImportRefused(QuizError):
    """The imported questions break the fairness rules; each line says which and why."""

    prefixed = False  # every line names the program and the file already


# The formats `quiz import` reads, and the name of each one's source in the deck.
IMPORTS = {
    "opentdb": "Open Trivia Database",
    "gift": "gift",
    "csv": "spreadsheet",
    "kahoot": "kahoot",
    "moodle-xml": "moodle",
    "aiken": "aiken",
}


def read_items(kind: str, data: bytes) -> list[Any]:
    """The questions of an input file of format ``kind``, as `build` takes them.

    Raises ImportProblem (or ValueError) with what is wrong with the file as a whole.
    """
    if kind == "kahoot":
        from quiz.authoring.kahoot import read_kahoot

        return read_kahoot(data, MAX_FACTS)
    if kind == "csv":
        # Excel's "CSV UTF-8" starts with a byte-order mark: it is only a marker.
        data = data.removeprefix(b"\xef\xbb\xbf")
    text = decode(data)
    if kind == "gift":
        return read_gift(text, MAX_FACTS)
    if kind == "moodle-xml":
        from quiz.authoring.moodle import read_moodle

        return read_moodle(data, MAX_FACTS)
    if kind == "aiken":
        from quiz.authoring.aiken import read_aiken

        return read_aiken(text, MAX_FACTS)
    return read_opentdb(text) if kind == "opentdb" else read_csv(text)


def import_deck(
    source_file: Path,
    out: Path,
    kind: str,
    title: str | None,
    note: Callable[[str], None],
    *,
    replace: bool = False,
    tick: Callable[[int, int], None] | None = None,
) -> tuple[int, int]:
    """Import ``source_file`` (``kind``: one of `IMPORTS`) as a new deck file ``out``.

    The deck is checked as any deck is (the schema, and the fairness rules'
    errors) before it is written; a question that fails a check of its own is
    left out with a note located in ``source_file``, and the rest imported.
    ``out`` is never overwritten unless ``replace`` (the CLI's --force,
    checked to be a regular file). Each question skipped is passed to
    ``note``; ``tick(done, total)`` as questions are read. Returns (questions written,
    questions skipped); raises a QuizError (nothing written).
    """
    if os.path.lexists(out) and not replace:
        raise ImportProblem(
            f"{out} already exists; add --force to replace it, or choose another --out"
        )
    try:
        data = read_capped(source_file)
    except FileNotFoundError:
        raise ImportProblem(f"{source_file}: no such file") from None
    except (OSError, ValueError) as exc:
        raise ImportProblem(f"{source_file}: this file {exc}") from None
    try:
        items = read_items(kind, data)
    except ValueError as exc:  # ImportProblem, a decoding error, a reader's own
        raise ImportProblem(f"{source_file}: {exc}") from None
    if kind == "opentdb":
        source = {"id": "opentdb", "title": IMPORTS[kind], "url": "https://opentdb.com"}
    else:
        source = {"id": IMPORTS[kind], "title": clean(f"Imported from {source_file.name}")[:300]}
    title = clean(title or out.stem.replace("-", " ").replace("_", " ").title()).strip()
    imported = build(items, out.stem, title, source, tick)
    deck, toml_text = _checked(imported, out)
    for skipped in imported.notes:
        note(f"{source_file}: {skipped}")
    if deck is None:
        raise ImportProblem(f"{source_file}: no question could be imported")
    atomic_write(out, toml_text)  # SaveError
    return len(deck.facts), len(imported.notes)


def _checked(imported: Imported, out: Path) -> tuple[Deck | None, str]:
    """The imported deck checked as any deck is, and its TOML text.

    A fact the deck's checks refuse on its own (the references, a fairness
    rule's error) is skipped with a note located in the input, and the rest
    checked again; a problem of the deck as a whole refuses the import.
    None when no fact is left.
    """
    from quiz.deckfile.problems import DeckError

    for _ in range(4):
        if not imported.data["facts"]:
            return None, ""
        toml_text = tomli_w.dumps(imported.data)
        try:
            deck = build_deck(imported.data, DeckSource.single(toml_text, str(out)))
        except DeckError as exc:
            found = [(p.fact, p.message) for p in exc.problems]
        else:
            found = [(f.fact, f.message) for f in lint(deck) if f.severity == "error"]
            if not found:
                return deck, toml_text
        if any(fact not in imported.where for fact, _ in found):
            raise ImportRefused(
                "\n".join(f"quiz: {out}: {f'[{fact}] ' if fact else ''}{m}" for fact, m in found)
            )
        by_fact: dict[str, list[str]] = {}
        for fact, message in found:
            by_fact.setdefault(str(fact), []).append(message)
        for fact, messages in by_fact.items():
            imported.skip(fact, "; ".join(dict.fromkeys(messages)))
    raise ImportRefused(f"quiz: {out}: the imported questions could not be made a valid deck")


def written(deck: Deck, export: Export, fmt: str) -> str | bytes:
    """The file of format ``fmt`` (an `exporting.FORMATS` key) holding ``export``'s questions.

    Text for every format but Kahoot's, whose sheet is an .xlsx workbook. What
    a writer cannot hold is counted in ``export`` (`Export.summary` says it).
    Here, above every format's module, so none of them imports another's.
    """
    if fmt == "kahoot":
        from quiz.authoring.kahoot import to_kahoot

        return to_kahoot(deck, export=export)
    if fmt == "moodle-xml":
        from quiz.authoring.moodle import to_moodle

        return to_moodle(deck, export=export)
    if fmt == "aiken":
        from quiz.authoring.aiken import to_aiken

        return to_aiken(deck, export=export)
    writer = {"gift": to_gift, "csv": to_csv, "opentdb": to_opentdb}[fmt]
    return writer(deck, export=export)
