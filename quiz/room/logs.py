"""What the network does to a room, told on the host's terminal: one line per kind of fault.

aiohttp logs each malformed request (a duplicate Host, bad header bytes, a bad
version, Content-Length with Transfer-Encoding) with a traceback, and anyone who
can reach a room can send one in a loop: the code scrolls the game off a screen
reader's line (issue 22, class 1). While a room runs, aiohttp's loggers and the
event loop's exception handler go to a `FaultLog`: one display-safe line per kind
of fault, at most once a minute each, with how many were left out; never a
traceback.
"""

from __future__ import annotations

import logging
import sys
import time
from collections.abc import Callable
from typing import Any

from aiohttp.http_exceptions import HttpProcessingError

from quiz.text import clean

EVERY = 60.0  # seconds between two lines of the same kind
KINDS = 32  # kinds told apart; past that every new kind is "other"
DETAIL = 120  # characters of an exception's own words (an attacker's bytes among them)


def _short(text: object) -> str:
    """One line of at most DETAIL characters, display-safe."""
    words = " ".join(str(text).split())
    if len(words) > DETAIL:
        words = words[: DETAIL - 3] + "..."
    return clean(words)


def _stderr(line: str) -> None:
    # sys.stderr as it is now: Textual redirects it while it draws the host's screen.
    stream = sys.stderr
    if stream is None:
        return
    stream.write(line + "\n")
    stream.flush()


class FaultLog(logging.Handler):
    """Faults as lines, rate-limited by kind; `write` gets each line (stderr by default)."""

    def __init__(
        self,
        write: Callable[[str], None] | None = None,
        *,
        every: float = EVERY,
        clock: Callable[[], float] = time.monotonic,
    ) -> None:
        super().__init__(level=logging.WARNING)
        self.write = write or _stderr
        self.every = every
        self.clock = clock
        self._last: dict[str, float] = {}
        self._quiet: dict[str, int] = {}

    def fault(self, kind: str, line: str) -> None:
        """Tell ``line``, unless a line of the same ``kind`` was told less than `every` ago."""
        if kind not in self._last and len(self._last) >= KINDS:
            kind, line = "other", "other network faults"
        now = self.clock()
        last = self._last.get(kind)
        if last is not None and now - last < self.every:
            self._quiet[kind] = self._quiet.get(kind, 0) + 1
            return
        self._last[kind] = now
        more = self._quiet.pop(kind, 0)
        if more:
            line += f" (and {more} more like it)"
        try:
            self.write(f"quiz: room: {line}")
        except (OSError, ValueError):
            pass  # an output that is gone cannot be told so either

    def emit(self, record: logging.LogRecord) -> None:
        try:
            exc = record.exc_info[1] if record.exc_info else None
            message = _short(record.getMessage())
            if exc is None:
                self.fault(f"log:{record.msg}", message)
            elif isinstance(exc, HttpProcessingError):
                # What aiohttp answered the request with, and why, in its own words.
                who = f" from {_short(record.args[0])}" if isinstance(record.args, tuple) else ""
                self.fault(
                    f"http:{type(exc).__name__}",
                    f"refused a malformed HTTP request{who} ({exc.code}): {_short(exc.message)}",
                )
            else:
                name = type(exc).__name__
                self.fault(f"exc:{name}", f"{message}: {name}: {_short(exc)}")
        except Exception:  # a log line must never be what breaks a room
            pass

    def loop_fault(self, loop: Any, context: dict[str, Any]) -> None:
        """The event loop's exception handler while a room runs (a failed accept, a lost task)."""
        exc = context.get("exception")
        message = _short(context.get("message", "event loop fault"))
        if exc is None:
            self.fault(f"loop:{message}", message)
        else:
            name = type(exc).__name__
            self.fault(f"loop:{name}", f"{message}: {name}: {_short(exc)}")


class _Dispatch(logging.Handler):
    """The one handler on the `aiohttp` logger: to the newest room's FaultLog."""

    def __init__(self) -> None:
        super().__init__(level=logging.WARNING)
        self.stack: list[FaultLog] = []

    def emit(self, record: logging.LogRecord) -> None:
        if self.stack:
            self.stack[-1].emit(record)


_dispatch = _Dispatch()
_propagate: list[bool] = []


def attach(log: FaultLog) -> None:
    """aiohttp's log records go to ``log`` (and nowhere else) until `detach`."""
    aiohttp_logger = logging.getLogger("aiohttp")
    if not _dispatch.stack:
        _propagate.append(aiohttp_logger.propagate)
        aiohttp_logger.addHandler(_dispatch)
        aiohttp_logger.propagate = False
    _dispatch.stack.append(log)


def detach(log: FaultLog) -> None:
    """Undo `attach` for ``log``; aiohttp logs as before once no room runs."""
    if log not in _dispatch.stack:
        return
    _dispatch.stack.remove(log)
    if not _dispatch.stack:
        aiohttp_logger = logging.getLogger("aiohttp")
        aiohttp_logger.removeHandler(_dispatch)
        aiohttp_logger.propagate = _propagate.pop() if _propagate else True
