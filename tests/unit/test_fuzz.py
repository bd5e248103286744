"""Fuzzing: loaders raise nothing but DeckError; writers never leave a file that will not load.

A short run is part of the suite; `make fuzz` runs a long one
(QUIZ_FUZZ_EXAMPLES sets the number of examples per property).
"""

from __future__ import annotations

import json
import os
import re
import tempfile
import tomllib
from pathlib import Path

import tomli_w
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from quiz.authoring.validate import check_file
from quiz.deckfile.problems import DeckError
from quiz.deckfile.read import load_deck
from quiz.game.play import Game
from quiz.questions.plan import make_quiz
from quiz.questions.question import Question
from quiz.saves.folder import SaveFolder
from quiz.session import check_name
from quiz.text import clean
from tests.conftest import CHOICE_FORMS, FIXED, MINI

EXAMPLES = int(os.environ.get("QUIZ_FUZZ_EXAMPLES", "40"))
FUZZ = settings(
    max_examples=EXAMPLES,
    deadline=None,
    suppress_health_check=[HealthCheck.too_slow, HealthCheck.data_too_large],
)
BASE = FIXED.read_text(encoding="utf-8")
KEYS = [
    "id",
    "title",
    "subject",
    "description",
    "language",
    "sources",
    "pools",
    "facts",
    "statement",
    "answer",
    "kind",
    "value",
    "pool",
    "max",
    "min",
    "questions",
    "claim",
    "wrong",
    "accept",
    "reverse",
    "timeline",
    "event",
    "step",
    "explanation",
    "source",
    "tags",
    "difficulty",
    "url",
    "publisher",
    "date",
    "unit",
    "question",
]
nasty_text = st.text(st.characters(codec="utf-8"), max_size=80) | st.sampled_from(
    [
        "",
        "\x1b[2J",
        "\u202eevil",
        "[@click=app.quit]x",
        "a" * 400,
        "{answer}",
        "2025-13",
        "\x00",
        "ordinal",
        "pool",
    ]
)
leaves = st.booleans() | st.integers(-(10**15), 10**15) | st.floats(allow_nan=True) | nasty_text
values = st.recursive(
    leaves,
    lambda inner: (
        st.lists(inner, max_size=4)
        | st.dictionaries(st.sampled_from(KEYS) | nasty_text, inner, max_size=5)
    ),
    max_leaves=25,
)


def try_load(data: bytes) -> None:
    with tempfile.TemporaryDirectory() as folder:
        path = Path(folder) / "deck.toml.txt"
        path.write_bytes(data)
        try:
            load_deck(path)
        except DeckError as exc:
            assert exc.problems and all(p.line >= 1 for p in exc.problems)
        checked = check_file(path)  # never raises
        assert checked.deck is not None or checked.problems


@FUZZ
@given(st.binary(max_size=3000))
def test_any_bytes(data: bytes) -> None:
    try_load(data)


@FUZZ
@given(
    st.lists(
        st.tuples(st.integers(0, len(BASE)), st.integers(0, 120), nasty_text),
        min_size=1,
        max_size=4,
    )
)
def test_mutated_real_deck(edits: list[tuple[int, int, str]]) -> None:
    text = BASE
    for at, cut, insert in edits:
        text = text[:at] + insert + text[at + cut :]
    try_load(text.encode("utf-8", "surrogatepass"))


@FUZZ
@given(st.dictionaries(st.sampled_from(KEYS), values, max_size=8))
def test_random_structures(data: dict) -> None:
    try:
        text = tomli_w.dumps(data)
    except (TypeError, ValueError):
        return  # not representable in TOML (None, nan...): nothing to load
    try_load(text.encode("utf-8", "surrogatepass"))


@FUZZ
@given(
    name=st.text(max_size=60),
    prompt=nasty_text,
    choices=st.lists(nasty_text, min_size=2, max_size=4),
    picks=st.lists(st.integers(0, 3), min_size=1, max_size=3),
)
def test_saves_always_load_back(
    name: str, prompt: str, choices: list[str], picks: list[int]
) -> None:
    try:
        player = check_name(name)
    except ValueError:
        return
    questions = [
        Question(
            id=f"f{k}/multiple-1",
            fact=f"f{k}",
            kind="multiple",
            prompt=prompt,
            choices=tuple(choices),
            answer=0,
            explanation=prompt,
            source=prompt,
            difficulty="easy",
        )
        for k in range(len(picks))
    ]
    game = Game(questions, player=player, deck_id="fuzz", deck_title=prompt, seed=1)
    for pick in picks:
        game.answer(pick % len(choices), 1.0)
    with tempfile.TemporaryDirectory() as folder:
        told: list[str] = []
        saves = SaveFolder(folder, notify=told.append)
        path = saves.save_finished(game)
        tomllib.loads(path.read_text(encoding="utf-8"))
        (record,) = list(saves.games())
        assert told == []
        # Saves come back exactly as they are shown: made display-safe where read.
        assert record.player == player and record.deck_title == clean(prompt)
        assert [a.chosen for a in record.answers] == [
            clean(choices[p % len(choices)]) for p in picks
        ]


