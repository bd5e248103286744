"""Class 1 of SECURITY.md: every string that reaches a terminal or a file for
people is made safe where it is shown, whatever its origin.

The sweep puts one hostile string (an OSC retitle, a CSI, a C1 control, a bidi
override, a layout breaker) into every place text can come from: TOML key
names, pool keys, file names, folder-deck fact files, every field of a save,
and runs every command that shows them. No output may hold an escape byte.
"""

from __future__ import annotations

import asyncio
import re
import shutil
from pathlib import Path

import pytest
import tomli_w

from quiz.deckfile.read import load_deck
from quiz.game.play import Game
from quiz.questions.plan import make_quiz
from quiz.saves.folder import SaveFolder, game_record, player_slug
from quiz.scores import summary
from tests.conftest import MINI
from tests.plain_helpers import PlainGame
from tests.room_helpers import serve_ws

HOSTILE = "\x1b]2;PWNED\x07\x1b[2J\x9b31m\u202e\U000e0041\u115f"
# What must never reach a terminal or a spreadsheet: C0 but tab and newline,
# DEL, C1, bidi controls, tag characters, Hangul fillers.
UNSAFE = re.compile(
    "[\x00-\x08\x0b-\x1f\x7f-\x9f\u061c\u200e\u200f\u202a-\u202e\u2066-\u2069"
    "\u115f\u1160\u3164\U000e0000-\U000e007f]"
)


def assert_safe(*outputs: str) -> None:
    for text in outputs:
        bad = UNSAFE.search(text.replace("\r\n", "\n"))
        assert bad is None, f"unsafe {bad.group()!r} in output: {text[:300]!r}"


# --- decks: key names, pool keys, file names ------------------------------------

MINI_TEXT = MINI.read_text(encoding="utf-8")
TOML_HOSTILE = HOSTILE.encode("unicode_escape").decode("ascii").replace("\\x", "\\u00")


def _deck_cases(tmp_path: Path) -> dict[str, Path]:
    folder = tmp_path / "decks"
    folder.mkdir()
    cases: dict[str, str] = {
        "top-level key": f'"{TOML_HOSTILE}" = 1\n' + MINI_TEXT,
        "fact key": MINI_TEXT.replace("[[facts]]\n", f'[[facts]]\n"{TOML_HOSTILE}" = 1\n', 1),
        "pool key": MINI_TEXT + f'\n[pools]\n"{TOML_HOSTILE}" = ["a", "b"]\n',
        "value": MINI_TEXT.replace('title = "', f'title = "{TOML_HOSTILE}', 1),
        "table header": MINI_TEXT + f'\n["{TOML_HOSTILE}"]\nx = 1\n',
    }
    out = {}
    for k, (name, text) in enumerate(cases.items()):
        path = folder / f"case{k}.toml"
        path.write_text(text, encoding="utf-8")
        out[name] = path
    named = folder / f"{HOSTILE}.toml"
    shutil.copy(MINI, named)
    out["file name"] = named
    broken = folder / f"broken{HOSTILE}.toml"
    broken.write_text("title = [", encoding="utf-8")
    out["file name in an error"] = broken
    deck = folder / "folder-deck"
    shutil.copytree(MINI.parent / "folder-deck", deck)
    (deck / f"{HOSTILE}.toml").write_text(f'"{TOML_HOSTILE}" = 1\n', encoding="utf-8")
    out["folder-deck fact file"] = deck
    return out


@pytest.fixture
def decks(tmp_path: Path) -> dict[str, Path]:
    if not (MINI.parent / "folder-deck").is_dir():
        pytest.skip("the folder-deck fixture is missing")
    return _deck_cases(tmp_path)


def test_hostile_deck_text_never_reaches_the_terminal(
    plain_game: PlainGame,
    decks: dict[str, Path],
    cli,
    tmp_path: Path,
    monkeypatch: pytest.MonkeyPatch,
) -> None:  # type: ignore[no-untyped-def]
    for name, path in decks.items():
        runs = [
            cli("validate", str(path)),
            cli("validate", "--format", "github", str(path)),
            cli("validate", str(path.parent)),
            cli("preview", "--deck", str(path), "--seed", "1", "--count", "3"),
            cli("preview", "--deck", str(path), "--seed", "1", "--answer-key"),
            cli("export", str(path), "--format", "csv"),
            cli("audit", "--games", "3", "--count", "3", str(path)),
            cli("audit", "--games", "3", "--count", "3", "--format", "json", str(path)),
        ]
        runs.append(
            plain_game(stdin="1\n" * 12, seed=1, count=2, deck=path, saves=tmp_path / "saves")
        )
        for run in runs:
            assert "Traceback" not in run.err, name
            assert_safe(run.out, run.err)
        assert any(run.code == 1 for run in runs[:1]) or name == "file name", name


