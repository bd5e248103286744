"""Self-paced homework (issue 26): each player on their own question, with a fake clock and
timers fired by hand; the record round trip; and one small room on 127.0.0.1."""

from __future__ import annotations

import asyncio
import itertools
import json
from collections import defaultdict
from collections.abc import Callable
from datetime import UTC, datetime, timedelta
from pathlib import Path
from typing import Any

import aiohttp
import pytest

from quiz.questions.plan import make_quiz
from quiz.room import protocol as p
from quiz.room import record as rec
from quiz.room.driver import RoomDriver
from quiz.room.homework import NEXT_AFTER, Homework
from quiz.room.server import RoomServer
from quiz.saves.folder import SaveFolder
from tests.conftest import CHOICE_FORMS
from tests.room_helpers import DECK

QUESTIONS = make_quiz(DECK, 7, 3, kinds=CHOICE_FORMS)
RIGHT = [q.answer for q in QUESTIONS]


def homework(count: int = 3, **kw: Any) -> Homework:
    counter = itertools.count()
    return Homework(
        list(QUESTIONS[:count]),
        code="123456",
        seed=7,
        deck_id=DECK.id,
        deck_title=DECK.title,
        token_factory=lambda: f"t{next(counter)}",
        **kw,
    )


class Handle:
    def __init__(self) -> None:
        self.cancelled = False

    def cancel(self) -> None:
        self.cancelled = True


class Phones(RoomDriver):
    """The driver with phones that keep what they were sent, a clock and timers moved by hand."""

    def __init__(self, room: Homework, saves: SaveFolder | None = None) -> None:
        self.now = 0.0
        self.due: list[tuple[float, int, Callable[[], None], Handle]] = []
        self._order = itertools.count()
        super().__init__(room, saves, clock=lambda: self.now, schedule=self._schedule)
        self.seated: set[str] = set()
        self.inbox: dict[str, list[dict[str, Any]]] = defaultdict(list)

    def _schedule(self, delay: float, callback: Callable[[], None]) -> Handle:
        handle = Handle()
        self.due.append((self.now + delay, next(self._order), callback, handle))
        return handle

    async def settle(self) -> None:
        while self._tasks:
            await asyncio.gather(*list(self._tasks))

    async def at(self, when: float) -> None:
        """Move the clock to ``when``, firing every timer due by then, in order."""
        while True:
            due = sorted(d for d in self.due if d[0] <= when and not d[3].cancelled)
            if not due:
                break
            first = due[0]
            self.due.remove(first)
            self.now = max(self.now, first[0])
            first[2]()
            await self.settle()
        self.now = when

    def seated_tokens(self) -> list[str]:
        return [t for t in self.room.players if t in self.seated]

    async def send_to(self, items: list[tuple[str, p.RoomFrame | str]]) -> None:
        for token, frame in items:
            if token in self.seated:
                self.inbox[token].append(
                    json.loads(frame if isinstance(frame, str) else p.dump(frame))
                )

    async def broadcast(self, frame: p.RoomFrame) -> None:
        await self.send_to([(t, frame) for t in self.seated_tokens()])

    # What the server does with a player's frames (quiz.room.server).
    async def join(self, name: str, token: str | None = None) -> str:
        player, _ = self.room.join(name, token)
        self.seated.add(player.token)
        await self.paced_catch_up(player.token)
        return player.token

    async def answer(self, token: str, choice: int) -> None:
        number = self.last(token, "question")["question"]
        self.room.answer(token, number, choice, self.now)
        await self.paced_reveal(token)

    def leave(self, token: str) -> None:
        self.seated.discard(token)
        self.room.leave(token)

    def last(self, token: str, kind: str | None = None) -> dict[str, Any]:
        frames = [f for f in self.inbox[token] if kind is None or f["type"] == kind]
        return frames[-1]


def where(room: Homework) -> dict[str, tuple[int, str, int]]:
    return {r.name: (r.at, r.step, r.score) for r in room.grid()}


