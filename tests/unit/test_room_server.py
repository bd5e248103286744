"""The room's server with real WebSocket clients on 127.0.0.1 (port 0), in this process."""

from __future__ import annotations

import asyncio
import json
import tomllib
from collections.abc import AsyncIterator, Callable
from pathlib import Path
from typing import Any

import aiohttp
import pytest

from quiz.deckfile.read import load_deck
from quiz.questions.plan import make_quiz
from quiz.room.server import RoomServer
from quiz.room.state import Room
from quiz.saves.folder import SaveFolder
from tests.conftest import CHOICE_FORMS, FIXED

DECK = load_deck(FIXED)
QUESTIONS = make_quiz(DECK, 7, 2, kinds=CHOICE_FORMS)


class Client:
    """A player's socket that keeps every frame it was sent."""

    def __init__(self, ws: aiohttp.ClientWebSocketResponse) -> None:
        self.ws = ws
        self.frames: list[dict[str, Any]] = []

    async def send(self, frame: dict[str, Any] | str) -> None:
        await self.ws.send_str(frame if isinstance(frame, str) else json.dumps(frame))

    async def next(self, kind: str, timeout: float = 5.0) -> dict[str, Any]:
        async with asyncio.timeout(timeout):
            while True:
                msg = await self.ws.receive()
                if msg.type != aiohttp.WSMsgType.TEXT:
                    raise AssertionError(f"closed waiting for {kind}: {msg} {self.frames}")
                frame = json.loads(msg.data)
                self.frames.append(frame)
                if frame["type"] == kind:
                    return frame

    async def closed(self, timeout: float = 5.0) -> aiohttp.WSMessage:
        async with asyncio.timeout(timeout):
            while True:
                msg = await self.ws.receive()
                if msg.type == aiohttp.WSMsgType.TEXT:
                    self.frames.append(json.loads(msg.data))
                    continue
                return msg


@pytest.fixture
async def room_server(tmp_path: Path) -> AsyncIterator[RoomServer]:
    room = Room(
        QUESTIONS, code="123456", seed=7, deck_id=DECK.id, deck_title=DECK.title, timer=None
    )
    server = RoomServer(room, SaveFolder(tmp_path / "saves"), port=0, join_timeout=0.5)
    await server.start()
    yield server
    await server.stop()


@pytest.fixture
async def session() -> AsyncIterator[aiohttp.ClientSession]:
    async with aiohttp.ClientSession() as s:
        yield s


async def connect(session: aiohttp.ClientSession, server: RoomServer, **kw: Any) -> Client:
    ws = await session.ws_connect(f"http://127.0.0.1:{server.port}/ws", **kw)
    return Client(ws)


async def joined(session: aiohttp.ClientSession, server: RoomServer, name: str) -> Client:
    client = await connect(session, server)
    await client.send({"type": "join", "code": "123456", "name": name})
    welcome = await client.next("welcome")
    assert welcome["name"] == name and welcome["token"]
    return client


