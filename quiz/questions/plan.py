"""Planning a game: which questions, in which order, from the questions a deck can give.

A game is planned as a whole (`make_quiz`): each question knows the words that
would give it away (its *cues*: words only its right choice has, not its wrong
choices nor its question) and the words it shows (its prompt, right answer,
explanation and source line). No question is asked once one of its cues has
been on screen, in the deck's own text or in an earlier question.
"""

from __future__ import annotations

import math
import random
from collections.abc import Iterable

from quiz.model import Deck
from quiz.questions.generate import Generator
from quiz.questions.question import KINDS, Question, kind_group
from quiz.questions.words import deck_words

DEFAULT_COUNT = 10
ORDERS = ("timeline", "order")  # forms that ask for an order of events, not a fact's answer
BOOLEAN_SHARE = 0.2  # true/false: between 10% and 30% of a game, spread through it
BOOLEAN_MAX = 0.3
TIMELINE_SHARE = 0.1  # "Which came first?" is fun once or twice a quiz, not every other question
# Each form's target share of a game, placed in this order; multiple choice fills the rest.
# In a game of ten: 2 true/false, 1 timeline, 2 typed, 1 estimate, 1 order, 3 multiple choice.
SHARES = {
    "boolean": BOOLEAN_SHARE,
    "timeline": TIMELINE_SHARE,
    "typed": 0.2,
    "estimate": 0.1,
    "order": 0.1,
}
OWED = ("typed", "estimate", "order", "timeline")  # a missed place moves to a later one
REPLANS = 4  # plans of one game tried at most, for one that asks every planned form
ONE_A_GAME = 0.1  # a share this small still gets one question in a short game
# The forms a game mixes when no `--kinds` are given: every form the deck supports.
DEFAULT_KINDS = frozenset(KINDS)
SHORTLIST = 4  # candidates weighed at each step of planning
PLAN_FACTS = 80  # a game is planned from at most this many facts (or 3x the count)
CORE_SHARE = 0.85  # a headline fact (core = true) is wanted in this share of games
CORE_PULL = 2.0  # how strongly a wanted headline fact is preferred at each step


def form_of(question: Question) -> str:
    """ "multiple", "reverse", "timeline" or "boolean"."""
    return question.kind


def _spread(share: float, count: int, rng: random.Random) -> list[int]:
    """Positions for a kind with this share of ``count``: evenly spaced, at a seeded phase."""
    phase = rng.random()
    out: list[int] = []
    for position in range(count):
        if math.floor(phase + share * (position + 1)) > len(out):
            out.append(position)
    return out


def plan_kinds(
    count: int, shares: dict[str, float], rng: random.Random, filler: str | None = "multiple"
) -> list[str | None]:
    """The kind wanted at each position; ``filler`` (None: any allowed kind) where none is.

    Each kind of ``shares`` is spread through the game at its share, in the order
    given; where two fall on one position the later moves to the nearest free one.
    """
    plan: list[str | None] = [filler] * count
    for kind, share in shares.items():
        for position in _spread(share, count, rng):
            free = sorted(
                (p for p in range(count) if plan[p] == filler), key=lambda p: abs(p - position)
            )
            if free:
                plan[free[0]] = kind
    return plan


def kind_shares(
    count: int, kinds: frozenset[str], present: set[str], boolean_share: float
) -> dict[str, float]:
    """The share of a game each allowed kind the deck can give is planned at (`SHARES`);
    a kind of one question a game (timeline, estimate, order) gets at least one in a
    game of up to 20."""
    shares: dict[str, float] = {}
    for kind, share in SHARES.items():
        if kind == "boolean":
            share = boolean_share if kind in kinds else 0.0
        elif kind not in kinds or kind not in present:
            share = 0.0
        elif share <= ONE_A_GAME and 0 < count < 20:
            share = max(share, 1 / max(count, 10))
        if share or kind in ("boolean", "timeline"):
            # True/false and timeline are always spread (at 0 if not asked), so the
            # seeded plan of a game without the newer forms stays as it was.
            shares[kind] = share
    return shares


def _starves(
    q: Question, kinds: set[str], left: list[Question], blocks: dict[str, frozenset[str]]
) -> bool:
    """Whether asking ``q`` leaves one of ``kinds`` with no question it does not give away."""
    for kind in kinds:
        others = [c for c in left if kind_group(c.kind) == kind and c.id != q.id]
        if others and all(c.fact == q.fact or c.id in blocks[q.id] for c in others):
            return True
    return False


