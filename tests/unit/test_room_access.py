"""Accommodations in the live room (issue 26 item 4): a player's extra time, judged and
scored against their own limit; the time said at thresholds in `quiz join --plain`;
and a room that keeps the question's text off the players' devices."""

from __future__ import annotations

import asyncio
import io
import json
from pathlib import Path
from typing import Any

import pytest

from quiz.deckfile.read import load_deck
from quiz.plain.host_lines import extra_command
from quiz.plain.join import Player
from quiz.plain.lines import LineReader
from quiz.questions.plan import make_quiz
from quiz.room import protocol as p
from quiz.room import record as rec
from quiz.room.client import announcements_due, next_announcement, time_words
from quiz.room.driver import RoomDriver
from quiz.room.players import extra_time_spec, own_limit
from quiz.room.state import Room
from quiz.room.wire import RoomError
from tests.conftest import CHOICE_FORMS, FIXED
from tests.room_helpers import room_on

DECK = load_deck(FIXED)
QUESTIONS = make_quiz(DECK, 7, 3, kinds=CHOICE_FORMS)
T0 = 100.0  # when the first question opens, on the test's clock


class Recorder(RoomDriver):
    """A driver whose frames are kept per player, time moved by hand, timers fired by hand."""

    def __init__(self, room: Room, **kw: Any) -> None:
        self.now = T0
        self.timers: list[tuple[float, Any]] = []
        super().__init__(room, None, clock=lambda: self.now, schedule=self._later, **kw)
        self.sent: dict[str, list[dict[str, Any]]] = {}

    def _later(self, delay: float, callback: Any) -> Any:
        self.timers.append((self.now + delay, callback))
        return asyncio.get_running_loop().call_later(3600, lambda: None)  # fired by `fire`

    def fire(self) -> None:
        """Run the timers due by now."""
        due = [t for t in self.timers if t[0] <= self.now]
        self.timers = [t for t in self.timers if t[0] > self.now]
        for _, callback in due:
            callback()

    def seated_tokens(self) -> list[str]:
        return list(self.room.players)

    async def broadcast(self, frame: p.RoomFrame) -> None:
        for token in self.room.players:
            self.sent.setdefault(token, []).append(json.loads(p.dump(frame)))

    async def send_to(self, items: list[tuple[str, p.RoomFrame | str]]) -> None:
        for token, frame in items:
            text = frame if isinstance(frame, str) else p.dump(frame)
            self.sent.setdefault(token, []).append(json.loads(text))

    def last(self, token: str, kind: str) -> dict[str, Any]:
        return [f for f in self.sent[token] if f["type"] == kind][-1]


def right(k: int) -> int:
    return QUESTIONS[k].answer


def test_extra_time_specs_and_their_refusals() -> None:
    assert extra_time_spec("Ann=2, Bo=1.5") == [("Ann", 2.0), ("Bo", 1.5)]
    assert extra_time_spec("Ann=2x") == [("Ann", 2.0)]
    for bad, said in [
        ("Ann", "not NAME=MULTIPLIER"),
        ("=2", "not NAME=MULTIPLIER"),
        ("Ann=5", "from 1 to 4"),
        ("Ann=0.5", "from 1 to 4"),
        ("Ann=nan", "from 1 to 4"),
        ("Ann=two", "from 1 to 4"),
        ("Ann=2,ann=1.5", "named twice"),
        ("A\u200bnn=2", "invisible"),
    ]:
        with pytest.raises(ValueError, match=said):
            extra_time_spec(bad)
    assert own_limit(20, 2) == 40 and own_limit(15, 1.5) == 23 and own_limit(None, 2) is None


def test_a_2x_player_answering_at_1_5x_the_timer_is_in_time_and_scored_by_their_own_limit() -> None:
    room = room_on(QUESTIONS, timer=20)
    room.set_extra("Ann", 2)  # before she joins: applied when she does
    ann, _ = room.join("ann")  # the name key, not the spelling
    ben, _ = room.join("Ben")
    assert ann.extra == 2 and ann.game.timer == 40 and ben.game.timer == 20
    room.start(T0)
    got = room.answer(ben.token, 1, right(0), T0 + 10)
    assert got.points == 750  # 500 + 500 * (1 - 10/20)
    assert room.closes_in(T0 + 20) == 20  # the timer has run out for Ben, not for Ann
    assert not room.expired(T0 + 20)
    mine = room.answer(ann.token, 1, right(0), T0 + 30)  # 1.5x the timer: 0.75 of her own
    assert mine.correct and not mine.timed_out
    assert mine.points == 625 and mine.breakdown is not None
    assert mine.breakdown.words() == "500 base + 125 speed"
    assert room.expired(T0 + 30)  # nobody else can still answer: the reveal comes now


