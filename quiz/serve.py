"""`quiz serve`: the game in web browsers, through textual-serve.

Each browser gets its own `quiz play` process on the start screen. The
server listens on loopback unless told otherwise, caps how many people play
at once, and only ever runs the quiz: players choose names and bundled decks,
never paths, and their saves stay in the one saves folder.
"""

from __future__ import annotations

import ipaddress
import shlex
import sys
from pathlib import Path
from typing import TYPE_CHECKING

if TYPE_CHECKING:
    from textual_serve.server import Server


def is_loopback(host: str) -> bool:
    if host == "localhost":
        return True
    try:
        return ipaddress.ip_address(host).is_loopback
    except ValueError:
        return False


def play_command(saves: Path, deck: str | None) -> str:
    """The command each browser session runs: the same game as `quiz play`."""
    parts = [sys.executable, "-m", "quiz", "play", "--saves", str(saves.resolve())]
    if deck:
        parts += ["--deck", deck]
    return shlex.join(parts)


def make_server(command: str, host: str, port: int, max_players: int) -> Server:
    """A textual-serve Server that turns away players past ``max_players``."""
    # aiohttp and textual-serve (~350 ms) load only for `quiz serve`.
    from aiohttp import web
    from textual_serve.server import Server

    class CappedServer(Server):
        def __init__(self) -> None:
            super().__init__(command, host=host, port=port, title="quiz")
            self.max_players = max_players
            self.players = 0

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
                return await super().handle_websocket(request)
            finally:
                self.players -= 1

    return CappedServer()
