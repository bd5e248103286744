"""`quiz stats` on a made-up save folder, with figures worked out by hand."""

from __future__ import annotations

import csv
import io
import json

from quiz.deckfile.read import build_deck
from quiz.game.play import Game
from quiz.questions.generate import Generator
from quiz.saves.folder import SaveFolder
from quiz.scores.stats import analyse, read_games

FACT = {"explanation": "E.", "source": "s", "statement": "S."}
DECK = build_deck(
    {
        "id": "tiny-stats",
        "title": "Tiny",
        "subject": "Tests",
        "description": "D.",
        "sources": [{"id": "s", "title": "Notes"}],
        "pools": {"tracks": ["Dover Park", "Essex Park", "Leeds Park", "Gates Park"]},
        "facts": [
            dict(
                FACT,
                id="track",
                answer={"kind": "pool", "pool": "tracks", "value": "Dover Park"},
                questions=["Where?"],
            ),
            dict(
                FACT,
                id="cause",
                answer={"kind": "text", "value": "Loose wheel"},
                questions=["What went wrong?"],
                wrong=["Flat tyres", "Bad brakes", "Cold motor"],
            ),
            dict(
                FACT,
                id="easy",
                answer={"kind": "text", "value": "Blue"},
                questions=["What colour?"],
                wrong=["Red", "Green", "Pink"],
            ),
        ],
    },
    "",
    "<tiny-stats>",
)
GEN = Generator(DECK, 1)
QUESTIONS = [GEN.build(f, f"{f.id}/multiple-1") for f in DECK.facts]


def pick(question, text: str) -> int:  # type: ignore[no-untyped-def]
    return question.choices.index(text)


def make_saves(root) -> None:  # type: ignore[no-untyped-def]
    """21 games. Track: right in games 9-20 (12), "Essex Park" in 0-8, two wrong
    answers never picked. Cause: right in 16-20 (5), "Flat tyres" 14 times, "Bad
    brakes" twice, "Cold motor" never. Easy: always right."""
    folder = SaveFolder(root)
    track, cause, easy = QUESTIONS
    for i in range(21):
        game = Game(list(QUESTIONS), player=f"p{i}", deck_id=DECK.id, deck_title="Tiny", seed=1)
        game.answer(pick(track, "Dover Park" if i >= 9 else "Essex Park"), 3.0)
        game.answer(
            pick(cause, "Loose wheel" if i >= 16 else "Bad brakes" if i < 2 else "Flat tyres"), 3.0
        )
        game.answer(pick(easy, "Blue"), 3.0)
        folder.save_finished(game)


def test_facility_discrimination_and_wrong_answers_by_hand(tmp_path) -> None:  # type: ignore[no-untyped-def]
    make_saves(tmp_path)
    games, _ = read_games(str(tmp_path), None)
    assert len(games) == 21
    report = analyse(games, {DECK.id: DECK})
    q = {item["question"]: item for item in report["questions"]}
    track, cause, easy = q["track/multiple-1"], q["cause/multiple-1"], q["easy/multiple-1"]
    assert (track["asked"], track["right"], track["facility"]) == (21, 12, round(12 / 21, 3))
    assert (cause["asked"], cause["right"], cause["facility"]) == (21, 5, round(5 / 21, 3))
    # Thirds of 7 games: the bottom 7 all scored 1/3 (easy only), so got track and
    # cause wrong; the top 7 are the five 3/3 games and two 2/3 games.
    assert track["discrimination"] == 1.0
    assert cause["discrimination"] == round(5 / 7, 3)
    assert easy["discrimination"] == 0.0 and easy["facility"] == 1.0
    wrong = {row["answer"]: row for row in track["wrong_answers"]}
    assert wrong["Essex Park"]["chosen"] == 9 and wrong["Essex Park"]["offered"] == 21
    assert wrong["Leeds Park"]["chosen"] == 0 and wrong["Gates Park"]["share"] == 0.0
    assert 'rarely picked: "Leeds Park"' in track["flags"]
    assert 'rarely picked: "Gates Park"' in track["flags"]
    assert not any("Essex" in flag for flag in track["flags"])
    assert cause["flags"] == [
        'key? "Flat tyres" chosen more often than the right answer',
        'rarely picked: "Cold motor"',
    ]
    assert easy["flags"] == ["everyone gets it right"]
    facts = {row["fact"]: row for row in report["facts"]}
    assert facts["cause"] == {"fact": "cause", "asked": 21, "right": 5, "facility": 0.238}


def test_cli_stats_text_json_csv_and_deck_filter(cli, tmp_path) -> None:  # type: ignore[no-untyped-def]
    make_saves(tmp_path)
    text = cli("stats", "--saves", str(tmp_path))
    assert text.code == 0, text.err
    assert "Item analysis of 21 games" in text.out
    assert 'FLAG: key? "Flat tyres" chosen more often than the right answer' in text.out
    assert "FLAG: everyone gets it right" in text.out
    data = json.loads(cli("stats", "--saves", str(tmp_path), "--format", "json").out)
    assert data["games"] == 21 and len(data["questions"]) == 3
    rows = list(
        csv.DictReader(io.StringIO(cli("stats", "--saves", str(tmp_path), "--format", "csv").out))
    )
    right = [r for r in rows if r["question"] == "cause/multiple-1" and r["is_right"] == "yes"]
    assert right[0]["chosen"] == "5" and right[0]["answer"] == "Loose wheel"
    # A deck no game was played on and no bundled deck has: said, not "no answers yet".
    other = cli("stats", "--saves", str(tmp_path), "--deck", "other", "--format", "json")
    assert other.code == 1 and "there is no deck 'other'" in other.err and other.out == ""
    empty = cli("stats", "--saves", str(tmp_path / "none"))
    assert empty.code == 0 and "no answers yet" in empty.out


def test_a_few_slips_are_not_a_wrong_key(tmp_path) -> None:  # type: ignore[no-untyped-def]
    make_saves(tmp_path)
    games, _ = read_games(str(tmp_path), None)
    few = [g for g in games if g.player in ("p0", "p1", "p2")]  # all three chose "Essex Park"
    track = next(q for q in analyse(few, {DECK.id: DECK})["questions"] if q["fact"] == "track")
    assert track["right"] == 0 and track["asked"] == 3
    assert track["flags"] == []
