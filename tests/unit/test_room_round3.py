"""Issue 22, classes 1 and 7: the room's transport on hostile networks, and a plain host that never stalls.

Real servers on 127.0.0.1 (port 0), in this process or in a child with a low
limit on open files; every wait is a condition with a deadline.
"""

from __future__ import annotations

import asyncio
import fcntl
import io
import json
import os
import socket
import subprocess
import sys
from collections.abc import AsyncIterator
from pathlib import Path
from typing import Any

import aiohttp
import pytest

from quiz.deckfile.read import load_deck
from quiz.plain.host import run_host
from quiz.plain.host_output import Output
from quiz.questions.plan import make_quiz
from quiz.room import record as rec
from quiz.room.server import RoomServer
from quiz.room.state import Room
from quiz.saves.folder import SaveFolder, player_slug
from tests.conftest import FIXED, ROOT
from tests.serve_helpers import free_port, until

DECK = load_deck(FIXED)
CODE = "123456"


def make_room(count: int = 2, timer: int | None = None, **kw: Any) -> Room:
    return Room(
        make_quiz(DECK, 7, count),
        code=CODE,
        seed=7,
        deck_id=DECK.id,
        deck_title=DECK.title,
        timer=timer,
        **kw,
    )


async def bot(
    session: aiohttp.ClientSession, port: int, name: str, code: str = CODE
) -> list[dict[str, Any]]:
    """A player that answers ``choice`` to every question; its frames up to the end."""
    frames: list[dict[str, Any]] = []
    async with session.ws_connect(f"http://127.0.0.1:{port}/ws") as ws:
        await ws.send_str(json.dumps({"type": "join", "code": code, "name": name}))
        async for msg in ws:
            if msg.type != aiohttp.WSMsgType.TEXT:
                break
            frame = json.loads(msg.data)
            frames.append(frame)
            if frame["type"] == "question":
                await ws.send_str(
                    json.dumps({"type": "answer", "question": frame["question"], "choice": 0})
                )
            elif frame["type"] in ("end", "error"):
                break
    return frames


@pytest.fixture
async def session() -> AsyncIterator[aiohttp.ClientSession]:
    async with aiohttp.ClientSession(connector=aiohttp.TCPConnector(limit=0)) as s:
        yield s


# --- half-open connections under a low limit on open files ---------------------------

# The room in a child process whose limit on open files is low (as `ulimit -n`
# makes it), playing by itself: it starts once a player is in, and each question
# closes when everyone has answered.
CHILD = r"""
import asyncio, json, resource, sys
limit, per_address = int(sys.argv[1]), sys.argv[2] == "limited"
resource.setrlimit(resource.RLIMIT_NOFILE, (limit, limit))
from quiz.deckfile.read import load_deck
from quiz.questions.plan import make_quiz
from quiz.room.server import RoomServer
from quiz.room.state import Room
from quiz.saves.folder import SaveFolder
deck = load_deck(sys.argv[4])
room = Room(make_quiz(deck, 7, 2, kinds={"multiple", "boolean", "timeline"}), code="123456", seed=7, deck_id=deck.id,
            deck_title=deck.title, timer=None)
server = RoomServer(room, SaveFolder(sys.argv[3]), port=0, header_timeout=3.0,
                    limit_loopback=per_address)
async def main():
    changed = asyncio.Event()
    server.listeners.append(lambda event: changed.set())
    async def until(test):
        async with asyncio.timeout(60):
            while not test():
                changed.clear()
                await changed.wait()
    await server.start()
    print(json.dumps({"port": server.port, "budget": server.gate.limit}), flush=True)
    await until(lambda: room.active)
    await server.begin()
    while room.phase != "end":
        await until(lambda: room.phase == "reveal")
        await server.advance()
    print(json.dumps({"saved": len(server.saved_games), "error": server.save_error,
                      "dropped": server.gate.dropped, "refused": server.gate.refused}), flush=True)
    # Open until the test has read its sockets: stopping closes the listener, whose
    # backlog of connections not yet accepted the kernel then resets.
    await asyncio.get_running_loop().run_in_executor(None, sys.stdin.readline)
    await server.stop()
asyncio.run(main())
"""


