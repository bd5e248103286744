"""The fair-question rules: what would make a question unfair or wrong.

An answer that is also a wrong answer, or accepted and wrong at once, too few
wrong answers, a fact written twice, a question without "?", a date after its
source. `quiz validate` (quiz.authoring.validate) runs them on the facts that
passed the schema and the references; quiz.authoring.interchange on imports.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Iterable, Sequence
from dataclasses import dataclass
from typing import TYPE_CHECKING, Literal

from quiz.deckfile.limits import CLAIM_MAX, real_date
from quiz.model import (
    BooleanAnswer,
    DateAnswer,
    Deck,
    Fact,
    IntegerAnswer,
    OrdinalAnswer,
    PoolAnswer,
    QuoteAnswer,
    TextAnswer,
    YearAnswer,
)
from quiz.questions.choices import (
    NUMERIC,
    WRONG_PER_QUESTION,
    AnyAnswer,
    format_value,
    in_sentence,
    number_ladders,
)
from quiz.questions.question import QuestionId
from quiz.questions.words import words
from quiz.text import answer_key, fold

if TYPE_CHECKING:
    pass


@dataclass(frozen=True)
class Finding:
    """One thing a fairness rule found: where in the deck's data, what, for which fact."""

    path: tuple[str | int, ...]
    message: str
    fact: str | None
    severity: Literal["error", "warning"]


def lint(
    deck: Deck, today: dt.date | None = None, used_elsewhere: Iterable[str] = ()
) -> list[Finding]:
    """Rules that make questions fair: one Finding for each thing to fix.

    ``today`` (the real date by default) is what a source's date must not be after;
    ``used_elsewhere`` names pools that facts left out of ``deck`` use.
    """
    out: list[Finding] = []
    statements: dict[str, str] = {}
    used_pools: set[str] = set(used_elsewhere)
    pool_keys = {name: frozenset(fold(v) for v in values) for name, values in deck.pools.items()}
    for i, fact in enumerate(deck.facts):
        where: tuple[str | int, ...] = ("facts", i)
        key = fold(fact.statement)
        if key in statements:
            out.append(
                Finding(
                    where + ("statement",),
                    f"this fact says the same as '{statements[key]}'; remove one of them",
                    fact.id,
                    "error",
                )
            )
        statements.setdefault(key, fact.id)
        out.extend(
            _answer_rules(
                deck,
                pool_keys,
                where,
                fact.id,
                fact.answer,
                fact.wrong,
                fact.accept,
                fact.source,
                # Kept to typed, its wrong answers are only values never taken.
                typed_only="kept"
                if fact.form == "typed" and _typed_sets(deck, fact) is not None
                else _typed_only(deck, fact),
            )
        )
        if fact.reverse is not None:
            rev = fact.reverse
            out.extend(
                _answer_rules(
                    deck,
                    pool_keys,
                    where + ("reverse",),
                    fact.id,
                    rev.answer,
                    rev.wrong,
                    rev.accept,
                    fact.source,
                )
            )
        for answer in (fact.answer, fact.reverse.answer if fact.reverse else None):
            if isinstance(answer, PoolAnswer):
                used_pools.add(answer.pool)
        out.extend(
            question_marks(
                where,
                fact.id,
                fact.questions,
                fact.reverse.question if fact.reverse else None,
                boolean=isinstance(fact.answer, BooleanAnswer),
            )
        )
        out.extend(_claim_rules(deck, where, fact))
        out.extend(_form_rules(deck, where, fact))
    events: dict[str, str] = {}
    for i, fact in enumerate(deck.facts):
        if fact.timeline is None:
            continue
        key = fold(fact.timeline.event)
        if key in events:
            # Timeline choices are events: two that look alike cannot be told apart.
            out.append(
                Finding(
                    ("facts", i, "timeline", "event"),
                    f"this event looks the same as the event of '{events[key]}' (case, "
                    "invisible characters or look-alike letters aside); word it differently",
                    fact.id,
                    "error",
                )
            )
        events.setdefault(key, fact.id)
    for name in deck.pools:
        if name not in used_pools:
            out.append(
                Finding(
                    ("pools", name), f"the pool '{name}' is not used by any fact", None, "warning"
                )
            )
    for name, values in deck.pools.items():
        seen: set[str] = set()
        for k, value in enumerate(values):
            if fold(value) in seen:
                out.append(
                    Finding(
                        ("pools", name, k),
                        f"'{value}' is in the pool '{name}' twice",
                        None,
                        "error",
                    )
                )
            seen.add(fold(value))
    out.extend(_giveaway_rules(deck))
    out.extend(_meaning_rules(deck))
    out.extend(_date_rules(deck, today or dt.date.today()))
    return out