async def test_a_game_from_lobby_to_end_and_the_saves(
    room_server: RoomServer, session: aiohttp.ClientSession, tmp_path: Path, cli: Any
) -> None:
    ann = await joined(session, room_server, "Ann")
    ben = await joined(session, room_server, "Ben")
    lobby = await ann.next("lobby")
    while lobby["players"] != ["Ann", "Ben"]:  # joins close together come as one lobby frame
        assert lobby["players"] == ["Ann"]
        lobby = await ann.next("lobby")
    await room_server.begin()
    q1 = await ann.next("question")
    await ben.next("question")
    assert q1["question"] == 1 and q1["count"] == 2 and q1["seconds"] is None
    assert q1["prompt"] == QUESTIONS[0].prompt and q1["choices"] == list(QUESTIONS[0].choices)
    right = QUESTIONS[0].answer
    await ann.send({"type": "answer", "question": 1, "choice": right})
    assert (await ann.next("answered"))["question"] == 1
    await ann.send({"type": "answer", "question": 1, "choice": right})
    assert (await ann.next("error"))["code"] == "already-answered"
    await ben.send({"type": "answer", "question": 1, "choice": (right + 1) % 4})
    reveal = await ann.next("reveal")  # everyone answered: it closes by itself
    assert reveal["answer"] == right and reveal["correct"] and reveal["points"] == 1000
    assert reveal["rank"] == 1 and reveal["players"] == 2 and reveal["source"]
    assert not (await ben.next("reveal"))["correct"]
    board = await ann.next("leaderboard")
    assert board["top"] == [
        {"name": "Ann", "score": 1000, "place": 1},
        {"name": "Ben", "score": 0, "place": 2},
    ]
    await room_server.advance()
    await ann.next("question")
    await room_server.close_question()  # untimed: the host closes it
    await ann.next("reveal")
    await room_server.advance()
    end = await ann.next("end")
    assert end["score"] == 1000 and end["rank"] == 1 and end["correct"] == 1 and end["count"] == 2
    assert end["podium"][0] == {"name": "Ann", "score": 1000, "place": 1}
    # The answer is never in a frame before the reveal.
    for client in (ann, ben):
        for frame in client.frames:
            if frame["type"] in ("question", "answered", "welcome", "lobby"):
                assert (
                    "answer" not in frame and "explanation" not in frame and "source" not in frame
                )
    saves = tmp_path / "saves"
    games = sorted(saves.glob("*/games/*.toml"))
    records = [tomllib.loads(g.read_text(encoding="utf-8")) for g in games]
    assert {(r["player"], r["mode"], r["seed"], r["score"]) for r in records} == {
        ("Ann", "live", 7, 1000),
        ("Ben", "live", 7, 0),
    }
    room = json.loads(next(saves.glob("rooms/*-123456.json")).read_text(encoding="utf-8"))
    assert room["code"] == "123456" and room["phase"] == "end" and len(room["answers"]) == 4
    report = cli("report", "--saves", str(saves), "--format", "csv")
    assert report.out.count(",live,") == 4 and "Ann," in report.out and "Ben," in report.out
    scores = cli("scores", "--saves", str(saves), "--format", "json")
    assert [r["player"] for r in json.loads(scores.out)] == ["Ann", "Ben"]


@pytest.mark.parametrize(
    "frame, code",
    [
        ("not json", "bad-message"),
        ("[1, 2]", "bad-message"),
        ('{"type": "shout"}', "bad-message"),
        ('{"type": "join", "code": 123456, "name": "Ann"}', "bad-message"),
        ('{"type": "answer", "question": "1", "choice": 0}', "bad-message"),
        (json.dumps({"type": "join", "code": "123456", "name": "x" * 5000}), "bad-message"),
        ('{"type": "join", "code": "654321", "name": "Ann"}', "bad-code"),
        ('{"type": "join", "code": "123456", "name": "   "}', "bad-name"),
        ('{"type": "answer", "question": 1, "choice": 0}', "bad-message"),
    ],
)
async def test_bad_frames_get_an_error_frame_with_the_issues_code(
    room_server: RoomServer, session: aiohttp.ClientSession, frame: str, code: str
) -> None:
    client = await connect(session, room_server)
    await client.send(frame)
    error = await client.next("error")
    assert error["code"] == code and error["message"]


async def test_binary_frames_are_refused(
    room_server: RoomServer, session: aiohttp.ClientSession
) -> None:
    client = await connect(session, room_server)
    await client.ws.send_bytes(b'{"type": "join"}')
    assert (await client.next("error"))["code"] == "bad-message"


async def test_a_frame_past_64_kb_closes_the_socket_and_others_play_on(
    room_server: RoomServer, session: aiohttp.ClientSession
) -> None:
    ann = await joined(session, room_server, "Ann")
    big = await joined(session, room_server, "Big")
    await big.send('{"type": "join", "name": "' + "x" * (70 * 1024) + '"}')
    msg = await big.closed()
    assert msg.type in (aiohttp.WSMsgType.CLOSE, aiohttp.WSMsgType.CLOSED)
    assert big.ws.close_code == 1009  # message too big
    await room_server.begin()
    assert (await ann.next("question"))["question"] == 1


