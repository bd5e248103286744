"""`quiz join`'s room tokens, kept between runs (issue 26): a player whose terminal closed
runs `quiz join` again with the same name and code and is back with their score, as the
phone is with its localStorage.

One small JSON file in the user's state folder (``$QUIZ_STATE`` wins, for tests and
shared machines), written atomically with mode 0600: a token is the key to a seat. Each
change is read, changed and written under a lock beside it (``join-tokens.json.lock``,
as the saves lock a player's folder), so two `quiz join` processes keeping their tokens
at once both keep them. The file is read as hostile input: anything wrong with it is a note and an empty store,
never a traceback, and an entry that is not what we write is skipped.
"""

from __future__ import annotations

import json
import os
import re
from collections.abc import Iterator
from contextlib import contextmanager
from datetime import UTC, datetime
from pathlib import Path
from typing import Any

from quiz.disk.files import atomic_write, read_nofollow
from quiz.errors import QuizError
from quiz.names import PlayerName
from quiz.text import clean

STATE_ENV = "QUIZ_STATE"
FILE_NAME = "join-tokens.json"
MAX_BYTES = 64 * 1024
MAX_KEPT = 50  # the most recent rooms; older tokens are dropped
TOKEN = re.compile(r"^[A-Za-z0-9_-]{1,64}$")
FIELD_MAX = 400  # a room URL, code or name longer than this is not one we wrote
LOCK_SUFFIX = ".lock"
LOCK_TIMEOUT = 10.0  # seconds: another `quiz join` holds the file only while it writes


class _Busy(Exception):
    """The token file could not be locked: the note says why."""


def store_path() -> Path:
    """$QUIZ_STATE/join-tokens.json, else the user's state folder (platformdirs)."""
    env = os.environ.get(STATE_ENV)
    if env:
        return Path(env) / FILE_NAME
    from platformdirs import user_state_path  # only when joining a room

    return user_state_path("quiz", appauthor=False) / FILE_NAME


def _key(name: str) -> str:
    return PlayerName.of(name.strip()).key


def _entries(path: Path) -> tuple[list[dict[str, str]], str | None]:
    """The kept entries, and a note when the file was not usable (then none)."""
    try:
        raw = read_nofollow(path, MAX_BYTES)
    except FileNotFoundError:
        return [], None
    except OSError as exc:
        return [], f"ignoring {clean(str(path))}: {clean(exc.strerror or 'not a file')}"
    if len(raw) > MAX_BYTES:
        return [], f"ignoring {clean(str(path))}: larger than {MAX_BYTES // 1024} KB"
    try:
        data: Any = json.loads(raw.decode("utf-8"))
    except (UnicodeDecodeError, ValueError):
        return [], f"ignoring {clean(str(path))}: not a token file (JSON)"
    items = data.get("tokens") if isinstance(data, dict) else None
    if not isinstance(items, list):
        return [], f"ignoring {clean(str(path))}: no list of tokens in it"
    kept = []
    for item in items[:MAX_KEPT]:
        if not isinstance(item, dict):
            continue
        entry = {k: item.get(k) for k in ("url", "code", "name", "token", "at")}
        if not all(isinstance(v, str) and 0 < len(v) <= FIELD_MAX for v in entry.values()):
            continue
        if not TOKEN.match(str(entry["token"])):
            continue
        kept.append({k: str(v) for k, v in entry.items()})
    return kept, None


def _same(entry: dict[str, str], url: str, code: str, name: str) -> bool:
    return entry["url"] == url and entry["code"] == code and _key(entry["name"]) == _key(name)


def take(url: str, code: str, name: str) -> tuple[str | None, str | None]:
    """The token kept for this room and name (None: none), and a note on a bad file."""
    entries, note = _entries(store_path())
    found = next((e["token"] for e in entries if _same(e, url, code, name)), None)
    return found, note


@contextmanager
def _locked(path: Path) -> Iterator[None]:
    """Hold the token file's lock (filelock, as the saves do) for one read-modify-write."""
    from filelock import FileLock, Timeout  # only when a token is kept or forgotten

    lock_path = path.with_name(path.name + LOCK_SUFFIX)
    where = clean(str(lock_path))
    try:
        path.parent.mkdir(mode=0o700, parents=True, exist_ok=True)
    except OSError as exc:
        reason = clean(exc.strerror or "")
        raise _Busy(f"could not keep your token in {clean(str(path))}: {reason}") from None
    if os.path.islink(lock_path):
        raise _Busy(f"could not keep your token: {where} is a symbolic link")
    lock = FileLock(str(lock_path), timeout=LOCK_TIMEOUT, mode=0o600)
    try:
        lock.acquire()
    except Timeout:
        raise _Busy(f"could not keep your token: {where} is held by another quiz") from None
    except OSError as exc:
        raise _Busy(
            f"could not keep your token: cannot lock {where}: {clean(exc.strerror or '')}"
        ) from None
    try:
        yield
    finally:
        lock.release()


def _write(entries: list[dict[str, str]]) -> str | None:
    path = store_path()
    try:
        if path.is_file() and not path.is_symlink():
            os.chmod(path, 0o600)  # the new file takes the old one's mode: never wider
        atomic_write(path, json.dumps({"tokens": entries[:MAX_KEPT]}, indent=1) + "\n")
        os.chmod(path, 0o600)
    except (OSError, QuizError) as exc:
        reason = exc.strerror if isinstance(exc, OSError) else str(exc)
        return f"could not keep your token in {clean(str(path))}: {clean(reason or '')}"
    return None


def keep(url: str, code: str, name: str, token: str) -> str | None:
    """Keep ``token`` for this room and name, newest first; a note when it could not be."""
    if not TOKEN.match(token) or any(len(v) > FIELD_MAX for v in (url, code, name)):
        return None
    path = store_path()
    entries, _ = _entries(path)
    if any(_same(e, url, code, name) and e["token"] == token for e in entries[:1]):
        return None  # already the newest: no write (nor lock) on every rejoin
    try:
        with _locked(path):
            entries, _ = _entries(path)  # again, under the lock: another join may have kept one
            rest = [e for e in entries if not _same(e, url, code, name)]
            at = datetime.now(UTC).isoformat(timespec="seconds")
            new = {"url": url, "code": code, "name": name, "token": token, "at": at}
            return _write([new, *rest])
    except _Busy as exc:
        return str(exc)


def forget(url: str, code: str, name: str) -> None:
    """The game is over (or the player was removed): its token is of no more use."""
    path = store_path()
    entries, note = _entries(path)
    if note is not None or not any(_same(e, url, code, name) for e in entries):
        return
    try:
        with _locked(path):
            entries, note = _entries(path)
            if note is None and any(_same(e, url, code, name) for e in entries):
                _write([e for e in entries if not _same(e, url, code, name)])
    except _Busy:
        pass  # the token stays: the next join with it is told the game is over