def _half_open(port: int, count: int) -> list[socket.socket]:
    """``count`` connections that start a request and never finish its headers."""
    held = []
    for _ in range(count):
        s = socket.create_connection(("127.0.0.1", port), timeout=5)
        s.sendall(b"GET / HTTP/1.1\r\nHost: 127.0.0.1\r\nX-Slow: ")
        held.append(s)
    return held


@pytest.mark.parametrize("mode", ["limited", "exempt"])
async def test_half_open_connections_under_a_low_file_limit_never_stop_the_room(
    tmp_path: Path, session: aiohttp.ClientSession, mode: str
) -> None:
    # 400 half-open sockets against a room that may open 320 files. "limited": they
    # come from one address, held to its share, and a player from another address
    # (127.0.0.2) plays at once. "exempt" (the host's own machine): they fill the
    # room's whole budget of sockets while the player is mid-question, and the
    # record and the game are written all the same (descriptors are kept for saves).
    saves = tmp_path / "saves"
    child = await asyncio.create_subprocess_exec(
        sys.executable,
        "-c",
        CHILD,
        "320",
        mode,
        str(saves),
        str(FIXED),
        cwd=ROOT,
        stdin=subprocess.PIPE,
        stdout=subprocess.PIPE,
        stderr=subprocess.PIPE,
    )
    assert child.stdin is not None and child.stdout is not None and child.stderr is not None
    held: list[socket.socket] = []
    try:
        async with asyncio.timeout(30):
            started = json.loads(await child.stdout.readline())
            port, budget = started["port"], started["budget"]
            assert budget == 320 - 64 - 128
            loop = asyncio.get_running_loop()
            if mode == "limited":
                held = await loop.run_in_executor(None, _half_open, port, 400)
                connector = aiohttp.TCPConnector(local_addr=("127.0.0.2", 0))
                async with aiohttp.ClientSession(connector=connector) as other:
                    frames = await bot(other, port, "Ann")
            else:
                async with session.ws_connect(f"http://127.0.0.1:{port}/ws") as ws:
                    await ws.send_str(json.dumps({"type": "join", "code": CODE, "name": "Ann"}))
                    frames = []
                    async for msg in ws:
                        frame = json.loads(msg.data)
                        frames.append(frame)
                        if frame["type"] == "question":
                            if not held:  # the flood, while the question is open
                                held = await loop.run_in_executor(None, _half_open, port, 400)
                            await ws.send_str(
                                json.dumps(
                                    {"type": "answer", "question": frame["question"], "choice": 0}
                                )
                            )
                        if frame["type"] == "end":
                            break
            assert frames[-1]["type"] == "end" and frames[-1]["count"] == 2
            # Past the room's share, a socket is told 503 at once, not left hanging...
            replies = []
            for s in held[-20:]:
                s.settimeout(5)
                try:
                    replies.append(s.recv(100))
                except OSError as exc:
                    replies.append(repr(exc).encode())
            # The kernel hands connections to the room in no promised order, so one of the
            # last 20 made may have been among those held, and closed since as late: none
            # is left hanging, and nearly all are told 503.
            told = [r for r in replies if r.startswith(b"HTTP/1.1 503")]
            assert all(r.startswith(b"HTTP/1.1 503") or r == b"" for r in replies), replies
            assert len(told) >= 15, replies
            # ...and the ones it held are dropped once their headers are late.
            first = held[0]
            first.settimeout(10)
            assert first.recv(100) == b""  # closed, never answered
            child.stdin.write(b"\n")  # the room may close now
            await child.stdin.drain()
            result = json.loads(await child.stdout.readline())
            err = (await child.stderr.read()).decode()
            assert await child.wait() == 0
    finally:
        for s in held:
            s.close()
        if child.returncode is None:
            child.kill()
            await child.wait()
    assert result["saved"] == 1 and result["error"] is None
    assert result["refused"] > 0
    assert len(list(saves.glob("*/games/*.toml"))) == 1
    [path] = (saves / "rooms").glob("*.json")
    assert json.loads(path.read_text())["phase"] == "end"
    assert "Traceback" not in err and len(err.splitlines()) <= 6, err


# --- one address, many bots ----------------------------------------------------------


