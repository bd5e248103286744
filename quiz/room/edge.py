"""An edge of a room spread over processes (issue 28): players' sockets, the room elsewhere.

An edge is a `RoomServer` whose room lives in the owner (quiz.room.owner): it
serves the player page and `/ws` with a one-process room's own code (the gate,
the Host and Origin checks, the frame size, the rate limit, the idle timeout),
and where that code would join, answer or pick a team it forwards the frame to
the owner on ``quiz.room.<code>.in`` instead, with its own id, the connection's
id and the player's address. What the owner sends back it writes to its
sockets: a broadcast to every seated socket, addressed frames to theirs.

Several edges on one machine share the port (SO_REUSEPORT): the kernel spreads
new connections over them, and a player whose edge ended comes back by token
through another.

The owner's messages are numbered, each naming the one this edge had before it.
One missing (a slow consumer dropped, a broker restarted) is read back from the
room's event stream on JetStream by sequence and applied in its place; only if
the stream no longer holds it do the edge's players drop and rejoin by token.
"""

from __future__ import annotations

import asyncio
import json
import os
import re
import socket
import time
from dataclasses import dataclass
from typing import TYPE_CHECKING, Any, cast

from quiz.room import broker as b
from quiz.room import protocol as p
from quiz.room.listening import Connection
from quiz.room.outgoing import RoomFrame
from quiz.room.server import RoomServer
from quiz.room.state import Room

if TYPE_CHECKING:
    from nats.aio.client import Client
    from nats.aio.msg import Msg

GAP = 0.5  # seconds an edge waits for a message missing before reading it from the stream
CATCH_UP = 1.0  # seconds it reads the stream for it (a message may be stored a moment late)


def edge_name(pid: int | None = None) -> str:
    """An edge's id: this machine's name and the edge's pid (its subject's last part)."""
    host = re.sub(r"[^A-Za-z0-9_-]", "-", socket.gethostname())[:24] or "edge"
    return f"{host}-{os.getpid() if pid is None else pid}"


@dataclass
class FarRoom:
    """The room as an edge sees it: only what a `RoomServer`'s own code asks of it here."""

    code: str
    max_players: int
    phase: str = "lobby"

    def leave(self, token: str) -> None:
        """The owner hears of it from the edge (`EdgeServer.closed`)."""


