"""The core's plain objects: a deck, its sources and facts, as frozen dataclasses.

Pydantic stays at the edge (quiz.deckfile.schema validates a deck file); everything
inside works on these, which import nothing heavy. `deck_from_dict` builds
them from TOML data that quiz.deckfile.schema has accepted.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import Any, Literal

# The domain's closed vocabularies, each defined once: the dataclasses here,
# the pydantic schema (quiz.deckfile.schema), the save records (quiz.saves.records)
# and the format's tuples (quiz.deckfile.limits) all use these.
AnswerKind = Literal["pool", "ordinal", "integer", "year", "date", "quote", "text", "boolean"]
Difficulty = Literal["easy", "medium", "hard"]
# Which front end a game was played on: the TUI, plain lines or the live room.
# (Whether it counts is the game's own: a review round is practice, `Game.review`;
# its save says mode "review", the one word quiz.scores.counting reads.)
GameMode = Literal["tui", "plain", "live"]
# The largest number, either side of zero, that a deck's answer, a save or a player's
# estimate may hold: one bound, so every value a deck can ask is one a player can give.
NUMBER_MAX = 10**12
# Where a saved game stands.
GameStatus = Literal["finished", "in-progress", "quit"]
# The one form a fact may be kept to (an imported question keeps the form it came in).
FactForm = Literal["multiple", "boolean", "typed", "estimate"]


@dataclass(frozen=True)
class Source:
    """Where facts come from. Every fact names one by id."""

    id: str
    title: str
    publisher: str | None = None
    date: str | None = None
    url: str | None = None

    def citation(self) -> str:
        """The source as a reader sees it."""
        parts = [self.title]
        if self.publisher:
            parts.append(self.publisher)
        if self.date:
            parts.append(self.date)
        text = ", ".join(parts)
        return f"{text} <{self.url}>" if self.url else text


@dataclass(frozen=True)
class PoolAnswer:
    """A value from one of the deck's pools; wrong answers come from the same pool."""

    pool: str
    value: str
    kind: Literal["pool"] = "pool"
    year: int | None = None


@dataclass(frozen=True)
class PoolInfo:
    """What a deck says about one pool value: its category and the years it is valid for."""

    category: str | None = None
    since: int | None = None
    until: int | None = None


@dataclass(frozen=True)
class OrdinalAnswer:
    """A position such as 8th; wrong answers are nearby positions."""

    value: int
    max: int | None = None
    kind: Literal["ordinal"] = "ordinal"
    tolerance: int | None = None  # how far off an estimate still earns part of the points


@dataclass(frozen=True)
class IntegerAnswer:
    """A whole number, with an optional unit such as "laps"."""

    value: int
    min: int | None = None
    max: int | None = None
    unit: str | None = None
    kind: Literal["integer"] = "integer"
    tolerance: int | None = None


@dataclass(frozen=True)
class YearAnswer:
    """A year; wrong answers are nearby years, never past ``max``."""

    value: int
    min: int | None = None
    max: int | None = None
    kind: Literal["year"] = "year"
    tolerance: int | None = None


@dataclass(frozen=True)
class DateAnswer:
    """A month ("2025-01") or a day ("2025-01-15"); wrong answers are nearby."""

    value: str
    kind: Literal["date"] = "date"


@dataclass(frozen=True)
class QuoteAnswer:
    """Someone's own words; wrong answers come from the fact's ``wrong`` list."""

    value: str
    kind: Literal["quote"] = "quote"


@dataclass(frozen=True)
class BooleanAnswer:
    """A statement that is true or false (from Open Trivia DB's boolean questions)."""

    value: bool
    kind: Literal["boolean"] = "boolean"


@dataclass(frozen=True)
class TextAnswer:
    """A short phrase; wrong answers come from the fact's ``wrong`` list."""

    value: str
    kind: Literal["text"] = "text"


Answer = (
    PoolAnswer
    | OrdinalAnswer
    | IntegerAnswer
    | YearAnswer
    | DateAnswer
    | QuoteAnswer
    | TextAnswer
    | BooleanAnswer
)
ANSWER_TYPES: dict[AnswerKind, type[Answer]] = {
    "pool": PoolAnswer,
    "ordinal": OrdinalAnswer,
    "integer": IntegerAnswer,
    "year": YearAnswer,
    "date": DateAnswer,
    "quote": QuoteAnswer,
    "text": TextAnswer,
    "boolean": BooleanAnswer,
}