async def test_one_address_seats_few_players_and_holds_few_sockets(
    tmp_path: Path, session: aiohttp.ClientSession
) -> None:
    server = RoomServer(
        make_room(max_players=50),
        None,
        port=0,
        limit_loopback=True,
        players_per_address=3,
        sockets_per_address=5,
    )
    await server.start()
    url = f"http://127.0.0.1:{server.port}/ws"
    sockets: list[aiohttp.ClientWebSocketResponse] = []
    try:
        for k in range(4):
            ws = await session.ws_connect(url)
            sockets.append(ws)
            await ws.send_str(json.dumps({"type": "join", "code": CODE, "name": f"bot {k}"}))
            frame = json.loads((await ws.receive(timeout=5)).data)
            assert frame["type"] == ("welcome" if k < 3 else "error"), frame
        assert frame["code"] == "full" and "your address" in frame["message"]
        # Five sockets in all from this address (three seated, two idle): the sixth
        # is refused before any WebSocket, page or header is read.
        sockets.append(await session.ws_connect(url))
        with pytest.raises(aiohttp.WSServerHandshakeError) as refused:
            await session.ws_connect(url)
        assert refused.value.status == 503
        # A player on another address is not held up by any of it.
        connector = aiohttp.TCPConnector(local_addr=("127.0.0.2", 0))
        async with aiohttp.ClientSession(connector=connector) as other:
            async with other.ws_connect(f"http://127.0.0.1:{server.port}/ws") as ws:
                await ws.send_str(json.dumps({"type": "join", "code": CODE, "name": "Ann"}))
                assert json.loads((await ws.receive(timeout=5)).data)["type"] == "welcome"
        # Hostile: reopening an idle socket does not win a fourth seat; a socket
        # freed is a socket back.
        await sockets.pop().close()
        await until(lambda: server.gate is not None and server.gate.count("127.0.0.1") == 4)
        again = await session.ws_connect(url)
        await again.send_str(json.dumps({"type": "join", "code": CODE, "name": "bot 9"}))
        assert json.loads((await again.receive(timeout=5)).data)["code"] == "full"
        # Issue 22: a bot that drops keeps its seat on its address, so dropping and
        # joining anew under new names never fills the room; it can come back itself.
        token = next(t for t, pl in server.room.players.items() if pl.name == "bot 0")
        for round_ in range(3):
            await sockets[0].close()
            await until(lambda: server.seated["127.0.0.1"] == 2)
            await until(lambda: server.gate is not None and server.gate.count("127.0.0.1") == 4)
            await again.send_str(
                json.dumps({"type": "join", "code": CODE, "name": f"new {round_}"})
            )
            refused = json.loads((await again.receive(timeout=5)).data)
            assert refused["code"] == "full" and "your address" in refused["message"]
            sockets[0] = await session.ws_connect(url)
            await sockets[0].send_str(
                json.dumps({"type": "join", "code": CODE, "name": "bot 0", "token": token})
            )
            assert json.loads((await sockets[0].receive(timeout=5)).data)["type"] == "welcome"
        assert len(server.room.active) == 4  # three bots and Ann, however often they cycled
        # The host removing a bot frees its seat for someone else from that address.
        await server.remove("bot 1")
        await again.send_str(json.dumps({"type": "join", "code": CODE, "name": "bot 9"}))
        assert json.loads((await again.receive(timeout=5)).data)["type"] == "welcome"
        sockets.append(again)
    finally:
        for ws in sockets:
            await ws.close()
        await server.stop()


# --- DNS rebinding on a LAN room -----------------------------------------------------


async def test_a_rebound_host_name_is_refused_on_every_listen_address(
    session: aiohttp.ClientSession,
) -> None:
    server = RoomServer(make_room(), None, host="0.0.0.0", port=0)
    await server.start()
    port = server.port
    url = f"http://127.0.0.1:{port}"

    async def status(path: str, host: str, origin: str | None = None) -> int:
        headers = {"Host": host, **({"Origin": origin} if origin else {})}
        if path == "/ws":
            try:
                ws = await session.ws_connect(url + path, headers=headers)
            except aiohttp.WSServerHandshakeError as exc:
                return exc.status
            await ws.close()
            return 101
        async with session.get(url + path, headers=headers) as response:
            return response.status

    try:
        for evil in (
            f"attacker.example:{port}",
            f"ATTACKER.example:{port}",
            f"127.0.0.1.attacker.example:{port}",
            f"localhost.attacker.example:{port}",
            f"0.0.0.0:{port}",
        ):
            # The page's own name, now pointing here: Host and Origin agree, and still no.
            assert await status("/ws", evil, f"http://{evil}") == 403, evil
            assert await status("/", evil) == 403, evil
        printed = [u.split("//")[1].rstrip("/") for u in server.urls()]
        for good in [f"127.0.0.1:{port}", f"localhost:{port}", f"[::1]:{port}", *printed]:
            assert await status("/ws", good, f"http://{good}") == 101, good
            assert await status("/", good) == 200, good
    finally:
        await server.stop()


