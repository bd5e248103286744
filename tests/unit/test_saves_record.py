"""The save record has one schema: what quiz writes is what it reads, byte for byte."""

from __future__ import annotations

import math
import tomllib
from pathlib import Path

import pytest
import tomli_w

from quiz.deckfile.read import load_deck
from quiz.game.play import Answer, Game, MatchInfo
from quiz.questions.plan import make_quiz
from quiz.saves.folder import SaveFolder, restore_answers
from quiz.saves.records import GameRecord
from tests.conftest import FIXED

# A save file as quiz 1 wrote it (the README's format): a team game, one answer
# given, one timed out, a deck outside the bundle.
SAVED = """\
format = 1
id = "1a2b3c4d5e6f"
player = "Ann"
deck = "amber-balcaen"
deck_title = "Amber Balcaen: The Comeback Season"
seed = 7
count = 2
mode = "tui"
timer = 20
status = "finished"
started = "2026-11-23T20:10:00Z"
score = 1000
correct = 1
answered = 2
best_streak = 1
questions = [
    "balcaen-age/multiple-1",
    "balcaen-team/multiple-1",
]
finished = "2026-11-23T20:15:00Z"
deck_path = "/home/ann/decks/mine.toml"

[[answers]]
question = "balcaen-age/multiple-1"
fact = "balcaen-age"
prompt = "How old was Amber Balcaen?"
correct = true
seconds = 4.2
points = 1000
right = "33"
choice = 1
chosen = "33"

[[answers]]
question = "balcaen-team/multiple-1"
fact = "balcaen-team"
prompt = "Which team?"
correct = false
seconds = 20.0
points = 0
right = "Venturini"

[match]
id = "5e6f"
players = [
    "Ann",
    "Ben",
]

[[match.teams]]
name = "Red"
players = [
    "Ann",
]

[[match.teams]]
name = "Blue"
players = [
    "Ben",
]
"""


def test_an_existing_save_reads_and_writes_back_the_same_bytes() -> None:
    record = GameRecord.model_validate(tomllib.loads(SAVED))
    assert record.match is not None and [t.name for t in record.match.teams] == ["Red", "Blue"]
    assert record.answers[1].choice is None
    assert record.to_toml() == SAVED


def test_a_game_written_and_read_back_writes_the_same_file(tmp_path: Path) -> None:
    questions = make_quiz(load_deck(FIXED), 3, 3)
    game = Game(questions, player="Ann", deck_id="amber", deck_title="T", seed=3, timer=10)
    game.match = MatchInfo("m1", ("Ann", "Bo"))
    game.answer(questions[0].answer, 1.5)
    game.answer(None, 10)
    game.finished_at = "2026-11-23T20:15:00Z"
    saves = SaveFolder(tmp_path)
    path = saves.save_finished(game)
    loaded = saves.load(path)
    assert loaded is not None
    assert loaded.record.to_toml().encode() == path.read_bytes()
    assert [a.choice for a in loaded.record.answers] == [questions[0].answer, None]
    assert loaded.record.match is not None and loaded.record.match.players == ["Ann", "Bo"]


def typed_game() -> Game:
    """A game whose answers carry what issue 25's forms give: text, a number, an order, a share."""
    questions = make_quiz(load_deck(FIXED), 5, 4)
    game = Game(questions, player="Ann", deck_id="amber", deck_title="T", seed=5)
    game.answers += [
        Answer(questions[0].id, questions[0].fact, None, True, 2.5, 900, text="Venturini\x1b"),
        Answer(questions[1].id, questions[1].fact, None, False, 3.0, 400, value=31, credit=0.4),
        Answer(
            questions[2].id, questions[2].fact, None, False, 4.0, 500, order=(2, 0, 1), credit=0.5
        ),
        Answer(questions[3].id, questions[3].fact, None, False, 5.0, 0, text="x" * 500, credit=0.0),
    ]
    game.finished_at = "2026-11-23T20:15:00Z"
    return game


def test_typed_estimate_and_order_answers_are_saved_and_read_back(tmp_path: Path) -> None:
    saves = SaveFolder(tmp_path)
    path = saves.save_finished(typed_game())
    rows = tomllib.loads(path.read_text(encoding="utf-8"))["answers"]
    # What was typed is kept cleaned and capped, and shown back as what the player chose.
    assert rows[0]["text"] == rows[0]["chosen"] == "Venturini"
    assert len(rows[3]["text"]) == 200
    assert rows[1]["value"] == 31 and rows[2]["order"] == [2, 0, 1]
    # The share of points is kept when it says more than right or wrong does.
    assert [r.get("credit") for r in rows] == [None, 0.4, 0.5, None]
    assert not {"choice", "value", "order"} & set(rows[0])
    loaded = saves.load(path)
    assert loaded is not None
    assert loaded.record.to_toml().encode() == path.read_bytes()
    back = restore_answers(loaded.record)
    assert [(a.text, a.value, a.order, a.credit) for a in back] == [
        ("Venturini", None, None, None),
        (None, 31, None, 0.4),
        (None, None, (2, 0, 1), 0.5),
        ("x" * 200, None, None, None),
    ]


def test_a_multiple_choice_save_has_none_of_the_new_keys(tmp_path: Path) -> None:
    questions = make_quiz(load_deck(FIXED), 3, 2)
    game = Game(questions, player="Ann", deck_id="amber", deck_title="T", seed=3)
    game.answer(questions[0].answer, 1.0)
    game.answer(None, 3.0)
    path = SaveFolder(tmp_path).save_finished(game)
    rows = tomllib.loads(path.read_text(encoding="utf-8"))["answers"]
    assert [sorted(r) for r in rows] == [
        sorted(
            [
                "question",
                "fact",
                "prompt",
                "correct",
                "seconds",
                "points",
                "right",
                "choice",
                "chosen",
            ]
        ),
        sorted(["question", "fact", "prompt", "correct", "seconds", "points", "right"]),
    ]


@pytest.mark.parametrize(
    ("key", "value"),
    [
        ("value", 10**13),
        ("value", 2**80),
        ("value", 1.5),
        ("order", list(range(10_000))),
        ("order", [0]),
        ("order", [0, 0, 1]),
        ("order", [0, 9]),
        ("order", [0, -1]),
        ("order", "012"),
        ("credit", math.nan),
        ("credit", math.inf),
        ("credit", 1.5),
        ("credit", -0.1),
        ("text", "a\x1b]0;pwned\x07b"),
        ("text", "a\u202eb"),
        ("text", "x" * 201),
        ("text", 7),
    ],
)
def test_hostile_values_in_the_new_keys_make_the_save_damaged(
    tmp_path: Path, key: str, value: object
) -> None:
    """Set aside, unchanged, with a notice naming the field: never a traceback, never played."""
    told: list[str] = []
    saves = SaveFolder(tmp_path, notify=told.append)
    path = saves.save_finished(typed_game())
    data = tomllib.loads(path.read_text(encoding="utf-8"))
    data["answers"][1][key] = value
    hostile = tomli_w.dumps(data).encode()
    path.write_bytes(hostile)
    assert saves.load(path) is None
    assert not path.exists()
    (aside,) = path.parent.glob("*.corrupt-*.toml")
    assert aside.read_bytes() == hostile
    assert len(told) == 1 and f"answers.1.{key}" in told[0] and "set aside" in told[0]
