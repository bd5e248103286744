"""Issue 22, round four: the attack classes an outside sweep (A1) found, each closed."""

from __future__ import annotations

import asyncio
import ipaddress
import itertools
import json
import unicodedata
from pathlib import Path
from typing import Any, cast
from urllib.parse import urlsplit

import aiohttp
import pytest
import regex
from aiohttp import web

from quiz.names import PlayerName
from quiz.plain.join import Player
from quiz.room.gate import address_of
from quiz.room.server import RoomServer
from quiz.room.wire import RoomError
from tests.conftest import FIXED, MINI, Cli
from tests.unit.test_confusables import make_room
from tests.unit.test_join_round3 import CODE, Typist
from tests.unit.test_room_record_round3 import NAME, edited

MEGABYTE = 1_000_000


def test_a_megabyte_of_inner_spaces_or_open_tags_imports_at_once(cli: Cli, tmp_path: Path) -> None:
    # Trimming and tag removal are linear: a regex `\s+\Z` or `<[^>]*>` rescans
    # every inner run, which on a megabyte of spaces or `<` takes hours, not seconds.
    spaces = " " * MEGABYTE
    aiken = tmp_path / "a.txt"
    choices = "A. w\nB. x\nC. y\nD. z\nANSWER: A\n"
    aiken.write_text(f"Q{spaces}?\n{choices}\nFine?\n{choices}")
    result = cli("import", "aiken", str(aiken), "--out", str(tmp_path / "a.toml"))
    assert result.code == 0 and "a.txt: line 1: skipped" in result.err, result.err
    assert "1 question, 1 skipped" in result.out
    moodle = tmp_path / "m.xml"
    question = (
        '<question type="multichoice"><questiontext format="{form}"><text>{text}</text>'
        '</questiontext><answer fraction="100"><text>w</text></answer>'
        + "".join(f'<answer fraction="0"><text>{c}</text></answer>' for c in "xyz")
        + "</question>\n"
    )
    moodle.write_text(
        '<?xml version="1.0"?>\n<quiz>\n'
        + question.format(form="plain_text", text=f"Q{spaces}?")
        + question.format(form="html", text="Q" + "&lt;" * (MEGABYTE // 4) + "?")
        + question.format(form="plain_text", text="Fine?")
        + "</quiz>\n"
    )
    result = cli("import", "moodle-xml", str(moodle), "--out", str(tmp_path / "m.toml"))
    assert result.code == 0 and "m.xml: line 3: skipped" in result.err, result.err
    assert "m.xml: line 4: skipped" in result.err and "1 question, 2 skipped" in result.out


def _compatibility_twins() -> list[tuple[str, str]]:
    """(letter, what NFKC makes it) for every letter Unicode gives a full-width, narrow or
    font form of: full-width ``ｂ`` is ``b``, mathematical ``𝐛`` is ``b``."""
    out = []
    for code in range(0x110000):
        char = chr(code)
        form = unicodedata.decomposition(char).split(" ", 1)[0]
        if form in ("<wide>", "<narrow>", "<font>") and unicodedata.category(char)[0] == "L":
            plain = unicodedata.normalize("NFKC", char)
            if plain.isalpha():
                out.append((char, plain))
    return out


def test_every_full_width_and_font_letter_passes_for_its_plain_letter() -> None:
    twins = _compatibility_twins()
    assert len(twins) > 900 and ("\uff42", "b") in twins  # generated, lowercase included
    keys = {PlayerName.of(f"Ann{plain}").key: plain for _, plain in twins}
    for char, plain in twins:
        assert PlayerName.of(f"Ann{char}").key in keys, (char, plain)
        assert PlayerName.of(f"Ann{char}").alike(PlayerName.of(f"Ann{plain}")), (char, plain)
    room = make_room()
    room.join("Ann")
    room.join("\uff22\uff4f\uff42")  # Ｂｏｂ first, then Bob
    for name in ("\uff21\uff4e\uff4e", "Bob", "\uff41\uff4e\uff4e", "\U0001d41a\U0001d427n"):
        with pytest.raises(RoomError) as err:
            room.join(name)
        assert err.value.code == "name-taken", name


def test_full_width_names_at_the_hot_seat_and_as_teams_are_refused(cli: Cli) -> None:
    result = cli("play", "--plain", "--deck", str(MINI), "--player", "Ann", "--player", "Ａｎｎ")
    assert result.code == 1 and "different name" in result.err and "Traceback" not in result.err
    for names, said in (
        ("Red,Ｒｅｄ", "two teams have the same name ('Red' and 'Ｒｅｄ')"),
        ("Ian,lan", "two teams have the same name ('Ian' and 'lan')"),
        ("2,1", "the team name '2' is a number"),
        ("Red,①", "the team name '①' is a number"),  # ①, refused at the hot seat too
        ("Red,٢", "the team name '٢' is a number"),  # an Arabic-Indic 2
    ):
        result = cli("host", "--plain", "--teams", "auto", "--team-names", names)
        assert result.code == 2 and said in result.err, (names, result.err)


def test_a_mark_of_another_script_on_a_latin_letter_is_refused_and_its_own_script_is_not() -> None:
    scripts = regex.compile(r"\p{scx=Latin}|\p{scx=Zinh}|\p{scx=Zyyy}")
    foreign = [
        chr(c)
        for c in range(0x300, 0x3100)
        if unicodedata.category(chr(c)) == "Mn" and not scripts.match(chr(c))
    ]
    assert {"\u0e31", "\u0cbc", "\u064b", "\u0345"} <= set(foreign) and len(foreign) > 300
    room = make_room()
    room.join("Ann")
    for mark in foreign:
        with pytest.raises(RoomError) as err:
            room.join(f"Ann{mark}")
        kept = ord(unicodedata.normalize("NFC", mark)[0])  # as the name is kept
        assert err.value.code == "bad-name" and f"U+{kept:04X}" in err.value.message
    for name in ("José", "Zoe\u0308", "Йосиф", "Nguyễn", "สมชาย", "देवेन्द्र", "محمّد", "か\u3099"):
        room.join(name)  # marks on letters of their own script, or of every script


async def _silent_server(drip: bool) -> tuple[asyncio.Server, int, list[asyncio.Task[None]]]:
    """127.0.0.1: accepts and never answers, or drips a 101 reply a byte at a time."""
    tasks: list[asyncio.Task[None]] = []

    async def drip_forever(writer: asyncio.StreamWriter) -> None:
        reply = b"HTTP/1.1 101 Switching Protocols\r\nUpgrade: websocket\r\nX-Slow: "
        for k in itertools.count():
            if drip and not writer.is_closing():
                writer.write(reply[k : k + 1] if k < len(reply) else b"a")
            await asyncio.sleep(0.05)

    async def held(reader: asyncio.StreamReader, writer: asyncio.StreamWriter) -> None:
        tasks.append(asyncio.create_task(drip_forever(writer)))

    server = await asyncio.start_server(held, "127.0.0.1", 0)
    return server, server.sockets[0].getsockname()[1], tasks


@pytest.mark.parametrize("drip", [False, True], ids=["silent", "dripping"])
async def test_quiz_join_gives_up_on_a_room_that_never_finishes_its_handshake(drip: bool) -> None:
    server, port, tasks = await _silent_server(drip)
    typist = Typist()
    try:
        player = Player(
            f"http://127.0.0.1:{port}/", CODE, "Ann", typist.stdin, typist.stdout,
            handshake_seconds=0.5,
        )  # fmt: skip
        async with asyncio.timeout(10):  # the default handshake would hold it for 5 minutes
            code = await player.run()
    finally:
        for task in tasks:
            task.cancel()
        server.close()
    assert code == 1
    assert f"No room is answering at http://127.0.0.1:{port}/" in typist.stdout.getvalue()


async def test_quiz_join_never_follows_a_redirect_to_another_room() -> None:
    reached: list[str] = []

    async def other_room(request: web.Request) -> web.StreamResponse:
        reached.append(request.path_qs)
        ws = web.WebSocketResponse()
        await ws.prepare(request)
        async for msg in ws:
            reached.append(msg.data)
        return ws

    async def redirect(request: web.Request) -> web.StreamResponse:
        raise web.HTTPFound(f"http://127.0.0.1:{other}/ws")

    runners = []
    ports = []
    for handler in (other_room, redirect):
        app = web.Application()
        app.router.add_get("/ws", handler)
        runner = web.AppRunner(app)
        await runner.setup()
        site = web.TCPSite(runner, "127.0.0.1", 0)
        await site.start()
        runners.append(runner)
        ports.append(site._server.sockets[0].getsockname()[1])  # type: ignore[union-attr]
    other, port = ports
    typist = Typist()
    try:
        player = Player(f"http://127.0.0.1:{port}/", CODE, "Ann", typist.stdin, typist.stdout)
        async with asyncio.timeout(10):
            code = await player.run()
    finally:
        for runner in runners:
            await runner.cleanup()
    assert code == 1 and reached == []  # neither the code nor the name went anywhere
    assert "sends players elsewhere (HTTP 302); quiz join never follows" in typist.stdout.getvalue()


def test_a_game_file_whose_score_is_not_its_answers_is_set_aside_and_never_counted(
    cli: Cli, tmp_path: Path
) -> None:
    saves = tmp_path / "saves"
    played = cli(
        "play", "--plain", "--deck", str(MINI), "--player", "Zed", "--count", "1",
        "--saves", str(saves), "--seed", "3", stdin="1\n",
    )  # fmt: skip
    assert played.code == 0, played.err
    (game,) = saves.glob("*/games/*.toml")
    text = game.read_text(encoding="utf-8")
    right = int(regex.search(r"(?m)^correct = (\d+)", text).group(1))  # type: ignore[union-attr]
    forged = {
        "score": regex.sub(r"(?m)^score = .*", "score = 123456", text),
        "correct": regex.sub(r"(?m)^correct = .*", f"correct = {1 - right}", text),
    }
    for field, forgery in forged.items():
        game.write_text(forgery, encoding="utf-8")
        for cache in saves.glob("*/*.toml"):
            cache.unlink()  # a rebuild from the game files, which are the truth
        result = cli("scores", "--saves", str(saves))
        assert "Zed" not in result.out, (field, result.out)  # its one game was not believed
        assert f"{game.name} could not be read" in result.err and "set aside" in result.err
        (aside,) = saves.glob("*/games/*.corrupt-*.toml")
        assert aside.read_text(encoding="utf-8") == forgery  # kept byte for byte
        aside.unlink()


class _Peer:
    def __init__(self, host: str) -> None:
        self.host = host

    def get_extra_info(self, name: str) -> Any:
        return (self.host, 5000, 0, 0) if name == "peername" else None


def test_the_per_address_caps_count_an_ipv6_machine_by_its_64() -> None:
    def counted(host: str) -> str:
        return address_of(cast(asyncio.BaseTransport, _Peer(host)))

    one_machine = {counted(f"2001:db8:1:2::{k:x}") for k in range(1, 200)}
    one_machine |= {counted("2001:db8:1:2:ffff:ffff:ffff:ffff"), counted("2001:db8:1:2::9%eth0")}
    assert one_machine == {"2001:db8:1:2::/64"}  # 8 seats for the whole /64, not 8 each
    assert counted("2001:db8:1:3::1") == "2001:db8:1:3::/64"  # the next /64 is another
    assert counted("::ffff:192.0.2.7") == counted("192.0.2.7") == "192.0.2.7"
    assert counted("::1") == "::1"  # the host's own machine, never limited
    assert counted("fe80::1") != counted("fe80::2")  # every LAN neighbour shares fe80::/64


RECORD_TAMPERS: dict[str, tuple[dict[str, Any], str]] = {
    "a start that is no moment": ({"started": "9999-99-99T99:99:99Z"}, "started: '9999-99-99"),
    "a start yet to come": ({"started": "2999-01-01T00:00:00Z"}, "started: '2999-01-01"),
    "a start with no offset": ({"started": "2026-01-01T00:00:00"}, "has no offset from UTC"),
    # The answers' points are re-derived with the record's timer and scoring, so a
    # changed setting no longer gives the points its answers hold.
    "the timer changed 20 to 600": ({"timer": 600}, "answers.0.points"),
    "the scoring flipped": ({"scoring": "accuracy"}, "answers.0.points"),
}


@pytest.mark.parametrize("what", list(RECORD_TAMPERS))
def test_a_record_with_an_impossible_start_or_changed_settings_is_refused(
    what: str, cli: Cli, tmp_path: Path
) -> None:
    fields, said = RECORD_TAMPERS[what]
    rooms = tmp_path / "saves" / "rooms"
    rooms.mkdir(parents=True)
    (rooms / NAME).write_text(json.dumps(edited(lambda d: d.update(fields))), encoding="utf-8")
    saves = str(tmp_path / "saves")
    result = cli("host", "--resume", "--saves", saves, "--deck", str(FIXED), "--plain")
    assert result.code == 1 and "Join at" not in result.out, result.out
    assert f"{NAME}: " in result.err and said in result.err and "set aside" in result.err, (
        result.err
    )


async def test_a_room_on_ipv6_only_gives_ipv6_addresses_a_player_reaches() -> None:
    room = make_room()
    server = RoomServer(room, None, host="::", port=0)
    await server.start()
    try:
        urls = server.urls()
        hosts = [urlsplit(u).hostname or "" for u in urls]
        assert hosts and all(ipaddress.ip_address(h).version == 6 for h in hosts), urls
        assert all(u.startswith("http://[") for u in urls)  # in brackets, as a URL needs
        async with aiohttp.ClientSession() as http, asyncio.timeout(5):
            for url in urls:  # every address given answers (none of another family)
                async with http.get(url) as page:
                    assert page.status == 200, url
    finally:
        await server.stop()
