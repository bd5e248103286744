"""The owner's lease and the room's event stream on JetStream (issue 28), on the packaged NATS
server on 127.0.0.1: one room has one owner on a broker, a replacement takes it once the first
is gone, and an edge that misses the owner's messages reads them back with no player dropped."""

from __future__ import annotations

import asyncio
import json
import os
import socket
from pathlib import Path
from typing import Any

import pytest

from quiz.room import broker
from quiz.room.wire import RoomError
from quiz.saves.folder import SaveFolder
from tests.room_helpers import room_on
from tests.unit.test_room_spread import PLAYERS, QUESTIONS, nats_runs, play, until


def owner_of(tmp_path: Path, name: str, **kw: Any) -> Any:
    from quiz.room.owner import OwnerServer

    return OwnerServer(
        room_on(QUESTIONS, timer=None, max_players=PLAYERS),
        SaveFolder(tmp_path / name),
        port=broker.free_port(),
        lease_ttl=1,
        **kw,
    )


def edge_of(owner: Any, nc: Any) -> Any:
    """An edge in this process, on the owner's room, on a free port of 127.0.0.1."""
    from quiz.room.edge import EdgeServer

    return EdgeServer(
        nc,
        owner.room.code,
        owner.id,
        max_players=PLAYERS,
        max_connections=owner.max_connections,
        host="127.0.0.1",
        port=broker.free_port(),
    )


