"""The room's server: the player page at `/`, the WebSocket at `/ws`, in one asyncio process.

The room (quiz.room.state) decides; this module moves frames. It runs in the
host's own event loop (Textual's, or plain mode's), so the host's screen and
the server share one room with no locks. What the host shows comes from
`listeners`, called after every change with an event name. Listening, the
page, the doors and the limits are quiz.room.listening's (`RoomListener`); this
module is the WebSocket session: joining, seats, answers and the frames out.
"""

from __future__ import annotations

import asyncio
import time
from collections import deque
from collections.abc import Coroutine
from typing import Any

from aiohttp import WSMsgType, web

from quiz.room import protocol as p
from quiz.room.gate import address_of
from quiz.room.listening import (
    FLOOD_CLOSE,
    MAX_WIRE,
    WRONG_CODES_PER_CONNECTION,
    Connection,
    RoomListener,
)
from quiz.room.outgoing import RoomFrame
from quiz.room.players import token_hash
from quiz.room.wire import REPLACED, RoomError


def _eager(coro: Coroutine[Any, Any, None]) -> asyncio.Future[None] | None:
    """Run ``coro`` until it first waits: None if it finished, else a task finishing it."""
    try:
        waiting = coro.send(None)
    except StopIteration:
        return None
    return asyncio.ensure_future(_finish(coro, waiting))


async def _finish(coro: Coroutine[Any, Any, None], waiting: Any) -> None:
    """Go on with a coroutine that `_eager` started, from what it was waiting for."""
    try:
        while True:
            if waiting is None:  # a bare yield (asyncio.sleep(0))
                await asyncio.sleep(0)
            else:
                waiting._asyncio_future_blocking = False  # as a Task does with what it awaits
                await asyncio.wait((waiting,))
            try:
                waiting = coro.send(None)
            except StopIteration:
                return
    finally:
        coro.close()  # a no-op once finished; abandons the send if this task was cancelled


