"""The deck file's schema: pydantic models, and their errors in a contributor's words.

This is the edge. quiz.deckfile.read loads a file and asks this module to check it;
the rest of the program works on quiz.model's plain objects. Importing this
module costs the pydantic import, so the play path avoids it for a deck that
has already passed (see quiz.deckfile.read.load_deck).
"""

from __future__ import annotations

from collections.abc import Callable
from typing import Annotated, Any, Literal

from pydantic import (
    AfterValidator,
    BaseModel,
    ConfigDict,
    Discriminator,
    Field,
    PlainValidator,
    StringConstraints,
    Tag,
    TypeAdapter,
    ValidationError,
    WithJsonSchema,
)

from quiz.deckfile.limits import (
    CHOICE_MAX,
    CLAIM_MAX,
    DATE_PATTERN,
    DESCRIPTION_MAX,
    EXPLANATION_MAX,
    MAX_FACTS,
    MONTH_OR_DAY_PATTERN,
    PROMPT_MAX,
    STATEMENT_MAX,
    TITLE_MAX,
    real_date,
)
from quiz.deckfile.messages import (
    LINE_PATTERN,
    PROSE_PATTERN,
    describe,
    error_message,
    line_rule,
    no_flood,
)
from quiz.model import Difficulty
from quiz.text import CONTROL_OR_NEWLINE_CLASS


def _text(max_length: int, *, prose: bool = False) -> StringConstraints:
    return StringConstraints(
        min_length=1, max_length=max_length, pattern=PROSE_PATTERN if prose else LINE_PATTERN
    )


def _real_date(value: str) -> str:
    if not real_date(value):
        raise ValueError(f'"{value}" is not a real date; write it as "YYYY-MM" or "YYYY-MM-DD"')
    return value


Slug = Annotated[
    str, StringConstraints(pattern=r"^[a-z0-9]+(-[a-z0-9]+)*$", min_length=1, max_length=64)
]
Prompt = Annotated[str, _text(PROMPT_MAX), AfterValidator(no_flood)]
ChoiceText = Annotated[str, _text(CHOICE_MAX), AfterValidator(no_flood)]
Title = Annotated[str, _text(TITLE_MAX), AfterValidator(no_flood)]
Statement = Annotated[str, _text(STATEMENT_MAX), AfterValidator(no_flood)]
Explanation = Annotated[str, _text(EXPLANATION_MAX, prose=True), AfterValidator(no_flood)]
Description = Annotated[str, _text(DESCRIPTION_MAX, prose=True), AfterValidator(no_flood)]
ShortText = Annotated[str, _text(300), AfterValidator(no_flood)]
Language = Annotated[str, StringConstraints(pattern=r"^[a-z]{2,3}(-[A-Z]{2})?$")]
DateText = Annotated[
    str,
    StringConstraints(pattern=f"^{DATE_PATTERN}$"),
    AfterValidator(_real_date),
]
WRONG_NUMBER_MAX = 10**12
TOLERANCE_MAX = 1000
# How far off an estimate may be and still earn part of the points (typed numbers).
Tolerance = Annotated[
    int,
    Field(
        ge=0,
        le=TOLERANCE_MAX,
        description="How far off a typed estimate may be and still earn part of the "
        "points; less than the answer's range (max - min).",
    ),
]


def _wrong_value(value: Any) -> int | str:
    if isinstance(value, bool) or not isinstance(value, (int, str)):
        raise ValueError(f"must be a whole number or text in quotes, not {describe(value)}")
    if isinstance(value, int) and not -WRONG_NUMBER_MAX <= value <= WRONG_NUMBER_MAX:
        raise ValueError(
            f"is too large a number; keep it between -{WRONG_NUMBER_MAX:,} and {WRONG_NUMBER_MAX:,}"
        )
    if isinstance(value, str):
        if not value:
            raise ValueError("must not be empty")
        if len(value) > CHOICE_MAX:
            raise ValueError(
                f"is {len(value)} characters long; keep it to {CHOICE_MAX} so it fits on an 80x24 screen"
            )
        line_rule(value)
        no_flood(value)
    return value


# A wrong or accepted answer: a number for numeric answers, text otherwise.
# One validator gives one clear message instead of a message per union branch.
WrongValue = Annotated[
    Any,
    PlainValidator(_wrong_value),
    WithJsonSchema(
        {
            "anyOf": [
                {"type": "integer"},
                {"type": "string", "minLength": 1, "maxLength": CHOICE_MAX},
            ]
        }
    ),
]


