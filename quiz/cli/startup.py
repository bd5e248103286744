"""Start-up speed: the cyclic garbage collector waits until the first screen is up.

Starting the TUI allocates a few hundred thousand objects (Textual's modules,
the deck, the widgets and their styles) and frees almost none of them, so the
collector's passes over them in that time find nothing: they cost 40-80 ms
before the first question (3-5x what the floor app in bench/ pays), about a
fifth of the start. `hold()` raises the first generation's threshold for the
start; `release()` restores it once the first screen is drawn.

Nothing is switched off: with the threshold held, a collection still runs
after 100,000 net allocations, so a command that never calls `release()`
(a validation, a report) is only collected less often.

`streams()` is the other thing every command needs first: standard streams
it can use whatever state quiz was started in (see its docstring).
"""

from __future__ import annotations

import codecs
import gc
import io
import os
import sys

HELD_THRESHOLD = 100_000

_saved: tuple[int, int, int] | None = None


def hold() -> None:
    """Collect less often until `release()`; call it first thing in a process."""
    global _saved
    if _saved is None:
        _saved = gc.get_threshold()
        gc.set_threshold(HELD_THRESHOLD, *_saved[1:])


def release() -> None:
    """The start is over: collect as usual again."""
    global _saved
    if _saved is not None:
        gc.set_threshold(*_saved)
        _saved = None


# --- the standard streams ------------------------------------------------------------

STDIN_CLOSED = "standard input is closed; reading it as the end of input"
STDOUT_CLOSED = "standard output is closed; nothing can be written to it"
# Look-alikes an 8-bit encoding usually lacks; accents go by decomposition.
_PLAINER = {
    "\u2018": "'",
    "\u2019": "'",
    "\u201c": '"',
    "\u201d": '"',
    "\u2013": "-",
    "\u2014": "-",
}


class OutputClosed(OSError):
    """A write to a standard output that was closed when quiz started."""


class _State:
    """What the streams met during one command: told once each, read by `cli.main`."""

    def __init__(self) -> None:
        self.missed: list[str] = []  # closed streams a command tried to use
        self.replaced = 0  # characters standard output's encoding could not write
        self.encoding = ""


_state = _State()


def _tell(message: str) -> None:
    """One line on stderr, said once per command, never raising."""
    if message in _state.missed:
        return
    _state.missed.append(message)
    try:
        if sys.stderr is not None:
            sys.stderr.write(f"quiz: {message}\n")
            sys.stderr.flush()
    except (OSError, ValueError):
        pass


class _ClosedInput(io.TextIOBase):
    """Standard input when fd 0 was closed: the end of input at once, said on stderr."""

    def readable(self) -> bool:
        return True

    def read(self, size: int | None = -1) -> str:
        _tell(STDIN_CLOSED)
        return ""

    # typeshed's io bases disagree on readline (bytes in _IOBase, str in
    # TextIOBase); typeshed's own TextIOBase ignores the same override.
    def readline(self, size: int | None = -1) -> str:  # type: ignore[override]
        _tell(STDIN_CLOSED)
        return ""

    def isatty(self) -> bool:
        return False

    def fileno(self) -> int:
        return 0  # /dev/null holds fd 0, so a child process finds it open and empty


class _ClosedOutput(io.TextIOBase):
    """Standard output when fd 1 was closed: every write fails, and stderr says why once."""

    encoding = "utf-8"

    def writable(self) -> bool:
        return True

    def write(self, text: str) -> int:
        _tell(STDOUT_CLOSED)
        raise OutputClosed(9, STDOUT_CLOSED)  # EBADF

    def flush(self) -> None:
        pass  # nothing was written; Python's exit flush must not complain either

    def isatty(self) -> bool:
        return False

    def fileno(self) -> int:
        return 1


class _Discard(io.TextIOBase):
    """Standard error when fd 2 was closed: nobody can read it, so nothing is kept."""

    encoding = "utf-8"

    def writable(self) -> bool:
        return True

    def write(self, text: str) -> int:
        return len(text)

    def isatty(self) -> bool:
        return False

    def fileno(self) -> int:
        return 2