def _score(
    q: Question,
    blocks: dict[str, frozenset[str]],
    blocked_by: dict[str, int],
    remaining: frozenset[str],
    difficulty: dict[str, int],
    noise: float,
) -> float:
    """Lower is asked sooner: gives little away, is easily given away, mixes difficulties."""
    harm = len(blocks[q.id] & remaining)
    urgency = blocked_by[q.id]
    spread = difficulty.get(q.difficulty, 0)
    return 3 * harm - 0.5 * urgency + 1.5 * spread + 3 * noise


def make_quiz(
    deck: Deck,
    seed: int | str,
    count: int = DEFAULT_COUNT,
    *,
    boolean_share: float = BOOLEAN_SHARE,
    kinds: Iterable[str] | None = None,
) -> list[Question]:
    """The questions of one game, planned as a whole, in order.

    - No question comes after a question (or deck text) that shows one of its cues.
    - One question per fact until every fact has had one; a true/false question
      never comes after another form of its own fact.
    - Only the forms named in ``kinds`` (`KINDS`; default `DEFAULT_KINDS`) are asked.
      Each form makes its share of the game (`SHARES`, true/false ``boolean_share``),
      spread evenly at a seeded phase; multiple choice fills the rest.
    - Difficulties are mixed, and questions that would give away many others
      wait until those have been asked.

    Asking for more questions than can be asked without a giveaway gives as
    many as can be: callers say so.
    """
    generator = Generator(deck, seed)
    allowed = frozenset(DEFAULT_KINDS if kinds is None else kinds)
    rng = random.Random(f"{seed}/select")
    fixed = deck_words(deck)
    chosen = list(deck.facts)
    room = max(PLAN_FACTS, 3 * count)
    if len(chosen) > room:
        # A large deck: plan from a seeded sample of facts, not all of them.
        keep = set(random.Random(f"{seed}/facts").sample(range(len(chosen)), room))
        chosen = [fact for index, fact in enumerate(chosen) if index in keep]
    facts = {fact.id: fact for fact in chosen}
    pool: list[Question] = []
    for fact in chosen:
        for question_id in generator.forms(fact):
            question = generator.build(fact, question_id)
            if (
                question is not None
                and kind_group(question.kind) in allowed
                and not (question.cues & fixed)
            ):
                pool.append(question)
    shows = {q.id: q.shows() for q in pool}
    decoys = {q.id: q.decoys() for q in pool}
    by_cue: dict[str, list[Question]] = {}
    for q in pool:
        for word in sorted(q.cues):
            by_cue.setdefault(word, []).append(q)
    blocks = {
        q.id: frozenset(
            d.id for word in shows[q.id] for d in by_cue.get(word, ()) if d.fact != q.fact
        )
        for q in pool
    }
    blocked_by: dict[str, int] = {q.id: 0 for q in pool}
    for q in pool:
        for other in blocks[q.id]:
            blocked_by[other] += 1
    present = {kind_group(q.kind) for q in pool}
    shares = kind_shares(count, allowed, present, boolean_share)
    plan = plan_kinds(count, shares, rng, "multiple" if "multiple" in allowed else None)
    # Headline facts: each is wanted in most games (drawn per game, so games still differ).
    core_rng = random.Random(f"{seed}/core")
    headliners = {f.id for f in chosen if f.core and core_rng.random() < CORE_SHARE}

    def pick(rng: random.Random, plan: list[str | None]) -> list[Question]:
        seen = set(fixed)
        prompts: set[str] = set()
        in_order: set[str] = set()  # facts whose events a timeline's explanation has put in order
        asked_facts: set[str] = set()
        asked: set[str] = set()
        made = {"boolean": 0, "timeline": 0}
        owed: list[str] = []  # forms whose planned place found no question yet
        # Facts asked only as true/false (a deck's `form = "boolean"`) take the true/false
        # places first: they can go nowhere else, and claims keep their other forms.
        only_boolean = {q.fact for q in pool} - {q.fact for q in pool if q.kind != "boolean"}
        difficulty: dict[str, int] = {"easy": 0, "medium": 0, "hard": 0}
        picked: list[Question] = []
        while len(picked) < count:
            position = len(picked)
            left = [q for q in pool if q.id not in asked and not (q.cues & seen)]
            # One question per fact while facts are left. A timeline question asks
            # for an order of events, not its fact's answer, so it may come after.
            fresh = [q for q in left if q.fact not in asked_facts or q.kind in ORDERS]
            if len(asked_facts) < len(facts) and fresh:
                left = fresh
            # true/false never after another form of its own fact
            left = [q for q in left if q.kind != "boolean" or q.fact not in asked_facts]
            # No prompt twice; no timeline over events an earlier one put in order.
            left = [
                q
                for q in left
                if q.prompt not in prompts
                and not (q.kind in ORDERS and len(in_order.intersection(q.facts)) >= 2)
            ]
            if not left:
                break
            wanted = plan[position] if position < len(plan) else None
            if owed and wanted == "multiple":
                # A form whose place came when none of its questions could be asked (its
                # facts given away or asked already) takes the next multiple-choice place.
                due = next((k for k in owed if any(kind_group(q.kind) == k for q in left)), None)
                if due is not None:
                    owed.remove(due)
                    wanted = due
            if wanted == "multiple" and (not picked or picked[-1].kind != "boolean"):
                # Facts kept to true/false come between other forms when the other facts
                # left cannot fill the game with the true/false places to come, rather
                # than three in a row at its end (a short game of a big deck need not
                # ask them all).
                kept = {q.fact for q in left if q.fact in only_boolean}
                others = {q.fact for q in left if q.fact not in only_boolean}
                places = plan[position + 1 :].count("boolean")
                within = made["boolean"] + 1 <= BOOLEAN_MAX * (position + 1)
                if kept and within and len(others) + places < count - position:
                    wanted = "boolean"
            choice = [q for q in left if kind_group(q.kind) == wanted or wanted is None]
            if not choice and wanted in OWED:
                owed.append(wanted)
            # Keep a question for each form still to come: an order of three races would
            # give away the places every estimate left could ask.
            later = {k for k in (*plan[position + 1 :], *owed) if k in OWED and k != wanted}
            if later and len(choice) > 1:
                spared = [q for q in choice if not _starves(q, later, left, blocks)]
                choice = spared or choice
            if wanted == "boolean":
                choice = [q for q in choice if q.fact in only_boolean] or choice
            if not choice:
                # Fall back to multiple choice; true/false only within its share; then any form.
                choice = [q for q in left if kind_group(q.kind) == "multiple"]
                if not choice and made["boolean"] + 1 <= BOOLEAN_MAX * (position + 1):
                    choice = [q for q in left if q.kind == "boolean"]
                if not choice:
                    # A true/false statement (an imported deck's) is its fact's only form:
                    # the share above is for claims, which have a multiple-choice form too.
                    choice = [q for q in left if q.id.rsplit("/", 1)[-1].startswith("statement-")]
                if not choice:
                    choice = [q for q in left if q.kind != "boolean"]
                if not choice:
                    # Only true/false is left (facts kept to true/false, late in a long game):
                    # more of them while the game stays within its share, else it ends here
                    # (shorter than asked, which the caller says).
                    if made["boolean"] + 1 > BOOLEAN_MAX * (position + 1):
                        break
                    choice = left
            # Prefer questions none of whose wrong choices was named earlier: a wrong
            # choice seen before would be as easy to rule out as a right one to spot.
            clear = [q for q in choice if not any(d <= seen for d in decoys[q.id])]
            if clear:
                choice = clear
            remaining = frozenset(q.id for q in left)
            # Weigh a few candidates drawn at random, not all of them, so that games
            # differ: always taking the least harmful would ask the same facts first.
            choice = sorted(choice, key=lambda q: q.id)
            if len(choice) > SHORTLIST and count < len(facts):  # a long game weighs all
                headline = [q for q in choice if q.fact in headliners and q.fact not in asked_facts]
                rest = [q for q in choice if q not in headline]
                choice = headline + rng.sample(
                    rest, max(0, min(len(rest), SHORTLIST - len(headline)))
                )
            noise = {q.id: rng.random() for q in choice}
            best = min(
                choice,
                key=lambda q: (
                    _score(q, blocks, blocked_by, remaining, difficulty, noise[q.id])
                    - CORE_PULL * (q.fact in headliners and q.fact not in asked_facts),
                    q.id,
                ),
            )
            picked.append(best)
            asked.add(best.id)
            asked_facts.add(best.fact)
            prompts.add(best.prompt)
            if best.kind in ORDERS:
                in_order.update(best.facts)
            seen |= shows[best.id]
            if best.kind in made:
                made[best.kind] += 1
            difficulty[best.difficulty] = difficulty.get(best.difficulty, 0) + 1
        return picked

    # The forms this game has a place for: a game that could not ask one of them (its
    # questions given away by earlier picks) is planned again with other draws, a few
    # times, and the first that asks every form is kept (else the one asking most).
    wanted = {k for k in plan if k in OWED}
    best: list[Question] = []
    fewest = len(wanted) + 1
    for attempt in range(REPLANS):
        if attempt:  # other draws: the forms' places too
            rng = random.Random(f"{seed}/select/{attempt}")
            plan = plan_kinds(count, shares, rng, "multiple" if "multiple" in allowed else None)
        picked = pick(rng, plan)
        missing = len(wanted - {kind_group(q.kind) for q in picked})
        if missing < fewest:
            best, fewest = picked, missing
        if not missing:
            break
    return best