# --- malformed HTTP never writes a traceback -----------------------------------------

MALFORMED = [
    b"GET / HTTP/1.1\r\nHost: 127.0.0.1\r\nHost: evil\r\n\r\n",  # duplicate Host
    b"GET / HTTP/1.1\r\nHost: 127.0.0.1\r\nX-Bad: \x01\x1b[2J\x7f\r\n\r\n",  # bad header bytes
    b"GET / HTTP/7.3\r\nHost: 127.0.0.1\r\n\r\n",  # bad version
    b"POST / HTTP/1.1\r\nHost: 127.0.0.1\r\nContent-Length: 4\r\n"
    b"Transfer-Encoding: chunked\r\n\r\n0\r\n\r\n",  # CL+TE
    b"\x16\x03\x01\x02\x00\x01\x00\x01\xfc\x03\x03\x1b]0;owned\x07\r\n\r\n",  # TLS, escapes
    b"GET /\x1b[31m HTTP/1.1\r\nHost: 127.0.0.1\r\n" + b"X: " + b"a" * 20000 + b"\r\n\r\n",
]


def _send_all(port: int, rounds: int) -> list[bytes]:
    replies = []
    for _ in range(rounds):
        for request in MALFORMED:
            with socket.create_connection(("127.0.0.1", port), timeout=5) as s:
                s.sendall(request)
                try:
                    replies.append(s.recv(64))
                except OSError:
                    replies.append(b"")
    return replies


async def test_malformed_http_requests_never_print_a_traceback_on_the_plain_host(
    tmp_path: Path,
) -> None:
    port = free_port()
    env = {**os.environ, "QUIZ_SAVES": str(tmp_path / "saves")}
    host = await asyncio.create_subprocess_exec(
        sys.executable,
        "-m",
        "quiz",
        "host",
        "--plain",
        "--deck",
        str(FIXED),
        "--port",
        str(port),
        cwd=tmp_path,
        env=env,
        stdin=subprocess.PIPE,
        stdout=subprocess.PIPE,
        stderr=subprocess.PIPE,
    )
    assert host.stdout is not None and host.stderr is not None
    try:
        async with asyncio.timeout(30):
            while b"code " not in await host.stdout.readline():
                pass
            replies = await asyncio.get_running_loop().run_in_executor(None, _send_all, port, 50)
            # Each is answered 400 and closed; none is a 500 from a crashed handler.
            assert all(r.startswith(b"HTTP/1.") and b" 400 " in r for r in replies), {
                r[:20] for r in replies
            }
            # The room still plays: a page loads.
            async with aiohttp.ClientSession() as session:
                async with session.get(f"http://127.0.0.1:{port}/") as response:
                    assert response.status == 200
    finally:
        host.terminate()
        err = (await host.stderr.read()).decode("utf-8", "replace")
        await host.wait()
    lines = err.splitlines()
    assert "Traceback" not in err and len(lines) <= len(MALFORMED), err
    assert all(line.startswith("quiz: room: refused a malformed HTTP request") for line in lines)
    assert "\x1b" not in err and "\x07" not in err


# --- a plain host whose output is never read -----------------------------------------


def _read_all(read_end: int, out: Output, seconds: float = 10.0) -> str:
    """Everything ``out`` writes into the pipe, read now that the room is over."""
    import time

    got = b""
    os.set_blocking(read_end, False)
    deadline = time.monotonic() + seconds
    while time.monotonic() < deadline:
        try:
            got += os.read(read_end, 65536)
        except BlockingIOError:
            if out.drain(0.01):
                try:
                    got += os.read(read_end, 65536)
                except BlockingIOError:
                    break
    return got.decode("utf-8", "replace")


