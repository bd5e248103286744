"""The room's door at the TCP level: every connection counted, none kept waiting for headers.

aiohttp counts nothing before a request reaches a handler, so 1,100 connections
that never finish their headers used to hold every file descriptor of a room
(issue 22, class 1). Each connection the room accepts is wrapped here, before
aiohttp's own protocol sees a byte:

- past the room's limit of sockets, or past its limit for one address, it gets
  a short HTTP 503 and is closed at once (so idle sockets count against their
  address, whatever they are waiting for);
- it must bring a whole request to a handler within `header_timeout` seconds of
  connecting, and again of its last response (a slow loris, a body never sent,
  an idle keep-alive): otherwise it is dropped.

A wrapper around the protocol, rather than a subclass of aiohttp's
RequestHandler, depends only on asyncio's Protocol interface, so it holds
whatever aiohttp version does inside; the server's middleware tells the gate
when a request is being handled (`busy`) and when it is done (`idle`).
"""

from __future__ import annotations

import asyncio
import ipaddress
from collections import Counter
from collections.abc import Callable
from typing import Any

HEADER_TIMEOUT = 10.0  # seconds from connecting (or the last response) to a whole request


def address_of(transport: asyncio.BaseTransport) -> str:
    """The peer's address as its caps count it: an IPv4-mapped IPv6 one as plain IPv4,
    other IPv6 as its /64 (`counted_as`)."""
    peer = transport.get_extra_info("peername")
    if not peer:
        return "?"
    host = str(peer[0])
    try:
        addr = ipaddress.ip_address(host.split("%", 1)[0])
    except ValueError:
        return host
    mapped = getattr(addr, "ipv4_mapped", None)
    if mapped is not None:
        return str(mapped)
    return counted_as(addr)


IPV6_NETWORK = 64  # one IPv6 machine picks any address of its /64: the caps count the /64


def counted_as(addr: ipaddress.IPv4Address | ipaddress.IPv6Address) -> str:
    """The name an address's caps count under: an IPv4 address itself, an IPv6 address
    its /64 (``2001:db8:1:2::/64``). Loopback and link-local IPv6 stay themselves: the
    host's own machine is not limited, and every LAN neighbour shares ``fe80::/64``."""
    if addr.version == 4 or addr.is_loopback or addr.is_link_local:
        return str(addr)
    return str(ipaddress.ip_network(f"{addr}/{IPV6_NETWORK}", strict=False))


REFUSED_LINGER = 0.5  # at most this long a refused socket stays open to read what it sent


def _refusal(text: str) -> bytes:
    body = f"quiz: {text}\n".encode()
    head = (
        "HTTP/1.1 503 Service Unavailable\r\n"
        "Content-Type: text/plain; charset=utf-8\r\n"
        f"Content-Length: {len(body)}\r\n"
        "Retry-After: 10\r\n"
        "Connection: close\r\n\r\n"
    )
    return head.encode() + body


class Gate:
    """Counts the room's TCP connections and refuses or drops the ones past its rules."""

    def __init__(
        self,
        *,
        limit: int,
        per_address: int,
        header_timeout: float = HEADER_TIMEOUT,
        exempt: Callable[[str], bool] = lambda address: False,
        tell: Callable[[str, str], None] = lambda kind, line: None,
    ) -> None:
        self.limit = limit
        self.per_address = per_address
        self.header_timeout = header_timeout
        self.exempt = exempt
        self.tell = tell
        self.guards: dict[asyncio.BaseTransport, _Guard] = {}
        self.by_address: Counter[str] = Counter()
        self.refused = 0
        self.dropped = 0

    def wrap(self, factory: Callable[[], asyncio.Protocol]) -> Callable[[], asyncio.Protocol]:
        """A protocol factory for `loop.create_server` around aiohttp's (`runner.server`)."""
        return lambda: _Guard(self, factory())

    def count(self, address: str) -> int:
        """Open connections from ``address`` (joined players, pages, idle sockets alike)."""
        return self.by_address[address]

    def busy(self, transport: Any) -> None:
        """A request on ``transport`` reached a handler: no deadline while it runs."""
        guard = self.guards.get(transport)
        if guard is not None:
            guard.disarm()

    def idle(self, transport: Any) -> None:
        """Its handler is done: the next request has `header_timeout` to arrive whole."""
        guard = self.guards.get(transport)
        if guard is not None:
            guard.arm()

    def _admit(self, guard: _Guard) -> str | None:
        """None to let ``guard``'s connection in, else why not."""
        address = guard.address
        if len(self.guards) >= self.limit:
            return "the room has too many connections; try again in a moment"
        if not self.exempt(address) and self.by_address[address] >= self.per_address:
            return "too many connections from your address"
        self.guards[guard.transport] = guard
        self.by_address[address] += 1
        return None

    def _release(self, guard: _Guard) -> None:
        if self.guards.pop(guard.transport, None) is not None:
            self.by_address[guard.address] -= 1
            if self.by_address[guard.address] <= 0:
                del self.by_address[guard.address]


class _Guard(asyncio.Protocol):
    """One connection: counted, given a deadline, then handed to aiohttp's protocol."""

    def __init__(self, gate: Gate, inner: asyncio.Protocol) -> None:
        self.gate = gate
        self.inner = inner
        self.transport: Any = None
        self.address = "?"
        self.admitted = False
        self._deadline: asyncio.TimerHandle | None = None

    def connection_made(self, transport: asyncio.BaseTransport) -> None:
        self.transport = transport
        self.address = address_of(transport)
        why = self.gate._admit(self)
        if why is not None:
            self.gate.refused += 1
            self.gate.tell(
                f"refused:{why}", f"refused connections from {self.address} and others: {why}"
            )
            assert isinstance(transport, asyncio.WriteTransport)
            transport.write(_refusal(why))
            # Half-close, then close once what the client already sent is read: closing
            # with unread bytes makes the kernel send a reset, which can overtake the 503.
            # It closes as soon as what it sent is read (data_received), or at the
            # latest after REFUSED_LINGER: a busy loop may read it later than a fixed
            # short wait, and a reset would then lose the 503.
            if transport.can_write_eof():
                transport.write_eof()
            asyncio.get_running_loop().call_later(REFUSED_LINGER, transport.close)
            return
        self.admitted = True
        self.inner.connection_made(transport)
        self.arm()

    def arm(self) -> None:
        self.disarm()
        if self.transport is not None and not self.transport.is_closing():
            loop = asyncio.get_running_loop()
            self._deadline = loop.call_later(self.gate.header_timeout, self._expire)

    def disarm(self) -> None:
        if self._deadline is not None:
            self._deadline.cancel()
            self._deadline = None

    def _expire(self) -> None:
        self._deadline = None
        self.gate.dropped += 1
        self.gate.tell(
            "slow",
            f"dropped connections that sent no whole request within "
            f"{self.gate.header_timeout:g} seconds (from {self.address} and others)",
        )
        self.transport.abort()

    def data_received(self, data: bytes) -> None:
        if self.admitted:
            self.inner.data_received(data)
        elif self.transport is not None and not self.transport.is_closing():
            self.transport.close()  # refused: what it sent is read, so no reset follows

    def eof_received(self) -> bool | None:
        if self.admitted:
            return self.inner.eof_received()
        return None

    def pause_writing(self) -> None:
        if self.admitted:
            self.inner.pause_writing()

    def resume_writing(self) -> None:
        if self.admitted:
            self.inner.resume_writing()

    def connection_lost(self, exc: Exception | None) -> None:
        if not self.admitted:
            return
        self.admitted = False
        self.disarm()
        self.gate._release(self)
        self.inner.connection_lost(exc)
