"""The planned game: no giveaways, kind shares, fair choices, over many seeds."""

from __future__ import annotations

from collections import Counter, defaultdict
from dataclasses import replace
from functools import cache

import pytest

from quiz.authoring.audit import Seen, giveaway
from quiz.authoring.faults import fact_faults
from quiz.deckfile.read import load_deck
from quiz.model import Deck, PoolAnswer
from quiz.questions.choices import LENGTH_RATIO, NUMERIC
from quiz.questions.generate import Generator
from quiz.questions.plan import make_quiz
from quiz.questions.question import Question
from quiz.questions.words import deck_words, first_word, words
from tests.conftest import BUNDLED, FIXED

# The properties every game must have are checked on the bundled deck (as players get
# it); the tests of one fact's questions use the frozen fixed deck, whose facts stay put.
DECK = load_deck(BUNDLED)
FACTS = {f.id: f for f in DECK.facts}
FX = load_deck(FIXED)
FX_FACTS = {f.id: f for f in FX.facts}
SEEDS = range(100)


# Several tests look at the same seeds' games: each game (of either deck) and each seed's
# questions are built once per test process (~6 ms each). Tuples of frozen questions:
# nothing to share.
@cache
def quiz_for(seed: int, count: int) -> tuple[Question, ...]:
    return tuple(make_quiz(DECK, seed, count))


@cache
def fixed_quiz_for(seed: int, count: int) -> tuple[Question, ...]:
    return tuple(make_quiz(FX, seed, count))


@cache
def every_question(seed: int) -> tuple[Question, ...]:
    return tuple(Generator(DECK, seed).all_questions())


def games(count: int, seeds: range = SEEDS):  # type: ignore[no-untyped-def]
    for seed in seeds:
        yield seed, quiz_for(seed, count)


@pytest.mark.parametrize("count", [5, 10, 25])
def test_no_question_is_given_away_by_anything_shown_before_it(count: int) -> None:
    for seed, quiz in games(count):
        seen = Seen()
        seen.add("deck", deck_words(DECK))
        for q in quiz:
            assert giveaway(q, seen) is None, (seed, q.id, giveaway(q, seen))
            seen.add(q.fact, q.shows())


def test_a_cue_shown_earlier_is_caught() -> None:
    """The check above can fail: an earlier question naming Dover gives the track away."""
    generator = Generator(FX, 1)
    crash = generator.build(FX_FACTS["fx-balcaen-dover-crash"], "fx-balcaen-dover-crash/multiple-1")
    year = generator.build(FX_FACTS["fx-balcaen-dover-year"], "fx-balcaen-dover-year/multiple-1")
    assert crash is not None and year is not None and "dover" in crash.cues
    seen = Seen()
    seen.add(year.fact, year.shows())
    assert giveaway(crash, seen) == ("fx-balcaen-dover-year", "dover")
    quiz = make_quiz(FX, 1, 25)
    ids = [q.id for q in quiz]
    if year.id in ids and crash.id in ids:
        assert ids.index(crash.id) < ids.index(year.id)


@pytest.mark.parametrize("count", [5, 10, 25, 60])
def test_kind_shares_at_every_count(count: int) -> None:
    for seed, quiz in games(count, range(60)):
        n = len(quiz)
        kinds = Counter(q.kind for q in quiz)
        assert 0.1 <= kinds["boolean"] / n <= 0.3, (seed, kinds)
        if count >= 10:
            # The fixed deck has events no cause orders, so it gives timelines.
            timed = Counter(q.kind for q in fixed_quiz_for(seed, count))
            assert timed["timeline"] >= 1, (seed, timed)
            assert timed["timeline"] / n <= 0.2
        booleans = [i for i, q in enumerate(quiz) if q.kind == "boolean"]
        # spread through the game: never three in a row, and not all in one half
        assert not any(b + 2 in booleans and b + 1 in booleans for b in booleans)
        if len(booleans) >= 2:
            assert booleans[0] < n / 2 <= booleans[-1] + 1 or n < 10


def test_ten_question_games_always_have_true_false_and_a_timeline() -> None:
    for seed in range(120):
        quiz = fixed_quiz_for(seed, 10)
        kinds = Counter(q.kind for q in quiz)
        assert len(quiz) == 10 and kinds["boolean"] == 2 and kinds["timeline"] == 1, seed


@pytest.mark.parametrize("count", [10, 60])
def test_true_false_never_comes_after_its_own_fact(count: int) -> None:
    for seed, quiz in games(count, range(80)):
        asked: set[str] = set()
        for q in quiz:
            if q.kind == "boolean":
                assert q.fact not in asked, (seed, q.id)
            asked.add(q.fact)


