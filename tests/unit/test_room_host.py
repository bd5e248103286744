"""The host's screen (Pilot + a snapshot at 80x24) and the plain host and player, end to end."""

from __future__ import annotations

import asyncio
import io
from pathlib import Path

import aiohttp
import pytest

from quiz.deckfile.read import load_deck
from quiz.plain.host import run_host
from quiz.plain.join import Player
from quiz.questions.plan import make_quiz
from quiz.room.client import ws_url
from quiz.room.server import RoomServer
from quiz.room.state import Room
from quiz.saves.folder import SaveFolder
from quiz.tui.live.host import HostApp
from quiz.tui.live.marks import SHAPES, qr_text
from tests.conftest import FIXED
from tests.unit.test_join_round3 import Typist

DECK = load_deck(FIXED)


def make_server(tmp_path: Path | None, *, count: int = 2, timer: int | None = None, port: int = 0):  # type: ignore[no-untyped-def]
    room = Room(
        make_quiz(DECK, 7, count),
        code="123456",
        seed=7,
        deck_id=DECK.id,
        deck_title=DECK.title,
        timer=timer,
    )
    saves = SaveFolder(tmp_path / "saves") if tmp_path is not None else None
    return RoomServer(room, saves, port=port, clock=lambda: 1000.0)


def test_lobby_snapshot_at_80x24(snap_compare) -> None:  # type: ignore[no-untyped-def]
    server = make_server(None, port=8765)

    async def run_before(pilot) -> None:  # type: ignore[no-untyped-def]
        for name in ("Ann", "[bold]Ben[/bold]", "Cy[31m"):  # an ESC in a name is refused now
            server.room.join(name)
        server.notify("join")
        await pilot.pause()

    assert snap_compare(
        HostApp(server, start_server=False), terminal_size=(80, 24), run_before=run_before
    )


@pytest.mark.parametrize("phase", ["question", "reveal", "end"])
def test_game_snapshots_at_80x24(snap_compare, phase: str) -> None:  # type: ignore[no-untyped-def]
    server = make_server(None, count=2, timer=20, port=8765)
    room = server.room

    async def run_before(pilot) -> None:  # type: ignore[no-untyped-def]
        players = [room.join(n)[0] for n in ("Ann", "[bold]Ben[/bold]", "Cy")]
        await server.begin()
        if phase != "question":
            for k, player in enumerate(players):
                right = room.questions[0].answer
                room.answer(player.token, 1, right if k != 1 else (right + 1) % 4, 1002.0 + k)
            await server.close_question()
        if phase == "end":
            await server.advance()
            room.answer(players[1].token, 2, room.questions[1].answer, 1001.0)
            await server.close_question()
            await server.advance()
        else:
            room.answer(players[2].token, 1, 0, 1003.0) if phase == "question" else None
            server.notify("answered")
        await pilot.pause()

    assert snap_compare(
        HostApp(server, start_server=False), terminal_size=(80, 24), run_before=run_before
    )


async def test_host_screen_runs_a_game_with_a_real_player(tmp_path: Path) -> None:
    server = make_server(tmp_path)
    app = HostApp(server)
    async with app.run_test(size=(80, 24)) as pilot, aiohttp.ClientSession() as session:
        text = lambda sel: str(app.query_one(sel).visual)  # noqa: E731
        assert "code 123456" in text("#address") and server.url in text("#address")
        assert "0 players" in text("#count")
        await pilot.press("enter")  # nobody in: nothing starts
        assert server.room.phase == "lobby"
        ws = await session.ws_connect(f"http://127.0.0.1:{server.port}/ws")
        await ws.send_json({"type": "join", "code": "123456", "name": "[red]Ann"})
        assert (await ws.receive_json())["type"] == "welcome"
        await pilot.pause()
        assert "1 player" in text("#count")
        await pilot.press("l")
        assert server.room.locked and "room locked" in text("#count")
        await pilot.press("enter")
        while (await ws.receive_json())["type"] != "question":
            pass
        await pilot.pause()
        assert "answered 0/1" in text("#q-head") and "\u25b2 A" in text("#q-choices")
        asked = server.room.questions[0]
        await ws.send_json({"type": "answer", "question": 1, "choice": asked.answer})
        for _ in range(50):
            await pilot.pause()
            if server.room.phase == "reveal":
                break
        right = f"{SHAPES[asked.answer]} {'ABCD'[asked.answer]}"  # the shape the phones show
        assert f"\u2713  {right}" in text("#r-bars")
        assert "[red]Ann" in text("#r-board") and "1000" in text("#r-board")
        await pilot.press("enter")  # at once: the reveal's first moment, ignored
        assert server.room.phase == "reveal" and "Enter again" in text("#hint")
        server.clock = lambda: 1001.0  # past the reveal's first moment
        await pilot.press("enter")
        await pilot.pause()
        await pilot.press("enter")  # at once: the second of a double press is ignored
        assert server.room.phase == "question" and "Enter again" in text("#hint")
        server.clock = lambda: 1002.0  # past the question's first moment
        await pilot.press("enter")  # untimed: Enter closes the question
        await pilot.pause()
        server.clock = lambda: 1003.0  # past the reveal's first moment
        await pilot.press("enter")  # the podium
        for _ in range(50):
            await pilot.pause()
            if server.saved_games:
                break
        assert "1st" in text("#e-podium") and "[red]Ann" in text("#e-podium")
        assert "Q1 1/1" in text("#e-rights") and "Q2 0/1" in text("#e-rights")
        await ws.close()
    assert len(list((tmp_path / "saves").glob("*/games/*.toml"))) == 1