# --- saves: every field -------------------------------------------------------------


def _record(player: str = "Ann") -> dict:
    deck = load_deck(MINI)
    game = Game(
        make_quiz(deck, 1, 3), player=player, deck_id=deck.id, deck_title=deck.title, seed=1
    )
    for _ in range(3):
        game.answer(0, 1.5)
    return game_record(game, "finished")


STRING_FIELDS = [
    "player",
    "deck",
    "deck_title",
    "started",
    "finished",
    "mode",
    "id",
    "answers.question",
    "answers.fact",
    "answers.prompt",
    "answers.chosen",
    "answers.right",
    "questions",
    "deck_path",
    "match.id",
    "match.players",
    "match.teams",
]


def _poison(record: dict, field: str) -> dict:
    if field.startswith("answers."):
        key = field.split(".", 1)[1]
        for answer in record["answers"]:
            answer[key] = HOSTILE + str(answer.get(key, ""))
    elif field == "questions":
        record["questions"] = [HOSTILE + q for q in record["questions"]]
    elif field.startswith("match."):
        # a hot-seat match (resumable): its id, its players, its teams
        match = {"id": "m1", "players": [record["player"], "Ben"], "teams": []}
        if field == "match.teams":
            match["teams"] = [{"name": HOSTILE + "Red", "players": [HOSTILE + "Ann"]}]
        elif field == "match.players":
            match["players"] = [record["player"], HOSTILE + "Ben"]
        else:
            match["id"] = HOSTILE + "m1"
        record["match"] = match
    else:
        record[field] = HOSTILE + str(record.get(field, ""))
    return record


