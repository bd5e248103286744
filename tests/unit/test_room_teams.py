"""Teams in the live room (issue 26 item 2): picking and balancing, the mean of members'
scores (the hot-seat rule) with a late joiner not held back by it, and the record."""

from __future__ import annotations

import asyncio
import json
from pathlib import Path

import pytest

from quiz.deckfile.read import load_deck
from quiz.game.play import Match
from quiz.questions.plan import make_quiz
from quiz.room import record as rec
from quiz.room.roster import team_names
from quiz.room.state import Room
from quiz.room.wire import RoomError
from tests.conftest import CHOICE_FORMS, FIXED
from tests.room_helpers import room_on

DECK = load_deck(FIXED)
QUESTIONS = make_quiz(DECK, 7, 4, kinds=CHOICE_FORMS)


def make_room(teams: tuple[str, ...] = ("Red", "Blue"), mode: str = "pick") -> Room:
    return room_on(
        QUESTIONS,
        timer=None,
        scoring="accuracy",  # 1000 a right answer: hand-worked sums
        teams=teams,
        team_mode=mode,  # type: ignore[arg-type]
    )


def play(room: Room, rights: dict[str, bool], now: float) -> None:
    """Everyone playing the open question answers (right or wrong), then it closes."""
    k = room.index
    for p in room.playing():
        choice = QUESTIONS[k].answer if rights.get(p.name) else (QUESTIONS[k].answer + 1) % 2
        room.answer(p.token, k + 1, choice, now)
    room.close(now + 1)


def test_team_names_numbers_and_refusals() -> None:
    assert team_names(3) == ("Team 1", "Team 2", "Team 3")
    assert team_names(2, ["Red", " Blue "]) == ("Red", "Blue")
    for bad in (["Red"], ["Red", "red"], ["Red", "B\u200bue"], [f"T{k}" for k in range(9)]):
        with pytest.raises(ValueError):
            team_names(len(bad), bad)
    room = make_room()
    assert room.team_named("2") == "Blue" and room.team_named("rED") == "Red"
    with pytest.raises(RoomError) as exc:
        room.team_named("Green")
    assert exc.value.code == "bad-team" and "Red, Blue" in exc.value.message


def test_players_pick_in_the_lobby_and_whoever_has_not_is_balanced_at_the_start() -> None:
    room = make_room()
    ann, _ = room.join("Ann", team="Red")
    ben, _ = room.join("Ben", team="1")
    cat, _ = room.join("Cat")
    dan, _ = room.join("Dan")
    assert (ann.team, ben.team, cat.team) == ("Red", "Red", None)
    room.pick_team(dan.token, "red")
    room.pick_team(dan.token, "Blue")  # changed their mind in the lobby
    room.start(now=0.0)
    assert cat.team == "Blue" and room.team_sizes() == {"Red": 2, "Blue": 2}
    with pytest.raises(RoomError, match="teams stay"):
        room.pick_team(dan.token, "Red")
    late, _ = room.join("Eve")  # once the game is on: the smallest team (the first on a tie)
    assert late.team == "Red"


def test_auto_shares_players_out_as_they_join() -> None:
    room = make_room(("A", "B", "C"), mode="auto")
    teams = [room.join(n, team="A")[0].team for n in ("Ann", "Ben", "Cat", "Dan", "Eve")]
    assert teams == ["A", "B", "C", "A", "B"]
    with pytest.raises(RoomError, match="shares players out"):
        room.pick_team(room.active[0].token, "C")


def test_team_means_are_the_hot_seat_rule_and_a_late_joiner_counts_at_their_own_rate() -> None:
    room = make_room()
    ann, _ = room.join("Ann", team="Red")
    ben, _ = room.join("Ben", team="Red")
    cat, _ = room.join("Cat", team="Blue")
    room.start(now=0.0)
    play(room, {"Ann": True, "Ben": False, "Cat": True}, 1.0)  # Q1
    # Red: (1000 + 0) / 2 = 500; Blue: 1000. The same as Match's rule for a hot-seat match.
    got = [(t.name, t.score, t.place, t.players) for t in room.team_standings()]
    assert got == [("Blue", 1000.0, 1, 1), ("Red", 500.0, 2, 2)]
    match = Match([p.game for p in room.active], {"Red": ["Ann", "Ben"], "Blue": ["Cat"]})
    assert match.team_scores() == [(t.name, t.score) for t in room.team_standings()]
    room.advance(now=10.0)
    dan, _ = room.join("Dan", team="Blue")  # joins during Q2: plays Q2 to Q4
    assert dan.first == 1
    play(room, {"Ann": True, "Ben": True, "Cat": False, "Dan": True}, 11.0)  # Q2
    room.advance(now=20.0)
    play(room, {"Ann": True, "Ben": False, "Cat": False, "Dan": True}, 21.0)  # Q3
    # After 3 questions: Ann 3000, Ben 1000 -> Red 2000. Cat 1000; Dan 2000 in his 2
    # questions counts as 2000 * 3 / 2 = 3000 -> Blue (1000 + 3000) / 2 = 2000: a tie,
    # not Blue 1500 for Dan's missed first question.
    assert room.counted_score(dan) == 3000.0 and dan.game.score == 2000
    standings = room.team_standings()
    assert [(t.name, t.score, t.place) for t in standings] == [
        ("Red", 2000.0, 1),
        ("Blue", 2000.0, 1),
    ]
    # Each player's own place stays theirs: Ann first alone.
    assert room.rank_of(ann.token) == 1 and room.rank_of(dan.token) == 2


