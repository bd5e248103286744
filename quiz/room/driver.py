"""The room's driver: a live room's steps with its host, and a self-paced room's own.

The room (quiz.room.state) decides; the driver moves it on. `RoomDriver` is
the whole of it, in three layers: the driver's state and its saves
(quiz.room.saving: the record written soon after answers come in, never on
every one, and the players' games at the end), the steps every room takes
with its host and the frames they send (quiz.room.steps), and here, resuming,
closing, and self-paced homework's steps, each player's own. The transport
(quiz.room.server: HTTP, WebSocket, limits) sends the frames, through
`seated_tokens`, `send_to` and `broadcast`.

Time comes in from outside, as the game's does: ``clock`` is read for every
judgement and ``schedule`` runs a callback later (the loop's `call_later` by
default), so a test moves time by hand and fires timers when it chooses.
"""

from __future__ import annotations

from datetime import UTC, datetime
from typing import Any

from quiz.room import protocol as p
from quiz.room.homework import NEXT_AFTER, Homework
from quiz.room.players import Player
from quiz.room.steps import LiveSteps
from quiz.room.wire import Phase, RoomError


class RoomDriver(LiveSteps):
    """One room's steps, timers and saves; a transport subclasses it to send the frames."""

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

    # -- self-paced homework (quiz.room.homework): each player's own steps

    @property
    def homework(self) -> Homework | None:
        """The room, when it is self-paced homework."""
        return self.room if isinstance(self.room, Homework) else None

    def welcome_phase(self, player: Player) -> Phase:
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
            raise RoomError("not-open", "the host moves this room on to the next question")
        player = hw.in_room(token)
        if hw.phase == "end":
            raise RoomError("not-open", "the homework has closed")
        step = hw.pace(player).step
        if step != "reveal":
            raise RoomError(
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
