"""Questions a test-wise player can't guess: numbers, synonyms, register, timelines, headliners.

Each test builds a small deck that has the cue, and checks what a player would
notice: the generator keeps it off screen, or `quiz audit` and `quiz validate
--strict` name the fact and its line and fail.
"""

from __future__ import annotations

from collections import Counter
from dataclasses import replace
from pathlib import Path

import pytest

from quiz.authoring.faults import fact_faults
from quiz.deckfile.read import load_deck
from quiz.questions.generate import Generator
from quiz.questions.meaning import odd_one, register, synonym_index, synonym_key
from quiz.questions.plan import make_quiz
from tests.conftest import BUNDLED, Cli

HEAD = """
id = "meaning-test"
title = "A Test Deck"
subject = "Tests"
description = "Facts about a made-up driver."
{extra}

[[sources]]
id = "notes"
title = "Notes"
date = "2030"
"""


def deck_file(tmp_path: Path, facts: str, extra: str = "") -> Path:
    path = tmp_path / "deck.toml"
    path.write_text(HEAD.format(extra=extra) + facts, encoding="utf-8")
    return path


PURPLE = """
[[facts]]
id = "purple-helmet"
statement = "She wore a purple helmet."
answer = { kind = "text", value = "A purple helmet" }
questions = ["What did she wear on race day, a helmet?"]
claim = "She wore {answer} on race day."
wrong = ["A hat", "A cap", "A visor"]
explanation = "It matched her car."
source = "notes"

[[facts]]
id = "fine-fact"
statement = "She drove a blue car."
answer = { kind = "text", value = "Blue" }
questions = ["What colour was her car?"]
claim = "Her car was {answer}."
wrong = ["Red", "Green", "Black", "White"]
explanation = "It was her sponsor's colour."
source = "notes"
"""


def test_audit_fails_on_the_purple_helmet_and_names_it_with_its_line(
    cli: Cli, tmp_path: Path
) -> None:
    path = deck_file(tmp_path, PURPLE)
    result = cli("audit", str(path), "--games", "40")
    assert result.code == 1
    line = next(
        n for n, text in enumerate(path.read_text().splitlines(), 1) if "A purple helmet" in text
    )
    named = [row for row in result.out.splitlines() if "[purple-helmet]" in row]
    assert named and all(f"{path}:{line}:" in row for row in named), result.out
    assert any("longest" in row for row in named) and any("echoes" in row for row in named)
    assert not any("[fine-fact]" in row for row in result.out.splitlines())
    assert "give their answer away" in result.err
    strict = cli("validate", "--strict", str(path))
    assert strict.code == 1 and "[purple-helmet]" in strict.out


def test_the_bundled_deck_passes_every_rule(cli: Cli) -> None:
    assert fact_faults(load_deck(BUNDLED)) == []
    result = cli("audit", str(BUNDLED), "--games", "150")
    assert result.code == 0, result.out + result.err
    assert "within" in result.out and "Test-wise player" in result.out


def test_a_year_just_before_the_source_date_is_a_fault_the_audit_fails(
    cli: Cli, tmp_path: Path
) -> None:
    path = deck_file(
        tmp_path,
        """
[[facts]]
id = "late-year"
statement = "She won in 2029."
answer = { kind = "year", value = 2029 }
questions = ["In which year did she win?"]
explanation = "It was her first win."
source = "notes"
""",
    )
    faults = fact_faults(load_deck(path))
    assert [f.fact for f in faults] == ["late-year"] and "2 of 4 places" in faults[0].message
    result = cli("audit", str(path), "--games", "30")
    assert result.code == 1 and "[late-year]" in result.out


