"""`quiz serve`: the game in web browsers, through textual-serve.

Each browser gets its own `quiz play` process on the start screen. The
server listens on loopback unless told otherwise, caps how many people play
at once, and only ever runs the quiz: players choose names and bundled decks,
never paths, and their saves stay in the one saves folder.

textual-serve's defaults trust the browser; this module does not:

- the terminal size a browser asks for is clamped (MIN/MAX_WIDTH, _HEIGHT),
  so `?width=20000&height=20000` cannot make one process take gigabytes;
- a websocket frame is at most MAX_FRAME bytes, and a stdin write that the
  game does not take within WRITE_TIMEOUT ends the session;
- when a browser goes away, however it goes, its game process is stopped,
  killed if it does not stop, and reaped before its slot is freed, so the
  player cap counts processes, not sockets;
- the page's websocket address is the one the browser came from (not
  ws://0.0.0.0:..., and a valid URL for --host ::1);
- the page has a <title> and loads nothing from the internet (textual-serve's
  page asks Google Fonts for Roboto Mono: that link is dropped, the page falls
  back to the browser's monospace font), so it works on a LAN with no internet;
- the page fits a phone: without a viewport tag a phone lays it out 980 px
  wide and shows a part of it; with one, the font is chosen so the terminal
  is at least the game's smallest size (PAGE_COLUMNS x PAGE_ROWS), at most 16 px.
"""

from __future__ import annotations

import os
import re
import shlex
import sys
from pathlib import Path
from typing import TYPE_CHECKING

MIN_WIDTH, MAX_WIDTH = 20, 400
MIN_HEIGHT, MAX_HEIGHT = 10, 200
MAX_FRAME = 64 * 1024


def _seconds(name: str, default: float) -> float:
    """A timeout, overridable from the environment (the tests shorten them; bounded either way)."""
    try:
        value = float(os.environ.get(name, default))
    except ValueError:
        return default
    return min(max(value, 0.1), 60.0) if value == value else default


WRITE_TIMEOUT = _seconds("QUIZ_SERVE_WRITE_TIMEOUT", 10.0)
STOP_TIMEOUT = _seconds("QUIZ_SERVE_STOP_TIMEOUT", 5.0)
if TYPE_CHECKING:
    from collections.abc import Awaitable, Callable

    from textual_serve.server import Server


def play_command(saves: Path, deck: str | None) -> str:
    """The command each browser session runs: the same game as `quiz play`."""
    # --shared: strangers take turns at the game, so it never remembers a name
    # across browsers (quiz.tui.app.make_app's shared).
    parts = [sys.executable, "-m", "quiz", "play", "--shared", "--saves", str(saves.resolve())]
    if deck:
        parts += ["--deck", deck]
    # exec: the shell textual-serve starts becomes the game, so ending the
    # process it knows ends the game (no orphan behind a shell).
    return "exec " + shlex.join(parts)


_LINK = re.compile(r"<link[^>]*href=\"(https?://[^\"]*)\"[^>]*/?>\s*", re.IGNORECASE)
PAGE_TITLE = "quiz"
# The game's smallest size (quiz.tui.app.MIN_WIDTH x MIN_HEIGHT), with a column and a row to spare
# for the rounding of the terminal's cells.
PAGE_COLUMNS, PAGE_ROWS = 61, 21
VIEWPORT = '<meta name="viewport" content="width=device-width, initial-scale=1">'
# The terminal fills the window; nothing around it scrolls (a phone would drag the page).
FIT_STYLE = """<style>
      html, body { margin: 0; padding: 0; height: 100%; overflow: hidden; }
      #terminal { position: absolute; inset: 0; }
    </style>"""
# Runs before textual-serve's script builds the terminal (on window load): the font
# size that fits PAGE_COLUMNS x PAGE_ROWS in this window, measured in the terminal's
# own font, never over textual-serve's 16 px and never under 8 px.
FIT_SCRIPT = f"""<script>
      (function () {{
        var terminal = document.getElementById("terminal");
        if (!terminal) return;
        var probe = document.createElement("span");
        probe.style.cssText = "position:absolute;visibility:hidden;white-space:pre;" +
          "font-size:100px;line-height:normal;" +
          "font-family:'Roboto Mono', Monaco, 'Courier New', monospace";
        probe.textContent = "0000000000";
        document.body.appendChild(probe);
        var box = probe.getBoundingClientRect();
        document.body.removeChild(probe);
        var across = window.innerWidth / ({PAGE_COLUMNS} * box.width / 1000);
        var down = window.innerHeight / ({PAGE_ROWS} * box.height / 100);
        var size = Math.floor(Math.min(16, across, down) * 10) / 10;
        terminal.dataset.fontSize = String(Math.max(8, size));
      }})();
    </script>"""


