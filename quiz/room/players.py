"""A player in the live room: the name rule, the token, extra time, their own game.

A room's name is the save rules' (`quiz.names`) kept short enough for a
projector; a token is the player's way back in, and the record keeps only its
hash; extra time multiplies the question's timer for one player.
"""

from __future__ import annotations

import hashlib
import math
import secrets
from collections.abc import Callable
from dataclasses import dataclass, field
from typing import Any

from quiz.game.play import (
    Answer,
    Game,
)
from quiz.names import BadName, PlayerName
from quiz.names import check as check_name
from quiz.room.wire import RoomError

NAME_MAX = 40  # shown on a projector and a phone; the save rules allow more, a room does not
# Extra time (issue 26 item 4): a player's multiplier of the question's timer, and the
# steps the host's `x` in the lobby cycles through.
EXTRA_MIN, EXTRA_MAX = 1.0, 4.0
EXTRA_STEPS = (1.0, 1.5, 2.0)


def own_limit(timer: int | None, times: float) -> int | None:
    """A player's own time limit: the question's timer times their multiplier, rounded up
    to the whole second (a game's timer is whole seconds: 15 s at 1.5x is 23 s)."""
    if timer is None:
        return None
    return math.ceil(timer * times - 1e-9)


def extra_time_spec(text: str) -> list[tuple[str, float]]:
    """`quiz host --extra-time "Ann=2,Bo=1.5"`: (name, multiplier) pairs; ValueError naming
    the item that is wrong."""
    out: list[tuple[str, float]] = []
    seen: set[str] = set()
    for raw in text.split(","):
        item = raw.strip()
        name, eq, times = item.rpartition("=")
        if not eq or not name.strip():
            raise ValueError(f"{item[:60]!r} is not NAME=MULTIPLIER (Ann=2,Bo=1.5)")
        try:
            kept = check_room_name(name)
        except RoomError as exc:
            raise ValueError(f"{item[:60]!r}: {exc.message}") from None
        number = times.strip().removesuffix("x")
        try:
            value = float(number)
        except ValueError:
            value = math.nan
        if not (EXTRA_MIN <= value <= EXTRA_MAX):  # nan and inf fail this too
            raise ValueError(f"{item[:60]!r}: a multiplier is a number from 1 to 4 (2, 1.5)")
        key = PlayerName.of(kept).key
        if key in seen:
            raise ValueError(f"{kept!r} is named twice")
        seen.add(key)
        out.append((kept, value))
    return out


def new_code() -> str:
    """The room code: 6 random digits from the OS's CSPRNG (never the quiz seed)."""
    return f"{secrets.randbelow(10**6):06d}"


def new_token() -> str:
    return secrets.token_urlsafe(18)


def token_hash(token: str) -> str:
    """What the room's record keeps of a token: enough to check one, never the token."""
    return hashlib.sha256(token.encode()).hexdigest()


def check_room_name(name: str) -> str:
    """A player's name as the room keeps it: the save rules (`quiz.names`), and short enough to show."""
    # A name with an invisible, bidi or control character could pass for
    # another player's on every screen.
    try:
        return check_name(name, limit=NAME_MAX).text
    except BadName as exc:
        hint = "; type a name to join" if exc.empty else ""
        raise RoomError("bad-name", f"the name {exc.problem}{hint}") from None


@dataclass
class Player:
    """One player in the room, with the game they play from their first question on."""

    name: str
    token: str
    game: Game
    first: int  # 0-based index of the first room question this player plays
    connected: bool = True
    removed: bool = False
    team: str | None = None  # one of the room's teams; None: no teams, or not picked yet
    extra: float = 1.0  # extra time: the multiplier of the question's timer (issue 26)
    # Extra time set once the game is on: it applies from the player's next question.
    extra_next: float | None = None
    # The own limit each earlier answer (by its place in the game) had, when the
    # player's extra time changed after it: the record keeps it, a resume scores by it.
    limits: dict[int, int] = field(default_factory=dict, compare=False)
    # The name's comparison forms, worked out once: a join compares with every player.
    who: PlayerName = field(init=False, repr=False, compare=False)
    # The room's record, kept between writes: an answer's entry never changes once
    # given, and the token's hash only with the token (3,000 players, 15,000 answers).
    _entries: list[tuple[Answer, int, dict[str, Any]]] = field(
        default_factory=list, init=False, repr=False, compare=False
    )
    _hashed: tuple[str, str] = field(default=("", ""), init=False, repr=False, compare=False)

    def __post_init__(self) -> None:
        self.who = PlayerName.of(self.name)

    def token_sha256(self) -> str:
        """The hash of the token as the record keeps it (a restored seat's key holds it)."""
        if self._hashed[0] != self.token:
            kept = self.token[7:] if self.token.startswith("sha256:") else token_hash(self.token)
            self._hashed = (self.token, kept)
        return self._hashed[1]

    def answer_entries(
        self, seat: int, round_of: Callable[[int], int] | None = None
    ) -> list[dict[str, Any]]:
        """This player's answers as the room's record lists them (``seat``: their place in it;
        ``round_of``: the round of a 0-based question, for a room with rounds)."""
        kept = self._entries
        for k, a in enumerate(self.game.answers):
            if k < len(kept) and kept[k][0] is a and kept[k][1] == seat:
                continue
            item: dict[str, Any] = {
                "player": self.name,
                # Which player: a removed player's name may be taken again.
                "player_index": seat,
                "question": self.first + k + 1,
                "id": a.question,
                "correct": a.correct,
                "seconds": float(a.seconds),
                "points": a.points,
            }
            if round_of is not None:
                item["round"] = round_of(self.first + k)
            if a.choice is not None:
                item["choice"] = a.choice
            if a.text is not None:
                item["text"] = a.text
            if a.value is not None:
                item["value"] = a.value
            if a.order is not None:
                item["order"] = list(a.order)
            if a.credit is not None and 0 < a.credit < 1:
                item["credit"] = a.credit  # a near estimate or a partly right order
            if k in self.limits:
                item["limit"] = self.limits[k]  # extra time changed after this answer
            if k < len(kept):
                kept[k] = (a, seat, item)
            else:
                kept.append((a, seat, item))
        del kept[len(self.game.answers) :]
        return [dict(item) for _, _, item in kept]  # copies: a caller may edit its record

    def take_extra(self, timer: int | None) -> bool:
        """Extra time set during the game comes in (their next question opens); the earlier
        answers keep the limit they had. False when none was waiting."""
        times, self.extra_next = self.extra_next, None
        if times is None:
            return False
        before = self.game.timer
        if before is not None:
            for k in range(len(self.game.answers)):
                self.limits.setdefault(k, before)
        self.extra = times
        self.game.timer = own_limit(timer, times)
        self._entries.clear()  # the record's entries gain their limits
        return True

    def answer_for(self, index: int) -> Answer | None:
        k = index - self.first
        return self.game.answers[k] if 0 <= k < len(self.game.answers) else None

    def plays(self, index: int) -> bool:
        return not self.removed and self.first <= index < self.first + self.game.count