@pytest.mark.parametrize("value", [6, 17, 33])
def test_numbers_take_every_place_equally_and_are_evenly_spaced(value: int) -> None:
    deck = load_deck(BUNDLED)  # any deck: the answer is built here
    from quiz.model import OrdinalAnswer

    fact = deck.facts[0].__class__(
        id="n",
        statement="s",
        answer=OrdinalAnswer(value, 40),
        questions=("Where did she finish?",),
        explanation="e",
        source=deck.sources[0].id,
    )
    places: Counter[int] = Counter()
    for seed in range(400):
        # Drawn once per question, the same in every game: so across decks.
        q = Generator(replace(deck, id=f"deck-{seed}"), seed).build(fact, "n/multiple-1")
        assert q is not None
        numbers = [int(c[:-2]) for c in q.choices]
        assert numbers in (sorted(numbers), sorted(numbers, reverse=True))  # either way up
        assert len({b - a for a, b in zip(numbers, numbers[1:], strict=False)}) == 1
        places[q.answer] += 1
    assert all(65 <= places[p] <= 135 for p in range(4)), places


SYNONYMS = """
[[facts]]
id = "wanted"
statement = "She wanted a top-five finish."
answer = { kind = "text", value = "A top-five finish" }
questions = ["What result did she want?"]
claim = "She wanted {answer}."
wrong = ["A top-three finish", "A podium finish", "A race win", "The pole position", "A top-ten finish"]
explanation = "She said so after the race."
source = "notes"

[[facts]]
id = "got"
statement = "She got a podium finish at the next race."
answer = { kind = "text", value = "A podium finish" }
questions = ["What did she get at the next race?"]
claim = "At the next race she got {answer}."
wrong = ["A race win", "A top-three finish", "The pole position", "A top-ten finish", "A crash"]
accept = []
explanation = "It was her best result."
source = "notes"
"""


def test_synonyms_are_never_shown_together_nor_beside_the_answers_own(tmp_path: Path) -> None:
    path = deck_file(
        tmp_path, SYNONYMS, extra='synonyms = [["A top-three finish", "A podium finish"]]'
    )
    deck = load_deck(path)
    index = synonym_index(deck.synonyms)
    shown = 0
    for seed in range(200):
        for q in Generator(deck, seed).all_questions():
            keys = [synonym_key(index, c) for c in q.choices]
            named = [k for k in keys if k is not None]
            assert len(named) == len(set(named)), q.choices
            if q.fact == "got" and q.kind == "multiple":
                assert "A top-three finish" not in q.choices  # it means the answer
                shown += 1
    assert shown
    # Without the declaration both appear together in some game: the test can fail.
    plain = load_deck(deck_file(tmp_path, SYNONYMS))
    assert any(
        {"A top-three finish", "A podium finish"} <= set(q.choices)
        for seed in range(200)
        for q in Generator(plain, seed).all_questions()
    )


EVENTS = """
[[facts]]
id = "e-crash"
statement = "She crashed."
answer = { kind = "text", value = "Crashed" }
questions = ["What happened first?"]
wrong = ["Won", "Retired", "Moved"]
timeline = { event = "The crash", step = 1 }
explanation = "e"
source = "notes"

[[facts]]
id = "e-cleared"
statement = "She was cleared."
answer = { kind = "text", value = "Cleared" }
questions = ["What happened next?"]
wrong = ["Banned", "Fined", "Warned"]
timeline = { event = "Being cleared to race", step = 2{follows} }
explanation = "e"
source = "notes"

[[facts]]
id = "e-book"
statement = "She wrote a book."
answer = { kind = "text", value = "A book" }
questions = ["What did she write?"]
wrong = ["A song", "A play", "A poem"]
timeline = { event = "Writing a book", step = 3 }
explanation = "e"
source = "notes"

[[facts]]
id = "e-school"
statement = "She opened a school."
answer = { kind = "text", value = "A school" }
questions = ["What did she open?"]
wrong = ["A shop", "A garage", "A museum"]
timeline = { event = "Opening a school", step = 4 }
explanation = "e"
source = "notes"

[[facts]]
id = "e-award"
statement = "She won an award."
answer = { kind = "text", value = "An award" }
questions = ["What did she win?"]
wrong = ["A car", "A trip", "A bet"]
timeline = { event = "Winning an award", step = 5 }
explanation = "e"
source = "notes"
"""


