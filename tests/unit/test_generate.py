"""The generator: fair, plausible, reproducible questions."""

from __future__ import annotations

from collections import Counter
from dataclasses import replace

from hypothesis import given, settings
from hypothesis import strategies as st

from quiz.deckfile.read import build_deck, load_deck
from quiz.game.judge import RIGHT, verdict
from quiz.model import Deck
from quiz.questions.generate import Generator
from quiz.questions.plan import make_quiz
from quiz.questions.question import FALSE, TRUE, Question
from quiz.text import fold, ordinal
from tests.conftest import FIXED, MINI

DECK = load_deck(FIXED)
MINI_DECK = load_deck(MINI)


def assert_fair(question: Question) -> None:
    """One right answer, shown as the player will see it, whatever the form."""
    keys = [fold(c) for c in question.choices]
    if question.kind in ("typed", "estimate"):
        assert question.choices == () and question.answer == -1
        if question.kind == "typed":
            assert question.accept[0] == question.right
            assert verdict(question, text=question.right) == RIGHT
            for wrong in question.refuse:
                assert not verdict(question, text=wrong).correct, (wrong, question.accept)
        else:
            assert question.value is not None
            assert verdict(question, value=question.value) == RIGHT
            assert question.low is None or question.low <= question.value
            assert question.high is None or question.value <= question.high
        return
    if question.kind == "order":
        assert len(set(keys)) == len(keys) >= 3, question.choices
        assert sorted(question.order) == list(range(len(question.choices)))
        assert list(question.order) != sorted(question.order), "shown already in order"
        assert verdict(question, order=question.order) == RIGHT
        assert question.right == " \u2192 ".join(question.choices[k] for k in question.order)
        return
    assert len(set(keys)) == len(keys), question.choices
    assert 0 <= question.answer < len(question.choices)
    assert len(question.choices) >= 2
    if question.kind == "boolean":
        assert question.choices == (TRUE, FALSE)


def test_ordinals() -> None:
    assert [ordinal(n) for n in (1, 2, 3, 4, 11, 12, 13, 21, 22, 29, 101, 111)] == [
        "1st",
        "2nd",
        "3rd",
        "4th",
        "11th",
        "12th",
        "13th",
        "21st",
        "22nd",
        "29th",
        "101st",
        "111th",
    ]


def test_bundled_deck_yields_at_least_30_distinct_questions() -> None:
    questions = list(Generator(DECK, 1).all_questions())
    assert len({q.prompt for q in questions}) >= 30
    assert {q.kind for q in questions} == {
        *("multiple", "boolean", "reverse", "timeline"),
        *("typed", "estimate", "order"),
    }
    for q in questions:
        assert_fair(q)


@settings(max_examples=40, deadline=None)
@given(
    seed=st.integers(min_value=0, max_value=2**63 - 1), count=st.integers(min_value=1, max_value=80)
)
def test_every_question_has_one_right_answer_and_distinct_choices(seed: int, count: int) -> None:
    for question in make_quiz(DECK, seed, count) + make_quiz(MINI_DECK, seed, count):
        assert_fair(question)


@settings(max_examples=25, deadline=None)
@given(seed=st.integers(min_value=0, max_value=10**9), count=st.integers(min_value=1, max_value=40))
def test_same_seed_same_quiz(seed: int, count: int) -> None:
    assert make_quiz(DECK, seed, count) == make_quiz(load_deck(FIXED), seed, count)


@settings(max_examples=300, deadline=None)
@given(parts=st.lists(st.text(), max_size=5))
def test_the_words_a_question_shows_are_those_of_its_texts_joined(parts: list[str]) -> None:
    """Question.shows takes the words of each text apart (each is cached): the same words
    as the texts joined into one, so nothing shown goes unnoticed by the planner."""
    from quiz.questions.words import words

    assert frozenset().union(*map(words, parts)) == words(" ".join(parts))


@settings(max_examples=300, deadline=None)
@given(text=st.text(alphabet=st.characters(max_codepoint=127)))
def test_fold_takes_a_short_way_with_ascii_that_ends_where_the_long_way_does(text: str) -> None:
    """Choices compare by fold(); its shortcut for ASCII must give the same key."""
    from quiz.text import _fold_unicode

    assert fold(text) == _fold_unicode(text)


def test_different_seeds_give_different_quizzes() -> None:
    assert make_quiz(DECK, 1, 10) != make_quiz(DECK, 2, 10)


