"""Import from Open Trivia DB and CSV, export to GIFT, CSV and Open Trivia DB, and back."""

from __future__ import annotations

import json
from pathlib import Path

import pytest

from quiz.authoring.interchange import to_gift
from quiz.authoring.validate import check_file
from quiz.deckfile.read import load_deck
from quiz.questions.generate import Generator
from tests.conftest import BUNDLED, FIXED, Cli

OTDB = {
    "response_code": 0,
    "results": [
        {
            "type": "multiple",
            "difficulty": "easy",
            "category": "Film",
            "question": "Who directed &quot;Jaws&quot;?",
            "correct_answer": "Steven Spielberg",
            "incorrect_answers": ["George Lucas", "Martin Scorsese", "Ridley Scott"],
        },
        {
            "type": "multiple",
            "difficulty": "medium",
            "category": "Food",
            "question": "  What is &#039;caf&eacute;&#039; in English?  ",
            "correct_answer": "Coff&eacute;e &amp; more",
            "incorrect_answers": ["Th&eacute;", "&quot;Tea&quot;", "  Bistro  "],
        },
        {
            "type": "boolean",
            "difficulty": "hard",
            "category": "Science",
            "question": "The sun is a star.",
            "correct_answer": "True",
            "incorrect_answers": ["False"],
        },
        {
            "type": "boolean",
            "difficulty": "easy",
            "category": "Science",
            "question": "Water boils at 50 &deg;C.",
            "correct_answer": "False",
            "incorrect_answers": ["True"],
        },
        {
            "type": "multiple",
            "question": "Too long? " + "x" * 300,
            "correct_answer": "a",
            "incorrect_answers": ["b", "c", "d"],
        },
    ],
}


def imported(cli: Cli, tmp_path: Path) -> Path:
    source = tmp_path / "trivia.json"
    source.write_text(json.dumps(OTDB), encoding="utf-8")
    out = tmp_path / "trivia.toml"
    result = cli("import", "opentdb", str(source), "--out", str(out))
    assert result.code == 0, result.err
    assert "trivia.json: question 5: skipped: the question is" in result.err
    return out


def test_opentdb_import_decodes_every_field_alike_and_validates(cli: Cli, tmp_path: Path) -> None:
    out = imported(cli, tmp_path)
    problems = check_file(out).problems
    # No errors; the one warning is Open Trivia DB's own: its café question's right
    # answer is clearly the longest choice, which `quiz audit` would fail.
    assert [p for p in problems if p.severity == "error"] == []
    assert [(p.fact, "longest" in p.message) for p in problems] == [("trivia-002", True)]
    deck = load_deck(out)
    questions = {q.prompt: q for q in Generator(deck, 1).all_questions()}
    jaws = questions['Who directed "Jaws"?']
    assert jaws.right == "Steven Spielberg"
    cafe = questions["What is 'café' in English?"]
    assert cafe.right == "Coffée & more"
    assert set(cafe.choices) == {
        "Coffée & more",
        "Thé",
        '"Tea"',
        "Bistro",
    }  # wrong answers decoded and trimmed too
    assert not any(
        "&" in c and ";" in c for q in questions.values() for c in (*q.choices, q.prompt)
    )


def test_opentdb_booleans_stay_true_false(cli: Cli, tmp_path: Path) -> None:
    deck = load_deck(imported(cli, tmp_path))
    booleans = [q for q in Generator(deck, 1).all_questions() if q.kind == "boolean"]
    assert {(q.prompt, q.right) for q in booleans} == {
        ("True or false? The sun is a star.", "True"),
        ("True or false? Water boils at 50 \u00b0C.", "False"),
    }
    assert all(q.choices == ("True", "False") for q in booleans)


def test_csv_import_reads_the_documented_layout(cli: Cli, tmp_path: Path) -> None:
    sheet = tmp_path / "class.csv"
    sheet.write_text(
        "type,difficulty,question,correct_answer,incorrect_answer_1,incorrect_answer_2,incorrect_answer_3,explanation\n"
        "multiple,easy,What is 2 + 2?,4,3,5,22,Two and two make four.\n"
        "boolean,,Paris is in France.,True,,,,\n",
        encoding="utf-8",
    )
    out = tmp_path / "class.toml"
    result = cli("import", "csv", str(sheet), "--out", str(out))
    assert result.code == 0, result.err
    deck = load_deck(out)
    assert [f.answer.kind for f in deck.facts] == ["text", "boolean"]
    assert deck.facts[0].explanation == "Two and two make four."


