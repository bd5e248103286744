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

from quiz.model import Deck
from quiz.questions.generate import Generator
from quiz.questions.question import Question
from quiz.questions.words import deck_words

DEFAULT_COUNT = 10
BOOLEAN_SHARE = 0.2  # true/false: between 10% and 30% of a game, spread through it
BOOLEAN_MAX = 0.3
TIMELINE_SHARE = 0.1  # "Which came first?" is fun once or twice a quiz, not every other question
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
    count: int, boolean_share: float, timeline_share: float, rng: random.Random
) -> list[str]:
    """The kind wanted at each position: "boolean", "timeline" or "multiple".

    True/false and timeline questions are spread through the game; where both
    fall on one position the timeline moves to the nearest free one.
    """
    plan = ["multiple"] * count
    for position in _spread(boolean_share, count, rng):
        plan[position] = "boolean"
    for position in _spread(timeline_share, count, rng):
        free = sorted(
            (p for p in range(count) if plan[p] == "multiple"), key=lambda p: abs(p - position)
        )
        if free:
            plan[free[0]] = "timeline"
    return plan


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
) -> list[Question]:
    """The questions of one game, planned as a whole, in order.

    - No question comes after a question (or deck text) that shows one of its cues.
    - One question per fact until every fact has had one; a true/false question
      never comes after another form of its own fact.
    - True/false makes ``boolean_share`` of the game and timeline questions a
      tenth (at least one in a game of ten), spread evenly at a seeded phase.
    - Difficulties are mixed, and questions that would give away many others
      wait until those have been asked.

    Asking for more questions than can be asked without a giveaway gives as
    many as can be: callers say so.
    """
    generator = Generator(deck, seed)
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
            if question is not None and not (question.cues & fixed):
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
    timeline_share = TIMELINE_SHARE if any(q.kind == "timeline" for q in pool) else 0.0
    if 0 < count < 20 and timeline_share:
        timeline_share = max(timeline_share, 1 / max(count, 10))
    plan = plan_kinds(count, boolean_share, timeline_share, rng)
    seen = set(fixed)
    # Headline facts: each is wanted in most games (drawn per game, so games still differ).
    core_rng = random.Random(f"{seed}/core")
    headliners = {f.id for f in chosen if f.core and core_rng.random() < CORE_SHARE}
    prompts: set[str] = set()
    in_order: set[str] = set()  # facts whose events a timeline's explanation has put in order
    asked_facts: set[str] = set()
    asked: set[str] = set()
    made = {"boolean": 0, "timeline": 0}
    difficulty: dict[str, int] = {"easy": 0, "medium": 0, "hard": 0}
    picked: list[Question] = []
    while len(picked) < count:
        position = len(picked)
        left = [q for q in pool if q.id not in asked and not (q.cues & seen)]
        # One question per fact while facts are left. A timeline question asks
        # for an order of events, not its fact's answer, so it may come after.
        fresh = [q for q in left if q.fact not in asked_facts or q.kind == "timeline"]
        if len(asked_facts) < len(facts) and fresh:
            left = fresh
        # true/false never after another form of its own fact
        left = [q for q in left if q.kind != "boolean" or q.fact not in asked_facts]
        # No prompt twice; no timeline over events an earlier one put in order.
        left = [
            q
            for q in left
            if q.prompt not in prompts
            and not (q.kind == "timeline" and len(in_order.intersection(q.facts)) >= 2)
        ]
        if not left:
            break
        wanted = plan[position] if position < len(plan) else "multiple"
        kinds = {"multiple": ("multiple", "reverse")}.get(wanted, (wanted,))
        choice = [q for q in left if q.kind in kinds]
        if not choice:
            # Fall back to multiple choice; true/false and timeline only within their shares.
            choice = [q for q in left if q.kind in ("multiple", "reverse")]
            if not choice and made["boolean"] + 1 <= BOOLEAN_MAX * (position + 1):
                choice = [q for q in left if q.kind == "boolean"]
            if not choice:
                # A true/false statement (an imported deck's) is its fact's only form:
                # the share above is for claims, which have a multiple-choice form too.
                choice = [q for q in left if q.id.rsplit("/", 1)[-1].startswith("statement-")]
        if not choice:
            break
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
            choice = headline + rng.sample(rest, max(0, min(len(rest), SHORTLIST - len(headline))))
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
        if best.kind == "timeline":
            in_order.update(best.facts)
        seen |= shows[best.id]
        if best.kind in made:
            made[best.kind] += 1
        difficulty[best.difficulty] = difficulty.get(best.difficulty, 0) + 1
    return picked