async def test_three_players_each_at_their_own_pace_scored_from_their_own_question() -> None:
    room = homework(timer=20)
    phones = Phones(room)
    await phones.paced_start()
    ann = await phones.join("Ann")
    cy = await phones.join("Cy")
    q1 = phones.last(ann)
    assert q1["type"] == "question" and q1["question"] == 1 and q1["seconds"] == 20
    await phones.at(2.0)
    await phones.answer(ann, RIGHT[0])
    reveal = phones.last(ann)
    assert reveal["type"] == "reveal" and reveal["correct"] and reveal["points"] == 950
    assert phones.last(cy)["type"] == "question"  # nobody else moved on
    await phones.at(3.0)
    await phones.paced_next(ann)  # Next: at once, not in 5 s
    assert phones.last(ann)["type"] == "question" and phones.last(ann)["question"] == 2
    # Ann plays the rest quickly: her result (her place so far) without waiting for anyone.
    for k in (1, 2):
        await phones.answer(ann, RIGHT[k])
        await phones.paced_next(ann)
    end = phones.last(ann)
    assert end["type"] == "end" and not end["final"] and end["correct"] == 3 and end["rank"] == 1
    assert where(room)["Ann"][:2] == (3, "done")
    with pytest.raises(p.RoomError):
        await phones.paced_next(ann)
    # Ben starts ten seconds in: his speed counts from his own question's opening.
    await phones.at(10.0)
    ben = await phones.join("Ben")
    assert phones.last(ben)["question"] == 1 and phones.last(ben)["seconds"] == 20
    await phones.at(14.0)
    await phones.answer(ben, RIGHT[0])
    assert phones.last(ben)["points"] == 900
    # Cy never answers: his own timer runs out at 20 s, then his next comes 5 s later.
    await phones.at(20.0)
    assert phones.last(cy)["type"] == "reveal" and phones.last(cy)["timed_out"]
    assert where(room)["Cy"] == (1, "reveal", 0)
    await phones.at(20.0 + NEXT_AFTER)
    assert phones.last(cy)["type"] == "question" and phones.last(cy)["question"] == 2
    assert where(room)["Ben"] == (2, "question", 900)  # his 5 s passed too, at 19 s
    # The host ends it: everyone gets the results; what was left counts as no answer.
    await phones.end_homework()
    assert room.phase == "end"
    finals = {t: phones.last(t) for t in (ann, ben, cy)}
    assert all(f["type"] == "end" and f["final"] for f in finals.values())
    assert finals[cy]["correct"] == 0 and finals[ben]["correct"] == 1
    assert all(len(room.players[t].game.answers) == 3 for t in (ann, ben, cy))
    assert [s.name for s in room.standings()] == ["Ann", "Ben", "Cy"]


async def test_a_player_who_leaves_comes_back_where_they_were() -> None:
    room = homework(timer=20)
    phones = Phones(room)
    await phones.paced_start()
    ann = await phones.join("Ann")
    await phones.at(1.0)
    await phones.answer(ann, RIGHT[0])
    phones.leave(ann)  # gone during her reveal: no question is opened while she is away
    await phones.at(60.0)
    assert where(room)["Ann"] == (1, "reveal", 975)
    back = await phones.join("Ann", ann)
    assert back == ann and phones.last(ann)["type"] == "reveal"
    await phones.at(60.0 + NEXT_AFTER)
    assert phones.last(ann)["question"] == 2
    # Gone mid-question: the question's time runs on; back with the time it has left.
    await phones.at(68.0)
    phones.leave(ann)
    await phones.at(72.0)
    await phones.join("Ann", ann)
    again = phones.last(ann)
    assert again["type"] == "question" and again["question"] == 2 and again["seconds"] == 13
    # The same name without the token is someone else's.
    with pytest.raises(p.RoomError) as taken:
        room.join("ann")
    assert taken.value.code == "name-taken"