# --- whole commands on hostile decks, saves and imports -------------------------------
#
# What a user sees: no traceback, no escape byte in any output, no file
# written outside the saves folder (or the one --out file), and every command
# ends within a bound.

CLI_FUZZ = settings(
    max_examples=max(5, EXAMPLES // 4),
    deadline=None,
    suppress_health_check=[HealthCheck.too_slow, HealthCheck.data_too_large],
)
UNSAFE = re.compile(
    "[\x00-\x08\x0b-\x1f\x7f-\x9f\u061c\u200e\u200f\u202a-\u202e\u2066-\u2069"
    "\u115f\u1160\u3164\U000e0000-\U000e007f]"
)
STRING_FIELDS = ["player", "deck", "deck_title", "started", "finished", "mode", "id", "status"]
ANSWER_FIELDS = ["question", "fact", "prompt", "chosen", "right", "choice", "seconds", "points"]
any_value = (
    nasty_text
    | st.integers(-(10**30), 10**30)
    | st.floats(allow_nan=True, allow_infinity=True)
    | st.booleans()
    | st.lists(nasty_text, max_size=3)
)


def run_cli(*args: str, stdin: str = "") -> tuple[int, str, str]:
    """Run `quiz ARGS` in this process within a time bound; return (code, stdout, stderr)."""
    import contextlib
    import io
    import signal
    import sys

    from quiz.cli.main import main

    def hung(*_: object) -> None:
        raise AssertionError(f"quiz {' '.join(args)[:80]} did not end within the bound")

    out, err = io.StringIO(), io.StringIO()
    old_stdin, old_alarm = sys.stdin, signal.signal(signal.SIGALRM, hung)
    sys.stdin = io.StringIO(stdin)
    signal.alarm(30)
    try:
        with contextlib.redirect_stdout(out), contextlib.redirect_stderr(err):
            try:
                code = main(list(args))
            except SystemExit as exc:
                code = int(exc.code or 0)
    finally:
        signal.alarm(0)
        signal.signal(signal.SIGALRM, old_alarm)
        sys.stdin = old_stdin
    text = out.getvalue() + err.getvalue()
    assert "Traceback" not in text
    bad = UNSAFE.search(text.replace("\r\n", "\n"))
    assert bad is None, f"{bad.group()!r} reached the output of quiz {args[0]}"
    return code, out.getvalue(), err.getvalue()


def files_under(root: Path) -> set[Path]:
    return {p for p in root.rglob("*")}


@CLI_FUZZ
@given(
    fields=st.dictionaries(
        st.sampled_from(STRING_FIELDS + ["score", "seed", "count"]), any_value, max_size=3
    ),
    answer=st.dictionaries(st.sampled_from(ANSWER_FIELDS), any_value, max_size=3),
    name=st.sampled_from(["20260101T000000Z-a.toml", "x\x1b]2;t\x07.toml", "current"]),
)
def test_hostile_saves_through_every_command(fields: dict, answer: dict, name: str) -> None:
    from quiz.saves.folder import game_record, player_slug

    deck = load_deck(MINI)
    game = Game(make_quiz(deck, 1, 3), player="Ann", deck_id=deck.id, deck_title=deck.title, seed=1)
    game.answer(0, 1.0)
    record = game_record(game, "finished")
    record.update(fields)
    record["answers"][0].update(answer)
    try:
        text = tomli_w.dumps(record)
    except (TypeError, ValueError):
        return
    with tempfile.TemporaryDirectory() as folder:
        root = Path(folder)
        saves = root / "saves"
        player = saves / player_slug("Ann")
        (player / "games").mkdir(parents=True)
        target = player / "current.toml" if name == "current" else player / "games" / name
        target.write_text(text, encoding="utf-8")
        outside = files_under(root) - files_under(saves)
        for args, stdin in (
            (("scores", "--saves", str(saves)), ""),
            (("scores", "--saves", str(saves), "--format", "json"), ""),
            (("report", "--saves", str(saves), "--format", "csv"), ""),
            (("report", "--saves", str(saves), "--format", "json"), ""),
            (
                (
                    "play",
                    "--plain",
                    "--deck",
                    str(MINI),
                    "--saves",
                    str(saves),
                    "--player",
                    "Ann",
                    "--resume",
                ),
                "1\n" * 12,
            ),
            (
                (
                    "play",
                    "--plain",
                    "--deck",
                    str(MINI),
                    "--saves",
                    str(saves),
                    "--player",
                    "Ann",
                    "--review",
                ),
                "1\n" * 12,
            ),
            (
                (
                    "play",
                    "--plain",
                    "--deck",
                    str(MINI),
                    "--saves",
                    str(saves),
                    "--player",
                    "Ann",
                    "--count",
                    "2",
                ),
                "1\n2\n",
            ),
        ):
            _, output, _ = run_cli(*args, stdin=stdin)
            if args[0] in ("report", "scores") and args[-1] == "json":
                json.loads(output, parse_constant=_no_constant)
        assert files_under(root) - files_under(saves) == outside


def _no_constant(name: str) -> None:
    raise AssertionError(f"{name} is not JSON")


csv_cell = nasty_text | st.sampled_from(
    ["'=1+1", "=cmd|' /C calc'!A0", "\ufeff", '"', "a,b", "x" * 5000]
)


@CLI_FUZZ
@given(
    rows=st.lists(st.lists(csv_cell, min_size=1, max_size=9), max_size=6),
    header=st.sampled_from(
        [
            "type,difficulty,question,correct_answer,incorrect_answer_1,incorrect_answer_2,incorrect_answer_3,explanation",
            "question,correct_answer",
            "\ufeffquestion,correct_answer,incorrect_answer_1,incorrect_answer_2,incorrect_answer_3",
            "nonsense",
        ]
    ),
    results=st.lists(
        st.dictionaries(
            st.sampled_from(
                [
                    "type",
                    "difficulty",
                    "question",
                    "correct_answer",
                    "incorrect_answers",
                    "category",
                ]
            ),
            any_value,
            max_size=6,
        ),
        max_size=4,
    ),
)
def test_hostile_imports_write_only_their_deck(rows: list, header: str, results: list) -> None:
    import csv
    import io

    sheet = io.StringIO()
    writer = csv.writer(sheet)
    for row in rows:
        writer.writerow(row)
    with tempfile.TemporaryDirectory() as folder:
        root = Path(folder)
        (root / "q.csv").write_text(
            header + "\n" + sheet.getvalue(), encoding="utf-8", errors="surrogatepass"
        )
        (root / "q.json").write_text(
            json.dumps({"response_code": 0, "results": results}), encoding="utf-8"
        )
        before = files_under(root)
        for kind, source in (("csv", "q.csv"), ("opentdb", "q.json")):
            out = root / f"{kind}-deck.toml"
            code, _, _ = run_cli("import", kind, str(root / source), "--out", str(out))
            if code == 0:
                load_deck(out)  # what import writes always loads
                run_cli("preview", "--deck", str(out), "--seed", "1")
                run_cli("export", str(out), "--format", "csv")
        assert files_under(root) - before <= {root / "csv-deck.toml", root / "opentdb-deck.toml"}


@CLI_FUZZ
@given(
    st.lists(
        st.tuples(st.integers(0, len(BASE)), st.integers(0, 60), nasty_text),
        min_size=1,
        max_size=3,
    )
)
def test_hostile_decks_through_every_command(edits: list[tuple[int, int, str]]) -> None:
    text = BASE
    for at, cut, insert in edits:
        text = text[:at] + insert + text[at + cut :]
    with tempfile.TemporaryDirectory() as folder:
        root = Path(folder)
        deck = root / "deck.toml"
        deck.write_text(text, encoding="utf-8", errors="surrogatepass")
        saves = root / "saves"
        before = files_under(root)
        run_cli("validate", str(deck))
        run_cli("validate", "--format", "github", str(deck))
        run_cli("preview", "--deck", str(deck), "--seed", "1", "--count", "3")
        run_cli("export", str(deck), "--format", "gift")
        run_cli(
            "play",
            "--plain",
            "--deck",
            str(deck),
            "--saves",
            str(saves),
            "--player",
            "Ann",
            "--count",
            "2",
            stdin="1\n2\n",
        )
        assert {
            p for p in files_under(root) - before if saves not in p.parents and p != saves
        } == set()


# --- the live room: its record, and frames a room sends to quiz join ---------------------


def _room_record_text() -> str:
    from quiz.room.state import Room

    deck = load_deck(FIXED)
    room = Room(
        make_quiz(deck, 7, 3, kinds=CHOICE_FORMS),
        code="123456",
        seed=7,
        deck_id=deck.id,
        deck_title="t",
        kinds=tuple(sorted(CHOICE_FORMS)),
    )
    ann, _ = room.join("Ann")
    room.join("Ben")
    room.start(0.0)
    room.answer(ann.token, 1, 1, 1.0)
    return json.dumps(room.record(), indent=1)


ROOM_RECORD = _room_record_text()


@FUZZ
@given(
    st.lists(
        st.tuples(st.integers(0, len(ROOM_RECORD)), st.integers(0, 40), nasty_text),
        min_size=1,
        max_size=4,
    )
)
def test_mutated_room_records_are_refused_cleanly_or_restored(
    edits: list[tuple[int, int, str]],
) -> None:
    """quiz host --resume reads rooms/*.json: only RecordError or RoomError, never another."""
    from quiz.room import record as rec
    from quiz.room.wire import RoomError

    text = ROOM_RECORD
    for at, cut, insert in edits:
        text = text[:at] + insert + text[at + cut :]
    with tempfile.TemporaryDirectory() as tmp:
        path = Path(tmp) / "room.json"
        path.write_bytes(text.encode("utf-8", "surrogatepass"))
        try:
            record = rec.read(path)
            rec.restore(
                record,
                make_quiz(load_deck(FIXED), record.seed, record.count, kinds=CHOICE_FORMS),
                "t",
            )
        except (rec.RecordError, RoomError, DeckError):
            pass


VALID_FRAMES: dict[str, dict] = {
    "welcome": {"type": "welcome", "name": "Ann", "token": "abc", "players": 1},
    "lobby": {"type": "lobby", "players": ["Ann"]},
    "question": {"type": "question", "question": 1, "count": 2, "prompt": "Q", "choices": ["a", "b"]},
    "answered": {"type": "answered", "question": 1},
    "reveal": {"type": "reveal", "question": 1, "answer": 0, "correct": True, "points": 1,
               "score": 1, "rank": 1, "players": 1},
    "leaderboard": {"type": "leaderboard", "top": [{"name": "Ann", "score": 1}]},
    "end": {"type": "end", "score": 1, "rank": 1, "correct": 1, "count": 1},
    "error": {"type": "error", "code": "not-open", "message": "m"},
}  # fmt: skip
hostile_text = st.lists(
    st.sampled_from(["\x1b", "]2;", "\x07", "\x9b", "\u202e", "a", "[b]", "<i>"]), max_size=8
).map(lambda parts: "\x1b" + "".join(parts))
frame_value = st.recursive(
    st.none() | st.booleans() | st.integers() | st.floats() | nasty_text,
    lambda inner: st.lists(inner, max_size=5) | st.dictionaries(nasty_text, inner, max_size=5),
    max_leaves=12,
)


def _fields_for(kind: str) -> st.SearchStrategy[tuple[str, dict]]:
    keys = [k for k in VALID_FRAMES[kind] if k != "type"] + ["explanation", "source", "top"]
    value = st.one_of(hostile_text, hostile_text, st.lists(hostile_text, max_size=3), frame_value)
    return st.dictionaries(st.sampled_from(keys), value, max_size=3).map(lambda f: (kind, f))


@FUZZ
@given(st.sampled_from(sorted(VALID_FRAMES)).flatmap(_fields_for))
def test_frames_from_a_room_are_dropped_or_display_safe(case: tuple[str, dict]) -> None:
    from quiz.room.protocol import read

    kind, fields = case
    try:
        text = json.dumps({**VALID_FRAMES[kind], **fields})
    except ValueError:
        return
    frame = read(text)
    if frame is not None:
        for shown in _strings_in(frame):
            assert clean(shown) == shown, shown  # every string is display-safe as read


def _strings_in(value: object) -> list[str]:
    if isinstance(value, str):
        return [value]
    if isinstance(value, dict):
        return [s for v in value.values() for s in _strings_in(v)]
    if isinstance(value, list):
        return [s for v in value for s in _strings_in(v)]
    return []
