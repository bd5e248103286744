"""The save record has one schema: what quiz writes is what it reads, byte for byte."""

from __future__ import annotations

import tomllib
from pathlib import Path

from quiz.deckfile.read import load_deck
from quiz.game.play import Game, MatchInfo
from quiz.questions.plan import make_quiz
from quiz.saves.folder import SaveFolder
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
