"""A deck's data through the schema: its errors as located problems, and what passed.

`validate` (loading: any error stops the deck) and `screen` (`quiz validate`:
every error is reported and the facts that passed go on to the next checks).
"""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import Any

from pydantic import ValidationError

from quiz.deckfile.limits import ANSWER_KINDS
from quiz.deckfile.messages import error_message
from quiz.deckfile.problems import DeckError, DeckSource, Problem
from quiz.deckfile.schema import POOL_TABLE, POOL_TEXT, Deck, Fact
from quiz.text import find_control


def explain(exc: ValidationError, data: dict[str, Any], source: DeckSource) -> list[Problem]:
    problems: dict[tuple[str, int, str], Problem] = {}
    for error in exc.errors(include_url=False):
        loc = tuple(
            part
            for k, part in enumerate(error["loc"])
            if not (k > 0 and error["loc"][k - 1] == "answer" and part in ANSWER_KINDS)
            and part not in (POOL_TEXT, POOL_TABLE)
        )
        fact = data_fact_id(data, loc)
        message = error_message(error, loc, Deck)
        problem = source.problem(loc, message, fact)
        problems.setdefault((problem.path, problem.line, message), problem)
    return sorted(problems.values(), key=lambda p: (p.path, p.line))


def data_fact_id(data: dict[str, Any], loc: tuple[str | int, ...]) -> str | None:
    """The id of the fact at ``loc`` in a deck's data, as a problem may show it (or None)."""
    if len(loc) >= 2 and loc[0] == "facts" and isinstance(loc[1], int):
        facts = data.get("facts")
        if isinstance(facts, list) and loc[1] < len(facts) and isinstance(facts[loc[1]], dict):
            fact_id = facts[loc[1]].get("id")
            if isinstance(fact_id, str) and find_control(fact_id, allow_newlines=False) is None:
                return fact_id[:64]
    return None


def fact_errors(fact: dict[str, Any]) -> list[tuple[str, str]]:
    """(top-level key, message) for each thing the schema finds wrong in one fact."""
    try:
        Fact.model_validate(fact)
    except ValidationError as exc:
        return [
            (str(error["loc"][0]), error_message(error, tuple(error["loc"]), Fact))
            for error in exc.errors(include_url=False)
        ]
    return []


def validate(data: dict[str, Any], source: DeckSource) -> None:
    """Check parsed TOML against the schema; raise DeckError with located problems."""
    try:
        Deck.model_validate(data)
    except ValidationError as exc:
        raise DeckError(explain(exc, data, source)) from None
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
        problems = explain(exc, data, source)
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
