"""The deck format: pydantic models of a fact file, and loading with located errors.

A deck is TOML. Everything a contributor can get wrong is reported as a
`Problem` with the file, the line of the offending key and, where there is
one, the fact id: never as a pydantic dump or a traceback.
"""

from __future__ import annotations

import difflib
import tomllib
from dataclasses import dataclass
from pathlib import Path
from typing import Annotated, Any, Literal

from pydantic import (
    AfterValidator,
    BaseModel,
    ConfigDict,
    Field,
    PlainValidator,
    StringConstraints,
    ValidationError,
    WithJsonSchema,
)

from quiz.text import describe_char, find_control

# Limits that keep a question and its choices readable on an 80x24 screen,
# and a hostile file from costing more than a moment.
MAX_FILE_BYTES = 32 * 1024 * 1024
MAX_FACTS = 20_000
PROMPT_MAX = 200
CHOICE_MAX = 60
CLAIM_MAX = 200
STATEMENT_MAX = 300
EXPLANATION_MAX = 400
TITLE_MAX = 60
DESCRIPTION_MAX = 500

ANSWER_KINDS = ("pool", "ordinal", "integer", "year", "date", "quote", "text")
DIFFICULTIES = ("easy", "medium", "hard")


# Control characters (C0 but newline and tab, DEL, C1) and bidi controls.
_BIDI = "\\u061c\\u200e\\u200f\\u202a-\\u202e\\u2066-\\u2069"
_CTRL = "\\x00-\\x08\\x0b-\\x1f\\x7f-\\x9f" + _BIDI
_CTRL_NL = "\\x00-\\x1f\\x7f-\\x9f" + _BIDI
# One-line text: no control characters at all, no spaces at either end. The
# rule is a regex so pydantic-core checks it in Rust; `_message` then names
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


def _text(max_length: int, *, prose: bool = False) -> Any:
    return Annotated[
        str,
        StringConstraints(
            min_length=1, max_length=max_length, pattern=PROSE_PATTERN if prose else LINE_PATTERN
        ),
    ]


Slug = Annotated[
    str, StringConstraints(pattern=r"^[a-z0-9]+(-[a-z0-9]+)*$", min_length=1, max_length=64)
]
Prompt = _text(PROMPT_MAX)
ChoiceText = _text(CHOICE_MAX)
Title = _text(TITLE_MAX)
Statement = _text(STATEMENT_MAX)
Explanation = _text(EXPLANATION_MAX, prose=True)
Description = _text(DESCRIPTION_MAX, prose=True)
ShortText = _text(300)
Language = Annotated[str, StringConstraints(pattern=r"^[a-z]{2,3}(-[A-Z]{2})?$")]
DateText = Annotated[str, StringConstraints(pattern=r"^\d{4}(-(0[1-9]|1[0-2])(-(0[1-9]|[12]\d|3[01]))?)?$")]
def _wrong_value(value: Any) -> int | str:
    if isinstance(value, bool) or not isinstance(value, (int, str)):
        raise ValueError(f"must be a whole number or text in quotes, not {_describe(value)}")
    if isinstance(value, str):
        if not value:
            raise ValueError("must not be empty")
        if len(value) > CHOICE_MAX:
            raise ValueError(
                f"is {len(value)} characters long; keep it to {CHOICE_MAX} so it fits on an 80x24 screen"
            )
        _line(value)
    return value


# A wrong or accepted answer: a number for numeric answers, text otherwise.
# One validator gives one clear message instead of a message per union branch.
WrongValue = Annotated[
    Any,
    PlainValidator(_wrong_value),
    WithJsonSchema({"anyOf": [{"type": "integer"}, {"type": "string", "minLength": 1, "maxLength": CHOICE_MAX}]}),
]


def _claim(value: str) -> str:
    if value.count("{answer}") != 1:
        raise ValueError(
            "must contain {answer} exactly once, where the answer goes, "
            'e.g. "She finished {answer} at Kansas."'
        )
    return value


