"""Player folders from quiz before (slug + 32 bits of the name's hash), moved to their new name.

The first time a player is seen, quiz.saves.folder asks `adopt` to bring in
the folder quiz gave them before: whole when it holds only their games, or
only the files that name them when two names shared it.
"""

from __future__ import annotations

import os
from collections.abc import Callable
from contextlib import AbstractContextManager
from pathlib import Path
from typing import Protocol

from quiz.disk.files import SaveError, describe_os_error, read_nofollow
from quiz.saves.layout import (
    CURRENT,
    DERIVED,
    GAMES,
    LOCK,
    LOCK_TIMEOUT,
    PLAYING,
    file_stamp,
    read_owner,
    refuse_link,
    saving,
)
from quiz.text import clean


class Adopter(Protocol):
    """What adopting needs of the save folder (quiz.saves.folder.SaveFolder)."""

    def lock(self, player: str, *, folder: Path | None = None) -> AbstractContextManager[None]: ...

    def mark_owned(self, folder: Path, player: str) -> None: ...

    notify: Callable[[str], None]


def record_owner(path: Path) -> str | None:
    """The player a save file names, as the readers see it (None when it cannot be read)."""
    import tomllib

    try:
        data = tomllib.loads(read_nofollow(path).decode("utf-8"))
    except (OSError, UnicodeDecodeError, tomllib.TOMLDecodeError, RecursionError, ValueError):
        return None
    player = data.get("player")
    return clean(player) if isinstance(player, str) else None


def move_in(source: Path, target: Path) -> None:
    """Rename ``source`` to ``target``, or beside it under a new name: never over another file."""
    candidate, n = target, 1
    while os.path.lexists(candidate):
        candidate = target.with_name(f"{target.stem}-moved{n}{target.suffix}")
        n += 1
    os.rename(source, candidate)


def adopt(saves: Adopter, player: str, old: Path, folder: Path) -> None:
    """Move the player's saves from the folder quiz gave them before (a 32-bit name).

    Under the old folder's lock, which quiz before held around every write
    too. A folder holding only this name's games is renamed whole. One that
    two names shared (their 32 bits collided) gives up only the files that
    name this player: the others stay for their own player, and a file
    that cannot be read is not guessed at.
    """
    from filelock import FileLock, Timeout

    refuse_link(old / LOCK)
    lock = FileLock(str(old / LOCK), timeout=LOCK_TIMEOUT)
    try:
        lock.acquire()
    except FileNotFoundError:
        return  # moved by another process of this player a moment ago
    except Timeout:
        raise SaveError(f"the saves of {player!r} are locked by another game; try again") from None
    except OSError as exc:
        raise SaveError(
            f"cannot lock the saves of {player!r} ({old / '.lock'}): {describe_os_error(exc)}"
        ) from None
    try:
        with saving(f"cannot move the saves of {player!r} from {old} to {folder}"):
            _adopt_locked(saves, player, old, folder)
    finally:
        try:
            lock.release()
        except OSError:
            pass


def _adopt_locked(saves: Adopter, player: str, old: Path, folder: Path) -> None:
    if not os.path.isdir(old) or os.path.islink(old) or read_owner(folder) is not None:
        return  # done by another process meanwhile
    old_games = old / GAMES
    entries = (
        sorted(e.name for e in os.scandir(old_games) if not e.name.startswith("."))
        if os.path.isdir(old_games) and not os.path.islink(old_games)
        else []
    )
    owners = {name: record_owner(old_games / name) for name in entries}
    current = old / CURRENT
    current_owner = record_owner(current) if os.path.lexists(current) else None
    named = {o for o in (*owners.values(), current_owner) if o is not None}
    alone = named <= {player}
    theirs = [name for name in entries if alone or owners[name] == player]
    take_current = os.path.lexists(current) and (alone or current_owner == player)
    if alone and not os.path.lexists(folder):
        os.rename(old, folder)  # the lock we hold moves with it: it is the new folder's now
        rebuilt_quietly(folder)
        saves.mark_owned(folder, player)
    else:
        (folder / GAMES).mkdir(parents=True, exist_ok=True)
        with saves.lock(player, folder=folder):
            for name in theirs:
                move_in(old_games / name, folder / GAMES / name)
            if take_current:
                if os.path.lexists(folder / CURRENT):
                    # Two games in progress: the one from before is kept, as shelved.
                    move_in(current, folder / GAMES / f"{file_stamp()}-unfinished.toml")
                else:
                    os.rename(current, folder / CURRENT)
            if alone:
                for entry in os.scandir(old):
                    if ".corrupt-" in entry.name:
                        move_in(Path(entry.path), folder / entry.name)
            rebuilt_quietly(folder)
        saves.mark_owned(folder, player)
        if alone:
            _remove_emptied(old)
        else:
            rebuilt_quietly(old)
    if theirs or take_current:
        saves.notify(
            f"the saves of {clean(player)} were moved to their new folder: "
            "folder names are longer now, so that no two players share one"
        )


def rebuilt_quietly(folder: Path) -> None:
    """A moved folder's summary dropped (its seal names the folder): its next reader rebuilds it."""
    for name in DERIVED:
        (folder / name).unlink(missing_ok=True)


def _remove_emptied(old: Path) -> None:
    """The old folder once its games are gone: what is left there is derived."""
    for name in (*DERIVED, PLAYING, LOCK):
        try:
            (old / name).unlink(missing_ok=True)
        except OSError:
            pass
    for leftover in (old / GAMES, old):
        try:
            leftover.rmdir()
        except OSError:
            return  # something else is there: left as it is