def timelines(path: Path) -> list[frozenset[str]]:
    deck = load_deck(path)
    return [
        frozenset(q.facts)
        for seed in range(100)
        for q in Generator(deck, seed).all_questions()
        if q.kind == "timeline"
    ]


def test_no_timeline_orders_events_whose_order_follows_from_cause(tmp_path: Path) -> None:
    free = timelines(deck_file(tmp_path, EVENTS.replace("{follows}", "")))
    assert any({"e-crash", "e-cleared"} <= events for events in free)  # asked without the mark
    chained = timelines(deck_file(tmp_path, EVENTS.replace("{follows}", ', follows = ["e-crash"]')))
    assert chained and not any({"e-crash", "e-cleared"} <= events for events in chained)


def test_follows_names_an_earlier_fact_with_a_timeline(cli: Cli, tmp_path: Path) -> None:
    path = deck_file(tmp_path, EVENTS.replace("{follows}", ', follows = ["e-crashh"]'))
    result = cli("validate", str(path))
    assert result.code == 1 and "unknown fact 'e-crashh'; did you mean 'e-crash'?" in result.out
    line = next(n for n, t in enumerate(path.read_text().splitlines(), 1) if "e-crashh" in t)
    assert f"{path}:{line}:" in result.out


def test_headline_facts_are_in_at_least_half_of_ten_question_games() -> None:
    deck = load_deck(BUNDLED)
    core = [f.id for f in deck.facts if f.core]
    assert len(core) >= 3
    seen: Counter[str] = Counter()
    for seed in range(200):
        seen.update({q.fact for q in make_quiz(deck, seed, 10)})
    assert all(seen[f] >= 100 for f in core), {f: seen[f] for f in core}


def test_no_game_asks_the_same_prompt_twice() -> None:
    deck = load_deck(BUNDLED)
    for seed in range(40):
        prompts = [q.prompt for q in make_quiz(deck, seed, 30)]
        assert len(prompts) == len(set(prompts)), seed


ABSOLUTES = """
[[facts]]
id = "raced-hurt"
statement = "She raced hurt for over half the season."
answer = { kind = "text", value = "Over half the season" }
questions = ["For how long did she race hurt?"]
claim = "She raced hurt for {answer}."
wrong = ["Only two races", "The whole season", "About a third of the season", "About a quarter of the season"]
explanation = "She said so on TV."
source = "notes"
"""


def test_false_claims_never_bring_in_an_absolute_the_truth_lacks(tmp_path: Path) -> None:
    deck = load_deck(deck_file(tmp_path, ABSOLUTES))
    falses = 0
    for seed in range(200):
        q = Generator(deck, seed).build(deck.facts[0], "raced-hurt/boolean")
        assert q is not None
        if q.right == "False":
            falses += 1
            assert "only" not in q.prompt.lower() and "whole" not in q.prompt.lower(), q.prompt
    assert falses > 50


def test_wrong_answers_match_the_right_ones_register(tmp_path: Path) -> None:
    deck = load_deck(
        deck_file(
            tmp_path,
            """
[[facts]]
id = "sum-up"
statement = "She called it a decent day."
answer = { kind = "text", value = "A decent day" }
questions = ["How did she sum up the race?"]
wrong = ["The best day ever", "A total disaster", "A day to forget", "A solid day", "A good day", "A long day"]
explanation = "She told the press."
source = "notes"
""",
        )
    )
    for seed in range(100):
        q = Generator(deck, seed).build(deck.facts[0], "sum-up/multiple-1")
        assert q is not None
        odd = odd_one(q.choices)
        assert odd is None or odd[0] != q.answer, q.choices


def test_the_register_lexicon_reads_like_a_quiz_writer() -> None:
    assert "absolute" in register("Only two races")
    assert "extreme" in register("It was a disaster from start to finish")
    assert register("A car in front of her crashed") == frozenset()
    # The one moderate choice among three extremes is the odd one out.
    choices = [
        "The best day of my career",
        "A disaster from start to finish",
        "A decent day",
        "A day I would rather forget",
    ]
    assert odd_one(choices) == (2, "the only choice not extreme")
