"""`quiz stats` and `quiz report` on games with typed, estimate and order questions.

Seven games on the fixed deck, each answered as worked out here by hand: what a
teacher reads is the wrong answers typed most (folded as the game compares
them), an estimate's spread and near misses, and an order's partial answers.
"""

from __future__ import annotations

import csv
import io
import json
from pathlib import Path

from quiz.deckfile.catalog import bundled_dir
from quiz.deckfile.read import load_deck
from quiz.game.play import Game
from quiz.questions.generate import Generator
from quiz.questions.question import Question
from quiz.saves.folder import SaveFolder
from quiz.scores.stats import analyse, read_games, render_csv, render_text
from quiz.text import ordinal
from tests.saves_helpers import DECK, write_record

FACTS = {f.id: f for f in DECK.facts}


def build(qid: str) -> Question:
    question = Generator(DECK, 1).build(FACTS[qid.partition("/")[0]], qid)
    assert question is not None
    return question


TYPED = build("fx-balcaen-venturini-2024/typed-1")  # Venturini Motorsports
ESTIMATE = build("fx-balcaen-kansas-eighth/estimate-1")  # 8th, within 4
ORDER = build("fx-balcaen-kansas-eighth/order-values")  # three items

RIGHT = tuple(ORDER.order)
SWAPPED = (RIGHT[0], RIGHT[2], RIGHT[1])  # 2 of 3 pairs in order
REVERSED = RIGHT[::-1]  # none
# Per game: what was typed, the place given, the order given (None: no answer).
PLAYS: list[tuple[str, int | None, tuple[int, ...] | None]] = [
    ("Venturini", 8, RIGHT),
    ("Penske", 10, SWAPPED),
    ("PENSKE!", 12, REVERSED),
    ("Roush Fenway", 13, RIGHT),
    ("Roush-Fenway", 30, SWAPPED),
    ("Toyota", None, None),
    ("Ganassi", 5, REVERSED),
]


def make_saves(root: Path) -> None:
    folder = SaveFolder(root)
    for i, (text, value, order) in enumerate(PLAYS):
        game = Game(
            [TYPED, ESTIMATE, ORDER], player=f"p{i}", deck_id=DECK.id, deck_title="T", seed=1
        )
        game.answer(None, 4.0, text=text)
        game.answer(None, 4.0, value=value)
        game.answer(None, 4.0, order=order)
        folder.save_finished(game)


def by_kind(report: dict) -> dict[str, dict]:  # type: ignore[type-arg]
    return {q["kind"]: q for q in report["questions"]}


def test_typed_wrong_answers_folded_estimate_spread_and_close_orders(tmp_path: Path) -> None:
    make_saves(tmp_path)
    games, notices = read_games(str(tmp_path), None)
    assert len(games) == 7 and notices == []
    report = analyse(games, {DECK.id: DECK})
    q = by_kind(report)
    typed, estimate, order = q["typed"], q["estimate"], q["order"]

    # "Penske" and "PENSKE!" are one answer; so are the two Roush Fentways. Top 3 only.
    assert (typed["asked"], typed["right"], typed["close"]) == (7, 1, 0)
    assert [(w["answer"], w["chosen"]) for w in typed["wrong_answers"]] == [
        ("Penske", 2),
        ("Roush Fenway", 2),
        ("Ganassi", 1),
    ]
    assert typed["flags"] == []

    # Places given: 8 10 12 13 30 5 (one no answer). Within 4 of 8th: 10th, 12th, 5th.
    assert estimate["wrong_answers"] == []
    assert estimate["spread"] == {
        "given": 6,
        "median": 11,
        "lowest": 5,
        "highest": 30,
        "right_value": 8,
        "tolerance": 4,
        "unit": "place",
        "exact": 1,
        "close": 3,
        "off": 2,
        "no_answer": 1,
    }
    assert (estimate["right"], estimate["close"]) == (1, 3)

    # Orders: right twice, 2 of 3 pairs twice (close), reversed twice, one no answer.
    assert (order["asked"], order["right"], order["close"]) == (7, 2, 2)
    reversed_shown = " → ".join(ORDER.choices[k] for k in REVERSED)
    assert order["wrong_answers"][0]["answer"] == reversed_shown
    assert order["wrong_answers"][0]["chosen"] == 2
    # A partly right order earned points: it is close, never listed as a wrong answer.
    swapped_shown = " → ".join(ORDER.choices[k] for k in SWAPPED)
    assert swapped_shown not in [row["answer"] for row in order["wrong_answers"]]

    text = render_text(report)
    assert "    wrong: Penske: typed 2x (29%)" in text
    assert (
        "    spread: median 11th, range 5th to 30th; 1 exact, 3 close (within 4), 2 off, "
        "1 no answer" in text
    )
    assert "    close: 2 (part of the points)" in text
    assert "offered" not in text  # no choices were offered to type or order

    rows = list(csv.DictReader(io.StringIO(render_csv(report))))
    right = next(r for r in rows if r["kind"] == "estimate" and r["is_right"] == "yes")
    assert (right["answer"], right["chosen"], right["close"]) == ("8th", "1", "3")
    assert (right["median"], right["lowest"], right["highest"]) == ("11", "5", "30")


