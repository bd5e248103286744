"""Aiken in and out: Moodle's own reading rules, exact round trips, and what cannot be written."""

from __future__ import annotations

from pathlib import Path

import tomli_w
from hypothesis import HealthCheck, given, settings

from quiz.authoring.aiken import read_aiken, to_aiken
from quiz.authoring.exporting import export_for
from quiz.authoring.interchange import build
from quiz.deckfile.problems import DeckSource
from quiz.deckfile.read import build_deck
from quiz.model import Deck
from tests.conftest import Cli
from tests.unit.test_streams_round3 import decks


def _back(text: str) -> list[tuple[str, str, frozenset[str]]]:
    got = build(read_aiken(text, 100), "back", "Back", {"id": "aiken", "title": "Imported"})
    if not got.data["facts"]:
        return []
    deck = build_deck(got.data, DeckSource.single(tomli_w.dumps(got.data), "back.toml"))
    return [(f.questions[0], str(f.answer.value), frozenset(f.wrong)) for f in deck.facts]


@settings(max_examples=20, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(deck=decks())
def test_every_aiken_text_comes_back_exactly_or_a_note_says_it_was_left_out(deck: Deck) -> None:
    export = export_for(deck, None, "aiken")
    text = to_aiken(deck, export=export)
    expected = [(q.question, q.right, frozenset(q.wrong)) for q in export.questions]
    back = _back(text) if text else []
    left = [d for d in export.details if "left out" in d]
    assert len(back) + len(left) == len(expected)
    assert set(back) <= set(expected)
    if back:
        assert "explanation" in export.summary("aiken")  # Aiken has no field for them


def test_aiken_import_reads_moodles_layout_and_locates_what_it_skips(
    cli: Cli, tmp_path: Path
) -> None:
    source = tmp_path / "quiz.txt"
    source.write_text(
        "What is the capital of France?\n"
        "A) Paris\nB) London\nC) Rome\nD) Berlin\nANSWER: A\n\n"
        "Which is a fish?\nA. Trout\nB. Crow\nC. Bat\nD. Frog\nANSWER: F\n\n"
        "Which number is odd?\nA. 2\nB. 4\nC. 7\nD. 8\n\n"
        "Which planet is red?\nA. Venus\nB. Mars\nC. Earth\nD. Saturn\nANSWER: B\n",
        encoding="utf-8",
    )
    out = tmp_path / "quiz.toml"
    result = cli("import", "aiken", str(source), "--out", str(out))
    assert result.code == 0, result.err
    assert "quiz.txt: line 8: skipped: its ANSWER: 'F' names none of its 4 choices" in result.err
    assert "quiz.txt: line 15: skipped: it has no ANSWER: line" in result.err
    assert "2 questions, 2 skipped" in result.out


def test_a_text_aiken_cannot_hold_is_left_out_with_a_note(cli: Cli, tmp_path: Path) -> None:
    from tests.unit.test_interchange import SYNONYM_TWINS

    data = {**SYNONYM_TWINS}
    fact = {**data["facts"][0], "questions": ["A. is this a choice or a question?"]}
    data["facts"] = [fact, {**data["facts"][0], "id": "other"}]
    deck = tmp_path / "d.toml"
    deck.write_text(tomli_w.dumps(data), encoding="utf-8")
    result = cli("export", str(deck), "--format", "aiken")
    assert result.code == 0, result.err
    assert "A. is this" not in result.out and result.out.count("ANSWER:") == 1
    assert "[kansas-top-five] left out: Aiken cannot hold" in result.err
    assert "1 question left out: Aiken cannot hold" in result.err.splitlines()[-1]