class RoomServer(RoomListener):
    """One room on the network: the WebSocket session over its listener and driver."""

    async def handle_ws(self, request: web.Request) -> web.StreamResponse:
        if not self._origin_allowed(request):
            return web.Response(status=403, text="quiz: this room only plays from its own page\n")
        if len(self.connections) >= self.max_connections:
            return web.Response(status=503, text="quiz: the room has too many connections\n")
        # timeout: how long a close waits for the client's reply; a flooder never reads, so not long.
        ws = web.WebSocketResponse(max_msg_size=MAX_WIRE, heartbeat=20.0, timeout=1.0)
        await ws.prepare(request)
        address = address_of(request.transport) if request.transport else request.remote or "?"
        conn = Connection(ws, address, tokens=self.burst)
        self.connections.add(conn)
        idle = asyncio.get_running_loop().call_later(
            self.join_timeout, lambda: self._close_idle(conn)
        )
        try:
            async for msg in ws:
                if msg.type not in (WSMsgType.TEXT, WSMsgType.BINARY):
                    break
                if not self._take_token(conn):
                    if conn.dropped == 1:
                        await self._send(conn, p.error("bad-message", "too many messages"))
                    if conn.dropped >= FLOOD_CLOSE:
                        await ws.close(code=1008, message=b"too many messages")
                        break
                    continue
                await self.dispatch(conn, msg.data)
                if conn.wrong_codes >= WRONG_CODES_PER_CONNECTION or self._address_blocked(
                    conn.address
                ):
                    if conn.token is None and conn.wrong_codes:
                        await ws.close(code=1008, message=b"too many wrong codes")
                        break
        finally:
            idle.cancel()
            self.connections.discard(conn)
            token = conn.token
            if token is not None and self.sockets.get(token) is conn:
                self._unseat(token)
                self.room.leave(token)
                self.notify("leave")
                await self.maybe_close()
            self.closed(conn)
        return ws

    def closed(self, conn: Connection) -> None:
        """A socket has gone (its reader is done): an edge tells the owner (quiz.room.edge)."""

    async def dispatch(self, conn: Connection, text: str) -> None:
        """One player's frame to the room, from this socket or through an edge (owner.py);
        a refusal goes back to the player as an error frame."""
        try:
            frame = p.parse(text)
            if isinstance(frame, p.JoinFrame):
                await self._join(conn, frame)
            elif isinstance(frame, p.TeamFrame):
                await self._pick_team(conn, frame)
            elif isinstance(frame, p.NextFrame):
                await self._next(conn)
            else:
                await self._answer(conn, frame)
        except RoomError as exc:
            await self._send(conn, p.error(exc.code, exc.message))

    def _close_idle(self, conn: Connection) -> None:
        if conn.token is None:
            self._close_soon(conn, 1008, b"join within 10 seconds of connecting")

    def _close_soon(self, conn: Connection, code: int, message: bytes) -> None:
        """Close another task's socket without waiting on its reader."""
        if not conn.ws.closed:
            self.spawn(conn.ws.close(code=code, message=message))

    async def _send(self, conn: Connection, frame: RoomFrame | str) -> None:
        text = frame if isinstance(frame, str) else p.dump(frame)
        if conn.ws.closed:
            return
        try:
            await conn.ws.send_str(text)
        except (ConnectionError, RuntimeError):
            pass  # the socket went away; its reader cleans up

    async def _send_many(self, items: list[tuple[Connection, RoomFrame | str]]) -> None:
        """Send to many sockets at once; only a socket whose buffer is full gets a task.

        A send almost always completes without waiting (the frame goes into the
        socket's buffer), so a task per player (1,000 of them per broadcast)
        was most of a broadcast's cost. Each send starts at once; one that has
        to wait for its socket finishes in a task of its own, so a slow player
        never holds up the others, and this returns when all are done.
        """
        waiting = [t for t in (_eager(self._send(c, f)) for c, f in items) if t is not None]
        if waiting:
            await asyncio.gather(*waiting)

    async def broadcast(self, frame: RoomFrame) -> None:
        text = p.dump(frame)
        await self._send_many([(c, text) for c in self.sockets.values()])

    def settings(self) -> dict[str, Any]:
        """The room's settings and where it listens (the port it got, once started on port 0)."""
        where = {"host": self.host} | ({"port": self.port} if self.port else {})
        return super().settings() | where

    def seated_tokens(self) -> list[str]:
        return list(self.sockets)

    async def send_to(self, items: list[tuple[str, RoomFrame | str]]) -> None:
        sockets = self.sockets
        await self._send_many([(sockets[t], f) for t, f in items if t in sockets])

    async def _join(self, conn: Connection, frame: p.JoinFrame) -> None:
        if conn.token is not None:
            raise RoomError("bad-message", "this connection has already joined")
        if self._address_blocked(conn.address):
            raise RoomError("bad-code", "too many wrong codes from your address; wait a minute")
        if frame.code.strip() != self.room.code:
            conn.wrong_codes += 1
            self.wrong_by_address.setdefault(conn.address, deque()).append(time.monotonic())
            raise RoomError("bad-code", "no room with that code here; check the code")
        self._check_address(conn, frame.token)
        try:
            player, rejoined = self.room.join(frame.name, frame.token, frame.team)
        except RoomError as exc:
            if exc.code == "removed":
                await self._send(conn, p.error(exc.code, exc.message))
                await conn.ws.close(code=1008, message=b"removed")
                return
            raise
        old = self.sockets.get(player.token)
        if old is not None and old is not conn:
            self._unseat(player.token)
            await self._send(old, p.error("replaced", REPLACED))
            self._close_soon(old, 1000, b"joined from another page")
        self._seat(conn, player.token)
        room = self.room
        await self._send(
            conn,
            p.welcome(
                player.name,
                player.token,
                room.active_count(),
                phase=self.welcome_phase(player),
                teams=room.teams,
                team=player.team,
                pick=bool(room.teams) and room.team_mode == "pick",
                **self.welcome_more(),
            ),
        )
        if room.phase == "lobby":
            self.lobby_soon()
        else:  # the game is on: where it is, never the lobby's names (up to 10,000)
            await self._catch_up(conn)
        if (card := self.round_frame()) is not None:
            await self._send(conn, card)  # the title card up now, over the last reveal
        if not rejoined:
            self.save_soon(1.0)  # a resumed room knows who joined late
        self.notify("rejoin" if rejoined else "join")

    def _check_address(self, conn: Connection, token: str | None) -> None:
        """One address brings in at most `players_per_address` players (a script's bots).

        Every player it brought counts, connected or not: a bot that drops keeps its
        seat, so dropping and joining under a new name never wins another one. A
        player back with their token always gets their own seat again, from any
        address (a phone moving from Wi-Fi to its network): it adds no one to the room.
        """
        if self._unlimited(conn.address):
            return
        if token and (
            token in self.room.players or "sha256:" + token_hash(token) in self.room.players
        ):
            return
        if len(self._holding(conn.address)) >= self.players_per_address:
            raise RoomError(
                "full", f"{self.players_per_address} players already play from your address"
            )

    def _holding(self, address: str) -> set[str]:
        """The players ``address`` brought in and the room still has (removed ones leave it)."""
        held = self.held.get(address, set())
        gone = {t for t in held if (pl := self.room.players.get(t)) is None or pl.removed}
        for token in gone:
            self._let_go(token)
        return self.held.get(address, set())

    def _hold(self, address: str, token: str) -> None:
        """``token``'s seat counts for ``address`` now (where they last joined from)."""
        self._let_go(token)
        self.held.setdefault(address, set()).add(token)
        self._held_by[token] = address

    def _let_go(self, token: str) -> None:
        address = self._held_by.pop(token, None)
        if address is not None:
            held = self.held.get(address)
            if held is not None:
                held.discard(token)
                if not held:
                    del self.held[address]

    def _seat(self, conn: Connection, token: str) -> None:
        conn.token = token
        self.sockets[token] = conn
        self.seated[conn.address] += 1
        if not self._unlimited(conn.address):
            self._hold(conn.address, token)

    def _unseat(self, token: str) -> Connection | None:
        conn = self.sockets.pop(token, None)
        if conn is not None:
            conn.token = None
            self.seated[conn.address] -= 1
            if self.seated[conn.address] <= 0:
                del self.seated[conn.address]
        return conn

    async def _catch_up(self, conn: Connection) -> None:
        """What a player joining (or back) mid-game needs to see where the room is."""
        room = self.room
        assert conn.token is not None
        if self.homework is not None:
            await self.paced_catch_up(conn.token)  # where this player is, at their own pace
            return
        player = room.players[conn.token]
        if room.phase == "question" and player.plays(room.index):
            left = room.seconds_left_for(conn.token, self.clock())  # their own (extra time)
            await self._send(conn, self.question_frame(left))
            if player.answer_for(room.index) is not None:
                await self._send(conn, p.answered(room.index + 1))
        elif room.phase == "reveal":
            for _, text in self.reveal_texts([conn.token]):
                await self._send(conn, text)
            if (teams := self.team_frame()) is not None:
                await self._send(conn, teams)
        elif room.phase == "end":
            if (teams := self.team_frame()) is not None:
                await self._send(conn, teams)
            await self._send(conn, self.end_frame(conn.token))

    async def _next(self, conn: Connection) -> None:
        if conn.token is None:
            raise RoomError("bad-message", "join the room before asking for a question")
        await self.paced_next(conn.token)

    async def _pick_team(self, conn: Connection, frame: p.TeamFrame) -> None:
        if conn.token is None:
            raise RoomError("bad-message", "join the room before picking a team")
        await self._send(conn, p.team_set(await self.pick_team(conn.token, frame.team)))
        if self.homework is not None:
            await self.paced_catch_up(conn.token)  # their first question, now they have a team

    async def _answer(self, conn: Connection, frame: p.AnswerFrame) -> None:
        if conn.token is None:
            raise RoomError("bad-message", "join the room before answering")
        self.room.answer(
            conn.token,
            frame.question,
            frame.choice,
            self.clock(),
            text=frame.text,
            value=frame.value,
            order=frame.order,
        )
        await self._send(conn, p.answered(frame.question))
        if self.homework is not None:
            await self.paced_reveal(conn.token)  # their reveal follows their answer
            return
        self.notify("answered")
        self.save_soon(1.0)
        await self.maybe_close()

    async def remove(self, name: str) -> None:
        player = self.room.remove(name)
        self._let_go(player.token)  # the host frees the seat on its address
        conn = self._unseat(player.token)
        if conn is not None:
            await self._send(conn, p.error("removed", "the host removed you from this room"))
            self._close_soon(conn, 1000, b"removed")
        await self.broadcast(p.lobby(self.room.names()))
        self.notify("remove")
        await self.maybe_close()
