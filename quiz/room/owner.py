"""The owner of a room spread over processes (issue 28): the room itself, its players elsewhere.

The owner is the room's one writer, as a one-process room is: it judges,
scores, stamps deadlines, writes the record and the saves. Its players' sockets
are held by edges (quiz.room.edge), which forward each frame over NATS with
the edge, the connection and the player's address. Here each of those
connections is a `Connection` like a one-process room's, whose socket is a
`RemoteSocket`: what the room sends it is queued for its edge. So the room's
own code (`_join`, `_answer`, `_pick_team`, `remove`, every per-address limit)
runs unchanged, and an address is counted once whichever edge it came through.

A broadcast is published once, on ``.out``; frames addressed to sockets (a
reveal each) go to their edge in one message per step. When the broker is
unreachable the game is paused: no question closes, nothing moves on, and the
open question gets back the time it had left once the broker is back.

The owner holds the room's lease on the broker (`broker.Lease`) from before it
hears any edge to its end, renewing it with each heartbeat; what it sends edges
is kept in the room's event stream, whose sequence each message's head gives
(``s``: the stream's sequence before this owner's first message), so an edge
reads a missed message back.
"""

from __future__ import annotations

import asyncio
import json
import subprocess
import time
import uuid
from dataclasses import dataclass, field
from pathlib import Path
from typing import TYPE_CHECKING, Any, cast

from aiohttp import web

from quiz.room import broker as b
from quiz.room import protocol as p
from quiz.room import workers
from quiz.room.edge import edge_name
from quiz.room.listening import WRONG_CODES_PER_CONNECTION, Connection
from quiz.room.outgoing import RoomFrame
from quiz.room.server import RoomServer
from quiz.room.state import Room
from quiz.room.wire import RoomError
from quiz.saves.folder import SaveFolder
from quiz.text import plural

if TYPE_CHECKING:
    from nats.aio.client import Client
    from nats.aio.msg import Msg

BACK_WAIT = 3.0  # seconds the owner waits for its edges to be back after the broker was


class RemoteSocket:
    """A player's socket on an edge, as the room's code sees a socket: sends are queued."""

    def __init__(self, owner: OwnerServer, edge: str, cid: int) -> None:
        self.owner = owner
        self.edge = edge
        self.cid = cid
        self.closed = False

    async def send_str(self, text: str) -> None:
        self.owner.queue(self.edge, ["s", self.cid, text])

    async def close(self, *, code: int = 1000, message: bytes = b"") -> bool:
        if self.closed:
            return False
        self.closed = True
        self.owner.queue(self.edge, ["x", self.cid, code, message.decode("utf-8", "replace")])
        return True


@dataclass
class Edge:
    """An edge the owner has heard from."""

    id: str
    heard: float
    sockets: int = 0
    conns: dict[int, Connection] = field(default_factory=dict)


def remote(conn: Connection) -> RemoteSocket:
    return cast(RemoteSocket, conn.ws)