@dataclass(frozen=True)
class Reverse:
    """The fact asked the other way round, e.g. "Where did she finish 8th?"."""

    question: str
    answer: Answer
    wrong: tuple[int | str, ...] = ()
    accept: tuple[int | str, ...] = ()


@dataclass(frozen=True)
class Timeline:
    """A place in the order of events the source states; equal steps are never compared."""

    event: str
    step: int
    follows: tuple[str, ...] = ()


@dataclass(frozen=True)
class Fact:
    """One sourced fact, and the wordings the generator turns into questions."""

    id: str
    statement: str
    answer: Answer
    questions: tuple[str, ...]
    explanation: str
    source: str
    claim: str | None = None
    wrong: tuple[int | str, ...] = ()
    accept: tuple[int | str, ...] = ()
    reverse: Reverse | None = None
    timeline: Timeline | None = None
    tags: tuple[str, ...] = ()
    difficulty: Difficulty = "medium"
    core: bool = False
    form: FactForm | None = None


@dataclass(frozen=True)
class Deck:
    """A deck: metadata, sources, value pools and facts."""

    id: str
    title: str
    subject: str
    description: str
    sources: tuple[Source, ...]
    facts: tuple[Fact, ...]
    language: str = "en"
    pools: dict[str, tuple[str, ...]] = field(default_factory=dict)
    pool_info: dict[str, dict[str, PoolInfo]] = field(default_factory=dict)
    # Groups of values that mean the same ("A podium finish", "A top-three finish"):
    # never two of one group among a question's choices.
    synonyms: tuple[tuple[str, ...], ...] = ()

    def source(self, source_id: str) -> Source | None:
        for source in self.sources:
            if source.id == source_id:
                return source
        return None


# --- building from validated TOML data ----------------------------------------------


def _answer(data: dict[str, Any]) -> Answer:
    fields = {k: v for k, v in data.items() if k != "kind"}
    return ANSWER_TYPES[data["kind"]](**fields)


def _fact(data: dict[str, Any]) -> Fact:
    reverse = data.get("reverse")
    timeline = data.get("timeline")
    return Fact(
        id=data["id"],
        statement=data["statement"],
        answer=_answer(data["answer"]),
        questions=tuple(data["questions"]),
        claim=data.get("claim"),
        explanation=data["explanation"],
        source=data["source"],
        wrong=tuple(data.get("wrong", ())),
        accept=tuple(data.get("accept", ())),
        reverse=Reverse(
            question=reverse["question"],
            answer=_answer(reverse["answer"]),
            wrong=tuple(reverse.get("wrong", ())),
            accept=tuple(reverse.get("accept", ())),
        )
        if reverse is not None
        else None,
        timeline=Timeline(timeline["event"], timeline["step"], tuple(timeline.get("follows", ())))
        if timeline is not None
        else None,
        tags=tuple(data.get("tags", ())),
        difficulty=data.get("difficulty", "medium"),
        core=data.get("core", False),
        form=data.get("form"),
    )


def deck_from_dict(data: dict[str, Any]) -> Deck:
    """The core Deck of TOML data that quiz.deckfile.schema has already accepted."""
    return Deck(
        id=data["id"],
        title=data["title"],
        subject=data["subject"],
        description=data["description"],
        language=data.get("language", "en"),
        sources=tuple(Source(**s) for s in data["sources"]),
        pools={
            name: tuple(v if isinstance(v, str) else v["value"] for v in values)
            for name, values in data.get("pools", {}).items()
        },
        pool_info={
            name: {
                v["value"]: PoolInfo(v.get("category"), v.get("since"), v.get("until"))
                for v in values
                if not isinstance(v, str)
            }
            for name, values in data.get("pools", {}).items()
        },
        facts=tuple(_fact(f) for f in data["facts"]),
        synonyms=tuple(tuple(group) for group in data.get("synonyms", ())),
    )