def test_the_right_answer_is_never_false() -> None:
    """A multiple-choice right answer is the fact's value; a 'True' claim holds the real value."""
    facts = {f.id: f for f in DECK.facts}
    from quiz.questions.choices import format_value, in_sentence

    for seed in range(30):
        for q in Generator(DECK, seed).all_questions():
            fact = facts[q.fact]
            if q.kind == "multiple":
                assert q.right == format_value(fact.answer, fact.answer.value)
            elif q.kind == "reverse":
                assert fact.reverse is not None
                assert q.right == format_value(fact.reverse.answer, fact.reverse.answer.value)
            elif q.kind == "boolean":
                true_claim = fact.claim.replace(
                    "{answer}",
                    in_sentence(fact.answer, format_value(fact.answer, fact.answer.value)),
                )
                assert (q.prompt == f"True or false? {true_claim}") == (q.right == TRUE)
            elif q.kind == "timeline":
                steps = {facts[f].timeline.event: facts[f].timeline.step for f in q.facts}  # type: ignore[union-attr]
                edge = min(steps.values()) if q.prompt.endswith("first?") else max(steps.values())
                assert steps[q.right] == edge
                assert q.right == fact.timeline.event  # type: ignore[union-attr]
                assert len(set(steps.values())) == len(steps), (
                    "events of one step are never compared"
                )


def test_numeric_wrong_answers_sit_on_both_sides() -> None:
    """The right number is the smallest or the largest no more often than chance: its
    place is drawn once per question (the same in every game), so across decks."""
    positions = Counter()
    for seed in range(400):
        q = Generator(replace(DECK, id=f"deck-{seed}"), seed).build(
            next(f for f in DECK.facts if f.id == "fx-balcaen-kansas-eighth"),
            "fx-balcaen-kansas-eighth/multiple-1",
        )
        assert q is not None
        positions[q.answer] += 1
        assert q.right == "8th"
        assert all(c.endswith(("st", "nd", "rd", "th")) for c in q.choices)
        numbers = [int(c[:-2]) for c in q.choices]
        # In order, either way up (drawn per game).
        assert numbers in (sorted(numbers), sorted(numbers, reverse=True))
        assert min(numbers) >= 1 and max(numbers) <= 40
    for position in range(4):
        assert 70 <= positions[position] <= 130, positions


def test_right_answer_position_is_uniform_over_many_quizzes() -> None:
    positions = Counter()
    for seed in range(150):
        for q in make_quiz(replace(DECK, id=f"deck-{seed}"), seed, 10):
            if len(q.choices) == 4:
                positions[q.answer] += 1
    total = sum(positions.values())
    expected = total / 4
    chi2 = sum((positions[p] - expected) ** 2 / expected for p in range(4))
    assert chi2 < 16.27, positions  # p = 0.001 with 3 degrees of freedom


def test_a_question_offers_the_same_choices_in_every_game_only_their_order_changes() -> None:
    """Else the right answer would be the one choice every game has, and a false claim's
    detail the one that changes: playing again must teach the facts, nothing else."""
    games = [{q.id: q for q in Generator(DECK, seed).all_questions()} for seed in range(8)]
    orders = set()
    for question_id, first in games[0].items():
        if first.kind == "boolean":
            # True in some games, false in others, but always false the same way.
            false = {g[question_id].prompt for g in games if g[question_id].answer == 1}
            assert len(false) <= 1, false
            continue
        for game in games[1:]:
            other = game[question_id]
            assert sorted(other.choices) == sorted(first.choices), question_id
            assert other.right == first.right
            orders.add((question_id, other.choices))
    assert len(orders) > len(games[0])  # the order does change from game to game


def test_true_false_share_and_no_fact_twice_while_others_are_left() -> None:
    for seed in range(50):
        quiz = make_quiz(DECK, seed, 20)
        assert len(quiz) == 20
        assert 2 <= sum(q.kind == "boolean" for q in quiz) <= 6
        facts = [q.fact for q in quiz if q.kind != "timeline"]
        assert len(set(facts)) == len(facts)


def test_timeline_questions_are_few_and_never_share_an_answer() -> None:
    for seed in range(40):
        quiz = make_quiz(DECK, seed, 20)
        timeline = [q for q in quiz if q.kind == "timeline"]
        assert len(timeline) <= 2
        assert len({q.right for q in timeline}) == len(timeline)


def test_a_spread_of_difficulties() -> None:
    for seed in range(20):
        quiz = make_quiz(DECK, seed, 9)
        assert max(Counter(q.difficulty for q in quiz).values()) <= 5


def test_count_above_the_deck_gives_what_can_be_asked_without_a_giveaway() -> None:
    everything = {q.id for q in Generator(DECK, 5).all_questions()}
    quiz = make_quiz(DECK, 5, 500)  # the most a game can ask
    assert 25 <= len(quiz) < len(everything)
    assert len({q.id for q in quiz}) == len(quiz)
    assert len({q.fact for q in quiz}) >= 0.9 * len(DECK.facts)


def test_a_question_is_the_same_whichever_quiz_it_is_in() -> None:
    small = {q.id: q for q in make_quiz(DECK, 11, 5)}
    large = {q.id: q for q in make_quiz(DECK, 11, 50)}
    facts = {f.id: f for f in DECK.facts}
    assert set(small) & set(large)
    for question_id, question in small.items():
        assert Generator(DECK, 11).build(facts[question.fact], question_id) == question
        if question_id in large:
            assert large[question_id] == question


def test_accepted_answers_are_never_wrong_choices() -> None:
    fact = next(f for f in MINI_DECK.facts if f.id == "mini-text")
    for seed in range(50):
        q = Generator(MINI_DECK, seed).build(fact, "mini-text/multiple-1")
        assert q is not None and "Crystal" not in q.choices