async def test_connections_past_the_cap_are_refused(tmp_path: Path) -> None:
    room = Room(QUESTIONS, code="123456", seed=7, deck_id=DECK.id, deck_title=DECK.title)
    server = RoomServer(room, SaveFolder(tmp_path / "saves"), port=0, max_connections=3)
    await server.start()
    try:
        async with aiohttp.ClientSession() as session:
            held = [await connect(session, server) for _ in range(3)]
            with pytest.raises(aiohttp.WSServerHandshakeError) as refused:
                await connect(session, server)
            assert refused.value.status == 503
            await held[0].ws.close()
            for _ in range(100):  # the slot is freed once the server sees the close
                if len(server.connections) < 3:
                    break
                await asyncio.sleep(0.02)
            again = await connect(session, server)
            await again.send({"type": "join", "code": "123456", "name": "Ann"})
            await again.next("welcome")
    finally:
        await server.stop()


async def test_name_taken_regardless_of_case_and_rejoin_keeps_the_locked_answer(
    room_server: RoomServer, session: aiohttp.ClientSession
) -> None:
    ann = await joined(session, room_server, "Ann")
    token = ann.frames[-1]["token"]
    other = await connect(session, room_server)
    await other.send({"type": "join", "code": "123456", "name": "ANN"})
    assert (await other.next("error"))["code"] == "name-taken"
    ben = await joined(session, room_server, "Ben")
    await room_server.begin()
    await ann.next("question")
    await ann.send({"type": "answer", "question": 1, "choice": QUESTIONS[0].answer})
    await ann.next("answered")
    await ann.ws.close()
    back = await connect(session, room_server)
    await back.send({"type": "join", "code": "123456", "name": "Ann", "token": token})
    assert (await back.next("welcome"))["name"] == "Ann"
    assert (await back.next("question"))["question"] == 1, back.frames
    assert (await back.next("answered"))["question"] == 1  # still locked in
    await room_server.close_question()
    reveal = await back.next("reveal")
    assert reveal["correct"] and reveal["score"] == 1000
    assert not (await ben.next("reveal"))["correct"]


async def test_joining_or_coming_back_mid_game_gets_where_the_game_is_never_the_lobby(
    room_server: RoomServer, session: aiohttp.ClientSession
) -> None:
    ann = await joined(session, room_server, "Ann")
    token = ann.frames[-1]["token"]
    await joined(session, room_server, "Ben")
    await room_server.begin()
    await ann.send({"type": "answer", "question": 1, "choice": QUESTIONS[0].answer})
    await ann.next("answered")
    await room_server.close_question()
    await ann.next("reveal")
    await ann.ws.close()
    back = await connect(session, room_server)
    await back.send({"type": "join", "code": "123456", "name": "Ann", "token": token})
    late = await connect(session, room_server)
    await late.send({"type": "join", "code": "123456", "name": "Cat"})
    assert (await back.next("welcome"))["phase"] == "reveal"
    reveal = await back.next("reveal")  # her own reveal again, straight after the welcome
    assert reveal["correct"] and reveal["choice"] == QUESTIONS[0].answer
    assert [f["type"] for f in back.frames] == ["welcome", "reveal"]
    welcome = await late.next("welcome")
    assert welcome["phase"] == "reveal" and welcome["players"] == 3
    await room_server.advance()
    assert (await late.next("question"))["question"] == 2  # she plays from the next one
    assert (await back.next("question"))["question"] == 2
    assert [f["type"] for f in late.frames] == ["welcome", "question"]


async def test_removed_player_is_told_and_the_name_is_freed(
    room_server: RoomServer, session: aiohttp.ClientSession
) -> None:
    ann = await joined(session, room_server, "Ann")
    await room_server.remove("Ann")
    assert (await ann.next("error"))["code"] == "removed"
    await joined(session, room_server, "Ann")


async def test_locked_room(room_server: RoomServer, session: aiohttp.ClientSession) -> None:
    await joined(session, room_server, "Ann")
    room_server.set_locked(True)
    ben = await connect(session, room_server)
    await ben.send({"type": "join", "code": "123456", "name": "Ben"})
    assert (await ben.next("error"))["code"] == "locked"


