"""Kahoot's .xlsx template in and out: the template's layout, limits, formulas and hostile workbooks."""

from __future__ import annotations

import io
import re
import zipfile
from pathlib import Path
from typing import Any

import pytest
import tomli_w
from hypothesis import HealthCheck, given, settings

from quiz.deckfile.problems import DeckSource
from quiz.deckfile.read import build_deck, load_deck
from quiz.model import Deck
from quiz.questions.question import FALSE, TRUE
from tests.conftest import Cli
from tests.unit.test_interchange import SYNONYM_TWINS
from tests.unit.test_streams_round3 import decks

HEADER = (
    "Question - max 120 characters",
    "Answer 1 - max 75 characters",
    "Answer 2 - max 75 characters",
    "Answer 3 - max 75 characters",
    "Answer 4 - max 75 characters",
    "Time limit (sec) – 5, 10, 20, 30, 60, 90, 120, or 240 secs",
    "Correct answer(s) - choose at least one",
)


def template(path: Path, rows: list[tuple[Any, ...]]) -> Path:
    """A workbook laid out as Kahoot's: instruction rows, the header, numbered question rows."""
    from openpyxl import Workbook

    book = Workbook()
    sheet: Any = book.active
    sheet["B1"] = "Quiz template"
    sheet["B2"] = "Add questions, at least two answer alternatives, time limit and correct answers"
    sheet["B4"] = "See an example question below"
    sheet.append([])
    sheet.append(["", *(h.upper() if k == 0 else h for k, h in enumerate(HEADER))])
    for number, row in enumerate(rows, 1):
        sheet.append([number, *row])
    sheet.append([len(rows) + 1])  # the template's numbered rows never filled in
    for line in sheet.iter_rows():
        for cell in line:
            if isinstance(cell.value, str):
                cell.data_type = "s"  # typed as text, as Excel keeps '=... typed after a '
    book.save(path)
    return path


def test_a_kahoot_template_imports_with_notes_at_its_sheet_rows(cli: Cli, tmp_path: Path) -> None:
    sheet = template(
        tmp_path / "class.xlsx",
        [
            ("What is 2 + 2?", "3", "4", "5", "22", 20, 2),
            ("The sun is a star.", "True", "False", None, None, 10, 1),
            ("Which are even?", "2", "3", "4", "5", 30, "1,3"),
            ("Which colour is the sky?", "Green", "Blue", "Red", "Yellow", 20, "9"),
            ('=HYPERLINK("x") is what?', "A & B", "<b>", "@c", "+d", 20, 1.0),
        ],
    )
    out = tmp_path / "class.toml"
    result = cli("import", "kahoot", str(sheet), "--out", str(out))
    assert result.code == 0, result.err
    assert "class.xlsx: sheet 'Sheet' row 9: skipped: several correct answers (1,3)" in result.err
    assert "class.xlsx: sheet 'Sheet' row 10: skipped: its correct answer '9'" in result.err
    facts = load_deck(out).facts
    assert [(f.questions[0], f.answer.value) for f in facts] == [
        ("What is 2 + 2?", "4"),
        ("The sun is a star.", True),
        ('=HYPERLINK("x") is what?', "A & B"),
    ]
    assert facts[2].wrong == ("<b>", "@c", "+d")  # every text as it was typed


def _sheet_xml(path: Path) -> str:
    with zipfile.ZipFile(path) as z:
        return z.read("xl/worksheets/sheet1.xml").decode("utf-8")


def test_export_keeps_kahoots_limits_and_writes_formulas_as_text(cli: Cli, tmp_path: Path) -> None:
    data = {**SYNONYM_TWINS}
    base = data["facts"][0]
    data["facts"] = [
        {**base, "id": "formula", "questions": ["=1+1 or +A1 or @SUM(A1) is what?"],
         "wrong": ["=2", "-3", "@x"]},
        {**base, "id": "too-long", "questions": ["Why " + "very " * 30 + "long?"]},
    ]  # fmt: skip
    deck = tmp_path / "d.toml"
    deck.write_text(tomli_w.dumps(data), encoding="utf-8")
    refused = cli("export", str(deck), "--format", "kahoot")
    assert refused.code == 1 and "add --out FILE.xlsx" in refused.err
    out = tmp_path / "d.xlsx"
    result = cli("export", str(deck), "--format", "kahoot", "--out", str(out))
    assert result.code == 0, result.err
    assert "[too-long] left out: Kahoot holds 120 characters a question" in result.err
    summary = [line for line in result.err.splitlines() if line.startswith("quiz: 1 question;")]
    assert summary and "1 explanation dropped: Kahoot's sheet has no field for them" in summary[0]
    # As a spreadsheet reads the file: text cells, and no formula anywhere.
    xml = _sheet_xml(out)
    assert "<f>" not in xml and "<f " not in xml
    assert re.search(r't="(inlineStr|s)"><is><t>=1\+1 or', xml)
    # And back: the same question and answers.
    back = tmp_path / "back.toml"
    assert cli("import", "kahoot", str(out), "--out", str(back)).code == 0
    fact = load_deck(back).facts[0]
    assert fact.questions[0] == "=1+1 or +A1 or @SUM(A1) is what?"
    assert fact.answer.value == "A top-five finish" and set(fact.wrong) == {"=2", "-3", "@x"}


