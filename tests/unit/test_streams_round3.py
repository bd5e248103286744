"""Issue 22, class 6: closed standard streams, output encodings, and exact export/import round trips.

Closed means closed: `<&-` leaves fd 0 not open at all (not /dev/null), `>&-`
fd 1. The real file descriptors are closed in a few real processes (bash's
`<&-`); the sweep of every command runs in-process, with `sys.stdin` or
`sys.stdout` None as Python leaves them when their fd is closed at start-up.
"""

from __future__ import annotations

import html
import io
import os
import re
import shutil
import subprocess
import sys
from pathlib import Path
from typing import Any

import pytest
import tomli_w
from hypothesis import HealthCheck, assume, given, settings
from hypothesis import strategies as st

from quiz.authoring.interchange import (
    build,
    exported_questions,
    read_csv,
    read_opentdb,
    to_csv,
    to_gift,
    to_opentdb,
)
from quiz.deckfile.problems import DeckError, DeckSource
from quiz.deckfile.read import build_deck
from quiz.model import Deck
from quiz.text import find_control, fold, mark_flood
from tests.conftest import FIXED, ROOT

# --- a model of Moodle's GIFT import (question/format/gift/format.php) ----------------

_PLACEHOLDERS = {
    "\\:": ":",
    "\\#": "#",
    "\\=": "=",
    "\\{": "{",
    "\\}": "}",
    "\\~": "~",
    "\\n": "\n",
}
# Moodle's placeholders, in the order of the escapes above (question/format/gift/format.php).
_MOODLE_PLACEHOLDERS = ("&&058;", "&&035;", "&&061;", "&&123;", "&&125;", "&&126;", "&&010;")
_WEIGHT = re.compile(r"^%-*([0-9]{1,2})\.?([0-9]*)%")


def _pre(text: str) -> str:
    """escapedchar_pre: escapes become Moodle's own placeholders ("&&058;" for "\\:")
    before the text is split, and escapedchar_post turns them back."""
    text = text.replace("\\\\", "&&092;")
    for escaped, placeholder in zip(_PLACEHOLDERS, _MOODLE_PLACEHOLDERS, strict=True):
        text = text.replace(escaped, placeholder)
    return text.replace("&&092;", "\\")


def _post(text: str) -> str:
    for placeholder, char in zip(_MOODLE_PLACEHOLDERS, _PLACEHOLDERS.values(), strict=True):
        text = text.replace(placeholder, char)
    return text


def _php_trim(text: str) -> str:
    return text.strip(" \t\n\r\0\x0b")


def _with_format(text: str, default: str) -> tuple[str, str]:
    """parse_text_with_format: a leading [html] / [moodle] / [plain] / [markdown] marker."""
    fmt = default
    if text.startswith("["):
        end = text.find("]")
        if text[1:end] in ("html", "moodle", "plain", "markdown"):
            fmt, text = text[1:end], text[end + 1 :]
    return _php_trim(_post(text)), fmt


def _shown(text: str, fmt: str) -> str:
    """The text a Moodle student reads: HTML formats decode their entities."""
    return html.unescape(text) if fmt in ("html", "moodle") else text


def moodle_gift(gift: str) -> list[dict[str, Any]]:
    """The questions Moodle's GIFT import makes of ``gift``: multiple choice and true/false."""
    questions = []
    for block in re.split(r"\n[ \t]*\n", gift):
        lines = [" " if line.strip().startswith("//") else line for line in block.split("\n")]
        text = _php_trim("\n".join(lines))
        if not text:
            continue
        text = _pre(text)
        if text.startswith("::"):
            end = text.index("::", 2)
            text = _php_trim(text[end + 2 :])
        start, finish = text.index("{"), text.index("}")
        answers = _php_trim(text[start + 1 : finish])
        question, fmt = _with_format(text[:start] + text[finish + 1 :], "moodle")
        feedback = ""
        if "####" in answers:
            cut = answers.rindex("####")
            feedback, answers = answers[cut + 4 :], _php_trim(answers[:cut])
        feedback, feedback_fmt = _with_format(_php_trim(feedback), fmt)
        item: dict[str, Any] = {
            "question": _shown(question, fmt),
            "explanation": _shown(feedback, feedback_fmt),
        }
        if answers in ("T", "TRUE", "F", "FALSE"):
            item |= {"kind": "boolean", "right": "True" if answers[0] == "T" else "False"}
            item["wrong"] = frozenset()
        else:
            assert "~" in answers, answers  # only multiple choice holds a tilde
            right, wrong = [], []
            for answer in answers.replace("=", "~=").split("~"):
                answer = _php_trim(answer)
                if not answer:
                    continue
                weight = 0.0
                if answer[0] == "=":
                    weight, answer = 1.0, answer[1:]
                elif _WEIGHT.match(answer):
                    answer = answer[1:]
                    weight, answer = (
                        float(answer[: answer.index("%")]) / 100,
                        answer[answer.index("%") + 1 :],
                    )
                answer_text, answer_fmt = _with_format(_php_trim(answer.split("#", 1)[0]), fmt)
                (right if weight == 1 else wrong).append(_shown(answer_text, answer_fmt))
            assert len(right) == 1, answers
            item |= {"kind": "multiple", "right": right[0], "wrong": frozenset(wrong)}
        questions.append(item)
    return questions


