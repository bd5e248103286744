"""Issue 25's deck fields (tolerance; accept for typed answers) and two newcomer findings.

A mistyped kind gets a "did you mean", and hides none of its fact's other
faults; no message a contributor reads names pydantic's error types or classes.
"""

from __future__ import annotations

from pathlib import Path

import pytest

from quiz.authoring.validate import check_file

HEAD = """id = "kinds"
title = "Kinds"
subject = "Testing"
description = "A small deck."

[[sources]]
id = "notes"
title = "Test notes"
"""

FACT = """
[[facts]]
id = "the-fact"
statement = "The race had 200 laps."
answer = {answer}
questions = ["{question}"]
explanation = "It was long."
source = "notes"
{extra}
"""

# What must never reach a contributor: pydantic's own words and our class names.
LEAKS = (
    "union_tag",
    "model_type",
    "Input should",
    "pydantic",
    "Answer",
    "PoolValue",
    "Fact ",
    "Deck",
    "function-",
    "[type=",
)


def check(
    tmp_path: Path, answer: str, question: str = "How many laps?", extra: str = ""
) -> list[str]:
    path = tmp_path / "deck.toml"
    text = HEAD + FACT.format(answer=answer, question=question, extra=extra)
    path.write_text(text, encoding="utf-8")
    messages = [f"{p.line}: {p.severity}: {p.message}" for p in check_file(path).problems]
    for message in messages:
        assert not any(leak in message for leak in LEAKS), message
    return messages


def test_a_mistyped_kind_is_named_with_the_kind_meant_and_hides_no_other_fault(
    tmp_path: Path,
) -> None:
    messages = check(
        tmp_path, '{ kind = "interger", value = 200 }', question="How many laps were there"
    )
    assert any('unknown kind "interger" — did you mean "integer"?' in m for m in messages)
    assert "14: warning: a question should end with '?'" in messages


def test_a_tolerance_as_wide_as_the_range_is_an_error_at_its_line(tmp_path: Path) -> None:
    messages = check(
        tmp_path, '{ kind = "integer", value = 200, min = 150, max = 250, tolerance = 100 }'
    )
    assert [m for m in messages if "tolerance" in m] == [
        "13: error: the tolerance 100 is not less than the answer's whole range (150..250, "
        "100 apart), so every estimate would earn points; make it smaller, or widen min..max"
    ]
    ordinal = check(tmp_path, '{ kind = "ordinal", value = 8, max = 40, tolerance = 39 }')
    assert any("tolerance 39" in m for m in ordinal)


@pytest.mark.parametrize(
    "answer",
    [
        '{ kind = "integer", value = 200, min = 150, max = 250, tolerance = 20 }',
        '{ kind = "ordinal", value = 8, max = 40, tolerance = 2 }',
        '{ kind = "year", value = 2020, min = 2010, max = 2024, tolerance = 1 }',
    ],
)
def test_a_tolerance_inside_the_range_is_accepted(tmp_path: Path, answer: str) -> None:
    assert not [m for m in check(tmp_path, answer) if "error" in m]


def test_a_tolerance_out_of_bounds_or_on_a_text_answer_is_refused_plainly(tmp_path: Path) -> None:
    assert any(
        "'answer.tolerance' must be at most 1000, not 5000" in m
        for m in check(tmp_path, '{ kind = "integer", value = 200, tolerance = 5000 }')
    )
    assert any(
        "'answer.tolerance' must be at least 0, not -1" in m
        for m in check(tmp_path, '{ kind = "year", value = 2020, tolerance = -1 }')
    )
    text = check(tmp_path, '{ kind = "text", value = "Two hundred", tolerance = 3 }')
    assert any("unknown key 'tolerance'" in m for m in text)


def test_a_value_accepted_and_wrong_at_once_is_an_error(tmp_path: Path) -> None:
    # Folded (case, accents, look-alike letters), "YELLOW" is the wrong value "yellow".
    extra = 'wrong = ["Red", "Blue", "Green", "yellow"]\naccept = ["YELLOW"]'
    messages = check(tmp_path, '{ kind = "text", value = "Gold" }', extra=extra)
    assert any(
        "error: 'yellow' is accepted and wrong at once; keep it in one list only" in m
        for m in messages
    )


@pytest.mark.parametrize(
    "answer, expected",
    [
        ("{ value = 3 }", "'answer' needs a 'kind', one of:"),
        ('"three"', "'answer' must be a table"),
        ("{ kind = 3, value = 3 }", "'answer': unknown kind"),
        ('{ kind = "zzz", value = 3 }', 'unknown kind "zzz" — use one of: pool, ordinal'),
        ('{ kind = "year", value = "2020" }', "'answer.value' must be a whole number"),
        ('{ kind = "boolean", value = "yes" }', "'answer.value' must be true or false"),
    ],
)
def test_broken_answers_are_explained_in_a_contributors_words(
    tmp_path: Path, answer: str, expected: str
) -> None:
    messages = check(tmp_path, answer)
    assert any(expected in m for m in messages), messages


def test_a_broken_pool_value_is_explained_without_the_schemas_names(tmp_path: Path) -> None:
    pools = '[pools]\nteams = [3, { value = "A", since = "x" }, { valeu = "B" }]\n'
    path = tmp_path / "deck.toml"
    path.write_text(HEAD + pools, encoding="utf-8")
    messages = [p.message for p in check_file(path).problems]
    assert messages and not [m for m in messages if any(leak in m for leak in LEAKS)], messages
    assert not [m for m in messages if ".str" in m or "str " in m], messages
