"""The room's own record, read back for `quiz host --resume` (pydantic at the edge).

It is JSON, not TOML like the game saves: it is rewritten after every
question of a room that may hold 1,000 players, and tomli_w took 226 ms for
such a record where json takes 41 ms, time the room's one thread needs for
its players. The record is written by the server (see Room.record) before the lobby opens,
when a question opens and a player joins, after each answer (at most once a
second) and after each question closes; it says how long the open question had
run, so `--resume` reopens it with the time it had left.
Tokens are kept only as SHA-256 hashes: a player who comes back with their
token is found by its hash, and nobody can read a token out of the file.

Anyone with the saves folder can edit the record, so a resume trusts none of
it: `read` bounds every field, and `restore` checks that the record is one a
room could have written (one answer per question, none past the current one,
each player's answers from their first question on, unique names, tokens and
games) and judges every answer again with the room's own rules (verdict and
points from the deck, the seed, the kinds, the answer given and the time). A record that
fails is refused with its file and field named, and set aside unchanged.
"""

from __future__ import annotations

import json
import os
from collections.abc import Callable, Sequence
from datetime import UTC, datetime
from pathlib import Path
from typing import Annotated, Literal

from pydantic import AfterValidator, BaseModel, ConfigDict, Field, ValidationError

from quiz.deckfile.schema import Slug
from quiz.game.play import Answer, Game, Scoring, now_utc
from quiz.names import PlayerName
from quiz.questions.question import Question
from quiz.room.forms import fitted, planned_kinds
from quiz.room.players import EXTRA_MAX, EXTRA_MIN, Player, check_room_name, own_limit
from quiz.room.roster import TEAMS_MAX, Round, TeamMode, plan_rounds, team_names
from quiz.room.state import Room
from quiz.room.wire import ITEMS_MAX, TYPED_MAX, VALUE_MAX, Phase, RoomError
from quiz.saves.folder import MAX_SAVE_BYTES, read_nofollow
from quiz.saves.records import MAX_SECONDS, Long, Short, Signed
from quiz.text import clean, plural

MAX_QUESTIONS = 100_000
MAX_RECORD_BYTES = MAX_SAVE_BYTES * 128  # a room of 10,000 players and 50 questions fits (84 MB)
MAX_PLAYERS = 40_000  # --max-players allows 10,000 at once (spread); removed players stay
# The forms a room planned before its record kept them (issue 25): make_quiz's default then.
OLD_KINDS = ("multiple", "boolean", "timeline")
Kind = Literal["multiple", "boolean", "timeline", "typed", "estimate", "order"]  # KINDS


class _Model(BaseModel):
    # Bounded as a game save is (quiz.saves.records): anyone with the saves folder can
    # edit this file, and what it holds becomes players' games and their saves.
    model_config = ConfigDict(extra="ignore", strict=True, frozen=True, allow_inf_nan=False)


QuestionNumber = Annotated[int, Field(ge=1, le=MAX_QUESTIONS)]


class PlayerRecord(_Model):
    name: Short
    token_sha256: Annotated[str, Field(pattern=r"^[0-9a-f]{64}$")]
    first: QuestionNumber
    removed: bool = False
    game: Annotated[str, Field(min_length=1, max_length=64, pattern=r"^[A-Za-z0-9_-]+$")]
    score: Signed | None = None  # written for people; checked against the answers
    team: Short | None = None  # issue 26: one of the record's `teams`
    # Issue 26, a self-paced room: where the player is (their question, 1-based, and its
    # step) and how long their open question had run.
    at: QuestionNumber | None = None
    step: Literal["question", "reveal", "done"] | None = None
    elapsed: Annotated[float, Field(ge=0, le=MAX_SECONDS)] = 0.0
    extra: Annotated[float, Field(ge=EXTRA_MIN, le=EXTRA_MAX)] = 1.0  # issue 26: extra time
    # Extra time the host set during the game: it applies from the player's next question.
    extra_next: Annotated[float, Field(ge=EXTRA_MIN, le=EXTRA_MAX)] | None = None