def test_no_fact_twice_while_unused_facts_remain() -> None:
    for seed, quiz in games(min(20, len(DECK.facts)), range(60)):
        asked = [q.fact for q in quiz if q.kind != "timeline"]  # a timeline asks for an order
        assert len(set(asked)) == len(asked), seed


def test_right_answer_position_is_uniform_per_fact_form() -> None:
    positions: dict[str, Counter[int]] = defaultdict(Counter)
    # Every question id but the true/false ones (two choices by their kind, never four):
    # building those too was two fifths of this test's time.
    every = Generator(DECK, 0)
    forms = [(f, qid) for f in DECK.facts for qid in every.forms(f) if not qid.endswith("/boolean")]
    # A question's choices are drawn once (the same in every game): across decks, not seeds.
    for seed in range(400):
        generator = Generator(replace(DECK, id=f"deck-{seed}"), seed)
        for fact, question_id in forms:
            q = generator.build(fact, question_id)
            if q is not None and len(q.choices) == 4:
                positions[q.id][q.answer] += 1
    assert positions, "no question had four choices"
    for question_id, spread in positions.items():
        total = sum(spread.values())
        expected = total / 4
        chi2 = sum((spread[p] - expected) ** 2 / expected for p in range(4))
        assert chi2 < 18.47, (question_id, spread)  # p = 0.0004, 3 degrees of freedom


def test_a_year_just_before_the_source_date_stays_inside_it_and_validate_says_so() -> None:
    # 2024 from a source dated 2025: at most one year above it can be shown, so the
    # right one is never the smallest of four; `validate --strict` reports the fact.
    spread: Counter[int] = Counter()
    fact = FX_FACTS["fx-balcaen-dover-year"]
    for seed in range(200):
        q = Generator(replace(FX, id=f"deck-{seed}"), seed).build(
            fact, "fx-balcaen-dover-year/multiple-1"
        )
        assert q is not None and max(int(c) for c in q.choices) <= 2025
        values = [int(c) for c in q.choices]
        assert values in (sorted(values), sorted(values, reverse=True))  # either way up
        assert len({b - a for a, b in zip(values, values[1:], strict=False)}) == 1  # evenly spaced
        spread[sorted(values).index(int(q.right))] += 1  # its rank, smallest first
    assert set(spread) == {2, 3}
    faults = [f for f in fact_faults(FX) if f.fact == "fx-balcaen-dover-year"]
    assert faults and "2 of 4 places" in faults[0].message


@pytest.mark.parametrize("fact_id", ["fx-balcaen-points-sixth", "fx-balcaen-kansas-eighth"])
def test_a_number_with_room_on_both_sides_takes_every_place_equally(fact_id: str) -> None:
    spread: Counter[int] = Counter()
    for seed in range(400):
        q = Generator(replace(FX, id=f"deck-{seed}"), seed).build(
            FX_FACTS[fact_id], f"{fact_id}/multiple-1"
        )
        assert q is not None
        spread[q.answer] += 1
    assert set(spread) == {0, 1, 2, 3}
    assert all(70 <= spread[p] <= 130 for p in range(4)), spread


def test_choices_are_balanced() -> None:
    """Length (right <= 1.25x the longest wrong), first word, and no echo of the question."""
    for seed in range(100):
        for q in every_question(seed):
            if q.kind not in ("multiple", "reverse"):
                continue
            fact = FACTS[q.fact]
            answer = fact.answer if q.kind == "multiple" else fact.reverse.answer  # type: ignore[union-attr]
            wrong = [c for c in q.choices if c != q.right]
            if isinstance(answer, NUMERIC):
                continue
            assert len(q.right) <= LENGTH_RATIO * max(len(c) for c in wrong), q.choices
            starts = Counter(first_word(c) for c in q.choices)
            assert not (starts[first_word(q.right)] == 1 and len(starts) == 2), q.choices
            asked = words(q.prompt) - words(q.right)
            assert not any(words(c) & asked for c in wrong), (q.prompt, q.choices)
            assert not (words(q.right) & words(q.prompt) - set().union(*map(words, wrong)))


def test_false_claims_say_what_was_wrong_and_quotes_get_none() -> None:
    falses = 0
    for seed in range(40):
        for q in every_question(seed):
            if q.kind != "boolean":
                continue
            assert FACTS[q.fact].answer.kind != "quote", q.id
            if q.right == "False":
                falses += 1
                # The truth, in the claim's own words, then the explanation.
                claim = FACTS[q.fact].claim
                assert claim is not None and q.explanation.startswith("False. ")
                head = claim.split("{answer}")[0]
                assert head in q.explanation, (q.explanation, head)
    assert falses > 0


