"""Hang-up handling: the terminal closing (SIGHUP, or a terminal that answers with EIO) keeps the game, in plain mode and under the full screen."""

from __future__ import annotations

import os
import sys
from typing import TYPE_CHECKING, Any

if TYPE_CHECKING:
    from quiz.saves.folder import SaveFolder
    from quiz.tui.app import QuizApp


class hang_up_ends_plain:
    """SIGHUP (the terminal closed) ends plain mode as end of input does: the game is kept."""

    def __enter__(self) -> None:
        import signal

        from quiz.plain.play import HangUp

        def handler(signum: int, frame: object) -> None:
            raise HangUp

        self.previous: Any = None
        if hasattr(signal, "SIGHUP"):
            try:
                self.previous = signal.signal(signal.SIGHUP, handler)
            except ValueError:  # not the main thread
                pass

    def __exit__(self, *exc: object) -> None:
        import signal

        if self.previous is not None:
            signal.signal(signal.SIGHUP, self.previous)


class hang_up_saves_tui:
    """SIGHUP under the full-screen game: save every unfinished game and exit."""

    def __init__(self, app: QuizApp, saves: SaveFolder) -> None:
        self.app = app
        self.saves = saves
        self.previous: Any = None
        self.hung_up = False
        self.stop: Any = None  # set to end the terminal watcher

    def __enter__(self) -> hang_up_saves_tui:
        import signal

        if not hasattr(signal, "SIGHUP"):
            return self
        try:
            self.previous = signal.signal(signal.SIGHUP, self._handler)
        except ValueError:
            return self
        self._watch_terminal()
        return self

    def _watch_terminal(self) -> None:
        """Treat the terminal going away as SIGHUP, even when no SIGHUP comes.

        Under `make play` make is the terminal's session leader: it gets the
        hang-up and waits for the game, which never hears of it, and Textual's
        input thread then spins on a terminal that reads as empty. A terminal
        that was hung up answers every query with EIO: look every half second.
        """
        import signal
        import termios
        import threading

        try:
            fd = sys.stdin.fileno()
            termios.tcgetattr(fd)
        except (OSError, ValueError, termios.error):
            return  # not a terminal: nothing to watch
        self.stop = threading.Event()

        def watch() -> None:
            while not self.stop.wait(0.5):
                try:
                    termios.tcgetattr(fd)
                except (OSError, termios.error):
                    os.kill(os.getpid(), signal.SIGHUP)  # the handler runs in the main thread
                    return

        threading.Thread(target=watch, name="quiz-terminal-watch", daemon=True).start()

    def _handler(self, signum: int, frame: object) -> None:
        import threading

        from quiz.saves.folder import SaveError

        match = self.app.match
        for game in match.games if match is not None else []:
            if not game.finished:
                try:
                    self.saves.save_progress(game)
                except SaveError:
                    pass
        # The terminal is gone: exit now, whatever state the screen is in.
        watchdog = threading.Timer(2.0, os._exit, args=(129,))
        watchdog.daemon = True  # a clean exit does not wait for it
        watchdog.start()
        self.hung_up = True
        self.app.exit(return_code=129)

    def __exit__(self, *exc: object) -> None:
        import signal

        if self.stop is not None:
            self.stop.set()
        if self.previous is not None:
            signal.signal(signal.SIGHUP, self.previous)