class AnswerRecord(_Model):
    player: Short
    player_index: Annotated[int, Field(ge=0, lt=MAX_PLAYERS)] | None = None  # absent: by name
    question: QuestionNumber
    id: Short
    choice: Annotated[int, Field(ge=0, le=25)] | None = None
    # Issue 25: what was given to a question without choices, and a part's share.
    text: Annotated[str, Field(max_length=TYPED_MAX)] | None = None
    value: Annotated[int, Field(ge=-VALUE_MAX, le=VALUE_MAX)] | None = None
    order: (
        Annotated[list[Annotated[int, Field(ge=0, lt=ITEMS_MAX)]], Field(max_length=ITEMS_MAX)]
        | None
    ) = None
    credit: Annotated[float, Field(ge=0, le=1)] | None = None
    correct: bool
    seconds: Annotated[float, Field(ge=0, le=MAX_SECONDS)]
    points: Signed
    round: QuestionNumber | None = None  # issue 26: the round of `question` (checked)
    # The player's own limit for this question when their extra time changed after it.
    limit: Annotated[int, Field(ge=1, le=MAX_SECONDS)] | None = None


class ExtraRecord(_Model):
    """Extra time asked for a player not in the room yet (`--extra-time`)."""

    name: Short
    times: Annotated[float, Field(ge=EXTRA_MIN, le=EXTRA_MAX)]


class RoundRecord(_Model):
    title: Short
    count: QuestionNumber


FUTURE_SLACK_SECONDS = 86_400  # a clock set a day ahead on the host's machine is still a clock


def _a_past_moment(text: str) -> str:
    """A room's start as it writes one (`now_utc`): a real moment with its offset, not ahead
    of now (``9999-99-99T99:99:99Z`` is no moment, 2999 has not come)."""
    if not text:
        return text
    try:
        moment = datetime.fromisoformat(text)
    except ValueError:
        raise ValueError(f"'{text}' is not a date and time") from None
    if moment.tzinfo is None:
        raise ValueError(f"'{text}' has no offset from UTC")
    if (moment - datetime.now(UTC)).total_seconds() > FUTURE_SLACK_SECONDS:
        raise ValueError(f"'{text}' has not come yet")
    return text


class RoomRecord(_Model):
    format: Literal[1]
    code: Annotated[str, Field(pattern=r"^[0-9]{6}$")]
    seed: Annotated[int, Field(ge=0, le=2**63)]
    deck: Slug  # a deck's id, as the deck format has it: never a path
    deck_title: Long = ""
    count: QuestionNumber
    timer: Annotated[int, Field(ge=0, le=3600)] = 0
    scoring: Scoring = "speed"
    started: Annotated[
        str, Field(max_length=40, pattern=r"^[0-9T:.+Z-]*$"), AfterValidator(_a_past_moment)
    ] = ""
    phase: Phase
    question: Annotated[int, Field(ge=0, le=MAX_QUESTIONS)]
    questions: Annotated[list[Short], Field(max_length=MAX_QUESTIONS)]
    # Added in issue 25 (absent: `OLD_KINDS`): the forms the questions were planned with.
    kinds: Annotated[list[Kind], Field(min_length=1, max_length=len(OLD_KINDS) * 2)] | None = None
    players: Annotated[list[PlayerRecord], Field(max_length=MAX_PLAYERS)] = []
    answers: list[AnswerRecord] = []
    # Added in issue 23 (absent in older records): how long the open question had
    # run, and how many players each question asked so far had (checked).
    elapsed: Annotated[float, Field(ge=0, le=MAX_SECONDS)] = 0.0
    present: Annotated[
        list[Annotated[int, Field(ge=0, le=MAX_PLAYERS)]], Field(max_length=MAX_QUESTIONS)
    ] = []
    # Added in issue 24 (absent in older records): how the room was opened, so
    # `quiz host --resume` listens where it did (players' pages rejoin that
    # address); a flag given again wins. The host is only ever an address.
    host: (
        Annotated[str, Field(min_length=1, max_length=253, pattern=r"^[A-Za-z0-9.:%_-]+$")] | None
    ) = None
    port: Annotated[int, Field(ge=1, le=65535)] | None = None
    max_players: Annotated[int, Field(ge=1, le=10_000)] | None = None  # --max-players' range
    leaderboard: Literal["each", "round", "end", "off"] | None = None
    show_question: bool | None = None  # issue 26: --show-question-on-devices (absent: on)
    # Issue 26 (absent: one round, no teams): the rounds' titles and sizes, the teams.
    rounds: Annotated[list[RoundRecord], Field(max_length=MAX_QUESTIONS)] | None = None
    teams: Annotated[list[Short], Field(min_length=2, max_length=TEAMS_MAX)] | None = None
    team_mode: TeamMode = "pick"
    # Issue 26: self-paced homework, and when it closes (ISO 8601 with its offset).
    self_paced: bool = False
    until: Annotated[str, Field(max_length=40, pattern=r"^[0-9T:.+Z-]*$")] | None = None
    extra_time: Annotated[list[ExtraRecord], Field(max_length=MAX_PLAYERS)] = []


