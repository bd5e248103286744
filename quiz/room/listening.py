"""The room server's network side: listening, the player page, the doors, the limits.

`RoomListener` opens the room on the network under its driver: it listens
(within a descriptor budget), serves the page at `/` with its headers, lets in
only requests for this room's own Host and Origin, and keeps the limits on
each connection and address (frames a second, wrong codes, seats and sockets).
The WebSocket session at `/ws` is quiz.room.server's.
"""

from __future__ import annotations

import asyncio
import ipaddress
import socket
import time
from collections import Counter, deque
from collections.abc import Callable
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any
from urllib.parse import urlsplit

from aiohttp import web

from quiz.room import logs
from quiz.room.driver import RoomDriver
from quiz.room.gate import HEADER_TIMEOUT, Gate
from quiz.room.net import is_loopback
from quiz.room.saving import Scheduler, loop_scheduler
from quiz.room.state import Room
from quiz.saves.folder import SaveFolder

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
# One address (a script, one laptop) may seat this many players and hold this many
# sockets in all, pages, idle and joined alike; the host's own machine is not limited.
# A player who drops keeps their seat on their address's count until the host removes
# them (they can come back with their token): leaving and joining anew gains nothing.
PLAYERS_PER_ADDRESS = 8
SOCKETS_PER_ADDRESS = 16
BACKLOG = 128  # accepted at once, before the gate sees them: kept out of the budget too
FD_RESERVE = 64  # descriptors kept for saves, the record and the loop, whatever players do
LOOPBACK_NAMES = ("localhost", "127.0.0.1", "::1")


def socket_budget(wanted: int) -> int:
    """How many sockets the room may hold: ``wanted``, within what the process may open.

    The soft limit on open files (often 1,024) is raised towards the hard one
    first, as servers do; whatever remains, FD_RESERVE descriptors stay free so
    the room's record and the players' games can always be written.
    """
    try:
        import resource
    except ImportError:  # not on this system: nothing to count against
        return wanted
    soft, hard = resource.getrlimit(resource.RLIMIT_NOFILE)
    need = wanted + FD_RESERVE + BACKLOG
    if soft != resource.RLIM_INFINITY and soft < need:
        raised = need if hard == resource.RLIM_INFINITY else min(hard, need)
        if raised > soft:
            try:
                resource.setrlimit(resource.RLIMIT_NOFILE, (raised, hard))
                soft = raised
            except (OSError, ValueError):
                pass
    if soft == resource.RLIM_INFINITY:
        return wanted
    return max(1, min(wanted, soft - FD_RESERVE - BACKLOG))


def lan_addresses(family: socket.AddressFamily = socket.AF_INET) -> list[str]:
    """This machine's own addresses on its networks, to give players (never 0.0.0.0):
    IPv4 ones, or with ``family`` AF_INET6 IPv6 ones (``--host ::`` listens on IPv6
    only), link-local ones left out (they need an interface name to be typed)."""
    found: list[str] = []
    probe_at = ("10.254.254.254", 1) if family == socket.AF_INET else ("2001:db8::1", 1)
    try:
        with socket.socket(family, socket.SOCK_DGRAM) as probe:
            probe.connect(probe_at)  # no packet is sent: UDP connect only routes
            found.append(probe.getsockname()[0])
    except OSError:
        pass
    try:
        for info in socket.getaddrinfo(socket.gethostname(), None, family):
            found.append(str(info[4][0]))
    except OSError:
        pass
    out = []
    for addr in found:
        ip = ipaddress.ip_address(addr.split("%", 1)[0])
        if not (ip.is_loopback or ip.is_link_local) and addr not in out:
            out.append(addr)
    return out


def host_name(host: str) -> str:
    """A Host header's or an address's name, as compared: lower case, an IP address normalised."""
    name = host.strip("[]").rstrip(".").lower()
    try:
        addr = ipaddress.ip_address(name.split("%", 1)[0])
    except ValueError:
        return name
    mapped = getattr(addr, "ipv4_mapped", None)
    return str(mapped or addr)


@dataclass(eq=False)
class Connection:
    ws: web.WebSocketResponse
    address: str
    token: str | None = None
    tokens: float = BURST
    refilled: float = field(default_factory=time.monotonic)
    dropped: int = 0
    wrong_codes: int = 0