class Model(BaseModel):
    """Base for every deck model: unknown keys and loose types are errors."""

    model_config = ConfigDict(extra="forbid", strict=True, frozen=True, allow_inf_nan=False)


class Source(Model):
    """Where facts come from. Every fact names one by id."""

    id: Slug
    title: ShortText
    publisher: ShortText | None = None
    date: DateText | None = None
    url: Annotated[str, StringConstraints(pattern=r"^https?://\S+$", max_length=300)] | None = None

    def citation(self) -> str:
        """The source as a reader sees it."""
        parts = [self.title]
        if self.publisher:
            parts.append(self.publisher)
        if self.date:
            parts.append(self.date)
        text = ", ".join(parts)
        return f"{text} <{self.url}>" if self.url else text


class PoolAnswer(Model):
    """A value from one of the deck's pools; wrong answers come from the same pool."""

    kind: Literal["pool"]
    pool: Slug
    value: ChoiceText


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
    unit: Annotated[str, StringConstraints(min_length=1, max_length=20, pattern=LINE_PATTERN)] | None = None


class YearAnswer(Model):
    """A year; wrong answers are nearby years, never past ``max``."""

    kind: Literal["year"]
    value: Annotated[int, Field(ge=1000, le=2999)]
    min: Annotated[int, Field(ge=1000, le=2999)] | None = None
    max: Annotated[int, Field(ge=1000, le=2999)] | None = None


class DateAnswer(Model):
    """A month ("2025-01") or a day ("2025-01-15"); wrong answers are nearby."""

    kind: Literal["date"]
    value: Annotated[str, StringConstraints(pattern=r"^\d{4}-(0[1-9]|1[0-2])(-(0[1-9]|[12]\d|3[01]))?$")]


class QuoteAnswer(Model):
    """Someone's own words; wrong answers come from the fact's ``wrong`` list."""

    kind: Literal["quote"]
    value: ChoiceText


class TextAnswer(Model):
    """A short phrase; wrong answers come from the fact's ``wrong`` list."""

    kind: Literal["text"]
    value: ChoiceText


