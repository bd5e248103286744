"""What contributors and reviewers meet: the JSON Schema, GitHub annotations, --strict, preview --fact."""

from __future__ import annotations

import json
import tomllib
from pathlib import Path

import jsonschema
import pytest

from quiz.deckfile.schema import json_schema
from tests.conftest import BUNDLED, DATA, FIXED, ROOT

SCHEMA_FILE = ROOT / "questions" / "deck.schema.json"
BAD = DATA / "decks" / "bad"
# Mistakes the schema itself can see; the others (ids, sources, fairness) need `quiz validate`.
STRUCTURAL = [
    "unknown-key",
    "missing-field",
    "wrong-type",
    "bool-not-int",
    "control-char",
    "bidi-override",
    "too-long",
    "bad-slug",
    "unknown-kind",
    "newline-in-prompt",
]


def test_committed_schema_matches_the_models() -> None:
    committed = json.loads(SCHEMA_FILE.read_text(encoding="utf-8"))
    assert committed == json_schema(), (
        "questions/deck.schema.json is stale: run `quiz schema > questions/deck.schema.json`"
    )
    assert committed["$schema"] == "https://json-schema.org/draft/2020-12/schema"


def test_every_deck_names_the_schema_on_its_first_line() -> None:
    for deck in (ROOT / "questions").glob("*.toml"):
        assert deck.read_text(encoding="utf-8").splitlines()[0] == "#:schema ./deck.schema.json", (
            deck
        )


def test_schema_accepts_every_bundled_deck() -> None:
    validator = jsonschema.Draft202012Validator(json_schema())
    for deck in [BUNDLED, FIXED, DATA / "decks" / "good" / "mini.toml"]:
        errors = list(validator.iter_errors(tomllib.loads(deck.read_text(encoding="utf-8"))))
        assert errors == [], [e.message for e in errors]


@pytest.mark.parametrize("name", STRUCTURAL)
def test_schema_rejects_the_bad_fixtures(name: str) -> None:
    validator = jsonschema.Draft202012Validator(json_schema())
    data = tomllib.loads((BAD / f"{name}.toml").read_text(encoding="utf-8"))
    assert list(validator.iter_errors(data)), f"the schema accepts {name}.toml"


def test_schema_command(cli) -> None:  # type: ignore[no-untyped-def]
    result = cli("schema")
    assert result.code == 0
    assert json.loads(result.out) == json_schema()


def test_github_annotations(cli) -> None:  # type: ignore[no-untyped-def]
    path = str(BAD / "answer-in-wrong.toml")
    result = cli("validate", "--format", "github", path)
    assert result.code == 1
    lines = result.out.splitlines()
    # Named from the repository's root, as GitHub needs to put it on the PR's line.
    path = "tests/data/decks/bad/answer-in-wrong.toml"
    assert (
        f"::error file={path},line=20::[bad-city] the answer 'Paris' is also listed among its wrong answers; remove it from 'wrong'"
        in lines
    )
    assert any(
        line.startswith(f"::warning file={path},line=20::[bad-city] 'paris' is capitalised")
        for line in lines
    )


def test_strict_makes_warnings_fail(cli, tmp_path: Path) -> None:  # type: ignore[no-untyped-def]
    deck = tmp_path / "deck.toml"
    text = FIXED.read_text(encoding="utf-8")
    assert 'at Daytona in 2025?"]' in text
    deck.write_text(text.replace('at Daytona in 2025?"]', 'at Daytona in 2025"]'), encoding="utf-8")
    assert cli("validate", str(deck)).code == 0
    result = cli("validate", "--strict", str(deck))
    assert result.code == 1
    assert "warning: a question should end with '?'" in result.out


def test_preview_fact_shows_every_form(cli) -> None:  # type: ignore[no-untyped-def]
    result = cli(
        "preview",
        "--deck",
        str(FIXED),
        "--fact",
        "fx-balcaen-nitro-announcement",
        "--seed",
        "1",
        "--format",
        "json",
    )
    kinds = [q["kind"] for q in json.loads(result.out)]
    assert kinds == ["multiple", "reverse", "timeline", "boolean", "order"]
    missing = cli("preview", "--fact", "no-such-fact")
    assert missing.code == 1 and "no fact 'no-such-fact'" in missing.err