@pytest.mark.parametrize("field", STRING_FIELDS)
def test_hostile_save_fields_never_reach_a_screen_or_a_report(
    plain_game: PlainGame, field: str, cli, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:  # type: ignore[no-untyped-def]
    saves = tmp_path / "saves"
    games = saves / player_slug("Ann") / "games"
    games.mkdir(parents=True)
    (games / "20260101T000000Z-aaaaaaaa.toml").write_text(
        tomli_w.dumps(_poison(_record(), field)), encoding="utf-8"
    )
    # The same poison in a save whose file name is hostile too, and in current.toml.
    (games / f"20260102T000000Z-{HOSTILE}.toml").write_text(
        tomli_w.dumps(_poison(_record(), field)), encoding="utf-8"
    )
    (saves / player_slug("Ann") / "current.toml").write_text(
        tomli_w.dumps({**_poison(_record(), field), "status": "in-progress"}), encoding="utf-8"
    )
    runs = [
        cli("scores", "--saves", str(saves)),
        cli("scores", "--saves", str(saves), "--format", "json"),
        cli("report", "--saves", str(saves), "--format", "csv"),
        cli("report", "--saves", str(saves), "--format", "json"),
        cli("stats", "--saves", str(saves)),
        cli("stats", "--saves", str(saves), "--format", "json"),
        cli("stats", "--saves", str(saves), "--format", "csv"),
    ]
    runs.append(plain_game(stdin="1\n" * 5, deck=MINI, saves=saves, args=["--resume"]))
    runs.append(plain_game(stdin="1\n" * 5, deck=MINI, saves=saves, args=["--review"]))
    for run in runs:
        assert "Traceback" not in run.err
        assert_safe(run.out, run.err)
    # What a TUI screen reads (leaderboard, history) is display-safe once loaded.
    folder = SaveFolder(saves)
    for row in summary.leaderboard(folder):
        assert_safe(*(str(v) for v in row.values()))
    for record in folder.games():
        assert_safe(*_strings(record.model_dump()))


def _strings(value: object) -> list[str]:
    if isinstance(value, dict):
        return [s for v in value.values() for s in _strings(v)]
    if isinstance(value, list):
        return [s for v in value for s in _strings(v)]
    return [str(value)]


# --- quiz join: a room is a stranger too ------------------------------------------


async def test_a_hostile_room_never_reaches_quiz_joins_screen() -> None:
    """A fake room sends escapes in every field, wrong types, huge numbers, odd shapes."""
    import io
    import json

    from aiohttp import web

    from quiz.plain.join import Player

    good_q = {"type": "question", "question": 1, "count": 1, "prompt": "Q?", "choices": ["a", "b"]}
    frames: list[object] = [
        {"type": "welcome", "name": HOSTILE + "Ann", "token": "tok", "players": HOSTILE},
        {"type": "welcome", "name": HOSTILE + "Ann", "token": "tok", "players": 2},
        {"type": "lobby", "players": [HOSTILE + "Ben", 5, None]},
        {"type": "lobby", "players": [HOSTILE + "Ben"]},
        {**good_q, "question": HOSTILE, "count": HOSTILE, "seconds": HOSTILE},
        {**good_q, "prompt": HOSTILE + "Q?", "choices": [HOSTILE + "a", "b"] * 20},
        {**good_q, "prompt": HOSTILE + "Q?", "choices": [HOSTILE + "a", "b"], "seconds": 5},
        {"type": "reveal", "question": 1, "answer": "x", "correct": True},
        {"type": "reveal", "question": 1, "answer": 99, "correct": True, "points": 1, "score": 1,
         "rank": 1, "players": 1},
        {"type": "reveal", "question": 1, "answer": 1, "correct": True, "points": 10**30,
         "score": 1, "rank": 1, "players": 1},
        {"type": "reveal", "question": 1, "answer": 1, "correct": True, "points": 1, "score": 1,
         "rank": 1, "players": 1, "explanation": HOSTILE, "source": HOSTILE},
        {"type": "leaderboard", "top": [{"name": HOSTILE, "score": HOSTILE}]},
        {"type": "leaderboard", "top": [{"name": HOSTILE, "score": 5}]},
        {"type": "error", "code": HOSTILE, "message": HOSTILE},
        {"type": "error", "code": "not-open", "message": HOSTILE},
        [1, 2, 3], "just a string", None, {"type": HOSTILE}, {"no": "type"},
        {"type": "end", "score": HOSTILE, "rank": 1, "correct": 1, "count": 1},
        {"type": "end", "score": 1, "rank": 1, "correct": 1, "count": 1,
         "podium": [{"name": HOSTILE, "score": 1, "place": 1}]},
    ]  # fmt: skip

    async def room(request: web.Request) -> web.WebSocketResponse:
        ws = web.WebSocketResponse()
        await ws.prepare(request)
        await ws.receive()  # the join
        for frame in frames:
            await ws.send_str(json.dumps(frame))
        await ws.send_str("{not json")
        await ws.send_bytes(b"\x1b]2;PWNED\x07")
        return ws

    runner, port = await serve_ws(room)
    out = io.StringIO()
    try:
        player = Player(f"http://127.0.0.1:{port}/", "123456", "Ann", io.StringIO("1\n" * 5), out)
        async with asyncio.timeout(20):
            code = await player.run()
    finally:
        await runner.cleanup()
    shown = out.getvalue()
    assert code == 0, shown
    assert_safe(shown)
    assert "Game over" in shown and "PWNED" in shown  # shown, made safe
    assert "1000000000000000000000000000000" not in shown  # a number past any score: dropped


def test_hostile_arguments_to_quiz_host_and_quiz_join_never_reach_the_terminal(cli) -> None:  # type: ignore[no-untyped-def]
    """--host, a room URL, a code: echoed in warnings and errors, always display-safe."""
    runs = [
        cli("host", "--plain", "--host", HOSTILE),
        cli("host", "--plain", "--host", "a" + HOSTILE + ".example"),
        cli("join", "--plain", "--code", "123456", "--name", "Ann", "http://a.invalid/" + HOSTILE),
        cli("join", "--plain", "--code", "123456", "--name", "Ann", "http://a" + HOSTILE + "/"),
        cli("join", "--plain", "--code", "123456", "--name", "Ann", HOSTILE),
        cli("join", "--plain", "--code", HOSTILE, "--name", "Ann", "http://127.0.0.1:9/"),
    ]
    assert cli("host", "--plain", "--host", HOSTILE).code == 2  # never tried as an address
    for run in runs:
        assert run.code != 0 and "Traceback" not in run.err
        assert_safe(run.out, run.err)