class RecordError(Exception):
    """A room's record cannot be resumed; the message is one clear line.

    ``tampered``: the file itself is at fault (not a room's record, or not one
    a room could write), so it is set aside; otherwise (no room, another deck)
    it stays as it is.
    """

    def __init__(self, message: str, *, tampered: bool = False) -> None:
        super().__init__(message)
        self.tampered = tampered


class _Bad(Exception):
    """A field of the record that no room could have written: where, and what is wrong."""

    def __init__(self, where: str, what: str) -> None:
        super().__init__(f"{where}: {what}")


def read(path: Path) -> RoomRecord:
    """The record's fields, each within its bounds (`restore` checks they fit together)."""
    try:
        data = read_nofollow(path, cap=MAX_RECORD_BYTES)
    except OSError as exc:
        raise RecordError(f"cannot read {clean(str(path))}: {exc.strerror or exc}") from None
    path = Path(clean(str(path)))  # named in every message below
    if len(data) > MAX_RECORD_BYTES:
        raise RecordError(f"{path} is too large to be a room's record", tampered=True)
    try:
        return RoomRecord.model_validate(json.loads(data.decode("utf-8")))
    except ValidationError as exc:  # before ValueError, which it is
        first = exc.errors()[0]
        where = ".".join(str(p) for p in first["loc"]) or "the file"
        what = first["msg"].removeprefix("Value error, ")
        raise RecordError(f"{path}: {where}: {what}", tampered=True) from None
    except (UnicodeDecodeError, ValueError, RecursionError) as exc:
        raise RecordError(f"{path} is not a readable room record ({exc})", tampered=True) from None


def set_aside(path: Path, error: RecordError) -> RecordError:
    """Move a refused record out of the way, unchanged, so the next resume finds the room before it.

    The new name does not end in .json: nothing reads it as a room again.
    """
    stamp = datetime.now(UTC).strftime("%Y%m%dT%H%M%S%fZ")
    aside = path.with_name(f"{path.name}.refused-{stamp}")
    try:
        os.replace(path, aside)
    except OSError as exc:
        return RecordError(f"{error}; it could not be set aside: {exc.strerror or exc}")
    return RecordError(f"{error}; it was set aside, unchanged, as {clean(aside.name)}")


def latest(rooms: Path) -> Path:
    """The newest room record that has not reached its end; a damaged one is refused, set aside."""
    if not rooms.is_dir() or rooms.is_symlink():
        raise RecordError(f"no rooms to resume in {clean(str(rooms))}")
    for path in sorted(rooms.glob("*.json"), reverse=True):
        if path.is_symlink() or not path.is_file():
            continue
        try:
            record = read(path)
        except RecordError as exc:
            raise set_aside(path, exc) if exc.tampered else exc from None
        if record.phase != "end":
            return path
    raise RecordError(f"no unfinished room to resume in {clean(str(rooms))}")


def kinds(record: RoomRecord) -> tuple[str, ...]:
    """The forms the room's questions were planned with, to plan them again."""
    return planned_kinds(OLD_KINDS if record.kinds is None else record.kinds)