async def test_a_plain_host_whose_output_is_never_read_never_stalls_200_players(
    session: aiohttp.ClientSession,
) -> None:
    server = RoomServer(make_room(timer=60, max_players=300), None, port=0)
    await server.start()
    read_end, write_end = os.pipe()
    fcntl.fcntl(write_end, fcntl.F_SETPIPE_SZ, 4096)  # one page: the lobby alone fills it
    stdout = os.fdopen(write_end, "w", encoding="utf-8")
    out = Output(stdout)
    enter_r, enter_w = os.pipe()
    stdin = os.fdopen(enter_r, encoding="utf-8")
    host = asyncio.ensure_future(run_host(server, stdin, out, False, drain=0.2))
    players = [asyncio.ensure_future(bot(session, server.port, f"p{k:03d}")) for k in range(200)]
    try:
        async with asyncio.timeout(60):
            await until(lambda: len(server.room.active) == 200, 30)
            os.write(enter_w, b"\n\n\n")  # start, then on from each reveal
            frames = await asyncio.gather(*players)
            code = await host
    finally:
        for task in [host, *players]:
            task.cancel()
        os.close(enter_w)
        await server.stop()
    assert code == 0 and server.room.phase == "end"
    assert all(f[-1]["type"] == "end" for f in frames)
    # Read at last, it is all there, with a few progress lines, never one per player.
    shown = _read_all(read_end, out)
    os.close(read_end)
    stdout.close()
    stdin.close()
    lines = shown.splitlines()
    assert lines[0].startswith("Join at ") and "Saved" not in shown
    assert sum(line.startswith("Joined: ") for line in lines) <= 12, shown
    assert "(200 players)" in lines[max(k for k, x in enumerate(lines) if x.startswith("Joined"))]
    assert sum(line.startswith("answered ") for line in lines) <= 2 * 8, shown
    assert "answered 200/200" in lines and lines[-1].startswith("Right answers per question")
    assert lines[-1].endswith("/200")  # out of the players present, as the host's screen says


def test_output_that_is_never_read_keeps_at_most_its_limit_and_says_what_it_left_out() -> None:
    import re

    read_end, write_end = os.pipe()
    fcntl.fcntl(write_end, fcntl.F_SETPIPE_SZ, 4096)
    stream = os.fdopen(write_end, "w", encoding="utf-8")
    out = Output(stream, limit=50)
    for k in range(10_000):  # never waits, never keeps more than 50 lines
        out.write(f"line {k:05d} " + "x" * 100)
    assert len(out._lines) <= 51
    assert not out.drain(0.05)  # nobody reads: the drain gives up at its deadline
    text = _read_all(read_end, out)
    os.close(read_end)
    stream.close()
    shown = re.findall(r"^line (\d{5}) x+$", text, re.M)
    left_out = [int(n) for n in re.findall(r"^\((\d+) lines left out: this output", text, re.M)]
    assert shown[0] == "00000" and len(shown) < 300 and left_out
    assert len(shown) + sum(left_out) == 10_000  # every line written or counted, none twice


# --- one bad player folder -----------------------------------------------------------


async def test_one_bad_player_folder_loses_only_its_game_and_resume_saves_it(
    tmp_path: Path, session: aiohttp.ClientSession
) -> None:
    saves = SaveFolder(tmp_path / "saves")
    names = ["Ann", "Ben", "Cy", "Dee", "Eve"]
    # Ben's .lock is a symlink; Dee's games is a file (a full quota fails the same way).
    ben = saves.player_dir("Ben", create=True)
    (ben / ".lock").symlink_to(tmp_path / "elsewhere")
    dee = tmp_path / "saves" / player_slug("Dee")
    dee.mkdir()
    (dee / "games").write_text("not a folder")
    server = RoomServer(make_room(count=1), saves, port=0)
    await server.start()
    players = [asyncio.ensure_future(bot(session, server.port, n)) for n in names]
    host_out = io.StringIO()
    try:
        async with asyncio.timeout(30):
            await until(lambda: len(server.room.active) == 5)
            # Start, go on to the podium, then one Enter to try again: still broken.
            code = await run_host(server, io.StringIO("\n\n\n"), host_out, False)
            await asyncio.gather(*players)
    finally:
        await server.stop()
    out = host_out.getvalue()
    assert code == 1
    assert "Could not save 2 player games:" in out and "Saved 3 other games." in out
    assert "  Ben's game: " in out and "  Dee's game: " in out
    assert "quiz host --resume" in out
    saved = sorted(p.parent.parent.name for p in (tmp_path / "saves").glob("*/games/*.toml"))
    assert len(saved) == 3 and player_slug("Ben") not in saved
    # The room's record is kept resumable; once the folders are mended, --resume
    # saves the two games left, and writes none of the others twice.
    path = rec.latest(tmp_path / "saves" / "rooms")
    (ben / ".lock").unlink()
    (dee / "games").unlink()
    again = rec.restore(rec.read(path), make_quiz(DECK, 7, 1), DECK.title)
    second = RoomServer(again, saves, port=0, record_path=path)
    await second.start()
    try:
        await second.advance()
    finally:
        await second.stop()
    assert second.save_failures == [] and second.save_error is None
    assert len(second.saved_games) == 2
    assert len(list((tmp_path / "saves").glob("*/games/*.toml"))) == 5
    assert json.loads(path.read_text())["phase"] == "end"


