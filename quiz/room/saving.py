"""The room driver's saves and its state: the record kept soon, never on every answer.

`RoomSaves` is the base of the room's driver: it holds what the driver keeps
(the room, the clock, the scheduler, the timers), the hooks a transport fills
(`seated_tokens`, `send_to`, `broadcast`), and the saves: the room's record
written soon after a change (a failure told once and tried again), and at the
end each player's game on its own. The steps are `quiz.room.steps`'s and
`quiz.room.driver`'s.
"""

from __future__ import annotations

import asyncio
import json
import time
from collections.abc import Callable, Iterable
from pathlib import Path
from typing import Any, Literal, Protocol

from quiz.game.play import Game, now_utc
from quiz.room.outgoing import RoomFrame
from quiz.room.players import Player
from quiz.room.state import Room
from quiz.saves.folder import SaveError, SaveFolder, atomic_write
from quiz.text import clean

SAVE_RETRY = 2.0  # seconds before a failed write of the room's record is tried again

# What the host's front ends are told after every change, by `listeners`.
RoomEvent = Literal[
    "join",
    "rejoin",
    "leave",
    "answered",
    "question",
    "reveal",
    "end",
    "remove",
    "lock",
    "save-error",
    "saved",
    "round",
    "team",
    "progress",  # a self-paced player's step: their question, reveal or result
    "transport",  # the transport's own news (an edge gone, the broker down): transport_news
    "extra",
]


class Timer(Protocol):
    """A callback to come, as `loop.call_later` returns it."""

    def cancel(self) -> None: ...


Scheduler = Callable[[float, Callable[[], None]], Timer]


def loop_scheduler(delay: float, callback: Callable[[], None]) -> Timer:
    """``callback`` in ``delay`` seconds, on the running event loop."""
    return asyncio.get_running_loop().call_later(delay, callback)


def problem(exc: BaseException) -> str:
    """A save's failure in one line: SaveError's own words, or the system's reason and path."""
    if isinstance(exc, OSError) and not isinstance(exc, SaveError):
        reason = exc.strerror or str(exc) or type(exc).__name__
        return clean(f"{exc.filename}: {reason}" if exc.filename else reason)
    return clean(str(exc))