def restore(
    record: RoomRecord,
    questions: Sequence[Question],
    deck_title: str,
    *,
    path: Path | None = None,
    max_players: int | None = None,
) -> Room:
    """The room as it was: same code, same question, the scores and streaks as the rules give.

    ``path`` is the record's file: named in every refusal, and set aside when the
    record is not one a room could have written. ``max_players`` is the room's cap.
    """
    where = clean(str(path)) if path is not None else f"room {record.code}"
    if record.phase == "end":
        raise RoomError("not-open", f"room {record.code} has already ended")
    try:
        if record.count != len(record.questions):
            raise _Bad(
                "count",
                f"{record.count}, but the record lists {plural(len(record.questions), 'question')}",
            )
        if [q.id for q in questions] != record.questions:
            raise RecordError(
                f"{where}: questions: the deck '{record.deck}' has changed since room "
                f"{record.code} began; it cannot be resumed"
            )
        if record.self_paced:
            return _restore_homework(record, questions, deck_title, max_players)
        return _restore(record, questions, deck_title, max_players)
    except _Bad as exc:
        refused = RecordError(f"{where}: {exc}", tampered=True)
    raise set_aside(path, refused) if path is not None else refused


def _restore(
    record: RoomRecord, questions: Sequence[Question], deck_title: str, max_players: int | None
) -> Room:
    q = record.question  # 1-based; 0 in the lobby
    if record.phase == "lobby" and q != 0:
        raise _Bad("question", f"{q}, but a room in its lobby has asked none (0)")
    if record.phase != "lobby" and not 1 <= q <= len(questions):
        raise _Bad("question", f"{q} in phase '{record.phase}': it is 1 to {len(questions)}")
    rounds: tuple[Round, ...] = ()
    if record.rounds:
        sizes = [r.count for r in record.rounds]
        if sum(sizes) != len(questions):
            raise _Bad(
                "rounds", f"{sum(sizes)} questions in all, but the room has {len(questions)}"
            )
        rounds = plan_rounds(sizes, [r.title for r in record.rounds])
    teams: tuple[str, ...] = ()
    if record.teams:
        try:
            teams = team_names(len(record.teams), record.teams)
        except ValueError as exc:
            raise _Bad("teams", str(exc)) from None
        if list(teams) != record.teams:
            raise _Bad("teams", "not team names as a room keeps them")
    room = Room(
        list(questions),
        code=record.code,
        seed=record.seed,
        deck_id=record.deck,
        deck_title=record.deck_title or deck_title,
        timer=record.timer or None,
        scoring=record.scoring,
        started=record.started or now_utc(),
        kinds=kinds(record),
        rounds=rounds,
        teams=teams,
        team_mode=record.team_mode,
    )
    # A title card up when the room stopped is shown again: the round before it is the last.
    room.carded = room.round_of(max(q - 1, 0)) if record.phase != "lobby" else 0
    if max_players is not None:
        room.max_players = max_players
    elif record.max_players is not None:
        room.max_players = record.max_players
    room.phase = record.phase
    room.index = q - 1
    for k, ask in enumerate(record.extra_time):
        try:
            room.set_extra(ask.name, ask.times)
        except RoomError as exc:
            raise _Bad(f"extra_time.{k}.name", exc.message) from None
    seats = _players(record, room, questions)
    if len(room.active) > room.max_players:
        raise _Bad(
            "players",
            f"{plural(len(room.active), 'player')}, more than the room's {room.max_players} "
            "(resume it with --max-players N)",
        )
    answers = _answers(record, seats, questions, room.round_of)

    def ranks() -> dict[str, int]:
        return {s.token: s.place for s in room.ranked()}

    # Every answer judged again by the room's own rules, in the order they were
    # given (a streak depends on it); ranks as they stood before the current one.
    before: dict[str, int] | None = None
    for k, ar, who in answers:
        if before is None and ar.question >= q:
            before = ranks()
        got = _rescore(room, who, ar)
        if got.correct != ar.correct:
            verdict = "right" if got.correct else "wrong"
            raise _Bad(f"answers.{k}.correct", f"{ar.correct}, but that answer is {verdict}")
        if got.points != ar.points:
            raise _Bad(
                f"answers.{k}.points",
                f"{ar.points}, but the rules give {got.points} for that answer",
            )
        if ar.credit is not None and got.credit != ar.credit:
            raise _Bad(
                f"answers.{k}.credit",
                f"{ar.credit}, but the rules give {got.credit} for that answer",
            )
    if before is None:
        before = ranks()
    if record.present:
        counted = room.present_counts()[:q]
        if record.present != counted:
            raise _Bad("present", f"{record.present}, but the players give {counted}")
    if room.phase == "question":
        # The question reopens with the time it had left; never before an answer kept for it.
        kept = [ar.seconds for _, ar, _ in answers if ar.question == q]
        ran = max([record.elapsed, *kept])
        longest = room.longest_limit()  # a player with extra time has more than the timer
        room.resumed_after = ran if longest is None else min(ran, float(longest))
    for k, (pr, player) in enumerate(zip(record.players, seats, strict=True)):
        if pr.score is not None and pr.score != player.game.score:
            raise _Bad(
                f"players.{k}.score",
                f"{pr.score}, but {pr.name}'s answers give {player.game.score}",
            )
    # The leaderboard's movement carries on from where it was.
    if room.phase == "question":
        room.last_ranks = before
    elif room.phase == "reveal":
        room.previous_ranks, room.last_ranks = before, ranks()
    return room


