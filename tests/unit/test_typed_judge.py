"""What a typed answer may get wrong and still be right: typos, not other answers."""

from __future__ import annotations

import dataclasses

import pytest

from quiz.deckfile.read import load_deck
from quiz.game.judge import typed_verdict
from quiz.questions.generate import Generator
from tests.conftest import FIXED

TYPED = Generator(load_deck(FIXED), 1).all_questions()
TEAM = next(q for q in TYPED if q.id == "fx-balcaen-current-team/typed-1")


def judged(accept: str, typed: str, refuse: tuple[str, ...] = ()) -> bool:
    question = dataclasses.replace(TEAM, answer_text=accept, accept=(accept,), refuse=refuse)
    return typed_verdict(question, typed).correct


@pytest.mark.parametrize(
    ("accept", "typed"),
    [
        ("North Korea", "north koraa"),  # one typo in a five-letter word
        ("North Korea", "Nroth Korea"),  # two letters swapped are one typo
        ("North Korea", "northkorea"),  # spaces do not count
        ("Dover", "Dovre"),
        ("Australia", "Australai"),
        ("Australia", "Astralia"),
        ("Venturini Motorsports", "venturini motorsprots"),
    ],
)
def test_typos_are_forgiven(accept: str, typed: str) -> None:
    assert judged(accept, typed), typed


@pytest.mark.parametrize(
    ("accept", "typed"),
    [
        ("North Korea", "South Korea"),  # two letters apart, but another word
        ("North Korea", "southkorea"),
        ("Australia", "Austria"),  # two letters short of a nine-letter word
        ("Zambia", "Gambia"),  # a word keeps its first letter
        ("1000000", "1000001"),  # digits are never a typo
        ("Route 66", "Route 67"),
        ("Ohio", "Iowa"),  # short words must be exact
    ],
)
def test_another_answer_is_not_a_typo(accept: str, typed: str) -> None:
    assert not judged(accept, typed), typed


def test_a_listed_wrong_value_is_never_taken_however_close() -> None:
    assert not judged("Iceland", "Ireland", refuse=("Ireland",))
    # as close to the listed wrong value as to the right one: not taken
    assert not judged("Iceland", "Irceland", refuse=("Ireland",))
    assert judged("Iceland", "Icelnad", refuse=("Ireland",))


@pytest.mark.parametrize(
    ("typed", "value"),
    [
        ("8,000,000,000", 8_000_000_000),  # past 10^9: a deck may ask it, so a player can say it
        ("-1000000000000", -(10**12)),
        ("1000000000001", None),  # past any number a deck holds
        ("99999999999999", None),
    ],
)
def test_any_number_a_deck_holds_can_be_typed(typed: str, value: int | None) -> None:
    from quiz.game.judge import parse_value

    assert parse_value(typed) == value
