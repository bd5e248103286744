"""A faster, stricter "wait until the app is idle" for Textual's Pilot.

Every ``pilot.pause()`` and every key ``pilot.press()`` sends ends in Textual's
``wait_for_idle``: it sleeps in 20 ms windows until one passes in which the
process used under 1 ms of CPU. So each call costs at least 20 ms of doing
nothing, and the suite makes well over a thousand of them: about half of the
TUI tests' time was spent asleep.

This version looks in 5 ms windows, and counts a window as idle only when the
process was idle in it by the same measure (under 1 ms of CPU) AND nothing is
left to do that the test could see next: no message waiting in the queue of
the app or of any widget on any screen, no callback waiting for the next
message or for the top screen's next refresh. The second check is exact where the first is
a guess (a process the machine did not schedule in a window also "used no
CPU"), so a test waits for as much as before, and is more certain of it.
"""

from __future__ import annotations

import asyncio
from time import monotonic, process_time
from typing import Any

import textual.app
import textual.pilot
from textual._context import active_app

WINDOW = 1 / 200  # seconds: Textual's is 1 / 50
IDLE_CPU = 1 / 1000  # seconds of CPU in a window that still count as idle: Textual's too


def _nothing_pending(app: Any) -> bool:
    """Is every message queue of the app, its screens and their widgets empty?

    And is no callback waiting for the top screen's next refresh?
    """
    if app.message_queue_size or app._next_callbacks:
        return False
    for node in list(app._registry):
        if node.message_queue_size or node._next_callbacks:
            return False
    # Callbacks for after the next refresh: only the screen on top refreshes.
    return not app.screen._callbacks


async def wait_for_idle(min_sleep: float = WINDOW, max_sleep: float = 1) -> None:
    """Textual's ``wait_for_idle``, with the same arguments and limits."""
    app = active_app.get(None)
    start = monotonic()
    while True:
        cpu = process_time()
        await asyncio.sleep(WINDOW)
        cpu_elapsed = process_time() - cpu
        elapsed = monotonic() - start
        if elapsed >= max_sleep:
            return
        if (
            elapsed > min_sleep
            and cpu_elapsed < IDLE_CPU
            and (app is None or _nothing_pending(app))
        ):
            return


def install() -> None:
    """Use this wait in the Pilot and the app's key presses (the two callers in Textual)."""
    textual.pilot.wait_for_idle = wait_for_idle  # type: ignore[attr-defined]
    textual.app.wait_for_idle = wait_for_idle  # type: ignore[attr-defined]
