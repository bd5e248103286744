"""The parsed-deck cache: a deck whose exact text passed before starts without parsing TOML."""

from __future__ import annotations

import tomllib
from pathlib import Path

import pytest

from quiz.deckfile.problems import DeckError
from quiz.deckfile.read import load_deck
from tests.conftest import MINI


def copy_of_mini(tmp_path: Path) -> Path:
    deck = tmp_path / "mini.toml"
    deck.write_bytes(MINI.read_bytes())
    return deck


def test_a_deck_that_passed_before_is_not_parsed_again(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    deck = copy_of_mini(tmp_path)
    first = load_deck(deck, use_cache=True)

    def no_toml(*args: object, **kwargs: object) -> None:
        raise AssertionError("the deck's TOML was parsed again")

    monkeypatch.setattr(tomllib, "loads", no_toml)
    assert load_deck(deck, use_cache=True) == first


def test_an_edited_deck_is_read_afresh(tmp_path: Path) -> None:
    deck = copy_of_mini(tmp_path)
    load_deck(deck, use_cache=True)
    text = deck.read_text(encoding="utf-8")
    first_line = next(line for line in text.splitlines() if line.startswith("title"))
    deck.write_text(text.replace(first_line, 'title = "Edited title"', 1), encoding="utf-8")
    assert load_deck(deck, use_cache=True).title == "Edited title"
    deck.write_text(text.replace(first_line, "title = [", 1), encoding="utf-8")
    with pytest.raises(DeckError):
        load_deck(deck, use_cache=True)


def test_a_damaged_cache_entry_falls_back_to_the_deck(tmp_path: Path, hermetic: Path) -> None:
    deck = copy_of_mini(tmp_path)
    expected = load_deck(deck, use_cache=True)
    markers = list((hermetic / ".cache" / "quiz" / "validated").iterdir())
    assert markers
    for marker in markers:
        marker.write_text('{"id": 1, "title": ', encoding="utf-8")
    assert load_deck(deck, use_cache=True) == expected
    # renewed: a seal line, then the parsed deck as JSON
    assert all(m.read_text(encoding="utf-8").split("\n", 1)[1].startswith("{") for m in markers)


def test_no_cache_when_asked(
    tmp_path: Path, hermetic: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setenv("QUIZ_NO_CACHE", "1")
    load_deck(copy_of_mini(tmp_path), use_cache=True)
    assert not (hermetic / ".cache" / "quiz").exists()