def offline_page(html: str, own: str) -> str:
    """textual-serve's page with a <title>, fitted to the window, and without links to the internet.

    ``own`` is the server's address as the browser reached it: a link there (the
    terminal's stylesheet) stays; a link anywhere else (Google Fonts) goes.
    """
    html = _LINK.sub(lambda m: m[0] if m[1].startswith(own.rstrip("/") + "/") else "", html)
    head = [VIEWPORT] if 'name="viewport"' not in html else []
    if "<title>" not in html.lower():
        head.append(f"<title>{PAGE_TITLE}</title>")
    head.append(FIT_STYLE)
    html = re.sub(
        r"<head>",
        lambda m: "<head>" + "".join(f"\n    {h}" for h in head),
        html,
        count=1,
        flags=re.I,
    )
    # At the end of the body: after the terminal's element, before the window's load event.
    return re.sub(r"</body>", lambda m: f"  {FIT_SCRIPT}\n  </body>", html, count=1, flags=re.I)


ANY_HOSTS = ("0.0.0.0", "::", "")


def lan_addresses() -> list[str]:
    """This machine's addresses players on the network can open (never 0.0.0.0)."""
    from quiz.room.listening import lan_addresses as found

    return found()


def urls(host: str, port: int) -> list[str]:
    """The addresses to give players: the LAN addresses for 0.0.0.0 or ::, else the host's."""
    if host in ANY_HOSTS:
        return [f"http://{addr}:{port}" for addr in lan_addresses() or ["127.0.0.1"]]
    return [f"http://{f'[{host}]' if ':' in host else host}:{port}"]


def check_port(host: str, port: int) -> None:
    """Raise OSError now if ``host:port`` cannot be listened on (in use, no such address).

    Checked before anything says "serving", so a port in use is the only thing said.
    """
    import socket

    family = socket.AF_INET6 if ":" in host else socket.AF_INET
    with socket.socket(family, socket.SOCK_STREAM) as probe:
        probe.setsockopt(socket.SOL_SOCKET, socket.SO_REUSEADDR, 1)
        probe.bind((host, port))
        probe.listen()


def clamp_size(width: object, height: object) -> tuple[int, int]:
    """A terminal size a browser asked for, within what one process may cost."""

    def number(value: object, default: int) -> int:
        if isinstance(value, bool):
            return default
        if isinstance(value, int):
            return value
        if isinstance(value, str) and value.isascii() and value.isdigit() and len(value) <= 6:
            return int(value)
        return default

    return (
        min(max(number(width, 80), MIN_WIDTH), MAX_WIDTH),
        min(max(number(height, 24), MIN_HEIGHT), MAX_HEIGHT),
    )


_HOST_HEADER = re.compile(r"(?:[A-Za-z0-9.-]{1,253}|\[[0-9A-Fa-f:.]{2,45}\])(?::[0-9]{1,5})?")


def origin_url(scheme: str, host_header: str | None, fallback: str) -> str:
    """http://HOST[:PORT] as the browser reached us, or ``fallback`` if the header is odd.

    Only a host name, an IPv4 address or a bracketed IPv6 address, with an
    optional port, is taken from the Host header: nothing else reaches the page.
    """
    if not host_header or _HOST_HEADER.fullmatch(host_header) is None:
        return fallback
    return f"{'https' if scheme == 'https' else 'http'}://{host_header}"