class RoomSaves:
    """A room's driver state and saves; the steps (quiz.room.steps) sit on it."""

    def __init__(
        self,
        room: Room,
        saves: SaveFolder | None,
        *,
        leaderboard: str = "each",
        clock: Callable[[], float] = time.monotonic,
        schedule: Scheduler = loop_scheduler,
        record_path: Path | None = None,
        show_question: bool = True,
    ) -> None:
        self.room = room
        # `--show-question-on-devices`: off sends each question without its prompt.
        self.show_question = show_question
        self.saves = saves
        self.leaderboard = leaderboard
        self.clock = clock
        self.schedule = schedule
        self.record_path: Path | None = record_path
        self.listeners: list[Callable[[RoomEvent], None]] = []
        self.stopping = False  # players dropping now must not close the question
        self.save_error: str | None = None  # the last save problem, one line; None once saved
        self.save_failures: list[str] = []  # at the end: each player whose game was not saved
        # One line for the host's screen when the transport is in trouble or out of it
        # (quiz.room.owner: an edge gone, the broker down, the broker back); None: nothing to say.
        self.transport_news: str | None = None
        self.saved_games: list[Path] = []
        self._saved: set[str] = set()  # game ids written, so a retry writes each once
        self._resumed = record_path is not None
        self._told_error: str | None = None
        self._save_pending = False
        self._prepared = False  # the record written once before the lobby (prepare_saves)
        self._retry_pending = False
        self._lobby_pending = False
        self._timer: Timer | None = None
        self._tasks: set[asyncio.Future[Any]] = set()
        self._save_lock = asyncio.Lock()
        # One step (open, close, advance) at a time, so each socket gets its frames in order.
        self._step = asyncio.Lock()
        # Self-paced homework: each player's own timer (their question's, or their next's).
        self._paced_timers: dict[str, Timer] = {}
        self._deadline_timer: Timer | None = None

    # -- what the transport gives

    def seated_tokens(self) -> Iterable[str]:
        """The tokens of the players with a socket, in the order they sat down."""
        return ()

    async def send_to(self, items: list[tuple[str, RoomFrame | str]]) -> None:
        """Each frame (or its text) to the player with that token."""

    async def broadcast(self, frame: RoomFrame) -> None:
        """One frame to every seated player."""

    def prepare_saves(self) -> None:
        """Write the room's record once before the lobby opens, so a bad folder shows now.

        The command line calls it before drawing anything, and `start` again for
        callers that did not: the second call finds the record written.
        """
        if self.saves is None or self._prepared:
            return
        stamp = now_utc().replace(":", "").replace("-", "")
        folder = self.saves.rooms_dir
        try:
            self.saves.ensure()
            if folder.is_symlink():
                raise SaveError(f"{folder} is a symbolic link; refusing to follow it")
            folder.mkdir(exist_ok=True)
            if self.record_path is None:
                self.record_path = self.saves.room_record(stamp, self.room.code)
            self._write_record(self._record())
            self._prepared = True
        except OSError as exc:
            raise SaveError(f"cannot save the room in {folder}: {problem(exc)}") from None

    def _write_record(self, record: dict[str, Any]) -> None:
        assert self.record_path is not None
        # One line, no indent: json's C encoder (an indent takes its pure-Python one, four
        # times slower, holding the loop's GIL from this thread: 160 ms for 3,000 players).
        atomic_write(
            self.record_path, json.dumps(record, ensure_ascii=False, separators=(",", ":"))
        )

    def _record(self) -> dict[str, Any]:
        """The room's record; at the end it stays resumable until every game is saved."""
        record = {**self.room.record(self.clock()), **self.settings()}
        if record.get("phase") == "end" and self._unsaved():
            # The last reveal: `quiz host --resume` comes back there, and its Enter
            # saves the games still missing (the ones saved are not written twice).
            record["phase"] = "reveal"
        return record

    def settings(self) -> dict[str, Any]:
        """How the room was opened, kept in its record so `quiz host --resume` opens it so again."""
        return {
            "max_players": self.room.max_players,
            "leaderboard": self.leaderboard,
            "show_question": self.show_question,
        }

    async def save_record(self) -> bool:
        """Write the room's record; a failure is told once and tried again soon. True if saved."""
        if self.saves is None or self.record_path is None:
            return True
        record = self._record()
        async with self._save_lock:
            try:
                await asyncio.to_thread(self._write_record, record)
            except (SaveError, OSError) as exc:
                self._save_failed(f"the room's record: {problem(exc)}")
                self._retry_record()
                return False
        if not self.save_failures:
            self._save_worked()
        return True

    def _save_failed(self, message: str) -> None:
        """Tell a save problem (once while it stays the same), for the host's screen."""
        self.save_error = message
        if message != self._told_error:
            self._told_error = message
            self.notify("save-error")

    def _save_worked(self) -> None:
        if self.save_error is not None:
            self.save_error = None
            self._told_error = None
            self.notify("saved")

    def _retry_record(self) -> None:
        if self._retry_pending or self.stopping:
            return
        self._retry_pending = True

        def fire() -> None:
            self._retry_pending = False
            if not self.stopping:
                self.spawn(self.save_record())

        self.schedule(SAVE_RETRY, fire)

    def save_soon(self, delay: float = 0.5) -> None:
        """Keep answers safe from a crash without writing the record on every answer."""
        if self._save_pending or self.saves is None:
            return
        self._save_pending = True

        def fire() -> None:
            self._save_pending = False
            if not self.stopping:  # a room being closed writes its record itself
                self.spawn(self.save_record())

        self.schedule(delay, fire)

    def notify(self, event: RoomEvent) -> None:
        for listener in list(self.listeners):
            listener(event)

    def spawn(self, coro: Any) -> None:
        task = asyncio.ensure_future(coro)
        self._tasks.add(task)
        task.add_done_callback(self._tasks.discard)

    def _games(self) -> list[tuple[Player, Literal["finished", "quit"]]]:
        """The players whose games are kept, with each game's status."""
        return [
            (pl, "quit" if pl.removed else "finished")
            for pl in self.room.players.values()
            if pl.game.answers
        ]

    def _unsaved(self) -> bool:
        return self.saves is not None and any(
            pl.game.id not in self._saved for pl, _ in self._games()
        )

    async def save_games(self) -> None:
        """Each player's game on its own (mode `live`), then the room's record.

        One bad player folder (a symlinked `.lock`, `games` as a file, a full
        quota) loses only that player's game: the others are written all the
        same. A failure is tried once more, then told player by player in
        `save_failures`; the room's record stays resumable until every game is
        saved, so another try (plain mode's Enter, `quiz host --resume`)
        finishes the job without writing any game twice.
        """
        if self.saves is None:
            return
        saves = self.saves
        resumed = self._resumed
        room = self.room
        for pl, _ in self._games():  # issue 26: each game keeps its team and its rounds
            pl.game.team = pl.team or ""
            if room.rounds:
                pl.game.rounds = tuple(room.round_of(pl.first + k) for k in range(pl.game.count))
        status = {pl.game.id: st for pl, st in self._games()}
        todo = [pl.game for pl, _ in self._games() if pl.game.id not in self._saved]

        def saved_before(game: Game) -> bool:
            # A resumed room may have written this game before it stopped.
            try:
                return any(r.id == game.id for r in saves.games(game.player))
            except (SaveError, OSError):
                return False

        def write(batch: list[Game]) -> list[tuple[Game, Path | None, str | None]]:
            out: list[tuple[Game, Path | None, str | None]] = []
            for game in batch:
                try:
                    if resumed and saved_before(game):
                        out.append((game, None, None))
                    else:
                        out.append((game, saves.save_finished(game, status[game.id]), None))
                except (SaveError, OSError) as exc:
                    out.append((game, None, problem(exc)))
            return out

        failed: dict[str, tuple[Game, str]] = {}
        for attempt in range(2):
            if attempt:
                await asyncio.sleep(1.0)  # a lock held a moment, a descriptor freed
            failed = {}
            for game, path, why in await asyncio.to_thread(write, todo):
                if why is None:
                    self._saved.add(game.id)
                    if path is not None:
                        self.saved_games.append(path)
                else:
                    failed[game.id] = (game, why)
            todo = [game for game in todo if game.id in failed]
            if not todo:
                break
        self.save_failures = [
            f"{clean(game.player)}'s game: {why}" for game, why in failed.values()
        ]
        if failed:
            more = f" (and {len(failed) - 1} more)" if len(failed) > 1 else ""
            self._save_failed(f"{self.save_failures[0]}{more}")
        await self.save_record()
