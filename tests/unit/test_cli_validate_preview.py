"""`quiz validate` and `quiz preview`: the command-line contract."""

from __future__ import annotations

import json
from pathlib import Path
from typing import Any

import pytest

from tests.conftest import BUNDLED, DATA, FIXED, MINI, Cli, run_quiz


def test_validate_bundled_decks_by_default(cli) -> None:  # type: ignore[no-untyped-def]
    result = cli("validate")
    assert result.code == 0, result.out + result.err
    assert result.out == ""
    assert "0 errors" in result.err


def test_validate_reports_each_problem_on_its_own_line(cli) -> None:  # type: ignore[no-untyped-def]
    bad = DATA / "decks" / "bad"
    result = cli("validate", str(bad / "unknown-key.toml"), str(bad / "wrong-type.toml"))
    assert result.code == 1
    lines = result.out.splitlines()
    assert (
        f"{bad / 'unknown-key.toml'}:30: [bad-place] unknown key 'explenation'; did you mean 'explanation'?"
        in lines
    )
    assert any(line.startswith(f"{bad / 'wrong-type.toml'}:26: [bad-place] ") for line in lines)


def test_validate_a_folder(cli) -> None:  # type: ignore[no-untyped-def]
    result = cli("validate", str(DATA / "decks" / "good"))
    assert result.code == 0, result.out


def test_validate_missing_file_and_folder_are_problems_not_usage_errors(
    cli, tmp_path: Path
) -> None:  # type: ignore[no-untyped-def]
    result = cli("validate", str(tmp_path / "nope.toml"))
    assert result.code == 1
    assert f"{tmp_path / 'nope.toml'}:1: no such file" in result.out
    empty = tmp_path / "empty"
    empty.mkdir()
    result = cli("validate", str(empty))
    assert result.code == 1 and "is a folder" in result.out


def test_validate_syntax_error_keeps_tomllib_line_and_column(cli, tmp_path: Path) -> None:  # type: ignore[no-untyped-def]
    path = tmp_path / "broken.toml"
    path.write_text('id = "x"\n\ntitle = "unclosed\n', encoding="utf-8")
    result = cli("validate", str(path))
    assert result.code == 1
    assert result.out.startswith(f"{path}:3: this is not valid TOML")
    assert "line 3, column" in result.out
    assert "is a string's closing quote missing on this line?" in result.out  # what went wrong
    assert "[" not in result.out.split(":", 2)[2].split("this is")[0]


def test_duplicate_fact_id_across_decks(cli, tmp_path: Path) -> None:  # type: ignore[no-untyped-def]
    copy = tmp_path / "copy.toml"
    copy.write_text(
        MINI.read_text(encoding="utf-8").replace('id = "mini"', 'id = "mini-copy"'),
        encoding="utf-8",
    )
    result = cli("validate", str(MINI), str(copy))
    assert result.code == 1
    assert f"{copy}:18: [mini-city] the fact id 'mini-city' is already used in {MINI}" in result.out


def test_usage_error_is_exit_2(cli) -> None:  # type: ignore[no-untyped-def]
    assert cli("validate", "--bogus").code == 2
    assert cli("preview", "--count", "zero").code == 2
    assert cli("nonsense-command").code == 2


def test_preview_json_contract(cli) -> None:  # type: ignore[no-untyped-def]
    result = cli(
        "preview", "--deck", str(FIXED), "--format", "json", "--count", "500", "--seed", "7"
    )
    assert result.code == 0
    questions = json.loads(result.out)
    assert len(questions) >= 25
    for q in questions:
        assert {
            "id",
            "fact",
            "kind",
            "prompt",
            "choices",
            "answer",
            "explanation",
            "source",
        } <= q.keys()
        assert isinstance(q["choices"], list) and all(isinstance(c, str) for c in q["choices"])
        assert 0 <= q["answer"] < len(q["choices"])
        assert "Amber Balcaen" in q["source"] or "Article" in q["source"]
        if q["kind"] == "boolean":
            assert q["choices"] == ["True", "False"]
    assert len({q["id"] for q in questions}) == len(questions)


def test_preview_is_the_same_on_every_run() -> None:
    first = run_quiz("preview", "--format", "json", "--count", "500", "--seed", "7")
    second = run_quiz("preview", "--format", "json", "--count", "500", "--seed", "7")
    assert first.code == 0 and first.out == second.out


