"""A deck's schema errors in a contributor's words, and the text rules they explain.

Below the pydantic schema (quiz.deckfile.schema), which uses the text rules as
validators; this module never imports pydantic: it reads the plain dicts of
``ValidationError.errors()``, and names keys and kinds, never pydantic's error
types or class names.
"""

from __future__ import annotations

import difflib
import typing
from typing import Any

from quiz.deckfile.limits import ANSWER_KINDS
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


def line_rule(value: str) -> str:
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


def prose_rule(value: str) -> str:
    """The free-text rule (newlines and tabs allowed), for reporting."""
    bad = find_control(value, allow_newlines=True)
    if bad is not None:
        raise ValueError(f"contains the control character {describe_char(bad)}; remove it")
    return value


def no_flood(value: str) -> str:
    """The rule on combining marks stacked on one letter (they spill over other lines)."""
    if mark_flood(value):
        raise ValueError(
            f"stacks more than {MAX_MARKS} combining marks on one letter, which spills over "
            "the lines around it; remove them"
        )
    return value


_FIELD_HINTS = {
    "id": "use lower-case letters, digits and single hyphens, e.g. 'dover-crash'",
    "source": "use the id of one of the deck's [[sources]]",
    "pool": "use the name of one of the deck's [pools]",
    "language": "use a language code such as 'en' or 'fr-CA'",
    "date": 'write it as "YYYY", "YYYY-MM" or "YYYY-MM-DD"',
    "url": "write a full address starting with https://",
    "tags": "use lower-case words joined by hyphens",
}


def _model_keys(root: Any, loc: tuple[str | int, ...]) -> list[str]:
    """The keys allowed at ``loc`` below the model ``root``, for "did you mean" suggestions."""
    names = [p for p in loc if isinstance(p, str)]
    model: Any = root
    for name in names:
        field = getattr(model, "model_fields", {}).get(name)
        if field is None:
            break
        inner = _inner_model(field.annotation)
        if inner is None:
            break
        model = inner
    return list(getattr(model, "model_fields", {}))


def _inner_model(annotation: Any) -> Any:
    stack = [annotation]
    while stack:
        ann = stack.pop()
        if isinstance(ann, type) and hasattr(ann, "model_fields"):
            return ann
        stack.extend(typing.get_args(ann))
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


def error_message(error: Any, loc: tuple[str | int, ...], root: Any) -> str:
    """One pydantic error (from ``exc.errors()``) at ``loc`` below the model ``root``,
    in a contributor's words: never a pydantic error type or class name."""
    kind = error["type"]
    ctx = error.get("ctx") or {}
    name = _name(loc)
    last = _short(next((p for p in reversed(loc) if isinstance(p, str)), ""))
    if kind == "missing":
        return f"missing required key '{last}'; add it (see questions/README.md)"
    if kind == "extra_forbidden":
        allowed = _model_keys(root, loc[:-1])
        close = difflib.get_close_matches(str(last), allowed, n=1)
        hint = (
            f"; did you mean '{close[0]}'?"
            if close
            else (f"; allowed keys here: {', '.join(allowed)}" if allowed else "")
        )
        return f"unknown key '{last}'{hint}"
    value = error.get("input")
    got = describe(value)
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
            (prose_rule if ctx["pattern"] == PROSE_PATTERN else line_rule)(value)
        except ValueError as exc:
            return f"'{name}' {exc}"
    if kind == "string_pattern_mismatch":
        hint = _FIELD_HINTS.get(str(last), "check the format in questions/README.md")
        return f"'{name}' is not in the right form ({got}); {hint}"
    if kind == "literal_error":
        return f"'{name}' must be one of {ctx.get('expected')}, not {got}"
    if kind == "union_tag_invalid":
        tag = str(ctx.get("tag"))
        close = difflib.get_close_matches(tag, ANSWER_KINDS, n=1)
        hint = f'did you mean "{close[0]}"?' if close else "use one of: " + ", ".join(ANSWER_KINDS)
        return f"'{name}': unknown kind {describe(tag)} — {hint}"
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


def describe(value: Any) -> str:
    """A value as a message quotes it: short, and never with a control character."""
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
