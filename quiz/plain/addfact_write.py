"""add-fact's write: the text just checked, written atomically, never over a file
that changed while the fact was typed, never over a fact file or deck.toml."""

from __future__ import annotations

import os
from collections.abc import Callable
from pathlib import Path
from typing import Any

from quiz.deckfile.read import decode, read_capped
from quiz.disk.files import SaveError, atomic_write
from quiz.plain.addfact_check import Candidate
from quiz.plain.addfact_text import fact_data


def taken_file(folder: Path | None, fact_id: str) -> str | None:
    """Why a folder deck cannot take a file for this fact id: never deck.toml, never an existing file."""
    if folder is None:
        return None
    if fact_id == "deck" or os.path.lexists(folder / f"{fact_id}.toml"):
        return f"{fact_id}.toml already exists in {folder}; pick another id"
    return None


def write_fact(
    path: Path,
    folder: Path | None,
    candidate: Candidate,
    got: dict[str, Any],
    say: Callable[[str], None],
) -> int:
    """The write: the text just checked, written atomically; nothing is ever overwritten
    that changed since add-fact read it. Returns an exit code (0 written, 1 not)."""
    fact, source = fact_data(got), got["new_source"]
    main_text, fact_text, _, _ = candidate.texts(fact, source)
    main = path if folder is None else folder / "deck.toml"
    if folder is None or source is not None:
        try:
            now = decode(read_capped(main))
        except (OSError, ValueError) as exc:
            say(f"The fact was not added: {main} cannot be read again: {exc}")
            return 1
        if now != candidate.main_text:
            say(
                f"The fact was not added: {main} changed while you typed; nothing was "
                "overwritten. Run quiz add-fact again."
            )
            return 1
    target = main
    try:
        if folder is not None:
            target = folder / f"{fact['id']}.toml"
            taken = taken_file(folder, str(fact["id"]))
            if taken:
                say(f"The fact was not added: {taken}; nothing was overwritten")
                return 1
            if source is not None:
                atomic_write(main, main_text)  # the source first: a fact never cites a missing one
            atomic_write(target, fact_text)
        else:
            atomic_write(main, main_text)
    except SaveError as exc:
        say(f"Could not write {target}: {exc}")
        return 1
    import shlex

    from quiz.session.commands import quiz_command

    added = f" and the source '{source['id']}'" if source else ""
    # As it runs when pasted: .venv/bin/quiz from a fresh clone, a path quoted (as item 15).
    preview = shlex.join([quiz_command(), "preview", "--deck", str(path), "--fact", fact["id"]])
    say(f"Added '{fact['id']}'{added} to {target}. See its questions with: {preview}")
    return 0