def _players(record: RoomRecord, room: Room, questions: Sequence[Question]) -> list[Player]:
    """The record's players, each a name a room lets in, none alike, each token and game once."""
    q = record.question
    names: dict[str, int] = {}
    shapes: dict[str, int] = {}
    tokens: dict[str, int] = {}
    games: dict[str, int] = {}
    seats = []
    for k, pr in enumerate(record.players):
        try:
            kept = check_room_name(pr.name)
        except RoomError as exc:
            raise _Bad(f"players.{k}.name", f"not a name a room lets in ({exc.message})") from None
        if kept != pr.name:
            raise _Bad(f"players.{k}.name", f"not a name a room lets in (it would be '{kept}')")
        if not pr.removed:
            # The room's own rule (PlayerName.alike: either key the same), one look-up a key.
            name = PlayerName.of(pr.name)
            twin = names.get(name.key, shapes.get(name.shape))
            if twin is not None:
                other = record.players[twin].name
                raise _Bad(
                    f"players.{k}.name", f"'{pr.name}' passes for players.{twin}'s '{other}'"
                )
            names.setdefault(name.key, k)
            shapes.setdefault(name.shape, k)
        for seen, value, field in (
            (tokens, pr.token_sha256, "token_sha256"),
            (games, pr.game, "game"),
        ):
            if value in seen:
                raise _Bad(f"players.{k}.{field}", f"the same as players.{seen[value]}'s")
            seen[value] = k
        # A player joins for the next question: the first in the lobby, at most the one after q.
        latest_first = 1 if record.phase == "lobby" else q + 1
        if pr.first > latest_first:
            raise _Bad(
                f"players.{k}.first",
                f"{pr.first}, but a player who joined by question {q} plays from question "
                f"{latest_first} at the latest",
            )
        first = pr.first - 1
        game = Game(
            list(questions[first:]),
            player=pr.name,
            deck_id=record.deck,
            deck_title=room.deck_title,
            seed=record.seed,
            timer=own_limit(room.timer, pr.extra),  # the player's own limit (extra time)
            mode="live",
            scoring=room.scoring,
            id=pr.game,
        )
        if pr.team is not None and pr.team not in room.teams:
            raise _Bad(f"players.{k}.team", f"'{pr.team}' is not one of the room's teams")
        if (
            room.teams
            and pr.team is None
            and record.phase != "lobby"
            and not pr.removed
            and not record.self_paced  # homework: checked by `_restore_homework`
        ):
            raise _Bad(f"players.{k}.team", "every player has a team once the game is on")
        key = "sha256:" + pr.token_sha256
        player = Player(
            name=pr.name,
            token=key,
            game=game,
            first=first,
            connected=False,
            removed=pr.removed,
            team=pr.team,
            extra=pr.extra,
            extra_next=pr.extra_next,
        )
        room.players[key] = player
        seats.append(player)
    return seats


