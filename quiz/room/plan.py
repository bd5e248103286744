"""A room's rounds: `quiz host --rounds N`, or a small TOML plan (`--rounds FILE.toml`).

A plan is `[[round]]` tables, each with a ``title`` and an optional ``count``
(questions in the round). Rounds without a count share the rest of the
game's questions as evenly as `split_rounds` shares them. A round's own deck,
fact filter or timer is not supported yet: such a key is refused on its line,
so a plan never plays differently from what its writer meant.
"""

from __future__ import annotations

import tomllib
from pathlib import Path
from typing import Annotated

from pydantic import AfterValidator, BaseModel, ConfigDict, Field, ValidationError

from quiz.deckfile.locate import line_of, locate
from quiz.room.roster import Round, plan_rounds, split_rounds
from quiz.saves.folder import read_nofollow
from quiz.text import clean

ROUNDS_MAX = 20
PLAN_BYTES = 64 * 1024
TITLE_MAX = 60
# Keys a plan may one day carry; today each is refused with these words.
NOT_YET = {
    "deck": "a round's own deck is not supported yet; the room plays one deck (--deck)",
    "facts": "a round's own facts are not supported yet; rounds share the game's questions",
    "timer": "a round's own timer is not supported yet; the room has one (--timer)",
}


def _title(text: str) -> str:
    kept = clean(text).strip()
    if not kept:
        raise ValueError("a round's title needs a visible character")
    if kept != text.strip():
        raise ValueError("a round's title holds a control, escape or invisible character")
    return kept


class RoundPlan(BaseModel):
    model_config = ConfigDict(extra="forbid", strict=True, frozen=True)

    title: Annotated[str, Field(max_length=TITLE_MAX), AfterValidator(_title)]
    count: Annotated[int, Field(ge=1, le=1000)] | None = None


class Plan(BaseModel):
    model_config = ConfigDict(extra="forbid", strict=True, frozen=True)

    round: Annotated[list[RoundPlan], Field(min_length=1, max_length=ROUNDS_MAX)]


class PlanError(Exception):
    """A plan that cannot be played: one line, `PATH:LINE: message`."""


def read_plan(path: Path) -> Plan:
    """The plan in ``path``, every key checked; PlanError naming the file and line otherwise."""
    shown = clean(str(path))
    try:
        data = read_nofollow(path, cap=PLAN_BYTES)
    except OSError as exc:
        raise PlanError(f"{shown}: cannot read the rounds plan: {exc.strerror or exc}") from None
    if len(data) > PLAN_BYTES:
        raise PlanError(f"{shown}: a rounds plan is at most {PLAN_BYTES // 1024} KB")
    try:
        text = data.decode("utf-8")
        raw = tomllib.loads(text)
    except UnicodeDecodeError:
        raise PlanError(f"{shown}: not UTF-8 text") from None
    except tomllib.TOMLDecodeError as exc:
        raise PlanError(f"{shown}: not TOML ({clean(str(exc))})") from None
    found = locate(text)
    for k, table in enumerate(raw.get("round", []) if isinstance(raw.get("round"), list) else []):
        if isinstance(table, dict):
            for key, why in NOT_YET.items():
                if key in table:
                    raise PlanError(f"{shown}:{line_of(found, ('round', k, key))}: {why}")
    try:
        return Plan.model_validate(raw)
    except ValidationError as exc:
        first = exc.errors()[0]
        loc = tuple(first["loc"])
        where = ".".join(str(p) for p in loc) or "the plan"
        message = first["msg"].removeprefix("Value error, ")
        if first["type"] == "extra_forbidden":
            message = "not a key of a rounds plan (title, count)"
        raise PlanError(f"{shown}:{line_of(found, loc)}: {where}: {message}") from None


def plan_total(plan: Plan) -> int | None:
    """The questions a plan asks for, when every round gives its count."""
    counts = [r.count for r in plan.round]
    return None if any(c is None for c in counts) else sum(c for c in counts if c is not None)


def rounds_for(total: int, rounds: int | Plan, where: str = "--rounds") -> tuple[Round, ...]:
    """The rounds of a game of ``total`` questions; PlanError when they cannot share them."""
    if isinstance(rounds, int):
        if rounds > total:
            raise PlanError(f"{where}: {rounds} rounds, but the game has only {total} questions")
        return plan_rounds(split_rounds(total, rounds))
    given = sum(r.count or 0 for r in rounds.round)
    open_rounds = [k for k, r in enumerate(rounds.round) if r.count is None]
    left = total - given
    if left < len(open_rounds) or (not open_rounds and left != 0):
        raise PlanError(
            f"{where}: the rounds ask for {given} questions"
            + (f" and {len(open_rounds)} more rounds" if open_rounds else "")
            + f", but the game has {total}"
        )
    shared = iter(split_rounds(left, len(open_rounds)) if open_rounds else [])
    sizes = [r.count if r.count is not None else next(shared) for r in rounds.round]
    return plan_rounds(sizes, [r.title for r in rounds.round])
