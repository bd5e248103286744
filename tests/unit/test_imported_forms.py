"""An imported question is asked in the form its author wrote, with its own choices.

A Kahoot or Aiken multiple-choice question is asked as multiple choice (never as a
typed question), a true/false one as true/false, a short answer as typed and a
numeric one as an estimate, whichever format it came from.
"""

from __future__ import annotations

import csv
from pathlib import Path
from typing import Any

from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from quiz.authoring.importing import import_deck
from quiz.deckfile.read import load_deck
from quiz.model import Deck
from quiz.questions.generate import Generator
from quiz.questions.question import FALSE, TRUE
from tests.unit.test_kahoot import template

WORDS = ["Jupiter", "Mars", "Venus", "Saturn", "Mercury", "Neptune", "Pluto", "Earth", "Ceres"]


def asked(deck: Deck) -> dict[str, list[tuple[str, tuple[str, ...]]]]:
    """Each fact's questions as a player meets them: (kind, choices), over a few seeds."""
    out: dict[str, list[tuple[str, tuple[str, ...]]]] = {}
    for seed in (0, 1, 2):
        generator = Generator(deck, seed)
        for fact in deck.facts:
            for qid in generator.forms(fact):
                question = generator.build(fact, qid)
                if question is not None:
                    out.setdefault(fact.id, []).append((question.kind, tuple(question.choices)))
    return out


def imported(tmp_path: Path, kind: str, name: str, body: str | None = None) -> Deck:
    source = tmp_path / name
    if body is not None:
        source.write_text(body, encoding="utf-8")
    out = tmp_path / f"{source.stem}.toml"
    import_deck(source, out, kind, None, lambda _: None, replace=True)
    return load_deck(out)


ROW = st.one_of(
    st.tuples(st.just("multiple"), st.permutations(WORDS).map(lambda w: tuple(w[:4]))),
    st.tuples(st.just("typed"), st.sampled_from(WORDS).map(lambda w: (w,))),
    st.tuples(st.just("estimate"), st.integers(-5000, 5000).map(lambda n: (str(n),))),
    st.tuples(st.just("boolean"), st.sampled_from([("True",), ("False",)])),
)


@settings(
    max_examples=12, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture]
)
@given(rows=st.lists(ROW, min_size=1, max_size=6))
def test_every_imported_question_keeps_its_form_and_its_choices(
    tmp_path: Path, rows: list[tuple[str, tuple[str, ...]]]
) -> None:
    with open(tmp_path / "sheet.csv", "w", newline="", encoding="utf-8") as handle:
        writer = csv.writer(handle)
        writer.writerow(
            ["type", "question", "correct_answer", *(f"incorrect_answer_{k}" for k in (1, 2, 3))]
        )
        for number, (kind, answers) in enumerate(rows, 1):
            writer.writerow(
                [kind, f"Question {'ABCDEF'[number - 1]}, how many or which?", *answers]
            )
    deck = imported(tmp_path, "csv", "sheet.csv")
    questions = asked(deck)
    assert len(deck.facts) == len(rows)  # none skipped: every one is asked as written
    for fact, (kind, answers) in zip(deck.facts, rows, strict=True):
        seen = questions[fact.id]
        assert {k for k, _ in seen} == {kind}, (fact.questions[0], seen)
        for _, choices in seen:
            if kind == "multiple":
                assert sorted(choices) == sorted(answers)  # the author's four, none invented
            if kind == "boolean":
                assert set(choices) == {TRUE, FALSE}


def kinds_of(deck: Deck) -> list[set[str]]:
    questions = asked(deck)
    return [{kind for kind, _ in questions[fact.id]} for fact in deck.facts]


def test_a_kahoot_question_is_asked_as_the_multiple_choice_the_teacher_wrote(
    tmp_path: Path,
) -> None:
    sheet = template(
        tmp_path / "class.xlsx",
        [
            ("Which planet is largest?", "Mars", "Jupiter", "Venus", "Earth", 20, 2),
            ("The sun is a star.", "True", "False", None, None, 10, 1),
        ],
    )
    deck = imported(tmp_path, "kahoot", sheet.name)
    assert kinds_of(deck) == [{"multiple"}, {"boolean"}]
    choices = {c for _, cs in asked(deck)[deck.facts[0].id] for c in cs}
    assert choices == {"Mars", "Jupiter", "Venus", "Earth"}


def test_gift_moodle_and_aiken_questions_keep_their_forms(tmp_path: Path) -> None:
    gift = (
        "::q1:: Which planet is largest? {=Jupiter ~Mars ~Venus ~Earth}\n\n"
        "::q2:: The sun is a star. {TRUE}\n\n"
        "::q3:: Which planet is red? {=Mars =mars planet}\n\n"
        "::q4:: How many moons has Mars? {#2:1}\n"
    )
    assert kinds_of(imported(tmp_path, "gift", "class.txt", gift)) == [
        {"multiple"},
        {"boolean"},
        {"typed"},
        {"estimate"},
    ]
    aiken = "Which planet is largest?\nA. Mars\nB. Jupiter\nC. Venus\nD. Earth\nANSWER: B\n"
    assert kinds_of(imported(tmp_path, "aiken", "aiken.txt", aiken)) == [{"multiple"}]
    moodle = _moodle(
        '<question type="multichoice"><name><text>a</text></name>'
        "<questiontext><text>Which planet is largest?</text></questiontext>"
        '<answer fraction="100"><text>Jupiter</text></answer>'
        '<answer fraction="0"><text>Mars</text></answer>'
        '<answer fraction="0"><text>Venus</text></answer>'
        '<answer fraction="0"><text>Earth</text></answer></question>'
        '<question type="truefalse"><name><text>b</text></name>'
        "<questiontext><text>The sun is a star.</text></questiontext>"
        '<answer fraction="100"><text>true</text></answer>'
        '<answer fraction="0"><text>false</text></answer></question>'
        '<question type="shortanswer"><name><text>c</text></name>'
        "<questiontext><text>Which planet is red?</text></questiontext>"
        '<answer fraction="100"><text>Mars</text></answer></question>'
        '<question type="numerical"><name><text>d</text></name>'
        "<questiontext><text>How many moons has Mars?</text></questiontext>"
        '<answer fraction="100"><text>2</text><tolerance>1</tolerance></answer></question>'
    )
    assert kinds_of(imported(tmp_path, "moodle-xml", "class.xml", moodle)) == [
        {"multiple"},
        {"boolean"},
        {"typed"},
        {"estimate"},
    ]


