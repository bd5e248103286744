"""`quiz host --workers N`'s edge processes: started as `quiz edge` children (each one an
operator can see and end by its pid), watched until they are heard, and ended with the room.
"""

from __future__ import annotations

import os
import subprocess
import sys
import time
from pathlib import Path

from quiz.room import broker as b

EDGE_READY = 15.0  # seconds the owner waits for its edges to start


def edge_command(url: str, host: str, port: int, code: str) -> list[str]:
    """The command line of one edge of room ``code``, listening on HOST:PORT beside the others."""
    return [
        sys.executable, "-m", "quiz", "edge", "--broker", url, "--host", host,
        "--port", str(port), "--code", code, "--parent-pipe",
    ]  # fmt: skip


def spawn(
    count: int, command: list[str], token: str | None, folder: Path
) -> tuple[list[subprocess.Popen[bytes]], list[Path]]:
    """Start ``count`` edges, each logging to ``folder/edge-N.log``; the token by environment."""
    env = dict(os.environ)
    if token:
        env[b.TOKEN_ENV] = token
    children: list[subprocess.Popen[bytes]] = []
    logs: list[Path] = []
    for n in range(count):
        log = folder / f"edge-{n + 1}.log"
        logs.append(log)
        with open(log, "ab") as out:
            children.append(
                subprocess.Popen(
                    command,
                    stdin=subprocess.PIPE,  # closed by the owner: the edge ends
                    stdout=out,
                    stderr=out,
                    env=env,
                    preexec_fn=b.die_with_parent,
                    start_new_session=True,  # the host's Ctrl-C is the owner's to handle
                )
            )
    return children, logs


def check_started(
    children: list[subprocess.Popen[bytes]], logs: list[Path], deadline: float
) -> None:
    """Raise BrokerError if an edge has stopped, or the deadline has passed."""
    for child, log in zip(children, logs, strict=True):
        if child.poll() is not None:
            raise b.BrokerError(f"an edge stopped at once: {last_line(log)}")
    if time.monotonic() > deadline:
        raise b.BrokerError(f"the edges did not start within {EDGE_READY:g} s")


def last_line(path: Path) -> str:
    try:
        lines = path.read_text("utf-8", "replace").strip().splitlines()
    except OSError:
        return "no log"
    return lines[-1][:200] if lines else "no log"


def end(children: list[subprocess.Popen[bytes]]) -> None:
    """Wait a moment for edges told to end, then end the ones still there."""
    deadline = time.monotonic() + 3
    for child in children:
        try:
            child.wait(max(0.0, deadline - time.monotonic()))
        except subprocess.TimeoutExpired:
            child.terminate()
    for child in children:
        try:
            child.wait(2)
        except subprocess.TimeoutExpired:
            child.kill()
            child.wait()
