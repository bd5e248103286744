"""A school's week in the live room (issue 26): a team picked on the phone in self-paced
homework, and extra time there; with the fake clock of test_room_homework."""

from __future__ import annotations

import asyncio
import json
from collections.abc import Callable
from pathlib import Path
from typing import Any

import aiohttp

from quiz.room import protocol as p
from quiz.room import record as rec
from quiz.room.homework import Homework
from quiz.room.server import RoomServer
from quiz.saves.folder import SaveFolder
from tests.room_helpers import DECK, room_on
from tests.unit.test_room_homework import QUESTIONS, RIGHT, Phones, homework, where


async def joined(phones: Phones, name: str, team: str | None = None) -> str:
    """What the server does with a join: seat the player, then where they are."""
    player, _ = phones.room.join(name, None, team)
    phones.seated.add(player.token)
    await phones.paced_catch_up(player.token)
    return player.token


async def picked(phones: Phones, token: str, team: str) -> None:
    """What the server does with a `team` frame in homework: the team, then question 1."""
    await phones.send_to([(token, p.team_set(await phones.pick_team(token, team)))])
    await phones.paced_catch_up(token)


def reread(phones: Phones, folder: Path) -> Homework:
    """The room from its record, as `quiz host --resume` reads it."""
    path = folder / "room.json"
    path.write_text(json.dumps(phones._record()))
    room = rec.restore(rec.read(path), QUESTIONS, DECK.title)
    assert isinstance(room, Homework)
    return room


async def test_a_homework_player_picks_a_team_and_their_first_question_follows(
    tmp_path: Path,
) -> None:
    room = homework(timer=20, teams=("Red", "Blue"))
    phones = Phones(room)
    await phones.paced_start()
    ann = await joined(phones, "Ann")
    assert phones.inbox[ann] == []  # no question before a team
    assert room.welcome_phase(room.players[ann]) == "lobby"
    await phones.at(30.0)  # she takes her time over it: her question's time starts later
    await picked(phones, ann, "2")
    assert [f["type"] for f in phones.inbox[ann]] == ["team", "question"]
    assert phones.last(ann, "team")["team"] == "Blue"
    assert phones.last(ann)["seconds"] == 20
    await phones.at(32.0)
    await phones.answer(ann, RIGHT[0])
    assert phones.last(ann)["points"] == 950  # 2 s from her own question, not 32
    # Once picked, the team stays; naming it on joining starts at once (quiz join --team).
    try:
        await phones.pick_team(ann, "Red")
        raise AssertionError("a second pick was taken")
    except p.RoomError as exc:
        assert exc.code == "not-open"
    bo = await joined(phones, "Bo", "red")
    assert room.players[bo].team == "Red" and phones.last(bo)["question"] == 1
    # A player still picking is kept so in the record, and picks after a resume.
    cy = await joined(phones, "Cy")
    again = reread(phones, tmp_path)
    back = Phones(again)
    await back.paced_start()
    assert again.players.get(cy) is None and where(again)["Cy"] == (1, "question", 0)
    player, _ = again.join("Cy", cy)
    back.seated.add(cy)
    await back.paced_catch_up(cy)
    assert back.inbox[cy] == [] and again.to_pick(player)
    await picked(back, cy, "Red")
    assert back.last(cy)["question"] == 1


async def test_auto_teams_in_homework_balance_players_as_they_join() -> None:
    room = homework(timer=20, teams=("Red", "Blue"), team_mode="auto")
    phones = Phones(room)
    tokens = [await joined(phones, name) for name in ("Ann", "Bo", "Cy")]
    assert [room.players[t].team for t in tokens] == ["Red", "Blue", "Red"]
    assert all(phones.last(t)["type"] == "question" for t in tokens)


async def test_extra_time_in_homework_is_the_players_own_limit(tmp_path: Path) -> None:
    room = homework(timer=20)
    room.set_extra("Ann", 2)  # quiz host --extra-time Ann=2: applies when she joins
    phones = Phones(room)
    await phones.paced_start()
    ann = await joined(phones, "Ann")
    bo = await joined(phones, "Bo")
    assert phones.last(ann)["seconds"] == 40 and phones.last(bo)["seconds"] == 20
    await phones.at(20.0)
    assert phones.last(bo)["timed_out"]  # the timer is Bo's limit
    assert phones.last(ann)["type"] == "question"  # Ann has 20 s more
    await phones.at(30.0)
    await phones.answer(ann, RIGHT[0])
    # Speed against her own 40 s: round(1000 * (1 - 30 / 80)) = 625.
    assert phones.last(ann)["correct"] and phones.last(ann)["points"] == 625
    await phones.paced_next(ann)
    await phones.at(30.0 + 40.0)  # her own timer on question 2 runs out at 40 s
    assert phones.last(ann)["type"] == "reveal" and phones.last(ann)["timed_out"]
    # Her record resumes: 35 s into a question is inside her limit, not past the timer.
    await phones.paced_next(ann)
    await phones.at(105.0)
    again = reread(phones, tmp_path)
    assert where(again)["Ann"] == (3, "question", 625)