def test_false_claim_example_reads_like_the_issue() -> None:
    fact = FX_FACTS["fx-balcaen-points-sixth"]
    for seed in range(40):
        q = Generator(FX, seed).build(fact, "fx-balcaen-points-sixth/boolean")
        if q is not None and q.right == "False":
            wrong = q.prompt.split("season ")[1].split(" on")[0]
            assert wrong != "6th" and wrong not in q.explanation
            assert q.explanation.startswith(
                "False. Amber Balcaen finished the 2024 season 6th on the points table."
            )
            return
    raise AssertionError("no false claim in 40 seeds")


def test_timelines_have_four_events_from_four_steps() -> None:
    made = 0
    for seed in range(60):
        for q in Generator(FX, seed).all_questions():
            if q.kind == "timeline":
                made += 1
                assert len(q.choices) == 4 and len(q.facts) == 4
                steps = {FX_FACTS[f].timeline.step for f in q.facts}  # type: ignore[union-attr]
                assert len(steps) == 4
    assert made


def test_deck_text_and_source_lines_give_nothing_away() -> None:
    fixed = deck_words(DECK)
    for q in Generator(DECK, 3).all_questions():
        assert not (q.cues & fixed), q.id
        assert not (q.cues & words(q.source)), q.id


def _team_deck(year: int | None) -> object:
    from quiz.deckfile.read import build_deck

    answer: dict[str, object] = {"kind": "pool", "pool": "teams", "value": "Nitro"}
    if year is not None:
        answer["year"] = year
    return build_deck(
        {
            "id": "teams",
            "title": "Teams",
            "subject": "S",
            "description": "D",
            "sources": [{"id": "s", "title": "T"}],
            "pools": {
                "teams": [
                    {"value": "Nitro", "category": "arca"},
                    {"value": "Venturi", "category": "arca"},
                    {"value": "Rev", "category": "arca"},
                    {"value": "Closed", "category": "arca", "until": 2024},
                    {"value": "Opened", "category": "arca", "since": 2026},
                    {"value": "Pensk", "category": "cup"},
                    "Plain",
                ]
            },
            "facts": [
                {
                    "id": "team",
                    "statement": "S.",
                    "answer": answer,
                    "questions": ["Which team?"],
                    "explanation": "E.",
                    "source": "s",
                }
            ],
        },
        "",
        "<test>",
    )


def test_pool_values_fit_the_year_and_the_category() -> None:
    offered: set[str] = set()
    for seed in range(40):
        deck = _team_deck(2025)
        q = Generator(deck, seed).build(deck.facts[0], "team/multiple-1")  # type: ignore[attr-defined]
        assert q is not None
        offered |= set(q.choices)
    assert offered == {"Nitro", "Venturi", "Rev"}
    assert "Closed" not in offered and "Opened" not in offered and "Pensk" not in offered
    deck = _team_deck(2024)
    values = {
        c
        for s in range(40)
        for c in Generator(deck, s).build(deck.facts[0], "team/multiple-1").choices  # type: ignore[attr-defined,union-attr]
    }
    assert values == {"Nitro", "Venturi", "Rev", "Closed"}


def out_of_their_year(deck: Deck, seeds: range) -> tuple[int, list[tuple[str, str]]]:
    """How many choices of year-bound pool answers were offered, and those offered for
    a year their pool value was not valid in (a team before it opened or after it closed)."""
    offered, wrong = 0, []
    facts = {f.id: f for f in deck.facts}
    for seed in seeds:
        for q in Generator(deck, seed).all_questions():
            if q.kind not in ("multiple", "reverse"):
                continue
            fact = facts[q.fact]
            answer = fact.answer if q.kind == "multiple" else fact.reverse.answer  # type: ignore[union-attr]
            if not isinstance(answer, PoolAnswer) or answer.year is None:
                continue
            info = deck.pool_info.get(answer.pool, {})
            for choice in q.choices:
                offered += 1
                valid = info.get(choice)
                if valid is not None and (
                    (valid.until is not None and valid.until < answer.year)
                    or (valid.since is not None and valid.since > answer.year)
                ):
                    wrong.append((q.id, choice))
    return offered, wrong


def test_no_pool_value_is_offered_for_a_year_it_was_not_valid_in() -> None:
    """The fixed deck's 2025 team question never offers the team that closed in 2024."""
    offered, wrong = out_of_their_year(FX, range(50))
    assert offered > 0 and wrong == []
    assert "Stewart-Haas Racing" in FX.pool_info["teams"]  # the closed team the check must skip


def test_the_bundled_deck_never_offers_a_value_outside_its_year() -> None:
    assert out_of_their_year(DECK, range(50))[1] == []
