"""Folder decks: deck.toml plus fact files, treated like a single-file deck everywhere."""

from __future__ import annotations

import json
import shutil
import tomllib
from pathlib import Path

import jsonschema

from quiz.authoring.validate import check_file
from quiz.deckfile.catalog import deck_files
from quiz.deckfile.read import load_deck
from quiz.deckfile.schema import json_schema
from tests.conftest import DATA, ROOT, Cli

GOOD = DATA / "decks" / "good" / "folder-deck"
TYPO = DATA / "decks" / "bad-folder" / "typo-deck"


def test_a_folder_deck_loads_with_facts_from_every_file_in_name_order() -> None:
    deck = load_deck(GOOD)
    assert [f.id for f in deck.facts] == ["folder-capital", "folder-finish", "folder-founded"]
    assert load_deck(GOOD / "deck.toml") == deck
    assert check_file(GOOD).problems == []


def test_problems_point_at_the_fact_file_and_line() -> None:
    problems = [str(p) for p in check_file(TYPO).problems]
    assert (
        f"{TYPO / 'finish.toml'}:18: [typo-founded] unknown key 'explenation'; did you mean 'explanation'?"
        in problems
    )
    assert (
        f"{TYPO / 'finish.toml'}:12: [typo-founded] missing required key 'explanation'; add it (see questions/README.md)"
        in problems
    )


def test_reference_problems_point_at_the_fact_file(tmp_path: Path) -> None:
    deck = tmp_path / "deck"
    shutil.copytree(TYPO, deck)
    finish = deck / "finish.toml"
    finish.write_text(
        finish.read_text(encoding="utf-8").replace("explenation", "explanation"), encoding="utf-8"
    )
    (problem,) = check_file(deck).problems
    assert (
        str(problem)
        == f"{deck / 'capital.toml'}:9: [typo-capital] unknown source 'nots'; did you mean 'notes'?"
    )


def test_a_fact_file_holds_only_facts(tmp_path: Path) -> None:
    deck = tmp_path / "deck"
    shutil.copytree(GOOD, deck)
    (deck / "extra.toml").write_text('title = "Sneaky"\n', encoding="utf-8")
    (problem,) = check_file(deck).problems
    assert (
        str(problem)
        == f"{deck / 'extra.toml'}:1: a fact file holds only [[facts]] tables; move 'title' to deck.toml"
    )


def test_folders_of_decks_list_a_folder_deck_once(cli: Cli, tmp_path: Path) -> None:
    found = deck_files(DATA / "decks" / "good")
    assert GOOD in found and not any(p.parent == GOOD for p in found)
    result = cli("validate", str(DATA / "decks" / "good"))
    assert result.code == 0, result.out
    assert "2 valid decks" in result.err


def test_preview_and_plain_play_on_a_folder_deck(cli: Cli, tmp_path: Path) -> None:
    preview = json.loads(
        cli("preview", "--deck", str(GOOD), "--count", "3", "--seed", "2", "--format", "json").out
    )
    assert {q["fact"] for q in preview} == {"folder-capital", "folder-finish", "folder-founded"}
    keys = "\n".join(str(q["answer"] + 1) for q in preview) + "\n"
    result = cli(
        "play",
        "--plain",
        "--deck",
        str(GOOD),
        "--player",
        "Ann",
        "--count",
        "3",
        "--seed",
        "2",
        "--saves",
        str(tmp_path),
        stdin=keys,
    )
    assert "3/3 correct" in result.out


def test_fact_files_have_their_own_schema() -> None:
    committed = json.loads((ROOT / "questions" / "facts.schema.json").read_text(encoding="utf-8"))
    assert committed == json_schema(facts_only=True), (
        "questions/facts.schema.json is stale: run `quiz schema --facts`"
    )
    facts = jsonschema.Draft202012Validator(committed)
    decks = jsonschema.Draft202012Validator(json_schema())
    assert not list(
        facts.iter_errors(tomllib.loads((GOOD / "finish.toml").read_text(encoding="utf-8")))
    )
    assert not list(
        decks.iter_errors(tomllib.loads((GOOD / "deck.toml").read_text(encoding="utf-8")))
    )
    assert list(
        facts.iter_errors(tomllib.loads((TYPO / "finish.toml").read_text(encoding="utf-8")))
    )


def test_add_fact_to_a_folder_deck_writes_a_new_file(cli: Cli, tmp_path: Path) -> None:
    deck = tmp_path / "deck"
    shutil.copytree(GOOD, deck)
    before = {p.name: p.read_bytes() for p in deck.iterdir()}
    answers = [
        "folder-host",
        "The host city was Madrid.",
        "pool",
        "cities",
        "Madrid",
        "Which city hosted?",
        "The host city was {answer}.",
        "",
        "Madrid hosted.",
        "",
        "",
        "",
    ]
    result = cli("add-fact", str(deck), stdin="\n".join(answers) + "\n")
    assert result.code == 0, result.out
    assert {p.name: p.read_bytes() for p in deck.iterdir() if p.name in before} == before
    new = deck / "folder-host.toml"
    assert new.read_text(encoding="utf-8").startswith("#:schema ../facts.schema.json\n[[facts]]")
    assert [f.id for f in load_deck(deck).facts][-1] == "folder-host"
    assert check_file(deck).errors == []