def make_server(command: str, host: str, port: int, max_players: int) -> Server:
    """A textual-serve Server that turns away players past ``max_players``."""
    import asyncio
    import json
    import logging

    # aiohttp and textual-serve (~350 ms) load only for `quiz serve`.
    from aiohttp import WSMsgType, web
    from textual_serve.app_service import AppService
    from textual_serve.server import Server

    check_port(host, port)
    log = logging.getLogger("quiz.serve")
    display_host = f"[{host}]" if ":" in host else host
    if host in ANY_HOSTS:
        # textual-serve's banner shows this: an address players can open, not 0.0.0.0.
        display_host = next(iter(lan_addresses()), "127.0.0.1")

    class CappedServer(Server):
        def __init__(self) -> None:
            super().__init__(
                command,
                host=host,
                port=port,
                title="quiz",
                public_url=f"http://{display_host}:{port}",
            )
            self.max_players = max_players
            self.players = 0

        async def handle_index(self, request: web.Request) -> web.StreamResponse:
            # The page connects back to the address in the browser's bar.
            # Setting it and rendering happen with no await in between.
            self.public_url = origin_url(
                request.scheme, request.host, f"http://{display_host}:{port}"
            )
            response: web.StreamResponse = await super().handle_index(request)
            if isinstance(response, web.Response) and response.text is not None:
                response.text = offline_page(response.text, self.public_url)
            return response

        async def handle_websocket(self, request: web.Request) -> web.WebSocketResponse:
            if self.players >= self.max_players:
                websocket = web.WebSocketResponse()
                await websocket.prepare(request)
                await websocket.close(
                    code=1013, message=f"quiz is full: {self.max_players} players at once".encode()
                )
                return websocket
            self.players += 1
            try:
                return await self._session(request)
            finally:
                self.players -= 1

        async def _session(self, request: web.Request) -> web.WebSocketResponse:
            websocket = web.WebSocketResponse(heartbeat=15, max_msg_size=MAX_FRAME)
            width, height = clamp_size(
                request.query.get("width", "80"), request.query.get("height", "24")
            )
            service: AppService | None = None
            try:
                await websocket.prepare(request)
                service = AppService(
                    self.command,
                    write_bytes=websocket.send_bytes,
                    write_str=websocket.send_str,
                    close=_closer(websocket),
                    download_manager=self.download_manager,
                    debug=self.debug,
                )
                await service.start(width, height)
                await self._messages(websocket, service)
            except asyncio.CancelledError:
                pass
            except Exception as error:  # a broken browser must never take the server down
                log.warning("a browser session ended: %s", error)
            finally:
                if service is not None:
                    await asyncio.shield(_end(service))
                if not websocket.closed:
                    await websocket.close()
            return websocket

        async def _messages(self, websocket: web.WebSocketResponse, service: AppService) -> None:
            async for message in websocket:
                if message.type != WSMsgType.TEXT:
                    continue
                try:
                    envelope = json.loads(message.data)
                except ValueError:
                    return
                if not isinstance(envelope, list) or not envelope:
                    return
                kind = envelope[0]
                data = envelope[1] if len(envelope) > 1 else None
                if kind == "stdin" and isinstance(data, str):
                    sent = service.send_bytes(data.encode("utf-8", "replace"))
                    if not await _within(sent):
                        return
                elif kind == "resize" and isinstance(data, dict):
                    size = clamp_size(data.get("width"), data.get("height"))
                    if not await _within(service.set_terminal_size(*size)):
                        return
                elif kind == "ping":
                    await websocket.send_json(["pong", data if isinstance(data, str) else ""])
                elif kind == "blur":
                    await _within(service.blur())
                elif kind == "focus":
                    await _within(service.focus())

    def _closer(websocket: web.WebSocketResponse) -> Callable[[], Awaitable[None]]:
        async def close() -> None:
            await websocket.close()

        return close

    async def _within(awaitable: Awaitable[object]) -> bool:
        """Run a write to the game; False if the game did not take it in time."""
        try:
            result = await asyncio.wait_for(awaitable, WRITE_TIMEOUT)
        except (TimeoutError, ConnectionError, RuntimeError):
            return False
        return result is not False

    async def _end(service: AppService) -> None:
        """Stop a session's game: ask it to quit, then kill it, and always reap it."""
        process = service._process
        try:
            await asyncio.wait_for(service.stop(), STOP_TIMEOUT)
        except (TimeoutError, Exception):
            pass
        if process is not None:
            if process.returncode is None:
                try:
                    process.kill()
                except ProcessLookupError:
                    pass
            try:
                await asyncio.wait_for(process.wait(), STOP_TIMEOUT)
            except TimeoutError:
                log.warning("a game process (pid %s) did not end after kill", process.pid)
        task = service._task
        if task is not None and not task.done():
            task.cancel()

    return CappedServer()
