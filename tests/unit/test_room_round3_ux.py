"""Issue 23's live-room fixes: late joiners play the open question, --resume reopens it,
per-question counts out of the players present, and a double Enter never skips a question.

The server runs for real on 127.0.0.1 (port 0) with an injected clock; time is
moved by hand, never slept.
"""

from __future__ import annotations

import asyncio
import contextlib
import io
import json
from collections.abc import AsyncIterator, Callable
from pathlib import Path
from typing import Any

import aiohttp
import pytest

from quiz.deckfile.read import load_deck
from quiz.game.play import points_for
from quiz.questions.plan import make_quiz
from quiz.room import record as rec
from quiz.room.server import RoomServer
from quiz.room.state import ENTER_QUIET, Room
from quiz.saves.folder import SaveFolder
from tests.conftest import CHOICE_FORMS, FIXED
from tests.unit.test_room_server import Client, connect, joined

DECK = load_deck(FIXED)
QUESTIONS = make_quiz(DECK, 7, 2, kinds=CHOICE_FORMS)


class Clock:
    """The room's clock, moved by the test."""

    def __init__(self, now: float = 1000.0) -> None:
        self.now = now

    def __call__(self) -> float:
        return self.now


def make_room(timer: int | None) -> Room:
    return Room(
        QUESTIONS, code="123456", seed=7, deck_id=DECK.id, deck_title=DECK.title, timer=timer
    )


@pytest.fixture
async def session() -> AsyncIterator[aiohttp.ClientSession]:
    async with aiohttp.ClientSession() as s:
        yield s


async def until(check: Callable[[], bool], what: str, timeout: float = 5.0) -> None:
    """Wait, with a deadline, for something the room does by itself (a debounced write)."""
    async with asyncio.timeout(timeout):
        while not check():
            await asyncio.sleep(0.02)
    assert check(), what


def wrong(k: int) -> int:
    return (QUESTIONS[k].answer + 1) % len(QUESTIONS[k].choices)


async def test_a_late_joiner_is_told_the_game_is_on_and_answers_the_open_question(
    tmp_path: Path, session: aiohttp.ClientSession
) -> None:
    clock = Clock()
    server = RoomServer(make_room(20), SaveFolder(tmp_path / "saves"), port=0, clock=clock)
    await server.start()
    try:
        ann = await joined(session, server, "Ann")
        assert ann.frames[0]["phase"] == "lobby"
        await server.begin()
        await ann.next("question")
        clock.now += 5
        late = await joined(session, server, "Late")
        assert late.frames[0]["phase"] == "question"  # not "waiting for the host to start"
        asked = await late.next("question")
        assert asked["question"] == 1 and asked["seconds"] == 15  # the time it has left
        assert server.room.answered_count() == (0, 2)
        clock.now += 3  # 8 s after the question opened
        await late.send({"type": "answer", "question": 1, "choice": QUESTIONS[0].answer})
        assert (await late.next("answered"))["question"] == 1
        await ann.send({"type": "answer", "question": 1, "choice": wrong(0)})
        mine = await late.next("reveal")  # everyone answered: it closes by itself
        # The same points rule as everyone's, time counted from the question's open.
        assert mine["correct"] and mine["points"] == points_for(True, 8.0, 20, 1)
        assert mine["choice"] == QUESTIONS[0].answer and mine["players"] == 2
        theirs = await ann.next("reveal")
        assert theirs["choice"] == wrong(0) and not theirs["correct"]

        # Joining during a reveal: told the game is on, and plays from the next question.
        later = await joined(session, server, "Later")
        assert later.frames[0]["phase"] == "reveal"
        await server.advance()
        assert (await later.next("question"))["question"] == 2
        assert not any(f["type"] == "reveal" for f in later.frames)
        await server.close_question()
        nothing = await later.next("reveal")
        assert nothing["choice"] is None and nothing["points"] == 0
    finally:
        await server.stop()


async def _rejoin(
    session: aiohttp.ClientSession, server: RoomServer, name: str, token: str
) -> Client:
    client = await connect(session, server)
    await client.send({"type": "join", "code": "123456", "name": name, "token": token})
    assert (await client.next("welcome"))["phase"] == "question"
    return client