async def test_foreign_origin_is_refused_own_origin_and_none_allowed(
    room_server: RoomServer, session: aiohttp.ClientSession
) -> None:
    with pytest.raises(aiohttp.WSServerHandshakeError) as refused:
        await connect(session, room_server, origin="http://evil.example")
    assert refused.value.status == 403
    # DNS rebinding: a page whose name now points at 127.0.0.1 sends its own Host and Origin.
    rebound = f"evil.example:{room_server.port}"
    with pytest.raises(aiohttp.WSServerHandshakeError) as refused:
        await connect(session, room_server, origin=f"http://{rebound}", headers={"Host": rebound})
    assert refused.value.status == 403
    own = await connect(session, room_server, origin=f"http://127.0.0.1:{room_server.port}")
    await own.send({"type": "join", "code": "123456", "name": "Ann"})
    await own.next("welcome")
    local = f"localhost:{room_server.port}"
    by_name = await connect(session, room_server, origin=f"http://{local}", headers={"Host": local})
    await by_name.send({"type": "join", "code": "123456", "name": "Ben"})
    await by_name.next("welcome")


async def test_a_socket_that_never_joins_is_closed(
    room_server: RoomServer, session: aiohttp.ClientSession
) -> None:
    idle = await connect(session, room_server)
    msg = await idle.closed()
    assert msg.type in (aiohttp.WSMsgType.CLOSE, aiohttp.WSMsgType.CLOSED)


async def test_a_flood_is_rate_limited_then_closed_and_others_play_on(
    room_server: RoomServer, session: aiohttp.ClientSession
) -> None:
    ann = await joined(session, room_server, "Ann")
    flood = await joined(session, room_server, "Flood")
    for _ in range(200):
        if flood.ws.closed:
            break
        await flood.send({"type": "answer", "question": 1, "choice": 0})
    await flood.closed()
    assert any(f["type"] == "error" and "too many" in f["message"] for f in flood.frames), (
        flood.frames
    )
    await room_server.begin()
    assert (await ann.next("question"))["question"] == 1


async def test_wrong_codes_close_the_connection(
    room_server: RoomServer, session: aiohttp.ClientSession
) -> None:
    guess = await connect(session, room_server)
    for k in range(5):
        await guess.send({"type": "join", "code": f"00000{k}", "name": "G"})
    await guess.closed()
    assert [f["code"] for f in guess.frames] == ["bad-code"] * 5
    # New sockets from the same address: 20 wrong codes a minute in all, then even the right one fails.
    for _ in range(3):
        guess = await connect(session, room_server)
        for k in range(5):
            await guess.send({"type": "join", "code": f"00000{k}", "name": "G"})
        await guess.closed()
    right = await connect(session, room_server)
    await right.send({"type": "join", "code": "123456", "name": "G"})
    refused = await right.next("error")
    assert refused["code"] == "bad-code" and "your address" in refused["message"]


async def test_the_player_page_is_served_with_a_strict_policy(
    room_server: RoomServer, session: aiohttp.ClientSession
) -> None:
    async with session.get(f"http://127.0.0.1:{room_server.port}/?code=123456") as page:
        text = await page.text()
        assert page.status == 200 and "room.js" in text
        assert "default-src 'none'" in page.headers["Content-Security-Policy"]
    async with session.get(f"http://127.0.0.1:{room_server.port}/room.js") as script:
        body = await script.text()
        assert "innerHTML" not in body and "textContent" in body


class HandTimers:
    """A room's schedule moved by hand: callbacks wait until `fire`, never for real time."""

    def __init__(self) -> None:
        self.due: list[tuple[asyncio.Handle, Callable[[], None]]] = []

    def __call__(self, delay: float, callback: Callable[[], None]) -> asyncio.Handle:
        handle = asyncio.Handle(callback, (), asyncio.get_running_loop())
        self.due.append((handle, callback))
        return handle

    def fire(self) -> None:
        due, self.due = self.due, []
        for handle, callback in due:
            if not handle.cancelled():
                callback()


