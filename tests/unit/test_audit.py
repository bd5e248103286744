"""`quiz audit` on a small made-up deck, with figures worked out by hand."""

from __future__ import annotations

import json

from quiz.authoring.audit import measure, passes
from quiz.deckfile.read import build_deck
from quiz.questions.generate import Generator
from quiz.questions.plan import make_quiz

# Two facts. "track" answers "Dover Park"; the explanation of "cause" names Dover,
# so asking "cause" first gives "track" away. Every choice has the same length,
# and no choice echoes its question, so the cue player can only guess otherwise.
DATA = {
    "id": "tiny",
    "title": "Tiny",
    "subject": "Tests",
    "description": "A deck for the audit's tests.",
    "sources": [{"id": "s", "title": "Notes"}],
    "pools": {"tracks": ["Dover Park", "Essex Park", "Leeds Park", "Gates Park"]},
    "facts": [
        {
            "id": "track",
            "statement": "It happened at Dover Park.",
            "answer": {"kind": "pool", "pool": "tracks", "value": "Dover Park"},
            "questions": ["Where did it happen?"],
            "explanation": "That was the place.",
            "source": "s",
        },
        {
            "id": "cause",
            "statement": "A wheel came off.",
            "answer": {"kind": "text", "value": "Loose wheel"},
            "questions": ["What went wrong?"],
            "wrong": ["Flat tyres", "Bad brakes", "Cold motor"],
            "explanation": "The wheel came off on the way into Dover.",
            "source": "s",
        },
    ],
}
DECK = build_deck(DATA, "", "<tiny>")


def question(fact_id: str, seed: int = 1):  # type: ignore[no-untyped-def]
    fact = next(f for f in DECK.facts if f.id == fact_id)
    q = Generator(DECK, seed).build(fact, f"{fact_id}/multiple-1")
    assert q is not None
    return q


def test_a_giveaway_is_counted_paired_and_taken_by_the_cue_player() -> None:
    cause, track = question("cause"), question("track")
    assert "dover" in track.cues and len({len(c) for c in track.choices}) == 1
    report = measure(DECK, [[cause, track]], count=2)
    # cause: a guess (1/4); track: the giveaway (1). (0.25 + 1) / 2 = 62.5%.
    assert report["cue_score"] == 62.5
    assert report["chance"] == 25.0
    assert report["giveaways"] == 1 and report["giveaway_rate"] == 50.0
    assert report["pairs"] == {'cause -> track: "dover"': 1}
    assert not passes(report)
    # The other way round nothing is given away: both are guesses.
    report = measure(DECK, [[track, cause]], count=2)
    assert report["cue_score"] == 25.0 and report["giveaways"] == 0 and passes(report)


def test_position_spread_and_kind_shares_by_hand() -> None:
    games = [[question("track", seed), question("cause", seed)] for seed in range(4)]
    report = measure(DECK, games, count=2)
    positions = report["positions"]
    assert isinstance(positions, dict)
    answers = [q.answer for game in games for q in game]
    for index, letter in enumerate("ABCD"):
        assert positions[letter] == round(100 * answers.count(index) / 8, 1)
    assert report["kinds"] == {"multiple": 100.0}
    assert report["questions"] == 8


def test_the_planner_never_lets_the_pair_happen() -> None:
    for seed in range(30):
        ids = [q.fact for q in make_quiz(DECK, seed, 2)]
        assert ids == ["track", "cause"] or ids == ["track"] or len(ids) < 2, ids


def test_cli_audit_reports_leaks_and_json(cli, tmp_path) -> None:  # type: ignore[no-untyped-def]
    import tomli_w

    path = tmp_path / "tiny.toml"
    path.write_bytes(tomli_w.dumps(DATA).encode())
    result = cli("audit", str(path), "--games", "20", "--count", "2")
    assert result.code == 0, result.err
    assert "Giveaways: 0.0% of questions (0)" in result.out
    assert 'cause/multiple-1 -> track/multiple-1: "dover"' in result.out
    data = json.loads(
        cli("audit", str(path), "--games", "20", "--count", "2", "--format", "json").out
    )
    assert data["games"] == 20 and data["questions"] == 40 and data["giveaways"] == 0
    assert data["chance"] == 25.0


def test_validate_strict_fails_when_the_deck_text_gives_an_answer_away(cli, tmp_path) -> None:  # type: ignore[no-untyped-def]
    import tomli_w

    path = tmp_path / "leaky.toml"
    path.write_bytes(tomli_w.dumps(dict(DATA, title="Tiny: the Dover story")).encode())
    assert cli("validate", str(path)).code == 0
    result = cli("validate", "--strict", str(path))
    assert result.code == 1
    assert 'shows "dover", a word only the right answer of track/multiple-1 has' in result.out