def test_the_import_hint_runs_as_printed(cli: Cli, tmp_path: Path) -> None:
    """'Try it: ...' after an import is a command a user can paste, a path with a space too."""
    import shlex

    sheet = tmp_path / "class.csv"
    sheet.write_text(
        "type,difficulty,question,correct_answer,incorrect_answer_1,incorrect_answer_2,incorrect_answer_3\n"
        "multiple,easy,What is 2 + 2?,4,3,5,22\n",
        encoding="utf-8",
    )
    out = tmp_path / "my class.toml"
    result = cli("import", "csv", str(sheet), "--out", str(out))
    assert result.code == 0, result.err
    program, *args = shlex.split(result.out.split("Try it: ", 1)[1])
    assert program.endswith("quiz") and args[:2] == ["preview", "--deck"]
    shown = cli(*args)
    assert shown.code == 0, shown.err
    assert "What is 2 + 2?" in shown.out


def same_questions(a: Path, b: Path) -> None:
    def key(path: Path) -> set[tuple[str, str, frozenset[str]]]:
        from quiz.authoring.interchange import exported_questions

        return {
            (q.question, q.right, frozenset(q.wrong)) for q in exported_questions(load_deck(path))
        }

    assert key(a) == key(b)


@pytest.mark.parametrize("fmt", ["opentdb", "csv"])
def test_an_exported_deck_imports_back_to_the_same_questions(
    cli: Cli, tmp_path: Path, fmt: str
) -> None:
    exported = tmp_path / f"amber.{'json' if fmt == 'opentdb' else 'csv'}"
    # The fixed deck: the interchange formats have no field for a deck's synonyms.
    assert cli("export", str(FIXED), "--format", fmt, "--out", str(exported)).code == 0
    back = tmp_path / "amber-again.toml"
    result = cli("import", fmt, str(exported), "--out", str(back))
    assert result.code == 0, result.err
    assert check_file(back).errors == []
    same_questions(FIXED, back)


def test_round_trip_of_an_imported_deck(cli: Cli, tmp_path: Path) -> None:
    first = imported(cli, tmp_path)
    exported = tmp_path / "again.json"
    assert cli("export", str(first), "--format", "opentdb", "--out", str(exported)).code == 0
    back = tmp_path / "again.toml"
    assert cli("import", "opentdb", str(exported), "--out", str(back)).code == 0
    same_questions(first, back)


def test_gift_escapes_its_special_characters(cli: Cli, tmp_path: Path) -> None:
    sheet = tmp_path / "gift.csv"
    sheet.write_text(
        "type,difficulty,question,correct_answer,incorrect_answer_1,incorrect_answer_2,incorrect_answer_3\n"
        "multiple,easy,Which is {odd}: a~b or c=d?,#1: a~b,c=d,e{f},g\\h\n",
        encoding="utf-8",
    )
    out = tmp_path / "gift.toml"
    assert cli("import", "csv", str(sheet), "--out", str(out)).code == 0
    gift = to_gift(load_deck(out))
    assert r"Which is \{odd\}\: a\~b or c\=d? {" in gift
    assert r"  =\#1\: a\~b" in gift
    assert r"  ~c\=d" in gift and r"  ~e\{f\}" in gift and r"  ~g\\h" in gift
    assert "::gift-001::" in gift


def test_import_errors_are_clear(cli: Cli, tmp_path: Path) -> None:
    bad = tmp_path / "bad.json"
    bad.write_text("{not json", encoding="utf-8")
    result = cli("import", "opentdb", str(bad), "--out", str(tmp_path / "x.toml"))
    assert result.code == 1 and "this is not JSON" in result.err and "Traceback" not in result.err
    taken = tmp_path / "taken.toml"
    taken.write_text("keep", encoding="utf-8")
    result = cli("import", "opentdb", str(bad), "--out", str(taken))
    assert result.code == 1 and "already exists" in result.err and taken.read_text() == "keep"
    assert "--force" in result.err  # says how to replace it


