"""Fuzzing: loaders raise nothing but DeckError; writers never leave a file that will not load.

A short run is part of the suite; `make fuzz` runs a long one
(QUIZ_FUZZ_EXAMPLES sets the number of examples per property).
"""

from __future__ import annotations

import os
import tempfile
import tomllib
from pathlib import Path

import tomli_w
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from quiz.deck import DeckError, load_deck
from quiz.game import Game
from quiz.generate import Question
from quiz.saves import SaveFolder
from quiz.session import check_name
from quiz.text import clean
from quiz.validate import check_file
from tests.conftest import BUNDLED

EXAMPLES = int(os.environ.get("QUIZ_FUZZ_EXAMPLES", "40"))
FUZZ = settings(
    max_examples=EXAMPLES,
    deadline=None,
    suppress_health_check=[HealthCheck.too_slow, HealthCheck.data_too_large],
)
BASE = BUNDLED.read_text(encoding="utf-8")
KEYS = [
    "id",
    "title",
    "subject",
    "description",
    "language",
    "sources",
    "pools",
    "facts",
    "statement",
    "answer",
    "kind",
    "value",
    "pool",
    "max",
    "min",
    "questions",
    "claim",
    "wrong",
    "accept",
    "reverse",
    "timeline",
    "event",
    "step",
    "explanation",
    "source",
    "tags",
    "difficulty",
    "url",
    "publisher",
    "date",
    "unit",
    "question",
]
nasty_text = st.text(st.characters(codec="utf-8"), max_size=80) | st.sampled_from(
    [
        "",
        "\x1b[2J",
        "\u202eevil",
        "[@click=app.quit]x",
        "a" * 400,
        "{answer}",
        "2025-13",
        "\x00",
        "ordinal",
        "pool",
    ]
)
leaves = st.booleans() | st.integers(-(10**15), 10**15) | st.floats(allow_nan=True) | nasty_text
values = st.recursive(
    leaves,
    lambda inner: (
        st.lists(inner, max_size=4)
        | st.dictionaries(st.sampled_from(KEYS) | nasty_text, inner, max_size=5)
    ),
    max_leaves=25,
)


def try_load(data: bytes) -> None:
    with tempfile.TemporaryDirectory() as folder:
        path = Path(folder) / "deck.toml.txt"
        path.write_bytes(data)
        try:
            load_deck(path)
        except DeckError as exc:
            assert exc.problems and all(p.line >= 1 for p in exc.problems)
        checked = check_file(path)  # never raises
        assert checked.deck is not None or checked.problems


@FUZZ
@given(st.binary(max_size=3000))
def test_any_bytes(data: bytes) -> None:
    try_load(data)


@FUZZ
@given(
    st.lists(
        st.tuples(st.integers(0, len(BASE)), st.integers(0, 120), nasty_text),
        min_size=1,
        max_size=4,
    )
)
def test_mutated_real_deck(edits: list[tuple[int, int, str]]) -> None:
    text = BASE
    for at, cut, insert in edits:
        text = text[:at] + insert + text[at + cut :]
    try_load(text.encode("utf-8", "surrogatepass"))


@FUZZ
@given(st.dictionaries(st.sampled_from(KEYS), values, max_size=8))
def test_random_structures(data: dict) -> None:
    try:
        text = tomli_w.dumps(data)
    except (TypeError, ValueError):
        return  # not representable in TOML (None, nan...): nothing to load
    try_load(text.encode("utf-8", "surrogatepass"))


@FUZZ
@given(
    name=st.text(max_size=60),
    prompt=nasty_text,
    choices=st.lists(nasty_text, min_size=2, max_size=4),
    picks=st.lists(st.integers(0, 3), min_size=1, max_size=3),
)
def test_saves_always_load_back(
    name: str, prompt: str, choices: list[str], picks: list[int]
) -> None:
    try:
        player = check_name(name)
    except ValueError:
        return
    questions = [
        Question(
            id=f"f{k}/multiple-1",
            fact=f"f{k}",
            kind="multiple",
            prompt=prompt,
            choices=tuple(choices),
            answer=0,
            explanation=prompt,
            source=prompt,
            difficulty="easy",
        )
        for k in range(len(picks))
    ]
    game = Game(questions, player=player, deck_id="fuzz", deck_title=prompt, seed=1)
    for pick in picks:
        game.answer(pick % len(choices), 1.0)
    with tempfile.TemporaryDirectory() as folder:
        saves = SaveFolder(folder)
        path = saves.save_finished(game)
        tomllib.loads(path.read_text(encoding="utf-8"))
        (record,) = list(saves.games())
        assert saves.notices == []
        # Saves come back exactly as they are shown: made display-safe where read.
        assert record.player == player and record.deck_title == clean(prompt)
        assert [a.chosen for a in record.answers] == [
            clean(choices[p % len(choices)]) for p in picks
        ]
