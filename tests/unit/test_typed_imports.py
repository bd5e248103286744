"""A typed question imported from another tool: its author's wrong answers are never
taken, part marks and wildcards are not guessed at, and an answer must be typeable."""

from __future__ import annotations

from pathlib import Path

from quiz.deckfile.read import load_deck
from quiz.game.judge import typed_verdict
from quiz.questions.generate import Generator
from tests.conftest import Cli


def typed(deck: Path) -> dict[str, object]:
    generator = Generator(load_deck(deck), 1)
    return {q.answer_text: q for q in generator.all_questions() if q.kind == "typed"}


def test_a_csv_typed_questions_wrong_answers_are_never_taken(cli: Cli, tmp_path: Path) -> None:
    sheet = tmp_path / "class.csv"
    sheet.write_text(
        "type,question,correct_answer,incorrect_answer_1\n"
        "typed,Which country has Canberra?,Australia,Austria\n"
        "typed,Which country is Pyongyang in?,North Korea,South Korea\n",
        encoding="utf-8",
    )
    deck = tmp_path / "class.toml"
    assert cli("import", "csv", str(sheet), "--out", str(deck)).code == 0
    questions = typed(deck)
    assert typed_verdict(questions["Australia"], "Australai").correct  # type: ignore[arg-type]
    assert not typed_verdict(questions["Australia"], "Austria").correct  # type: ignore[arg-type]
    assert not typed_verdict(questions["North Korea"], "south korea").correct  # type: ignore[arg-type]
    assert cli("validate", "--strict", str(deck)).code == 0


def test_gift_part_marks_are_skipped_and_zero_marks_are_wrong_answers(
    cli: Cli, tmp_path: Path
) -> None:
    gift = tmp_path / "q.gift"
    gift.write_text(
        "Capital of Australia? {=Canberra =%50%Sydney =%-100%Perth}\n\n"
        "Largest planet? {=%100%Jupiter =%0%Saturn}\n",
        encoding="utf-8",
    )
    deck = tmp_path / "q.toml"
    result = cli("import", "gift", str(gift), "--out", str(deck))
    assert result.code == 0, result.err
    assert "line 1: skipped: an answer with part marks" in result.err
    questions = typed(deck)
    assert list(questions) == ["Jupiter"]
    assert not typed_verdict(questions["Jupiter"], "Saturn").correct  # type: ignore[arg-type]


def test_a_moodle_wildcard_and_an_answer_with_nothing_to_type_are_skipped(
    cli: Cli, tmp_path: Path
) -> None:
    xml = tmp_path / "q.xml"
    xml.write_text(
        '<?xml version="1.0" encoding="UTF-8"?>\n<quiz>'
        '<question type="shortanswer"><questiontext><text>Any word?</text></questiontext>'
        '<answer fraction="100"><text>*</text></answer></question>'
        '<question type="shortanswer"><questiontext><text>Dots?</text></questiontext>'
        '<answer fraction="100"><text>...</text></answer></question>'
        '<question type="shortanswer"><questiontext><text>Red planet?</text></questiontext>'
        '<answer fraction="100"><text>Mars</text></answer></question>'
        "</quiz>\n",
        encoding="utf-8",
    )
    deck = tmp_path / "q.toml"
    result = cli("import", "moodle-xml", str(xml), "--out", str(deck))
    assert result.code == 0, result.err
    assert "Moodle's wildcard *" in result.err
    assert "needs letters or digits to type, not '...'" in result.err
    assert list(typed(deck)) == ["Mars"]


def test_a_deck_kept_to_typed_with_nothing_to_type_is_a_located_error(
    cli: Cli, tmp_path: Path
) -> None:
    deck = tmp_path / "d.toml"
    deck.write_text(
        'id = "d"\ntitle = "D"\nsubject = "S"\ndescription = "D."\n'
        '[[sources]]\nid = "s"\ntitle = "S"\n'
        '[[facts]]\nid = "f"\nstatement = "Dots."\nquestions = ["What is it?"]\n'
        'answer = { kind = "text", value = "..." }\nform = "typed"\n'
        'explanation = "It is."\nsource = "s"\n',
        encoding="utf-8",
    )
    result = cli("validate", str(deck))
    assert result.code == 1, result.out
    assert (
        f'{deck}:13: [f] form = "typed" gives this fact no question: a typed answer needs letters or digits'
        in result.out
    )


def test_a_huge_number_or_text_is_named_in_its_note_not_printed(cli: Cli, tmp_path: Path) -> None:
    gift = tmp_path / "q.gift"
    gift.write_text(
        "How many? {#" + "9" * 5000 + "}\n\nIs it? {=" + "x" * 70 + "}\n\nRed planet? {=Mars}\n",
        encoding="utf-8",
    )
    result = cli("import", "gift", str(gift), "--out", str(tmp_path / "q.toml"))
    assert result.code == 0, result.err
    assert (
        "at most 1,000,000,000,000 either side of zero, not a number of 5,000 digits" in result.err
    )
    assert "9" * 50 not in result.err and max(map(len, result.err.splitlines())) < 300
