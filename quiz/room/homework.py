"""Self-paced homework (`quiz host --self-paced`, issue 26): the room's questions at each player's pace.

Every player plays the same seeded questions as the paced room would ask,
from the first, as soon as they join: their reveal follows their answer (or
their own timer), and their next question follows a few seconds later, or at
once when they ask for it. The room is open until its deadline (`until`) or
until the host ends it; then every game is finished and saved as the paced
room's are.

Like `Room`, nothing here reads a clock: ``now`` comes in from the driver.
The room's ``phase`` is "question" while the homework is open (the game is on,
so a join plays at once) and "end" after; ``index`` stays 0, so a join plays
from the first question. Where each player is lives in their `Pace`.
"""

from __future__ import annotations

import heapq
from bisect import bisect_left, insort
from collections.abc import Sequence
from dataclasses import dataclass, field
from datetime import datetime
from typing import Any, Literal

from quiz.game.play import Answer
from quiz.questions.question import Question
from quiz.room.players import Player
from quiz.room.roster import Standing
from quiz.room.state import Room
from quiz.room.wire import Phase, RoomError

NEXT_AFTER = 5.0  # seconds from a player's reveal to their next question, unless they ask sooner
Step = Literal["question", "reveal", "done"]
EARLY_PODIUM = 5  # the most a player done early is shown of the best so far


@dataclass
class Pace:
    """Where one player is: their question (0-based), and whether it is open or revealed."""

    index: int = 0
    step: Step = "question"
    opened_at: float | None = None  # None: not sent yet (or not since a resume)
    revealed_at: float = 0.0
    ran: float = 0.0  # seconds the question had run when the room stopped (a resume)


@dataclass(frozen=True)
class GridRow:
    """One player on the host's live grid."""

    name: str
    team: str | None
    at: int  # 1-based question they are on (the last one, once done)
    step: Step
    score: int
    correct: int
    answered: int
    connected: bool
    extra: float = 1.0  # their extra time (the one to come, when set during the game)


