"""Lines read from a stream without blocking the event loop: what the plain host and player type."""

from __future__ import annotations

import asyncio
import io
import os
import threading
from typing import TextIO

from quiz.text import read_line


class LineReader:
    """Lines of a text stream, read in a thread and handed to the event loop (None at the end)."""

    def __init__(self, stream: TextIO) -> None:
        self.queue: asyncio.Queue[str | None] = asyncio.Queue()
        loop = asyncio.get_running_loop()

        def pump() -> None:
            while True:
                try:
                    # Capped (quiz.text.read_line): an endless line costs time, never memory;
                    # a line too long comes as an empty answer.
                    line, _ = read_line(stream)
                except (OSError, ValueError):
                    line = ""
                try:
                    loop.call_soon_threadsafe(self.queue.put_nowait, line if line else None)
                except RuntimeError:
                    return  # the room is over and its loop closed: nobody is reading
                if not line:
                    return

        threading.Thread(target=pump, daemon=True, name="quiz-stdin").start()

    async def get(self) -> str | None:
        return await self.queue.get()

    def drop_waiting(self) -> tuple[int, bool]:
        """Throw away the lines already read and not yet taken: (how many, whether input ended).

        A line typed or piped before a question opens is not an answer to it.
        """
        dropped, ended = 0, False
        while not self.queue.empty():
            if self.queue.get_nowait() is None:
                ended = True
            else:
                dropped += 1
        if ended:
            self.queue.put_nowait(None)  # the end stays for whoever reads next
        return dropped, ended


def fd_of(stream: TextIO) -> int | None:
    """The file descriptor under a real text file (a terminal, a pipe), else None."""
    if not isinstance(stream, io.TextIOWrapper):
        return None  # a StringIO, or a stand-in for a closed stream: writing never waits
    try:
        fd = stream.fileno()
        os.fstat(fd)
    except (OSError, ValueError):
        return None
    return fd
