"""The live room as a pure state machine: lobby, question, reveal, end.

Nothing here reads a clock, a socket or a file: the server passes the time in
(`now`, in seconds from any fixed point) and turns what comes back into
frames. Each player plays an ordinary `quiz.game.Game`, so the speed scoring
and streaks are the game's own, and each game saves as any other game does.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import replace
from typing import Any

from quiz.game.play import (
    Answer,
    Game,
    points_for,
)
from quiz.names import PlayerName
from quiz.questions.question import Question
from quiz.room.forms import fitted
from quiz.room.players import (
    EXTRA_MAX,
    EXTRA_MIN,
    EXTRA_STEPS,
    Player,
    check_room_name,
    own_limit,
    token_hash,
)
from quiz.room.results import Results
from quiz.room.wire import RoomError

# An answer keeps its time to 1/100 s (Game.answer rounds it), but its points
# came from the exact time: a recorded time stands for any within half a step.
HALF_STEP = 0.005 + 1e-9
# With no timer the host's Enter closes a question; an Enter this soon after the
# question opened is the second of a double press (the one that started the game
# or moved on from a reveal), not a decision to close: it is ignored.
ENTER_QUIET = 1.0


class Room(Results):
    """One room: the questions, the players, and where the game is; the phases that move it."""

    # -- joining and leaving

    def join(
        self, name: str, token: str | None = None, team: str | None = None
    ) -> tuple[Player, bool]:
        """Add a player, or take one back by token; returns (player, rejoined).

        ``team``: the team they pick (a name or a number), in a room with teams.
        """
        if token:
            player = self.players.get(token) or self._restored(token)
            if player is not None:
                if player.removed:
                    raise RoomError("removed", "the host removed you from this room")
                player.connected = True
                if (
                    self.phase == "question"
                    and player.plays(self.index)
                    and player.answer_for(self.index) is None
                ):
                    self.waiting.add(player.token)
                return player, True
        kept = check_room_name(name)
        if self.phase == "end":
            raise RoomError("not-open", "this game is over; no one can join now")
        if self.locked:
            raise RoomError("locked", "the host has locked the room; no one else can join")
        if self.by_name(kept) is not None:
            raise RoomError("name-taken", f"someone in the room is already called {kept!r}")
        if self.active_count() >= self.max_players:
            raise RoomError("full", f"the room is full ({self.max_players} players)")
        picked = None
        if self.teams:
            if team and self.team_mode == "pick":
                picked = self.team_named(team)
            elif self.team_mode == "auto" or self.phase != "lobby":
                picked = self.smallest_team()
        # Joining during a question plays it, with the time it has left (as Kahoot
        # lets a late joiner); joining during a reveal plays from the next one.
        first = {"lobby": 0, "question": self.index}.get(self.phase, self.index + 1)
        extra = self.extra_time.pop(PlayerName.of(kept).key, ("", 1.0))[1]
        game = Game(
            list(self.questions[first:]),
            player=kept,
            deck_id=self.deck_id,
            deck_title=self.deck_title,
            seed=self.seed,
            timer=own_limit(self.timer, extra),  # the player's own limit (extra time)
            mode="live",
            scoring=self.scoring,
        )
        new = self.token_factory()
        player = Player(name=kept, token=new, game=game, first=first, team=picked, extra=extra)
        self.players[new] = player
        self.version += 1
        self._seated(player)
        if self.phase == "question":
            self.playing_now += 1
            self.waiting.add(new)
        return player, False

    def _restored(self, token: str) -> Player | None:
        """A player restored from the room's record, found by the hash of their token."""
        key = "sha256:" + token_hash(token)
        player = self.players.pop(key, None)
        if player is not None:
            player.token = token
            self.players[token] = player
            self.waiting.discard(key)
            self.version += 1
            self._roster += 1  # the seat moved to the end of `players`
            for ranks in (self.last_ranks, self.previous_ranks):
                if key in ranks:
                    ranks[token] = ranks.pop(key)
        return player

    def leave(self, token: str) -> None:
        """A player's connection dropped; they may come back with their token."""
        player = self.players.get(token)
        if player is not None:
            player.connected = False
            self.waiting.discard(token)

    def remove(self, name: str) -> Player:
        """The host removes a player: the name is freed and the token stops working."""
        player = self.by_name(name)
        if player is None:
            raise RoomError("bad-name", f"no player called {name!r} in the room")
        if self.phase == "question" and player.plays(self.index):
            self.playing_now -= 1
            if player.answer_for(self.index) is not None:
                self.answers_now -= 1
        player.removed = True
        player.connected = False
        self.waiting.discard(player.token)
        self.version += 1
        self._roster += 1
        return player

    # -- the game

    def start(self, now: float) -> Question:
        if self.phase != "lobby":
            raise RoomError("not-open", "the game has already started")
        if not self.active:
            raise RoomError("not-open", "nobody has joined yet")
        if self.teams:
            self._share_out()
        return self._open(0, now)

    def _open(self, index: int, now: float) -> Question:
        for player in self.active:  # extra time set during the game applies from now on
            if player.extra_next is not None and player.take_extra(self.timer):
                self.version += 1
        self.index = index
        self.phase = "question"
        self.opened_at = now
        self.recount()
        return self.questions[index]

    def reopen(self, now: float) -> None:
        """Open the question again after a resume, with the time it had left."""
        if self.phase != "question":
            return
        self.opened_at = now - self.resumed_after
        self.recount()

    def elapsed(self, now: float) -> float:
        """Seconds the open question has run (its timer's length at most)."""
        if self.phase != "question":
            return 0.0
        ran = max(0.0, now - self.opened_at)
        longest = self.longest_limit()  # a player with extra time has more than the timer
        return ran if longest is None else min(ran, float(longest))

    def host_may_close(self, now: float) -> bool:
        """Whether the host's Enter closes the open question now (not in its first moment)."""
        return self.phase == "question" and now - self.opened_at >= ENTER_QUIET

    def host_may_advance(self, now: float) -> bool:
        """Whether the host's Enter moves on from the reveal now (not in its first moment).

        The second Enter of a double press that closed the question would
        otherwise skip the reveal nobody has seen.
        """
        return self.phase == "reveal" and now - self.revealed_at >= ENTER_QUIET

    def recount(self) -> None:
        """Work out the open question's counts afresh (on opening it, or after a resume)."""
        playing = self.playing()
        answered = [p for p in playing if p.answer_for(self.index) is not None]
        self.playing_now = len(playing)
        self.answers_now = len(answered)
        self.waiting = {
            p.token for p in playing if p.connected and p.answer_for(self.index) is None
        }

    def seconds_left(self, now: float) -> float | None:
        if self.phase != "question" or self.timer is None:
            return None
        return max(0.0, self.opened_at + self.timer - now)

    def expired(self, now: float) -> bool:
        """Time is up for the question: for everyone, and for each player still to answer
        with extra time of their own."""
        left = self.closes_in(now)
        return left is not None and left <= 0

    # -- extra time (issue 26 item 4)

    def limit_of(self, player: Player) -> int | None:
        """A player's own time limit for a question: the timer times their extra time."""
        return own_limit(self.timer, player.extra)

    def longest_limit(self) -> int | None:
        """The longest time limit of anyone in the room (the timer when nobody has extra)."""
        if self.timer is None:
            return None
        return max(
            [self.timer, *(own_limit(self.timer, p.extra) or 0 for p in self.extra_players())]
        )

    def extra_players(self) -> list[Player]:
        return [p for p in self.active if p.extra != 1]

    def seconds_left_for(self, token: str, now: float) -> float | None:
        """The time the open question has left for this player (their own limit)."""
        player = self.players.get(token)
        limit = None if player is None else self.limit_of(player)
        if self.phase != "question" or limit is None:
            return self.seconds_left(now)
        return max(0.0, self.opened_at + limit - now)

    def closes_in(self, now: float) -> float | None:
        """Seconds until the question closes by time: the timer's end, or later while a
        player with extra time who has still to answer has some left (None: untimed)."""
        left = self.seconds_left(now)
        if left is None or left > 0:
            return left
        # Past the timer: only players with extra time can still be waited for.
        return max(
            [0.0, *(self.seconds_left_for(p.token, now) or 0.0 for p in self.extra_waited())]
        )

    def extra_waited(self) -> list[Player]:
        """Players with extra time who play the open question and have not answered it:
        away ones too (a resumed room's players are all away until they rejoin)."""
        return [
            p
            for p in self.extra_players()
            if p.plays(self.index) and p.answer_for(self.index) is None
        ]

    def extra_after_timer(self) -> float:
        """How long the question stays open after its timer's end: the longest extra time
        of the players still to answer (0: it closes with the timer)."""
        if self.timer is None:
            return 0.0
        limits = [self.limit_of(p) or 0 for p in self.extra_waited()]
        return float(max([self.timer, *limits]) - self.timer)

    def set_extra(self, name: str, times: float) -> Player | None:
        """Extra time for ``name``: at once for a player in the lobby, or when a player of
        that name joins (`--extra-time`); returns the player when they are in."""
        if not EXTRA_MIN <= times <= EXTRA_MAX:
            raise RoomError("bad-message", "extra time is a multiplier from 1 to 4")
        player = self.by_name(name)
        if player is None:
            key = PlayerName.of(check_room_name(name)).key
            if times == 1:
                self.extra_time.pop(key, None)
            else:
                self.extra_time[key] = (check_room_name(name), times)
            return None
        if player.game.answers or self.phase != "lobby":
            # The game is on: from the player's next question (their current one's time,
            # sent to their phone and counted in their points, stays as it was).
            player.extra_next = None if times == player.extra else times
            self.version += 1
            return player
        player.extra = times
        player.game.timer = own_limit(self.timer, times)
        self.version += 1
        return player

    def cycle_extra(self, name: str) -> Player | None:
        """The host's `x` in the lobby: 1x, 1.5x, 2x, then back to 1x."""
        player = self.by_name(name)
        if player is None:
            return None
        current = player.extra if player.extra_next is None else player.extra_next
        nxt = next((t for t in EXTRA_STEPS if t > current), EXTRA_STEPS[0])
        return self.set_extra(player.name, nxt)

    def playing(self) -> list[Player]:
        """Players who play the current question."""
        return [p for p in self.active if p.plays(self.index)]

    def answered_count(self) -> tuple[int, int]:
        """(answered, players) for the current question, as the host shows `answered K/N`."""
        return self.answers_now, self.playing_now

    def all_answered(self) -> bool:
        """Every connected player has answered (and at least one is connected)."""
        if self.phase != "question" or self.waiting:
            return False
        return any(p.connected for p in self.playing())

    def answer(
        self,
        token: str,
        question: int,
        choice: int | None,
        now: float,
        *,
        text: str | None = None,
        value: int | None = None,
        order: Sequence[int] | None = None,
    ) -> Answer:
        """A player's answer to question ``question`` (1-based); only the first one counts.

        One of ``choice``, ``text``, ``value`` or ``order``, the one the question's
        kind takes (`fitted`); the verdict is the game's own (`Game.answer`).
        """
        player = self.in_room(token)
        if self.phase != "question" or question != self.index + 1:
            raise RoomError("not-open", f"question {question} is not open for answers")
        if not player.plays(self.index):
            raise RoomError("not-open", "you joined after this question; you play from the next")
        limit = self.limit_of(player)  # their own: the timer, times their extra time
        if limit is not None and now - self.opened_at >= limit:
            raise RoomError("not-open", "time is up for this question")
        if player.answer_for(self.index) is not None:
            raise RoomError("already-answered", "only your first answer counts")
        result = self.judged(
            player, self.index, self.opened_at, now, choice, text=text, value=value, order=order
        )
        self.answers_now += 1
        self.waiting.discard(token)
        return result

    def judged(
        self,
        player: Player,
        index: int,
        opened: float,
        now: float,
        choice: int | None,
        *,
        text: str | None = None,
        value: int | None = None,
        order: Sequence[int] | None = None,
    ) -> Answer:
        """``player``'s answer to question ``index`` (0-based), open since ``opened``: the
        field its kind takes (`fitted`), the time capped at their own limit, the game's verdict."""
        text = fitted(self.questions[index], index + 1, choice, text, value, order)
        seconds = now - opened
        if (limit := self.limit_of(player)) is not None:
            seconds = min(seconds, float(limit))
        return self._score(player, choice, seconds, text=text, value=value, order=order)

    def _score(
        self,
        player: Player,
        choice: int | None,
        seconds: float,
        *,
        text: str | None = None,
        value: int | None = None,
        order: Sequence[int] | None = None,
    ) -> Answer:
        self.version += 1
        # The game's own rule, by the room's scoring (each player's game has it).
        return player.game.answer(choice, seconds, text=text, value=value, order=order)

    def rescore(
        self,
        player: Player,
        choice: int | None,
        seconds: float,
        points: int,
        *,
        text: str | None = None,
        value: int | None = None,
        order: Sequence[int] | None = None,
    ) -> Answer:
        """An answer from the room's record judged again by the rules, for a resume.

        The verdict is always the rules' own (`_score`, as when it was given).
        The recorded ``points`` stand only if the rules give them for a time that
        rounds to ``seconds``; otherwise the answer keeps the points the rules
        give, and the caller sees they differ from the record.
        """
        result = self._score(player, choice, seconds, text=text, value=value, order=order)
        if result.points != points and result.correct and self.scoring == "speed":
            streak = player.game.streak  # this answer's, as Game.answer counted it
            late = points_for(True, seconds + HALF_STEP, player.game.timer, streak)
            early = points_for(True, seconds - HALF_STEP, player.game.timer, streak)
            if late <= points <= early:
                result = replace(result, points=points)
                player.game.answers[-1] = result
        return result

    def close(self, now: float) -> None:
        """Close the question: everyone who has not answered gets no answer, then the reveal."""
        if self.phase != "question":
            raise RoomError("not-open", "no question is open")
        for player in self.playing():
            if player.answer_for(self.index) is None:
                limit = self.limit_of(player)
                seconds = now - self.opened_at if limit is None else float(limit)
                self._score(player, None, seconds)
        self.phase = "reveal"
        self.revealed_at = now
        self.waiting = set()
        self.previous_ranks = self.last_ranks
        self.last_ranks = {s.token: s.place for s in self.ranked()}

    def advance(self, now: float) -> Question | None:
        """From a reveal to the next question, or to the end (None)."""
        if self.phase != "reveal":
            raise RoomError("not-open", "there is no reveal to move on from")
        if self.index + 1 < self.count:
            return self._open(self.index + 1, now)
        self.phase = "end"
        return None

    # -- the room's own record

    def record(self, now: float | None = None) -> dict[str, Any]:
        """The room as saved (no nulls: absent means none): code, seed, players, every answer.

        ``now`` (the server's clock) gives how long the open question has run,
        so a resumed room reopens it with the time it had left.
        """
        players = []
        answers: list[dict[str, Any]] = []
        for seat, p in enumerate(self.players.values()):
            players.append(
                {
                    "name": p.name,
                    "token_sha256": p.token_sha256(),
                    "first": p.first + 1,
                    "removed": p.removed,
                    "game": p.game.id,
                    "score": p.game.score,
                }
                | ({"team": p.team} if p.team is not None else {})
                | ({"extra": p.extra} if p.extra != 1 else {})
                | ({"extra_next": p.extra_next} if p.extra_next is not None else {})
            )
            answers += p.answer_entries(seat, self.round_of if self.rounds else None)
        record: dict[str, Any] = {
            "format": 1,
            "code": self.code,
            "seed": self.seed,
            "deck": self.deck_id,
            "deck_title": self.deck_title,
            "count": self.count,
            "timer": self.timer or 0,
            "scoring": self.scoring,
            "started": self.started,
            "phase": self.phase,
            "question": self.index + 1,
            "questions": [q.id for q in self.questions],
            "kinds": list(self.kinds),
            "players": players,
            "answers": answers,
            # Players each question asked so far had (added in issue 23; checked on resume).
            "present": self.present_counts()[: self.index + 1],
        }
        if self.rounds:  # issue 26
            record["rounds"] = [{"title": r.title, "count": r.count} for r in self.rounds]
        if self.teams:
            record["teams"] = list(self.teams)
            record["team_mode"] = self.team_mode
        if self.extra_time:  # issue 26: extra time for players not in the room yet
            record["extra_time"] = [{"name": n, "times": t} for n, t in self.extra_time.values()]
        if self.phase == "question" and now is not None:
            record["elapsed"] = round(self.elapsed(now), 2)
        return record