@dataclass
class Homework(Room):
    """A room whose players each go through the questions at their own pace."""

    until: datetime | None = None  # the deadline, an aware wall-clock time; None: the host ends it
    deadline: float | None = None  # the same on the room's clock (set by the driver)
    paces: dict[str, Pace] = field(default_factory=dict)  # by game id: a token changes on resume
    # Resumed from a record whose homework had closed with games still to save: it closes again.
    closed: bool = False
    # Every player's score, negated and sorted, kept as answers come in: a player's place is
    # one look-up (each reveal says it; ranking 1,000 players on every answer was O(N^2)).
    _board: list[int] = field(default_factory=list, repr=False)

    def __post_init__(self) -> None:
        super().__post_init__()
        if self.rounds:
            raise ValueError("a self-paced room has no rounds")
        if self.phase == "lobby":
            self.phase = "question"  # open at once: players start on joining
            self.index = 0

    # -- where each player is

    def pace(self, player: Player) -> Pace:
        return self.paces.setdefault(player.game.id, Pace())

    def over(self, now: float) -> bool:
        """The deadline has passed (the driver then ends the room)."""
        return self.deadline is not None and now >= self.deadline

    def welcome_phase(self, player: Player) -> Phase:
        """What a player's welcome says: their own step (a done player's game is over; one
        still to pick a team is in their own lobby)."""
        if self.phase == "end":
            return "end"
        if self.to_pick(player):
            return "lobby"
        step = self.pace(player).step
        return "end" if step == "done" else step

    def to_pick(self, player: Player) -> bool:
        """The player has still to pick a team (`--teams N`): their first question waits."""
        return bool(self.teams) and self.team_mode == "pick" and player.team is None

    def open_for(self, token: str, now: float) -> Question:
        """Send (or send again) the player's question: its time runs from its first sending."""
        player = self.players[token]
        pace = self.pace(player)
        if pace.step != "question":
            raise RoomError("not-open", "no question is open for you")
        if self.to_pick(player):
            raise RoomError("not-open", "pick your team first: your first question follows")
        if pace.opened_at is None:
            if pace.ran == 0 and player.take_extra(self.timer):  # extra time set meanwhile
                self.version += 1
            pace.opened_at = now - pace.ran
            pace.ran = 0.0
        return self.questions[pace.index]

    def pace_seconds_left(self, player: Player, now: float) -> float | None:
        pace = self.pace(player)
        limit = self.limit_of(player)  # the timer, times their extra time
        if pace.step != "question" or limit is None:
            return None
        opened = now if pace.opened_at is None else pace.opened_at
        return max(0.0, opened + limit - now)

    def ran_for(self, player: Player, now: float) -> float:
        """Seconds the player's open question has run (its timer's length at most)."""
        pace = self.pace(player)
        if pace.step != "question":
            return 0.0
        if pace.opened_at is None:
            return pace.ran
        ran = max(0.0, now - pace.opened_at)
        limit = self.limit_of(player)
        return ran if limit is None else min(ran, float(limit))

    def expired_for(self, player: Player, now: float) -> bool:
        left = self.pace_seconds_left(player, now)
        return left is not None and left <= 0 and self.pace(player).opened_at is not None

    # -- a player's steps

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
        """The player's answer to their own open question (1-based); it is revealed at once."""
        player = self.in_room(token)
        if self.phase == "end" or self.over(now):
            raise RoomError("not-open", "the homework has closed")
        pace = self.pace(player)
        if pace.step != "question" or pace.opened_at is None or question != pace.index + 1:
            raise RoomError("not-open", f"question {question} is not open for you")
        if self.expired_for(player, now):
            raise RoomError("not-open", "time is up for this question")
        result = self.judged(
            player, pace.index, pace.opened_at, now, choice, text=text, value=value, order=order
        )
        pace.step = "reveal"
        pace.revealed_at = now
        return result

    def close_for(self, token: str, now: float) -> Answer | None:
        """The player's time ran out: no answer, then their reveal. None if not on a question."""
        player = self.players[token]
        pace = self.pace(player)
        if pace.step != "question" or self.phase == "end":
            return None
        result = self._score(player, None, float(self.limit_of(player) or 0))
        pace.step = "reveal"
        pace.revealed_at = now
        return result

    def next_for(self, token: str) -> Question | None:
        """From the player's reveal to their next question (None: they have played them all)."""
        player = self.players[token]
        pace = self.pace(player)
        if pace.step != "reveal" or self.phase == "end":
            raise RoomError("not-open", "there is no reveal to move on from")
        if pace.index + 1 < self.count:
            pace.index += 1
            pace.step = "question"
            pace.opened_at = None
            return self.questions[pace.index]
        pace.step = "done"
        return None

    def finish(self) -> None:
        """The homework closes: every started game gets no answer for what is left, then the end."""
        for player in self.active:
            pace = self.pace(player)
            if player.game.answers and not player.game.finished:
                while not player.game.finished:
                    self._score(player, None, float(self.limit_of(player) or 0))
            pace.index = self.count - 1
            pace.step = "done"
        self.phase = "end"
        self.index = self.count - 1
        self.last_ranks = {s.token: s.place for s in self.ranked()}

    # -- places, without ranking everyone on every answer

    def _scores(self) -> list[int]:
        if len(self._board) != self.active_count():  # a removal, or seats from a record
            self._board = sorted(-p.game.score for p in self.active)
        return self._board

    def join(
        self, name: str, token: str | None = None, team: str | None = None
    ) -> tuple[Player, bool]:
        kept = len(self._board) == self.active_count()
        player, rejoined = super().join(name, token, team)
        if not rejoined and not team and self.team_mode == "pick":
            # No lobby for the whole room: a player who named no team picks one on their
            # own (the phone's team buttons, `quiz join`'s prompt); their first question waits.
            player.team = None
        if kept and not rejoined:
            insort(self._board, 0)
        return player, rejoined

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
        board = self._scores()
        before = player.game.score
        result = super()._score(player, choice, seconds, text=text, value=value, order=order)
        if not player.removed:
            del board[bisect_left(board, -before)]
            insort(board, -player.game.score)
        return result

    def rescored(self) -> None:
        """Scores were set from outside `_score` (a resume's recorded points): count afresh."""
        self._board = []
        self._scores()

    def rank_of(self, token: str) -> int:
        """A player's place so far (ties share one, 1, 1, 3); at the end, the final ranking's."""
        if self.phase == "end":
            return super().rank_of(token)
        return bisect_left(self._scores(), -self.players[token].game.score) + 1

    def podium(self) -> list[Standing]:
        """The best so far, at most `EARLY_PODIUM` of them (a player done early sees it), found
        without ranking everyone; at the end, the final podium."""
        if self.phase == "end":
            return super().podium()
        board = self._scores()
        top = heapq.nsmallest(
            EARLY_PODIUM,
            self.active,
            key=lambda p: (-p.game.score, -p.game.correct, p.name.casefold()),
        )
        return [
            Standing(p.name, score, p.game.correct, place, None, p.token)
            for p in top
            if (place := bisect_left(board, -(score := p.game.score)) + 1) <= 3
        ]

    # -- what the room's other rules see

    def start(self, now: float) -> Question:
        raise RoomError("not-open", "in a self-paced room players start on joining")

    def all_answered(self) -> bool:
        return False  # no question is the whole room's

    def expired(self, now: float) -> bool:
        # Each player's own timer closes their question (the driver's `_paced_expire`); the
        # room's `opened_at` means nothing here, and a player leaving must not close the room.
        return False

    def counted_score(self, player: Player) -> float:
        """Everyone plays every question from the first: a team counts its players' scores."""
        return float(player.game.score)

    def grid(self) -> list[GridRow]:
        """Every player: the question they are on, and how they are doing (the host's grid)."""
        out = []
        for p in self.active:
            pace = self.pace(p)
            out.append(
                GridRow(
                    p.name,
                    p.team,
                    pace.index + 1,
                    pace.step,
                    p.game.score,
                    p.game.correct,
                    len(p.game.answers),
                    p.connected,
                    p.extra if p.extra_next is None else p.extra_next,
                )
            )
        return out

    def done_count(self) -> int:
        return sum(1 for p in self.active if self.pace(p).step == "done")

    def present_counts(self) -> list[int]:
        """How many players each question had: those who got that far (every player who
        started, once the homework has closed: what is left counts as no answer)."""
        out = [0] * self.count
        for p in self.active:
            reached = len(p.game.answers)
            for k in range(min(reached, self.count)):
                out[k] += 1
        return out

    # -- the room's own record

    def record(self, now: float | None = None) -> dict[str, Any]:
        """The paced room's record, with the deadline and where each player is."""
        record = super().record(now)
        record["self_paced"] = True
        record.pop("elapsed", None)
        record["present"] = []
        if self.until is not None:
            record["until"] = self.until.isoformat(timespec="seconds")
        for entry, p in zip(record["players"], self.players.values(), strict=True):
            pace = self.pace(p)
            entry["at"] = pace.index + 1
            entry["step"] = pace.step
            if pace.step == "question" and now is not None:
                entry["elapsed"] = round(self.ran_for(p, now), 2)
        return record


# -- the host's words for the grid (both host screens say them)


def step_words(row: GridRow, count: int) -> str:
    """Where a player is: "question 2 of 10", "answered 2 of 10", "done"."""
    if row.step == "done":
        return "done"
    return f"{'question' if row.step == 'question' else 'answered'} {row.at} of {count}"


def step_short(row: GridRow, count: int) -> str:
    """The grid's few letters for it: "on Q2/10" (open), "did Q2/10" (revealed), "done"."""
    if row.step == "done":
        return "done"
    return f"{'on' if row.step == 'question' else 'did'} Q{row.at}/{count}"


def until_words(until: datetime | None) -> str:
    """When the homework closes, in this machine's local time ("until 2026-12-10 18:00")."""
    if until is None:
        return "until the host ends it"
    return f"until {until.astimezone():%Y-%m-%d %H:%M}"
