"""Moodle XML in and out: exact round trips, others' files, and hostile XML refused at once."""

from __future__ import annotations

import time
from pathlib import Path

import tomli_w
from hypothesis import HealthCheck, given, settings

from quiz.authoring.exporting import export_for
from quiz.authoring.interchange import build
from quiz.authoring.moodle import read_moodle, to_moodle
from quiz.deckfile.problems import DeckSource
from quiz.deckfile.read import build_deck, load_deck
from quiz.model import Deck
from tests.conftest import BUNDLED, Cli
from tests.unit.test_streams_round3 import decks


def _texts(deck: Deck) -> list[tuple[str, str, frozenset[str], str]]:
    return [
        (f.questions[0], str(f.answer.value), frozenset(f.wrong), f.explanation) for f in deck.facts
    ]


@settings(max_examples=20, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(deck=decks())
def test_every_moodle_xml_text_comes_back_exactly(deck: Deck) -> None:
    export = export_for(deck, None, "moodle-xml")
    xml = to_moodle(deck, export=export)
    got = build(read_moodle(xml.encode("utf-8"), 100), "b", "B", {"id": "m", "title": "M"})
    assert got.notes == []
    back = build_deck(got.data, DeckSource.single(tomli_w.dumps(got.data), "b.toml"))
    expected = [
        (q.question, q.right, frozenset(q.wrong), q.explanation, q.difficulty)
        for q in export.questions
    ]
    assert [(*t, f.difficulty) for t, f in zip(_texts(back), back.facts, strict=True)] == expected
    assert export.summary("moodle-xml").endswith("nothing lost")


def test_every_form_moodle_has_goes_out_and_back(cli: Cli, tmp_path: Path) -> None:
    out, back = tmp_path / "m.xml", tmp_path / "m.toml"
    kinds = "typed,estimate,multiple,boolean"
    result = cli(
        "export", str(BUNDLED), "--format", "moodle-xml", "--kinds", kinds, "--out", str(out)
    )
    assert result.code == 0, result.err
    xml = out.read_text(encoding="utf-8")
    assert all(f'type="{t}"' in xml for t in ("shortanswer", "numerical", "multichoice"))
    assert cli("import", "moodle-xml", str(out), "--out", str(back)).code == 0
    original = export_for(load_deck(BUNDLED), kinds.split(","), "moodle-xml").questions
    facts = load_deck(back).facts
    assert [(f.questions[0], f.accept) for f in facts] == [(q.question, q.accept) for q in original]
    numeric = [(f.answer.value, f.answer.tolerance) for f in facts if f.answer.kind == "integer"]  # type: ignore[union-attr]
    assert numeric == [(int(q.right), q.tolerance) for q in original if q.kind == "estimate"]


def test_moodle_markup_is_text_on_the_way_out_and_html_is_read_as_text(
    cli: Cli, tmp_path: Path
) -> None:
    source = tmp_path / "others.xml"
    source.write_text(
        '<?xml version="1.0"?>\n<quiz>\n'
        '<question type="category"><category><text>$course$/x</text></category></question>\n'
        '<question type="multichoice">\n'
        '  <questiontext format="html"><text><![CDATA[<p>Which is <b>red</b> &amp; round?</p>]]></text></questiontext>\n'
        '  <answer fraction="100"><text>Apple</text></answer>\n'
        '  <answer fraction="0"><text>Banana</text></answer>\n'
        '  <answer fraction="0"><text>Plum &amp;lt;b&amp;gt;</text></answer>\n'
        '  <answer fraction="0"><text>Pear</text></answer>\n'
        "</question>\n"
        '<question type="matching"><questiontext><text>Match</text></questiontext></question>\n'
        '<question type="multichoice"><questiontext><text>Half?</text></questiontext>\n'
        '  <answer fraction="50"><text>a</text></answer><answer fraction="50"><text>b</text></answer>\n'
        "</question>\n</quiz>\n",
        encoding="utf-8",
    )
    out = tmp_path / "o.toml"
    result = cli("import", "moodle-xml", str(source), "--out", str(out))
    assert result.code == 0, result.err
    assert "others.xml: line 11: skipped: a matching question cannot be a fact" in result.err
    assert (
        "others.xml: line 12: skipped: a multiple-choice question needs one right answer"
        in result.err
    )
    fact = load_deck(out).facts[0]
    assert fact.questions[0] == "Which is red & round?"
    # HTML's entities are characters, never tags; its tags are taken out.
    assert "Plum <b>" in fact.wrong
    # And out again: markup in a deck is plain text in Moodle, XML-escaped.
    xml = cli("export", str(out), "--format", "moodle-xml").out
    assert "<text>Plum &lt;b&gt;</text>" in xml and 'format="plain_text"' in xml


def test_billion_laughs_external_entities_and_floods_are_refused_quickly(
    cli: Cli, tmp_path: Path
) -> None:
    laughs = "".join(f'<!ENTITY l{k} "{f"&l{k - 1};" * 10}">' for k in range(1, 10))
    hostile = {
        "laughs": f'<?xml version="1.0"?>\n<!DOCTYPE q [<!ENTITY l0 "lol">{laughs}]>\n<quiz>&l9;</quiz>',
        "xxe": '<?xml version="1.0"?>\n\n<!DOCTYPE q [<!ENTITY x SYSTEM "file:///etc/passwd">]>\n<quiz>&x;</quiz>',
        "flood": "<quiz>" + "<a/>" * 500_000 + "</quiz>",
        "broken": "<quiz>\n<question>\n</quiz>",
    }
    expected = {
        "laughs": "line 2: this XML declares a document type",
        "xxe": "line 3: this XML declares a document type",
        "flood": "XML elements; a deck's questions need far fewer",
        "broken": "line 3, column 3: this is not well-formed XML (mismatched tag)",
    }
    for name, text in hostile.items():
        path = tmp_path / f"{name}.xml"
        path.write_text(text, encoding="utf-8")
        started = time.monotonic()
        result = cli("import", "moodle-xml", str(path), "--out", str(tmp_path / f"{name}.toml"))
        assert time.monotonic() - started < 10, name  # a bound, not a speed figure
        assert result.code == 1 and expected[name] in result.err, (name, result.err)
        assert "Traceback" not in result.err and not (tmp_path / f"{name}.toml").exists()