def test_import_replaces_a_file_only_with_force_as_export_does(cli: Cli, tmp_path: Path) -> None:
    import os

    good = tmp_path / "good.csv"
    good.write_text(
        "type,difficulty,question,correct_answer,incorrect_answer_1,incorrect_answer_2,"
        "incorrect_answer_3,explanation\n"
        "multiple,easy,Which colour is the sky on a clear day?,Blue,Green,Red,Yellow,It is blue.\n",
        encoding="utf-8",
    )
    taken = tmp_path / "taken.toml"
    taken.write_text("keep", encoding="utf-8")
    refused = cli("import", "csv", str(good), "--out", str(taken))
    assert refused.code == 1 and taken.read_text() == "keep"
    forced = cli("import", "csv", str(good), "--out", str(taken), "--force")
    assert forced.code == 0 and "Wrote" in forced.out and "[[facts]]" in taken.read_text()
    fifo = tmp_path / "fifo.toml"
    os.mkfifo(fifo)
    never = cli("import", "csv", str(good), "--out", str(fifo), "--force")
    assert never.code == 1 and "not a regular file" in never.err
    result = cli("import", "csv", str(tmp_path / "missing.csv"), "--out", str(tmp_path / "y.toml"))
    assert result.code == 1 and "no such file" in result.err
    empty = tmp_path / "empty.json"
    empty.write_text('{"response_code": 1, "results": []}', encoding="utf-8")
    assert (
        "response_code 1"
        in cli("import", "opentdb", str(empty), "--out", str(tmp_path / "z.toml")).err
    )


def test_gift_export_reads_back_to_the_same_questions(cli: Cli, tmp_path: Path) -> None:
    from quiz.authoring.interchange import exported_questions
    from tests.unit.test_streams_round3 import moodle_gift

    for deck_path in (BUNDLED, imported(cli, tmp_path)):
        deck = load_deck(deck_path)
        expected = [(q.question, q.right, frozenset(q.wrong)) for q in exported_questions(deck)]
        # Read as Moodle's own GIFT import reads it (a model of its parser).
        read = [(q["question"], q["right"], q["wrong"]) for q in moodle_gift(to_gift(deck))]
        assert read == expected


# --- issue 25: typed and estimate questions out and back in ---------------------------------

NEW_FORMS = "typed,estimate,order,multiple,boolean"


def _exported_back(cli: Cli, tmp_path: Path, fmt: str) -> tuple[str, Path]:
    out, deck = tmp_path / f"out.{fmt}", tmp_path / f"back-{fmt}.toml"
    exported = cli(
        "export", "amber-balcaen", "--format", fmt, "--kinds", NEW_FORMS, "--out", str(out)
    )
    assert exported.code == 0, exported.err
    back = cli("import", fmt, str(out), "--out", str(deck))
    assert back.code == 0, back.err
    assert "skipped" not in back.err
    return exported.err, deck


@pytest.mark.parametrize("fmt", ["gift", "csv"])
def test_typed_and_estimate_questions_export_and_import_back(
    cli: Cli, tmp_path: Path, fmt: str
) -> None:
    from quiz.authoring.interchange import exported_questions

    notes, path = _exported_back(cli, tmp_path, fmt)
    # Order questions have no form in GIFT or the CSV: the facts that give only those are noted.
    assert "order question" not in notes or "has no ordering question" in notes
    original = exported_questions(load_deck(BUNDLED), NEW_FORMS.split(","), fmt)
    deck = load_deck(path)
    typed = [(q.question, q.right, set(q.accept)) for q in original if q.kind == "typed"]
    estimate = [(q.question, int(q.right), q.tolerance) for q in original if q.kind == "estimate"]
    assert typed and estimate
    back_typed = [
        (f.questions[0], f.answer.value, set(f.accept))
        for f in deck.facts
        if f.answer.kind == "text" and not f.wrong
    ]
    back_estimate = [
        (f.questions[0], f.answer.value, f.answer.tolerance)
        for f in deck.facts
        if f.answer.kind == "integer"
    ]
    assert back_typed == typed and back_estimate == estimate
    # The imported deck plays them: the same accepted answers, the same tolerance.
    questions = {q.prompt: q for q in Generator(deck, 0).all_questions() if q.unchosen}
    for prompt, right, accept in typed:
        assert set(questions[prompt].accept) >= {right, *accept}
    for prompt, value, tolerance in estimate:
        assert (questions[prompt].value, questions[prompt].tolerance) == (value, tolerance)
    assert [p for p in check_file(path).problems if p.severity == "error"] == []


