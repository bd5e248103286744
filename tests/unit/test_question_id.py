"""Question ids: `FACT/FORM`, parsed and formatted in one place."""

from __future__ import annotations

from quiz.deckfile.read import load_deck
from quiz.questions.generate import Generator
from quiz.questions.question import QuestionId
from tests.conftest import FIXED


def test_parse_and_format_round_trip() -> None:
    qid = QuestionId.parse("kansas-8th/multiple-2")
    assert (qid.fact, qid.form, qid.wording) == ("kansas-8th", "multiple-2", 1)
    assert qid.format() == str(qid) == "kansas-8th/multiple-2"


def test_an_id_without_a_form_names_only_its_fact() -> None:
    assert QuestionId.parse("kansas-8th") == QuestionId("kansas-8th", "")


def test_every_generated_id_parses_back_to_its_fact_and_builds() -> None:
    deck = load_deck(FIXED)
    generator = Generator(deck, 1)
    built = 0
    for fact in deck.facts:
        for text in generator.forms(fact):
            qid = QuestionId.parse(text)
            assert qid.fact == fact.id
            assert qid.format() == text
            question = generator.build(fact, text)  # None: this seed finds no fair choices
            if question is not None:
                assert question.id == text
                built += 1
    assert built > len(deck.facts)


def test_a_save_holding_an_unknown_form_rebuilds_nothing() -> None:
    deck = load_deck(FIXED)
    fact = deck.facts[0]
    assert Generator(deck, 1).build(fact, f"{fact.id}/sideways") is None
    assert Generator(deck, 1).build(fact, fact.id) is None
