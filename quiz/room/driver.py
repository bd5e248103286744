"""The room's driver: its phases, timers and saves, whatever carries the frames.

The room (quiz.room.state) decides; the driver moves it on (the host's
actions, a question's timer, everyone having answered), builds the frames
each step sends (quiz.room.protocol), and keeps the room's record and the
players' games on disk: a record written soon after answers come in, never on
every one. The transport (quiz.room.server: HTTP, WebSocket, limits) sends the
frames, through `seated`, `send_to` and `broadcast`.

Time comes in from outside, as the game's does: ``clock`` is read for every
judgement and ``schedule`` runs a callback later (the loop's `call_later` by
default), so a test moves time by hand and fires timers when it chooses.
"""

from __future__ import annotations

import asyncio
import json
import time
from collections.abc import Callable, Iterable
from datetime import UTC, datetime
from pathlib import Path
from typing import Any, Literal, Protocol

from quiz.game.play import Game, now_utc
from quiz.room import protocol as p
from quiz.room.forms import credit_of, given, nothing_given, off_of
from quiz.room.homework import NEXT_AFTER, Homework
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

# What both host front ends say when host_close ignores an Enter.
JUST_OPENED = "The question has just opened: Enter again closes it."
JUST_REVEALED = "The answer has just been shown: Enter again goes on."


def extra_said(name: str, times: float, later: bool = False) -> str:
    """What both host front ends say when a player's extra time is set (issue 26);
    ``later``: set during the game, it applies from the player's next question."""
    if later:
        return f"{clean(name)}: {times:g}x the time from their next question."
    if times == 1:
        return f"{clean(name)}: the usual time."
    return f"{clean(name)}: {times:g}x the time on every question."


def boards(room: Room, leaderboard: str) -> tuple[int | None, bool]:
    """Which boards follow the question just revealed: (the round whose own top 5 shows,
    or None; whether the game's top 5 shows). The one rule, for phones and both host screens.

    ``each``: the game's after every question; ``round``: the game's only after a
    round's last question (between rounds, and at the end); ``end``: only at the
    end (the driver sends it then); ``off``: never. With rounds, each round's own
    board follows its last question, unless ``off``.
    """
    ended = room.round_ended()
    own = ended if leaderboard != "off" else None
    overall = leaderboard == "each" or (leaderboard == "round" and ended is not None)
    return own, overall


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


