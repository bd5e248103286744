"""The two shapes of a deck stay in step.

Plain frozen dataclasses (quiz.model) are what the game uses, for start-up
speed; pydantic models (quiz.deckfile.schema) check a deck file at the edge.
Both must name the same fields and the same closed vocabularies, or a key the
schema accepts would be lost (or one the game reads never checked).
"""

from __future__ import annotations

import dataclasses
import typing

import pytest

from quiz import model
from quiz.deckfile import limits, schema
from quiz.saves import records

# Fields one side has and the other lacks on purpose, each with why.
KNOWN = {
    # The game keeps each pool value's details apart from the values themselves.
    "Deck": ({"pool_info"}, set()),
    # A pool value in the file names itself; the game keys its details by value.
    "PoolInfo": (set(), {"value"}),
}
PAIRS = [
    (model.Source, schema.Source),
    (model.PoolAnswer, schema.PoolAnswer),
    (model.PoolInfo, schema.PoolValue),
    (model.OrdinalAnswer, schema.OrdinalAnswer),
    (model.IntegerAnswer, schema.IntegerAnswer),
    (model.YearAnswer, schema.YearAnswer),
    (model.DateAnswer, schema.DateAnswer),
    (model.QuoteAnswer, schema.QuoteAnswer),
    (model.BooleanAnswer, schema.BooleanAnswer),
    (model.TextAnswer, schema.TextAnswer),
    (model.Reverse, schema.Reverse),
    (model.Timeline, schema.Timeline),
    (model.Fact, schema.Fact),
    (model.Deck, schema.Deck),
]


@pytest.mark.parametrize("plain, edge", PAIRS, ids=[p.__name__ for p, _ in PAIRS])
def test_dataclass_and_schema_name_the_same_fields(plain: type, edge: type) -> None:
    only_plain, only_edge = KNOWN.get(plain.__name__, (set(), set()))
    plain_fields = {f.name for f in dataclasses.fields(plain)}
    edge_fields = set(edge.model_fields)
    assert plain_fields - only_plain == edge_fields - only_edge, (
        f"{plain.__name__}: only in quiz.model: {sorted(plain_fields - edge_fields - only_plain)}; "
        f"only in the schema: {sorted(edge_fields - plain_fields - only_edge)}"
    )


def test_every_answer_kind_has_one_class_on_each_side() -> None:
    kinds = typing.get_args(model.AnswerKind)
    assert limits.ANSWER_KINDS == kinds
    assert set(model.ANSWER_TYPES) == set(kinds)
    for kind, plain in model.ANSWER_TYPES.items():
        assert plain(**_example(plain)).kind == kind
    edge_kinds = {
        typing.get_args(cls.model_fields["kind"].annotation)[0]
        for _, cls in PAIRS
        if "kind" in cls.model_fields
    }
    assert edge_kinds == set(kinds)


def test_difficulty_and_status_are_the_aliases() -> None:
    assert limits.DIFFICULTIES == typing.get_args(model.Difficulty)
    assert schema.Fact.model_fields["difficulty"].annotation == model.Difficulty
    assert records.GameRecord.model_fields["status"].annotation == model.GameStatus


def _example(cls: type) -> dict[str, object]:
    """The fewest arguments that build one of quiz.model's answers."""
    values = {"pool": "p", "value": 1}
    return {
        f.name: values.get(f.name, "x")
        for f in dataclasses.fields(cls)
        if f.default is dataclasses.MISSING
    }
