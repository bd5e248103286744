"""Who plays: one process per player, held by the system's own lock on a .playing file.

The lock is freed by the system when the holding process dies, however it
dies, so a killed game never blocks the next one. Only quiz.saves.folder
uses this module: it knows where the .playing files are.
"""

from __future__ import annotations

import os
import stat
import threading
import weakref
from pathlib import Path
from typing import Any

from quiz.disk.files import NotRegularFile

# The .playing files this process holds, by (device, inode): [handle, holders].
# One open file each: flock is per open file, so a second one would fight the first.
_HELD: dict[tuple[int, int], list[Any]] = {}
_HELD_GUARD = threading.Lock()


def _let_go(key: tuple[int, int]) -> None:
    """One holder fewer (call under _HELD_GUARD); the last one unlocks."""
    entry = _HELD.get(key)
    if entry is None:
        return
    entry[1] -= 1
    if entry[1] <= 0:
        del _HELD[key]
        handle = entry[0]
        if isinstance(handle, int):
            try:
                os.close(handle)  # closing the file is what frees a flock
            except OSError:
                pass
        else:
            handle.release()


def _let_go_all(keys: set[tuple[int, int]]) -> None:
    with _HELD_GUARD:
        for key in keys:
            _let_go(key)
        keys.clear()


def _open_playing(path: Path) -> int:
    """Open (making it if needed) a .playing file: never through a symlink, never a FIFO's wait.

    Read-only is enough for flock, so another account sharing the folder can hold it too.
    """
    import errno

    flags = (
        os.O_RDONLY
        | os.O_CREAT
        | getattr(os, "O_NOFOLLOW", 0)
        | getattr(os, "O_NONBLOCK", 0)
        | getattr(os, "O_CLOEXEC", 0)  # a child process (quiz serve's games) never inherits it
    )
    fd = os.open(path, flags, 0o644)
    if not stat.S_ISREG(os.fstat(fd).st_mode):
        os.close(fd)
        raise NotRegularFile(errno.EINVAL, "not a regular file")
    return fd


def _lock_now(path: Path, fd: int) -> Any | None:
    """Lock the opened ``fd`` without waiting: a handle to keep, or None when another process holds it.

    The system's own lock (flock), which it frees when the holder dies, however it
    dies. filelock takes the same lock; it is used only where there is no flock
    (Windows), because importing it costs ~20 ms before the first question.
    """
    import errno

    try:
        import fcntl
    except ImportError:  # pragma: no cover - Windows
        from filelock import FileLock, Timeout

        os.close(fd)
        lock = FileLock(str(path), timeout=0, thread_local=False)
        try:
            lock.acquire()
        except Timeout:
            return None
        return lock
    try:
        fcntl.flock(fd, fcntl.LOCK_EX | fcntl.LOCK_NB)
    except OSError as exc:
        if exc.errno in (errno.ENOSYS, errno.EOPNOTSUPP, errno.ENOLCK):
            return fd  # a file system without locks (some network shares): play, unguarded
        os.close(fd)
        if exc.errno in (errno.EWOULDBLOCK, errno.EAGAIN, errno.EACCES):
            return None
        raise
    return fd


class Claims:
    """The players one SaveFolder (and its copies) holds, let go when the last of them is gone."""

    def __init__(self) -> None:
        self.keys: set[tuple[int, int]] = set()
        weakref.finalize(self, _let_go_all, self.keys)

    def hold(self, path: Path) -> bool:
        """Hold the .playing file at ``path``: False when another process holds it.

        Raises NotRegularFile for something else at ``path``, and OSError when it
        cannot be opened. Held already by this process (through any Claims): kept.
        """
        with _HELD_GUARD:
            fd = _open_playing(path)
            info = os.fstat(fd)
            key = (info.st_dev, info.st_ino)
            entry = _HELD.get(key)
            if key in self.keys or entry is not None:
                os.close(fd)  # held by this process already (a second fd would fight it)
                if key not in self.keys:
                    assert entry is not None
                    entry[1] += 1
                    self.keys.add(key)
                return True
            handle = _lock_now(path, fd)
            if handle is None:
                return False
            _HELD[key] = [handle, 1]
            self.keys.add(key)
            return True

    def _key(self, path: Path) -> tuple[int, int] | None:
        try:
            info = os.stat(path, follow_symlinks=False)
        except OSError:
            return None
        key = (info.st_dev, info.st_ino)
        return key if key in self.keys else None

    def holds(self, path: Path) -> bool:
        """Whether these claims hold the .playing file at ``path``."""
        return self._key(path) is not None

    def let_go(self, path: Path) -> None:
        """No longer hold ``path`` (the last holder in this process unlocks it)."""
        key = self._key(path)
        if key is not None:
            with _HELD_GUARD:
                self.keys.discard(key)
                _let_go(key)
