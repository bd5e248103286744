"""A room's record judged again, so a hostile one cannot become a room (`quiz host --resume`).

`restore_live` and `restore_homework` check that the record is one a room could
have written (one answer per question, none past the current one, each
player's answers from their first question on, unique names, tokens and games)
and judge every answer again with the room's own rules; a field that does not
fit raises `BadField`, which quiz.room.record turns into a refusal naming the
file and the field.
"""

from __future__ import annotations

from collections.abc import Callable, Sequence
from datetime import datetime
from typing import Any, TypeVar

from quiz.game.play import Answer, Game, now_utc
from quiz.names import PlayerName
from quiz.questions.question import Question
from quiz.room.forms import fitted, planned_kinds
from quiz.room.players import EXTRA_MAX, Player, check_room_name, own_limit
from quiz.room.record_schema import OLD_KINDS, AnswerRecord, PlayerRecord, RoomRecord
from quiz.room.roster import Round, plan_rounds, team_names
from quiz.room.state import Room
from quiz.room.wire import RoomError
from quiz.text import plural

RoomT = TypeVar("RoomT", bound=Room)


class BadField(Exception):
    """A field of the record that no room could have written: where, and what is wrong."""

    def __init__(self, where: str, what: str) -> None:
        super().__init__(f"{where}: {what}")


def kinds(record: RoomRecord) -> tuple[str, ...]:
    """The forms the room's questions were planned with, to plan them again."""
    return planned_kinds(OLD_KINDS if record.kinds is None else record.kinds)


def restore_live(
    record: RoomRecord, questions: Sequence[Question], deck_title: str, max_players: int | None
) -> Room:
    q = record.question  # 1-based; 0 in the lobby
    if record.phase == "lobby" and q != 0:
        raise BadField("question", f"{q}, but a room in its lobby has asked none (0)")
    if record.phase != "lobby" and not 1 <= q <= len(questions):
        raise BadField("question", f"{q} in phase '{record.phase}': it is 1 to {len(questions)}")
    rounds: tuple[Round, ...] = ()
    if record.rounds:
        sizes = [r.count for r in record.rounds]
        if sum(sizes) != len(questions):
            raise BadField(
                "rounds", f"{sum(sizes)} questions in all, but the room has {len(questions)}"
            )
        rounds = plan_rounds(sizes, [r.title for r in record.rounds])
    room = _opened(Room, record, questions, deck_title, rounds=rounds)
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
            raise BadField(f"extra_time.{k}.name", exc.message) from None
    seats = _seated(record, room, questions)
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
            raise BadField(f"answers.{k}.correct", f"{ar.correct}, but that answer is {verdict}")
        if got.points != ar.points:
            raise BadField(
                f"answers.{k}.points",
                f"{ar.points}, but the rules give {got.points} for that answer",
            )
        if ar.credit is not None and got.credit != ar.credit:
            raise BadField(
                f"answers.{k}.credit",
                f"{ar.credit}, but the rules give {got.credit} for that answer",
            )
    if before is None:
        before = ranks()
    if record.present:
        counted = room.present_counts()[:q]
        if record.present != counted:
            raise BadField("present", f"{record.present}, but the players give {counted}")
    if room.phase == "question":
        # The question reopens with the time it had left; never before an answer kept for it.
        kept = [ar.seconds for _, ar, _ in answers if ar.question == q]
        ran = max([record.elapsed, *kept])
        longest = room.longest_limit()  # a player with extra time has more than the timer
        room.resumed_after = ran if longest is None else min(ran, float(longest))
    for k, (pr, player) in enumerate(zip(record.players, seats, strict=True)):
        _check_score(k, pr, player)
    # The leaderboard's movement carries on from where it was.
    if room.phase == "question":
        room.last_ranks = before
    elif room.phase == "reveal":
        room.previous_ranks, room.last_ranks = before, ranks()
    return room