def test_the_record_keeps_teams_for_resume_and_refuses_a_forged_one(tmp_path: Path) -> None:
    room = make_room()
    ann, _ = room.join("Ann", team="Blue")
    room.join("Ben")
    room.start(now=0.0)
    play(room, {"Ann": True}, 1.0)
    record = room.record()
    assert [p.get("team") for p in record["players"]] == ["Blue", "Red"]
    assert record["teams"] == ["Red", "Blue"] and record["team_mode"] == "pick"
    path = tmp_path / "room.json"
    path.write_text(json.dumps(record))
    back = rec.restore(rec.read(path), QUESTIONS, DECK.title, path=path)
    assert [(p.name, p.team) for p in back.active] == [("Ann", "Blue"), ("Ben", "Red")]
    assert [t.name for t in back.team_standings()] == ["Blue", "Red"]
    record["players"][1]["team"] = "Green"
    path.write_text(json.dumps(record))
    with pytest.raises(rec.RecordError, match=r"players\.1\.team: 'Green' is not one"):
        rec.restore(rec.read(path), QUESTIONS, DECK.title, path=path)


async def test_two_hundred_players_with_teams_and_rounds_through_the_real_server() -> None:
    """200 sockets on 127.0.0.1: half name a team in their join frame, half pick one after
    the welcome; two rounds of two questions; every phone gets each card, question, reveal,
    the round's board and the teams' means, and the means are the room's."""
    import aiohttp

    from quiz.room.plan import rounds_for
    from quiz.room.server import RoomServer

    room = Room(
        QUESTIONS,
        code="123456",
        seed=7,
        deck_id=DECK.id,
        deck_title=DECK.title,
        timer=None,
        scoring="accuracy",
        max_players=200,
        rounds=rounds_for(len(QUESTIONS), 2),
        teams=("Red", "Blue", "Green"),
    )
    server = RoomServer(room, None, port=0, leaderboard="round")
    await server.start()
    frames: list[list[dict[str, object]]] = [[] for _ in range(200)]

    async def seen(kind: str, count: int) -> None:
        """Every phone has ``count`` frames of ``kind`` (a bounded wait, no fixed sleep)."""
        async with asyncio.timeout(10):
            while any(sum(f["type"] == kind for f in got) < count for got in frames):
                await asyncio.sleep(0.01)

    try:
        # No cap on the client's connections (aiohttp's default holds 100).
        async with aiohttp.ClientSession(connector=aiohttp.TCPConnector(limit=0)) as session:
            sockets = [
                await session.ws_connect(f"http://127.0.0.1:{server.port}/ws") for _ in range(200)
            ]

            async def read(k: int) -> None:
                async for msg in sockets[k]:
                    frames[k].append(json.loads(msg.data))

            readers = [asyncio.ensure_future(read(k)) for k in range(200)]
            for k, ws in enumerate(sockets):
                join = {"type": "join", "code": "123456", "name": f"P{k}"}
                if k % 2 == 0:
                    join["team"] = str(k % 3 + 1)  # by number
                await ws.send_str(json.dumps(join))
            await seen("welcome", 1)
            assert all(
                got[0]["pick"] and got[0]["teams"] == ["Red", "Blue", "Green"] for got in frames
            )
            for k in range(1, 200, 2):
                await sockets[k].send_str(json.dumps({"type": "team", "team": "green"}))
            async with asyncio.timeout(10):
                while sum(1 for p in room.active if p.team == "Green") < 100 + 33:
                    await asyncio.sleep(0.01)
            for number in (1, 2):
                # The host's Enter: the round's title card, then its first question.
                await (server.begin() if number == 1 else server.advance())
                await seen("round", number)
                for q in (2 * number - 1, 2 * number):
                    await (server.begin() if q == 1 else server.advance())
                    await seen("question", q)
                    for k, ws in enumerate(sockets):
                        right = k % 4 != 0  # every fourth player wrong
                        choice = (
                            QUESTIONS[q - 1].answer if right else (QUESTIONS[q - 1].answer + 1) % 2
                        )
                        await ws.send_str(
                            json.dumps({"type": "answer", "question": q, "choice": choice})
                        )
                    await seen("reveal", q)  # everyone answered: the room closed it itself
                await seen("teams", 2 * number)
                last = [f for f in frames[0] if f["type"] == "leaderboard"]
                assert last[-2]["round"] == number and last[-1]["round"] is None
            teams = [f for f in frames[0] if f["type"] == "teams"][-1]["teams"]
            assert teams == [
                {"name": t.name, "score": round(t.score), "place": t.place, "players": t.players}
                for t in room.team_standings()
            ]
            assert sum(t["players"] for t in teams) == 200
            await server.advance()
            await seen("end", 1)
            for ws in sockets:
                await ws.close()
            for reader in readers:
                reader.cancel()
    finally:
        await server.stop()