async def test_the_deadline_closes_the_homework_and_no_answer_counts_after_it() -> None:
    room = homework(timer=None, until=datetime.now(UTC) + timedelta(hours=1))
    phones = Phones(room)
    await phones.paced_start()
    ann = await phones.join("Ann")
    assert phones.last(ann)["seconds"] is None  # untimed: her question waits for her
    await phones.at(30.0)
    await phones.answer(ann, RIGHT[0])
    await phones.at(3600.0 + 1)  # the deadline's timer fires
    assert room.phase == "end" and phones.last(ann)["type"] == "end"
    assert phones.last(ann)["final"] and phones.last(ann)["count"] == 3
    with pytest.raises(p.RoomError) as late:
        room.join("Ben")
    assert late.value.code == "not-open"
    # After it a player back with their token gets the results.
    phones.leave(ann)
    await phones.join("Ann", ann)
    assert phones.last(ann)["type"] == "end" and phones.last(ann)["score"] == 1000


async def test_the_record_brings_every_player_back_where_they_were(tmp_path: Path) -> None:
    room = homework(
        timer=20,
        teams=("Red", "Blue"),
        team_mode="auto",
        until=datetime.now(UTC) + timedelta(days=1),
    )
    phones = Phones(room)
    await phones.paced_start()
    ann = await phones.join("Ann")
    ben = await phones.join("Ben")
    cy = await phones.join("Cy")
    await phones.at(2.0)
    await phones.answer(ann, RIGHT[0])
    await phones.paced_next(ann)
    await phones.at(4.0)
    await phones.answer(ann, (RIGHT[1] + 1) % len(QUESTIONS[1].choices))
    await phones.answer(ben, RIGHT[0])  # Ben at his reveal; Cy 4 s into question 1
    path = tmp_path / "room.json"
    path.write_text(json.dumps(phones._record()))
    before = where(room)
    restored = rec.restore(rec.read(path), QUESTIONS, DECK.title)
    assert isinstance(restored, Homework) and room.until is not None
    assert restored.until == room.until.replace(microsecond=0)
    assert where(restored) == before
    assert {p.name: p.team for p in restored.active} == {p.name: p.team for p in room.active}
    again = Phones(restored)
    again.now = 500.0  # the host was down a while: that time is not counted
    await again.paced_start()
    await again.join("Cy", cy)
    assert again.last(cy)["question"] == 1 and again.last(cy)["seconds"] == 16
    await again.join("Ann", ann)
    assert again.last(ann, "reveal")["question"] == 2
    assert again.last(ann, "reveal")["score"] == room.players[ann].game.score
    # A record that says a player is further on than their answers is refused, by field.
    tampered = json.loads(path.read_text())
    tampered["players"][1]["at"] = 3
    path.write_text(json.dumps(tampered))
    with pytest.raises(rec.RecordError, match=r"players\.1\.at"):
        rec.restore(rec.read(path), QUESTIONS, DECK.title)