def _moodle(body: str) -> str:
    return f'<?xml version="1.0" encoding="UTF-8"?>\n<quiz>{body}</quiz>\n'


def test_a_form_a_fact_cannot_give_is_a_located_error(tmp_path: Path) -> None:
    from quiz.authoring.validate import check_file

    deck = tmp_path / "deck.toml"
    deck.write_text(
        'id = "d"\ntitle = "D"\nsubject = "S"\ndescription = "D."\n'
        '[[sources]]\nid = "s"\ntitle = "S"\n'
        '[[facts]]\nid = "f"\nstatement = "Mars is red."\nquestions = ["Which planet is red?"]\n'
        'answer = { kind = "text", value = "Mars" }\nwrong = ["Venus", "Earth", "Saturn"]\n'
        'form = "estimate"\nexplanation = "It is."\nsource = "s"\n',
        encoding="utf-8",
    )
    problems: Any = check_file(deck).problems
    found = [(p.line, p.message) for p in problems if p.severity == "error"]
    assert any('form = "estimate" gives this fact no question' in m for _, m in found), found


def test_an_estimate_whose_number_is_in_its_question_is_skipped_with_a_note(
    tmp_path: Path,
) -> None:
    source = tmp_path / "sheet.csv"
    source.write_text(
        "type,question,correct_answer,tolerance\n"
        "estimate,Is 12 the number of months?,12,1\n"
        "estimate,How many months has a year?,12,1\n",
        encoding="utf-8",
    )
    notes: list[str] = []
    written, skipped = import_deck(source, tmp_path / "d.toml", "csv", None, notes.append)
    assert (written, skipped) == (1, 1)
    assert "sheet.csv: row 2: skipped:" in notes[0] and "its number is in its question" in notes[0]
    assert kinds_of(load_deck(tmp_path / "d.toml")) == [{"estimate"}]


MARS = (
    'id = "d"\ntitle = "D"\nsubject = "S"\ndescription = "D."\n'
    '[[sources]]\nid = "s"\ntitle = "S"\n'
    '[[facts]]\nid = "f"\nstatement = "Mars is red."\nquestions = ["Which planet is red?"]\n'
    'answer = { kind = "text", value = "Mars" }\nwrong = ["Venus", "Earth", "Saturn"]\n'
    '{claim}form = "boolean"\nexplanation = "It is."\nsource = "s"\n'
)


def test_a_fact_kept_to_true_false_is_asked_only_as_its_claim(tmp_path: Path) -> None:
    deck = tmp_path / "deck.toml"
    deck.write_text(MARS.replace("{claim}", 'claim = "{answer} is the red planet."\n'), "utf-8")
    forms = asked(load_deck(deck))["f"]
    assert {kind for kind, _ in forms} == {"boolean"}
    assert all(choices == (TRUE, FALSE) for _, choices in forms)


def test_true_false_only_without_a_claim_is_a_located_error(tmp_path: Path) -> None:
    from quiz.authoring.validate import check_file

    deck = tmp_path / "deck.toml"
    deck.write_text(MARS.replace("{claim}", ""), encoding="utf-8")
    problems: Any = check_file(deck).problems
    found = [(p.line, p.message) for p in problems if p.severity == "error"]
    assert any("'claim', and it has none" in m and line == 14 for line, m in found), found


def test_a_game_of_a_deck_with_facts_kept_to_true_false_asks_every_fact(
    tmp_path: Path,
) -> None:
    from quiz.questions.plan import make_quiz

    head = MARS.split("[[facts]]")[0]
    facts = "".join(
        f'[[facts]]\nid = "f{i}"\nstatement = "{w} is a world."\n'
        f'questions = ["Which world is number {i}?"]\n'
        f'answer = {{ kind = "text", value = "{w}" }}\n'
        'wrong = ["Vulcan", "Krypton", "Arrakis", "Gallifrey"]\n'
        + f'claim = "{{answer}} is world number {i}."\n'
        + ('form = "boolean"\n' if i < 2 else "")
        + 'explanation = "It is."\nsource = "s"\n'
        for i, w in enumerate(WORDS[:8])
    )
    deck = tmp_path / "deck.toml"
    deck.write_text(head + facts, encoding="utf-8")
    for seed in range(20):
        quiz = make_quiz(load_deck(deck), seed, 8)
        assert sorted(q.fact for q in quiz) == [f"f{i}" for i in range(8)], seed
        assert all(q.kind == "boolean" for q in quiz if q.fact < "f2"), seed
        # The claim opens with the answer, which keeps its capital after "True or false?".
        assert all(q.prompt.split("? ")[1][0].isupper() for q in quiz if q.kind == "boolean")