def question_marks(
    where: tuple[str | int, ...],
    fact_id: str | None,
    questions: Iterable[object],
    reverse_question: object,
    *,
    boolean: bool,
) -> Iterable[Finding]:
    """Questions that do not end with "?" (a true/false fact's questions are statements).

    Takes plain values, so `quiz validate` runs it on a fact with schema errors too:
    a fact's every fault is listed in one run, not hidden behind another.
    """
    if not boolean:
        for k, wording in enumerate(questions):
            if isinstance(wording, str) and not wording.endswith("?"):
                yield Finding(
                    where + ("questions", k), "a question should end with '?'", fact_id, "warning"
                )
    if isinstance(reverse_question, str) and not reverse_question.endswith("?"):
        yield Finding(
            where + ("reverse", "question"), "a question should end with '?'", fact_id, "warning"
        )


def _date_rules(deck: Deck, today: dt.date) -> Iterable[Finding]:
    """Dates a source cannot have: after its own date, or in the future."""
    now = today.isoformat()
    for k, source in enumerate(deck.sources):
        if source.date and source.date > now[: len(source.date)]:
            yield Finding(
                ("sources", k, "date"),
                f"the source '{source.id}' is dated {source.date}, which is in the future; "
                "write the date it was published",
                None,
                "warning",
            )
    for i, fact in enumerate(deck.facts):
        cited = deck.source(fact.source)
        if cited is None or not cited.date:
            continue
        date = cited.date
        answers: list[tuple[tuple[str | int, ...], AnyAnswer]] = [
            (("facts", i, "answer"), fact.answer)
        ]
        if fact.reverse is not None:
            answers.append((("facts", i, "reverse", "answer"), fact.reverse.answer))
        for where, answer in answers:
            if isinstance(answer, YearAnswer):
                shown, later = str(answer.value), answer.value > int(date[:4])
            elif isinstance(answer, DateAnswer):
                n = min(len(answer.value), len(date))
                shown, later = answer.value, answer.value[:n] > date[:n]
            else:
                continue
            if later:
                yield Finding(
                    where + ("value",),
                    f"the answer {shown} is after the date of its source '{cited.id}' "
                    f"({date}): a source cannot report what had not happened yet; "
                    "check the answer, or the source and its date",
                    fact.id,
                    "warning",
                )


def _meaning_rules(deck: Deck) -> Iterable[Finding]:
    """Facts whose own questions give their answer away by shape or meaning (quiz audit)."""
    from quiz.authoring.faults import fact_faults

    for fault in fact_faults(deck):
        yield Finding(fault.path, fault.message, fault.fact, "warning")


def _giveaway_rules(deck: Deck) -> Iterable[Finding]:
    """Questions the deck's own text gives away: the planner can never ask them (quiz audit)."""
    from quiz.authoring.audit import unplannable

    # The warning is about the deck's own text: it points at the line that shows the word.
    texts: list[tuple[tuple[str | int, ...], str, str]] = [
        (("title",), "title", deck.title),
        (("subject",), "subject", deck.subject),
        (("description",), "description", deck.description),
    ]
    texts.extend(
        (("sources", k), f"source '{source.id}'", source.citation())
        for k, source in enumerate(deck.sources)
    )
    for question_id, word in unplannable(deck):
        fact_id = QuestionId.parse(question_id).fact
        where, what = next(
            ((path, name) for path, name, text in texts if word in words(text)),
            (("title",), "title, description or sources"),
        )
        yield Finding(
            where,
            f'the deck\'s {what} shows "{word}", a word only the right answer of '
            f"{question_id} has, so that question is a giveaway and is never asked; "
            "reword it, or give that fact a wrong answer that has the word too",
            fact_id,
            "warning",
        )