async def test_a_record_that_cannot_be_written_is_told_and_tried_again(
    tmp_path: Path, session: aiohttp.ClientSession
) -> None:
    # Hostile: a folder put where the room's record goes, mid-game (a full disk or
    # EMFILE fail the write the same way): the answer still counts, the host hears
    # it once, the write is tried again until it works, and the room goes on.
    saves = SaveFolder(tmp_path / "saves")
    server = RoomServer(make_room(count=1), saves, port=0)
    await server.start()
    events: list[str] = []
    server.listeners.append(events.append)
    assert server.record_path is not None
    record = server.record_path
    try:
        player = asyncio.ensure_future(bot(session, server.port, "Ann"))
        await until(lambda: server.room.active)
        record.unlink()
        record.mkdir()
        await server.begin()
        await until(lambda: "save-error" in events)
        assert server.room.phase == "reveal"
        assert server.save_error is not None and "room's record" in server.save_error
        record.rmdir()
        await until(lambda: "saved" in events)
        assert server.save_error is None and events.count("save-error") == 1
        await server.advance()
        assert (await player)[-1]["type"] == "end"
    finally:
        await server.stop()
    assert json.loads(record.read_text())["phase"] == "end"
    assert len(list((tmp_path / "saves").glob("*/games/*.toml"))) == 1


# --- closed stdin ---------------------------------------------------------------------


async def _quiz(*args: str, cwd: Path, env: dict[str, str]) -> asyncio.subprocess.Process:
    """`quiz ARGS` with its standard input closed (`<&-`), as a shell would run it."""
    command = " ".join(f"'{a}'" for a in (sys.executable, "-m", "quiz", *args))
    return await asyncio.create_subprocess_shell(
        f"exec {command} <&-",
        cwd=cwd,
        env=env,
        stdout=subprocess.PIPE,
        stderr=subprocess.PIPE,
    )


async def test_host_plain_and_join_plain_with_stdin_closed_end_cleanly(
    tmp_path: Path, session: aiohttp.ClientSession
) -> None:
    env = {**os.environ, "QUIZ_SAVES": str(tmp_path / "saves"), "PYTHONPATH": str(ROOT)}
    env["QUIZ_TEST_AUTO_STEP"] = "0.3"  # the tests' own step, for 5 s a step
    port = free_port()
    # The host reads no Enter: it goes on by itself, and saves the game.
    host = await _quiz(
        "host", "--plain", "--deck", str(FIXED), "--count", "1", "--timer", "off",
        "--kinds", "multiple,boolean,timeline", "--port", str(port), cwd=tmp_path, env=env,
    )  # fmt: skip
    # A player who can type no answer, in a room this process runs quickly.
    server = RoomServer(make_room(count=1), SaveFolder(tmp_path / "other"), port=0)
    await server.start()
    join = await _quiz(
        "join", "--plain", "--code", CODE, "--name", "Zed", f"http://127.0.0.1:{server.port}/",
        cwd=tmp_path, env=env,
    )  # fmt: skip
    # Hostile: no --code either, so the code would be asked for on the closed stdin.
    asked = await _quiz(
        "join", "--plain", f"http://127.0.0.1:{server.port}/", cwd=tmp_path, env=env
    )
    assert host.stdout is not None
    try:
        async with asyncio.timeout(40):
            while not (line := await host.stdout.readline()).startswith(b"code "):
                assert line, "the host ended before it gave its code"
            played = asyncio.ensure_future(bot(session, port, "Ann", line.split()[1].decode()))
            await until(lambda: server.room.active)
            await server.begin()
            await until(lambda: server.room.players and server.room.phase == "question")
            await server.close_question()
            await server.advance()
            join_out, join_err = await join.communicate()
            asked_out, asked_err = await asked.communicate()
            assert (await played)[-1]["type"] == "end"
            host_out, host_err = await host.communicate()
    finally:
        for child in (host, join, asked):
            if child.returncode is None:
                child.kill()
                await child.wait()
        await server.stop()
    for err in (host_err, join_err, asked_err):
        assert b"Traceback" not in err, err
    assert host.returncode == 0
    assert b"End of input: the room goes on by itself, 0.3 seconds a step." in host_out
    assert b"Saved 1 player game and the room's record." in host_out
    assert join.returncode == 0 and b"Game over" in join_out
    assert asked.returncode == 1 and b"no room code given" in asked_out
    assert len(list((tmp_path / "saves").glob("*/games/*.toml"))) == 1