def test_gift_writes_short_answer_and_numeric_questions(tmp_path: Path) -> None:
    gift = to_gift(load_deck(BUNDLED), ["typed", "estimate"])
    assert "  =Nitro Motorsports\n  =Nitro\n" in gift  # short answer: every answer with =
    assert "{#8:4####" in gift  # numeric: value:tolerance, then the feedback
    assert "~" not in gift


def test_a_form_a_format_has_not_is_left_out_with_a_note(cli: Cli) -> None:
    order = cli("export", "amber-balcaen", "--format", "gift", "--kinds", "order")
    assert order.code == 0
    # The one summary line says what was written and what was lost, with why.
    assert (
        order.err
        == "quiz: 0 questions; 3 order questions left out: GIFT has no ordering question\n"
    )
    assert "::" not in order.out  # nothing else was asked for
    otdb = cli("export", "amber-balcaen", "--format", "opentdb", "--kinds", "typed,estimate")
    assert otdb.code == 0
    assert "typed questions left out: Open Trivia DB has no typed-answer question" in otdb.err
    assert "estimate questions left out: Open Trivia DB has no numeric question" in otdb.err
    assert json.loads(otdb.out)["results"] == []
    timeline = cli("export", "amber-balcaen", "--format", "csv", "--kinds", "timeline")
    assert "timeline questions left out: it asks about several facts" in timeline.err
    # Asked first, a form a format has not gives way to the next one the fact has.
    both = cli("export", "amber-balcaen", "--format", "opentdb", "--kinds", "typed,multiple")
    assert "left out" not in both.err and len(json.loads(both.out)["results"]) > 10


SYNONYM_TWINS = {
    "id": "twins",
    "title": "Twins",
    "subject": "Racing",
    "description": "Two wrong answers that mean the same.",
    "synonyms": [["A top-three finish", "A podium finish"]],
    "sources": [{"id": "s", "title": "Source"}],
    "facts": [
        {
            "id": "kansas-top-five",
            "statement": "After Kansas in 2024, Balcaen said she had really wanted a top five.",
            "answer": {"kind": "text", "value": "A top-five finish"},
            "questions": [
                "After her race at Kansas in 2024, what result did Amber Balcaen "
                "tell the press she had really wanted?"
            ],
            "wrong": ["A top-three finish", "A podium finish", "A race win", "A top-ten finish"],
            "explanation": "She was not satisfied with an elite performance.",
            "source": "s",
        }
    ],
}


@pytest.mark.parametrize("fmt", ["csv", "opentdb", "gift", "moodle-xml", "aiken", "kahoot"])
def test_a_question_drawn_with_two_wrong_answers_is_exported_with_three(
    cli: Cli, tmp_path: Path, fmt: str
) -> None:
    import tomli_w

    # The generator shows 'A top-five finish' with two wrong answers (it drops one of
    # two synonyms); importers and Open Trivia DB need three, so export tops it up.
    deck = tmp_path / "twins.toml"
    deck.write_text(tomli_w.dumps(SYNONYM_TWINS), encoding="utf-8")
    out, back = tmp_path / f"deck.{fmt}", tmp_path / "back.toml"
    assert cli("export", str(deck), "--format", fmt, "--out", str(out)).code == 0
    assert cli("import", fmt, str(out), "--out", str(back)).code == 0
    fact = next(f for f in load_deck(back).facts if f.answer.value == "A top-five finish")
    assert len(fact.wrong) == 3
    assert not {"A top-three finish", "A podium finish"} <= set(fact.wrong)  # synonyms


