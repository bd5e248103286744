"""Issue 25 in the room: typed, estimate and order questions over the wire, judged by the room."""

from __future__ import annotations

import json
from typing import Any

import pytest

from quiz.deckfile.read import load_deck
from quiz.questions.plan import make_quiz
from quiz.questions.question import Question
from quiz.room import protocol
from quiz.room.protocol import RoomError
from tests.conftest import BUNDLED

DECK = load_deck(BUNDLED)
_FORMS = make_quiz(DECK, 1, 10, kinds=("typed", "estimate", "order"))
TYPED = next(q for q in _FORMS if q.kind == "typed")
ESTIMATE = next(q for q in _FORMS if q.kind == "estimate")
ORDER = next(q for q in _FORMS if q.kind == "order")


def frame(**fields: Any) -> str:
    return json.dumps({"type": "answer", "question": 1, **fields})


# --- the frames ------------------------------------------------------------------------


@pytest.mark.parametrize(
    "fields",
    [{"choice": 2}, {"text": "Venturini"}, {"value": -7}, {"order": [2, 0, 1]}],
)
def test_an_answer_carries_any_one_of_its_four_fields(fields: dict[str, Any]) -> None:
    parsed = protocol.parse(frame(**fields))
    assert isinstance(parsed, protocol.AnswerFrame)
    (name,) = fields
    assert parsed.carries == name and getattr(parsed, name) == fields[name]
    # What a client writes is what the room reads.
    again = protocol.parse(protocol.answer(1, **fields))
    assert again == parsed


@pytest.mark.parametrize(
    ("fields", "said"),
    [
        ({}, "exactly one of choice, text, value, order, not none"),
        ({"choice": 1, "text": "x"}, "not choice and text"),
        ({"value": 3, "order": [0, 1, 2]}, "not value and order"),
        ({"text": "x" * 201}, "text: String should have at most 200 characters"),
        ({"text": 7}, "text: Input should be a valid string"),
        ({"value": "8th"}, "value: Input should be a valid integer"),
        ({"value": 10**9 + 1}, "value: Input should be less than or equal to 1000000000"),
        ({"value": True}, "value: Input should be a valid integer"),
        ({"value": 2.5}, "value: Input should be a valid integer"),
        ({"order": [0]}, "order: List should have at least 2 items"),
        ({"order": list(range(7))}, "order: List should have at most 6 items"),
        ({"order": [0, -1, 2]}, "order.1: Input should be greater than or equal to 0"),
        ({"order": "cab"}, "order: Input should be a valid list"),
    ],
)
def test_a_bad_answer_is_refused_with_where_and_why(fields: dict[str, Any], said: str) -> None:
    with pytest.raises(RoomError) as caught:
        protocol.parse(frame(**fields))
    assert caught.value.code == "bad-message"
    assert said in caught.value.message and caught.value.message.startswith("answer: ")


def test_a_10_kb_text_is_refused_before_it_is_read() -> None:
    with pytest.raises(RoomError, match="at most 4096 bytes"):
        protocol.parse(frame(text="\x1b[31m" * 2000))


def test_an_asked_frame_says_its_kind_and_never_the_answer() -> None:
    typed = json.loads(protocol.dump(protocol.question(1, 3, TYPED, 20)))
    assert typed["kind"] == "typed" and typed["choices"] == [] and typed["items"] == []
    estimate = json.loads(protocol.dump(protocol.question(2, 3, ESTIMATE, 20)))
    assert estimate["kind"] == "estimate" and estimate["choices"] == []
    assert (estimate["low"], estimate["high"], estimate["unit"]) == (
        ESTIMATE.low,
        ESTIMATE.high,
        "place",
    )
    order = json.loads(protocol.dump(protocol.question(3, 3, ORDER, 20)))
    assert order["kind"] == "order" and order["items"] == list(ORDER.choices)
    assert order["choices"] == []
    for shown in (typed, estimate, order):
        text = json.dumps(shown)
        assert "answer" not in shown and "accept" not in text and "tolerance" not in text
        assert protocol.read(json.dumps(shown)) is not None
    assert str(ESTIMATE.value) not in json.dumps({k: v for k, v in estimate.items() if k != "low"})


def test_a_client_reads_an_old_rooms_question_and_drops_a_frame_that_does_not_fit() -> None:
    old = {"type": "question", "question": 1, "count": 2, "prompt": "P?", "choices": ["a", "b"]}
    read = protocol.read(json.dumps(old))
    assert read is not None and read["kind"] == "multiple"
    for bad in (
        {**old, "choices": []},  # a multiple-choice question with nothing to pick
        {**old, "kind": "typed"},  # typed, yet choices
        {**old, "kind": "order", "choices": [], "items": []},
        {**old, "kind": "order", "choices": [], "items": ["x"] * 7},
        {**old, "kind": "guess", "choices": []},
        {**old, "kind": "estimate", "choices": [], "low": 1.5},
    ):
        assert protocol.read(json.dumps(bad)) is None, bad
    hostile = {**old, "kind": "order", "choices": [], "items": ["\x1b]0;owned\x07A", "B", "C"]}
    read = protocol.read(json.dumps(hostile))
    assert read is not None and read["items"] == ["]0;ownedA", "B", "C"]


def _reveal(asked: Question, **own: Any) -> str:
    return protocol.dump(protocol.reveal(1, asked, False, 0, 0, 1, 2, **own))


@pytest.mark.parametrize(
    ("asked", "own"),
    [
        (TYPED, {"given": "[bold]venturini\\x1b[0m"}),
        (ESTIMATE, {"given": "8th", "credit": 1 / 3, "off": 2}),
        (ORDER, {"given": "C → A → B", "credit": 1.0}),
        (ORDER, {"credit": 0}),
        (TYPED, {}),
    ],
)
def test_the_reveal_for_many_players_is_the_reveal_for_one_byte_for_byte(
    asked: Question, own: dict[str, Any]
) -> None:
    texts = protocol.reveal_texts(1, asked, 2)
    assert texts(False, 0, 0, 1, **own) == _reveal(asked, **own)


def test_a_reveal_says_the_right_answer_in_words_for_every_form() -> None:
    typed = protocol.read(_reveal(TYPED, given="venturini", credit=1.0))
    assert typed is not None and typed["answer"] is None and typed["kind"] == "typed"
    assert typed["answer_text"] == TYPED.right and typed["given"] == "venturini"
    estimate = protocol.read(_reveal(ESTIMATE, given="4th", credit=0.5, off=2))
    assert estimate is not None and estimate["answer_value"] == ESTIMATE.value
    assert (estimate["off"], estimate["credit"]) == (2, 0.5)
    order = protocol.read(_reveal(ORDER))
    assert order is not None and order["order"] == list(ORDER.order) and order["given"] is None
    # A player's text that slipped a control character in is shown without it.
    sneaky = json.loads(_reveal(TYPED))
    sneaky["given"] = "\x1b[2Jwiped"
    read = protocol.read(json.dumps(sneaky))
    assert read is not None and read["given"] == "[2Jwiped"
    assert protocol.read(json.dumps({**sneaky, "credit": 1.5})) is None
