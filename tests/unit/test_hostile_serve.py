"""Class 8 of SECURITY.md: `quiz serve` holds its promises against abusive browsers.

Real processes: a real `quiz serve`, real websockets, real game processes.
After every abusive session (a huge terminal, frames past the cap, bad JSON,
a stdin flood and a browser that vanishes without closing) no game process
is left and the server's memory is back near where it started.
`make fuzz` runs 50 sessions; the suite runs a few.
"""

from __future__ import annotations

import asyncio
import json
import os
import time
import urllib.request
from pathlib import Path

import aiohttp

from quiz.serve import MAX_HEIGHT, MAX_WIDTH, clamp_size, origin_url
from tests.serve_helpers import serving

SESSIONS = int(os.environ.get("QUIZ_SERVE_SESSIONS", "3"))


def children(pid: int) -> list[int]:
    """Processes whose parent is ``pid`` (from /proc, no extra dependency)."""
    out = []
    for entry in Path("/proc").iterdir():
        if not entry.name.isdigit():
            continue
        try:
            stat = (entry / "stat").read_text()
        except OSError:
            continue
        if int(stat.rsplit(")", 1)[1].split()[1]) == pid:
            out.append(int(entry.name))
    return out


def rss_kib(pid: int) -> int:
    for line in Path(f"/proc/{pid}/status").read_text().splitlines():
        if line.startswith("VmRSS:"):
            return int(line.split()[1])
    return 0


def wait_until(check, seconds: float = 60.0) -> bool:  # type: ignore[no-untyped-def]
    deadline = time.monotonic() + seconds
    while time.monotonic() < deadline:
        if check():
            return True
        time.sleep(0.2)
    return False


def test_sizes_and_addresses_from_the_browser_are_bounded() -> None:
    assert clamp_size("20000", "20000") == (MAX_WIDTH, MAX_HEIGHT)
    assert clamp_size("-5", "\u00b2") == (80, 24) or clamp_size("-5", "\u00b2")[0] >= 20
    assert clamp_size(10**9, True) == (MAX_WIDTH, 24)
    assert origin_url("http", "[::1]:8000", "x") == "http://[::1]:8000"
    assert origin_url("http", "192.168.1.5:8000", "x") == "http://192.168.1.5:8000"
    for odd in ('"><script>', "a b", "h/x", "u@h", "", None):
        assert origin_url("http", odd, "fallback") == "fallback"


def test_abusive_browsers_leave_no_game_process_behind(tmp_path: Path) -> None:
    async def abuse(url: str, pid: int, k: int) -> None:
        ws_url = url.replace("http", "ws") + "/ws?width=20000&height=20000"
        async with aiohttp.ClientSession() as session:
            ws = await session.ws_connect(ws_url, max_msg_size=0)
            # Wait for the game process to start, then check the size it was given.
            # A child that is still being exec'd shows an empty environment: wait for the game's.
            seen: list[list[bytes]] = []

            def started() -> bool:
                kids = children(pid)
                if len(kids) != 1:
                    return False
                try:
                    env = Path(f"/proc/{kids[0]}/environ").read_bytes().split(b"\0")
                except OSError:
                    return False
                if not any(item.startswith(b"COLUMNS=") for item in env):
                    return False
                seen.append(env)
                return True

            assert await asyncio.to_thread(wait_until, started, 30)
            environ = seen[-1]
            assert f"COLUMNS={MAX_WIDTH}".encode() in environ
            assert f"ROWS={MAX_HEIGHT}".encode() in environ
            await ws.send_str(json.dumps(["resize", {"width": 10**6, "height": "x"}]))
            try:
                if k % 3 == 0:  # a frame past the cap: the server closes (1009)
                    await ws.send_str(json.dumps(["stdin", "x" * (256 * 1024)]))
                    await asyncio.wait_for(ws.receive(), 30)
                elif k % 3 == 1:  # a stdin flood, then the browser vanishes
                    for _ in range(20):
                        await ws.send_str(json.dumps(["stdin", "y" * 60_000]))
                else:  # not even JSON
                    await ws.send_str("not json")
                    await asyncio.wait_for(ws.receive(), 30)
            except ConnectionError:
                pass
            if ws._response.connection is not None:  # noqa: SLF001 - drop the TCP link
                ws._response.connection.transport.abort()  # noqa: SLF001

    # The same rules with shorter waits: a stuck write ends the session after 2 s, not 10.
    quick = {"QUIZ_SERVE_WRITE_TIMEOUT": "2", "QUIZ_SERVE_STOP_TIMEOUT": "1"}
    with serving(tmp_path / "saves", "--max-players", "2", env=quick) as url:
        pid = server_pid(url)
        before = rss_kib(pid)
        for k in range(SESSIONS):
            asyncio.run(abuse(url, pid, k))
            assert wait_until(lambda: not children(pid)), f"session {k} left {children(pid)}"
        # The page still serves, a fresh player still gets a game, and memory is back.
        urllib.request.urlopen(url, timeout=10).read()
        assert rss_kib(pid) < before + 40 * 1024


def server_pid(url: str) -> int:
    """The pid of the `quiz serve` started for ``url`` (its command line names the port)."""
    wanted = ["serve", "--port", url.rsplit(":", 1)[1]]
    for proc in Path("/proc").iterdir():
        if not proc.name.isdigit():
            continue
        try:
            argv = (proc / "cmdline").read_bytes().decode(errors="replace").split("\0")
        except OSError:
            continue
        if any(argv[k : k + 3] == wanted for k in range(len(argv))):
            return int(proc.name)
    raise AssertionError("the server process was not found")


def test_the_page_connects_back_to_the_address_the_browser_used(tmp_path: Path) -> None:
    with serving(tmp_path / "saves") as url:
        port = url.rsplit(":", 1)[1]
        page = urllib.request.urlopen(url, timeout=10).read().decode()
        assert f'data-session-websocket-url="ws://127.0.0.1:{port}/ws"' in page
        for host in (f"[::1]:{port}", f"192.168.1.5:{port}"):
            request = urllib.request.Request(url, headers={"Host": host})
            page = urllib.request.urlopen(request, timeout=10).read().decode()
            assert f'data-session-websocket-url="ws://{host}/ws"' in page
        request = urllib.request.Request(url, headers={"Host": '"><script>x'})
        page = urllib.request.urlopen(request, timeout=10).read().decode()
        assert "<script>x" not in page and f"ws://127.0.0.1:{port}/ws" in page


def test_a_host_that_is_not_a_host_is_a_usage_error(cli) -> None:  # type: ignore[no-untyped-def]
    for host in ("\x1b]2;PWNED\x07", "a b", "\u00e9\u009b", "x_y"):
        result = cli("serve", "--host", host, "--port", "18399")
        assert result.code == 2 and "is not a host name or an IP address" in result.err
        assert "\x1b" not in result.err and "\x07" not in result.err and "\x9b" not in result.err
