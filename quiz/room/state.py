"""The live room as a pure state machine: lobby, question, reveal, end.

Nothing here reads a clock, a socket or a file: the server passes the time in
(`now`, in seconds from any fixed point) and turns what comes back into
frames. Each player plays an ordinary `quiz.game.Game`, so the speed scoring
and streaks are the game's own, and each game saves as any other game does.
"""

from __future__ import annotations

import hashlib
import math
import secrets
from collections.abc import Callable, Sequence
from dataclasses import dataclass, field, replace
from typing import Any, Literal, get_args

from quiz.game.play import (
    Answer,
    Game,
    Scoring,
    now_utc,
    points_for,
    shared_ranks,
    team_means,
)
from quiz.names import BadName, PlayerName, first_alike
from quiz.names import check as check_name
from quiz.questions.plan import DEFAULT_KINDS
from quiz.questions.question import Question
from quiz.room.forms import fitted, planned_kinds
from quiz.room.protocol import Phase, RoomError

__all__ = [
    "Phase",
    "Player",
    "Room",
    "RoomError",
    "Round",
    "Standing",
    "TeamStanding",
    "check_room_name",
    "extra_time_spec",
    "own_limit",
    "split_rounds",
]
NAME_MAX = 40  # shown on a projector and a phone; the save rules allow more, a room does not
# An answer keeps its time to 1/100 s (Game.answer rounds it), but its points
# came from the exact time: a recorded time stands for any within half a step.
HALF_STEP = 0.005 + 1e-9
# With no timer the host's Enter closes a question; an Enter this soon after the
# question opened is the second of a double press (the one that started the game
# or moved on from a reveal), not a decision to close: it is ignored.
ENTER_QUIET = 1.0
TEAMS_MAX = 8  # `quiz host --teams 2..8`
TEAM_NAME_MAX = 20
# How players get a team: they pick one on joining (anyone who has not by the start,
# or joins once the game is on without naming one, is put on the smallest), or the
# room puts each on the smallest as they join.
TeamMode = Literal["pick", "auto"]
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


@dataclass(frozen=True)
class Round:
    """A run of the room's questions under one title (`quiz host --rounds`)."""

    title: str
    start: int  # 0-based index of its first question
    count: int


def split_rounds(count: int, rounds: int) -> list[int]:
    """How many questions each round has: as even as possible, the larger first (10 in 3: 4, 3, 3)."""
    if not 1 <= rounds <= count:
        raise ValueError(f"{rounds} rounds cannot share {count} questions")
    size, extra = divmod(count, rounds)
    return [size + (1 if k < extra else 0) for k in range(rounds)]


def plan_rounds(sizes: Sequence[int], titles: Sequence[str] = ()) -> tuple[Round, ...]:
    """Rounds of these sizes, one after another, titled ``titles`` (default "Round N")."""
    out = []
    start = 0
    for k, size in enumerate(sizes):
        title = titles[k] if k < len(titles) and titles[k] else f"Round {k + 1}"
        out.append(Round(title, start, size))
        start += size
    return tuple(out)


def team_names(count: int, names: Sequence[str] = ()) -> tuple[str, ...]:
    """The room's teams: ``names`` when given, else "Team 1".."Team N"; ValueError when wrong."""
    if names:
        kept = []
        for raw in names:
            try:
                kept.append(check_name(raw, limit=TEAM_NAME_MAX).text)
            except BadName as exc:
                raise ValueError(f"the team name {raw!r}: {exc.problem}") from None
        twins = first_alike(kept)  # "Ian" and "lan", "Red" and "Ｒｅｄ" look the same
        if twins is not None:
            raise ValueError(f"two teams have the same name ({twins[0]!r} and {twins[1]!r})")
        number = next((n for n in kept if n.isdigit()), None)
        if number is not None:  # "--team 1" picks the first team, so "1" could be two
            raise ValueError(
                f"the team name {number!r} is a number; a team is picked by its number"
            )
        count = len(kept)
        result = tuple(kept)
    else:
        result = tuple(f"Team {k + 1}" for k in range(count))
    if not 2 <= count <= TEAMS_MAX:
        raise ValueError(f"a room has 2 to {TEAMS_MAX} teams, not {count}")
    return result


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


