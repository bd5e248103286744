"""The room's server: the player page at `/`, the WebSocket at `/ws`, in one asyncio process.

The room (quiz.room.state) decides; this module moves frames. It runs in the
host's own event loop (Textual's, or plain mode's), so the host's screen and
the server share one room with no locks. What the host shows comes from
`listeners`, called after every change with an event name.
"""

from __future__ import annotations

import asyncio
import ipaddress
import socket
import time
from collections import deque
from collections.abc import Callable, Coroutine
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any
from urllib.parse import urlsplit

from aiohttp import WSMsgType, web

from quiz import startup
from quiz.game import now_utc
from quiz.net import is_loopback
from quiz.room import protocol as p
from quiz.room.state import Room, RoomError
from quiz.saves import SaveError, SaveFolder, atomic_write

WEB = Path(__file__).resolve().parent.parent / "web"
STATIC = {
    "/": ("index.html", "text/html"),
    "/room.js": ("room.js", "text/javascript"),
    "/room.css": ("room.css", "text/css"),
}
HEADERS = {
    "Content-Security-Policy": (
        "default-src 'none'; script-src 'self'; style-src 'self'; img-src 'self'; "
        "connect-src 'self'; base-uri 'none'; form-action 'none'; frame-ancestors 'none'"
    ),
    "X-Content-Type-Options": "nosniff",
    "Referrer-Policy": "no-referrer",
    "Cache-Control": "no-store",
}
JOIN_TIMEOUT = 10.0  # seconds a socket may stay open without joining
RATE = 10.0  # frames a second, sustained, per connection
BURST = 20.0
FLOOD_CLOSE = 50  # frames dropped for rate before the connection is closed
WRONG_CODES_PER_CONNECTION = 5
WRONG_CODES_PER_ADDRESS = 20  # a minute
MAX_WIRE = 64 * 1024  # larger frames close the socket; 4 KB to 64 KB get an error frame


def lan_addresses() -> list[str]:
    """This machine's own IPv4 addresses on its networks, to give players (never 0.0.0.0)."""
    found: list[str] = []
    try:
        with socket.socket(socket.AF_INET, socket.SOCK_DGRAM) as probe:
            probe.connect(("10.254.254.254", 1))  # no packet is sent: UDP connect only routes
            found.append(probe.getsockname()[0])
    except OSError:
        pass
    try:
        for info in socket.getaddrinfo(socket.gethostname(), None, socket.AF_INET):
            found.append(str(info[4][0]))
    except OSError:
        pass
    out = []
    for addr in found:
        if not ipaddress.ip_address(addr).is_loopback and addr not in out:
            out.append(addr)
    return out


@dataclass(eq=False)
class Connection:
    ws: web.WebSocketResponse
    address: str
    token: str | None = None
    tokens: float = BURST
    refilled: float = field(default_factory=time.monotonic)
    dropped: int = 0
    wrong_codes: int = 0


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