def test_preview_default_count_is_10_and_text_form_shows_answers(cli) -> None:  # type: ignore[no-untyped-def]
    result = cli("preview", "--seed", "3")
    assert result.code == 0
    assert "10 questions, seed 3" in result.out
    assert result.out.count("Answer: ") == 10


def test_preview_unknown_deck_and_broken_deck(cli) -> None:  # type: ignore[no-untyped-def]
    result = cli("preview", "--deck", "no-such-deck")
    assert result.code == 1 and "no deck file or bundled deck called 'no-such-deck'" in result.err
    result = cli("preview", "--deck", str(DATA / "decks" / "bad" / "unknown-pool.toml"))
    assert result.code == 1 and "unknown-pool.toml:17: [bad-city] unknown pool" in result.err
    assert "Traceback" not in result.err


def test_preview_deck_by_path_and_id(cli) -> None:  # type: ignore[no-untyped-def]
    assert cli("preview", "--deck", str(MINI), "--seed", "1").code == 0
    assert cli("preview", "--deck", "amber-balcaen", "--seed", "1").code == 0


def test_python_dash_m_quiz_works() -> None:
    result = run_quiz("validate", str(BUNDLED))
    assert result.code == 0, result.err


@pytest.mark.parametrize(
    ("args", "says"),
    [
        (("validate", "/"), "/:1: this folder holds more than"),
        (("preview", "--deck", "/etc"), "/etc:1: this file is a folder, not a deck file"),
    ],
)
def test_odd_paths_are_located_errors(cli: Cli, args: tuple[str, ...], says: str) -> None:
    result = cli(*args)
    assert result.code == 1, result.out + result.err
    assert says in result.out + result.err


ALL_KINDS = "multiple,boolean,timeline,typed,estimate,order"


def test_preview_kinds_json_gives_each_form_its_own_fields(cli: Cli) -> None:
    by_kind: dict[str, dict[str, Any]] = {}
    for seed in range(1, 6):
        result = cli(
            "preview",
            "--kinds",
            ALL_KINDS,
            "--format",
            "json",
            "--count",
            "10",
            "--seed",
            str(seed),
        )
        assert result.code == 0, result.err
        for q in json.loads(result.out):
            by_kind.setdefault(q["kind"], q)
    assert {"typed", "estimate", "order"} <= by_kind.keys()
    typed, estimate, order = by_kind["typed"], by_kind["estimate"], by_kind["order"]
    assert "choices" not in typed and "choices" not in estimate and "choices" not in order
    assert isinstance(typed["accept"], list) and typed["answer_text"] == typed["accept"][0]
    low, high = estimate["range"]
    assert isinstance(estimate["answer_value"], int) and isinstance(estimate["tolerance"], int)
    assert low is None or low <= estimate["answer_value"]
    assert high is None or estimate["answer_value"] <= high
    items, right = order["items"], order["order"]
    assert isinstance(items, list) and sorted(right) == list(range(len(items)))


def test_preview_kinds_picks_only_those_forms(cli: Cli) -> None:
    result = cli("preview", "--kinds", "typed", "--format", "json", "--count", "5", "--seed", "2")
    assert result.code == 0, result.err
    assert {q["kind"] for q in json.loads(result.out)} == {"typed"}
    result = cli("preview", "--kinds", "boolean", "--format", "json", "--seed", "2")
    assert {q["kind"] for q in json.loads(result.out)} == {"boolean"}


def test_preview_unknown_kind_names_the_valid_ones(cli: Cli) -> None:
    result = cli("preview", "--kinds", "typed,essay")
    assert result.code == 2 and "Traceback" not in result.err
    assert f"unknown kind 'essay'; the kinds are {ALL_KINDS}" in result.err


def test_answer_key_reads_out_each_form(cli: Cli) -> None:
    result = cli(
        "preview", "--kinds", "estimate,order,typed", "--answer-key", "--seed", "3", "--count", "6"
    )
    assert result.code == 0, result.err
    assert "--kinds estimate,order,typed" in result.out  # the same quiz for players
    assert "off earns part of the points. A number from" in result.out  # tolerance, range
    assert " → " in result.out  # an order, first to last
    text = cli("preview", "--kinds", "typed", "--seed", "4", "--count", "3")
    assert text.out.count("Answer: ") == 3 and "Also accepted: " in text.out
