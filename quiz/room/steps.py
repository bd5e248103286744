"""A host-paced room's steps: open, close, reveal, the boards, the end, and their frames.

The room (quiz.room.state) decides; these steps move it on (the host's
actions, a question's timer, everyone having answered) and build the frames
each step sends (quiz.room.protocol). Saves and the driver's state are
`quiz.room.saving`'s; a self-paced room's own steps are `quiz.room.driver`'s.
"""

from __future__ import annotations

import gc
from collections.abc import Iterable

from quiz.room import protocol as p
from quiz.room.forms import credit_of, given, nothing_given, off_of
from quiz.room.outgoing import Asked, Board, End, RoomFrame, RoundCard, TeamBoard
from quiz.room.players import Player
from quiz.room.saving import RoomSaves
from quiz.room.state import Room
from quiz.room.wire import RoomError
from quiz.text import clean

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


class LiveSteps(RoomSaves):
    """The steps every room takes with its host: the phases, the timers, the frames."""

    # `quiz host` (one room a process) sets it: when the game starts, what the lobby
    # built (every player, socket and buffer: 300,000 objects at 3,000 players) goes to
    # the collector's permanent generation until the end, so no full collection walks
    # it again mid-game (130 ms at 3,000, landing on a reveal or a record write). Off
    # in a process that holds other things (the tests), where it would keep their
    # cycles alive.
    freeze_gc = False

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

    async def maybe_close(self) -> None:
        if self.stopping:
            return
        room = self.room
        if room.phase == "question" and (room.all_answered() or room.expired(self.clock())):
            # expired: the last player with extra time has answered after the timer's end
            await self.close_question()

    def reveal_texts(
        self, tokens: Iterable[str], index: int | None = None
    ) -> list[tuple[str, RoomFrame | str]]:
        """The reveal of each of ``tokens`` who plays the question: the one way a reveal is built.

        The shared part is serialised once (`protocol.reveal_texts`), so a
        player costs O(1); a player back mid-reveal gets it from here too.
        ``index``: the question (0-based) when not the room's own (a self-paced player's).
        """
        room = self.room
        index = room.index if index is None else index
        asked = room.questions[index]
        text = p.reveal_texts(
            index + 1, asked, room.active_count(), room.round_of(index), room.round_count
        )
        ranks = room.last_ranks
        out: list[tuple[str, RoomFrame | str]] = []
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

    def end_frame(self, token: str, podium: list[tuple[str, int, int]] | None = None) -> End:
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
                    raise RoomError("not-open", "nobody has joined yet")
                await self._card()
                return
            self.room.start(self.clock())
            if self.freeze_gc:
                gc.freeze()  # no gc.collect() first: 150 ms now, the moment Enter is pressed
            await self._open()

    def round_frame(self) -> RoundCard | None:
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

    def question_frame(self, left: float | None) -> Asked:
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

    def team_frame(self) -> TeamBoard | None:
        """The teams' standings (mean of members' counted scores), in a room with teams."""
        if not self.room.teams:
            return None
        return p.team_board(
            [(t.name, t.score, t.place, t.players) for t in self.room.team_standings()]
        )

    def shows_overall(self) -> bool:
        """Whether the game's leaderboard goes out after the question just revealed."""
        return boards(self.room, self.leaderboard)[1]

    def round_board(self) -> Board | None:
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

    def after_reveal(self) -> list[RoomFrame]:
        """What every phone gets after a reveal: the round's board, the game's, the teams'."""
        out: list[RoomFrame] = []
        if (board := self.round_board()) is not None:
            out.append(board)
        if self.shows_overall():
            out.append(self.leaderboard_frame())
        if (teams := self.team_frame()) is not None:
            out.append(teams)
        return out

    def leaderboard_frame(self) -> Board:
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
        if self.freeze_gc:
            gc.unfreeze()  # the game is over: the collector as usual
        self.notify("end")

    def set_locked(self, locked: bool) -> None:
        self.room.locked = locked
        self.notify("lock")