Answer = Annotated[
    PoolAnswer | OrdinalAnswer | IntegerAnswer | YearAnswer | DateAnswer | QuoteAnswer | TextAnswer,
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


class Fact(Model):
    """One sourced fact, and the wordings the generator turns into questions."""

    id: Slug
    statement: Statement
    answer: Answer
    questions: Annotated[list[Prompt], Field(min_length=1, max_length=5)]
    claim: Annotated[str, StringConstraints(min_length=1, max_length=CLAIM_MAX, pattern=LINE_PATTERN), AfterValidator(_claim)]
    wrong: Annotated[list[WrongValue], Field(max_length=12)] = []
    accept: Annotated[list[WrongValue], Field(max_length=8)] = []
    reverse: Reverse | None = None
    timeline: Timeline | None = None
    explanation: Explanation
    source: Slug
    tags: Annotated[list[Slug], Field(max_length=10)] = []
    difficulty: Literal["easy", "medium", "hard"] = "medium"


class Deck(Model):
    """A deck: metadata, sources, value pools and facts."""

    id: Slug
    title: Title
    subject: Title
    description: Description
    language: Language = "en"
    sources: Annotated[list[Source], Field(min_length=1, max_length=50)]
    pools: Annotated[dict[Slug, Annotated[list[ChoiceText], Field(min_length=1, max_length=500)]], Field(max_length=50)] = {}
    facts: Annotated[list[Fact], Field(min_length=1, max_length=MAX_FACTS)]

    def source(self, source_id: str) -> Source | None:
        for source in self.sources:
            if source.id == source_id:
                return source
        return None


# --- problems -----------------------------------------------------------------


@dataclass(frozen=True, order=True)
class Problem:
    """One located thing wrong with a deck: `PATH:LINE: [fact-id] message`."""

    path: str
    line: int
    message: str
    fact: str | None = None
    severity: Literal["error", "warning"] = "error"
    column: int | None = None

    def __str__(self) -> str:
        where = f"{self.path}:{self.line}:"
        fact = f" [{self.fact}]" if self.fact else ""
        note = "" if self.severity == "error" else " warning:"
        return f"{where}{fact}{note} {self.message}"


class DeckError(Exception):
    """A deck could not be loaded; ``problems`` says where and why."""

    def __init__(self, problems: list[Problem]) -> None:
        super().__init__("\n".join(str(p) for p in problems))
        self.problems = problems


# --- reading ------------------------------------------------------------------


def read_capped(path: Path, cap: int | None = None) -> bytes:
    """Read at most ``cap`` + 1 bytes, so an endless file costs nothing."""
    cap = MAX_FILE_BYTES if cap is None else cap
    with open(path, "rb") as handle:
        data = handle.read(cap + 1)
    if len(data) > cap:
        raise ValueError(f"is larger than {cap // (1024 * 1024)} MiB, the limit for a deck")
    return data


def decode(data: bytes) -> str:
    """Decode a deck's bytes as UTF-8, or say clearly why not."""
    if data.startswith(b"\xef\xbb\xbf"):
        raise ValueError(
            "starts with a byte-order mark (BOM); save it as UTF-8 without a BOM"
        )
    if data.startswith((b"\xff\xfe", b"\xfe\xff")) or (len(data) >= 2 and b"\x00" in data[:2]):
        raise ValueError("looks like UTF-16; save it as UTF-8")
    try:
        return data.decode("utf-8")
    except UnicodeDecodeError as exc:
        line = data.count(b"\n", 0, exc.start) + 1
        raise _LineError(line, f"is not valid UTF-8 (byte 0x{data[exc.start]:02x}); save it as UTF-8") from None


class _LineError(ValueError):
    def __init__(self, line: int, message: str) -> None:
        super().__init__(message)
        self.line = line


def parse_toml(path: Path, display: str) -> tuple[dict[str, Any], str]:
    """Read and parse a TOML file with a size cap; raise DeckError if it cannot be."""
    try:
        if path.is_dir():
            raise ValueError("is a folder, not a deck file")
        text = decode(read_capped(path))
    except FileNotFoundError:
        raise DeckError([Problem(display, 1, "no such file")]) from None
    except _LineError as exc:
        raise DeckError([Problem(display, exc.line, f"this file {exc}")]) from None
    except ValueError as exc:
        raise DeckError([Problem(display, 1, f"this file {exc}")]) from None
    except OSError as exc:
        raise DeckError([Problem(display, 1, f"cannot be read: {exc.strerror or exc}")]) from None
    try:
        data = tomllib.loads(text)
    except tomllib.TOMLDecodeError as exc:
        line, column = _toml_position(str(exc))
        raise DeckError(
            [Problem(display, line, f"this is not valid TOML: {exc}", column=column)]
        ) from None
    except RecursionError:
        raise DeckError([Problem(display, 1, "this file is nested too deeply to be a deck")]) from None
    return data, text


def _toml_position(message: str) -> tuple[int, int | None]:
    import re

    match = re.search(r"line (\d+), column (\d+)", message)
    if match:
        return int(match.group(1)), int(match.group(2))
    match = re.search(r"line (\d+)", message)
    return (int(match.group(1)), None) if match else (1, None)


def load_deck(path: Path | str, display: str | None = None) -> Deck:
    """Load a deck file and check its structure and cross-references."""
    path = Path(path)
    display = display or str(path)
    data, text = parse_toml(path, display)
    return build_deck(data, text, display)


def build_deck(data: dict[str, Any], text: str, display: str) -> Deck:
    """Validate parsed TOML as a deck; raise DeckError with located problems."""
    if not any(key in data for key in ("id", "title", "facts")):
        raise DeckError(
            [
                Problem(
                    display,
                    1,
                    "this is not a quiz deck: it has none of the keys 'id', 'title' "
                    "or 'facts' (see questions/README.md for the format)",
                )
            ]
        )
    try:
        deck = Deck.model_validate(data)
    except ValidationError as exc:
        raise DeckError(_explain(exc, data, text, display)) from None
    except RecursionError:
        raise DeckError([Problem(display, 1, "this file is nested too deeply to be a deck")]) from None
    problems = reference_problems(deck)
    if problems:
        from quiz.locate import line_of, locate

        found = locate(text)
        raise DeckError(
            [Problem(display, line_of(found, p), msg, fact) for p, msg, fact in problems]
        )
    return deck


def reference_problems(deck: Deck) -> list[tuple[tuple[str | int, ...], str, str | None]]:
    """Checks the models cannot express alone: ids that must exist or be unique."""
    out: list[tuple[tuple[str | int, ...], str, str | None]] = []
    sources = {s.id for s in deck.sources}
    seen: dict[str, int] = {}
    for i, fact in enumerate(deck.facts):
        where = ("facts", i)
        if fact.id in seen:
            out.append(
                (where + ("id",), f"the fact id '{fact.id}' is used twice (also fact #{seen[fact.id] + 1}); give each fact its own id", fact.id)
            )
        seen.setdefault(fact.id, i)
        if fact.source not in sources:
            out.append((where + ("source",), _unknown("source", fact.source, sources), fact.id))
        answers = [(where + ("answer",), fact.answer)]
        if fact.reverse is not None:
            answers.append((where + ("reverse", "answer"), fact.reverse.answer))
        for apath, answer in answers:
            if isinstance(answer, PoolAnswer):
                if answer.pool not in deck.pools:
                    out.append((apath + ("pool",), _unknown("pool", answer.pool, deck.pools), fact.id))
                elif answer.value not in deck.pools[answer.pool]:
                    out.append(
                        (
                            apath + ("value",),
                            f"'{answer.value}' is not in the pool '{answer.pool}'; add it to [pools] {answer.pool}",
                            fact.id,
                        )
                    )
            elif isinstance(answer, (IntegerAnswer, YearAnswer)):
                low = answer.min if answer.min is not None else answer.value
                high = answer.max if answer.max is not None else answer.value
                if not low <= answer.value <= high:
                    out.append((apath + ("value",), f"the answer {answer.value} is outside min..max ({low}..{high})", fact.id))
            elif isinstance(answer, OrdinalAnswer) and answer.max is not None and answer.value > answer.max:
                out.append((apath + ("value",), f"the answer {answer.value} is larger than max ({answer.max})", fact.id))
    return out


def _unknown(what: str, name: str, known: Any) -> str:
    message = f"unknown {what} '{name}'"
    close = difflib.get_close_matches(name, list(known), n=1)
    if close:
        return f"{message}; did you mean '{close[0]}'?"
    if known:
        return f"{message}; the deck has: {', '.join(sorted(known))}"
    return f"{message}; the deck defines no {what}s"


# --- pydantic errors in a contributor's words ------------------------------------

_FIELD_HINTS = {
    "id": "use lower-case letters, digits and single hyphens, e.g. 'dover-crash'",
    "source": "use the id of one of the deck's [[sources]]",
    "pool": "use the name of one of the deck's [pools]",
    "language": "use a language code such as 'en' or 'fr-CA'",
    "date": "write it as \"YYYY\", \"YYYY-MM\" or \"YYYY-MM-DD\"",
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
    import typing

    stack = [annotation]
    while stack:
        ann = stack.pop()
        if isinstance(ann, type) and issubclass(ann, BaseModel):
            return ann
        stack.extend(typing.get_args(ann))
    return None


def _explain(exc: ValidationError, data: dict[str, Any], text: str, display: str) -> list[Problem]:
    from quiz.locate import line_of, locate

    found = locate(text)
    problems: dict[tuple[int, str], Problem] = {}
    for error in exc.errors(include_url=False):
        loc = tuple(
            part
            for k, part in enumerate(error["loc"])
            if not (k > 0 and error["loc"][k - 1] == "answer" and part in ANSWER_KINDS)
        )
        fact = _fact_id(data, loc)
        message = _message(error, loc)
        line = line_of(found, loc)
        problems.setdefault((line, message), Problem(display, line, message, fact))
    return sorted(problems.values(), key=lambda p: p.line)


def _fact_id(data: dict[str, Any], loc: tuple[str | int, ...]) -> str | None:
    if len(loc) >= 2 and loc[0] == "facts" and isinstance(loc[1], int):
        facts = data.get("facts")
        if isinstance(facts, list) and loc[1] < len(facts) and isinstance(facts[loc[1]], dict):
            fact_id = facts[loc[1]].get("id")
            if isinstance(fact_id, str) and find_control(fact_id, allow_newlines=False) is None:
                return fact_id[:64]
    return None


def _name(loc: tuple[str | int, ...]) -> str:
    parts = [str(p) for p in loc if isinstance(p, str)]
    if len(loc) >= 3 and loc[0] == "facts" and isinstance(loc[1], int):
        parts = [str(p) for p in loc[2:] if isinstance(p, str)]
    name = ".".join(parts) or "the deck"
    if loc and isinstance(loc[-1], int):
        name += f" item {loc[-1] + 1}"
    return name


def _message(error: Any, loc: tuple[str | int, ...]) -> str:
    kind = error["type"]
    ctx = error.get("ctx") or {}
    name = _name(loc)
    last = next((p for p in reversed(loc) if isinstance(p, str)), "")
    if kind == "missing":
        return f"missing required key '{last}'; add it (see questions/README.md)"
    if kind == "extra_forbidden":
        allowed = _model_keys(loc[:-1])
        close = difflib.get_close_matches(str(last), allowed, n=1)
        hint = f"; did you mean '{close[0]}'?" if close else (f"; allowed keys here: {', '.join(allowed)}" if allowed else "")
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
    if kind == "string_pattern_mismatch" and isinstance(value, str) and ctx.get("pattern") in (LINE_PATTERN, PROSE_PATTERN):
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


# --- finding decks -------------------------------------------------------------


def bundled_dir() -> Path:
    """The folder of bundled decks: inside the wheel, or questions/ in a checkout."""
    here = Path(__file__).resolve().parent
    packaged = here / "_decks"
    if packaged.is_dir():
        return packaged
    return here.parent / "questions"


MAX_WALK = 20_000


def deck_files(folder: Path) -> list[Path]:
    """The *.toml files below a folder, in a stable order.

    Hidden folders and symlinked folders are skipped, unreadable ones are
    passed over, and the walk stops with ValueError past MAX_WALK entries, so
    `quiz validate /` ends at once instead of walking the whole disk.
    """
    import os

    found: list[Path] = []
    seen = 0
    for root, dirs, files in os.walk(folder, followlinks=False):
        dirs[:] = sorted(d for d in dirs if not d.startswith("."))
        seen += len(dirs) + len(files)
        if seen > MAX_WALK:
            raise ValueError(f"holds more than {MAX_WALK} files and folders; name a smaller folder")
        found.extend(Path(root) / f for f in files if f.endswith(".toml"))
    return sorted(p for p in found if p.is_file())


DEFAULT_DECK = "amber-balcaen"


def resolve_deck(ref: str | None) -> Path:
    """Turn ``--deck PATH|ID`` into a path: an existing path, else a bundled deck id."""
    ref = ref or DEFAULT_DECK
    candidate = Path(ref)
    if candidate.suffix == ".toml" or candidate.exists() or "/" in ref:
        return candidate
    for path in deck_files(bundled_dir()):
        if path.stem == ref:
            return path
    return bundled_dir() / f"{ref}.toml"
