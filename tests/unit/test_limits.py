"""Honest limits: a short deck says so, and hot-seat deals everyone the same count."""

from __future__ import annotations

import json
from collections import Counter

from quiz.deckfile.read import load_deck
from quiz.saves.folder import SaveFolder
from quiz.session import start_match
from tests.conftest import FIXED

DECK = load_deck(FIXED)


def test_preview_says_on_stderr_when_the_deck_cannot_give_that_many(cli) -> None:  # type: ignore[no-untyped-def]
    result = cli(
        "preview", "--deck", str(FIXED), "--count", "500", "--seed", "1", "--format", "json"
    )
    assert result.code == 0
    played = len(json.loads(result.out))
    assert 25 <= played < 500
    assert f"can give {played} questions without giving answers away, not 500" in result.err
    quiet = cli("preview", "--deck", str(FIXED), "--count", "10", "--seed", "1", "--format", "json")
    assert quiet.err == "" and len(json.loads(quiet.out)) == 10


def test_plain_play_says_so_and_plays_what_there_is(plain_game, monkeypatch) -> None:  # type: ignore[no-untyped-def]
    import io
    import sys

    monkeypatch.setattr(sys, "stdin", io.StringIO("1\n" * 200))
    result = plain_game(seed=2, count=500, deck=FIXED)
    assert result.code == 0, result.err
    assert "without giving answers away, not 500" in result.err
    import re

    header = result.out.splitlines()[0]
    found = re.search(r": (\d+) questions for Ann", header)
    assert found is not None, header
    played = int(found.group(1))
    assert 25 <= played < 500
    assert f"{played} questions for Ann" in header


def test_hot_seat_deals_everyone_the_same_count(tmp_path) -> None:  # type: ignore[no-untyped-def]
    told: list[str] = []
    saves = SaveFolder(tmp_path, notify=told.append)
    players = [f"P{i}" for i in range(7)]
    match = start_match(DECK, saves, players, count=10, seed=5)
    counts = Counter(len(g.questions) for g in match.games)
    assert len(counts) == 1, counts
    each = next(iter(counts))
    assert 1 <= each < 10
    assert any(f"everyone gets {each}" in n for n in told)
    ids = [q.id for g in match.games for q in g.questions]
    assert len(ids) == len(set(ids))  # nobody is asked another player's question


def test_hot_seat_that_fits_gives_the_full_count_and_no_notice(tmp_path) -> None:  # type: ignore[no-untyped-def]
    told: list[str] = []
    saves = SaveFolder(tmp_path, notify=told.append)
    match = start_match(DECK, saves, ["Ann", "Bob"], count=10, seed=5)
    assert [len(g.questions) for g in match.games] == [10, 10]
    assert told == []