class EdgeServer(RoomServer):
    """Players' sockets for a room whose owner is across the broker."""

    def __init__(
        self,
        nc: Client,
        code: str,
        owner: str,
        *,
        max_players: int,
        max_connections: int,
        **kwargs: Any,
    ) -> None:
        room = cast(Room, FarRoom(code, max_players))
        super().__init__(room, None, max_connections=max_connections, **kwargs)
        self.nc = nc
        self.code = code
        self.owner = owner
        self.id = edge_name()
        self.reuse_port = True
        self.ids: dict[Connection, int] = {}
        self.by_id: dict[int, Connection] = {}
        self._last_id = 0
        self._done: int | None = None  # the number of the owner's last message applied
        self._base: object = None  # its "s": the owner's place in the event stream
        self._tail: dict[str, Any] | None = None  # the owner's last heartbeat, as a marker
        self._behind_since: float | None = None  # since when a message is known missing
        self.caught_up = 0  # messages read back from the event stream
        self.resets = 0  # gaps the stream could not fill: the players dropped, to rejoin
        self._held: dict[int, tuple[float, dict[str, Any]]] = {}  # by the number before each
        self._inbox: asyncio.Queue[dict[str, Any]] = asyncio.Queue()
        self._tasks_own: list[asyncio.Task[None]] = []
        self._subs: list[Any] = []
        self.owner_heard = time.monotonic()
        # Players' frames kept while the broker is down, sent once the owner is heard again:
        # published before the owner has subscribed again they would be lost (None: sending).
        self.kept: list[dict[str, Any]] | None = None

    async def start(self) -> None:
        code = self.code
        self._subs = [
            await self.nc.subscribe(b.subject(code, "out"), cb=self._take),
            await self.nc.subscribe(b.subject(code, f"out.{self.id}"), cb=self._take),
            await self.nc.subscribe(b.subject(code, "owner"), cb=self._owner_beat),
        ]
        await super().start()
        self._tasks_own = [
            asyncio.ensure_future(self._apply_all()),
            asyncio.ensure_future(self._beat()),
        ]

    # An edge ending is never the room closing: the owner closes its players' sockets
    # itself when the host closes the room (1001, which the page and `quiz join` take as
    # final). Whoever is still here when the edge ends (the owner killed, the edge ended
    # by its pid) is told to rejoin, as when the owner goes silent.
    CLOSING = (1012, b"the room's edge went away; rejoin")

    async def stop(self) -> None:
        for task in self._tasks_own:
            task.cancel()
        await super().stop()
        self._publish({"t": "bye"})
        try:
            async with asyncio.timeout(2):
                await self.nc.flush()
        except Exception:  # noqa: BLE001 - the owner sees the edge go silent instead
            pass

    # -- to the owner

    def _publish(self, data: dict[str, Any]) -> None:
        if self.kept is not None and data["t"] not in ("beat", "bye"):
            self.kept.append(data)
            return
        data["e"] = self.id
        self.spawn(self.nc.publish(b.subject(self.code, "in"), b.dumps(data)))

    async def _beat(self) -> None:
        while True:
            self._publish({"t": "beat", "n": len(self.sockets)})
            await asyncio.sleep(b.BEAT)
            if time.monotonic() - self.owner_heard > b.OWNER_SILENT and self.nc.is_connected:
                self._drop_all(b"the room's host went away; rejoin")
                self.owner_heard = time.monotonic()

    def _forward(self, conn: Connection, frame: p.PlayerFrame) -> None:
        cid = self.ids.get(conn)
        if cid is None:
            self._last_id += 1
            cid = self.ids[conn] = self._last_id
            self.by_id[cid] = conn
        self._publish({"t": "f", "c": cid, "a": conn.address, "d": frame.model_dump_json()})

    async def _join(self, conn: Connection, frame: p.JoinFrame) -> None:
        self._forward(conn, frame)

    async def _answer(self, conn: Connection, frame: p.AnswerFrame) -> None:
        self._forward(conn, frame)

    async def _pick_team(self, conn: Connection, frame: p.TeamFrame) -> None:
        self._forward(conn, frame)

    async def _next(self, conn: Connection) -> None:
        """A self-paced player's next question: the owner keeps each player's pace."""
        self._forward(conn, p.NextFrame(type="next"))

    def closed(self, conn: Connection) -> None:
        cid = self.ids.pop(conn, None)
        if cid is not None:
            self.by_id.pop(cid, None)
            self._publish({"t": "gone", "c": cid})

    async def maybe_close(self) -> None:
        """The owner closes questions; a socket gone here is told to it (`closed`)."""

    async def broker_down(self) -> None:
        """The broker is unreachable: players' frames wait here for the owner (`_owner_beat`)."""
        if self.kept is None:
            self.kept = []

    # -- from the owner

    async def _owner_beat(self, msg: Msg) -> None:
        try:
            data = json.loads(msg.data)
            owner = data["o"]
        except (ValueError, KeyError, TypeError):
            return
        self.owner_heard = time.monotonic()
        if owner != self.owner:  # a new owner (a room resumed): it knows none of our sockets
            self.owner = owner
            self._done = None
            self._base = None
            self._tail = None
            self._held.clear()
            self._drop_all(b"the room moved; rejoin")
            if self.kept is not None:
                self.kept = []  # frames for an owner that knows none of their sockets
        tail = data.get("l")
        if isinstance(tail, dict) and isinstance(tail.get(self.id), int):
            # In line behind what the owner sent before it: a message lost at the end of a
            # step (nothing after it to show the gap) is then missed within a beat.
            self._inbox.put_nowait({"tail": tail[self.id], "s": data.get("s")})
        if self.kept is not None and self.nc.is_connected:
            # The owner speaks after the broker was down: its subscription is back, and it
            # resumed the question before any frame kept here is judged.
            kept, self.kept = self.kept, None
            for data in kept:
                self._publish(data)

    def _drop_all(self, why: bytes) -> None:
        for conn in list(self.connections):
            self._close_soon(conn, 1012, why)

    async def _take(self, msg: Msg) -> None:
        try:
            data = json.loads(msg.data)
        except ValueError:
            return
        if isinstance(data, dict):
            self._inbox.put_nowait(data)

    def _before(self, data: dict[str, Any]) -> int | None:
        """The number of the message the owner sent this edge before ``data`` (None: unknown)."""
        before = data.get("p")
        if isinstance(before, dict):
            before = before.get(self.id)
        return before if isinstance(before, int) else None

    async def _apply_all(self) -> None:
        """The owner's messages, applied in the order it sent them, one at a time."""
        while True:
            wait = None if self._behind_since is None else self._behind_since + GAP
            try:
                async with asyncio.timeout_at(None if wait is None else self._loop_time(wait)):
                    data = await self._inbox.get()
            except TimeoutError:
                await self._fill_gap()
                continue
            if "tail" in data:  # the owner's heartbeat: the last message it sent this edge
                self._tail = data
                self._check_behind()
                continue
            before = self._before(data)
            n = data.get("n")
            if (
                self._done is not None
                and isinstance(n, int)
                and n <= self._done
                and data.get("s") == self._base
            ):
                continue  # read back from the stream already, arriving late
            if self._done is None or before is None or before <= self._done:
                await self._apply(data)
            else:
                self._held[before] = (time.monotonic(), data)
            while self._done is not None and self._done in self._held:
                _, follow = self._held.pop(self._done)
                await self._apply(follow)
            self._check_behind()

    @staticmethod
    def _loop_time(at: float) -> float:
        """A `time.monotonic` moment on the loop's clock."""
        loop = asyncio.get_running_loop()
        return loop.time() + (at - time.monotonic())

    def _missing(self) -> tuple[int, object] | None:
        """The number of the last message missing, and its owner's place in the stream: the one
        the first message held follows, or the owner's last one (its heartbeat says)."""
        if self._held:
            first = min(self._held, key=lambda k: self._held[k][1]["n"])
            return first, self._held[first][1].get("s")
        tail = self._tail
        if tail is None or self._done is None or tail.get("s") != self._base:
            return None
        last = tail["tail"]
        return (last, tail["s"]) if isinstance(last, int) and last > self._done else None

    def _check_behind(self) -> None:
        if self._missing() is None:
            self._behind_since = None
        elif self._behind_since is None:
            self._behind_since = time.monotonic()

    async def _fill_gap(self) -> None:
        """Messages missing for `GAP`: read back from the event stream, or, gone from it, the
        players rejoin and what is held goes on."""
        if not self._inbox.empty():
            return  # what has come meanwhile first (a loop busy writing sockets)
        missing = self._missing()
        self._behind_since = None
        if missing is None:
            return
        want, base = missing
        if not await self._read_back(want, base):
            self.resets += 1
            self._tail = None
            self._drop_all(b"the room's messages were lost; rejoin")
            if self._done is not None:
                self._done = max(self._done, want)  # given up on: not missed again
            for key in sorted(self._held, key=lambda k: self._held[k][1]["n"]):
                _, late = self._held.pop(key)
                await self._apply(late)
        while self._done is not None and self._done in self._held:
            _, follow = self._held.pop(self._done)
            await self._apply(follow)
        self._check_behind()

    async def _read_back(self, want: int, base: object) -> bool:
        """The owner's messages to this edge after the last applied, up to number ``want``, read
        back from the event stream and applied in order: False if the stream no longer holds
        them (or cannot be read)."""
        from nats.errors import Error as NatsError
        from nats.js.errors import NotFoundError

        done = self._done
        if done is None or not isinstance(base, int):
            return False
        mine = {b.subject(self.code, "out"), b.subject(self.code, f"out.{self.id}")}
        stream = b.events_stream(self.code)
        js = self.nc.jetstream(timeout=b.JS_TIMEOUT)
        seq = max(1, base + done + 1)  # where it can be at the earliest (base + its number)
        deadline = time.monotonic() + CATCH_UP
        while done < want:
            try:
                msg = await js.get_msg(stream, seq, subject=f"quiz.room.{self.code}.>", next=True)
            except NotFoundError:
                if time.monotonic() > deadline:
                    return False  # not there: aged out, or the stream was lost
                await asyncio.sleep(0.02)  # stored a moment after the ones that followed it
                continue
            except (NatsError, TimeoutError):
                return False
            seq = (msg.seq or seq) + 1
            if msg.subject not in mine or not msg.data:
                continue
            try:
                data = json.loads(msg.data)
            except ValueError:
                continue
            if not isinstance(data, dict) or data.get("s") != base:
                continue  # not this owner's
            n = data.get("n")
            if not isinstance(n, int) or n <= done:
                continue
            if self._before(data) != done or n > want:
                return False  # one before it is gone from the stream
            await self._apply(data)
            self.caught_up += 1
            done = n
        return True

    async def _apply(self, data: dict[str, Any]) -> None:
        n = data.get("n")
        if isinstance(n, int):
            self._done = n if self._done is None else max(self._done, n)
            self._base = data.get("s")
        text = data.get("b")
        if isinstance(text, str):
            await self._send_many([(c, text) for c in self.sockets.values()])
            return
        ops = data.get("o")
        if not isinstance(ops, list):
            return
        run: list[tuple[Connection, RoomFrame | str]] = []
        in_run: set[int] = set()
        for op in ops:
            kind, cid = op[0], op[1]
            conn = self.by_id.get(cid)
            if kind == "s":
                if cid in in_run:  # a second frame to one socket waits for the first
                    await self._send_many(run)
                    run, in_run = [], set()
                if conn is not None:
                    run.append((conn, op[2]))
                    in_run.add(cid)
                continue
            if run:
                await self._send_many(run)
                run, in_run = [], set()
            if kind == "reset":  # the owner had given this edge up: its players rejoin
                self._drop_all(b"the room lost this edge; rejoin")
                continue
            if conn is None:
                continue
            if kind == "seat":
                self._seat(conn, f"c{cid}")
            elif kind == "unseat":
                self._unseat(f"c{cid}")
            elif kind == "x":
                self._close_soon(conn, int(op[2]), str(op[3]).encode())
        if run:
            await self._send_many(run)
