"""The deck file's schema: pydantic models, and their errors in a contributor's words.

This is the edge. quiz.deckfile.read loads a file and asks this module to check it;
the rest of the program works on quiz.model's plain objects. Importing this
module costs the pydantic import, so the play path avoids it for a deck that
has already passed (see quiz.deckfile.read.load_deck).
"""

from __future__ import annotations

import difflib
import typing
from collections.abc import Callable
from dataclasses import dataclass, field
from typing import Annotated, Any, Literal

from pydantic import (
    AfterValidator,
    BaseModel,
    ConfigDict,
    Field,
    PlainValidator,
    StringConstraints,
    TypeAdapter,
    ValidationError,
    WithJsonSchema,
)

from quiz.deckfile.limits import (
    ANSWER_KINDS,
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
from quiz.deckfile.problems import DeckError, DeckSource, Problem
from quiz.model import Difficulty
from quiz.text import (
    CONTROL_CLASS,
    CONTROL_OR_NEWLINE_CLASS,
    MAX_MARKS,
    describe_char,
    find_control,
    mark_flood,
)

# What text may never hold: quiz.text's one rule (controls, bidi, layout breakers).
_CTRL = CONTROL_CLASS
_CTRL_NL = CONTROL_OR_NEWLINE_CLASS
# One-line text: no control characters at all, no spaces at either end. The
# rule is a regex so pydantic-core checks it in Rust; `error_message` then names
# the offending character for the contributor.
LINE_PATTERN = f"^[^\\s{_CTRL_NL}](?:[^{_CTRL_NL}]*[^\\s{_CTRL_NL}])?$"
PROSE_PATTERN = f"^[^{_CTRL}]*$"


def _line(value: str) -> str:
    """The one-line text rule, for validators that run in Python."""
    bad = find_control(value, allow_newlines=False)
    if bad is not None:
        raise ValueError(
            f"contains the control character {describe_char(bad)}; "
            "remove it (line breaks and tabs are only allowed in explanations)"
        )
    if value != value.strip():
        raise ValueError("starts or ends with spaces; remove them")
    return value


def _prose(value: str) -> str:
    """The free-text rule (newlines and tabs allowed), for reporting."""
    bad = find_control(value, allow_newlines=True)
    if bad is not None:
        raise ValueError(f"contains the control character {describe_char(bad)}; remove it")
    return value


def _no_flood(value: str) -> str:
    if mark_flood(value):
        raise ValueError(
            f"stacks more than {MAX_MARKS} combining marks on one letter, which spills over "
            "the lines around it; remove them"
        )
    return value


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
Prompt = Annotated[str, _text(PROMPT_MAX), AfterValidator(_no_flood)]
ChoiceText = Annotated[str, _text(CHOICE_MAX), AfterValidator(_no_flood)]
Title = Annotated[str, _text(TITLE_MAX), AfterValidator(_no_flood)]
Statement = Annotated[str, _text(STATEMENT_MAX), AfterValidator(_no_flood)]
Explanation = Annotated[str, _text(EXPLANATION_MAX, prose=True), AfterValidator(_no_flood)]
Description = Annotated[str, _text(DESCRIPTION_MAX, prose=True), AfterValidator(_no_flood)]
ShortText = Annotated[str, _text(300), AfterValidator(_no_flood)]
Language = Annotated[str, StringConstraints(pattern=r"^[a-z]{2,3}(-[A-Z]{2})?$")]
DateText = Annotated[
    str,
    StringConstraints(pattern=f"^{DATE_PATTERN}$"),
    AfterValidator(_real_date),
]
WRONG_NUMBER_MAX = 10**12


def _wrong_value(value: Any) -> int | str:
    if isinstance(value, bool) or not isinstance(value, (int, str)):
        raise ValueError(f"must be a whole number or text in quotes, not {_describe(value)}")
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
        _line(value)
        _no_flood(value)
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
        Annotated[str, StringConstraints(pattern=f"^https?://[^\\s{_CTRL_NL}]+$", max_length=300)]
        | None
    ) = None


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


class IntegerAnswer(Model):
    """A whole number, with an optional unit such as "laps"."""

    kind: Literal["integer"]
    value: Annotated[int, Field(ge=-(10**12), le=10**12)]
    min: Annotated[int, Field(ge=-(10**12), le=10**12)] | None = None
    max: Annotated[int, Field(ge=-(10**12), le=10**12)] | None = None
    unit: (
        Annotated[str, StringConstraints(min_length=1, max_length=20, pattern=LINE_PATTERN)] | None
    ) = None