def _opened(
    kind: type[RoomT],
    record: RoomRecord,
    questions: Sequence[Question],
    deck_title: str,
    **more: Any,
) -> RoomT:
    """The room the record names, as it was opened: code, seed, deck, timer, scoring, forms
    and teams; ``more``: what only this ``kind`` of room has (rounds; homework's deadline)."""
    return kind(
        list(questions),
        code=record.code,
        seed=record.seed,
        deck_id=record.deck,
        deck_title=record.deck_title or deck_title,
        timer=record.timer or None,
        scoring=record.scoring,
        started=record.started or now_utc(),
        kinds=kinds(record),
        teams=_teams(record),
        team_mode=record.team_mode,
        **more,
    )


def _teams(record: RoomRecord) -> tuple[str, ...]:
    """The record's teams, as a room keeps their names (none: no teams)."""
    if not record.teams:
        return ()
    try:
        teams = team_names(len(record.teams), record.teams)
    except ValueError as exc:
        raise BadField("teams", str(exc)) from None
    if list(teams) != record.teams:
        raise BadField("teams", "not team names as a room keeps them")
    return teams


def _seated(record: RoomRecord, room: Room, questions: Sequence[Question]) -> list[Player]:
    """The record's players seated in ``room``, no more than it lets in."""
    seats = _players(record, room, questions)
    if len(room.active) > room.max_players:
        raise BadField(
            "players",
            f"{plural(len(room.active), 'player')}, more than the room's {room.max_players} "
            "(resume it with --max-players N)",
        )
    return seats


