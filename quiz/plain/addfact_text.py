"""add-fact's fact as data and as text: the fields typed become TOML data
(`fact_data`), written as the deck's own facts are (its key order, its inline
spacing, its line ending), and a new source goes after the deck's last one."""

from __future__ import annotations

import re
import tomllib
from collections.abc import Iterable, Sequence
from typing import Any

# tomlkit: this module loads only for `quiz add-fact`.
import tomlkit

from quiz.deckfile.locate import line_of, locate

# The format's order, for a deck with no facts yet and for keys its facts never use.
FACT_KEYS = (
    "id",
    "statement",
    "answer",
    "questions",
    "claim",
    "reverse",
    "timeline",
    "wrong",
    "accept",
    "explanation",
    "source",
    "tags",
    "difficulty",
    "core",
)
SOURCE_KEYS = ("id", "title", "publisher", "date", "url")
FACT_FILE_HEADER = "#:schema ../facts.schema.json"


def fact_data(got: dict[str, Any], stand_in_source: str | None = None) -> dict[str, Any]:
    """The fact as TOML data, from the fields typed.

    With ``stand_in_source``, fields not typed yet get stand-ins the schema
    accepts, so that the deck's rules can judge the fields that are (a
    problem at a stand-in's line is never shown).
    """
    stand_in: dict[str, Any] = {
        "id": "add-fact-new-fact",
        "statement": "Not typed yet.",
        "answer": {"kind": "boolean", "value": True},
        "question": "Not typed yet?",
        "explanation": "Not typed yet.",
        "source": stand_in_source,
        "difficulty": "medium",
    }

    def value(key: str) -> Any:
        return got[key] if key in got or stand_in_source is None else stand_in[key]

    fact: dict[str, Any] = {
        "id": value("id"),
        "statement": value("statement"),
        "answer": dict(value("answer")),
        "questions": [value("question")],
    }
    if got.get("claim"):
        fact["claim"] = got["claim"]
    if got.get("wrong"):
        fact["wrong"] = list(got["wrong"])
    fact["explanation"] = value("explanation")
    fact["source"] = value("source")
    if got.get("tags"):
        fact["tags"] = list(got["tags"])
    fact["difficulty"] = value("difficulty")
    return fact


def line_ending(text: str) -> str:
    """The file's own line ending: CRLF when its first line ends with one, LF otherwise."""
    first = text.find("\n")
    return "\r\n" if first > 0 and text[first - 1] == "\r" else "\n"


def key_order(tables: Iterable[Any], canonical: Sequence[str]) -> list[str]:
    """The order the deck's own tables give their keys in, the format's order filling gaps."""
    order: list[str] = []
    for table in tables:
        if not isinstance(table, dict):
            continue
        before = -1
        for key in table:
            if key in order:
                before = order.index(key)
            else:
                order.insert(before + 1, key)
                before += 1
    for k, key in enumerate(canonical):
        if key not in order:
            earlier = [order.index(c) for c in canonical[:k] if c in order]
            order.insert(max(earlier) + 1 if earlier else 0, key)
    return order


def inline_padding(text: str) -> str:
    """How the deck's facts space their inline tables: `{ kind = ... }` or `{kind = ...}`."""
    tight = len(re.findall(r"(?m)^answer\s*=\s*\{\S", text))
    spaced = len(re.findall(r"(?m)^answer\s*=\s*\{\s", text))
    return "" if tight > spaced else " "


def _toml(value: Any, pad: str) -> str:
    """One value as TOML on one line."""
    if isinstance(value, bool):
        return "true" if value else "false"
    if isinstance(value, int):
        return str(value)
    if isinstance(value, str):
        return tomlkit.item(value).as_string()
    if isinstance(value, list):
        return "[" + ", ".join(_toml(v, pad) for v in value) + "]"
    if isinstance(value, dict):
        inner = ", ".join(f"{k} = {_toml(v, pad)}" for k, v in value.items())
        return "{" + pad + inner + pad + "}" if inner else "{}"
    raise TypeError(f"no TOML for {type(value).__name__}")


def render_table(header: str, table: dict[str, Any], order: Sequence[str], pad: str) -> list[str]:
    """A table as the deck writes its own: the header, then one `key = value` line a key."""
    keys = sorted(table, key=lambda k: order.index(k) if k in order else len(order))
    return [f"[[{header}]]", *(f"{key} = {_toml(table[key], pad)}" for key in keys)]


def separator(text: str, eol: str = "\n") -> str:
    """What goes after ``text`` so that one blank line comes before what is added."""
    if not text or text.endswith(("\n\n", "\r\n\r\n")):
        return ""
    return eol if text.endswith("\n") else eol + eol


def with_source(text: str, source: dict[str, Any], block: str, eol: str = "\n") -> str:
    """``text`` with ``block`` (a new [[sources]] table) after the deck's last source.

    The first line after the last source's keys where the block reads back as
    that one new source, every other value unchanged, is the place: a value
    over several lines is never split, and no other byte of ``text`` moves.
    """
    data = tomllib.loads(text)
    sources = data.get("sources", [])
    want = {**data, "sources": [*sources, source]}
    lines = text.splitlines(keepends=True)
    found = locate(text)
    last = len(sources) - 1
    start = max((line_of(found, ("sources", last, key)) for key in sources[last]), default=0)
    for at in range(start, len(lines) + 1):
        head = "".join(lines[:at])
        tail = "".join(lines[at:])
        glue = "" if not head or head.endswith("\n") else eol
        after = eol if tail.strip() and not tail.startswith(("\n", "\r\n")) else ""
        candidate = head + glue + eol + block + after + tail
        try:
            if tomllib.loads(candidate) == want:
                return candidate
        except tomllib.TOMLDecodeError:
            continue
    return text + separator(text, eol) + block  # never reached for a deck that loaded