class Model(BaseModel):
    """Base for every deck model: unknown keys and loose types are errors."""

    model_config = ConfigDict(extra="forbid", strict=True, frozen=True, allow_inf_nan=False)


class Source(Model):
    """Where facts come from. Every fact names one by id."""

    id: Slug
    title: ShortText
    publisher: ShortText | None = None
    date: DateText | None = None
    url: (
        Annotated[
            str,
            StringConstraints(
                pattern=f"^https?://[^\\s{CONTROL_OR_NEWLINE_CLASS}]+$", max_length=300
            ),
        ]
        | None
    ) = None


def _pool_entry_tag(value: Any) -> str:
    return POOL_TABLE if isinstance(value, dict) else POOL_TEXT


# A pool's value is text, or a table with its details. The tag picks the branch
# from the value's shape, so a wrong one gets one message, not one per branch;
# quiz.deckfile.screen drops the tags from an error's place.
POOL_TEXT, POOL_TABLE = "pool-text", "pool-table"
PoolEntry = Annotated[
    Annotated[ChoiceText, Tag(POOL_TEXT)] | Annotated["PoolValue", Tag(POOL_TABLE)],
    Discriminator(_pool_entry_tag),
]


class PoolAnswer(Model):
    """A value from one of the deck's pools; wrong answers come from the same pool.

    ``year``: the year the question is about; wrong answers are only pool values
    valid that year (see PoolValue). Wrong answers share the right value's category.
    """

    kind: Literal["pool"]
    pool: Slug
    value: ChoiceText
    year: Annotated[int, Field(ge=1000, le=2999)] | None = None


class PoolValue(Model):
    """A pool value with the years it is valid for and a category (e.g. "cup", "arca")."""

    value: ChoiceText
    category: Slug | None = None
    since: Annotated[int, Field(ge=1000, le=2999)] | None = None
    until: Annotated[int, Field(ge=1000, le=2999)] | None = None


class OrdinalAnswer(Model):
    """A position such as 8th; wrong answers are nearby positions."""

    kind: Literal["ordinal"]
    value: Annotated[int, Field(ge=1, le=10_000)]
    max: Annotated[int, Field(ge=2, le=10_000)] | None = None
    tolerance: Tolerance | None = None


class IntegerAnswer(Model):
    """A whole number, with an optional unit such as "laps"."""

    kind: Literal["integer"]
    value: Annotated[int, Field(ge=-(10**12), le=10**12)]
    min: Annotated[int, Field(ge=-(10**12), le=10**12)] | None = None
    max: Annotated[int, Field(ge=-(10**12), le=10**12)] | None = None
    unit: (
        Annotated[str, StringConstraints(min_length=1, max_length=20, pattern=LINE_PATTERN)] | None
    ) = None
    tolerance: Tolerance | None = None


class YearAnswer(Model):
    """A year; wrong answers are nearby years, never past ``max``."""

    kind: Literal["year"]
    value: Annotated[int, Field(ge=1000, le=2999)]
    min: Annotated[int, Field(ge=1000, le=2999)] | None = None
    max: Annotated[int, Field(ge=1000, le=2999)] | None = None
    tolerance: Tolerance | None = None


class DateAnswer(Model):
    """A month ("2025-01") or a day ("2025-01-15"); wrong answers are nearby."""

    kind: Literal["date"]
    value: Annotated[
        str,
        StringConstraints(pattern=f"^{MONTH_OR_DAY_PATTERN}$"),
        AfterValidator(_real_date),
    ]


class QuoteAnswer(Model):
    """Someone's own words; wrong answers come from the fact's ``wrong`` list."""

    kind: Literal["quote"]
    value: ChoiceText


class BooleanAnswer(Model):
    """A statement that is true or false; the fact's questions are the statements."""

    kind: Literal["boolean"]
    value: bool


class TextAnswer(Model):
    """A short phrase; wrong answers come from the fact's ``wrong`` list."""

    kind: Literal["text"]
    value: ChoiceText


Answer = Annotated[
    PoolAnswer
    | OrdinalAnswer
    | IntegerAnswer
    | YearAnswer
    | DateAnswer
    | QuoteAnswer
    | TextAnswer
    | BooleanAnswer,
    Field(discriminator="kind"),
]


# A fact's wrong answers, and its other right answers: the same for the fact and its reverse.
WrongValues = Annotated[list[WrongValue], Field(max_length=12)]
Accepted = Annotated[
    list[WrongValue],
    Field(
        max_length=8,
        description="Values that are right too: never offered as wrong choices, and "
        "accepted when typed (compared with case, accents and look-alike letters "
        "folded). None may equal a 'wrong' value.",
    ),
]