def _answers(
    record: RoomRecord,
    seats: list[Player],
    questions: Sequence[Question],
    round_of: Callable[[int], int],
    *,
    paced: bool = False,
) -> list[tuple[int, AnswerRecord, Player]]:
    """Each answer with its player, in the order the room took them; one per question each,
    from the player's first question on, none past the current one, none missing.
    ``paced``: a self-paced room, where each player is on their own question (checked
    by `_restore_homework`)."""
    q = len(questions) if paced else record.question
    by_name: dict[str, list[int]] = {}
    for k, pr in enumerate(record.players):
        by_name.setdefault(pr.name, []).append(k)
    mine: list[list[tuple[int, AnswerRecord]]] = [[] for _ in seats]
    for k, ar in enumerate(record.answers):
        if ar.player_index is not None:
            seat = ar.player_index
            if seat >= len(seats) or record.players[seat].name != ar.player:
                raise _Bad(f"answers.{k}.player_index", f"{seat} is not the player '{ar.player}'")
        else:
            found = by_name.get(ar.player, [])
            if len(found) != 1:
                many = "more than one player is" if found else "no player is"
                raise _Bad(f"answers.{k}.player", f"{many} called '{ar.player}'")
            seat = found[0]
        if ar.question > q:
            raise _Bad(
                f"answers.{k}.question",
                f"{ar.question}, but the room has asked {plural(q, 'question')}",
            )
        asked = questions[ar.question - 1]
        if ar.round is not None and ar.round != round_of(ar.question - 1):
            raise _Bad(
                f"answers.{k}.round",
                f"{ar.round}, but question {ar.question} is in round {round_of(ar.question - 1)}",
            )
        if ar.id != asked.id:
            raise _Bad(f"answers.{k}.id", f"'{ar.id}' is not question {ar.question}'s id")
        if ar.choice is not None and not asked.unchosen and ar.choice >= len(asked.choices):
            raise _Bad(
                f"answers.{k}.choice",
                f"{ar.choice}, but question {ar.question} has choices 0 to {len(asked.choices) - 1}",
            )
        if any(x is not None for x in (ar.choice, ar.text, ar.value, ar.order)):
            # The room's own check on an answer (a choice for a choice, text for typed, ...).
            try:
                kept = fitted(asked, ar.question, ar.choice, ar.text, ar.value, ar.order)
            except RoomError as exc:
                raise _Bad(f"answers.{k}", exc.message) from None
            if kept != ar.text:
                raise _Bad(f"answers.{k}.text", "not a typed answer as the room keeps one")
        limit = own_limit(record.timer, record.players[seat].extra)  # with extra time
        if ar.limit is not None:  # their extra time changed after this answer
            most = own_limit(record.timer, EXTRA_MAX)
            if not record.timer or most is None or not record.timer <= ar.limit <= most:
                raise _Bad(f"answers.{k}.limit", f"{ar.limit}, not an own limit of this room")
            limit = ar.limit
        if record.timer and limit is not None and ar.seconds > limit:
            raise _Bad(
                f"answers.{k}.seconds",
                f"{ar.seconds}, past the room's {record.timer}-second timer"
                + (
                    f" ({record.players[seat].extra:g}x: {limit} s)"
                    if limit != record.timer
                    else ""
                ),
            )
        mine[seat].append((k, ar))
    out: list[tuple[int, AnswerRecord, Player]] = []
    for seat, (pr, player) in enumerate(zip(record.players, seats, strict=True)):
        given = sorted(mine[seat], key=lambda item: item[1].question)
        for n, (k, ar) in enumerate(given):
            due = pr.first + n  # the question this answer must be: one each, in order, no gaps
            if ar.question != due:
                if ar.question < pr.first:
                    what = f"{ar.question}, but {pr.name} plays from question {pr.first}"
                elif n and given[n - 1][1].question == ar.question:
                    what = f"a second answer of {pr.name}'s to question {ar.question}"
                else:
                    what = f"{ar.question}, but {pr.name} has no answer to question {due}"
                raise _Bad(f"answers.{k}.question", what)
            out.append((k, ar, player))
        # Closing a question scores everyone still playing, answer or not.
        closed = q if record.phase == "reveal" else q - 1
        if not paced and not pr.removed and pr.first + len(given) <= closed:
            raise _Bad(
                f"players.{seat}",
                f"{pr.name} has no answer to question {pr.first + len(given)}, which has closed",
            )
    out.sort(key=lambda item: item[1].question)  # stable: each player's answers stay in order
    return out