class RoomListener(RoomDriver):
    """One room on the network: listening, the page, the doors and limits under a `RoomDriver`."""

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
        header_timeout: float = HEADER_TIMEOUT,
        max_sockets: int | None = None,
        players_per_address: int = PLAYERS_PER_ADDRESS,
        sockets_per_address: int = SOCKETS_PER_ADDRESS,
        limit_loopback: bool = False,
        faults: logs.FaultLog | None = None,
        on_started: Callable[[], None] | None = None,
        schedule: Scheduler = loop_scheduler,
    ) -> None:
        super().__init__(
            room,
            saves,
            leaderboard=leaderboard,
            clock=clock,
            schedule=schedule,
            record_path=record_path,
        )
        # Told once the room listens (the command line ends its start-up there).
        self.on_started = on_started
        self.host = host
        self.port = port
        self.join_timeout = join_timeout
        self.max_connections = max_connections or room.max_players + max(20, room.max_players // 10)
        # TCP connections in all: the WebSockets, and pages loading or idle beside them.
        self.max_sockets = max_sockets or 2 * self.max_connections
        self.header_timeout = header_timeout
        self.players_per_address = players_per_address
        self.sockets_per_address = sockets_per_address
        self.limit_loopback = limit_loopback
        self.faults = faults or logs.FaultLog()
        self.gate: Gate | None = None
        self.seated: Counter[str] = Counter()  # joined players' sockets by address
        # The players each address brought in, connected or not (`PLAYERS_PER_ADDRESS`).
        self.held: dict[str, set[str]] = {}
        self._held_by: dict[str, str] = {}  # a player's token -> the address holding their seat
        self.connections: set[Connection] = set()
        self.sockets: dict[str, Connection] = {}
        self.wrong_by_address: dict[str, deque[float]] = {}
        self.rate = rate
        self.burst = burst
        self._listener: asyncio.base_events.Server | None = None
        self._old_loop_handler: Any = None
        self._pages: dict[str, bytes] = {}
        self._lan: list[str] | None = None
        self._hosts: set[str] = set()
        self._runner: web.AppRunner | None = None
        self.reuse_port = False  # an edge shares its port with its siblings (quiz.room.edge)
        self.app = web.Application(middlewares=[self._door])
        self.app.router.add_get("/ws", self.handle_ws)
        for route in STATIC:
            self.app.router.add_get(route, self.handle_static)

    # -- running

    async def start(self) -> None:
        """Check the saves folder, then listen (port 0: any free port)."""
        self.prepare_saves()
        for route, (name, _) in STATIC.items():
            self._pages[route] = (WEB / name).read_bytes()  # once: no file opened per visit
        self._runner = web.AppRunner(
            self.app,
            access_log=None,
            handle_signals=False,
            # The gate drops a connection that brings no whole request in time; these
            # say the same to aiohttp, and bound what one connection may make it buffer.
            keepalive_timeout=self.header_timeout,
            lingering_time=1.0,
            max_headers=32,
            max_line_size=8190,
            max_field_size=8190,
        )
        await self._runner.setup()
        assert self._runner.server is not None
        limit = socket_budget(self.max_sockets)
        self.max_connections = min(self.max_connections, limit)
        self.gate = Gate(
            limit=limit,
            per_address=self.sockets_per_address,
            header_timeout=self.header_timeout,
            exempt=self._unlimited,
            tell=self.faults.fault,
        )
        loop = asyncio.get_running_loop()
        # Our own listener rather than web.TCPSite: the gate wraps aiohttp's protocol
        # factory (runner.server), so every TCP connection is counted and timed.
        self._listener = await loop.create_server(
            self.gate.wrap(self._runner.server),
            self.host,
            self.port,
            backlog=BACKLOG,
            reuse_port=self.reuse_port or None,
        )
        if self.port == 0 and self._listener.sockets:
            self.port = self._listener.sockets[0].getsockname()[1]
        logs.attach(self.faults)
        self._old_loop_handler = loop.get_exception_handler()
        loop.set_exception_handler(self.faults.loop_fault)
        self._hosts = self._allowed_hosts()
        if self.on_started is not None:
            self.on_started()
        await self.resume()

    # How `stop` closes the sockets still open: 1001, which the page and `quiz join` take as
    # the host closing the room (an edge, whose ending is not the room's, says otherwise).
    CLOSING: tuple[int, bytes] = (1001, b"the host closed the room")

    async def stop(self) -> None:
        await self.flush()
        if self._listener is not None:
            self._listener.close()
        for conn in list(self.connections):
            await conn.ws.close(code=self.CLOSING[0], message=self.CLOSING[1])
        if self._runner is not None:
            await self._runner.cleanup()
        if self.gate is not None:
            for guard in list(self.gate.guards.values()):
                guard.transport.abort()  # half-open ones aiohttp never saw a request on
        if self._listener is not None:
            try:
                async with asyncio.timeout(5):
                    await self._listener.wait_closed()
            except TimeoutError:
                pass
            self._listener = None
            loop = asyncio.get_running_loop()
            if loop.get_exception_handler() == self.faults.loop_fault:
                loop.set_exception_handler(self._old_loop_handler)
            logs.detach(self.faults)

    def _unlimited(self, address: str) -> bool:
        """The host's own machine is never limited by address (unless a test says so)."""
        return not self.limit_loopback and is_loopback(address)

    def urls(self) -> list[str]:
        """The addresses players type, with the port; never 0.0.0.0."""
        if self.host == "::":  # IPv6 only (asyncio sets IPV6_V6ONLY): IPv6 addresses
            if self._lan is None:
                self._lan = lan_addresses(socket.AF_INET6)
            hosts = self._lan or ["::1"]
        elif self.host in ("0.0.0.0", ""):
            if self._lan is None:
                self._lan = lan_addresses()
            hosts = self._lan or ["127.0.0.1"]
        else:
            hosts = [self.host]
        return [f"http://{h if ':' not in h else f'[{h}]'}:{self.port}/" for h in hosts]

    @property
    def url(self) -> str:
        return self.urls()[0]

    # -- HTTP

    async def handle_static(self, request: web.Request) -> web.StreamResponse:
        _, kind = STATIC[request.path]
        body = self._pages.get(request.path) or b""
        return web.Response(body=body, content_type=kind, charset="utf-8", headers=HEADERS)

    @web.middleware
    async def _door(self, request: web.Request, handler: Any) -> web.StreamResponse:
        """Every request: the gate's deadline paused while it is handled, its Host checked."""
        gate = self.gate
        if gate is not None:
            gate.busy(request.transport)
        try:
            if not self._host_allowed(request):
                return web.Response(
                    status=403, text="quiz: this room only plays from its own page\n"
                )
            response: web.StreamResponse = await handler(request)
            return response
        finally:
            if gate is not None:
                gate.idle(request.transport)

    def _allowed_hosts(self) -> set[str]:
        """The names a page may reach the room by: where it listens and what it printed."""
        hosts: set[str] = set()
        wildcard = self.host in ("0.0.0.0", "::", "")
        if wildcard or is_loopback(self.host):
            hosts.update(LOOPBACK_NAMES)
        if not wildcard:
            hosts.add(host_name(self.host))
        for url in self.urls():
            hosts.add(host_name(urlsplit(url).hostname or ""))
        return hosts

    def _host_allowed(self, request: web.Request) -> bool:
        """DNS rebinding: a page whose own name now points at the room sends that name as Host.

        On loopback and on a LAN alike, only the names the room listens on and
        printed pass, and the address the connection itself reached: an address
        is never a name someone else can point somewhere.
        """
        host = request.headers.get("Host")
        if host is None:
            return True  # HTTP/1.0 without a Host: not a browser, so not a rebound page
        name = host_name(urlsplit("//" + host).hostname or "")
        if name in self._hosts:
            return True
        if request.transport is not None:
            local = request.transport.get_extra_info("sockname")
            if local and name == host_name(str(local[0])):
                return True
        return False

    def _origin_allowed(self, request: web.Request) -> bool:
        origin = request.headers.get("Origin")
        if origin is None:
            return True  # `quiz join` and other non-browser clients send none
        parts = urlsplit(origin)
        return parts.scheme in ("http", "https") and parts.netloc == request.host

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

    async def handle_ws(self, request: web.Request) -> web.StreamResponse:
        """A player's WebSocket at `/ws`: the session, quiz.room.server's `RoomServer`."""
        raise NotImplementedError
