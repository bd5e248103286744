"""The save folder's names: player folders and the files in them, and the helpers every writer uses.

Which folder a player's games go in (a slug of the name and 128 bits of its
hash), the name of each file quiz keeps beside the games, and how a write
turns an OSError into one line a player can act on. Only the saves package
and the summaries derived from the saves (quiz.scores) use these: everything else
asks quiz.saves.folder.SaveFolder for paths.
"""

from __future__ import annotations

import hashlib
import os
import re
import time
import unicodedata
from collections.abc import Iterator
from contextlib import contextmanager
from datetime import UTC, datetime
from pathlib import Path

from quiz.disk.files import SaveError, describe_os_error, read_nofollow
from quiz.text import clean

LOCK_TIMEOUT = 15.0
STALE_TEMP_SECONDS = 3600
SLUG_MAX = 40
HASH_CHARS = 32  # 128 bits of SHA-256: no two names share a folder, even names chosen to
OLD_HASH_CHARS = 8  # the folders of quiz before: 32 bits, two chosen names collided in a second
# The names in a save folder, each written here once. In a player's folder:
GAMES = "games"  # the finished (and shelved) games, one file each
CURRENT = "current.toml"  # the game in progress
LOCK = ".lock"  # held while a game file or the folder's derived files are written
# derived from its games (quiz.scores.summary writes them):
SUMMARY = "summary.toml"
DETAIL = "detail.toml"
DERIVED = (SUMMARY, DETAIL)
ROLLUP = ".scores.toml"  # at the save folder's root: every player's summary, in one file
OWNER = "player.txt"  # the exact name a player folder belongs to
PLAYING = ".playing"  # held by the process playing that player
OWNER_MAX_BYTES = 4096
WINDOWS_RESERVED = {
    "con",
    "prn",
    "aux",
    "nul",
    *(f"com{i}" for i in range(10)),
    *(f"lpt{i}" for i in range(10)),
}


def clean_name(name: str) -> str:
    """A player's name as kept and shown: exactly as typed, minus control characters."""
    # Bytes that are not UTF-8 (argv on Linux keeps them as lone surrogates)
    # cannot go into a TOML save: show them as U+FFFD instead of failing.
    name = name.encode("utf-8", "surrogateescape").decode("utf-8", "replace")
    return clean(name).strip()


def player_slug(name: str) -> str:
    """A safe folder name for a player: ASCII slug + 128 bits of a hash of the exact name.

    NFKC-normalised and case-folded for the readable part, from an allowlist of
    characters, capped in length, never a Windows reserved name; the hash of
    the exact name keeps apart names that slug alike ("Ann" and "ann"), and is
    long enough that no one can find two names sharing a folder.
    """
    return f"{slug_base(name)}-{name_digest(name)[:HASH_CHARS]}"


def old_player_slug(name: str) -> str:
    """The folder name quiz gave a player before: the same slug + only 32 bits of the hash."""
    return f"{slug_base(name)}-{name_digest(name)[:OLD_HASH_CHARS]}"


def slug_base(name: str) -> str:
    folded = unicodedata.normalize("NFKC", name).casefold()
    ascii_only = unicodedata.normalize("NFKD", folded).encode("ascii", "ignore").decode("ascii")
    base = re.sub(r"[^a-z0-9]+", "-", ascii_only).strip("-")[:SLUG_MAX].strip("-") or "player"
    if base.split("-")[0] in WINDOWS_RESERVED:
        base = f"player-{base}"
    return base


def name_digest(name: str) -> str:
    return hashlib.sha256(name.encode("utf-8", "surrogatepass")).hexdigest()


def clear_stale_temps(folder: Path) -> None:
    cutoff = time.time() - STALE_TEMP_SECONDS
    try:
        entries = list(os.scandir(folder))
    except OSError:
        return
    for entry in entries:
        if entry.name.startswith(".") and entry.name.endswith(".tmp"):
            try:
                if entry.stat(follow_symlinks=False).st_mtime < cutoff:
                    os.unlink(entry.path)
            except OSError:
                pass


def file_stamp() -> str:
    """Now, UTC, to the microsecond, as game files are named: 20261123T201500123456Z."""
    return datetime.now(UTC).strftime("%Y%m%dT%H%M%S%fZ")


@contextmanager
def saving(what: str) -> Iterator[None]:
    """Any OSError inside becomes a SaveError: ``what`` could not be done, and why, in one line."""
    try:
        yield
    except OSError as exc:
        raise SaveError(f"{what}: {describe_os_error(exc)}") from None


def refuse_link(path: Path) -> None:
    if os.path.islink(path):
        raise SaveError(f"{path} is a symbolic link; refusing to follow it out of the save folder")


def read_owner(folder: Path) -> str | None:
    """The exact name a player folder says it belongs to; None when it says nothing readable."""
    try:
        data = read_nofollow(folder / OWNER, cap=OWNER_MAX_BYTES)
    except OSError:
        return None
    if len(data) > OWNER_MAX_BYTES:
        return None
    try:
        name = data.decode("utf-8").removesuffix("\n")
    except UnicodeDecodeError:
        return None
    return name or None