async def until(check: Callable[[], bool]) -> None:
    async with asyncio.timeout(5):
        while not check():
            await asyncio.sleep(0.01)


async def test_a_phone_picks_its_team_in_homework_on_127_0_0_1(tmp_path: Path) -> None:
    server = RoomServer(homework(timer=20, teams=("Red", "Blue")), SaveFolder(tmp_path), port=0)
    await server.start()

    async def receive(ws: aiohttp.ClientWebSocketResponse) -> dict[str, Any]:
        async with asyncio.timeout(5):
            msg = await ws.receive()
            assert msg.type == aiohttp.WSMsgType.TEXT, msg
            return dict(json.loads(msg.data))

    try:
        async with aiohttp.ClientSession() as session:
            url = f"http://127.0.0.1:{server.port}/ws"
            bo = await session.ws_connect(url)
            await bo.send_str(p.join("123456", "Bo", team="Red"))
            assert (await receive(bo))["team"] == "Red"
            assert (await receive(bo))["type"] == "question"
            await bo.close()  # Bo leaves: a timed homework stays open for everyone else
            await until(lambda: not any(pl.connected for pl in server.room.active))
            ws = await session.ws_connect(url)
            await ws.send_str(p.join("123456", "Ann"))
            welcome = await receive(ws)
            assert welcome["pick"] and welcome["phase"] == "lobby" and welcome["team"] is None
            await ws.send_str(p.answer(1, RIGHT[0]))  # no question before a team
            assert (await receive(ws))["code"] == "not-open"
            await ws.send_str(p.pick_team("Blue"))
            assert (await receive(ws)) == {"type": "team", "team": "Blue"}
            assert (await receive(ws))["type"] == "question"
            await ws.send_str(p.answer(1, RIGHT[0]))
            assert (await receive(ws))["type"] == "answered"
            assert (await receive(ws))["type"] == "reveal"
            assert server.room.phase == "question"  # still open
            await ws.close()
    finally:
        await server.stop()


def test_extra_time_set_mid_game_applies_from_the_next_question_and_resumes(
    tmp_path: Path,
) -> None:
    room = room_on(QUESTIONS, timer=20)
    ann, _ = room.join("Ann")
    room.start(0.0)
    assert room.set_extra("Ann", 2) is ann  # the host's x during question 1
    assert room.limit_of(ann) == 20  # her open question keeps its time
    room.answer(ann.token, 1, RIGHT[0], 10.0)
    assert ann.game.answers[0].points == 750  # round(1000 * (1 - 10 / 40)): her 1x limit
    room.close(10.0)
    room.advance(15.0)  # question 2 opens at 15 s: her 2x from now on
    assert room.limit_of(ann) == 40 and room.seconds_left_for(ann.token, 15.0) == 40
    room.answer(ann.token, 2, RIGHT[1], 45.0)  # 30 s in, past the timer, inside her 40 s
    assert ann.game.answers[1].points == 625 + 100  # round(1000 * (1 - 30 / 80)) + streak
    path = tmp_path / "room.json"
    path.write_text(json.dumps(room.record(45.0)))
    again = rec.restore(rec.read(path), QUESTIONS, DECK.title)
    back = next(iter(again.players.values()))
    assert back.extra == 2 and back.game.score == ann.game.score  # both answers judged again


async def test_extra_time_set_on_the_homework_grid_applies_from_the_next_question() -> None:
    room = homework(timer=20)
    phones = Phones(room)
    await phones.paced_start()
    ann = await joined(phones, "Ann")
    phones.set_extra("Ann", None)  # the grid's x: 1.5x
    assert phones.last(ann)["seconds"] == 20
    assert [r.extra for r in room.grid()] == [1.5]
    await phones.at(5.0)
    await phones.answer(ann, RIGHT[0])
    await phones.paced_next(ann)
    assert phones.last(ann)["seconds"] == 30  # 20 s at 1.5x