class Reverse(Model):
    """The fact asked the other way round, e.g. "Where did she finish 8th?"."""

    question: Prompt
    answer: Answer
    wrong: WrongValues = []
    accept: Accepted = []


class Timeline(Model):
    """A place in the order of events that the source states.

    Facts with a smaller ``step`` happened earlier; facts with the same step are
    never compared, so leave two events on one step when the source does not
    say which came first.
    """

    event: ChoiceText
    step: Annotated[int, Field(ge=1, le=10_000)]
    # Facts whose events this one follows from, by cause and effect or by the
    # calendar's obvious order (cleared to race after the crash): the generator
    # never asks to order events one of which follows from the other.
    follows: Annotated[list[Slug], Field(max_length=20)] = []


class Fact(Model):
    """One sourced fact, and the wordings the generator turns into questions."""

    id: Slug
    statement: Statement
    answer: Answer
    questions: Annotated[list[Prompt], Field(min_length=1, max_length=5)]
    claim: (
        Annotated[str, StringConstraints(min_length=1, max_length=CLAIM_MAX, pattern=LINE_PATTERN)]
        | None
    ) = None
    wrong: WrongValues = []
    accept: Accepted = []
    reverse: Reverse | None = None
    timeline: Timeline | None = None
    explanation: Explanation
    source: Slug
    tags: Annotated[list[Slug], Field(max_length=10)] = []
    difficulty: Difficulty = "medium"
    # A headline fact of the deck: asked in most games.
    core: bool = False
    # The one form the fact is asked in: an imported question keeps the form it came in.
    form: Literal["multiple", "boolean", "typed", "estimate"] | None = Field(
        default=None,
        description="Ask this fact only in this form (multiple choice, true/false from "
        "its claim, typed, or an estimate): an imported question keeps the form its "
        "author wrote; a fact whose choices its own wording gives away is kept to "
        "true/false.",
    )


class Deck(Model):
    """A deck: metadata, sources, value pools and facts."""

    id: Slug
    title: Title
    subject: Title
    description: Description
    language: Language = "en"
    sources: Annotated[list[Source], Field(min_length=1, max_length=50)]
    pools: Annotated[
        dict[Slug, Annotated[list[PoolEntry], Field(min_length=1, max_length=500)]],
        Field(max_length=50),
    ] = {}
    # Values that mean the same ("A podium finish", "A top-three finish"): never
    # shown together, nor beside the right answer's own synonym.
    synonyms: Annotated[
        list[Annotated[list[ChoiceText], Field(min_length=2, max_length=12)]],
        Field(max_length=200),
    ] = []
    facts: Annotated[list[Fact], Field(max_length=MAX_FACTS)] = []

    def source(self, source_id: str) -> Source | None:
        for source in self.sources:
            if source.id == source_id:
                return source
        return None


def field_checker(model: type[BaseModel], name: str) -> Callable[[Any], str | None]:
    """A check of one field of a model on its own: a friendly problem, or None.

    For a dialogue that checks each value as it is typed (quiz add-fact).
    """
    field = model.model_fields[name]
    annotation: Any = (
        Annotated[field.annotation, *field.metadata] if field.metadata else field.annotation
    )
    adapter: TypeAdapter[Any] = TypeAdapter(annotation)

    def check(value: Any) -> str | None:
        try:
            adapter.validate_python(value, strict=True)
        except ValidationError as exc:
            return error_message(exc.errors(include_url=False)[0], (name,), Deck)
        return None

    return check


SCHEMA_DIALECT = "https://json-schema.org/draft/2020-12/schema"


class FactFile(Model):
    """A fact file of a folder deck: only [[facts]] tables."""

    facts: Annotated[list[Fact], Field(max_length=MAX_FACTS)] = []


def json_schema(facts_only: bool = False) -> dict[str, Any]:
    """The deck format as JSON Schema (draft 2020-12), for editors and CI."""
    schema = (FactFile if facts_only else Deck).model_json_schema(mode="validation")
    return {
        "$schema": SCHEMA_DIALECT,
        "title": "quiz fact file" if facts_only else "quiz deck",
        "description": (
            "A fact file of a folder deck (questions/<deck>/*.toml beside deck.toml). See questions/README.md."
            if facts_only
            else "A deck of sourced facts for quiz. See questions/README.md."
        ),
        **{k: v for k, v in schema.items() if k not in ("title", "description")},
    }