def _zip(path: Path, parts: dict[str, bytes], *, stored: bool = False) -> Path:
    method = zipfile.ZIP_STORED if stored else zipfile.ZIP_DEFLATED
    with zipfile.ZipFile(path, "w", method) as z:
        for name, body in parts.items():
            z.writestr(name, body)
    return path


def _with_part(good: Path, name: str, body: bytes) -> bytes:
    out = io.BytesIO()
    with zipfile.ZipFile(good) as src, zipfile.ZipFile(out, "w", zipfile.ZIP_DEFLATED) as dst:
        for item in src.infolist():
            dst.writestr(item.filename, body if item.filename == name else src.read(item))
        if name not in src.namelist():
            dst.writestr(name, body)
    return out.getvalue()


@pytest.mark.parametrize(
    "attack", ["bomb", "entries", "huge-sheet", "strings", "doctype", "not-zip"]
)
def test_hostile_workbooks_are_refused_before_openpyxl_reads_them(
    cli: Cli, tmp_path: Path, attack: str
) -> None:
    good = template(tmp_path / "good.xlsx", [("What is 2 + 2?", "3", "4", "5", "22", 20, 2)])
    path = tmp_path / f"{attack}.xlsx"
    if attack == "bomb":  # 200 MB of zeros in a few hundred KB
        path.write_bytes(_with_part(good, "xl/media/zeros.bin", b"\0" * 200_000_000))
        expected = "this workbook unzips to"
    elif attack == "entries":
        _zip(path, {f"x/{k}.txt": b"" for k in range(1_500)}, stored=True)
        expected = "zip entries"
    elif attack == "huge-sheet":
        xml = re.sub(r'<dimension ref="[^"]*"', '<dimension ref="A1:H1048576"', _sheet_xml(good))
        path.write_bytes(_with_part(good, "xl/worksheets/sheet1.xml", xml.encode()))
        expected = "sheet 'Sheet' declares 1,048,576 rows"
    elif attack == "strings":
        sst = b'<sst xmlns="x">' + b"<si><t>a</t></si>" * 200_000 + b"</sst>"
        path.write_bytes(_with_part(good, "xl/sharedStrings.xml", sst))
        expected = "200,000 shared strings"
    elif attack == "doctype":
        laughs = b'<?xml version="1.0"?><!DOCTYPE x [<!ENTITY a "aaaa">]><x>&a;</x>'
        path.write_bytes(_with_part(good, "xl/workbook.xml", laughs))
        expected = "xl/workbook.xml: this part declares a document type"
    else:
        path.write_bytes(b"Question,Answer 1\n")
        expected = "not an .xlsx workbook"
    result = cli("import", "kahoot", str(path), "--out", str(tmp_path / "o.toml"))
    assert result.code == 1 and expected in result.err, result.err
    assert "Traceback" not in result.err and not (tmp_path / "o.toml").exists()


def test_a_kahoot_quiz_goes_round_trip_without_explanations_counted_as_lost(
    cli: Cli, tmp_path: Path
) -> None:
    # Kahoot's sheet has no explanations: the imported deck's stand-in is not one, so
    # exporting it back loses nothing of the teacher's, and Moodle gets no feedback text.
    sheet = template(tmp_path / "class.xlsx", [("What is 2 + 2?", "3", "4", "5", "22", 20, 2)])
    deck = tmp_path / "class.toml"
    assert cli("import", "kahoot", str(sheet), "--out", str(deck)).code == 0
    back = cli("export", str(deck), "--format", "kahoot", "--out", str(tmp_path / "back.xlsx"))
    assert back.code == 0, back.err
    summary = [line for line in back.err.splitlines() if line.startswith("quiz: 1 question")]
    assert summary and "explanation" not in summary[0], back.err
    moodle = cli("export", str(deck), "--format", "moodle-xml")
    assert moodle.code == 0 and "No explanation was given" not in moodle.out


@settings(max_examples=20, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(deck=decks())
def test_every_kahoot_text_comes_back_exactly_or_a_note_says_it_was_left_out(deck: Deck) -> None:
    from quiz.authoring.exporting import export_for
    from quiz.authoring.interchange import build
    from quiz.authoring.kahoot import read_kahoot, to_kahoot

    export = export_for(deck, None, "kahoot")
    workbook = to_kahoot(deck, export=export)
    left_out = {line.split("]")[0].lstrip("[") for line in export.details}
    kept = [q for q in export.questions if q.fact not in left_out]
    # Only what Kahoot cannot hold is left out: 120 characters a question, 75 an answer.
    for q in export.questions:
        longest = max(len(a) for a in (q.right, *q.wrong))
        assert (q.fact in left_out) == (len(q.question) > 120 or longest > 75), q
    got = build(read_kahoot(workbook, 100), "b", "B", {"id": "k", "title": "K"})
    assert got.notes == []
    back = build_deck(got.data, DeckSource.single(tomli_w.dumps(got.data), "b.toml"))
    texts = [(f.questions[0], str(f.answer.value), frozenset(f.wrong), f.form) for f in back.facts]
    assert texts == [
        (
            q.question,
            {TRUE: "True", FALSE: "False"}.get(q.right, q.right)
            if q.kind == "boolean"
            else q.right,
            frozenset(q.wrong if q.kind != "boolean" else ()),
            "multiple" if q.kind != "boolean" else None,
        )
        for q in kept
    ]