def _answer_rules(
    deck: Deck,
    pool_keys: dict[str, frozenset[str]],
    where: tuple[str | int, ...],
    fact_id: str,
    answer: AnyAnswer,
    wrong: Sequence[int | str],
    accept: Sequence[int | str],
    source_id: str | None = None,
    *,
    typed_only: bool | Literal["kept"] = False,
) -> Iterable[Finding]:
    if isinstance(answer, BooleanAnswer):
        return
    numeric = isinstance(answer, NUMERIC) and not isinstance(answer, DateAnswer)
    for field, values in (("wrong", wrong), ("accept", accept)):
        for k, value in enumerate(values):
            if numeric and not isinstance(value, int):
                yield Finding(
                    where + (field, k),
                    f"'{field}' values must be whole numbers for a {answer.kind} answer, not \"{value}\"",
                    fact_id,
                    "error",
                )
            elif not numeric and not isinstance(value, str):
                yield Finding(
                    where + (field, k),
                    f"'{field}' values must be text in quotes for a {answer.kind} answer, not {value}",
                    fact_id,
                    "error",
                )
            elif isinstance(answer, DateAnswer) and (
                not isinstance(value, str)
                or value.count("-") != answer.value.count("-")
                or not real_date(value)
            ):
                yield Finding(
                    where + (field, k),
                    f"'{field}' values must be dates written like the answer (\"{answer.value}\")",
                    fact_id,
                    "error",
                )
    usable_wrong = [v for v in wrong if _same_type(answer, v)] if wrong else []
    usable_accept = [v for v in accept if _same_type(answer, v)] if accept else []
    right = (
        fold(format_value(answer, answer.value))
        if usable_wrong or not isinstance(answer, NUMERIC)
        else ""
    )
    accepted = {fold(format_value(answer, v)) for v in usable_accept}
    wrong_keys: set[str] = set()
    for k, value in enumerate(wrong):
        if not _same_type(answer, value):
            continue
        shown = fold(format_value(answer, value))
        wrong_keys.add(shown)
        if shown == right:
            yield Finding(
                where + ("wrong", k),
                f"the answer '{answer.value}' is also listed among its wrong answers; remove it from 'wrong'",
                fact_id,
                "error",
            )
        elif shown in accepted:
            yield Finding(
                where + ("wrong", k),
                f"'{value}' is accepted and wrong at once; keep it in one list only ('accept' or 'wrong')",
                fact_id,
                "error",
            )
    if isinstance(answer, PoolAnswer):
        # Counting is enough, and far cheaper than drawing: fold each pool once.
        taken = {right} | accepted
        distinct = (pool_keys.get(answer.pool, frozenset()) | wrong_keys) - taken
        available = len(distinct)
    elif isinstance(answer, DateAnswer):
        available = WRONG_PER_QUESTION  # neighbouring months or days always exist
    elif isinstance(answer, NUMERIC):
        # The generator's own rule (evenly spaced values inside min..max), so the
        # two can never disagree. A source's date bounds years and dates too.
        source = deck.source(source_id) if source_id else None
        ladders = number_ladders(answer, usable_accept, source.date if source else None)
        available = WRONG_PER_QUESTION if ladders else 0
        if usable_wrong:
            yield Finding(
                where + ("wrong",),
                f"a {answer.kind} answer's wrong values are drawn evenly spaced around it, so "
                "that its place among them tells nothing; 'wrong' is not used: remove it",
                fact_id,
                "warning",
            )
    else:
        # Text and quotes: the distinct wrong answers are the fact's own list.
        available = len(wrong_keys - {right} - accepted)
    if available < WRONG_PER_QUESTION:
        if isinstance(answer, PoolAnswer):
            how = f"add values to the pool '{answer.pool}' or list more under 'wrong'"
        elif isinstance(answer, NUMERIC):
            how = "widen 'min'/'max' or list more under 'wrong'"
        else:
            how = "list more plausible wrong answers under 'wrong'"
        if typed_only == "kept":
            return  # kept to its typed form (`form = "typed"`): it needs no wrong answers
        if typed_only:
            # A short text with no wrong answers listed is asked only as a typed
            # question (an import of GIFT's short answer is one): it can be played.
            yield Finding(
                where + ("answer",),
                "it lists no wrong answers, so it is asked only as a typed question; "
                f"list {WRONG_PER_QUESTION} under 'wrong' for multiple choice too",
                fact_id,
                "warning",
            )
            return
        yield Finding(
            where + ("answer",),
            f"only {available} distinct wrong answer(s) can be drawn for this answer; a question needs {WRONG_PER_QUESTION}: {how}",
            fact_id,
            "error",
        )
    if isinstance(answer, (TextAnswer, PoolAnswer, QuoteAnswer)) and answer.value[:1].isalpha():
        upper = answer.value[0].isupper()
        for k, value in enumerate(usable_wrong):
            if isinstance(value, str) and value[:1].isalpha() and value[0].isupper() != upper:
                yield Finding(
                    where + ("wrong", k),
                    f"'{value}' is capitalised differently from the answer, which gives the answer away",
                    fact_id,
                    "warning",
                )