class OwnerServer(RoomServer):
    """The room, its players on edges: `quiz host --workers N` or `--broker nats://...`."""

    def __init__(
        self,
        room: Room,
        saves: SaveFolder | None,
        *,
        workers: int = 0,
        broker: b.Where | None = None,
        lease_ttl: int = b.LEASE_TTL,
        **kwargs: Any,
    ) -> None:
        super().__init__(room, saves, **kwargs)
        self.workers = workers
        self.where = broker
        self.lease_ttl = lease_ttl
        self.lease: b.Lease | None = None
        self.lease_lost = False  # another owner holds the room now: this one stays paused
        self._base = 0  # the event stream's sequence before this owner's first message
        self._made = ""  # when the event stream was made
        self.id = uuid.uuid4().hex[:12]
        self.local: b.LocalBroker | None = None
        self.nc: Client | None = None
        self.edges: dict[str, Edge] = {}
        self._forgotten: set[str] = set()  # edges given up on (silent), should they speak again
        self.children: list[subprocess.Popen[bytes]] = []
        self.broker_up = False
        self._outbox: dict[str, list[list[Any]]] = {}
        self._flush_due = False
        self._seq = 0
        self._last: dict[str, int] = {}  # each edge: the number of the last message it was sent
        self._beats: asyncio.Task[None] | None = None
        self._subs: list[Any] = []
        self._closing = False
        self.edge_logs: list[Path] = []

    # -- running

    async def start(self) -> None:
        """The broker (ours, unless given), the edges, then the room opens as a one-process one."""
        self.prepare_saves()
        if self.workers and (why := b.port_free(self.host, self.port)) is not None:
            raise why  # the command line: cannot listen on HOST:PORT
        if self.where is None:
            self.local = b.LocalBroker()
            await asyncio.to_thread(self.local.start)
            self.where = self.local.where
        self.nc = await b.connect(
            self.where, f"quiz-owner-{self.room.code}", on_down=self._down, on_up=self._up
        )
        try:
            await self._take_lease()
        except b.BrokerError:
            await self._refused()
            raise
        self.broker_up = True
        code = self.room.code
        self._subs = [
            await self.nc.subscribe(b.subject(code, "in"), cb=self._inbound),
            await self.nc.subscribe(b.ASK, cb=self._ask),
            await self.nc.subscribe(b.subject(code, "ask"), cb=self._ask),
        ]
        self._beats = asyncio.ensure_future(self._beat())
        if self.workers:
            await self._start_edges()
        if self.on_started is not None:
            self.on_started()
        await self.resume()

    async def _take_lease(self) -> None:
        """The room's lease, then its event stream: before any edge is heard."""
        from nats.errors import Error as NatsError

        assert self.nc is not None and self.where is not None
        js = await b.jetstream(self.nc, self.where.url)
        lease = b.Lease(js, self.where.url, self.room.code, self.id, self.lease_ttl)
        try:
            await lease.take()
            self.lease = lease
            self._base, self._made = await b.events(js, self.room.code)
        except (NatsError, TimeoutError) as exc:  # a full store, a broker gone meanwhile
            why = str(exc) or type(exc).__name__
            raise b.BrokerError(f"the broker's JetStream refused the room: {why}") from None

    async def _refused(self) -> None:
        """A start refused: the connection and our own broker end here (no `stop` follows)."""
        if self.nc is not None:
            try:
                async with asyncio.timeout(2):
                    await self.nc.close()
            except Exception:  # noqa: BLE001 - ending anyway
                pass
        if self.local is not None:
            await asyncio.to_thread(self.local.stop)

    async def _start_edges(self) -> None:
        assert self.where is not None
        folder = self.local.folder if self.local is not None else Path(".")
        command = workers.edge_command(self.where.url, self.host, self.port, self.room.code)
        self.children, self.edge_logs = workers.spawn(
            self.workers, command, self.where.token, folder
        )
        deadline = time.monotonic() + workers.EDGE_READY
        while len(self.edges) < self.workers:
            workers.check_started(self.children, self.edge_logs, deadline)
            await asyncio.sleep(0.05)

    async def stop(self) -> None:
        self._closing = True
        await super().stop()  # tells every player the room closed (queued for their edges)
        self._flush()
        if self.nc is not None and self.nc.is_connected:
            try:
                async with asyncio.timeout(2):
                    await self.nc.flush()
            except Exception:  # noqa: BLE001 - a broker gone now loses only goodbyes
                pass
        for child in self.children:
            if child.stdin is not None:
                try:
                    child.stdin.close()
                except OSError:
                    pass
        await asyncio.to_thread(workers.end, self.children)
        if self._beats is not None:
            self._beats.cancel()
        if self.lease is not None and not self.lease_lost and self.broker_up:
            try:
                async with asyncio.timeout(2):
                    await self.lease.release()
            except Exception:  # noqa: BLE001 - it runs out by itself within its TTL
                pass
        if self.nc is not None:
            try:
                async with asyncio.timeout(2):
                    await self.nc.close()
            except Exception:  # noqa: BLE001
                pass
        if self.local is not None:
            await asyncio.to_thread(self.local.stop)

    async def _beat(self) -> None:
        """The owner's heartbeat; edges gone silent leave; our own broker restarted if it died."""
        assert self.nc is not None
        code = self.room.code
        while True:
            await asyncio.sleep(b.BEAT)
            if self.broker_up:
                # With the last message sent each edge: one lost at the end of a step (nothing
                # after it shows the gap) is read back from the stream within a beat.
                beat = b.dumps({"o": self.id, "l": self._last, "s": self._base})
                try:
                    await self.nc.publish(b.subject(code, "owner"), beat)
                except Exception:  # noqa: BLE001 - told by on_down
                    pass
                await self._renew()
            now = time.monotonic()
            for edge in list(self.edges.values()):
                if now - edge.heard > b.EDGE_SILENT and self.broker_up:
                    await self._edge_gone(edge, "stopped answering", silent=True)
            for child in self.children:
                if child.poll() is not None and not self._closing:
                    name = edge_name(child.pid)
                    if name in self.edges:
                        status = child.returncode
                        how = f"killed by signal {-status}" if status < 0 else f"exit {status}"
                        await self._edge_gone(self.edges[name], f"its process ended: {how}")
            if self.local is not None and not self.local.alive() and not self._closing:
                try:
                    await asyncio.to_thread(self.local.start)
                    self.local.restarts += 1
                except b.BrokerError:
                    pass  # tried again next beat; the game stays paused

    async def _renew(self) -> bool:
        """The lease renewed (False: another owner took the room; the game stays paused)."""
        if self.lease is None or self.lease_lost:
            return not self.lease_lost
        try:
            async with asyncio.timeout(b.JS_TIMEOUT):
                held = await self.lease.renew()
        except Exception:  # noqa: BLE001 - a broker away is told by on_down; tried next beat
            return True
        if not held:
            # From here on it neither hears the room's edges nor speaks to them: they are
            # the other owner's now.
            self.lease_lost = True
            news = (
                f"Another owner holds room {self.room.code} on the broker now: this one "
                "stays paused; close it."
            )
            if self.broker_up:
                await self._down(news)
            else:
                self.transport_news = news
                self.notify("transport")
        return held

    # -- the broker down and back

    async def _down(
        self, news: str = "The broker is unreachable: the game is paused until it is back."
    ) -> None:
        if self._closing or not self.broker_up:
            return
        self.broker_up = False
        room = self.room
        if room.phase == "question":
            if self._timer is not None:
                self._timer.cancel()
                self._timer = None
            room.resumed_after = room.elapsed(self.clock())
        if self.homework is not None:
            self._pause_paced()
        self.transport_news = news
        self.notify("transport")

    def _pause_paced(self) -> None:
        """Self-paced homework: each player's open question stops its clock (as a resume keeps
        it, `Pace.ran`), and no player's timer or next question fires; the deadline stands."""
        hw = self.homework
        assert hw is not None
        now = self.clock()
        for player in hw.players.values():
            pace = hw.paces.get(player.game.id)
            if pace is not None and pace.step == "question" and pace.opened_at is not None:
                pace.ran = hw.ran_for(player, now)
                pace.opened_at = None
        for token in list(self._paced_timers):
            self._paced_cancel(token)

    async def _up(self) -> None:
        if self._closing or self.lease_lost:
            return
        self.spawn(self._back())

    async def _back(self) -> None:
        """The broker is back: once the edges are too, the open question goes on where it was."""
        since = time.monotonic()
        deadline = since + BACK_WAIT
        while time.monotonic() < deadline and not all(e.heard > since for e in self.edges.values()):
            await asyncio.sleep(0.05)
        if not await self._renew():
            return  # another owner took the room while the broker was away
        await self._events_again()
        self.broker_up = True
        self._flush()
        if self.homework is not None and self.homework.phase == "question":
            for token in list(self.seated_tokens()):
                await self.paced_catch_up(token)  # their question with its time left, or reveal
        elif self.room.phase == "question":
            await self.resume()  # the question again, with the time it had left
            index = self.room.index
            await self.send_to(
                [
                    (t, p.answered(index + 1))
                    for t in self.seated_tokens()
                    if self.room.players[t].answer_for(index) is not None
                ]
            )
            await self.maybe_close()  # everyone had answered before the broker went
        self.transport_news = "The broker is back: the game goes on."
        self.notify("transport")

    async def _events_again(self) -> None:
        """The event stream after the broker was away: made again if it was lost with it."""
        assert self.nc is not None and self.where is not None
        try:
            js = await b.jetstream(self.nc, self.where.url)
            last, made = await b.events(js, self.room.code)
        except Exception:  # noqa: BLE001 - edges that miss a message then find it gone
            return  # and let their players rejoin
        if made != self._made:  # lost with the broker, made again: numbered from here on
            # (a message still on its way is stored later, so base + n stays at or before it)
            self._base, self._made = last - self._seq, made

    async def begin(self) -> None:
        if not self.broker_up:
            raise RoomError("not-open", "the broker is unreachable; the game waits for it")
        await super().begin()

    async def _close(self) -> None:
        if self.broker_up:  # never judge on what has not reached the room
            await super()._close()

    async def _advance(self) -> None:
        if self.broker_up:
            await super()._advance()

    # -- frames from the edges

    async def _ask(self, msg: Msg) -> None:
        """An edge asks which room this broker carries."""
        if self.lease_lost:
            return
        room = self.room
        reply = {
            "code": room.code,
            "owner": self.id,
            "max_connections": self.max_connections,
            "max_players": room.max_players,
        }
        await msg.respond(b.dumps(reply))

    def _edge(self, edge_id: str) -> Edge:
        edge = self.edges.get(edge_id)
        if edge is None:
            edge = self.edges[edge_id] = Edge(edge_id, time.monotonic())
            self._last[edge_id] = self._seq
            if self.room.phase != "lobby" or self.transport_news:
                self.transport_news = (
                    f"Edge {edge_id} is serving players ({len(self.edges)} edges)."
                )
                self.notify("transport")
        return edge

    async def _inbound(self, msg: Msg) -> None:
        if self.lease_lost:
            return  # the room's edges are another owner's
        try:
            data = json.loads(msg.data)
            kind = data["t"]
            name = data["e"]
        except (ValueError, KeyError, TypeError):
            return  # not from one of our edges
        if not isinstance(name, str) or b.EDGE_NAME.fullmatch(name) is None:
            return  # no edge's id: "a b", ">", 100,000 letters
        if name not in self.edges and len(self.edges) >= b.MAX_EDGES:
            return  # more edges than one owner serves: made up, not started
        try:
            await self._from_edge(name, kind, data)
        except (ValueError, KeyError, TypeError):
            return  # a malformed message from an edge: dropped, as a bad frame is

    async def _from_edge(self, name: str, kind: object, data: dict[str, Any]) -> None:
        if name in self._forgotten:
            # An edge given up on speaks again (its loop was stalled, not gone): the room
            # let its players go, so it drops their sockets and they rejoin, as after a kill.
            self._forgotten.discard(name)
            self._edge(name)
            self.queue(name, ["reset", 0])
            return
        edge = self._edge(name)
        edge.heard = time.monotonic()
        if kind == "beat":
            edge.sockets = int(data.get("n", 0))
        elif kind == "f":
            cid = int(data["c"])
            conn = edge.conns.get(cid)
            if conn is None:
                ws = cast(web.WebSocketResponse, RemoteSocket(self, edge.id, cid))
                conn = edge.conns[cid] = Connection(ws, str(data["a"]), tokens=self.burst)
                self.connections.add(conn)
            await self._frame(conn, str(data["d"]))
        elif kind == "gone":
            conn = edge.conns.pop(int(data["c"]), None)
            if conn is not None:
                await self._gone(conn)
        elif kind == "bye":
            await self._edge_gone(edge, "closed")

    async def _frame(self, conn: Connection, text: str) -> None:
        """One player's frame, as a one-process room's reader takes it (the edge limited its rate)."""
        await self.dispatch(conn, text)
        if conn.wrong_codes >= WRONG_CODES_PER_CONNECTION or self._address_blocked(conn.address):
            if conn.token is None and conn.wrong_codes:
                await conn.ws.close(code=1008, message=b"too many wrong codes")

    async def _gone(self, conn: Connection) -> None:
        """A player's socket has gone, as a one-process room's reader ends."""
        remote(conn).closed = True
        self.connections.discard(conn)
        token = conn.token
        if token is not None and self.sockets.get(token) is conn:
            self._unseat(token)
            self.room.leave(token)
            self.notify("leave")
            await self.maybe_close()

    async def _edge_gone(self, edge: Edge, why: str, *, silent: bool = False) -> None:
        if self.edges.pop(edge.id, None) is None:
            return
        if silent:
            self._forgotten.add(edge.id)
        self._last.pop(edge.id, None)
        self._outbox.pop(edge.id, None)
        seated = sum(1 for c in edge.conns.values() if c.token is not None)
        for conn in list(edge.conns.values()):
            await self._gone(conn)
        edge.conns.clear()
        if not self._closing:
            left = plural(len(self.edges), "edge")
            # Its players may have rejoined through another edge before the owner saw it go:
            # "0 players" would tell the host nobody was on it.
            who = f"{plural(seated, 'player')} on it" if seated else "its players"
            self.transport_news = (
                f"Edge {edge.id} went away ({why}): {who} can rejoin through the {left} left."
            )
            self.notify("transport")

    # -- frames to the edges

    def _seat(self, conn: Connection, token: str) -> None:
        super()._seat(conn, token)
        self.queue(remote(conn).edge, ["seat", remote(conn).cid])

    def _unseat(self, token: str) -> Connection | None:
        conn = super()._unseat(token)
        if conn is not None and not remote(conn).closed:
            self.queue(remote(conn).edge, ["unseat", remote(conn).cid])
        return conn

    def queue(self, edge: str, op: list[Any]) -> None:
        """One thing for one edge to do, sent with the others of this step in one message."""
        if edge not in self.edges:
            return
        self._outbox.setdefault(edge, []).append(op)
        if not self._flush_due:
            self._flush_due = True
            asyncio.get_running_loop().call_soon(self._flush)

    def _stamp(self, edge: str | None) -> dict[str, Any]:
        self._seq += 1
        n = self._seq
        if edge is None:
            head: dict[str, Any] = {"n": n, "p": dict(self._last), "s": self._base}
            for key in self._last:
                self._last[key] = n
        else:
            head = {"n": n, "p": self._last.get(edge, 0), "s": self._base}
            self._last[edge] = n
        return head

    def _publish(self, part: str, data: dict[str, Any]) -> None:
        nc = self.nc
        if nc is None or self.lease_lost:
            return
        payload = b.dumps(data)
        # The client appends to its buffer before its first wait: sent in this order.
        self.spawn(nc.publish(b.subject(self.room.code, part), payload))

    def _flush(self) -> None:
        """Send each edge what is queued for it, in messages of at most `broker.CHUNK` bytes."""
        self._flush_due = False
        outbox, self._outbox = self._outbox, {}
        for edge, ops in outbox.items():
            if edge not in self.edges:
                continue
            batch: list[list[Any]] = []
            size = 0
            for op in ops:
                batch.append(op)
                size += 32 + (len(op[2]) if op[0] == "s" else 0)
                if size >= b.CHUNK:
                    self._publish(f"out.{edge}", {**self._stamp(edge), "o": batch})
                    batch, size = [], 0
            if batch:
                self._publish(f"out.{edge}", {**self._stamp(edge), "o": batch})

    async def broadcast(self, frame: RoomFrame) -> None:
        self._flush()  # what was addressed before it goes first
        self._publish("out", {**self._stamp(None), "b": p.dump(frame)})