async def test_resume_reopens_the_open_question_with_the_time_it_had_left_and_its_answers(
    tmp_path: Path, session: aiohttp.ClientSession
) -> None:
    saves = SaveFolder(tmp_path / "saves")
    clock = Clock()
    first = RoomServer(make_room(20), saves, port=0, clock=clock)
    await first.start()
    ann = await joined(session, first, "Ann")
    ben = await joined(session, first, "Ben")
    tokens = {"Ann": ann.frames[0]["token"], "Ben": ben.frames[0]["token"]}
    await first.begin()
    for who in (ann, ben):
        await who.send({"type": "answer", "question": 1, "choice": QUESTIONS[0].answer})
    await ann.next("reveal")
    await first.advance()
    assert first.record_path is not None
    path = first.record_path

    def record() -> dict[str, Any]:
        data: dict[str, Any] = json.loads(path.read_text(encoding="utf-8"))
        return data

    # The record says so as soon as question 2 opens, before anyone answers it.
    await until(lambda: record()["phase"] == "question" and record()["question"] == 2, "opened")
    clock.now += 6
    await ann.send({"type": "answer", "question": 2, "choice": QUESTIONS[1].answer})
    await ann.next("answered")
    await until(lambda: len(record()["answers"]) == 3, "the answer written")
    assert record()["elapsed"] == 6.0
    await first.stop()  # the players' sockets drop, as with kill -9

    again = rec.restore(rec.read(path), QUESTIONS, DECK.title, path=path)
    second = RoomServer(again, saves, port=0, clock=Clock(5000.0), record_path=path)
    await second.start()
    try:
        assert again.phase == "question" and again.index == 1
        back = await _rejoin(session, second, "Ann", tokens["Ann"])
        asked = await back.next("question")
        assert asked["question"] == 2 and asked["seconds"] == 14  # 20 s less the 6 it had run
        await back.next("answered")  # her answer before the crash is kept
        ben2 = await _rejoin(session, second, "Ben", tokens["Ben"])
        assert (await ben2.next("question"))["seconds"] == 14
        await ben2.send({"type": "answer", "question": 2, "choice": QUESTIONS[1].answer})
        reveal = await ben2.next("reveal")
        assert reveal["points"] == points_for(True, 6.0, 20, 2)  # 6 s in: the clock went on
        mine = await back.next("reveal")
        assert mine["correct"] and mine["choice"] == QUESTIONS[1].answer
    finally:
        await second.stop()


async def _play_two_then_five_join(server: RoomServer) -> Room:
    room = server.room
    ann, _ = room.join("Ann")
    ben, _ = room.join("Ben")
    await server.begin()
    room.answer(ann.token, 1, QUESTIONS[0].answer, 1002.0)
    room.answer(ben.token, 1, QUESTIONS[0].answer, 1003.0)
    await server.close_question()
    for k in range(5):
        room.join(f"Late {k}")
    await server.advance()
    room.answer(ann.token, 2, QUESTIONS[1].answer, 1001.0)
    await server.close_question()
    await server.advance()
    return room


async def test_per_question_counts_are_out_of_the_players_present(tmp_path: Path) -> None:
    from quiz.plain.host_lines import end_lines
    from quiz.scores.report import rows
    from quiz.scores.stats import analyse, read_games
    from quiz.tui.live.host import HostApp

    saves = SaveFolder(tmp_path / "saves")
    server = RoomServer(make_room(None), saves, port=0, clock=Clock())
    server.prepare_saves()
    room = await _play_two_then_five_join(server)
    assert room.phase == "end" and room.per_question() == [(2, 2), (1, 7)]
    assert any("Q1 2" in line for line in end_lines(room))
    assert server.record_path is not None
    written = json.loads(server.record_path.read_text(encoding="utf-8"))
    assert written["present"] == [2, 7]
    app = HostApp(server, start_server=False)
    async with app.run_test(size=(80, 24)) as pilot:
        await pilot.pause()
        shown = str(app.query_one("#e-rights").visual)
        assert "Q1 2/2" in shown and "Q2 1/7" in shown
    # What the saves say: Q1 was asked twice, in the report and in the item analysis.
    assert [r["question_id"] for r in rows(saves)].count(QUESTIONS[0].id) == 2
    games, _ = read_games(str(saves.root), None)
    items = {q["question"]: q for q in analyse(games)["questions"]}
    assert items[QUESTIONS[0].id]["asked"] == 2 and items[QUESTIONS[1].id]["asked"] == 7


