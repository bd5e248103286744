"""`quiz serve`: loopback by default, a warning otherwise, and a cap on players at once."""

from __future__ import annotations

import asyncio
from pathlib import Path

import aiohttp
import pytest

from quiz.room.net import is_loopback
from quiz.serve import play_command
from tests.serve_helpers import serving


def test_loopback_detection() -> None:
    assert is_loopback("127.0.0.1") and is_loopback("localhost") and is_loopback("::1")
    assert (
        not is_loopback("0.0.0.0")
        and not is_loopback("192.168.1.5")
        and not is_loopback("example.org")
    )


def test_each_browser_runs_the_game_on_the_saves_folder(tmp_path: Path) -> None:
    command = play_command(tmp_path, "amber-balcaen")
    assert " -m quiz play " in command and f"--saves {tmp_path.resolve()}" in command
    assert command.endswith("--deck amber-balcaen")


@pytest.mark.slow
def test_players_past_the_cap_are_turned_away(tmp_path: Path) -> None:
    async def connect(url: str) -> tuple[aiohttp.ClientSession, aiohttp.ClientWebSocketResponse]:
        session = aiohttp.ClientSession()
        return session, await session.ws_connect(f"{url}/ws?width=80&height=24")

    async def run(url: str) -> None:
        first_session, first = await connect(url)
        try:
            # The first player is in once their game draws its first frame.
            await asyncio.wait_for(first.receive(), timeout=30)
            second_session, second = await connect(url)
            try:
                message = await asyncio.wait_for(second.receive(), timeout=10)
                assert message.type in (
                    aiohttp.WSMsgType.CLOSE,
                    aiohttp.WSMsgType.CLOSED,
                    aiohttp.WSMsgType.CLOSING,
                )
                assert second.close_code == 1013
                assert not first.closed
            finally:
                await second_session.close()
        finally:
            await first.close()
            await first_session.close()

    with serving(tmp_path / "saves", "--max-players", "1") as url:
        asyncio.run(run(url))


class FakeServer:
    served = False

    def serve(self) -> None:
        FakeServer.served = True


def test_default_host_is_loopback_and_other_hosts_warn(cli, monkeypatch, tmp_path: Path) -> None:  # type: ignore[no-untyped-def]
    import quiz.serve

    seen: list[tuple[str, int, int]] = []

    def fake_make_server(command: str, host: str, port: int, max_players: int) -> FakeServer:
        seen.append((host, port, max_players))
        return FakeServer()

    monkeypatch.setattr(quiz.serve, "make_server", fake_make_server)
    quiet = cli("serve", "--saves", str(tmp_path))
    assert quiet.code == 0 and seen[-1] == ("127.0.0.1", 8000, 20)
    assert "warning" not in quiet.err
    loud = cli("serve", "--host", "0.0.0.0", "--max-players", "5", "--saves", str(tmp_path))
    assert loud.code == 0 and seen[-1] == ("0.0.0.0", 8000, 5)
    assert (
        "warning: serving on 0.0.0.0: anyone who can reach this address on your network can play"
        in loud.err
    )
    assert cli("serve", "--max-players", "0").code == 2


def test_the_page_has_a_title_and_loads_nothing_from_the_internet(tmp_path: Path) -> None:
    from aiohttp.test_utils import TestClient, TestServer

    from quiz.serve import make_server
    from tests.serve_helpers import free_port

    server = make_server(play_command(tmp_path, None), "127.0.0.1", free_port(), 1)

    async def fetch() -> str:
        client = TestClient(TestServer(await server._make_app()))
        await client.start_server()
        try:
            response = await client.get("/")
            assert response.status == 200
            return await response.text()
        finally:
            await client.close()

    page = asyncio.run(fetch())
    assert "<title>quiz</title>" in page
    assert "googleapis" not in page and "https://" not in page


def test_a_port_in_use_is_refused_before_anything_says_serving(cli, tmp_path: Path) -> None:  # type: ignore[no-untyped-def]
    import socket

    with socket.socket() as taken:
        taken.bind(("127.0.0.1", 0))
        taken.listen()
        port = taken.getsockname()[1]
        result = cli("serve", "--port", str(port), "--saves", str(tmp_path))
    assert result.code == 1
    assert f"cannot listen on 127.0.0.1:{port}" in result.err
    assert "serving" not in result.err + result.out


def test_all_interfaces_print_the_lan_addresses_not_0_0_0_0(
    cli, monkeypatch, tmp_path: Path
) -> None:  # type: ignore[no-untyped-def]
    import quiz.serve

    monkeypatch.setattr(quiz.serve, "make_server", lambda *args: FakeServer())
    monkeypatch.setattr(quiz.serve, "lan_addresses", lambda: ["192.168.1.23", "10.0.0.7"])
    result = cli("serve", "--host", "0.0.0.0", "--port", "18850", "--saves", str(tmp_path))
    assert result.code == 0
    assert "http://192.168.1.23:18850 and http://10.0.0.7:18850" in result.err
    assert "http://0.0.0.0" not in result.err
