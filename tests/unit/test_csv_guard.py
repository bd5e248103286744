"""One rule for CSV cells a spreadsheet would run: the report and export share it."""

from __future__ import annotations

import pytest

from quiz.text import guard_cell, runs_as_formula


@pytest.mark.parametrize("start", ["=", "+", "-", "@", "\t", "\r"])
def test_every_formula_start_is_caught(start: str) -> None:
    assert runs_as_formula(start + "HYPERLINK(1)")
    assert guard_cell(start + "1") == "'" + start + "1"


@pytest.mark.parametrize("value", ["", "Kansas", "8th", " =1", "'quoted"])
def test_plain_text_and_the_empty_cell_are_left_alone(value: str) -> None:
    assert not runs_as_formula(value)
    assert guard_cell(value) == value


def test_numbers_are_left_alone() -> None:
    assert guard_cell(-3) == -3