class YearAnswer(Model):
    """A year; wrong answers are nearby years, never past ``max``."""

    kind: Literal["year"]
    value: Annotated[int, Field(ge=1000, le=2999)]
    min: Annotated[int, Field(ge=1000, le=2999)] | None = None
    max: Annotated[int, Field(ge=1000, le=2999)] | None = None


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


class Reverse(Model):
    """The fact asked the other way round, e.g. "Where did she finish 8th?"."""

    question: Prompt
    answer: Answer
    wrong: Annotated[list[WrongValue], Field(max_length=12)] = []
    accept: Annotated[list[WrongValue], Field(max_length=8)] = []


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
    wrong: Annotated[list[WrongValue], Field(max_length=12)] = []
    accept: Annotated[list[WrongValue], Field(max_length=8)] = []
    reverse: Reverse | None = None
    timeline: Timeline | None = None
    explanation: Explanation
    source: Slug
    tags: Annotated[list[Slug], Field(max_length=10)] = []
    difficulty: Difficulty = "medium"
    # A headline fact of the deck: asked in most games.
    core: bool = False


class Deck(Model):
    """A deck: metadata, sources, value pools and facts."""

    id: Slug
    title: Title
    subject: Title
    description: Description
    language: Language = "en"
    sources: Annotated[list[Source], Field(min_length=1, max_length=50)]
    pools: Annotated[
        dict[Slug, Annotated[list[ChoiceText | PoolValue], Field(min_length=1, max_length=500)]],
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


# --- pydantic errors in a contributor's words ------------------------------------

_FIELD_HINTS = {
    "id": "use lower-case letters, digits and single hyphens, e.g. 'dover-crash'",
    "source": "use the id of one of the deck's [[sources]]",
    "pool": "use the name of one of the deck's [pools]",
    "language": "use a language code such as 'en' or 'fr-CA'",
    "date": 'write it as "YYYY", "YYYY-MM" or "YYYY-MM-DD"',
    "url": "write a full address starting with https://",
    "tags": "use lower-case words joined by hyphens",
}

_KNOWN_KEYS: dict[str, list[str]] = {}


def _model_keys(loc: tuple[str | int, ...]) -> list[str]:
    """The keys allowed at ``loc``, for "did you mean" suggestions."""
    names = [p for p in loc if isinstance(p, str)]
    model: Any = Deck
    for name in names:
        field = getattr(model, "model_fields", {}).get(name)
        if field is None:
            break
        inner = _inner_model(field.annotation, name)
        if inner is None:
            break
        model = inner
    return list(getattr(model, "model_fields", {}))


def _inner_model(annotation: Any, name: str) -> Any:
    stack = [annotation]
    while stack:
        ann = stack.pop()
        if isinstance(ann, type) and issubclass(ann, BaseModel):
            return ann
        stack.extend(typing.get_args(ann))
    return None


def _explain(exc: ValidationError, data: dict[str, Any], source: DeckSource) -> list[Problem]:
    problems: dict[tuple[str, int, str], Problem] = {}
    for error in exc.errors(include_url=False):
        loc = tuple(
            part
            for k, part in enumerate(error["loc"])
            if not (k > 0 and error["loc"][k - 1] == "answer" and part in ANSWER_KINDS)
        )
        fact = _fact_id(data, loc)
        message = error_message(error, loc)
        problem = source.problem(loc, message, fact)
        problems.setdefault((problem.path, problem.line, message), problem)
    return sorted(problems.values(), key=lambda p: (p.path, p.line))


def _fact_id(data: dict[str, Any], loc: tuple[str | int, ...]) -> str | None:
    if len(loc) >= 2 and loc[0] == "facts" and isinstance(loc[1], int):
        facts = data.get("facts")
        if isinstance(facts, list) and loc[1] < len(facts) and isinstance(facts[loc[1]], dict):
            fact_id = facts[loc[1]].get("id")
            if isinstance(fact_id, str) and find_control(fact_id, allow_newlines=False) is None:
                return fact_id[:64]
    return None


def _short(text: str, limit: int = 60) -> str:
    """A key name as quoted in a message: a 1 MB key name is not echoed whole."""
    return text if len(text) <= limit else text[: limit - 3] + "..."


def _name(loc: tuple[str | int, ...]) -> str:
    parts = [_short(p) for p in loc if isinstance(p, str)]
    if len(loc) >= 3 and loc[0] == "facts" and isinstance(loc[1], int):
        parts = [_short(p) for p in loc[2:] if isinstance(p, str)]
    name = ".".join(parts) or "the deck"
    if loc and isinstance(loc[-1], int):
        name += f" item {loc[-1] + 1}"
    return name


def error_message(error: Any, loc: tuple[str | int, ...]) -> str:
    """One pydantic error (from ``exc.errors()``) at ``loc``, in a contributor's words."""
    kind = error["type"]
    ctx = error.get("ctx") or {}
    name = _name(loc)
    last = _short(next((p for p in reversed(loc) if isinstance(p, str)), ""))
    if kind == "missing":
        return f"missing required key '{last}'; add it (see questions/README.md)"
    if kind == "extra_forbidden":
        allowed = _model_keys(loc[:-1])
        close = difflib.get_close_matches(str(last), allowed, n=1)
        hint = (
            f"; did you mean '{close[0]}'?"
            if close
            else (f"; allowed keys here: {', '.join(allowed)}" if allowed else "")
        )
        return f"unknown key '{last}'{hint}"
    value = error.get("input")
    got = _describe(value)
    if kind == "string_type":
        return f"'{name}' must be text in double quotes, not {got}"
    if kind in ("int_type", "int_from_float", "int_parsing"):
        return f"'{name}' must be a whole number, not {got}"
    if kind == "list_type":
        return f"'{name}' must be a list, such as [\"...\"], not {got}"
    if kind in ("model_type", "dict_type", "model_attributes_type"):
        return f"'{name}' must be a table (a [section] or {{ key = value }}), not {got}"
    if kind == "string_too_long":
        return (
            f"'{name}' is {len(value)} characters long; keep it to {ctx.get('max_length')} "
            "so it fits on an 80x24 screen"
        )
    if kind == "string_too_short":
        return f"'{name}' must not be empty"
    if kind == "too_short":
        return f"'{name}' needs at least {ctx.get('min_length')} item(s)"
    if kind == "too_long":
        return f"'{name}' has too many items; the limit is {ctx.get('max_length')}"
    if (
        kind == "string_pattern_mismatch"
        and isinstance(value, str)
        and ctx.get("pattern") in (LINE_PATTERN, PROSE_PATTERN)
    ):
        try:
            (_prose if ctx["pattern"] == PROSE_PATTERN else _line)(value)
        except ValueError as exc:
            return f"'{name}' {exc}"
    if kind == "string_pattern_mismatch":
        hint = _FIELD_HINTS.get(str(last), "check the format in questions/README.md")
        return f"'{name}' is not in the right form ({got}); {hint}"
    if kind == "literal_error":
        return f"'{name}' must be one of {ctx.get('expected')}, not {got}"
    if kind == "union_tag_invalid":
        return (
            f"'{name}' has kind \"{ctx.get('tag')}\", which is not known; use one of: "
            + ", ".join(ANSWER_KINDS)
        )
    if kind == "union_tag_not_found":
        return f"'{name}' needs a 'kind', one of: " + ", ".join(ANSWER_KINDS)
    if kind in ("greater_than_equal", "greater_than"):
        return f"'{name}' must be at least {ctx.get('ge', ctx.get('gt'))}, not {got}"
    if kind in ("less_than_equal", "less_than"):
        return f"'{name}' must be at most {ctx.get('le', ctx.get('lt'))}, not {got}"
    if kind == "value_error":
        return f"'{name}' {str(error['msg']).removeprefix('Value error, ')}"
    if kind in ("bool_type",):
        return f"'{name}' must be true or false, not {got}"
    return f"'{name}': {error['msg']}"


def _describe(value: Any) -> str:
    if isinstance(value, bool):
        return f"{str(value).lower()} (true/false)"
    if isinstance(value, str):
        shown = value if len(value) <= 40 else value[:37] + "..."
        bad = find_control(shown, allow_newlines=False)
        if bad is not None:
            shown = shown.encode("unicode_escape").decode("ascii")
        return f'"{shown}"'
    if isinstance(value, (int, float)):
        return repr(value)
    if isinstance(value, list):
        return "a list"
    if isinstance(value, dict):
        return "a table"
    return type(value).__name__


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
            return error_message(exc.errors(include_url=False)[0], (name,))
        return None

    return check


def fact_errors(fact: dict[str, Any]) -> list[tuple[str, str]]:
    """(top-level key, message) for each thing the schema finds wrong in one fact."""
    try:
        Fact.model_validate(fact)
    except ValidationError as exc:
        return [
            (str(error["loc"][0]), error_message(error, tuple(error["loc"])))
            for error in exc.errors(include_url=False)
        ]
    return []


def validate(data: dict[str, Any], source: DeckSource) -> None:
    """Check parsed TOML against the schema; raise DeckError with located problems."""
    try:
        Deck.model_validate(data)
    except ValidationError as exc:
        raise DeckError(_explain(exc, data, source)) from None
    except RecursionError:
        raise DeckError(
            [Problem(source.display, 1, "this file is nested too deeply to be a deck")]
        ) from None


@dataclass
class Screened:
    """A deck's data after the schema, for the checks that follow it in the same run.

    ``data`` holds what passed: every fact without an error of its own (nor a
    use of a pool with errors), every good pool, source and synonym group, and
    stand-ins for broken deck-level text, so the references and the fair-question
    rules run on it while the schema's ``problems`` are reported. ``index``
    gives each kept fact its place in the file's data; ``left_out`` maps each
    fact left out to why ("" for its own errors, else "because ...": for a note), and
    ``left_out_ids`` its id to its place.
    """

    problems: list[Problem]
    data: dict[str, Any] | None  # None: the schema could not run, so nothing after it can
    index: list[int]
    left_out: dict[int, str] = field(default_factory=dict)
    left_out_ids: dict[str, int] = field(default_factory=dict)
    sources_known: bool = True
    # Deck-level text with errors (title, subject, description, sources), which
    # the rule on words the deck's own text gives away ran without.
    broken_text: list[str] = field(default_factory=list)
    facts_broken: bool = False  # 'facts' itself has errors (not a list, too long)


# Stand-ins for deck-level text with errors: valid, and holding no word.
_STAND_INS = {"id": "deck", "title": "-", "subject": "-", "description": "-"}


def screen(data: dict[str, Any], source: DeckSource) -> Screened:
    """The schema's problems, and what passed it (see Screened); never raises."""
    facts = data.get("facts", [])
    try:
        Deck.model_validate(data)
    except ValidationError as exc:
        errors = exc.errors(include_url=False)
        problems = _explain(exc, data, source)
    except RecursionError:
        problem = Problem(source.display, 1, "this file is nested too deeply to be a deck")
        return Screened([problem], None, [])
    else:
        return Screened([], data, list(range(len(facts))))
    whole: set[str] = set()
    broken: dict[str, set[int | str]] = {"facts": set(), "sources": set(), "synonyms": set()}
    broken["pools"] = set()
    for error in errors:
        loc = error["loc"]
        key = str(loc[0]) if loc else ""
        if len(loc) >= 2 and key in broken and (key == "pools" or isinstance(loc[1], int)):
            broken[key].add(loc[1])
        else:
            whole.add(key)
    kept: dict[str, Any] = {k: v for k, v in data.items() if k in Deck.model_fields}
    for key in whole:
        kept.pop(key, None)
    kept.update({k: v for k, v in _STAND_INS.items() if k not in kept})
    text_broken: list[str] = [k for k in ("title", "subject", "description") if k in whole]
    sources_known = "sources" not in whole
    sources: list[Any] = []
    for k, item in enumerate(kept.get("sources", [])):
        if k not in broken["sources"]:
            sources.append(item)
        elif isinstance(item, dict) and isinstance(item.get("id"), str):
            sources.append({"id": item["id"], "title": "-"})  # known by id, its text aside
        else:
            sources_known = False
    if broken["sources"] or "sources" in whole:
        text_broken.append("sources")
    kept["sources"] = sources
    pools = {k: v for k, v in kept.get("pools", {}).items() if k not in broken["pools"]}
    kept["pools"] = pools
    kept["synonyms"] = [
        g for k, g in enumerate(kept.get("synonyms", [])) if k not in broken["synonyms"]
    ]
    all_facts = facts if isinstance(facts, list) and "facts" not in whole else []
    index: list[int] = []
    left_out: dict[int, str] = {}
    for i, fact in enumerate(all_facts):
        if i in broken["facts"]:
            left_out[i] = ""  # its own errors
            continue
        lost = [p for p in pools_of(fact) if "pools" in whole or p in broken["pools"]]
        if lost:
            left_out[i] = f"because the pool '{lost[0]}' has errors"
            continue
        index.append(i)
    if "facts" in whole and isinstance(facts, list):
        left_out.update(dict.fromkeys(range(len(facts)), "because 'facts' has errors"))
    kept["facts"] = [all_facts[i] for i in index]
    ids: dict[str, int] = {}
    for i in sorted(left_out):
        fact_id = facts[i].get("id") if isinstance(facts[i], dict) else None
        if isinstance(fact_id, str):
            ids.setdefault(fact_id, i)
    return Screened(
        problems, kept, index, left_out, ids, sources_known, text_broken, "facts" in whole
    )


def pools_of(fact: dict[str, Any]) -> list[str]:
    """The pools a fact's table names in its answers (whether or not it passed the schema)."""
    out = []
    reverse = fact.get("reverse")
    for answer in (
        fact.get("answer"),
        reverse.get("answer") if isinstance(reverse, dict) else None,
    ):
        if isinstance(answer, dict) and answer.get("kind") == "pool":
            pool = answer.get("pool")
            if isinstance(pool, str):
                out.append(pool)
    return out


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