# --- Ctrl+C at a plain host, and --resume listening where the room did -------------------


async def _host_line(host: asyncio.subprocess.Process, start: bytes) -> bytes:
    """The host's next line that starts with ``start`` (within 20 s, or the test fails)."""
    assert host.stdout is not None
    async with asyncio.timeout(20):
        while not (line := await host.stdout.readline()).startswith(start):
            assert line, f"the host ended before saying {start!r}"
    return line


async def test_ctrl_c_closes_a_plain_host_with_a_last_line_and_resume_listens_where_it_did(
    tmp_path: Path, session: aiohttp.ClientSession
) -> None:
    import signal

    env = {**os.environ, "QUIZ_SAVES": str(tmp_path / "saves"), "PYTHONPATH": str(ROOT)}
    port = free_port()
    first = await asyncio.create_subprocess_exec(
        sys.executable, "-m", "quiz", "host", "--plain", "--deck", str(FIXED), "--count", "2",
        "--timer", "off", "--host", "127.0.0.1", "--port", str(port), "--max-players", "3",
        "--kinds", "multiple,boolean,timeline",
        cwd=tmp_path, env=env, stdin=subprocess.PIPE, stdout=subprocess.PIPE,
        stderr=subprocess.PIPE,
    )  # fmt: skip
    again: asyncio.subprocess.Process | None = None
    try:
        code = (await _host_line(first, b"code ")).split()[1].decode()
        played = asyncio.ensure_future(bot(session, port, "Ann", code))
        await _host_line(first, b"Joined: Ann")
        assert first.stdin is not None
        first.stdin.write(b"\n")  # the game starts; Ann answers, so the question closes
        await _host_line(first, b"Reveal 1/2")
        first.send_signal(signal.SIGINT)
        closed = await _host_line(first, b"Room closed.")
        out, err = await first.communicate()
        assert first.returncode == 0, err
        assert b"`quiz host --resume` carries on from here." in closed
        assert not out.strip() and b"Traceback" not in err  # its last line
        frames = [f["type"] for f in await played]  # her socket closed by the host, mid-game
        assert "reveal" in frames and "end" not in frames

        # No --host, --port or --max-players: the room's own, from its record.
        again = await asyncio.create_subprocess_exec(
            sys.executable, "-m", "quiz", "host", "--plain", "--resume", "--deck", str(FIXED),
            cwd=tmp_path, env=env, stdin=subprocess.PIPE, stdout=subprocess.PIPE,
            stderr=subprocess.PIPE,
        )  # fmt: skip
        assert await _host_line(again, b"Join at") == f"Join at http://127.0.0.1:{port}/\n".encode()
        await _host_line(again, b"Resumed at question 1/2")
        again.send_signal(signal.SIGINT)
        await _host_line(again, b"Room closed.")
        await again.communicate()
        assert again.returncode == 0
    finally:
        for child in (first, again):
            if child is not None and child.returncode is None:
                child.kill()
                await child.wait()
    record = json.loads(next((tmp_path / "saves" / "rooms").glob("*.json")).read_text())
    assert (record["host"], record["port"], record["max_players"]) == ("127.0.0.1", port, 3)