class RoomDriver:
    """One room's steps, timers and saves; a transport subclasses it to send the frames."""

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

    async def send_to(self, items: list[tuple[str, p.RoomFrame | str]]) -> None:
        """Each frame (or its text) to the player with that token."""

    async def broadcast(self, frame: p.RoomFrame) -> None:
        """One frame to every seated player."""

    # -- running

    async def resume(self) -> None:
        """A room resumed mid-question opens it again with the time it had left, its answers kept."""
        if self.homework is not None:
            await self.paced_start()
            return
        if self.room.phase == "question":
            async with self._step:
                self.room.reopen(self.clock())
                await self._open()

    async def flush(self) -> None:
        """The room is closing: no timer fires, and what a debounced write had still to keep is kept."""
        self.stopping = True
        if self._timer is not None:
            self._timer.cancel()
        self._cancel_paced()
        if self._save_pending:
            self._save_pending = False
            await self.save_record()

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
                self.record_path = folder / f"{stamp}-{self.room.code}.json"
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

    async def pick_team(self, token: str, team: str) -> str:
        """A player picks their team (the room's rule); the lobby shows it."""
        picked = self.room.pick_team(token, team)
        self.save_soon(1.0)
        self.notify("team")
        return picked

    def set_extra(self, name: str, times: float | None) -> Player | None:
        """Extra time for a player (the host's `x`: ``times`` None cycles 1x, 1.5x, 2x), kept
        in the record; a name not in the room gets it on joining. RoomError in the game."""
        player = self.room.cycle_extra(name) if times is None else self.room.set_extra(name, times)
        self.save_soon(1.0)
        self.notify("extra")
        return player

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

    def lobby_soon(self, delay: float = 0.25) -> None:
        """The lobby's names to everyone, at most four times a second however fast they join."""
        if self._lobby_pending:
            return
        self._lobby_pending = True

        async def send() -> None:
            self._lobby_pending = False
            if self.room.phase == "lobby":
                await self.broadcast(p.lobby(self.room.names()))

        self.schedule(delay, lambda: self.spawn(send()))

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

    async def maybe_close(self) -> None:
        if self.stopping:
            return
        room = self.room
        if room.phase == "question" and (room.all_answered() or room.expired(self.clock())):
            # expired: the last player with extra time has answered after the timer's end
            await self.close_question()

    def reveal_texts(
        self, tokens: Iterable[str], index: int | None = None
    ) -> list[tuple[str, p.RoomFrame | str]]:
        """The reveal of each of ``tokens`` who plays the question: the one way a reveal is built.

        The shared part is serialised once (`protocol.reveal_texts`), so a
        player costs O(1); a player back mid-reveal gets it from here too.
        ``index``: the question (0-based) when not the room's own (a self-paced player's).
        """
        room = self.room
        index = room.index if index is None else index
        asked = room.questions[index]
        text = p.reveal_texts(index + 1, asked, room.active_count())
        ranks = room.last_ranks
        out: list[tuple[str, p.RoomFrame | str]] = []
        for token in tokens:
            player = room.players[token]
            if not player.plays(index):
                continue
            answer = player.answer_for(index)
            out.append(
                (
                    token,
                    text(
                        bool(answer and answer.correct),
                        answer.points if answer else 0,
                        player.game.score,
                        ranks[token] if token in ranks else room.rank_of(token),
                        answer.choice if answer else None,
                        given(asked, answer),
                        None if answer is None else credit_of(answer),
                        None if answer is None else off_of(asked, answer),
                        answer.breakdown.words()
                        if answer and answer.breakdown and answer.points
                        else "",
                        bool(answer and answer.timed_out and nothing_given(answer)),
                    ),
                )
            )
        return out

    def end_frame(self, token: str, podium: list[tuple[str, int, int]] | None = None) -> p.End:
        room = self.room
        game = room.players[token].game
        if podium is None:
            podium = [(s.name, s.score, s.place) for s in room.podium()]
        end = p.end(game.score, room.rank_of(token), game.correct, game.count, podium, game.close)
        if room.phase != "end":  # a self-paced player done before the homework closes
            end = end.model_copy(update={"final": False})
        return end

    # -- the host's actions

    async def begin(self) -> None:
        """Enter in the lobby: the first round's title card (with rounds), then the first question."""
        async with self._step:
            if self.room.card_due() is not None:
                if not self.room.active:
                    raise p.RoomError("not-open", "nobody has joined yet")
                await self._card()
                return
            self.room.start(self.clock())
            await self._open()

    def round_frame(self) -> p.RoundCard | None:
        """The title card up now, if any (a player back mid-card gets it too)."""
        number = self.room.card
        if number is None:
            return None
        return p.round_card(number, self.room.round_count, self.room.round_title(number))

    async def _card(self) -> None:
        """The next round's title card, on the projector and every phone."""
        self.room.show_card(self.clock())
        frame = self.round_frame()
        assert frame is not None
        await self.broadcast(frame)
        self.notify("round")

    def question_frame(self, left: float | None) -> p.Asked:
        room = self.room
        asked = room.questions[room.index]
        return p.question(
            room.index + 1,
            room.count,
            asked,
            left,
            room.round_of(room.index),
            room.round_count,
            with_prompt=self.show_question,
        )

    def team_frame(self) -> p.TeamBoard | None:
        """The teams' standings (mean of members' counted scores), in a room with teams."""
        if not self.room.teams:
            return None
        return p.team_board(
            [(t.name, t.score, t.place, t.players) for t in self.room.team_standings()]
        )

    def shows_overall(self) -> bool:
        """Whether the game's leaderboard goes out after the question just revealed."""
        return boards(self.room, self.leaderboard)[1]

    def round_board(self) -> p.Board | None:
        """The round's own board after its last question (with rounds, unless `off`)."""
        number = boards(self.room, self.leaderboard)[0]
        if number is None:
            return None
        top = self.room.round_standings(number)[:5]
        return p.leaderboard(
            [(s.name, s.score, s.place) for s in top], number, self.room.round_title(number)
        )

    async def _open(self) -> None:
        """Send the open question (with the time it has left: all of it, unless resumed)."""
        room = self.room
        now = self.clock()
        left = room.seconds_left(now)
        text = p.dump(self.question_frame(left))
        await self.send_to(
            [
                (token, text if room.players[token].extra == 1 else self.own_question(token, now))
                for token in self.seated_tokens()
                if room.players[token].plays(room.index)
            ]
        )
        if left is not None:
            index = room.index
            self._timer = self.schedule(left, lambda: self.spawn(self._expire(index)))
        self.save_soon(0.25)  # a crash now resumes at this question, not the last reveal
        self.notify("question")

    def spawn(self, coro: Any) -> None:
        task = asyncio.ensure_future(coro)
        self._tasks.add(task)
        task.add_done_callback(self._tasks.discard)

    def own_question(self, token: str, now: float) -> str:
        """The open question for a player with extra time: their own seconds (issue 26)."""
        return p.dump(self.question_frame(self.room.seconds_left_for(token, now)))

    async def _expire(self, index: int, extra: bool = False) -> None:
        if self.room.phase == "question" and self.room.index == index:
            more = 0 if extra else self.room.extra_after_timer()
            if more > 0:  # the timer's end; a player with extra time, still to answer, has more
                self._timer = self.schedule(more, lambda: self.spawn(self._expire(index, True)))
                return
            await self.close_question()

    async def close_question(self) -> None:
        """Time is up, everyone answered, or (untimed) the host pressed Enter."""
        async with self._step:
            await self._close()

    async def host_close(self) -> bool:
        """The host's Enter on an untimed question; False when ignored.

        An Enter in the question's first moment (`ENTER_QUIET`) is the second
        of a double press, not a decision: it is ignored, so nobody loses a
        question they had no time to see. Both host front ends call this.
        """
        async with self._step:
            if not self.room.host_may_close(self.clock()):
                return False
            await self._close()
            return True

    async def _close(self) -> None:
        room = self.room
        if room.phase != "question":
            return
        if self._timer is not None:
            self._timer.cancel()
            self._timer = None
        room.close(self.clock())
        await self.send_to(self.reveal_texts(self.seated_tokens()))
        for frame in self.after_reveal():
            await self.broadcast(frame)
        self.notify("reveal")
        await self.save_record()

    def after_reveal(self) -> list[p.RoomFrame]:
        """What every phone gets after a reveal: the round's board, the game's, the teams'."""
        out: list[p.RoomFrame] = []
        if (board := self.round_board()) is not None:
            out.append(board)
        if self.shows_overall():
            out.append(self.leaderboard_frame())
        if (teams := self.team_frame()) is not None:
            out.append(teams)
        return out

    def leaderboard_frame(self) -> p.Board:
        return p.leaderboard([(s.name, s.score, s.place) for s in self.room.ranked()[:5]])

    async def advance(self) -> None:
        """Enter on a reveal: the next question, or the end."""
        async with self._step:
            await self._advance()

    async def host_advance(self) -> bool:
        """The host's Enter on a reveal; False when ignored (its first moment, as `host_close`)."""
        async with self._step:
            if not self.room.host_may_advance(self.clock()):
                return False
            await self._advance()
            return True

    async def _advance(self) -> None:
        if self.room.phase != "reveal":
            return
        if self.room.card_due() is not None:
            await self._card()
            return
        if self.room.advance(self.clock()) is not None:
            await self._open()
            return
        if self.leaderboard == "end" or (self.leaderboard == "round" and len(self.room.rounds) < 2):
            await self.broadcast(self.leaderboard_frame())
        if (teams := self.team_frame()) is not None:
            await self.broadcast(teams)
        podium = [(s.name, s.score, s.place) for s in self.room.podium()]
        await self.send_to([(t, self.end_frame(t, podium)) for t in self.seated_tokens()])
        await self.save_games()
        self.notify("end")

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

    def set_locked(self, locked: bool) -> None:
        self.room.locked = locked
        self.notify("lock")

    # -- self-paced homework (quiz.room.homework): each player's own steps

    @property
    def homework(self) -> Homework | None:
        """The room, when it is self-paced homework."""
        return self.room if isinstance(self.room, Homework) else None

    def welcome_phase(self, player: Player) -> p.Phase:
        """What a player's welcome says of where the room is (a self-paced player: where they are)."""
        hw = self.homework
        return self.room.phase if hw is None else hw.welcome_phase(player)

    def welcome_more(self) -> dict[str, Any]:
        """A self-paced room's welcome says so, and when it closes."""
        hw = self.homework
        if hw is None:
            return {}
        return {
            "self_paced": True,
            "until": "" if hw.until is None else hw.until.isoformat(timespec="minutes"),
        }

    async def paced_start(self) -> None:
        """The homework opens, or opens again on a resume: its deadline is armed.

        A record whose homework had closed with games still to save closes it again
        at once (its games are saved, none twice).
        """
        hw = self.homework
        assert hw is not None
        if hw.phase != "question":
            return
        if hw.closed or (hw.until is not None and hw.until <= datetime.now(UTC)):
            await self.end_homework()
            return
        if hw.until is not None:
            left = (hw.until - datetime.now(UTC)).total_seconds()
            hw.deadline = self.clock() + left
            self._deadline_timer = self.schedule(left, lambda: self.spawn(self.end_homework()))

    def _paced_cancel(self, token: str) -> None:
        timer = self._paced_timers.pop(token, None)
        if timer is not None:
            timer.cancel()

    def _cancel_paced(self) -> None:
        for timer in self._paced_timers.values():
            timer.cancel()
        self._paced_timers.clear()
        if self._deadline_timer is not None:
            self._deadline_timer.cancel()
            self._deadline_timer = None

    async def paced_open(self, token: str) -> None:
        """The player's question, to them alone, with their own time left (and their timer)."""
        hw = self.homework
        assert hw is not None
        player = hw.players[token]
        now = self.clock()
        asked = hw.open_for(token, now)
        index = hw.pace(player).index
        left = hw.pace_seconds_left(player, now)
        await self.send_to([(token, p.question(index + 1, hw.count, asked, left))])
        self._paced_cancel(token)
        if left is not None:
            self._paced_timers[token] = self.schedule(
                left, lambda: self.spawn(self._paced_expire(token, index))
            )
        self.save_soon(1.0)
        self.notify("progress")

    async def _paced_expire(self, token: str, index: int) -> None:
        hw = self.homework
        assert hw is not None
        player = hw.players.get(token)
        if player is None or player.removed or self.stopping:
            return
        pace = hw.pace(player)
        if pace.step == "question" and pace.index == index and hw.close_for(token, self.clock()):
            await self.paced_reveal(token)

    async def paced_reveal(self, token: str) -> None:
        """The player's reveal, to them alone, then their next question in `NEXT_AFTER` seconds."""
        hw = self.homework
        assert hw is not None
        player = hw.players[token]
        index = hw.pace(player).index
        self._paced_cancel(token)
        # The reveal alone: the teams' standings come with the results (players are at
        # different questions, so a running mean says little).
        await self.send_to(self.reveal_texts([token], index))
        if player.connected and not self.stopping:
            self._paced_timers[token] = self.schedule(
                NEXT_AFTER, lambda: self.spawn(self._paced_auto(token, index))
            )
        self.save_soon(1.0)
        self.notify("progress")

    async def _paced_auto(self, token: str, index: int) -> None:
        """A reveal's few seconds are up: the next question, if the player is still there."""
        hw = self.homework
        assert hw is not None
        player = hw.players.get(token)
        if player is None or player.removed or not player.connected or self.stopping:
            return
        pace = hw.pace(player)
        if hw.phase != "end" and pace.step == "reveal" and pace.index == index:
            await self.paced_next(token)

    async def paced_next(self, token: str) -> None:
        """The player's next question (their `next` frame, or their reveal's time up), or
        their result once they have played every question."""
        hw = self.homework
        if hw is None:
            raise p.RoomError("not-open", "the host moves this room on to the next question")
        player = hw.players.get(token)
        if player is None or player.removed:
            raise p.RoomError("removed", "you are not in this room")
        if hw.phase == "end":
            raise p.RoomError("not-open", "the homework has closed")
        step = hw.pace(player).step
        if step != "reveal":
            raise p.RoomError(
                "not-open",
                "you have played every question"
                if step == "done"
                else "answer this question first: the next one follows its answer",
            )
        self._paced_cancel(token)
        if hw.next_for(token) is not None:
            await self.paced_open(token)
            return
        if (teams := self.team_frame()) is not None:
            await self.send_to([(token, teams)])
        await self.send_to([(token, self.end_frame(token))])
        self.save_soon(1.0)
        self.notify("progress")

    async def paced_catch_up(self, token: str) -> None:
        """A player joining, or back: their question (with the time it has left), their
        reveal, or their result."""
        hw = self.homework
        assert hw is not None
        player = hw.players[token]
        step = hw.pace(player).step
        if hw.phase != "end" and hw.to_pick(player):
            return  # their first question waits for their team (the welcome's team pick)
        if hw.phase == "end" or step == "done":
            if (teams := self.team_frame()) is not None:
                await self.send_to([(token, teams)])
            await self.send_to([(token, self.end_frame(token))])
        elif step == "reveal":
            await self.paced_reveal(token)
        elif hw.expired_for(player, self.clock()):
            hw.close_for(token, self.clock())  # time ran out while they were away
            await self.paced_reveal(token)
        else:
            await self.paced_open(token)

    async def end_homework(self) -> None:
        """The deadline has passed, or the host ended it: the results to every player
        (the leaderboard, the teams, each one's end), then every game saved."""
        hw = self.homework
        assert hw is not None
        async with self._step:
            if hw.phase == "end":
                return
            self._cancel_paced()
            hw.finish()
            if self.leaderboard != "off":
                await self.broadcast(self.leaderboard_frame())
            if (teams := self.team_frame()) is not None:
                await self.broadcast(teams)
            podium = [(s.name, s.score, s.place) for s in hw.podium()]
            await self.send_to([(t, self.end_frame(t, podium)) for t in self.seated_tokens()])
            await self.save_games()
            self.notify("end")