def test_the_reveal_waits_for_the_longest_extra_time_and_no_longer() -> None:
    room = room_on(QUESTIONS, timer=20)
    ann, _ = room.join("Ann")
    ben, _ = room.join("Ben")
    cat, _ = room.join("Cat")
    room.set_extra("Ann", 2)
    room.set_extra("Cat", 1.5)
    room.start(T0)
    with pytest.raises(RoomError) as exc:
        room.answer(ben.token, 1, 0, T0 + 20)  # Ben's time is up at 20 s
    assert exc.value.code == "not-open"
    room.answer(ann.token, 1, right(0), T0 + 5)
    assert room.closes_in(T0 + 20) == 10  # Cat's 30 s; Ann has answered
    assert room.expired(T0 + 30)
    room.close(T0 + 30)
    timed_out = {p.name: p.game.answers[0] for p in (ben, cat)}
    assert timed_out["Ben"].seconds == 20 and timed_out["Cat"].seconds == 30
    assert all(a.timed_out and a.points == 0 for a in timed_out.values())


async def test_each_player_gets_their_own_seconds_and_the_room_closes_after_the_extra_time() -> (
    None
):
    room = room_on(QUESTIONS, timer=20)
    ann, _ = room.join("Ann")
    ben, _ = room.join("Ben")
    driver = Recorder(room)
    room.set_extra("Ann", 2)
    await driver.begin()
    assert driver.last(ann.token, "question")["seconds"] == 40
    assert driver.last(ben.token, "question")["seconds"] == 20
    driver.now = T0 + 20
    driver.fire()  # the timer's end: Ann still has time, so the question stays open
    await asyncio.sleep(0)
    assert room.phase == "question"
    driver.now = T0 + 41
    driver.fire()
    for _ in range(3):
        await asyncio.sleep(0)
    assert room.phase == "reveal"
    assert driver.last(ann.token, "reveal")["timed_out"] is True


def test_the_record_keeps_extra_time_for_resume(tmp_path: Path) -> None:
    room = room_on(QUESTIONS, timer=20)
    ann, _ = room.join("Ann")
    room.join("Ben")
    room.set_extra("Ann", 2)
    room.set_extra("Dan", 1.5)  # not in yet
    room.start(T0)
    room.answer(ann.token, 1, right(0), T0 + 30)
    path = tmp_path / "room.json"
    path.write_text(json.dumps(room.record(T0 + 31)), encoding="utf-8")
    back = rec.restore(rec.read(path), QUESTIONS, DECK.title, path=path)
    again = back.by_name("Ann")
    assert again is not None and again.extra == 2 and again.game.timer == 40
    assert again.game.answers[0].points == 625
    assert back.resumed_after == 31  # past the timer: Ann's own 40 s still run
    dan, _ = back.join("Dan")
    assert dan.extra == 1.5 and dan.game.timer == 30
    # A record edited by hand: extra time past 4x, or taken away from an answer that needed it.
    for field, value, said in [("extra", 10, "players.0.extra"), ("extra", 1, "answers.0.seconds")]:
        forged = room.record(T0 + 31)
        forged["players"][0][field] = value
        path.write_text(json.dumps(forged), encoding="utf-8")
        with pytest.raises(rec.RecordError, match=said):
            rec.restore(rec.read(path), QUESTIONS, DECK.title, path=path)


