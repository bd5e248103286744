"""Rounds in the live room (issue 26 item 1): the split, the title cards, the round's own board,
the leaderboard's settings, the record, and `quiz host --rounds` with a plan."""

from __future__ import annotations

import asyncio
import json
from pathlib import Path
from typing import Any

import pytest

from quiz.deckfile.read import load_deck
from quiz.questions.plan import make_quiz
from quiz.room import protocol as p
from quiz.room import record as rec
from quiz.room.driver import RoomDriver
from quiz.room.plan import PlanError, read_plan, rounds_for
from quiz.room.roster import plan_rounds, split_rounds
from quiz.room.state import Room
from tests.conftest import CHOICE_FORMS, FIXED
from tests.room_helpers import room_on

DECK = load_deck(FIXED)
QUESTIONS = make_quiz(DECK, 7, 10, kinds=CHOICE_FORMS)


def make_room(rounds: int = 3, **kw: Any) -> Room:
    return room_on(
        QUESTIONS,
        timer=20,
        rounds=plan_rounds(split_rounds(len(QUESTIONS), rounds), ["Warm-up", "", "Final"]),
        **kw,
    )


class Recorder(RoomDriver):
    """A driver whose frames are kept, every player seated, time moved by hand."""

    def __init__(self, room: Room, leaderboard: str = "round") -> None:
        self.now = 100.0
        super().__init__(
            room, None, leaderboard=leaderboard, clock=lambda: self.now, schedule=self._later
        )
        self.sent: list[dict[str, Any]] = []

    def _later(self, delay: float, callback: Any) -> Any:
        return asyncio.get_running_loop().call_later(3600, callback)  # never, in a test

    def seated_tokens(self) -> list[str]:
        return list(self.room.players)

    async def broadcast(self, frame: p.RoomFrame) -> None:
        self.sent.append(json.loads(p.dump(frame)))

    async def send_to(self, items: list[tuple[str, p.RoomFrame | str]]) -> None:
        for _, frame in items[:1]:  # one player's copy is enough to see what went out
            self.sent.append(json.loads(frame if isinstance(frame, str) else p.dump(frame)))

    def kinds(self) -> list[str]:
        out = [f["type"] + (f"/{f['round']}" if f.get("round") else "") for f in self.sent]
        self.sent.clear()
        return out


def test_ten_questions_in_three_rounds_are_four_three_three() -> None:
    assert split_rounds(10, 3) == [4, 3, 3]
    assert split_rounds(9, 3) == [3, 3, 3]
    assert split_rounds(11, 4) == [3, 3, 3, 2]
    room = make_room()
    assert [room.round_of(i) for i in range(10)] == [1, 1, 1, 1, 2, 2, 2, 3, 3, 3]
    assert [r.title for r in room.rounds] == ["Warm-up", "Round 2", "Final"]
    with pytest.raises(ValueError):
        split_rounds(2, 3)


async def test_title_cards_round_boards_and_the_overall_board_between_rounds() -> None:
    room = make_room()
    driver = Recorder(room)
    ann, _ = room.join("Ann")
    ben, _ = room.join("Ben")
    await driver.begin()  # the lobby's Enter: round 1's card, no question yet
    assert room.phase == "lobby" and room.card == 1
    assert driver.sent == [{"type": "round", "round": 1, "rounds": 3, "title": "Warm-up"}]
    driver.sent.clear()
    await driver.begin()
    assert str(room.phase) == "question"
    assert driver.sent[0]["round"] == 1 and driver.sent[0]["rounds"] == 3
    driver.sent.clear()
    # Round 1, hand-worked: Ann right at 0 s on Q1 and Q2 (1000, then 1000 + 100 streak);
    # Ben right at 10 s on Q3 and Q4 (750, then 750 + 100).
    for k in range(4):
        who, at = (ann, 0.0) if k < 2 else (ben, 10.0)
        other = ben if who is ann else ann
        opened = room.opened_at
        room.answer(who.token, k + 1, QUESTIONS[k].answer, opened + at)
        room.answer(other.token, k + 1, (QUESTIONS[k].answer + 1) % 2, opened + 1)
        driver.now = opened + 15
        await driver.close_question()
        if k < 3:
            assert driver.kinds() == ["reveal/1"]  # mid-round: no board with --leaderboard round
            driver.now += 5
            await driver.advance()
            assert driver.kinds() == ["question/1"]
    # The round's last reveal: the round's own board, then the game's.
    assert driver.kinds() == ["reveal/1", "leaderboard/1", "leaderboard"]
    board = room.round_standings(1)
    assert [(s.name, s.score, s.place) for s in board] == [("Ann", 2100, 1), ("Ben", 1600, 2)]
    driver.now += 5
    await driver.advance()  # round 2's card before its first question
    assert driver.kinds() == ["round/2"] and room.phase == "reveal" and room.card == 2
    driver.now += 0.2
    assert not await driver.host_advance()  # a double press never skips the card
    driver.now += 5
    await driver.advance()
    assert room.index == 4 and driver.kinds() == ["question/2"]


