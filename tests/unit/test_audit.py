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


# --- issue 25: the cue rules of the forms without choices ------------------------------------


def _deck(facts: list[dict[str, object]]):  # type: ignore[no-untyped-def]
    data = dict(DATA, pools={}, facts=facts)
    return build_deck(data, "", "<forms>")


def _fact(
    fact_id: str, answer: dict[str, object], question: str, **more: object
) -> dict[str, object]:
    return {
        "id": fact_id,
        "statement": f"The fact {fact_id}.",
        "answer": answer,
        "questions": [question],
        "explanation": more.pop("explanation", "So it was."),
        "source": "s",
        **more,
    }


def _built(deck, fact_id: str, form: str):  # type: ignore[no-untyped-def]
    fact = next(f for f in deck.facts if f.id == fact_id)
    q = Generator(deck, 1).build(fact, f"{fact_id}/{form}")
    assert q is not None
    return q


def test_a_typed_answer_named_by_its_question_is_a_fault() -> None:
    from quiz.authoring.faults import fact_faults

    deck = _deck(
        [
            _fact(
                "team",
                {"kind": "text", "value": "Nitro"},
                "Which motorsports team signed her?",
                accept=["Nitro Motorsports"],
                wrong=["Venturini", "Kyle Busch", "Rette Jones"],
            )
        ]
    )
    faults = [f.message for f in fact_faults(deck) if f.fact == "team"]
    assert any("typed-1 questions the right answer is named by its question" in m for m in faults)


def test_a_typed_answer_shown_earlier_is_a_giveaway_the_cue_player_takes() -> None:
    deck = _deck(
        [
            _fact(
                "crash",
                {"kind": "text", "value": "Rain"},
                "What stopped it?",
                explanation="Dover was wet.",
            ),
            _fact("track", {"kind": "text", "value": "Dover"}, "Where was it?"),
        ]
    )
    crash, track = _built(deck, "crash", "typed-1"), _built(deck, "track", "typed-1")
    report = measure(deck, [[crash, track]], count=2)
    assert report["chance"] == 0.0  # a typed answer cannot be guessed
    assert report["giveaways"] == 1 and report["pairs"] == {'crash -> track: "dover"': 1}
    assert report["cue_score"] == 50.0  # the second one typed from the screen


def test_an_estimate_whose_number_appeared_earlier_is_a_giveaway() -> None:
    deck = _deck(
        [
            _fact(
                "first",
                {"kind": "text", "value": "Rain"},
                "What stopped it?",
                explanation="That was in 1998.",
            ),
            _fact(
                "year",
                {"kind": "year", "value": 1998, "min": 1990, "max": 2009},
                "When did it open?",
            ),
        ]
    )
    first, year = _built(deck, "first", "typed-1"), _built(deck, "year", "estimate-1")
    report = measure(deck, [[first, year]], count=2)
    assert report["pairs"] == {'first -> year: "1998"': 1}
    # Blind: 1998 of 1990-2009 with 2 years' tolerance earns (3+2+2+1+1)/3 / 20 = 0.15.
    assert report["chance"] == 7.5 and report["cue_score"] == 50.0
    asked_first = measure(deck, [[year, first]], count=2)
    assert asked_first["giveaways"] == 0


def test_an_estimate_whose_number_is_in_its_question_is_a_fault() -> None:
    from quiz.authoring.faults import fact_faults

    deck = _deck(
        [_fact("car", {"kind": "ordinal", "value": 8, "max": 40}, "Where did car 8 finish?")]
    )
    faults = [f.message for f in fact_faults(deck) if f.fact == "car"]
    assert any("estimate-1 questions the right answer is in its question" in m for m in faults)


def test_a_number_whose_unit_is_in_its_question_is_still_asked_as_an_estimate() -> None:
    deck = _deck(
        [
            _fact(
                "race",
                {"kind": "integer", "value": 200, "min": 50, "max": 500, "unit": "laps"},
                "How many laps did the race last?",
            )
        ]
    )
    q = _built(deck, "race", "estimate-1")
    assert (q.value, q.unit, q.answer_text) == (200, "laps", "200 laps")
    assert (q.low, q.high) == (50, 500)


def test_an_order_that_follows_from_the_calendar_is_a_fault_and_the_wise_player_puts_it_right() -> (
    None
):
    from quiz.authoring.audit import Seen, Wise, wise_chance
    from quiz.authoring.faults import fact_faults

    # Places that improve year by year: by their numbers, the order is the calendar's.
    deck = _deck(
        [
            _fact(
                f"race-{year}",
                {"kind": "ordinal", "value": place, "max": 40},
                f"Where did she finish in race {k}?",
                timeline={"event": f"Her race in {year}", "step": k},
            )
            for k, (year, place) in enumerate([(2019, 3), (2020, 7), (2021, 12)], 1)
        ]
    )
    q = _built(deck, "race-2019", "order-values")
    assert q.kind == "order" and q.prompt.endswith("from the best place to the worst.")
    assert wise_chance(q, Seen(), Wise(deck)) == (1.0, "story order")
    faults = [f.message for f in fact_faults(deck)]
    assert any("order-values questions the right answer follows from cause" in m for m in faults)


def test_audit_plays_every_form_it_is_asked(cli) -> None:  # type: ignore[no-untyped-def]
    result = cli(
        "audit", "amber-balcaen", "--games", "20", "--kinds", "typed,estimate,order,multiple"
    )
    assert result.code == 0, result.out + result.err
    kinds = next(line for line in result.out.splitlines() if line.startswith("Kinds: "))
    assert "typed" in kinds and "estimate" in kinds and "order" in kinds and "boolean" not in kinds