def _check_score(k: int, pr: PlayerRecord, player: Player) -> None:
    """A player's recorded score is the one their answers, judged again, give."""
    if pr.score is not None and pr.score != player.game.score:
        raise BadField(
            f"players.{k}.score", f"{pr.score}, but {pr.name}'s answers give {player.game.score}"
        )


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
            raise BadField(
                f"players.{k}.name", f"not a name a room lets in ({exc.message})"
            ) from None
        if kept != pr.name:
            raise BadField(f"players.{k}.name", f"not a name a room lets in (it would be '{kept}')")
        if not pr.removed:
            # The room's own rule (PlayerName.alike: either key the same), one look-up a key.
            name = PlayerName.of(pr.name)
            twin = names.get(name.key, shapes.get(name.shape))
            if twin is not None:
                other = record.players[twin].name
                raise BadField(
                    f"players.{k}.name", f"'{pr.name}' passes for players.{twin}'s '{other}'"
                )
            names.setdefault(name.key, k)
            shapes.setdefault(name.shape, k)
        for seen, value, field in (
            (tokens, pr.token_sha256, "token_sha256"),
            (games, pr.game, "game"),
        ):
            if value in seen:
                raise BadField(f"players.{k}.{field}", f"the same as players.{seen[value]}'s")
            seen[value] = k
        # A player joins for the next question: the first in the lobby, at most the one after q.
        latest_first = 1 if record.phase == "lobby" else q + 1
        if pr.first > latest_first:
            raise BadField(
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
            raise BadField(f"players.{k}.team", f"'{pr.team}' is not one of the room's teams")
        if (
            room.teams
            and pr.team is None
            and record.phase != "lobby"
            and not pr.removed
            and not record.self_paced  # homework: checked by `_restore_homework`
        ):
            raise BadField(f"players.{k}.team", "every player has a team once the game is on")
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
                raise BadField(
                    f"answers.{k}.player_index", f"{seat} is not the player '{ar.player}'"
                )
        else:
            found = by_name.get(ar.player, [])
            if len(found) != 1:
                many = "more than one player is" if found else "no player is"
                raise BadField(f"answers.{k}.player", f"{many} called '{ar.player}'")
            seat = found[0]
        if ar.question > q:
            raise BadField(
                f"answers.{k}.question",
                f"{ar.question}, but the room has asked {plural(q, 'question')}",
            )
        asked = questions[ar.question - 1]
        if ar.round is not None and ar.round != round_of(ar.question - 1):
            raise BadField(
                f"answers.{k}.round",
                f"{ar.round}, but question {ar.question} is in round {round_of(ar.question - 1)}",
            )
        if ar.id != asked.id:
            raise BadField(f"answers.{k}.id", f"'{ar.id}' is not question {ar.question}'s id")
        if ar.choice is not None and not asked.unchosen and ar.choice >= len(asked.choices):
            raise BadField(
                f"answers.{k}.choice",
                f"{ar.choice}, but question {ar.question} has choices 0 to {len(asked.choices) - 1}",
            )
        if any(x is not None for x in (ar.choice, ar.text, ar.value, ar.order)):
            # The room's own check on an answer (a choice for a choice, text for typed, ...).
            try:
                kept = fitted(asked, ar.question, ar.choice, ar.text, ar.value, ar.order)
            except RoomError as exc:
                raise BadField(f"answers.{k}", exc.message) from None
            if kept != ar.text:
                raise BadField(f"answers.{k}.text", "not a typed answer as the room keeps one")
        limit = own_limit(record.timer, record.players[seat].extra)  # with extra time
        if ar.limit is not None:  # their extra time changed after this answer
            most = own_limit(record.timer, EXTRA_MAX)
            if not record.timer or most is None or not record.timer <= ar.limit <= most:
                raise BadField(f"answers.{k}.limit", f"{ar.limit}, not an own limit of this room")
            limit = ar.limit
        if record.timer and limit is not None and ar.seconds > limit:
            raise BadField(
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
                raise BadField(f"answers.{k}.question", what)
            out.append((k, ar, player))
        # Closing a question scores everyone still playing, answer or not.
        closed = q if record.phase == "reveal" else q - 1
        if not paced and not pr.removed and pr.first + len(given) <= closed:
            raise BadField(
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


def restore_homework(
    record: RoomRecord, questions: Sequence[Question], deck_title: str, max_players: int | None
) -> Room:
    """A self-paced room as it was: every player back on their own question (`Pace`), their
    answers judged again by the rules; a record that closed with games unsaved closes again."""
    from quiz.room.homework import Homework, Pace

    if record.phase not in ("question", "reveal"):
        raise BadField("phase", f"'{record.phase}', but a self-paced room is open or has closed")
    if record.rounds:
        raise BadField("rounds", "a self-paced room has no rounds")
    until = None
    if record.until:
        try:
            until = datetime.fromisoformat(record.until)
        except ValueError:
            raise BadField("until", f"'{record.until}' is not a date and time") from None
        if until.tzinfo is None:
            raise BadField("until", f"'{record.until}' has no offset from UTC")
    room = _opened(
        Homework, record, questions, deck_title, until=until, closed=record.phase == "reveal"
    )
    room.max_players = max_players or record.max_players or room.max_players
    seats = _seated(record, room, questions)
    for k, pr in enumerate(record.players):
        if pr.first != 1:
            raise BadField(f"players.{k}.first", f"{pr.first}, but a self-paced player starts at 1")
    answers = _answers(record, seats, questions, room.round_of, paced=True)
    for k, ar, who in answers:
        got = _rescore(room, who, ar)
        if got.correct != ar.correct or got.points != ar.points:
            raise BadField(
                f"answers.{k}.points",
                f"{ar.points} ({'right' if ar.correct else 'wrong'}), but the rules give "
                f"{got.points} ({'right' if got.correct else 'wrong'}) for that answer",
            )
    count = len(questions)
    for k, (pr, player) in enumerate(zip(record.players, seats, strict=True)):
        _check_score(k, pr, player)
        if pr.at is None or pr.step is None:
            raise BadField(f"players.{k}", "a self-paced room's record says where each player is")
        given = len(player.game.answers)
        if room.teams and player.team is None and not pr.removed:
            # A self-paced player picks their team before their first question.
            if given or room.team_mode == "auto":
                raise BadField(f"players.{k}.team", f"{pr.name} has no team, but plays")
        fits = {
            "question": pr.at == given + 1,
            "reveal": pr.at == given >= 1,
            "done": pr.at == count and (given == count or (given == 0 and room.closed)),
        }[pr.step]
        if not fits or pr.at > count:
            raise BadField(
                f"players.{k}.at",
                f"question {pr.at} ({pr.step}), but {pr.name} has "
                f"{plural(given, 'answer')} of {count}",
            )
        limit = own_limit(room.timer, pr.extra)  # with extra time, their own limit
        if limit is not None and pr.elapsed > limit:
            raise BadField(f"players.{k}.elapsed", f"{pr.elapsed}, past their {limit}-second limit")
        room.paces[player.game.id] = Pace(index=pr.at - 1, step=pr.step, ran=pr.elapsed)
    room.rescored()
    return room