def _deck(answer: dict, wrong: list, pool: list[str] | None = None) -> Deck:
    return build_deck(
        {
            "id": "h",
            "title": "H",
            "subject": "S",
            "description": "D",
            "sources": [{"id": "s", "title": "T"}],
            "pools": {"p": pool} if pool else {},
            "facts": [
                {
                    "id": "f",
                    "statement": "S.",
                    "answer": answer,
                    "questions": ["Q?"],
                    "claim": "It is {answer}.",
                    "wrong": wrong,
                    "explanation": "E.",
                    "source": "s",
                }
            ],
        },
        "",
        "<hypothesis>",
    )


typed_answers = st.one_of(
    st.builds(
        lambda v, m: {"kind": "ordinal", "value": v, "max": v + m},
        st.integers(1, 60),
        st.integers(3, 40),
    ),
    st.builds(
        lambda v, lo: {"kind": "integer", "value": v, "min": v - lo},
        st.integers(-(10**9), 10**9),
        st.integers(3, 100),
    ),
    st.builds(lambda v: {"kind": "year", "value": v, "max": v + 1}, st.integers(1100, 2900)),
    st.builds(
        lambda y, m: {"kind": "date", "value": f"{y}-{m:02d}"},
        st.integers(1100, 2900),
        st.integers(1, 12),
    ),
)


@settings(max_examples=60, deadline=None)
@given(answer=typed_answers, seed=st.integers(0, 10**6))
def test_typed_answers_give_plausible_possible_wrong_answers(answer: dict, seed: int) -> None:
    deck = _deck(answer, [])
    for q in Generator(deck, seed).all_questions():
        assert_fair(q)
        if q.kind == "multiple":
            assert len(q.choices) == 4
            if answer["kind"] == "ordinal":
                values = [int(c[:-2]) for c in q.choices]
                assert min(values) >= 1 and max(values) <= answer["max"]
            if answer["kind"] == "year":
                assert max(int(c) for c in q.choices) <= answer["max"]


@settings(max_examples=40, deadline=None)
@given(
    pool=st.lists(
        st.text(st.characters(categories=["L"]), min_size=1, max_size=10), min_size=1, max_size=8
    ),
    seed=st.integers(0, 1000),
)
def test_pool_choices_are_distinct_ignoring_case_and_space(pool: list[str], seed: int) -> None:
    deck = _deck({"kind": "pool", "pool": "p", "value": pool[0]}, [], pool)
    for q in Generator(deck, seed).all_questions():
        assert_fair(q)
        assert q.right == pool[0] or q.kind == "boolean"


def test_selection_is_independent_of_hash_seed() -> None:
    import os
    import subprocess
    import sys

    code = "from quiz.deckfile.read import load_deck; from quiz.questions.plan import make_quiz; from quiz.questions.question import KINDS; import sys; print([q.id + str(q.choices) + q.right for q in make_quiz(load_deck(sys.argv[1]), 7, 40, kinds=KINDS)])"
    outs = {
        subprocess.run(
            [sys.executable, "-c", code, str(FIXED)],
            capture_output=True,
            text=True,
            env={**os.environ, "PYTHONHASHSEED": str(h)},
            check=True,
        ).stdout
        for h in (0, 1, 12345)
    }
    assert len(outs) == 1


def _statements_deck(statements: int, multiple: int = 0) -> Deck:
    """A deck as `quiz import` writes one: true/false statements (answer kind boolean)."""
    facts: list[dict] = [
        {
            "id": f"tf-{k}",
            "statement": f"Statement {k} about cats.",
            "answer": {"kind": "boolean", "value": k % 2 == 0},
            "questions": [f"Cats number {k} sleep a lot."],
            "explanation": "E.",
            "source": "s",
        }
        for k in range(statements)
    ]
    facts += [
        {
            "id": f"mc-{k}",
            "statement": f"Fact {k}.",
            "answer": {"kind": "text", "value": f"Blue {k}"},
            "questions": [f"What colour is sky number {k}?"],
            "wrong": [f"Green {k}", f"Red {k}", f"Grey {k}"],
            "explanation": "E.",
            "source": "s",
        }
        for k in range(multiple)
    ]
    return build_deck(
        {
            "id": "sheet",
            "title": "Sheet",
            "subject": "S",
            "description": "D",
            "sources": [{"id": "s", "title": "T"}],
            "facts": facts,
        },
        "",
        "<test>",
    )


def test_a_deck_of_true_false_statements_is_asked_whole() -> None:
    # An imported deck of Open Trivia DB true/false questions has no other form:
    # the true/false share of a game is for claims, not for these.
    quiz = make_quiz(_statements_deck(10), seed=1, count=10)
    assert len(quiz) == 10 and {q.kind for q in quiz} == {"boolean"}
    mixed = make_quiz(_statements_deck(1, multiple=1), seed=1, count=2)
    assert sorted(q.kind for q in mixed) == ["boolean", "multiple"]
