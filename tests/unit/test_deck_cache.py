"""The deck-check cache: `play` and `preview` skip the schema for a deck text that passed it.

What a user relies on (README, "A cache of deck checks"): the note is kept per
exact text, so an edited deck is checked again; `quiz validate` always checks
everything; QUIZ_NO_CACHE=1 turns it off; and a cache that cannot be written
only makes start-up slower.
"""

from __future__ import annotations

import os
from pathlib import Path

import pytest

from quiz.deckfile.problems import DeckError
from quiz.deckfile.read import _validated_marker, load_deck
from tests.conftest import MINI, Cli

TOO_LONG = "A title far too long for the header of an eighty-column screen, surely"


def notes() -> list[Path]:
    folder = Path(os.environ["XDG_CACHE_HOME"]) / "quiz" / "validated"
    return sorted(folder.iterdir()) if folder.is_dir() else []


@pytest.fixture
def deck(tmp_path: Path) -> Path:
    path = tmp_path / "mini.toml"
    path.write_text(MINI.read_text(encoding="utf-8"), encoding="utf-8")
    return path


def test_a_deck_that_passed_is_noted_once_and_loads_the_same(deck: Path) -> None:
    first = load_deck(deck, use_cache=True)
    assert len(notes()) == 1
    assert load_deck(deck, use_cache=True) == first
    assert len(notes()) == 1


def test_an_edited_deck_is_checked_again(cli: Cli, deck: Path) -> None:
    assert cli("preview", "--deck", str(deck), "--count", "1").code == 0
    deck.write_text(
        deck.read_text(encoding="utf-8").replace('"Mini Deck"', f'"{TOO_LONG}"'), encoding="utf-8"
    )
    result = cli("preview", "--deck", str(deck), "--count", "1")
    assert result.code == 1
    assert f"{deck}:3:" in result.err and "'title'" in result.err


def test_validate_never_trusts_the_cache(cli: Cli, deck: Path) -> None:
    text = deck.read_text(encoding="utf-8").replace('"Mini Deck"', f'"{TOO_LONG}"')
    deck.write_text(text, encoding="utf-8")
    marker = _validated_marker(text)
    assert marker is not None
    marker.parent.mkdir(parents=True)
    marker.touch()  # as if this very text had passed before
    result = cli("validate", str(deck))
    assert result.code == 1
    assert f"{deck}:3:" in result.out and "'title'" in result.out


def test_a_note_for_a_deck_that_no_longer_builds_falls_back_to_a_full_check(
    cli: Cli, deck: Path
) -> None:
    text = deck.read_text(encoding="utf-8").replace('statement = "The meeting was in Paris."\n', "")
    deck.write_text(text, encoding="utf-8")
    marker = _validated_marker(text)
    assert marker is not None
    marker.parent.mkdir(parents=True)
    marker.touch()
    with pytest.raises(DeckError) as caught:
        load_deck(deck, use_cache=True)
    assert "statement" in str(caught.value)
    result = cli("preview", "--deck", str(deck))
    assert result.code == 1 and f"{deck}:" in result.err and "Traceback" not in result.err


def test_quiz_no_cache_turns_it_off(cli: Cli, deck: Path) -> None:
    result = cli("preview", "--deck", str(deck), "--count", "1", env={"QUIZ_NO_CACHE": "1"})
    assert result.code == 0
    assert notes() == []


def test_a_cache_folder_that_cannot_be_written_only_costs_time(
    cli: Cli, deck: Path, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    blocked = tmp_path / "not-a-folder"
    blocked.write_text("", encoding="utf-8")
    monkeypatch.setenv("XDG_CACHE_HOME", str(blocked))
    for _ in range(2):
        result = cli("preview", "--deck", str(deck), "--count", "1")
        assert result.code == 0, result.err
        assert result.err == ""
