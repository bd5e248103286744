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
"""

from __future__ import annotations

import gc

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