async def test_a_small_room_on_127_0_0_1_killed_and_resumed(tmp_path: Path) -> None:
    saves = SaveFolder(tmp_path / "saves")
    server = RoomServer(homework(timer=None), saves, port=0)
    await server.start()

    async def receive(ws: aiohttp.ClientWebSocketResponse, kind: str) -> dict[str, Any]:
        async with asyncio.timeout(5):
            while True:
                msg = await ws.receive()
                assert msg.type == aiohttp.WSMsgType.TEXT, msg
                frame = json.loads(msg.data)
                if frame["type"] == kind:
                    return frame

    async with aiohttp.ClientSession() as session:
        url = f"http://127.0.0.1:{server.port}/ws"
        ann = await session.ws_connect(url)
        await ann.send_str(p.join("123456", "Ann"))
        welcome = await receive(ann, "welcome")
        assert welcome["self_paced"] and welcome["phase"] == "question"
        q1 = await receive(ann, "question")
        await ann.send_str(p.next_question())  # before answering: refused, the socket stays
        assert (await receive(ann, "error"))["code"] == "not-open"
        await ann.send_str(p.answer(2, RIGHT[1]))  # a question that is not hers yet
        assert (await receive(ann, "error"))["code"] == "not-open"
        await ann.send_str(p.answer(1, RIGHT[0]))
        assert (await receive(ann, "reveal"))["correct"]
        await ann.send_str(p.next_question())
        assert (await receive(ann, "question"))["question"] == 2 == q1["question"] + 1
        ben = await session.ws_connect(url)
        await ben.send_str(p.join("123456", "Ben"))
        ben_token = (await receive(ben, "welcome"))["token"]
        await receive(ben, "question")
        await server.save_record()
        # kill -9: the process is gone, sockets drop without a close frame, the record stays.
        record_path = server.record_path
        assert record_path is not None
        await server.stop()
        await ann.close()
        await ben.close()
        record = rec.read(rec.latest(saves.rooms_dir))
        room = rec.restore(record, QUESTIONS, DECK.title, path=record_path)
        again = RoomServer(room, saves, port=0, record_path=record_path)
        await again.start()
        try:
            ben = await session.ws_connect(f"http://127.0.0.1:{again.port}/ws")
            await ben.send_str(p.join("123456", "Ben", ben_token))
            assert (await receive(ben, "welcome"))["token"] == ben_token
            assert (await receive(ben, "question"))["question"] == 1
            await ben.send_str(p.answer(1, RIGHT[0]))
            assert (await receive(ben, "reveal"))["score"] == 1000
            await again.end_homework()
            end = await receive(ben, "end")
            assert end["final"] and end["rank"] == 1  # Ann's 1,000 and Ben's: a tie
            await ben.close()
        finally:
            await again.stop()
    games = sorted(saves.games(), key=lambda r: r.player)
    assert [(r.player, r.mode, r.score) for r in games] == [
        ("Ann", "live", 1000),
        ("Ben", "live", 1000),
    ]


async def test_the_plain_host_shows_the_grid_on_enter_and_end_closes_it(tmp_path: Path) -> None:
    import io

    from quiz.plain.host import run_host

    server = RoomServer(homework(timer=30), SaveFolder(tmp_path / "saves"), port=0)
    await server.start()
    try:
        room = server.room
        ann = room.join("Ann")[0].token
        room.open_for(ann, server.clock())
        room.answer(ann, 1, RIGHT[0], server.clock())
        out = io.StringIO()
        async with asyncio.timeout(10):
            code = await run_host(server, io.StringIO("\nEND\n"), out, interactive=False, drain=0.0)
    finally:
        await server.stop()
    lines = out.getvalue().splitlines()
    assert code == 0
    assert "Self-paced homework until the host ends it: each player starts on joining" in lines[3]
    at = lines.index("Where everyone is (0 of 1 player done):")
    assert lines[at + 1].startswith("  Ann: ")
    assert "answered 1 of 3" in lines[at + 1] and "1 of 1 right" in lines[at + 1]
    assert "The homework is closed." in lines
    assert "Saved 1 player game and the room's record." in lines


@pytest.mark.parametrize(
    ("args", "said"),
    [
        (["--until", "2099-01-01 10:00"], "--until is when self-paced homework closes"),
        (
            ["--self-paced", "--until", "2020-01-01 10:00"],
            "--until '2020-01-01 10:00' has already passed",
        ),
        (["--self-paced", "--until", "tomorrow"], "--until 'tomorrow' is not a date and time"),
        (["--self-paced", "--rounds", "2"], "leave out --rounds"),
        (["--resume", "--self-paced"], "leave out --self-paced"),
    ],
)
def test_a_wrong_until_or_rounds_is_a_located_flag_error(
    cli: Any, tmp_path: Path, args: list[str], said: str
) -> None:
    result = cli("host", "--plain", "--saves", str(tmp_path / "saves"), *args)
    assert result.code == 1 and said in result.err and "Traceback" not in result.err
