"""Files written whole and read safely: the bottom floor of saves and their summary.

atomic_write leaves the old or the new file, never half of one; read_nofollow
reads only a regular file, never through a symlink, and never hangs on a FIFO.
"""

from __future__ import annotations

import os
import stat
import tempfile
from pathlib import Path

from quiz.errors import QuizError

MAX_SAVE_BYTES = 1024 * 1024


class SaveError(QuizError):
    """A save could not be written or read; the message is one clear line."""


def describe_os_error(exc: OSError) -> str:
    """Why a file could not be used, in plain words: the system's reason, and what it means."""
    import errno

    reason = exc.strerror or str(exc)
    meaning = {
        errno.ELOOP: "a symbolic link is in the way, and is never followed",
        errno.ENOTDIR: "a file stands where a folder belongs",
        errno.EISDIR: "a folder stands where a file belongs",
        errno.EEXIST: "something else already has that name",
    }.get(exc.errno or 0)
    return f"{reason} ({meaning})" if meaning else reason


def atomic_write(path: Path, text: str) -> None:
    """Replace ``path`` with ``text`` so that a crash leaves the old or the new file, whole.

    The temp file lives in the same folder (so os.replace is atomic), is
    flushed and fsynced first, and takes over the old file's permissions. A
    symlink at ``path`` is refused, never followed.
    """
    atomic_write_bytes(path, text.encode("utf-8"))


def atomic_write_bytes(path: Path, data: bytes) -> None:
    """`atomic_write` for a file that is not text (a workbook, a package)."""
    folder = path.parent
    if os.path.islink(path):
        raise SaveError(f"{path} is a symbolic link; refusing to write through it")
    try:
        mode = stat.S_IMODE(os.lstat(path).st_mode)
    except FileNotFoundError:
        mode = None
    except OSError as exc:
        raise SaveError(f"cannot save {path}: {describe_os_error(exc)}") from None
    try:
        fd, tmp_name = tempfile.mkstemp(prefix=f".{path.name}.", suffix=".tmp", dir=folder)
    except OSError as exc:
        raise SaveError(f"cannot write in {folder}: {describe_os_error(exc)}") from None
    tmp = Path(tmp_name)
    try:
        with os.fdopen(fd, "wb") as handle:
            handle.write(data)
            handle.flush()
            os.fsync(handle.fileno())
        if mode is not None:
            os.chmod(tmp, mode)
        os.replace(tmp, path)
    except BaseException as exc:
        tmp.unlink(missing_ok=True)
        if isinstance(exc, OSError):
            raise SaveError(
                f"cannot save {path}: {describe_os_error(exc)}; the old save is untouched"
            ) from None
        raise
    fsync_dir(folder)


def fsync_dir(folder: Path) -> None:
    try:
        fd = os.open(folder, os.O_RDONLY | getattr(os, "O_DIRECTORY", 0))
    except OSError:
        return
    try:
        os.fsync(fd)
    except OSError:
        pass
    finally:
        os.close(fd)


class NotRegularFile(OSError):
    """A save path holds a folder, a FIFO, a device or a symlink instead of a file."""


def read_nofollow(path: Path, cap: int = MAX_SAVE_BYTES) -> bytes:
    """Read a regular file without following a symlink, at most ``cap`` + 1 bytes.

    Opened non-blocking, so a FIFO never hangs the reader; anything that is
    not a regular file raises NotRegularFile.
    """
    import errno

    flags = os.O_RDONLY | getattr(os, "O_NOFOLLOW", 0) | getattr(os, "O_NONBLOCK", 0)
    try:
        fd = os.open(path, flags)
    except OSError as exc:
        if exc.errno in (errno.ELOOP, errno.EISDIR, errno.ENXIO):
            raise NotRegularFile(exc.errno, "not a regular file") from None
        raise
    if not stat.S_ISREG(os.fstat(fd).st_mode):
        os.close(fd)
        raise NotRegularFile(errno.EINVAL, "not a regular file")
    with os.fdopen(fd, "rb") as handle:
        return handle.read(cap + 1)
