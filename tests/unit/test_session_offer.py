"""The session's unfinished-game offer: one policy, whichever front end asks."""

from __future__ import annotations

from pathlib import Path

import pytest

from quiz.saves.folder import SaveFolder
from quiz.session import DeckLookup, Request, SessionError, begin, offer, start_match
from tests.conftest import MINI


def _deck():  # type: ignore[no-untyped-def]
    from quiz.deckfile.read import load_deck

    return load_deck(MINI)


def test_a_solo_game_with_answers_is_offered_and_resumed_where_it_stopped(tmp_path: Path) -> None:
    deck = _deck()
    saves = SaveFolder(tmp_path)
    new = Request(("Ann",), deck=deck, count=3, seed=4)
    assert offer(saves, new) is None  # nothing to lose yet
    game = begin(saves, new).current
    game.answer(game.current.answer, 1.0)
    saves.save_progress(game)
    asked = offer(saves, new)
    assert asked is not None and asked.resumable
    assert asked.answered(new, "new") == new
    resumed = begin(saves, asked.answered(new, "resume"), DeckLookup(known=[deck]))
    assert resumed.current.answered == 1 and resumed.current.id == game.id


def test_part_of_a_hot_seat_game_is_offered_but_resumes_only_whole(tmp_path: Path) -> None:
    deck = _deck()
    saves = SaveFolder(tmp_path)
    match = start_match(deck, saves, ["Ann", "Ben"], count=2, seed=1)
    match.current.answer(0, 1.0)
    saves.save_progress(match.games[0])
    alone = Request(("Ann",), deck=deck)
    asked = offer(saves, alone)
    assert asked is not None and not asked.resumable
    with pytest.raises(SessionError, match="--player Ann --player Ben --resume"):
        asked.answered(alone, "resume")
    both = offer(saves, Request(("Ann", "Ben"), deck=deck))
    assert both is not None and both.resumable


def test_a_save_on_a_deck_not_found_names_the_deck_to_give(tmp_path: Path) -> None:
    deck = _deck()
    saves = SaveFolder(tmp_path)
    game = begin(saves, Request(("Ann",), deck=deck, count=2, seed=3)).current
    game.answer(0, 1.0)
    saves.save_progress(game)
    with pytest.raises(SessionError, match="not bundled; name its file"):
        begin(saves, Request(("Ann",), resume=True), DeckLookup())
    with pytest.raises(SessionError, match="is on the deck 'mini', not"):
        begin(saves, Request(("Ann",), resume=True), DeckLookup(given=_other_deck()))


def _other_deck():  # type: ignore[no-untyped-def]
    from quiz.deckfile.catalog import bundled

    return bundled("amber-balcaen")[1]
