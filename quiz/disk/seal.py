"""Seals on derived files, so a cache or a summary is never trusted blindly.

The parsed-deck cache (JSON in the user cache) and the score summaries
(summary.toml, detail.toml, .scores.toml in a save folder) are derived data
that quiz trusts instead of reading the source again. Anyone who can write
there could make them lie: a cache entry whose deck differs from the deck's
text, a summary whose best score no game ever made. So each is sealed with
an HMAC-SHA256 under a key only this account holds (``seal.key`` in the
user data folder, mode 0600, made on first use); what does not carry a good
seal is read from the source again and written anew.

A key that cannot be kept (a read-only home) lives for this process only:
nothing derived is trusted across runs then, which costs time, never truth.
"""

from __future__ import annotations

import hashlib
import hmac
import os
from pathlib import Path

KEY_BYTES = 32
SEAL_CHARS = 64  # hex of SHA-256
_keys: dict[Path, bytes] = {}


def _key_path() -> Path:
    from platformdirs import user_data_path

    return user_data_path("quiz", appauthor=False) / "seal.key"


def _load_key(path: Path) -> bytes:
    from quiz.disk.files import read_nofollow

    try:
        data = read_nofollow(path, cap=KEY_BYTES)
        if len(data) == KEY_BYTES:
            return data
        raise OSError("a damaged key")  # never trust a short or long key: make a new one
    except FileNotFoundError:
        pass
    except OSError:
        try:
            if path.is_symlink() or path.is_file():
                path.unlink()
        except OSError:
            return os.urandom(KEY_BYTES)
    key = os.urandom(KEY_BYTES)
    try:
        path.parent.mkdir(parents=True, exist_ok=True)
        flags = os.O_WRONLY | os.O_CREAT | os.O_EXCL | getattr(os, "O_NOFOLLOW", 0)
        fd = os.open(path, flags, 0o600)
        with os.fdopen(fd, "wb") as handle:
            handle.write(key)
    except FileExistsError:  # another process made it first: use theirs
        try:
            data = read_nofollow(path, cap=KEY_BYTES)
            return data if len(data) == KEY_BYTES else key
        except OSError:
            return key
    except OSError:
        pass  # a key for this process only
    return key


def key() -> bytes:
    """This account's key (one per data folder, so tests with their own HOME get their own)."""
    path = _key_path()
    if path not in _keys:
        _keys[path] = _load_key(path)
    return _keys[path]


def seal(context: str, payload: bytes) -> str:
    """The seal of ``payload`` for ``context`` (what it is and where it belongs)."""
    mac = hmac.new(key(), context.encode("utf-8", "surrogatepass") + b"\0", hashlib.sha256)
    mac.update(payload)
    return mac.hexdigest()


def sound(context: str, payload: bytes, given: str) -> bool:
    """Whether ``given`` is this account's seal of ``payload`` for ``context``."""
    if len(given) != SEAL_CHARS:
        return False
    return hmac.compare_digest(seal(context, payload), given)
