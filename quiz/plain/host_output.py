"""The plain host's output: lines that never wait on their reader, and progress paced.

`Output` keeps the lines for a slow reader (a pipe, a screen reader) on a thread
of its own, so the room never waits on the host's terminal; `Paced` says
progress (answers, joins) at most once a second.
"""

from __future__ import annotations

import asyncio
import math
import os
import select
import threading
from collections import deque
from collections.abc import Callable
from typing import TextIO

from quiz.plain.lines import fd_of
from quiz.text import plural

PACE = 1.0  # seconds between two progress lines (answers, joins) at most
OUTPUT_LINES = 5000  # lines kept for a slow reader of the host's output; past that, counted
DRAIN_SECONDS = 5.0  # at the end, how long the last lines may take to be read


class Output:
    """Lines to a stream the room never waits on (issue 22, class 7).

    A pipe read slowly, or never, blocks whoever writes to it: the plain host
    used to write from the room's event loop, so one slow reader froze the
    room for every player. The loop only appends here; a thread of its own
    writes the lines out with os.write (nothing waits in the stream's buffer,
    so Python's exit never blocks on it). Past `limit` lines behind, lines are
    counted, not kept, and one line says how many were left out.
    """

    def __init__(self, stream: TextIO, *, limit: int = OUTPUT_LINES) -> None:
        self.stream = stream
        self.limit = limit
        self.fd = fd_of(stream)
        self.encoding = getattr(stream, "encoding", None) or "utf-8"
        errors = getattr(stream, "errors", None) or "strict"
        self.errors = "replace" if errors == "strict" else errors
        self.broken = False
        self.left_out = 0
        self._lines: deque[str] = deque()
        self._busy = False
        self._ready = threading.Condition()
        if self.fd is not None:
            try:
                stream.flush()
            except (OSError, ValueError):
                self.broken = True
            threading.Thread(target=self._pump, daemon=True, name="quiz-output").start()

    def write(self, line: str) -> None:
        """Queue one line (no newline); never waits."""
        if self.broken:
            return
        if self.fd is None:
            try:
                self.stream.write(line + "\n")
                self.stream.flush()
            except (OSError, ValueError):
                self.broken = True  # a closed stdout: said once on stderr (quiz.cli.startup)
            return
        with self._ready:
            if len(self._lines) >= self.limit:
                self.left_out += 1
                return
            self._note_left_out()
            self._lines.append(line)
            self._ready.notify()

    def _note_left_out(self) -> None:
        if self.left_out:
            self._lines.append(
                f"({plural(self.left_out, 'line')} left out: this output was read too slowly)"
            )
            self.left_out = 0

    def _pump(self) -> None:
        assert self.fd is not None
        while True:
            with self._ready:
                while not self._lines:
                    self._ready.wait()
                text = "".join(line + "\n" for line in self._lines)
                self._lines.clear()
                self._busy = True
            try:
                self._write_all(text.encode(self.encoding, self.errors))
            except (OSError, LookupError, UnicodeError):
                with self._ready:
                    self.broken = True
                    self._lines.clear()
                    self._busy = False
                    self._ready.notify_all()
                return
            with self._ready:
                self._busy = False
                self._ready.notify_all()

    def _write_all(self, data: bytes) -> None:
        assert self.fd is not None
        view = memoryview(data)
        while view:
            try:
                view = view[os.write(self.fd, view) :]
            except BlockingIOError:  # someone made the descriptor non-blocking
                select.select([], [self.fd], [], 1.0)

    def drain(self, timeout: float) -> bool:
        """Wait (blocking) up to ``timeout`` seconds for every line to be written."""
        if self.fd is None:
            return True
        with self._ready:
            self._note_left_out()
            self._ready.notify()
            return self._ready.wait_for(
                lambda: self.broken or (not self._lines and not self._busy), timeout
            )


class Paced:
    """Progress said at most once every `every` seconds, or at once when it matters.

    `tell(make, urgent)` says ``make()`` now if urgent or if the last line is
    old enough, and otherwise once it is (``make`` runs then, so the line says
    how things stand by that time; None says nothing).
    """

    def __init__(self, say: Callable[[str], None], every: float = PACE) -> None:
        self.say = say
        self.every = every
        self.last = -math.inf
        self._later: asyncio.TimerHandle | None = None

    def said(self) -> None:
        """A line that counts as progress was just said another way."""
        self.last = asyncio.get_running_loop().time()

    def tell(self, make: Callable[[], str | None], urgent: bool = False) -> None:
        loop = asyncio.get_running_loop()
        if urgent or loop.time() - self.last >= self.every:
            self.cancel()
            self._say(make)
        elif self._later is None:
            self._later = loop.call_at(self.last + self.every, self._fire, make)

    def _fire(self, make: Callable[[], str | None]) -> None:
        self._later = None
        self._say(make)

    def _say(self, make: Callable[[], str | None]) -> None:
        text = make()
        if text:
            self.say(text)
            self.said()

    def cancel(self) -> None:
        if self._later is not None:
            self._later.cancel()
            self._later = None