async def test_a_killed_host_resumes_with_the_same_code_question_and_scores(
    tmp_path: Path, session: aiohttp.ClientSession, cli: Any
) -> None:
    from quiz.room import record as rec

    room = Room(
        QUESTIONS, code="123456", seed=7, deck_id=DECK.id, deck_title=DECK.title, timer=None
    )
    saves = SaveFolder(tmp_path / "saves")
    timers = HandTimers()  # the record's debounced writes fire when the test says
    first = RoomServer(room, saves, port=0, schedule=timers)
    await first.start()
    ann = await joined(session, first, "Ann")
    ben = await joined(session, first, "Ben")
    tokens = {"Ann": ann.frames[0]["token"], "Ben": ben.frames[0]["token"]}
    await first.begin()
    await ann.send({"type": "answer", "question": 1, "choice": QUESTIONS[0].answer})
    await ben.send({"type": "answer", "question": 1, "choice": QUESTIONS[0].answer})
    score = (await ann.next("reveal"))["score"]
    await first.advance()
    await ann.send({"type": "answer", "question": 2, "choice": QUESTIONS[1].answer})
    await ann.next("answered")
    path = rec.latest(tmp_path / "saves" / "rooms")
    timers.fire()  # the second the debounce waits is up: the record catches up with the answer
    async with asyncio.timeout(5):
        while len(rec.read(path).answers) != 3:
            await asyncio.sleep(0.01)
    assert rec.read(path).phase == "question"
    await first.stop()  # as good as kill -9 for the players: their sockets drop

    again = rec.restore(rec.read(path), QUESTIONS, DECK.title)
    second = RoomServer(again, saves, port=0, record_path=path)
    await second.start()
    assert again.code == "123456" and again.phase == "question" and again.index == 1
    back = await connect(session, second)
    await back.send({"type": "join", "code": "123456", "name": "Ann", "token": tokens["Ann"]})
    await back.next("welcome")
    assert (await back.next("question"))["question"] == 2
    await back.next("answered")  # her answer before the crash is kept
    thief = await connect(session, second)
    await thief.send({"type": "join", "code": "123456", "name": "Ben"})
    assert (await thief.next("error"))["code"] == "name-taken"
    ben2 = await connect(session, second)
    await ben2.send({"type": "join", "code": "123456", "name": "Ben", "token": tokens["Ben"]})
    await ben2.next("question")
    await ben2.send({"type": "answer", "question": 2, "choice": QUESTIONS[1].answer})
    reveal = await back.next("reveal")
    assert reveal["correct"] and reveal["score"] == score + 1000 + 100  # the streak carried on
    assert [s.movement for s in again.standings()] == [0, 0]  # moves count from before the crash
    await second.advance()
    assert (await back.next("end"))["correct"] == 2
    await second.stop()
    report = cli("report", "--saves", str(tmp_path / "saves"), "--format", "csv")
    assert report.out.count(",live,") == 4
    assert cli("host", "--resume", "--saves", str(tmp_path / "saves")).code == 1


def test_listening_on_every_address_gives_lan_addresses_never_0000() -> None:
    room = Room(QUESTIONS, code="123456", seed=7, deck_id=DECK.id, deck_title=DECK.title)
    urls = RoomServer(room, None, host="0.0.0.0", port=8765).urls()
    assert urls and all("0.0.0.0" not in u and u.endswith(":8765/") for u in urls)
    assert RoomServer(room, None).urls() == ["http://127.0.0.1:8765/"]


def test_an_unwritable_saves_folder_is_reported_before_the_lobby_opens(
    tmp_path: Path, cli: Any
) -> None:
    blocker = tmp_path / "saves"
    blocker.write_text("a file, not a folder", encoding="utf-8")
    result = cli("host", "--plain", "--port", "18699", "--saves", str(blocker))
    assert result.code == 1 and "saves" in result.err and "Join at" not in result.out


def test_host_and_join_refuse_bad_arguments_clearly(cli: Any) -> None:
    assert cli("host", "--timer", "2").code == 2
    assert cli("host", "--scoring", "luck").code == 2
    assert cli("host", "--daily", "--seed", "3", "--plain").code == 2
    bad = cli("join", "ftp://example.org/", "--plain")
    assert bad.code == 1 and "not a room address" in bad.err