async def test_a_room_resumed_past_its_timer_waits_for_a_player_with_extra_time_to_rejoin(
    tmp_path: Path,
) -> None:
    room = room_on(QUESTIONS, timer=20)
    room.join("Ann")
    room.join("Ben")
    room.set_extra("Ann", 2)
    room.start(T0)
    path = tmp_path / "room.json"
    path.write_text(json.dumps(room.record(T0 + 25)), encoding="utf-8")
    back = rec.restore(rec.read(path), QUESTIONS, DECK.title, path=path)
    driver = Recorder(back)
    await driver.resume()  # nobody is back yet: Ann is away, with 15 of her 40 s left
    driver.fire()  # the timer is over for Ben at once
    await asyncio.sleep(0)
    assert back.phase == "question"
    ann = back.join("Ann", token=room.players["t0"].token)[0]
    assert back.seconds_left_for(ann.token, driver.now) == 15
    back.answer(ann.token, 1, right(0), driver.now + 5)  # 30 s of her own 40: in time
    assert back.expired(driver.now + 5)  # and nobody else can answer: the reveal comes


def test_extra_time_is_set_in_the_lobby_and_x_cycles_it() -> None:
    room = room_on(QUESTIONS, timer=20)
    room.join("Ann")
    steps = []
    for _ in range(4):
        player = room.cycle_extra("ann")
        assert player is not None
        steps.append(player.extra)
    assert steps == [1.5, 2.0, 1.0, 1.5]
    room.start(T0)
    player = room.set_extra("Ann", 2)  # the game is on: from her next question
    assert player is not None and (player.extra, player.extra_next) == (1.5, 2)


def test_the_time_is_said_once_a_minute_every_10_s_in_the_last_minute_and_each_last_second() -> (
    None
):
    # A 150-second question, heard from its opening to its end.
    assert announcements_due(150, 0, 150) == [120, 60, 50, 40, 30, 20, 10, *range(9, 0, -1)]
    assert announcements_due(20, 0, 20) == list(range(10, 0, -1))  # 20 s: said in the question
    # Between two moments of a fake clock: 2 minutes to go is said at 30 s, nothing before.
    assert announcements_due(150, 0, 29.9) == []
    assert announcements_due(150, 29.9, 30.0) == [120]
    assert announcements_due(150, 30.0, 89.0) == []  # never every second before the last minute
    assert announcements_due(150, 89.5, 100.0) == [60, 50]
    assert announcements_due(150, 139.5, 141.0) == [10, 9]
    assert next_announcement(150, 0) == 30 and next_announcement(150, 149.5) is None
    assert next_announcement(40, 12) == 20  # 20 seconds to go, at 20 s
    assert [time_words(n) for n in (120, 60, 50, 1)] == [
        "2 minutes left.",
        "1 minute left.",
        "50 seconds left.",
        "1 second left.",
    ]


async def test_a_room_that_keeps_the_question_on_its_projector_sends_no_prompt() -> None:
    room = room_on(QUESTIONS, timer=20)
    ann, _ = room.join("Ann")
    driver = Recorder(room, show_question=False)
    await driver.begin()
    asked = driver.last(ann.token, "question")
    assert asked["prompt"] == "" and asked["choices"] == list(QUESTIONS[0].choices)
    assert driver.settings()["show_question"] is False  # kept in the record for --resume
    # `quiz join --plain` says where the question is, then the choices as ever.
    out = io.StringIO()
    player = Player("http://127.0.0.1:9/", "123456", "Ann", io.StringIO(""), out)
    player.reader = LineReader(player.stdin)
    await player._on(None, asked)
    player._stop_asking()
    lines = out.getvalue().splitlines()
    assert lines[1:3] == ["Question 1/3   20 seconds", "The question is on the host's screen."]
    assert lines[3] == f"  1 A  {QUESTIONS[0].choices[0]}"


def test_the_plain_host_gives_extra_time_with_a_line() -> None:
    room = room_on(QUESTIONS, timer=20)
    room.join("Ann")
    driver = RoomDriver(room, None)
    assert extra_command(driver, "x ann 2") == "Ann: 2x the time on every question."
    assert extra_command(driver, "x Ann") == "Ann: the usual time."  # 2x goes back to 1x
    assert extra_command(driver, "X Bo Li 1.5") == (
        "Bo Li: 1.5x the time on every question. (when they join)"
    )
    assert "from 1 to 4" in str(extra_command(driver, "x Ann 9"))
    assert extra_command(driver, "") is None and extra_command(driver, "next") is None
    room.start(T0)
    assert extra_command(driver, "x Ann 2") == "Ann: 2x the time from their next question."