# --- round trips: every text a deck can hold, back exactly ------------------------------

TRICKY = [
    "&lt;", "&amp;", "&#39;", "&quot;", "&#x41;", "&amp", "&copy", "&", "&&", "&#", "&;",
    '"', "'", ",", ";", "=", "+", "-", "@", "~", "#", "{", "}", ":", "::", "\\", "\\n", "\\\\",
    "%50%", "%", "[html]", "[", "]", "<b>", "</i>", "####", "->", "//", "=1+1", "é", "\u00a0",
    "\u2028", "  ", " ", "x", "Ann", "1", "?", "&&058;",
]  # fmt: skip
PROSE_ONLY = ["\n", "\t", "\n\n", "\r\n"]


def _one_line(text: str) -> bool:
    return (
        bool(text)
        and text == text.strip()
        and find_control(text, allow_newlines=False) is None
        and not mark_flood(text)
    )


def texts(limit: int, *, prose: bool = False) -> st.SearchStrategy[str]:
    pieces = st.one_of(
        st.sampled_from(TRICKY + (PROSE_ONLY if prose else [])),
        st.characters(codec="utf-8", exclude_categories=("Cc", "Cs")),
    )
    joined = st.lists(pieces, min_size=1, max_size=6).map("".join)
    if prose:
        # An explanation may hold line breaks and tabs, and start or end with spaces.
        return joined.map(lambda t: t.replace("\r", "")[:limit]).filter(
            lambda t: bool(t) and find_control(t, allow_newlines=True) is None
            and not mark_flood(t)
        )  # fmt: skip
    return joined.map(lambda t: t[:limit].strip()).filter(_one_line)


@st.composite
def decks(draw: st.DrawFn) -> Deck:
    right = draw(texts(60))
    wrong = draw(st.lists(texts(60), min_size=3, max_size=4, unique_by=fold))
    assume(fold(right) not in {fold(w) for w in wrong})
    question, claim_like = draw(texts(200)), draw(texts(200))
    assume(fold(question) != fold(claim_like))
    facts = [
        {
            "id": "rt-text",
            "statement": "A statement.",
            "answer": {"kind": "text", "value": right},
            "questions": [question],
            "wrong": wrong,
            "explanation": draw(texts(400, prose=True)),
            "source": "s",
            "difficulty": draw(st.sampled_from(["easy", "medium", "hard"])),
        },
        {
            "id": "rt-bool",
            "statement": "Another statement.",
            "answer": {"kind": "boolean", "value": draw(st.booleans())},
            "questions": [claim_like],
            "explanation": draw(texts(400, prose=True)),
            "source": "s",
        },
    ]
    data = {
        "id": "rt",
        "title": "Round trip",
        "subject": draw(texts(60)),
        "description": "Texts that must come back exactly.",
        "sources": [{"id": "s", "title": "Source"}],
        "facts": facts,
    }
    try:
        return build_deck(data, DeckSource.single(tomli_w.dumps(data), "rt.toml"))
    except DeckError:
        assume(False)
        raise


def _exported(deck: Deck) -> list[dict[str, Any]]:
    return [
        {
            "kind": q.kind,
            "question": q.question,
            "right": q.right,
            "wrong": frozenset(q.wrong),
            "explanation": q.explanation,
        }
        for q in exported_questions(deck)
    ]