@dataclass(frozen=True)
class TeamStanding:
    """A team on the board: the mean of its members' counted scores (`Room.team_standings`)."""

    name: str
    score: float
    place: int
    players: int


@dataclass(frozen=True)
class Standing:
    name: str
    score: int
    correct: int
    place: int  # ties share a place: 1, 1, 3
    movement: int | None  # places gained since the last reveal; None: new on the board
    token: str


@dataclass
class Room:
    """One room: the questions, the players, and where the game is."""

    questions: Sequence[Question]
    code: str
    seed: int
    deck_id: str
    deck_title: str
    timer: int | None = 20
    scoring: Scoring = "speed"
    max_players: int = 200
    phase: Phase = "lobby"
    index: int = -1  # 0-based index of the question asked (or revealed) last
    locked: bool = False
    opened_at: float = 0.0
    revealed_at: float = 0.0  # when the open question last closed (the host's quiet moment)
    started: str = field(default_factory=now_utc)
    players: dict[str, Player] = field(default_factory=dict)  # by token
    token_factory: Callable[[], str] = new_token
    last_ranks: dict[str, int] = field(default_factory=dict)
    previous_ranks: dict[str, int] = field(default_factory=dict)
    # The open question's bookkeeping, kept as counts so an answer costs O(1) with 1,000 players.
    waiting: set[str] = field(default_factory=set)  # connected players yet to answer
    version: int = 0  # bumped on every change to scores or players; keys the ranking cache
    _ranked_cache: tuple[int, list[Standing]] | None = field(default=None, repr=False)
    # Who is in the room changes only on a join, a removal or a restored token: `active`
    # and the name lookup are kept until then (each was O(players) per join: O(N^2)).
    _roster: int = field(default=0, repr=False)
    _active_cache: tuple[tuple[int, int], list[Player]] | None = field(default=None, repr=False)
    _name_index: (
        tuple[tuple[int, int], dict[str, tuple[int, Player]], dict[str, tuple[int, Player]]] | None
    ) = field(default=None, repr=False)
    answers_now: int = 0
    playing_now: int = 0
    # Seconds the open question had run when the room's record was last written:
    # a resumed room reopens it with the time it had left (quiz.room.record).
    resumed_after: float = 0.0
    # The forms the questions were planned with (make_quiz's kinds): the record
    # keeps them, so `quiz host --resume` plans the same questions.
    kinds: tuple[str, ...] = field(default_factory=lambda: planned_kinds(DEFAULT_KINDS))
    # Issue 26: the rounds (none: one round of every question), and the teams.
    rounds: tuple[Round, ...] = ()
    teams: tuple[str, ...] = ()
    team_mode: TeamMode = "pick"
    carded: int = 0  # the last round whose title card was shown
    # Extra time asked for players not in the room yet (`--extra-time`), by name key:
    # (the name as given, the multiplier); applied when that player joins.
    extra_time: dict[str, tuple[str, float]] = field(default_factory=dict)

    def __post_init__(self) -> None:
        if self.scoring not in get_args(Scoring):
            raise ValueError(f"scoring must be one of {', '.join(get_args(Scoring))}")
        if self.rounds and sum(r.count for r in self.rounds) != len(self.questions):
            raise ValueError("the rounds do not share out the questions")

    # -- rounds

    @property
    def round_count(self) -> int:
        return len(self.rounds) or 1

    def round_of(self, index: int) -> int:
        """The round (1-based) question ``index`` (0-based) is in."""
        for k, r in enumerate(self.rounds):
            if index < r.start + r.count:
                return k + 1
        return self.round_count

    def round_title(self, number: int) -> str:
        return self.rounds[number - 1].title if self.rounds else ""

    def round_range(self, number: int) -> range:
        """The 0-based indexes of round ``number``'s questions."""
        if not self.rounds:
            return range(self.count)
        r = self.rounds[number - 1]
        return range(r.start, r.start + r.count)

    def _next_round(self) -> int | None:
        """The round the next question starts, when it starts one (with two or more rounds)."""
        if len(self.rounds) < 2 or self.phase not in ("lobby", "reveal"):
            return None
        nxt = 0 if self.phase == "lobby" else self.index + 1
        if nxt >= self.count or self.round_range(self.round_of(nxt)).start != nxt:
            return None
        return self.round_of(nxt)

    def card_due(self) -> int | None:
        """The round whose title card the host's next step shows before its first question."""
        nxt = self._next_round()
        return nxt if nxt is not None and self.carded < nxt else None

    @property
    def card(self) -> int | None:
        """The round whose title card is up now (the host's next step opens its first question)."""
        nxt = self._next_round()
        return nxt if nxt is not None and self.carded == nxt else None

    def show_card(self, now: float) -> int:
        """The title card of the round to come is up; returns its number."""
        due = self.card_due()
        if due is None:
            raise RoomError("not-open", "no round is about to start")
        self.carded = due
        self.revealed_at = now  # the double press's quiet moment, as after a reveal
        return due

    def round_ended(self) -> int | None:
        """The round whose last question has just been revealed, with two or more rounds."""
        if len(self.rounds) < 2 or self.phase not in ("reveal", "end"):
            return None
        number = self.round_of(self.index)
        return number if self.index == self.round_range(number)[-1] else None

    def round_standings(self, number: int) -> list[Standing]:
        """Players by the points they scored in round ``number``, ties sharing a place."""
        span = self.round_range(number)
        keyed = []
        for p in self.active:
            got = [a for i in span if (a := p.answer_for(i)) is not None]
            keyed.append((sum(a.points for a in got), sum(1 for a in got if a.correct), p))
        keyed.sort(key=lambda t: (-t[0], -t[1], t[2].name.casefold()))
        places = shared_ranks([score for score, _, _ in keyed])
        return [
            Standing(p.name, score, correct, place, None, p.token)
            for place, (score, correct, p) in zip(places, keyed, strict=True)
        ]

    # -- teams

    def team_named(self, text: str) -> str:
        """The team ``text`` names (its name, any case, or its number 1..N)."""
        wanted = text.strip()
        if wanted.isascii() and wanted.isdigit() and 1 <= int(wanted) <= len(self.teams):
            return self.teams[int(wanted) - 1]
        for team in self.teams:
            if wanted and PlayerName.of(team).alike(PlayerName.of(wanted)):
                return team
        shown = ", ".join(self.teams)
        raise RoomError("bad-team", f"no team called {wanted[:40]!r} here; pick one of {shown}")

    def team_sizes(self) -> dict[str, int]:
        sizes = dict.fromkeys(self.teams, 0)
        for p in self.active:
            if p.team in sizes:
                sizes[p.team] += 1
        return sizes

    def smallest_team(self) -> str:
        """The team with the fewest players (the first of them on a tie): balancing."""
        sizes = self.team_sizes()
        return min(self.teams, key=lambda t: sizes[t])

    def pick_team(self, token: str, text: str) -> str:
        """A player picks their team, in the lobby (once the game is on, teams stay)."""
        player = self.players.get(token)
        if player is None or player.removed:
            raise RoomError("removed", "you are not in this room")
        if not self.teams:
            raise RoomError("bad-team", "this room has no teams")
        if self.team_mode == "auto":
            raise RoomError("bad-team", "the room shares players out between its teams")
        if self.phase != "lobby" and player.team is not None:
            raise RoomError("not-open", "the game has started; teams stay as they are")
        player.team = self.team_named(text)
        self.version += 1
        return player.team

    def _share_out(self) -> None:
        """Everyone without a team goes on the smallest, in the order they joined."""
        for p in self.active:
            if p.team is None:
                p.team = self.smallest_team()

    def counted_score(self, player: Player) -> float:
        """A player's score as their team counts it: per question they played, times those asked.

        A late joiner's missed questions do not count: the points they scored
        over the questions they played, scaled to the questions the room has
        closed, so joining late neither lowers nor raises a team's mean.
        """
        closed = self.index + 1 if self.phase in ("reveal", "end") else max(self.index, 0)
        played = max(0, min(len(player.game.answers), closed - player.first))
        if played == 0:
            return 0.0
        points = sum(a.points for a in player.game.answers[:played])
        return points * closed / played

    def team_standings(self) -> list[TeamStanding]:
        """The teams, best first: the mean of members' counted scores (the hot-seat rule)."""
        members: dict[str, list[str]] = {team: [] for team in self.teams}
        scores: dict[str, float] = {}
        for p in self.active:
            if p.team in members:
                members[p.team].append(p.token)
                scores[p.token] = self.counted_score(p)
        means = team_means(members, scores)
        means += [(t, 0.0) for t, m in members.items() if not m]  # a team nobody is on: last
        places = shared_ranks([round(score) for _, score in means])
        return [
            TeamStanding(team, score, place, len(members[team]))
            for place, (team, score) in zip(places, means, strict=True)
        ]

    # -- who is here

    @property
    def count(self) -> int:
        return len(self.questions)

    def _roster_key(self) -> tuple[int, int]:
        # The count catches players put in from outside (a resumed record's seats).
        return (self._roster, len(self.players))

    @property
    def active(self) -> list[Player]:
        """Players not removed, in the order they joined (a copy: callers may keep it)."""
        key = self._roster_key()
        if self._active_cache is None or self._active_cache[0] != key:
            self._active_cache = (key, [p for p in self.players.values() if not p.removed])
        return list(self._active_cache[1])

    def active_count(self) -> int:
        key = self._roster_key()
        if self._active_cache is None or self._active_cache[0] != key:
            return len(self.active)
        return len(self._active_cache[1])

    @property
    def connected(self) -> list[Player]:
        return [p for p in self.active if p.connected]

    def names(self) -> list[str]:
        return [p.name for p in self.active]

    def _seated(self, player: Player) -> None:
        """A new player was put at the end of `players`: the roster's caches grow by one,
        so a join costs the same in a room of 3,000 as in a room of 3 (rebuilding them at
        every join made joining O(players), 13 s of CPU for 3,000 joins)."""
        before = (self._roster, len(self.players) - 1)
        self._roster += 1
        after = self._roster_key()
        if self._active_cache is not None and self._active_cache[0] == before:
            seat = len(self._active_cache[1])
            self._active_cache[1].append(player)
            self._active_cache = (after, self._active_cache[1])
            if self._name_index is not None and self._name_index[0] == before:
                _, keys, shapes = self._name_index
                keys.setdefault(player.who.key, (seat, player))
                shapes.setdefault(player.who.shape, (seat, player))
                self._name_index = (after, keys, shapes)

    def by_name(self, name: str) -> Player | None:
        """The player whose name looks like ``name``: case, full width and look-alike letters aside."""
        wanted = PlayerName.of(name)
        # `PlayerName.alike` is "same key or same shape": two lookups, not one per player.
        key = self._roster_key()
        if self._name_index is None or self._name_index[0] != key:
            keys: dict[str, tuple[int, Player]] = {}
            shapes: dict[str, tuple[int, Player]] = {}
            for seat, p in enumerate(self.active):  # the first to join wins, as a scan would
                keys.setdefault(p.who.key, (seat, p))
                shapes.setdefault(p.who.shape, (seat, p))
            self._name_index = (key, keys, shapes)
        _, keys, shapes = self._name_index
        found = [f for f in (keys.get(wanted.key), shapes.get(wanted.shape)) if f is not None]
        return min(found, key=lambda f: f[0])[1] if found else None

    @property
    def question(self) -> Question | None:
        return self.questions[self.index] if 0 <= self.index < self.count else None

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
        player = self.players.get(token)
        if player is None or player.removed:
            raise RoomError("removed", "you are not in this room")
        if self.phase != "question" or question != self.index + 1:
            raise RoomError("not-open", f"question {question} is not open for answers")
        if not player.plays(self.index):
            raise RoomError("not-open", "you joined after this question; you play from the next")
        limit = self.limit_of(player)  # their own: the timer, times their extra time
        if limit is not None and now - self.opened_at >= limit:
            raise RoomError("not-open", "time is up for this question")
        if player.answer_for(self.index) is not None:
            raise RoomError("already-answered", "only your first answer counts")
        asked = self.questions[self.index]
        text = fitted(asked, question, choice, text, value, order)
        seconds = now - self.opened_at
        if limit is not None:
            seconds = min(seconds, float(limit))
        result = self._score(player, choice, seconds, text=text, value=value, order=order)
        self.answers_now += 1
        self.waiting.discard(token)
        return result

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

    # -- results

    def ranked(self) -> list[Standing]:
        """Players by score (cached until the next change: a reveal asks several times)."""
        if self._ranked_cache is not None and self._ranked_cache[0] == self.version:
            return self._ranked_cache[1]
        ranked = self._rank()
        self._ranked_cache = (self.version, ranked)
        return ranked

    def _rank(self) -> list[Standing]:
        # Each score and count is summed once (a reveal ranks 1,000 players).
        keyed = sorted(
            ((p.game.score, p.game.correct, p) for p in self.active),
            key=lambda t: (-t[0], -t[1], t[2].name.casefold()),
        )
        # Ties share a place by the one rule every leaderboard uses (1, 1, 3).
        places = shared_ranks([score for score, _, _ in keyed])
        return [
            Standing(p.name, score, correct, place, None, p.token)
            for place, (score, correct, p) in zip(places, keyed, strict=True)
        ]

    def standings(self) -> list[Standing]:
        """Every player, best first; ties share a place; movement since the previous reveal."""
        out = []
        for s in self.ranked():
            before = self.previous_ranks.get(s.token)
            move = None if before is None else before - s.place
            out.append(Standing(s.name, s.score, s.correct, s.place, move, s.token))
        return out

    def rank_of(self, token: str) -> int:
        """A player's place; after a reveal, from the ranks worked out once when it closed."""
        if self.phase in ("reveal", "end") and token in self.last_ranks:
            return self.last_ranks[token]
        return next((s.place for s in self.ranked() if s.token == token), 0)

    def podium(self) -> list[Standing]:
        return [s for s in self.standings() if s.place <= 3]

    def choice_counts(self, index: int | None = None) -> list[int]:
        """How many chose each answer of a question (the current one by default)."""
        index = self.index if index is None else index
        counts = [0] * len(self.questions[index].choices)
        for p in self.players.values():
            answer = p.answer_for(index)
            if answer is not None and answer.choice is not None:
                counts[answer.choice] += 1
        return counts

    def answers_to(self, index: int | None = None) -> list[tuple[str, Answer]]:
        """Each player's answer to a question (the current one by default), by name."""
        index = self.index if index is None else index
        return [(p.name, a) for p in self.active if (a := p.answer_for(index)) is not None]

    def right_counts(self) -> list[int]:
        """How many got each question right, question by question."""
        out = []
        for index in range(self.count):
            out.append(
                sum(1 for p in self.active if (a := p.answer_for(index)) is not None and a.correct)
            )
        return out

    def present_counts(self) -> list[int]:
        """How many players each question had: those in the room before it closed.

        The denominator of `right_counts` (Q1 2/2, not 2/7 when five joined
        later): a player plays every question from the one open when they came
        in; a removed player counts nowhere, as in `right_counts`.
        """
        out = [0] * self.count
        for p in self.active:
            if p.first < self.count:
                out[p.first] += 1
        for index in range(1, self.count):
            out[index] += out[index - 1]
        return out

    def per_question(self) -> list[tuple[int, int]]:
        """(right, present) for each question, as the end screens show "Q1 2/2"."""
        return list(zip(self.right_counts(), self.present_counts(), strict=True))

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