def _is_closed(name: str, fd: int) -> bool:
    stream = getattr(sys, name)
    if stream is None:
        return True
    if stream is not getattr(sys, f"__{name}__"):
        return False  # someone put their own stream there (a test, an embedding program)
    try:
        os.fstat(fd)
    except OSError:
        return True
    return False


def _hold_fd(fd: int, flags: int) -> None:
    """Put /dev/null on a closed standard fd, so no file quiz opens later becomes fd ``fd``.

    Otherwise the next file opened (a save's temporary file) would get the
    lowest free number, and a print meant for stdout would land in it.
    """
    try:
        os.fstat(fd)
        return  # open (sys.stdout set to None by a caller): leave it be
    except OSError:
        pass
    null = os.open(os.devnull, flags)
    if null != fd:
        os.dup2(null, fd)
        os.close(null)
    os.set_inheritable(fd, True)


def _plainer(error: UnicodeError) -> tuple[str, int]:
    """The codec error handler of standard output: what the encoding can write instead.

    An accented letter loses its accent (é -> e), curly quotes and dashes
    become straight ones, and anything else becomes '?'; each is counted, so
    `cli.main` can say afterwards what was lost and how to see it.
    """
    if not isinstance(error, UnicodeEncodeError):
        raise error
    import unicodedata  # only once a character cannot be written

    encoding = error.encoding
    out = []
    for char in error.object[error.start : error.end]:
        kept = _PLAINER.get(char) or "".join(
            c
            for c in unicodedata.normalize("NFKD", char)
            if not unicodedata.combining(c) and _writable(c, encoding)
        )
        out.append(kept or "?")
    _state.replaced += error.end - error.start
    _state.encoding = encoding
    return "".join(out), error.end


def _writable(char: str, encoding: str) -> bool:
    try:
        char.encode(encoding)
    except (UnicodeError, LookupError):
        return False
    return True


codecs.register_error("quiz.plainer", _plainer)


def streams() -> None:
    """Make the standard streams safe for every command; call it first in `main`.

    - A closed stdin (`<&-`) reads as the end of input, and the first read
      says so on stderr; a closed stdout (`>&-`) fails every write with
      `OutputClosed`, said once on stderr; a closed stderr swallows what is
      written. /dev/null holds each closed fd meanwhile (see `_hold_fd`).
    - Standard output writes what its encoding can (`PYTHONIOENCODING=ascii`
      or a Latin-1 terminal): an encoding error is never taken for a closed
      pipe, nor a traceback. `cli.write_data` refuses instead, for data.
    - Standard input keeps bytes it cannot decode as lone surrogates
      (`surrogateescape`): a line of Latin-1 is a wrong answer, never a traceback.

    `missed()` and `replaced()` tell `cli.main` what happened, for the exit
    code and the last line on stderr.
    """
    global _state
    _state = _State()
    if _is_closed("stdin", 0):
        _hold_fd(0, os.O_RDONLY)
        sys.stdin = _ClosedInput()
    elif isinstance(sys.stdin, io.TextIOWrapper):
        _reconfigure(sys.stdin, "surrogateescape")
    if _is_closed("stdout", 1):
        _hold_fd(1, os.O_WRONLY)
        sys.stdout = _ClosedOutput()
    elif isinstance(sys.stdout, io.TextIOWrapper):
        _reconfigure(sys.stdout, "quiz.plainer")
    if _is_closed("stderr", 2):
        _hold_fd(2, os.O_WRONLY)
        sys.stderr = _Discard()


def _reconfigure(stream: io.TextIOWrapper, errors: str) -> None:
    try:
        stream.reconfigure(errors=errors)
    except (OSError, ValueError):  # a stream already closed, or mid-read
        pass


def missed() -> list[str]:
    """The closed streams a command tried to use (each already said on stderr)."""
    return list(_state.missed)


def replaced() -> tuple[int, str]:
    """How many characters standard output could not write, and its encoding."""
    return _state.replaced, _state.encoding