async def test_a_second_owner_of_a_room_is_refused_while_the_first_lives_and_replaces_it_after(
    tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    """Two hosts of room 123456 on one broker: the second is told, in one line, that the room
    has an owner (its pid) and ends with 1; once the first stops renewing its lease (killed:
    its heartbeat stops), a replacement takes the room as soon as the lease runs out, and the
    first, should it come back, stays paused."""
    if (why := nats_runs()) is not None:
        pytest.skip(why)
    from quiz.cli.live import _host_plain

    first = owner_of(tmp_path, "first")
    await first.start()
    try:
        assert first.where is not None
        second = owner_of(tmp_path, "second", broker=first.where)
        assert await _host_plain(second) == 1
        err = capsys.readouterr().err
        assert err.count("\n") == 1 and "Traceback" not in err
        assert err.startswith("quiz: room 123456 already has an owner (pid ")
        assert f"pid {os.getpid()} " in err and "one room has one owner" in err
        assert second.nc is not None and second.nc.is_closed  # nothing of it left behind
        assert first.lease is not None and not first.lease_lost

        assert first._beats is not None
        first._beats.cancel()  # the first owner's heartbeat stops, as a killed one's does
        replacement = owner_of(tmp_path, "third", broker=first.where)
        await replacement.start()  # waits for the first's lease to run out, then holds it
        try:
            assert replacement.lease is not None
            took = replacement.lease.revision
            await until(lambda: replacement.lease.revision > took, "the lease renewed", 5)
            # The first owner was only stalled (its heartbeat comes back): it finds the room
            # taken, says so and stays paused; the replacement keeps the room.
            news: list[str] = []
            first.listeners.append(
                lambda e: news.append(first.transport_news or "") if e == "transport" else None
            )
            first._beats = asyncio.ensure_future(first._beat())
            await until(lambda: first.lease_lost, "the first owner saw the room taken", 5)
            assert not first.broker_up and news == [
                "Another owner holds room 123456 on the broker now: this one stays paused; "
                "close it."
            ]
            with pytest.raises(RoomError):
                await first.begin()  # it judges nothing more
            # An edge's join now is the replacement's alone: the first neither seats nor answers.
            assert replacement.nc is not None
            join = json.dumps({"type": "join", "code": "123456", "name": "Ada"})
            frame = {"t": "f", "e": "edge-1", "c": 1, "a": "127.0.0.1", "d": join}
            await replacement.nc.publish(broker.subject("123456", "in"), json.dumps(frame).encode())
            await until(lambda: len(replacement.room.players) == 1, "the replacement seated Ada")
            assert not first.room.players and "edge-1" not in first.edges
            renewed = replacement.lease.revision
            await until(lambda: replacement.lease.revision > renewed, "still renewed", 5)
            assert not replacement.lease_lost
        finally:
            await replacement.stop()
    finally:
        await first.stop()


async def test_a_broker_without_jetstream_is_told_in_one_line(
    tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    """An operator's NATS server started without -js: `quiz host --broker` says JetStream is
    needed and ends with 1."""
    if (why := nats_runs()) is not None:
        pytest.skip(why)
    import subprocess

    from quiz.cli.live import _host_plain

    binary = broker.server_binary()
    assert binary is not None
    port = broker.free_port()
    server = subprocess.Popen(
        [str(binary), "-a", "127.0.0.1", "-p", str(port)],
        stdout=subprocess.DEVNULL,
        stderr=subprocess.DEVNULL,
    )
    try:

        def listening() -> bool:
            try:
                socket.create_connection(("127.0.0.1", port), timeout=0.2).close()
            except OSError:
                return False
            return True

        await until(listening, "the plain NATS server listening")
        owner = owner_of(tmp_path, "plain", broker=broker.parse_url(f"nats://127.0.0.1:{port}"))
        assert await _host_plain(owner) == 1
    finally:
        server.terminate()
        server.wait(5)
    err = capsys.readouterr().err
    assert err.count("\n") == 1 and "Traceback" not in err
    assert f"the broker at nats://127.0.0.1:{port} has no JetStream" in err and "-js" in err


async def test_an_edge_that_misses_messages_reads_them_back_and_no_player_rejoins(
    tmp_path: Path,
) -> None:
    """An edge loses four of the owner's messages on their way (a board sent to every edge, a
    step of reveals and one of questions addressed to its sockets, and the last one of a step
    with nothing after it):
    it reads each back from the room's event stream, and every phone sees every question and
    every reveal on the socket it joined with."""
    if (why := nats_runs()) is not None:
        pytest.skip(why)

    clock = lambda: 100.0  # noqa: E731
    owner = owner_of(tmp_path, "room", clock=clock)
    await owner.start()
    assert owner.where is not None
    nc = await broker.connect(owner.where, "quiz-edge")
    edge = edge_of(owner, nc)
    lost: list[str] = []
    take = edge._take

    async def lossy(msg: Any) -> None:
        data = json.loads(msg.data)
        if "b" in data:
            what = {json.loads(data["b"])["type"]}
        else:
            what = {
                f"{frame['type']} {frame.get('question')}"
                for frame in (json.loads(op[2]) for op in data["o"] if op[0] == "s")
            }
        # The first board sent to everyone (on .out), every reveal of question 1 (with the last
        # answers' "answered") and every question 2 sent to this edge's sockets (.out.<edge>),
        # and question 3: the last message
        # before the phones answer, with nothing after it to show the gap but the heartbeat.
        for one in ("reveal 1", "leaderboard", "question 2", "question 3"):
            if one in what and one not in lost:
                lost.append(one)
                return
        await take(msg)

    edge._take = lossy  # type: ignore[method-assign]
    await edge.start()
    try:
        await until(lambda: edge.id in owner.edges, "the owner heard the edge")
        bots = await play(owner, edge.port)
    finally:
        await edge.stop()
        await nc.close()
        await owner.stop()
    assert lost == ["reveal 1", "leaderboard", "question 2", "question 3"]
    assert edge.caught_up >= 4 and edge.resets == 0
    assert all(b.welcomes == 1 and len(b.peers) == 1 for b in bots)  # nobody dropped
    for bot in bots:
        kinds = [(f["type"], f.get("question")) for f in bot.frames]
        for q in range(1, len(QUESTIONS) + 1):
            assert kinds.count(("question", q)) == 1 and kinds.count(("reveal", q)) == 1


async def test_an_edge_whose_missing_message_the_stream_no_longer_holds_drops_its_players(
    tmp_path: Path,
) -> None:
    """The one case left for a rejoin: a message missing that the event stream no longer
    holds (here: purged) drops the edge's sockets, and its phones come back by token."""
    if (why := nats_runs()) is not None:
        pytest.skip(why)

    owner = owner_of(tmp_path, "room", clock=lambda: 100.0)
    await owner.start()
    assert owner.where is not None and owner.nc is not None
    nc = await broker.connect(owner.where, "quiz-edge")
    edge = edge_of(owner, nc)
    js = owner.nc.jetstream()
    take = edge._take
    lost: list[int] = []

    async def lossy(msg: Any) -> None:
        data = json.loads(msg.data)
        sends = [json.loads(op[2]) for op in data.get("o", []) if op[0] == "s"]
        if sends and all(f["type"] == "question" and f["question"] == 2 for f in sends):
            if not lost:
                lost.append(data["n"])
                await js.purge_stream(broker.events_stream(owner.room.code))
                return
        await take(msg)

    edge._take = lossy  # type: ignore[method-assign]
    await edge.start()
    try:
        await until(lambda: edge.id in owner.edges, "the owner heard the edge")
        bots = await play(owner, edge.port)
    finally:
        await edge.stop()
        await nc.close()
        await owner.stop()
    assert lost and edge.resets == 1
    assert all(b.welcomes == 2 for b in bots)  # each came back once, by token
    assert all(any(f["type"] == "reveal" and f["question"] == 2 for f in b.frames) for b in bots)


async def test_an_edge_that_ends_tells_its_players_to_rejoin_not_that_the_room_closed(
    tmp_path: Path,
) -> None:
    """The owner killed (its edges see their pipe close) or an edge ended by its pid: the
    players on it are told to rejoin (1012), never 1001, which the page and `quiz join`
    take as the host closing the room (they then stop trying, and miss the resumed game)."""
    if (why := nats_runs()) is not None:
        pytest.skip(why)
    import aiohttp

    from quiz.room import protocol as p
    from quiz.room.client import closed_by_host

    owner = owner_of(tmp_path, "room")
    await owner.start()
    assert owner.where is not None
    nc = await broker.connect(owner.where, "quiz-edge")
    edge = edge_of(owner, nc)
    await edge.start()
    try:
        await until(lambda: edge.id in owner.edges, "the owner heard the edge")
        async with aiohttp.ClientSession() as session:
            ws = await session.ws_connect(
                f"http://127.0.0.1:{edge.port}/ws",
                headers={"Origin": f"http://127.0.0.1:{edge.port}"},
            )
            await ws.send_str(p.join(owner.room.code, "Ann"))
            async with asyncio.timeout(10):
                welcome = json.loads((await ws.receive()).data)
            assert welcome["type"] == "welcome"
            # What `quiz edge` does when its owner's pipe closes; the page reads meanwhile.
            stopping = asyncio.ensure_future(edge.stop())
            async with asyncio.timeout(10):
                while not ws.closed:
                    await ws.receive()
                await stopping
            assert ws.close_code == 1012 and not closed_by_host(ws.close_code)
    finally:
        await nc.close()
        await owner.stop()