async def test_the_lobby_list_changes_only_the_row_a_join_or_a_leave_changes() -> None:
    from textual.widgets import OptionList

    server = make_server(None, port=8765)
    room = server.room
    app = HostApp(server, start_server=False)
    async with app.run_test(size=(80, 24)) as pilot:
        names = app.query_one("#names", OptionList)

        def rows() -> list[str]:
            return [str(option.prompt) for option in names.options]

        async def event(kind: str) -> None:
            server.notify(kind)
            await pilot.pause()

        ann, _ = room.join("Ann")
        await event("join")
        room.join("Ben")
        await event("join")
        names.highlighted = 1  # the host picks Ben, to remove him
        ben_row = names.get_option_at_index(1)
        room.join("Cy")
        await event("join")
        room.leave(ann.token)
        await event("leave")
        assert rows() == ["Ann  (away)", "Ben", "Cy"]
        assert names.highlighted == 1 and names.get_option_at_index(1) is ben_row
        await pilot.press("delete")  # removes Ben: the list is built again, without him
        await pilot.pause()
        assert rows() == ["Ann  (away)", "Cy"]
        await pilot.press("x")  # extra time for the one highlighted now (issue 26): 1.5x
        await pilot.pause()
        assert rows() == ["Ann  (away)", "Cy  \u00b7 1.5x time"]
        assert room.active[1].extra == 1.5


def test_qr_code_is_drawn_in_half_blocks() -> None:
    art = qr_text("http://127.0.0.1:8765/?code=123456").splitlines()
    assert len(art) == 16 and all(len(line) == 31 for line in art)
    assert set("".join(art)) <= {" ", "\u2580", "\u2584", "\u2588"}


def test_ws_url_from_what_a_player_types() -> None:
    assert ws_url("http://10.0.0.2:8765/?code=123456") == (
        "http://10.0.0.2:8765/",
        "ws://10.0.0.2:8765/ws",
        "123456",
    )
    assert ws_url("127.0.0.1:8765")[1] == "ws://127.0.0.1:8765/ws"


async def test_plain_host_and_plain_players_play_to_the_podium(tmp_path: Path) -> None:
    server = make_server(tmp_path, timer=20)
    await server.start()
    url = f"http://127.0.0.1:{server.port}/"
    host_out = io.StringIO()
    right = [q.answer + 1 for q in server.room.questions]
    wrong = [r % 4 + 1 for r in right]
    # Lines typed before a question opens are no answers to it: each is typed when asked.
    ann_keys, ben_keys = Typist(str(right[0]), str(right[1])), Typist("x", "9", *map(str, wrong))
    ann = Player(url, "123456", "Ann", ann_keys.stdin, ann_keys.stdout)
    ben = Player(url, "123456", "Ben", ben_keys.stdin, ben_keys.stdout)
    joined = asyncio.Event()
    server.listeners.append(lambda _: len(server.room.active) == 2 and joined.set())
    try:
        async with asyncio.timeout(30):
            players = asyncio.gather(ann.run(), ben.run())
            await joined.wait()
            # One Enter per step the host waits on: start, then on from each reveal.
            await run_host(server, io.StringIO("\n" * 3), host_out, interactive=False)
            codes = await players
    finally:
        await server.stop()
    out = host_out.getvalue()
    assert out.splitlines()[0] == f"Join at {url}" and "code 123456" in out
    assert "answered 1/2" in out and "The end. Podium:" in out
    assert codes == [0, 0]
    ann_out, ben_out = ann.stdout.getvalue(), ben.stdout.getvalue()  # type: ignore[attr-defined]
    assert "Game over: place 1" in ann_out and "2/2 right." in ann_out
    assert "Type 1-4 or a-d." in ben_out and "0/2 right." in ben_out
    assert len(list((tmp_path / "saves").glob("*/games/*.toml"))) == 2


async def test_quiz_join_screen_joins_answers_with_a_key_and_sees_the_reveal(
    tmp_path: Path,
) -> None:
    from quiz.tui.live.join import JoinApp

    server = make_server(tmp_path, count=1)
    await server.start()
    asked = server.room.questions[0]
    try:
        app = JoinApp(f"http://127.0.0.1:{server.port}/?code=123456")
        async with app.run_test(size=(80, 24)) as pilot:
            text = lambda sel: str(app.query_one(sel).visual)  # noqa: E731
            await pilot.click("#name")
            await pilot.press(*"[b]Zoe", "enter")
            for _ in range(200):
                await pilot.pause()
                if server.room.active:
                    break
            assert server.room.names() == ["[b]Zoe"]
            await server.begin()
            for _ in range(200):
                await pilot.pause()
                if asked.prompt in text("#prompt"):
                    break
            await pilot.press("abcd"[asked.answer])
            for _ in range(200):
                await pilot.pause()
                if "Right" in text("#after"):
                    break
            assert "\u2713 Right!" in text("#after") and "+1000 points" in text("#after")
            await server.advance()
            for _ in range(200):
                await pilot.pause()
                if "Game over" in text("#prompt"):
                    break
            assert "Place 1" in text("#status") and "[b]Zoe" in text("#after")
    finally:
        await server.stop()
