"""Finding decks: the bundled decks' folder, the decks below a folder, a deck by name or id.

The one owner of the bundled-deck lookup: `--deck NAME` (resolve_deck), a
save's `deck` id (bundled, bundled_deck) and the default deck all ask here.
"""

from __future__ import annotations

import os
import re
from collections.abc import Iterable
from pathlib import Path
from typing import TYPE_CHECKING

from quiz.deckfile.read import deck_folder, load_deck

if TYPE_CHECKING:
    from quiz.model import Deck


def bundled_dir() -> Path:
    """The folder of bundled decks: inside the wheel, or questions/ in a checkout."""
    here = Path(__file__).resolve().parent.parent  # the quiz package
    packaged = here / "_decks"
    if packaged.is_dir():
        return packaged
    return here.parent / "questions"


MAX_WALK = 20_000


def deck_files(folder: Path) -> list[Path]:
    """The decks below a folder, in a stable order: *.toml files, and folder decks.

    A folder holding deck.toml is one deck (its fact files are not decks of
    their own). Hidden folders and symlinked folders are skipped, and the walk
    stops with ValueError past MAX_WALK entries, so `quiz validate /` ends at
    once instead of walking the whole disk.
    """
    if deck_folder(folder) is not None:
        return [folder]
    found: list[Path] = []
    seen = 0
    for root, dirs, files in os.walk(folder, followlinks=False):
        seen += len(dirs) + len(files)
        if seen > MAX_WALK:
            raise ValueError(f"holds more than {MAX_WALK} files and folders; name a smaller folder")
        if "deck.toml" in files and Path(root) != folder:
            found.append(Path(root))
            dirs[:] = []
            continue
        dirs[:] = sorted(d for d in dirs if not d.startswith("."))
        found.extend(Path(root) / f for f in files if f.endswith(".toml"))
    return sorted(p for p in found if p.is_file() or p.is_dir())


DEFAULT_DECK = "amber-balcaen"


def resolve_deck(ref: str | None) -> Path:
    """Turn ``--deck PATH|ID`` into a path: an existing path, else a bundled deck id."""
    ref = ref or DEFAULT_DECK
    candidate = Path(ref)
    if candidate.suffix == ".toml" or candidate.exists() or "/" in ref:
        return candidate
    for path in deck_files(bundled_dir()):
        if path.stem == ref or path.name == ref:
            return path
    return bundled_dir() / f"{ref}.toml"


def unknown_deck(ref: str | None) -> str | None:
    """What to say when ``--deck REF`` is neither a file nor a bundled deck's id, or None."""
    path = resolve_deck(ref)
    if path.exists() or ref is None or "/" in ref or ref.endswith(".toml"):
        return None  # a path: reading it says what is wrong with it
    known = ", ".join(p.stem for p in deck_files(bundled_dir())) or DEFAULT_DECK
    return f"no deck file or bundled deck called '{ref}'; bundled decks: {known}"


def bundled(deck_id: str) -> tuple[Path, Deck]:
    """The bundled deck with this id, and its file: how a save's `deck` field becomes a deck.

    Looked up by the deck's id, not its file name (the file named like the id
    is tried first). Never a path: a save is a file anyone with the folder can
    edit, and its `deck` must not make quiz open /dev/zero, a FIFO or someone's file.
    """
    from quiz.deckfile.problems import DeckError, Problem

    if len(deck_id) <= 64 and re.fullmatch(r"[a-z0-9]+(-[a-z0-9]+)*", deck_id):
        for path in sorted(deck_files(bundled_dir()), key=lambda p: p.stem != deck_id):
            try:
                deck = load_deck(path, path.name, use_cache=True)
            except DeckError:
                continue
            if deck.id == deck_id:
                return path, deck
    raise DeckError(
        [
            Problem(
                "the saved game",
                1,
                f"was played on the deck '{deck_id[:64]}', which is not a bundled deck; "
                "resume it with --deck PATH of that deck",
            )
        ]
    )


def bundled_decks(ids: Iterable[str] | None = None) -> dict[str, Deck]:
    """The bundled decks among ``ids`` (None: all of them), by id; one that fails to load
    is left out (`quiz validate` names its problems): how saved games' ids find decks."""
    from quiz.deckfile.problems import DeckError

    wanted = set(ids) if ids is not None else None
    out = {}
    for path in deck_files(bundled_dir()):
        try:
            deck = load_deck(path, path.name, use_cache=True)
        except (DeckError, OSError):
            continue
        if wanted is None or deck.id in wanted:
            out[deck.id] = deck
    return out


def bundled_deck(deck_id: str) -> Path:
    """The file of the bundled deck with this id (see `bundled`)."""
    return bundled(deck_id)[0]