def _form_rules(deck: Deck, where: tuple[str | int, ...], fact: Fact) -> Iterable[Finding]:
    """A fact kept to one form (`form`) must give a question in that form."""
    if fact.form is None:
        return
    from quiz.questions.unchosen import typed_sets

    if isinstance(fact.answer, BooleanAnswer):
        why = "a true/false fact is asked only as its statement"
    elif fact.form == "estimate" and not isinstance(
        fact.answer, (OrdinalAnswer, IntegerAnswer, YearAnswer)
    ):
        why = "an estimate needs an ordinal, integer or year answer"
    elif fact.form == "boolean" and isinstance(fact.answer, QuoteAnswer):
        why = "a quote is never true/false (a false claim would put invented words in a mouth)"
    elif fact.form == "boolean" and fact.claim is None:
        why = "a true/false question is made from the fact's 'claim', and it has none"
    elif fact.form == "typed" and not answer_key(str(fact.answer.value)):
        why = "a typed answer needs letters or digits to type"
    elif fact.form == "typed" and typed_sets(deck, fact) is None:
        why = "a typed question needs a short text (or an 'accept' list) or a pool value"
    else:
        from quiz.questions.generate import Generator

        generator = Generator(deck, 0)
        if any(generator.build(fact, qid) is not None for qid in generator.forms(fact)):
            return
        why = (
            "its number is in its question, which would give it away"
            if fact.form == "estimate"
            else "it has too few wrong answers"
            if fact.form == "multiple"
            else "no typed question can be made of it"
        )
    yield Finding(
        where + ("form",),
        f"form = \"{fact.form}\" gives this fact no question: {why}; change 'form' or remove it",
        fact.id,
        "error",
    )


def _typed_sets(deck: Deck, fact: Fact) -> object:
    from quiz.questions.unchosen import typed_sets

    return typed_sets(deck, fact)


def _typed_only(deck: Deck, fact: Fact) -> bool:
    """A text or quote fact with no wrong answers that gives a typed question."""
    return (
        not fact.wrong
        and isinstance(fact.answer, (TextAnswer, QuoteAnswer))
        and _typed_sets(deck, fact) is not None
    )


def _same_type(answer: AnyAnswer, value: int | str) -> bool:
    if isinstance(answer, DateAnswer):
        return (
            isinstance(value, str)
            and value.count("-") == answer.value.count("-")
            and real_date(value)
        )
    if isinstance(answer, NUMERIC):
        return isinstance(value, int)
    return isinstance(value, str)


def _claim_rules(deck: Deck, where: tuple[str | int, ...], fact: Fact) -> Iterable[Finding]:
    if fact.claim is None or isinstance(fact.answer, BooleanAnswer):
        return
    filled = fact.claim.replace(
        "{answer}", in_sentence(fact.answer, format_value(fact.answer, fact.answer.value))
    )
    if len(filled) > CLAIM_MAX + 40:
        yield Finding(
            where + ("claim",),
            f"with the answer filled in, the claim is {len(filled)} characters; keep it under {CLAIM_MAX + 40} so it fits on an 80x24 screen",
            fact.id,
            "warning",
        )