def test_gift_import_reads_others_gift(cli: Cli, tmp_path: Path) -> None:
    source = tmp_path / "moodle.gift"
    source.write_text(
        "// a comment\n$CATEGORY: $course$/Racing\n\n"
        "::q1:: Which city hosts the 500\\: Indy or not? {=Indianapolis =Indy}\n\n"
        "::q2:: [html]How many laps is the race? {#200:10}\n\n"
        "The sun is a star. {T####Yes, it is.}\n\n"
        "Which is red? {=Ruby ~Sapphire ~Emerald ~Topaz}\n\n"
        "A range, {#1..5}\n\n"
        "Match these. {=a -> b =c -> d}\n\n"
        "Write an essay. {}\n",
        encoding="utf-8",
    )
    out = tmp_path / "moodle.toml"
    result = cli("import", "gift", str(source), "--out", str(out))
    assert result.code == 0, result.err
    # Each note names the line the question starts on in the GIFT file.
    assert (
        "moodle.gift: line 12: skipped: a numeric question is read only with one answer"
        in result.err
    )
    assert "moodle.gift: line 14: skipped: a matching question (->) cannot be a fact" in result.err
    assert "moodle.gift: line 16: skipped: an essay question has no answer to check" in result.err
    facts = {f.questions[0]: f for f in load_deck(out).facts}
    typed = facts["Which city hosts the 500: Indy or not?"]
    assert (typed.answer.value, typed.accept) == ("Indianapolis", ("Indy",))
    laps = facts["How many laps is the race?"].answer
    assert (laps.kind, laps.value, laps.tolerance) == ("integer", 200, 10)  # type: ignore[union-attr]
    assert facts["The sun is a star."].explanation == "Yes, it is."
    assert facts["Which is red?"].wrong == ("Sapphire", "Emerald", "Topaz")


# --- issue 22 (attacker D3): one bad question never refuses the whole import ----------------


def test_a_question_past_one_facts_limits_is_skipped_at_its_row_and_the_rest_imported(
    cli: Cli, tmp_path: Path
) -> None:
    sheet = tmp_path / "class.csv"
    many = " | ".join(f"Variant {k}" for k in range(9))
    sheet.write_text(
        "type,question,correct_answer,incorrect_answer_1,incorrect_answer_2,"
        "incorrect_answer_3,accept,tolerance\n"
        "multiple,What is 2 + 2?,4,3,5,22,,\n"
        f"typed,Name a variant.,Variant,,,,{many},\n"
        "estimate,How many laps is the race?,200,,,,,5000\n",
        encoding="utf-8",
    )
    out = tmp_path / "class.toml"
    result = cli("import", "csv", str(sheet), "--out", str(out))
    assert result.code == 0, result.err
    assert "class.csv: row 3: skipped: 'accept' has too many items; the limit is 8" in result.err
    assert (
        "class.csv: row 4: skipped: 'answer.integer.tolerance' must be at most 1000" in result.err
    )
    assert "class.toml" not in result.err  # never a line of the deck not yet written
    assert [f.questions[0] for f in load_deck(out).facts] == ["What is 2 + 2?"]
    gift = tmp_path / "g.gift"
    gift.write_text("Laps? {#200:5000}\n\nThe sun is a star. {T}\n", encoding="utf-8")
    result = cli("import", "gift", str(gift), "--out", str(tmp_path / "g.toml"))
    assert result.code == 0 and "g.gift: line 1: skipped: 'answer.integer.tolerance'" in result.err


def test_import_with_stdout_closed_refuses_before_writing(
    tmp_path: Path, capsys: pytest.CaptureFixture[str], monkeypatch: pytest.MonkeyPatch
) -> None:
    import sys

    from quiz.cli.main import main

    sheet = tmp_path / "in.csv"
    sheet.write_text("question,correct_answer,incorrect_answer_1,incorrect_answer_2,"
                     "incorrect_answer_3\nWhat is 2 + 2?,4,3,5,22\n", encoding="utf-8")  # fmt: skip
    out = tmp_path / "out.toml"
    monkeypatch.setattr(sys, "stdout", None)  # as Python leaves a closed fd 1
    code = main(["import", "csv", str(sheet), "--out", str(out)])
    err = capsys.readouterr().err
    assert code == 1 and "standard output is closed" in err and "Traceback" not in err
    assert not out.exists()  # never a deck written by a command that then fails


def test_long_work_shows_a_progress_bar_only_on_a_terminal(
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    import io
    import sys

    from quiz.cli.decks import progress

    class Terminal(io.StringIO):
        def isatty(self) -> bool:
            return True

    for stream, drawn in ((io.StringIO(), False), (Terminal(), True)):
        monkeypatch.setattr(sys, "stderr", stream)
        with progress("Importing") as tick:
            assert (tick is not None) == drawn
            if tick is not None:
                tick(10_000, 20_000)
        assert ("Importing" in stream.getvalue()) == drawn