def test_a_record_whose_present_counts_do_not_fit_its_players_is_refused(
    tmp_path: Path,
) -> None:
    room = make_room(None)
    ann, _ = room.join("Ann")
    room.start(0.0)
    room.answer(ann.token, 1, QUESTIONS[0].answer, 1.0)
    room.close(2.0)
    good = room.record()
    old = {k: v for k, v in good.items() if k != "present"}  # a record from before issue 23
    assert rec.restore(rec.RoomRecord.model_validate(old), QUESTIONS, DECK.title).index == 0
    path = tmp_path / "room.json"
    path.write_text(json.dumps(dict(good, present=[7])), encoding="utf-8")
    with pytest.raises(rec.RecordError) as refused:
        rec.restore(rec.read(path), QUESTIONS, DECK.title, path=path)
    assert "present: [7], but the players give [1]" in str(refused.value)


async def test_a_double_enter_with_the_timer_off_never_skips_a_question(tmp_path: Path) -> None:
    clock = Clock()
    server = RoomServer(make_room(None), None, port=0, clock=clock)
    room = server.room
    room.join("Ann")
    await server.begin()  # the first Enter
    assert not await server.host_close()  # the second, a moment later: ignored
    assert room.phase == "question" and room.index == 0
    clock.now += ENTER_QUIET
    assert await server.host_close()  # a real decision to close
    assert room.phase == "reveal"
    await server.advance()
    clock.now += 0.2
    assert not await server.host_close() and room.phase == "question" and room.index == 1


async def test_a_double_enter_that_closes_a_question_never_skips_its_reveal() -> None:
    clock = Clock()
    server = RoomServer(make_room(None), None, port=0, clock=clock)
    room = server.room
    room.join("Ann")
    await server.begin()
    clock.now += ENTER_QUIET
    assert await server.host_close()  # the first Enter closes the question
    assert not await server.host_advance()  # the second, a moment later: the reveal stays
    assert room.phase == "reveal" and room.index == 0
    clock.now += ENTER_QUIET
    assert await server.host_advance() and room.phase == "question" and room.index == 1


async def test_the_plain_host_ignores_a_double_enter_too(tmp_path: Path) -> None:
    from quiz.plain.host import run_host
    from quiz.room.steps import JUST_OPENED

    clock = Clock()  # held still: the second Enter comes within the question's first second
    server = RoomServer(make_room(None), None, port=0, clock=clock)
    await server.start()
    server.room.join("Ann")
    out = io.StringIO()
    host = asyncio.ensure_future(run_host(server, io.StringIO("\n\n"), out, interactive=True))
    try:
        await until(lambda: JUST_OPENED in out.getvalue(), "the second Enter was told it was early")
        assert server.room.phase == "question" and server.room.index == 0
    finally:
        host.cancel()
        with contextlib.suppress(asyncio.CancelledError):
            await host
        await server.stop()


async def test_a_player_who_joins_again_elsewhere_stops_the_old_page_for_good(
    session: aiohttp.ClientSession,
) -> None:
    """Two tabs with one token must not take the seat from each other forever."""
    from quiz.plain.join import Player
    from tests.unit.test_join_round3 import Typist

    server = RoomServer(make_room(20), None, port=0)
    await server.start()
    url = f"http://127.0.0.1:{server.port}/"
    keys = Typist()
    old = Player(url, "123456", "Ann", keys.stdin, keys.stdout)
    playing = asyncio.ensure_future(old.run())
    try:
        await until(lambda: old.token is not None and server.room.active, "Ann joined")
        again = await connect(session, server)
        await again.send({"type": "join", "code": "123456", "name": "Ann", "token": old.token})
        await again.next("welcome")
        async with asyncio.timeout(10):
            code = await playing  # the old player stops: it does not rejoin
        assert code == 1
        assert "joined again from another page or window" in keys.stdout.getvalue()
        assert server.room.players[old.token].connected  # the new page keeps the seat
    finally:
        playing.cancel()
        await server.stop()
