"""Who is in a live room, in which team, and its rounds: the room's data under its phases.

`Roster` holds a room's fields and answers who is here (players in join
order, a name's lookup), which round a question is in, and the teams (picking,
sharing out, their standings). The phases that move it are `quiz.room.state`'s.
"""

from __future__ import annotations

from collections.abc import Callable, Sequence
from dataclasses import dataclass, field
from typing import Literal, get_args

from quiz.game.play import (
    Scoring,
    now_utc,
    shared_ranks,
    team_means,
)
from quiz.names import BadName, PlayerName, first_alike, is_number
from quiz.names import check as check_name
from quiz.questions.plan import DEFAULT_KINDS
from quiz.questions.question import Question
from quiz.room.forms import planned_kinds
from quiz.room.players import Player, new_token
from quiz.room.wire import Phase, RoomError

TEAMS_MAX = 8  # `quiz host --teams 2..8`
TEAM_NAME_MAX = 20
# How players get a team: they pick one on joining (anyone who has not by the start,
# or joins once the game is on without naming one, is put on the smallest), or the
# room puts each on the smallest as they join.
TeamMode = Literal["pick", "auto"]


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
        number = next((n for n in kept if is_number(n)), None)
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
class Roster:
    """A room's data: the questions, the players, the rounds and teams, and where the game is."""

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
        player = self.in_room(token)
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

    def in_room(self, token: str) -> Player:
        """The player with this token, not removed; RoomError("removed") otherwise."""
        player = self.players.get(token)
        if player is None or player.removed:
            raise RoomError("removed", "you are not in this room")
        return player

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