async def test_each_end_and_off_say_the_boards_as_they_say() -> None:
    async def boards(leaderboard: str) -> list[list[str]]:
        room = make_room(rounds=2)
        driver = Recorder(room, leaderboard)
        room.join("Ann")
        await driver.begin()
        await driver.begin()
        seen = []
        for _ in range(10):
            driver.kinds()
            driver.now += 30
            await driver.close_question()
            seen.append([k for k in driver.kinds() if k.startswith("leaderboard")])
            driver.now += 5
            await driver.advance()
            if room.card is not None:  # round 2's card: the next Enter opens its question
                await driver.advance()
        seen.append([k for k in driver.kinds() if k.startswith("leaderboard")])
        return seen

    each = await boards("each")
    assert each[0] == ["leaderboard"] and each[4] == ["leaderboard/1", "leaderboard"]
    end = await boards("end")
    assert end[4] == ["leaderboard/1"] and end[-1] == ["leaderboard"] and end[0] == []
    off = await boards("off")
    assert all(not k for k in off)


def test_the_record_keeps_each_answers_round_and_resumes_the_rounds(tmp_path: Path) -> None:
    room = make_room()
    ann, _ = room.join("Ann")
    room.carded = 1
    room.start(now=0.0)
    for k in range(5):
        room.answer(ann.token, k + 1, QUESTIONS[k].answer, now=room.opened_at)
        room.close(now=room.opened_at + 20)
        if k < 4:
            room.advance(now=30.0 * (k + 1))
    record = room.record()
    assert [a["round"] for a in record["answers"]] == [1, 1, 1, 1, 2]
    assert record["rounds"] == [
        {"title": "Warm-up", "count": 4},
        {"title": "Round 2", "count": 3},
        {"title": "Final", "count": 3},
    ]
    path = tmp_path / "room.json"
    path.write_text(json.dumps(record))
    back = rec.restore(rec.read(path), QUESTIONS, DECK.title, path=path)
    assert (
        back.rounds == room.rounds
        and back.round_standings(1)[0].score == 4 * 1000 + 100 + 200 + 300
    )
    # A tampered round is refused, naming the field.
    record["answers"][4]["round"] = 1
    path.write_text(json.dumps(record))
    with pytest.raises(
        rec.RecordError, match=r"answers\.4\.round: 1, but question 5 is in round 2"
    ):
        rec.restore(rec.read(path), QUESTIONS, DECK.title, path=path)


def test_a_plan_names_its_rounds_and_a_bad_plan_is_located(tmp_path: Path) -> None:
    plan = tmp_path / "plan.toml"
    plan.write_text('[[round]]\ntitle = "Cars"\ncount = 2\n\n[[round]]\ntitle = "People"\n')
    rounds = rounds_for(10, read_plan(plan))
    assert [(r.title, r.start, r.count) for r in rounds] == [("Cars", 0, 2), ("People", 2, 8)]
    for text, where in (
        ('[[round]]\ntitle = "A"\ncount = 2\ntimer = 10\n', ":4: a round's own timer"),
        ('[[round]]\ntitle = "A"\n\n[[round]]\ntitle = 5\n', ":5: round.1.title"),
        ('[[round]]\ntitle = "A"\ncolor = "red"\n', ":3: round.0.color: not a key"),
        ('[[round]]\ntitle = "\\u001b[2J"\n', ":2: round.0.title"),
        ("[[round]\n", ": not TOML"),
    ):
        plan.write_text(text)
        with pytest.raises(PlanError, match=r"plan\.toml" + where.replace(".", r"\.")):
            read_plan(plan)
    plan.write_text('[[round]]\ntitle = "A"\ncount = 8\n\n[[round]]\ntitle = "B"\ncount = 8\n')
    with pytest.raises(PlanError, match="ask for 16 questions, but the game has 10"):
        rounds_for(10, read_plan(plan))
