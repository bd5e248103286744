"""The Amber Balcaen deck states what its article says, and nothing more."""

from __future__ import annotations

import re

import pytest

from quiz.deckfile.read import load_deck
from quiz.generate import Generator
from tests.conftest import ARTICLE, BUNDLED, needs_shared

DECK = load_deck(BUNDLED)
FACTS = {f.id: f for f in DECK.facts}


def norm(text: str) -> str:
    return re.sub(
        r"\s+", " ", text.replace("\u2019", "'").replace("\u201c", '"').replace("\u201d", '"')
    ).lower()


# Each required item of the issue, with the fact that covers it and what its answer must be.
REQUIRED = {
    "she was 33 at the time": ("balcaen-age", 33),
    "part-time in ARCA": ("balcaen-current-series", "ARCA Menards Series"),
    "for Nitro Motorsports": ("balcaen-current-team", "Nitro Motorsports"),
    "full-time for Venturini in 2024": ("balcaen-venturini-2024", "Venturini Motorsports"),
    "the crash at Dover": ("balcaen-dover-crash", "Dover Motor Speedway"),
    "broken left foot": ("balcaen-broken-foot", "A broken left foot"),
    "car in front crashed": ("balcaen-crash-cause", "A car ahead of her crashed"),
    "on course for a strong finish": ("balcaen-strong-finish", "On course for a strong finish"),
    "insert for stability and safety": ("balcaen-insert-purpose", "Stability and safety"),
    "NASCAR cleared her": ("balcaen-nascar-cleared", "NASCAR"),
    "top ten isn't bad": ("balcaen-top-ten", "Top ten isn't bad"),
    "tough competition at Kansas": ("balcaen-kansas-competition", "Some tough competition"),
    "part-time in 2025": ("balcaen-part-time-2025", "Part-time"),
    "steered toward the inside wall": ("balcaen-inside-wall", "Towards the inside wall"),
    "carbon insert in her boot": ("balcaen-carbon-insert", "A carbon insert in her boot"),
    "eighth at Kansas": ("balcaen-kansas-eighth", 8),
    "the very next weekend": ("balcaen-kansas-next-weekend", "The very next weekend"),
    "The Social (CTV)": ("balcaen-the-social", "The Social"),
    "over half the season": ("balcaen-half-season", "Over half the season"),
    "crashing is inevitable": ("balcaen-crashing-inevitable", "Crashing is inevitable in racing"),
    "fear of failure": ("balcaen-fear-of-failure", "The fear of failure"),
    "responsibility": ("balcaen-responsibility", "What women are capable of on the track"),
    "sixth in 2024 points": ("balcaen-points-sixth", 6),
    "top five at Kansas": ("balcaen-kansas-top-five", "A top-five finish"),
    "right changes in the pit stop": (
        "balcaen-kansas-pit-stop",
        "We made the right changes during the pit stop",
    ),
    "January 2025 announcement": ("balcaen-nitro-announcement", "2025-01"),
    "29th at Daytona in 2025": ("balcaen-daytona-2025", 29),
    "16th at Talladega in 2025": ("balcaen-talladega-2025", 16),
}


@pytest.mark.parametrize("item", REQUIRED)
def test_required_fact_is_in_the_deck(item: str) -> None:
    fact_id, value = REQUIRED[item]
    assert FACTS[fact_id].answer.value == value


def test_every_fact_cites_the_article() -> None:
    assert [s.id for s in DECK.sources] == ["article-2025"]
    assert {f.source for f in DECK.facts} == {"article-2025"}


@needs_shared(ARTICLE)
def test_quotes_are_her_own_words_verbatim() -> None:
    article = norm(ARTICLE.read_text(encoding="utf-8"))
    for fact in DECK.facts:
        if fact.answer.kind == "quote":
            assert norm(fact.answer.value) in article, fact.id


@needs_shared(ARTICLE)
def test_key_words_of_every_right_answer_are_in_the_article() -> None:
    article = norm(ARTICLE.read_text(encoding="utf-8"))
    words = {
        8: "eighth",
        6: "sixth",
        29: "29th",
        16: "16th",
        33: "33-year-old",
        2024: "2024",
        "2025-01": "january 2025",
    }
    for fact in DECK.facts:
        value = fact.answer.value
        if value in words:
            assert words[value] in article, fact.id
        elif isinstance(value, str) and fact.answer.kind == "pool":
            assert norm(value.split()[0]) in article, (fact.id, value)


def test_deck_covers_the_article_in_a_500_question_preview() -> None:
    ids = {q.fact for q in Generator(DECK, 7).all_questions()}
    assert ids == set(FACTS)


def test_time_bound_questions_say_when() -> None:
    for fact in DECK.facts:
        if ("2024" in fact.tags or "2025" in fact.tags) and fact.answer.kind not in (
            "year",
            "date",
        ):
            text = " ".join(fact.questions) + fact.claim
            assert re.search(r"2024|2025|Kansas|Dover|at the time", text), fact.id