def _imported(items: list[Any]) -> list[dict[str, Any]]:
    """What `quiz import` makes of the rows: the deck's texts, and that the deck is valid."""
    got = build(items, "back", "Back", {"id": "imported", "title": "Imported"})
    assert got.notes == []  # nothing skipped
    deck = build_deck(got.data, DeckSource.single(tomli_w.dumps(got.data), "back.toml"))
    out = []
    for fact in deck.facts:
        boolean = fact.answer.kind == "boolean"
        out.append(
            {
                "kind": "boolean" if boolean else "multiple",
                "question": fact.questions[0],
                "right": str(fact.answer.value) if boolean else fact.answer.value,
                "wrong": frozenset(fact.wrong),
                "explanation": fact.explanation,
            }
        )
    return out


@settings(max_examples=60, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(deck=decks())
def test_every_export_imports_back_to_exactly_the_same_texts(deck: Deck) -> None:
    expected = _exported(deck)
    assume(expected)
    # CSV and Open Trivia DB JSON: through quiz's own import.
    assert _imported(read_csv(to_csv(deck))) == expected
    assert _imported(read_opentdb(to_opentdb(deck))) == expected
    # GIFT: through Moodle's import, the text its students read.
    assert moodle_gift(to_gift(deck)) == expected


def test_entities_in_a_deck_come_back_from_csv_as_written(cli, tmp_path: Path) -> None:  # type: ignore[no-untyped-def]
    """The issue's example, as a user meets it: `&lt;` in a deck, exported and imported."""
    deck = tmp_path / "deck.toml"
    text = FIXED.read_text(encoding="utf-8").replace(
        'explanation = "', 'explanation = "In HTML, &lt; is written &amp;lt; (AT&T). ', 1
    )
    deck.write_text(text, encoding="utf-8")
    sheet, back = tmp_path / "deck.csv", tmp_path / "back.toml"
    assert cli("export", str(deck), "--format", "csv", "--out", str(sheet)).code == 0
    assert "AT&T" in sheet.read_text(encoding="utf-8")  # a lone & stays readable
    result = cli("import", "csv", str(sheet), "--out", str(back))
    assert result.code == 0, result.err
    assert "In HTML, &lt; is written &amp;lt; (AT&T). " in back.read_text(encoding="utf-8")


def test_gift_text_is_never_markup_in_moodle() -> None:
    data = {
        "id": "m",
        "title": "M",
        "subject": "S",
        "description": "D",
        "sources": [{"id": "s", "title": "S"}],
        "facts": [
            {
                "id": "m-1",
                "statement": "S.",
                "answer": {"kind": "boolean", "value": True},
                "questions": ['<img src=x onerror="alert(1)"> is text'],
                "explanation": "[html] <b>not bold</b>",
                "source": "s",
            }
        ],
    }
    deck = build_deck(data, DeckSource.single(tomli_w.dumps(data), "m.toml"))
    gift = to_gift(deck)
    assert "<img" not in gift and "<b>" not in gift
    assert moodle_gift(gift)[0]["question"] == '<img src=x onerror="alert(1)"> is text'


# --- closed streams: every command, in-process ----------------------------------------


@pytest.fixture
def place(tmp_path: Path) -> dict[str, str]:
    deck = tmp_path / "deck.toml"
    shutil.copy(FIXED, deck)
    sheet = tmp_path / "in.csv"
    sheet.write_text(
        "type,question,correct_answer,incorrect_answer_1,incorrect_answer_2,incorrect_answer_3\n"
        "multiple,Which colour is the sky on a clear day?,Blue,Green,Red,Yellow\n",
        encoding="utf-8",
    )
    return {
        "deck": str(deck),
        "saves": str(tmp_path / "saves"),
        "sheet": str(sheet),
        "out": str(tmp_path / "out.toml"),
    }


# Every command `quiz --help` lists but the servers (serve, host, join), with its
# arguments, and whether it reads stdin.
SWEEP = {
    "play --plain": (["play", "--plain", "--player", "Ann", "--deck", "{deck}", "--count", "2", "--saves", "{saves}"], True),
    "play": (["play", "--player", "Ann", "--deck", "{deck}", "--count", "2", "--saves", "{saves}"], True),
    "add-fact": (["add-fact", "{deck}"], True),
    "preview": (["preview", "--deck", "{deck}", "--count", "2", "--seed", "1"], False),
    "preview json": (["preview", "--deck", "{deck}", "--count", "2", "--seed", "1", "--format", "json"], False),
    "scores": (["scores", "--saves", "{saves}"], False),
    "report": (["report", "--saves", "{saves}", "--format", "csv"], False),
    "import": (["import", "csv", "{sheet}", "--out", "{out}"], False),
    "export": (["export", "{deck}", "--format", "gift"], False),
    "validate": (["validate", "{deck}"], False),
    "schema": (["schema"], False),
    "audit": (["audit", "{deck}", "--games", "2", "--format", "json"], False),
    "stats": (["stats", "--saves", "{saves}"], False),
    "--help": (["--help"], False),
}  # fmt: skip


def _quiz(
    args: list[str],
    capsys: pytest.CaptureFixture[str],
    monkeypatch: pytest.MonkeyPatch,
    *,
    closed: str,
    stdin: str = "",
) -> tuple[int, str, str]:
    """`quiz ARGS` in this process with ``closed`` ("stdin" or "stdout") as Python leaves a closed fd."""
    from quiz.cli.main import main

    capsys.readouterr()
    monkeypatch.setattr(sys, "stdin", io.StringIO(stdin))
    monkeypatch.setattr(sys, closed, None)
    try:
        code = main(args)
    except SystemExit as exc:
        code = exc.code if isinstance(exc.code, int) else 0
    out, err = capsys.readouterr()
    return code, out, err


@pytest.mark.parametrize("name", list(SWEEP))
def test_closed_stdout_is_said_once_with_exit_1_for_every_command(
    name: str,
    place: dict[str, str],
    capsys,
    monkeypatch,  # type: ignore[no-untyped-def]
) -> None:
    args, _ = SWEEP[name]
    code, _, err = _quiz([a.format(**place) for a in args], capsys, monkeypatch, closed="stdout")
    assert "Traceback" not in err
    assert err.count("quiz: standard output is closed; nothing can be written to it") == 1
    assert code == 1
    if name.startswith("play"):
        assert "The game is saved. Resume it with: quiz play --player Ann --resume" in err


@pytest.mark.parametrize("name", list(SWEEP))
def test_closed_stdin_ends_input_for_commands_that_read_it_and_no_other(
    name: str,
    place: dict[str, str],
    capsys,
    monkeypatch,  # type: ignore[no-untyped-def]
) -> None:
    args, reads = SWEEP[name]
    code, out, err = _quiz([a.format(**place) for a in args], capsys, monkeypatch, closed="stdin")
    assert "Traceback" not in err
    said = "quiz: standard input is closed; reading it as the end of input"
    if not reads:
        assert said not in err
        assert code == (1 if name == "audit" else 0), err  # audit fails the fixed deck's cues
        return
    assert err.count(said) == 1 and code == 1
    if name.startswith("play"):
        assert "Input ended after 0 of 2 questions" in out
        assert "The game is saved. Resume it with:" in out
    else:
        assert "Stopped: nothing was written." in out


# --- closed streams and encodings: real processes ------------------------------------


def _bash(script: str, *args: str, stdin: bytes = b"", env: dict[str, str] | None = None):  # type: ignore[no-untyped-def]
    """Run ``script`` in bash with "$@" = python -m quiz ARGS: the shell closes the fds."""
    done = subprocess.run(
        ["bash", "-c", script, "bash", sys.executable, "-m", "quiz", *args],
        input=stdin,
        capture_output=True,
        env={**os.environ, "NO_COLOR": "1", **(env or {})},
        cwd=ROOT,
        timeout=60,
    )
    return subprocess.CompletedProcess(
        done.args, done.returncode, done.stdout.decode(), done.stderr.decode()
    )


def _unfinished(saves: str, player: str):  # type: ignore[no-untyped-def]
    from quiz.saves.folder import SaveFolder
    from quiz.session import unfinished_game

    return unfinished_game(SaveFolder(saves), player)


def test_plain_play_with_stdin_closed_saves_the_game_and_says_why(place: dict[str, str]) -> None:
    args = ["play", "--plain", "--player", "Ann", "--deck", place["deck"], "--count", "2"]
    done = _bash('exec "$@" <&-', *args, "--saves", place["saves"])
    assert "Traceback" not in done.stderr
    assert "quiz: standard input is closed; reading it as the end of input" in done.stderr
    assert "The game is saved." in done.stdout and done.returncode == 1
    assert _unfinished(place["saves"], "Ann") is not None


def test_plain_play_with_stdout_closed_saves_each_answer_and_the_game(
    place: dict[str, str],
) -> None:
    args = ["play", "--plain", "--player", "Bo", "--deck", place["deck"], "--count", "2"]
    done = _bash('exec "$@" >&-', *args, "--saves", place["saves"], stdin=b"1\n")
    assert "Traceback" not in done.stderr
    assert "quiz: standard output is closed; nothing can be written to it" in done.stderr
    assert "quiz: Output closed after 0 of 2 questions" in done.stderr
    assert done.returncode == 1
    # The save is a good game file: nothing meant for stdout landed in it.
    assert _unfinished(place["saves"], "Bo") is not None


def test_export_and_add_fact_with_a_closed_stream_end_cleanly(place: dict[str, str]) -> None:
    before = Path(place["deck"]).read_text(encoding="utf-8")
    done = _bash(
        '"$@" export "$DECK" --format csv >&-; echo "export=$?" >&2; "$@" add-fact "$DECK" <&-',
        env={"DECK": place["deck"]},
    )
    lines = done.stderr.splitlines()
    assert "Traceback" not in done.stderr
    assert "quiz: standard output is closed; nothing can be written to it" in lines
    assert "export=1" in lines
    assert "quiz: standard input is closed; reading it as the end of input" in lines
    assert done.stdout.rstrip().endswith("Stopped: nothing was written.") and done.returncode == 1
    assert Path(place["deck"]).read_text(encoding="utf-8") == before


def test_an_ascii_output_plays_to_the_end_and_data_is_refused_not_mangled(
    place: dict[str, str],
) -> None:
    play = "play --plain --player Cy --count 2 --kinds multiple,boolean,timeline"
    done = _bash(
        f'"$@" {play} --deck "$DECK" --saves "$SAVES"; echo "play=$?"; '
        '"$@" export "$DECK" --format csv',
        stdin=b"caf\xe9\n1\n1\n",  # a Latin-1 line first: a wrong answer, never a traceback
        env={"PYTHONIOENCODING": "ascii", "DECK": place["deck"], "SAVES": place["saves"]},
    )
    assert "Traceback" not in done.stderr
    assert "Output closed" not in done.stderr
    assert "Please answer" in done.stdout
    assert "2 questions" in done.stdout and "Score:" in done.stdout and "play=0" in done.stdout
    assert "quiz: standard output's encoding, ascii, cannot write" in done.stderr
    assert "(set PYTHONIOENCODING=utf-8 to see them)" in done.stderr
    assert done.stdout.isascii()
    # export's CSV is data: never a '?' for a letter, a clear line and exit 1 instead.
    assert (
        "so nothing was written; set PYTHONIOENCODING=utf-8, or write a file with --out FILE"
        in (done.stderr)
    )
    assert done.returncode == 1 and "type,difficulty" not in done.stdout


def test_add_fact_asks_again_for_a_line_its_encoding_cannot_read(cli, tmp_path: Path) -> None:  # type: ignore[no-untyped-def]
    deck = tmp_path / "deck.toml"
    shutil.copy(FIXED, deck)
    # "caf\xe9" from a Latin-1 terminal, as stdin's surrogateescape hands it over.
    result = cli("add-fact", str(deck), stdin="caf\udce9\n")
    assert (
        "is not" in result.out
        and "text (the terminal sent other bytes); type it again" in result.out
    )
    assert "Traceback" not in result.err and result.code == 1


def test_serve_with_stdout_closed_says_so_not_a_port_problem(  # type: ignore[no-untyped-def]
    place: dict[str, str], capsys, monkeypatch
) -> None:
    import socket

    with socket.socket() as probe:  # a free port on loopback
        probe.bind(("127.0.0.1", 0))
        port = str(probe.getsockname()[1])
    args = ["serve", "--port", port, "--saves", place["saves"], "--deck", place["deck"]]
    code, _, err = _quiz(args, capsys, monkeypatch, closed="stdout")
    assert err.count("quiz: standard output is closed; nothing can be written to it") == 1
    assert "cannot listen" not in err and "Traceback" not in err and code == 1
