"""The Amber Balcaen deck states what its article says, and nothing more."""

from __future__ import annotations

import re

import pytest

from quiz.deckfile.read import load_deck
from quiz.model import Answer, Fact, OrdinalAnswer, PoolAnswer, TextAnswer, YearAnswer
from quiz.questions.choices import format_value
from quiz.questions.generate import Generator
from quiz.questions.plan import make_quiz
from quiz.questions.words import words
from tests.conftest import ARTICLE, BUNDLED, Cli, needs_shared

# Properties only: no test here names one of the deck's facts, questions or its size,
# so a contributor's new or reworded fact turns nothing red unless it breaks a rule.
DECK = load_deck(BUNDLED)


def norm(text: str) -> str:
    return re.sub(
        r"\s+", " ", text.replace("\u2019", "'").replace("\u201c", '"').replace("\u201d", '"')
    ).lower()


def test_the_deck_passes_strict_validation(cli: Cli) -> None:
    """As CI and the pre-commit hook check it: no error, no warning, no giveaway."""
    result = cli("validate", "--strict", str(BUNDLED))
    assert result.code == 0 and result.out == "", result.out


def test_full_games_of_10_and_20_and_no_repeats_at_30() -> None:
    # The facts these tests' forms (choices) can ask: one kept to typed is not among them.
    facts = [f for f in DECK.facts if f.form in (None, "multiple", "boolean")]
    assert len(facts) < len(DECK.facts)  # the deck has one, so the count below is checked
    for seed in range(20):
        # As many questions as the deck has facts (up to 20): a full game, each fact once.
        for count in (10, min(20, len(facts))):
            assert len(make_quiz(DECK, seed, count)) == count, (seed, count)
        quiz = make_quiz(DECK, seed, 30)
        assert min(20, len(facts)) <= len(quiz) <= 30 and len({q.id for q in quiz}) == len(quiz), (
            seed
        )


def test_every_fact_cites_the_article() -> None:
    assert [s.id for s in DECK.sources] == ["article-2025"]
    assert {f.source for f in DECK.facts} == {"article-2025"}


@needs_shared(ARTICLE)
def test_quotes_are_her_own_words_verbatim() -> None:
    article = norm(ARTICLE.read_text(encoding="utf-8"))
    for fact in DECK.facts:
        if fact.answer.kind == "quote":
            assert norm(fact.answer.value) in article, fact.id


# Ordinals as an article may spell them ("eighth"), besides "8th".
ORDINAL_WORDS = (
    "first second third fourth fifth sixth seventh eighth ninth tenth eleventh twelfth "
    "thirteenth fourteenth fifteenth sixteenth seventeenth eighteenth nineteenth twentieth"
).split()


def answers(fact: Fact) -> list[Answer]:
    """A fact's right answers: its own, and its reverse question's."""
    return [fact.answer] + ([fact.reverse.answer] if fact.reverse else [])


def in_the_article(answer: Answer, article: str, article_words: frozenset[str]) -> bool:
    """Is this right answer what the article says? Numbers and dates as the article
    writes them, names word for word, other answers by most of their words."""
    if answer.kind in ("ordinal", "integer", "year", "date"):
        forms = {norm(format_value(answer, answer.value)), str(answer.value)}  # type: ignore[arg-type]
        if answer.kind == "ordinal" and 1 <= int(answer.value) <= len(ORDINAL_WORDS):
            forms.add(ORDINAL_WORDS[int(answer.value) - 1])
        # whole words only: 3 is not in "33-year-old"
        return any(re.search(rf"(?<!\w){re.escape(form)}(?!\w)", article) for form in forms)
    value = words(str(answer.value))
    if answer.kind == "pool":  # a name: every word of it
        return value <= article_words
    return len(value & article_words) * 2 >= len(value)  # text: at least half its words


@needs_shared(ARTICLE)
def test_key_words_of_every_right_answer_are_in_the_article() -> None:
    text = ARTICLE.read_text(encoding="utf-8")
    article, article_words = norm(text), words(text)
    unsupported = [
        (fact.id, answer.value)
        for fact in DECK.facts
        for answer in answers(fact)
        if answer.kind != "quote" and not in_the_article(answer, article, article_words)
    ]
    assert unsupported == []


@needs_shared(ARTICLE)
def test_every_statement_is_told_in_the_article_words() -> None:
    """Two thirds of a statement's words at least are the article's own: a fact the
    article does not tell (a hometown, a result from memory) brings words it lacks."""
    article_words = words(ARTICLE.read_text(encoding="utf-8"))
    for fact in DECK.facts:
        said = words(fact.statement)
        assert len(said & article_words) * 3 >= len(said) * 2, (
            fact.id,
            sorted(said - article_words),
        )


@needs_shared(ARTICLE)
def test_the_answer_checks_can_fail() -> None:
    """An answer the article does not give, and a statement it does not make, are caught."""
    text = ARTICLE.read_text(encoding="utf-8")
    article, article_words = norm(text), words(text)
    assert not in_the_article(OrdinalAnswer(value=3), article, article_words)
    assert not in_the_article(YearAnswer(value=2019), article, article_words)
    assert not in_the_article(
        PoolAnswer(pool="teams", value="Joe Gibbs Racing"), article, article_words
    )
    assert not in_the_article(
        TextAnswer(value="A podium finish at Bristol"), article, article_words
    )
    said = words("Balcaen was born in Winnipeg and won the Daytona 500 in 2019.")
    assert len(said & article_words) * 3 < len(said) * 2


def test_deck_covers_the_article_in_a_500_question_preview() -> None:
    ids = {q.fact for q in Generator(DECK, 7).all_questions()}
    assert ids == {f.id for f in DECK.facts}


def test_time_bound_questions_say_when() -> None:
    for fact in DECK.facts:
        if ("2024" in fact.tags or "2025" in fact.tags) and fact.answer.kind not in (
            "year",
            "date",
        ):
            text = " ".join(fact.questions) + fact.claim
            assert re.search(r"2024|2025|Kansas|Dover|at the time", text), fact.id


@pytest.mark.all_forms
def test_ten_question_games_ask_every_form_the_deck_has() -> None:
    # What a newcomer meets with any seed: a typed answer, an estimate and an order
    # (the forms share four race places, so one planned early used to starve the other).
    games = [{q.kind for q in make_quiz(DECK, seed, 10)} for seed in range(100)]
    complete = sum(
        {"typed", "estimate", "order", "boolean", "multiple"} <= kinds for kinds in games
    )
    assert complete >= 90, complete