def test_a_wrong_answer_typed_more_than_the_right_one_asks_for_a_variant(tmp_path: Path) -> None:
    folder = SaveFolder(tmp_path)
    for i in range(10):
        game = Game([TYPED], player=f"p{i}", deck_id=DECK.id, deck_title="T", seed=1)
        game.answer(None, 2.0, text="Venturini" if i < 3 else "Venturi Racing Team")
        folder.save_finished(game)
    games, _ = read_games(str(tmp_path), None)
    typed = analyse(games, {DECK.id: DECK})["questions"][0]
    assert typed["flags"] == [
        'accept? "Venturi Racing Team" typed more often than the right answer'
    ]


def test_cli_stats_without_the_deck_still_counts_each_form(cli, tmp_path: Path) -> None:  # type: ignore[no-untyped-def]
    make_saves(tmp_path)  # the fixed deck is not bundled: nothing is rebuilt
    out = cli("stats", "--saves", str(tmp_path))
    assert out.code == 0, out.err
    assert "    wrong: Penske: typed 2x (29%)" in out.out
    assert "1 exact, 3 close, 2 off, 1 no answer" in out.out
    data = json.loads(cli("stats", "--saves", str(tmp_path), "--format", "json").out)
    assert {q["kind"] for q in data["questions"]} == {"typed", "estimate", "order"}


def test_report_choice_column_holds_what_was_typed_given_and_ordered(cli, tmp_path: Path) -> None:  # type: ignore[no-untyped-def]
    # The bundled deck, so a save that holds only the number or the order (from
    # before `chosen` held them) is worded from the question rebuilt with its seed.
    bundled = load_deck(bundled_dir() / "amber-balcaen.toml")
    maker = Generator(bundled, 3)

    def first(form: str) -> Question:
        fact = next(f for f in bundled.facts if f"{f.id}/{form}" in maker.forms(f))
        question = maker.build(fact, f"{fact.id}/{form}")
        assert question is not None
        return question

    typed, estimate, order = first("typed-1"), first("estimate-1"), first("order-values")
    assert estimate.unit == "place" and estimate.value is not None and estimate.tolerance >= 1
    game = Game([typed, estimate, order], player="Ann", deck_id=bundled.id, deck_title="", seed=3)
    given = tuple(reversed(order.order))
    game.answer(None, 3.0, text="=HYPERLINK(1)")  # a spreadsheet must not run it
    game.answer(None, 3.0, value=estimate.value + 1)
    game.answer(None, 3.0, order=given)
    games_dir = SaveFolder(tmp_path).save_finished(game).parent
    # And one written by hand with only `order`, as a save from before `chosen` held it.
    answer = {"question": order.id, "fact": order.fact, "prompt": order.prompt}
    answer |= {"correct": False, "seconds": 2.0, "points": 0, "right": order.right}
    write_record(
        games_dir,
        "2026-11-02T10-00-00Z-bbbbbbbb.toml",
        player="Ann",
        deck=bundled.id,
        seed=3,
        answers=[answer | {"order": list(given), "credit": 0.0}],
    )
    out = cli("report", "--saves", str(tmp_path), "--format", "csv")
    assert out.code == 0, out.err
    rows = list(csv.DictReader(io.StringIO(out.out)))
    shown = " → ".join(order.choices[k] for k in given)
    assert [(r["question_id"], r["choice"], r["correct"]) for r in rows] == [
        (order.id, shown, "no"),  # the hand-written game, oldest first
        (typed.id, "'=HYPERLINK(1)", "no"),
        (estimate.id, ordinal(estimate.value + 1), "no"),
        (order.id, shown, "no"),
    ]
    assert int(rows[2]["points"]) > 0  # one place off: part of the points


def test_no_answer_is_its_own_line_not_a_wrong_answer_offered_0_times(tmp_path: Path) -> None:
    from quiz.questions.plan import make_quiz

    folder = SaveFolder(tmp_path)
    question = make_quiz(DECK, 3, 1, kinds=("multiple",))[0]
    wrong = next(k for k in range(len(question.choices)) if k != question.answer)
    for i, choice in enumerate([question.answer, wrong, None, None, question.answer]):
        game = Game([question], player=f"p{i}", deck_id=DECK.id, deck_title="T", seed=3)
        game.answer(choice, 2.0)
        folder.save_finished(game)
    games, _ = read_games(str(tmp_path), None)
    report = analyse(games, {DECK.id: DECK})
    text = render_text(report)
    # Newcomer N4: "(no answer): chosen 1x of 0 offered (20%)".
    assert "(no answer)" not in text and "of 0 offered" not in text
    assert "    no answer: 2 of 5 asked (40%)" in text
    assert f"    wrong: {question.choices[wrong]}: chosen 1x of 5 offered (20%)" in text
    assert report["questions"][0]["no_answer"] == 2