def _rescore(room: Room, who: Player, ar: AnswerRecord) -> Answer:
    """An answer judged again by the room's rules, by the limit it had (extra time)."""
    kept = who.game.timer
    if ar.limit is not None:
        who.game.timer = ar.limit
        who.limits[len(who.game.answers)] = ar.limit
    try:
        return room.rescore(
            who, ar.choice, ar.seconds, ar.points, text=ar.text, value=ar.value, order=ar.order
        )
    finally:
        who.game.timer = kept


def _restore_homework(
    record: RoomRecord, questions: Sequence[Question], deck_title: str, max_players: int | None
) -> Room:
    """A self-paced room as it was: every player back on their own question (`Pace`), their
    answers judged again by the rules; a record that closed with games unsaved closes again."""
    from quiz.room.homework import Homework, Pace

    if record.phase not in ("question", "reveal"):
        raise _Bad("phase", f"'{record.phase}', but a self-paced room is open or has closed")
    if record.rounds:
        raise _Bad("rounds", "a self-paced room has no rounds")
    until = None
    if record.until:
        try:
            until = datetime.fromisoformat(record.until)
        except ValueError:
            raise _Bad("until", f"'{record.until}' is not a date and time") from None
        if until.tzinfo is None:
            raise _Bad("until", f"'{record.until}' has no offset from UTC")
    teams: tuple[str, ...] = ()
    if record.teams:
        try:
            teams = team_names(len(record.teams), record.teams)
        except ValueError as exc:
            raise _Bad("teams", str(exc)) from None
        if list(teams) != record.teams:
            raise _Bad("teams", "not team names as a room keeps them")
    room = Homework(
        list(questions),
        code=record.code,
        seed=record.seed,
        deck_id=record.deck,
        deck_title=record.deck_title or deck_title,
        timer=record.timer or None,
        scoring=record.scoring,
        started=record.started or now_utc(),
        kinds=kinds(record),
        teams=teams,
        team_mode=record.team_mode,
        until=until,
        closed=record.phase == "reveal",
    )
    room.max_players = max_players or record.max_players or room.max_players
    seats = _players(record, room, questions)
    if len(room.active) > room.max_players:
        raise _Bad(
            "players",
            f"{plural(len(room.active), 'player')}, more than the room's {room.max_players} "
            "(resume it with --max-players N)",
        )
    for k, pr in enumerate(record.players):
        if pr.first != 1:
            raise _Bad(f"players.{k}.first", f"{pr.first}, but a self-paced player starts at 1")
    answers = _answers(record, seats, questions, room.round_of, paced=True)
    for k, ar, who in answers:
        got = _rescore(room, who, ar)
        if got.correct != ar.correct or got.points != ar.points:
            raise _Bad(
                f"answers.{k}.points",
                f"{ar.points} ({'right' if ar.correct else 'wrong'}), but the rules give "
                f"{got.points} ({'right' if got.correct else 'wrong'}) for that answer",
            )
    count = len(questions)
    for k, (pr, player) in enumerate(zip(record.players, seats, strict=True)):
        if pr.score is not None and pr.score != player.game.score:
            raise _Bad(
                f"players.{k}.score",
                f"{pr.score}, but {pr.name}'s answers give {player.game.score}",
            )
        if pr.at is None or pr.step is None:
            raise _Bad(f"players.{k}", "a self-paced room's record says where each player is")
        given = len(player.game.answers)
        if room.teams and player.team is None and not pr.removed:
            # A self-paced player picks their team before their first question.
            if given or room.team_mode == "auto":
                raise _Bad(f"players.{k}.team", f"{pr.name} has no team, but plays")
        fits = {
            "question": pr.at == given + 1,
            "reveal": pr.at == given >= 1,
            "done": pr.at == count and (given == count or (given == 0 and room.closed)),
        }[pr.step]
        if not fits or pr.at > count:
            raise _Bad(
                f"players.{k}.at",
                f"question {pr.at} ({pr.step}), but {pr.name} has "
                f"{plural(given, 'answer')} of {count}",
            )
        limit = own_limit(room.timer, pr.extra)  # with extra time, their own limit
        if limit is not None and pr.elapsed > limit:
            raise _Bad(f"players.{k}.elapsed", f"{pr.elapsed}, past their {limit}-second limit")
        room.paces[player.game.id] = Pace(index=pr.at - 1, step=pr.step, ran=pr.elapsed)
    room.rescored()
    return room