class RoomServer:
    """One room on the network."""

    def __init__(
        self,
        room: Room,
        saves: SaveFolder | None,
        *,
        host: str = "127.0.0.1",
        port: int = 8765,
        leaderboard: str = "each",
        clock: Callable[[], float] = time.monotonic,
        join_timeout: float = JOIN_TIMEOUT,
        max_connections: int | None = None,
        record_path: Path | None = None,
        rate: float = RATE,
        burst: float = BURST,
    ) -> None:
        self.room = room
        self.saves = saves
        self.host = host
        self.port = port
        self.leaderboard = leaderboard
        self.clock = clock
        self.join_timeout = join_timeout
        self.max_connections = max_connections or room.max_players + max(20, room.max_players // 10)
        self.connections: set[Connection] = set()
        self.sockets: dict[str, Connection] = {}
        self.listeners: list[Callable[[str], None]] = []
        self.wrong_by_address: dict[str, deque[float]] = {}
        self.record_path: Path | None = record_path
        self.rate = rate
        self.burst = burst
        self._save_pending = False
        self._stopping = False
        self._lobby_pending = False
        self.save_error: str | None = None
        self.saved_games: list[Path] = []
        self._timer: asyncio.TimerHandle | None = None
        self._tasks: set[asyncio.Future[Any]] = set()
        self._runner: web.AppRunner | None = None
        self._save_lock = asyncio.Lock()
        # One step (open, close, advance) at a time, so each socket gets its frames in order.
        self._step = asyncio.Lock()
        self.app = web.Application()
        self.app.router.add_get("/ws", self.handle_ws)
        for route in STATIC:
            self.app.router.add_get(route, self.handle_static)

    # -- running

    async def start(self) -> None:
        """Check the saves folder, then listen (port 0: any free port)."""
        self.prepare_saves()
        self._runner = web.AppRunner(self.app, access_log=None, handle_signals=False)
        await self._runner.setup()
        site = web.TCPSite(self._runner, self.host, self.port)
        await site.start()
        server = site._server
        if self.port == 0 and server is not None and server.sockets:  # type: ignore[attr-defined]
            self.port = server.sockets[0].getsockname()[1]  # type: ignore[attr-defined]
        startup.release()  # the room is up: the collector as usual (quiz/startup.py)
        if self.room.phase == "question":
            # Resumed mid-question: it opens again, with its answers kept and a fresh timer.
            async with self._step:
                self.room.opened_at = self.clock()
                self.room.recount()
                await self._open()

    async def stop(self) -> None:
        self._stopping = True  # players dropping now must not close the question
        if self._timer is not None:
            self._timer.cancel()
        for conn in list(self.connections):
            await conn.ws.close(code=1001, message=b"the host closed the room")
        if self._runner is not None:
            await self._runner.cleanup()

    def prepare_saves(self) -> None:
        """Write the room's record once before the lobby opens, so a bad folder shows now."""
        if self.saves is None:
            return
        stamp = now_utc().replace(":", "").replace("-", "")
        self.saves.ensure()
        folder = self.saves.root / "rooms"
        if folder.is_symlink():
            raise SaveError(f"{folder} is a symbolic link; refusing to follow it")
        try:
            folder.mkdir(exist_ok=True)
        except OSError as exc:
            raise SaveError(f"cannot create {folder}: {exc.strerror or exc}") from None
        if self.record_path is None:
            self.record_path = folder / f"{stamp}-{self.room.code}.json"
        self._write_record(self.room.record())

    def _write_record(self, record: dict[str, Any]) -> None:
        import json

        assert self.record_path is not None
        atomic_write(self.record_path, json.dumps(record, ensure_ascii=False, indent=1))

    async def save_record(self) -> None:
        if self.saves is None or self.record_path is None:
            return
        record = self.room.record()
        async with self._save_lock:
            try:
                await asyncio.to_thread(self._write_record, record)
            except SaveError as exc:
                self.save_error = str(exc)
                self.notify("save-error")

    def _lobby_soon(self, delay: float = 0.25) -> None:
        """The lobby's names to everyone, at most four times a second however fast they join."""
        if self._lobby_pending:
            return
        self._lobby_pending = True

        async def send() -> None:
            self._lobby_pending = False
            if self.room.phase == "lobby":
                await self._broadcast(p.lobby(self.room.names()))

        asyncio.get_running_loop().call_later(delay, lambda: self._spawn(send()))

    def _save_soon(self, delay: float = 0.5) -> None:
        """Keep answers safe from a crash without writing the record on every answer."""
        if self._save_pending or self.saves is None:
            return
        self._save_pending = True

        def fire() -> None:
            self._save_pending = False
            self._spawn(self.save_record())

        asyncio.get_running_loop().call_later(delay, fire)

    def urls(self) -> list[str]:
        """The addresses players type, with the port; never 0.0.0.0."""
        if self.host in ("0.0.0.0", "::", ""):
            hosts = lan_addresses() or ["127.0.0.1"]
        else:
            hosts = [self.host]
        return [f"http://{h if ':' not in h else f'[{h}]'}:{self.port}/" for h in hosts]

    @property
    def url(self) -> str:
        return self.urls()[0]

    def notify(self, event: str) -> None:
        for listener in list(self.listeners):
            listener(event)

    # -- HTTP

    async def handle_static(self, request: web.Request) -> web.StreamResponse:
        name, kind = STATIC[request.path]
        body = (WEB / name).read_bytes()
        return web.Response(body=body, content_type=kind, charset="utf-8", headers=HEADERS)

    def _origin_allowed(self, request: web.Request) -> bool:
        if is_loopback(self.host) and not is_loopback(urlsplit("//" + request.host).hostname or ""):
            # A room on this machine only is reached as localhost or 127.0.0.1: any
            # other Host is a page that rebound its own name to 127.0.0.1 (DNS
            # rebinding), whose Origin would then match its Host.
            return False
        origin = request.headers.get("Origin")
        if origin is None:
            return True  # `quiz join` and other non-browser clients send none
        parts = urlsplit(origin)
        return parts.scheme in ("http", "https") and parts.netloc == request.host

    async def handle_ws(self, request: web.Request) -> web.StreamResponse:
        if not self._origin_allowed(request):
            return web.Response(status=403, text="quiz: this room only plays from its own page\n")
        if len(self.connections) >= self.max_connections:
            return web.Response(status=503, text="quiz: the room has too many connections\n")
        # timeout: how long a close waits for the client's reply; a flooder never reads, so not long.
        ws = web.WebSocketResponse(max_msg_size=MAX_WIRE, heartbeat=20.0, timeout=1.0)
        await ws.prepare(request)
        conn = Connection(ws, request.remote or "?", tokens=self.burst)
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
                try:
                    frame = p.parse(msg.data)
                    if isinstance(frame, p.JoinFrame):
                        await self._join(conn, frame)
                    else:
                        await self._answer(conn, frame)
                except p.ProtocolError as exc:
                    await self._send(conn, p.error(exc.code, exc.message))
                except RoomError as exc:
                    await self._send(conn, p.error(exc.code, exc.message))
                if conn.wrong_codes >= WRONG_CODES_PER_CONNECTION or self._address_blocked(
                    conn.address
                ):
                    if conn.token is None and conn.wrong_codes:
                        await ws.close(code=1008, message=b"too many wrong codes")
                        break
        finally:
            idle.cancel()
            self.connections.discard(conn)
            if conn.token is not None and self.sockets.get(conn.token) is conn:
                del self.sockets[conn.token]
                self.room.leave(conn.token)
                self.notify("leave")
                await self._maybe_close()
        return ws

    def _close_idle(self, conn: Connection) -> None:
        if conn.token is None:
            self._close_soon(conn, 1008, b"join within 10 seconds of connecting")

    def _close_soon(self, conn: Connection, code: int, message: bytes) -> None:
        """Close another task's socket without waiting on its reader."""
        if not conn.ws.closed:
            task = asyncio.ensure_future(conn.ws.close(code=code, message=message))
            self._tasks.add(task)
            task.add_done_callback(self._tasks.discard)

    def _take_token(self, conn: Connection) -> bool:
        now = time.monotonic()
        conn.tokens = min(self.burst, conn.tokens + (now - conn.refilled) * self.rate)
        conn.refilled = now
        if conn.tokens >= 1:
            conn.tokens -= 1
            return True
        conn.dropped += 1
        return False

    def _address_blocked(self, address: str) -> bool:
        wrong = self.wrong_by_address.get(address)
        if not wrong:
            return False
        cutoff = time.monotonic() - 60
        while wrong and wrong[0] < cutoff:
            wrong.popleft()
        return len(wrong) >= WRONG_CODES_PER_ADDRESS

    # -- frames

    async def _send(self, conn: Connection, frame: dict[str, Any] | str) -> None:
        text = frame if isinstance(frame, str) else p.dump(frame)
        if conn.ws.closed:
            return
        try:
            await conn.ws.send_str(text)
        except (ConnectionError, RuntimeError):
            pass  # the socket went away; its reader cleans up

    async def _send_many(self, items: list[tuple[Connection, dict[str, Any] | str]]) -> None:
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

    async def _broadcast(self, frame: dict[str, Any]) -> None:
        text = p.dump(frame)
        await self._send_many([(c, text) for c in self.sockets.values()])

    async def _join(self, conn: Connection, frame: p.JoinFrame) -> None:
        if conn.token is not None:
            raise p.ProtocolError("bad-message", "this connection has already joined")
        if self._address_blocked(conn.address):
            raise p.ProtocolError(
                "bad-code", "too many wrong codes from your address; wait a minute"
            )
        if frame.code.strip() != self.room.code:
            conn.wrong_codes += 1
            self.wrong_by_address.setdefault(conn.address, deque()).append(time.monotonic())
            raise p.ProtocolError("bad-code", "no room with that code here; check the code")
        try:
            player, rejoined = self.room.join(frame.name, frame.token)
        except RoomError as exc:
            if exc.code == "removed":
                await self._send(conn, p.error(exc.code, exc.message))
                await conn.ws.close(code=1008, message=b"removed")
                return
            raise
        old = self.sockets.get(player.token)
        if old is not None and old is not conn:
            old.token = None
            await self._send(old, p.error("bad-message", "you joined again from another page"))
            self._close_soon(old, 1000, b"joined from another page")
        conn.token = player.token
        self.sockets[player.token] = conn
        await self._send(conn, p.welcome(player.name, player.token, len(self.room.active)))
        if self.room.phase == "lobby":
            self._lobby_soon()
        else:
            await self._send(conn, p.lobby(self.room.names()))
            await self._catch_up(conn)
        self.notify("rejoin" if rejoined else "join")

    async def _catch_up(self, conn: Connection) -> None:
        """What a player joining (or back) mid-game needs to see where the room is."""
        room = self.room
        assert conn.token is not None
        player = room.players[conn.token]
        if room.phase == "question" and player.plays(room.index):
            asked = room.questions[room.index]
            await self._send(
                conn, p.question(room.index + 1, room.count, asked, room.seconds_left(self.clock()))
            )
            if player.answer_for(room.index) is not None:
                await self._send(conn, p.answered(room.index + 1))
        elif room.phase == "reveal" and player.plays(room.index):
            await self._send(conn, self._reveal_frame(conn.token))
        elif room.phase == "end":
            await self._send(conn, self._end_frame(conn.token))

    async def _answer(self, conn: Connection, frame: p.AnswerFrame) -> None:
        if conn.token is None:
            raise p.ProtocolError("bad-message", "join the room before answering")
        self.room.answer(conn.token, frame.question, frame.choice, self.clock())
        await self._send(conn, p.answered(frame.question))
        self.notify("answered")
        self._save_soon(1.0)
        await self._maybe_close()

    async def _maybe_close(self) -> None:
        if self._stopping:
            return
        if self.room.phase == "question" and self.room.all_answered():
            await self.close_question()

    def _reveal_frame(self, token: str) -> dict[str, Any]:
        room = self.room
        player = room.players[token]
        answer = player.answer_for(room.index)
        return p.reveal(
            room.index + 1,
            room.questions[room.index],
            bool(answer and answer.correct),
            answer.points if answer else 0,
            player.game.score,
            room.rank_of(token),
            len(room.active),
        )

    def _reveals(self) -> list[tuple[Connection, dict[str, Any] | str]]:
        """Every playing socket's reveal, as text: the shared part serialised once, O(1) a player."""
        room = self.room
        index = room.index
        text = p.reveal_texts(index + 1, room.questions[index], len(room.active))
        ranks = room.last_ranks
        out: list[tuple[Connection, dict[str, Any] | str]] = []
        for token, conn in self.sockets.items():
            player = room.players[token]
            if not player.plays(index):
                continue
            answer = player.answer_for(index)
            out.append(
                (
                    conn,
                    text(
                        bool(answer and answer.correct),
                        answer.points if answer else 0,
                        player.game.score,
                        ranks[token] if token in ranks else room.rank_of(token),
                    ),
                )
            )
        return out

    def _end_frame(
        self, token: str, podium: list[tuple[str, int, int]] | None = None
    ) -> dict[str, Any]:
        room = self.room
        game = room.players[token].game
        if podium is None:
            podium = [(s.name, s.score, s.place) for s in room.podium()]
        return p.end(game.score, room.rank_of(token), game.correct, game.count, podium)

    # -- the host's actions

    async def begin(self) -> None:
        """Enter in the lobby: the first question."""
        async with self._step:
            self.room.start(self.clock())
            await self._open()

    async def _open(self) -> None:
        room = self.room
        asked = room.questions[room.index]
        text = p.dump(p.question(room.index + 1, room.count, asked, room.timer))
        await self._send_many(
            [
                (c, text)
                for token, c in self.sockets.items()
                if room.players[token].plays(room.index)
            ]
        )
        if room.timer is not None:
            index = room.index
            self._timer = asyncio.get_running_loop().call_later(
                room.timer, lambda: self._spawn(self._expire(index))
            )
        self.notify("question")

    def _spawn(self, coro: Any) -> None:
        task = asyncio.ensure_future(coro)
        self._tasks.add(task)
        task.add_done_callback(self._tasks.discard)

    async def _expire(self, index: int) -> None:
        if self.room.phase == "question" and self.room.index == index:
            await self.close_question()

    async def close_question(self) -> None:
        """Time is up, everyone answered, or (untimed) the host pressed Enter."""
        async with self._step:
            await self._close()

    async def _close(self) -> None:
        room = self.room
        if room.phase != "question":
            return
        if self._timer is not None:
            self._timer.cancel()
            self._timer = None
        room.close(self.clock())
        await self._send_many(self._reveals())
        if self.leaderboard == "each":
            await self._broadcast(self.leaderboard_frame())
        self.notify("reveal")
        await self.save_record()

    def leaderboard_frame(self) -> dict[str, Any]:
        return p.leaderboard([(s.name, s.score) for s in self.room.standings()[:5]])

    async def advance(self) -> None:
        """Enter on a reveal: the next question, or the end."""
        async with self._step:
            await self._advance()

    async def _advance(self) -> None:
        if self.room.phase != "reveal":
            return
        if self.room.advance(self.clock()) is not None:
            await self._open()
            return
        if self.leaderboard == "end":
            await self._broadcast(self.leaderboard_frame())
        podium = [(s.name, s.score, s.place) for s in self.room.podium()]
        await self._send_many([(c, self._end_frame(t, podium)) for t, c in self.sockets.items()])
        await self.save_games()
        self.notify("end")

    async def save_games(self) -> None:
        """Each player's game as an ordinary game record (mode `live`), and the room's record."""
        if self.saves is None:
            return
        saves = self.saves
        games = [
            (pl.game, "quit" if pl.removed else "finished")
            for pl in self.room.players.values()
            if pl.game.answers and (not pl.removed or pl.game.answers)
        ]

        def write() -> list[Path]:
            return [saves.save_finished(game, status) for game, status in games]

        try:
            self.saved_games = await asyncio.to_thread(write)
        except SaveError as exc:
            self.save_error = str(exc)
            self.notify("save-error")
        await self.save_record()

    async def remove(self, name: str) -> None:
        player = self.room.remove(name)
        conn = self.sockets.pop(player.token, None)
        if conn is not None:
            conn.token = None
            await self._send(conn, p.error("removed", "the host removed you from this room"))
            self._close_soon(conn, 1000, b"removed")
        await self._broadcast(p.lobby(self.room.names()))
        self.notify("remove")
        await self._maybe_close()

    def set_locked(self, locked: bool) -> None:
        self.room.locked = locked
        self.notify("lock")
