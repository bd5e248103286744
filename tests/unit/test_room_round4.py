"""Issue 26 in the room: ties share a place on every board, the points said part by part,
and the host's lines say "1 question", never "1 questions"."""

from __future__ import annotations

import asyncio
import io
import json
from pathlib import Path

from quiz.plain.host import run_host
from quiz.room import protocol as p
from quiz.room.driver import RoomDriver
from tests.unit.test_room_host import make_server


async def test_a_tie_shares_a_place_on_the_leaderboard_and_the_podium() -> None:
    server = make_server(None, count=1)
    room = server.room
    tokens = [room.join(name)[0].token for name in ("Ann", "Ben", "Cy")]
    room.start(0.0)
    right = room.questions[0].answer
    room.answer(tokens[0], 1, right, 1.0)
    room.answer(tokens[1], 1, right, 1.0)
    room.answer(tokens[2], 1, (right + 1) % len(room.questions[0].choices), 1.0)
    room.close(2.0)
    driver = RoomDriver(room, None)
    board = json.loads(p.dump(driver.leaderboard_frame()))
    assert [(t["name"], t["place"]) for t in board["top"]] == [("Ann", 1), ("Ben", 1), ("Cy", 3)]
    end = json.loads(p.dump(driver.end_frame(tokens[1])))
    assert end["rank"] == 1 and [t["place"] for t in end["podium"]] == [1, 1, 3]
    # Each player's reveal says the points part by part, as the terminal does.
    reveals = {t: json.loads(str(text)) for t, text in driver.reveal_texts(tokens)}
    assert reveals[tokens[0]]["breakdown"] == "1000 base"
    assert reveals[tokens[2]]["breakdown"] == "" and reveals[tokens[2]]["points"] == 0
    assert not reveals[tokens[2]]["timed_out"]  # answered, and wrong: not "time's up"


async def test_a_player_who_gave_nothing_is_told_time_ran_out_not_wrong() -> None:
    server = make_server(None, count=1, timer=10)
    room = server.room
    ann = room.join("Ann")[0].token
    room.start(0.0)
    room.close(10.0)
    [(_, text)] = RoomDriver(room, None).reveal_texts([ann])
    reveal = json.loads(str(text))
    assert reveal["timed_out"] and reveal["given"] is None and not reveal["correct"]


async def test_the_plain_host_says_one_question_and_one_second(tmp_path: Path) -> None:
    server = make_server(tmp_path, count=1, timer=1)
    await server.start()
    server.room.join("Ann")  # in the room, never answering: the timer closes the question
    out = io.StringIO()
    try:
        async with asyncio.timeout(20):
            await run_host(server, io.StringIO("\n\n\n"), out, interactive=False, drain=0.0)
    finally:
        await server.stop()
    text = out.getvalue()
    assert ": 1 question, seed 7" in text and "1 questions" not in text
    assert "answered 0/1 (1 second)" in text
