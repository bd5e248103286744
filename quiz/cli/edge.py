"""`quiz edge`: players' sockets for a room whose owner is elsewhere, through a NATS broker (issue 28).

`quiz host --workers N` starts N of these itself; on other machines an operator
starts them in front of a load balancer, pointed at the host's broker.
"""

from __future__ import annotations

import argparse
import sys
from typing import TYPE_CHECKING

from quiz.cli import argtypes
from quiz.text import clean

if TYPE_CHECKING:
    import asyncio

    from nats.aio.client import Client

    from quiz.room.broker import Where

ASK_TIMEOUT = 15.0  # seconds an edge waits for a room's owner to answer


def edge_arguments(edge: argparse.ArgumentParser) -> None:
    edge.add_argument(
        "--broker",
        required=True,
        metavar="nats://HOST:PORT",
        help="the room's broker (its token in $QUIZ_BROKER_TOKEN, or nats://TOKEN@HOST:PORT)",
    )
    edge.add_argument(
        "--host",
        type=argtypes.host,
        default="127.0.0.1",
        help="address to listen on (default 127.0.0.1; 0.0.0.0 for a network)",
    )
    edge.add_argument(
        "--port", type=argtypes.port, default=8765, help="port (default 8765; shared by edges)"
    )
    edge.add_argument(
        "--code", metavar="CODE", help="the room's code (default: the room the broker carries)"
    )
    # The owner's children end when it closes their stdin (and with it, on Linux).
    edge.add_argument("--parent-pipe", action="store_true", help=argparse.SUPPRESS)


def cmd_edge(args: argparse.Namespace) -> int:
    import asyncio

    from quiz.room.broker import BrokerError, parse_url

    try:
        where = parse_url(args.broker)
    except ValueError as exc:
        print(f"quiz: --broker: {clean(exc)}", file=sys.stderr)
        return 1
    try:
        return asyncio.run(_run(args, where))
    except BrokerError as exc:
        print(f"quiz: {clean(exc)}", file=sys.stderr)
        return 1


async def _ask(nc: Client, code: str | None) -> dict[str, object]:
    import asyncio
    import json
    import time

    from nats.errors import Error as NatsError

    from quiz.room import broker as b

    subject = b.ASK if code is None else b.subject(code, "ask")
    deadline = time.monotonic() + ASK_TIMEOUT
    while time.monotonic() < deadline:
        try:
            reply = await nc.request(subject, b"", timeout=1)
        except (NatsError, TimeoutError):
            await asyncio.sleep(0.2)
            continue
        data = json.loads(reply.data)
        if isinstance(data, dict):
            return data
    where = "any room" if code is None else f"room {code}"
    raise b.BrokerError(f"no owner of {where} answered on the broker within {ASK_TIMEOUT:g} s")


async def _run(args: argparse.Namespace, where: Where) -> int:
    import asyncio
    import os
    import signal
    import threading

    from quiz.cli import startup
    from quiz.room import broker as b
    from quiz.room.edge import EdgeServer

    served: list[EdgeServer] = []  # the edge, once made: told when the broker goes down

    async def down() -> None:
        for one in served:
            await one.broker_down()

    nc = await b.connect(where, "quiz-edge", on_down=down)
    try:
        room = await _ask(nc, args.code)
        server = EdgeServer(
            nc,
            str(room["code"]),
            str(room["owner"]),
            max_players=int(str(room["max_players"])),
            max_connections=int(str(room["max_connections"])),
            host=args.host,
            port=args.port,
        )
        served.append(server)
        try:
            await server.start()
        except OSError as exc:
            print(
                clean(f"quiz: cannot listen on {args.host}:{args.port}: {exc.strerror or exc}"),
                file=sys.stderr,
            )
            return 1
        startup.release()
        print(
            clean(f"quiz edge {server.id}: room {server.code} at {server.url} (pid {os.getpid()})"),
            flush=True,
        )
        loop = asyncio.get_running_loop()
        done = asyncio.Event()
        for sig in (signal.SIGINT, signal.SIGTERM):
            loop.add_signal_handler(sig, done.set)
        if args.parent_pipe:
            threading.Thread(target=_wait_eof, args=(loop, done), daemon=True).start()
        await done.wait()
        await server.stop()
        return 0
    finally:
        try:
            async with asyncio.timeout(2):
                await nc.close()
        except Exception:  # noqa: BLE001 - ending anyway
            pass


def _wait_eof(loop: asyncio.AbstractEventLoop, done: asyncio.Event) -> None:
    """In a thread: stdin read to its end (the owner closed it, or ended), then `done`."""
    try:
        while sys.stdin.buffer.read(4096):
            pass
    except (OSError, ValueError):
        pass
    loop.call_soon_threadsafe(done.set)
