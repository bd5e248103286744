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

GAP = 1.0  # seconds an edge waits for a message missing before the ones after it


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
            owner = json.loads(msg.data)["o"]
        except (ValueError, KeyError, TypeError):
            return
        self.owner_heard = time.monotonic()
        if owner != self.owner:  # a new owner (a room resumed): it knows none of our sockets
            self.owner = owner
            self._done = None
            self._held.clear()
            self._drop_all(b"the room moved; rejoin")
            if self.kept is not None:
                self.kept = []  # frames for an owner that knows none of their sockets
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
            try:
                async with asyncio.timeout(GAP if self._held else None):
                    data = await self._inbox.get()
            except TimeoutError:
                # A message lost (a slow consumer dropped, a broker restart): go on without it.
                for key in sorted(self._held, key=lambda k: self._held[k][1]["n"]):
                    _, late = self._held.pop(key)
                    await self._apply(late)
                continue
            before = self._before(data)
            if self._done is None or before is None or before <= self._done:
                await self._apply(data)
            else:
                self._held[before] = (time.monotonic(), data)
            while self._done is not None and self._done in self._held:
                _, follow = self._held.pop(self._done)
                await self._apply(follow)

    async def _apply(self, data: dict[str, Any]) -> None:
        n = data.get("n")
        if isinstance(n, int):
            self._done = n if self._done is None else max(self._done, n)
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
