"""`quiz audit`: how far a player who knows nothing but how quizzes leak gets.

Plays seeded games and reports, for contributors and CI:

- the *cue player's* score against blind chance. The cue player takes a
  giveaway when one was on screen (a word only one choice has, shown earlier
  in the game or by the deck itself), else a choice that echoes the question,
  else a choice whose first word is the odd one out, else the clearly longest
  choice (more than 1.25 times the next), else guesses;
- the giveaway rate and each giveaway pair, as ``fact-id -> fact-id: "word"``;
- where the right answer lands, how often the longest choice is right, the
  share of each kind, and the questions that leak another fact's answer.

The forms without choices are scored by the share of points an answer earns:
a typed answer cannot be guessed (0), but is given away when its words were
on screen; an estimate's blind guess anywhere in its range earns what the
game would give, and its number shown earlier gives it away; an order put at
random gets half its pairs right, and one that follows from cause and effect
or the calendar is put right by the test-wise player.
"""

from __future__ import annotations

import functools
from collections import Counter
from collections.abc import Iterable
from dataclasses import dataclass, field

from quiz.authoring.faults import follows, later, longest_choice
from quiz.model import Deck
from quiz.questions.choices import MONTHS
from quiz.questions.generate import Generator
from quiz.questions.meaning import odd_one, register
from quiz.questions.plan import make_quiz
from quiz.questions.question import Question
from quiz.questions.words import deck_words, first_word, words
from quiz.text import plural

DECK_TEXT = "deck"
MONTH_NAMES = frozenset(MONTHS)
CUE_GAP_MAX = 5.0  # points above blind chance
GIVEAWAY_MAX = 2.0  # per cent of questions


@dataclass
class Seen:
    """What one game has shown so far: each word and who showed it first."""

    by: dict[str, str] = field(default_factory=dict)

    def add(self, owner: str, shown: frozenset[str]) -> None:
        for word in sorted(shown):
            self.by.setdefault(word, owner)


def giveaway(question: Question, seen: Seen) -> tuple[str, str] | None:
    """(who showed it, word) if a cue of this question was already on screen."""
    for word in sorted(question.cues):
        if word in seen.by and seen.by[word] != question.fact:
            return seen.by[word], word
    return None


def blind_chance(question: Question) -> float:
    """The share of points a blind guess earns on average: one choice of n; nothing for a
    typed answer; for an estimate, a number drawn evenly from its range (none when the
    deck does not bound it); for an order, half its pairs (a random order's share)."""
    if question.kind == "typed":
        return 0.0
    if question.kind == "estimate":
        low, high, value = question.low, question.high, question.value
        if low is None or high is None or value is None or high < low:
            return 0.0
        from quiz.game.judge import estimate_credit

        t = question.tolerance
        near = range(max(low, value - t), min(high, value + t) + 1)
        return sum(estimate_credit(v, value, t) for v in near) / (high - low + 1)
    if question.kind == "order":
        return 0.5
    return 1.0 / len(question.choices)


def number_seen(question: Question, seen: Seen) -> tuple[str, str] | None:
    """(who showed it, word) if an estimate's number ("8th", "2024", "8") was on screen."""
    shown = words(question.answer_text) | ({str(question.value)} if question.value else set())
    for word in sorted(shown):
        if word in seen.by and seen.by[word] != question.fact:
            return seen.by[word], word
    return None


def cue_chance(question: Question, seen: Seen) -> tuple[float, str]:
    """The cue player's chance of being right on this question, and the cue it used."""
    n = len(question.choices)
    if question.kind == "estimate" and number_seen(question, seen) is not None:
        return 1.0, "giveaway"
    if question.unchosen:
        # A typed answer whose words were on screen is typed; the rest is a guess.
        if question.kind == "typed" and giveaway(question, seen) is not None:
            return 1.0, "giveaway"
        return blind_chance(question), "guess"
    if question.kind == "boolean":
        if giveaway(question, seen) is not None:
            return 1.0, "giveaway"
        return 0.5, "guess"
    prompt = words(question.prompt)
    choice_words = [words(c) for c in question.choices]
    unique = [
        choice_words[i] - prompt - frozenset().union(*(choice_words[:i] + choice_words[i + 1 :]))
        for i in range(n)
    ]
    hits = [
        i for i in range(n) if any(w in seen.by and seen.by[w] != question.fact for w in unique[i])
    ]
    if hits:
        return (1.0 if question.answer in hits else 0.0) / len(hits), "giveaway"
    echo = [i for i in range(n) if choice_words[i] & prompt]
    if len(echo) == 1:
        return float(echo[0] == question.answer), "echo"
    starts = [first_word(c) for c in question.choices]
    counts = Counter(starts)
    odd = [i for i in range(n) if counts[starts[i]] == 1]
    if n >= 3 and len(odd) == 1 and len(counts) == 2:
        return float(odd[0] == question.answer), "first word"
    longest = longest_choice(question)
    if longest is not None:
        return float(longest == question.answer), "longest"
    return 1.0 / n, "guess"


@dataclass
class Wise:
    """What the test-wise player brings to a question: the deck's rules, and memory.

    It remembers, across games, where numeric questions' right values sat among
    the shown values, and takes the place the *other* numeric questions favoured:
    a place the generator favours is a cue. Never a question's own place: a
    question offers the same numbers in every game, so its place remembered is
    its answer remembered, which is knowledge.
    """

    deck: Deck
    places: dict[str, Counter[int]] = field(default_factory=dict)
    _generator: Generator | None = None

    @functools.cached_property
    def synonyms(self) -> dict[str, int]:
        from quiz.questions.meaning import synonym_index

        return synonym_index(self.deck.synonyms)

    def generator(self) -> Generator:
        if self._generator is None:
            self._generator = Generator(self.deck, 0)
        return self._generator

    def follows(self, question: Question) -> bool:
        """Whether an order question's right order follows from cause and effect or the
        calendar: each item's fact before the next in story order (`Generator.ordered`)."""
        return follows(self.generator(), self.deck, question)


def wise_chance(question: Question, seen: Seen, wise: Wise) -> tuple[float, str]:
    """The test-wise player's chance on this question, and the reasoning it used.

    On top of the cue player's giveaways it reads for meaning: a true/false
    statement with an absolute word is false; a timeline is put in story order
    (cause and effect); two synonyms rule each other out; the one moderate,
    positive or absolute choice is picked; and a numeric question is answered
    with the place its right value has taken most often in earlier games.
    """
    from quiz.questions.meaning import synonym_key

    if giveaway(question, seen) is not None or question.unchosen:
        if question.kind == "order" and wise.follows(question):
            return 1.0, "story order"
        return cue_chance(question, seen)
    n = len(question.choices)
    if question.kind == "boolean":
        if "absolute" in register(question.prompt):
            return float(question.answer == 1), "absolute"
        return 0.5, "guess"
    if question.kind == "timeline":
        facts = {f.id: f for f in wise.deck.facts}
        events = [facts[i] for i in question.facts if i in facts]
        by_event = {f.timeline.event: f for f in events if f.timeline}
        first = question.prompt.rstrip("?").endswith("first")
        options = []
        for i, choice in enumerate(question.choices):
            me = by_event.get(choice)
            others = [f for f in events if f is not me]
            if me is None or not any(
                wise.generator().ordered(me, o) and later(me, o) == first for o in others
            ):
                options.append(i)
        if question.answer in options:
            return 1.0 / len(options), "story order"
        return 0.0, "story order"
    keys = [synonym_key(wise.synonyms, c) for c in question.choices]
    live = [i for i in range(n) if keys[i] is None or keys.count(keys[i]) == 1]
    if len(live) < n and live:
        return (1.0 / len(live) if question.answer in live else 0.0), "synonyms"
    odd = odd_one(question.choices)
    if odd is not None:
        return float(odd[0] == question.answer), "odd register"
    if _numeric(question):
        # The places other numeric questions' answers took: this question's own place,
        # once seen, is its answer remembered.
        everywhere = wise.places.setdefault("", Counter())
        own = wise.places.setdefault(question.id, Counter())
        places = everywhere - own
        wise_pick = places.most_common()
        if wise_pick:
            top = wise_pick[0][1]
            best = [place for place, times in wise_pick if times == top]
            chance = (1.0 / len(best)) if question.answer in best else 0.0
        else:
            chance = 1.0 / n
        everywhere[question.answer] += 1
        own[question.answer] += 1
        return chance, "number place"
    p, move = cue_chance(question, seen)
    if move not in ("guess", "longest", "giveaway"):
        return p, move
    # A planner that never shows a right answer's words early also tells that a
    # choice whose own words were shown is wrong, and so is one clearly longest.
    out = _seen_choices(question, seen)
    longest = longest_choice(question)
    if longest is not None:
        out.add(longest)
    left = [i for i in range(n) if i not in out] or list(range(n))
    return (1.0 / len(left) if question.answer in left else 0.0), "rule out"


def _seen_choices(question: Question, seen: Seen) -> set[int]:
    prompt = words(question.prompt)
    sets = [words(c) for c in question.choices]
    out = set()
    for i, mine in enumerate(sets):
        only = mine - prompt - frozenset().union(*(sets[:i] + sets[i + 1 :]))
        if only and any(w in seen.by and seen.by[w] != question.fact for w in only):
            out.add(i)
    return out


def _numeric(question: Question) -> bool:
    return all(c[:1].isdigit() or c.split(" ")[0] in MONTH_NAMES for c in question.choices)


def leaks(deck: Deck, seed: int | str = 0) -> list[dict[str, object]]:
    """Questions that show a word that gives away another fact's question.

    The planner orders such pairs; a leak from the deck's own text (title,
    description, source) cannot be planned around.
    """
    questions = list(Generator(deck, seed).all_questions())
    fixed = deck_words(deck)
    out: list[dict[str, object]] = []
    for q in questions:
        words_shown = q.shows()
        gives = sorted(
            {(d.id, w) for d in questions if d.fact != q.fact for w in d.cues & words_shown}
        )
        if gives:
            out.append({"question": q.id, "gives_away": [f'{d}: "{w}"' for d, w in gives]})
    for d in questions:
        for w in sorted(d.cues & fixed):
            out.append({"question": DECK_TEXT, "gives_away": [f'{d.id}: "{w}"']})
    return out


def unplannable(deck: Deck, seed: int | str = 0) -> list[tuple[str, str]]:
    """(question id, word) for questions the deck's own text gives away: never askable."""
    from quiz.questions.choices import format_value

    fixed = deck_words(deck)
    generator = Generator(deck, seed)
    out: list[tuple[str, str]] = []
    for fact in deck.facts:
        # A cue is a word of the right answer: only facts whose answers share a
        # word with the deck's text need their questions built.
        answers = [fact.answer] + ([fact.reverse.answer] if fact.reverse else [])
        if not any(words(format_value(a, a.value)) & fixed for a in answers):
            continue
        for question_id in generator.forms(fact):
            q = generator.build(fact, question_id)
            if q is not None:
                out.extend((q.id, w) for w in sorted(q.cues & fixed))
    return out


def audit(
    deck: Deck, games: int = 500, count: int = 10, kinds: Iterable[str] | None = None
) -> dict[str, object]:
    """Play ``games`` seeded games of ``count`` questions (seeds 0..games-1) and measure;
    ``kinds`` are the forms the games ask (default: a game's)."""
    asked = None if kinds is None else tuple(kinds)
    played = (make_quiz(deck, seed, count, kinds=asked) for seed in range(games))
    report = measure(deck, played, count)
    report["games"] = games
    return report


def passes(report: dict[str, object]) -> bool:
    """Whether the figures are within the limits: cue player within 5 points of chance,
    giveaways at most 2% of questions."""
    cue, chance, rate = report["cue_score"], report["chance"], report["giveaway_rate"]
    wise = report.get("wise_score", cue)
    assert isinstance(cue, float) and isinstance(chance, float) and isinstance(rate, float)
    assert isinstance(wise, float)
    return (
        cue - chance <= CUE_GAP_MAX
        and wise - chance <= CUE_GAP_MAX
        and rate <= GIVEAWAY_MAX
        and not report.get("fact_faults")
    )


def measure(deck: Deck, played: Iterable[list[Question]], count: int) -> dict[str, object]:
    """The audit's figures over games already made (each a list of questions in order)."""
    games = 0
    asked = 0
    cue = chance = wise_total = 0.0
    wise = Wise(deck)
    wise_used: Counter[str] = Counter()
    given = 0
    pairs: Counter[str] = Counter()
    positions: Counter[int] = Counter()
    kinds: Counter[str] = Counter()
    cues_used: Counter[str] = Counter()
    longest_right = longest_total = 0
    longest_chance = 0.0
    fixed = deck_words(deck)
    short_games = 0
    for questions in played:
        games += 1
        if len(questions) < count:
            short_games += 1
        seen = Seen()
        seen.add(DECK_TEXT, fixed)
        for q in questions:
            asked += 1
            kinds[q.kind] += 1
            gave = number_seen(q, seen) if q.kind == "estimate" else giveaway(q, seen)
            if gave is not None:
                given += 1
                pairs[f'{gave[0]} -> {q.fact}: "{gave[1]}"'] += 1
            p, used = cue_chance(q, seen)
            w, reason = wise_chance(q, seen, wise)
            wise_total += w
            wise_used[reason] += 1
            cue += p
            cues_used[used] += 1
            chance += blind_chance(q)
            if len(q.choices) == 4 and not q.unchosen:
                positions[q.answer] += 1
            if q.kind != "boolean" and not q.unchosen:
                longest = longest_choice(q)
                if longest is not None:
                    longest_total += 1
                    longest_right += longest == q.answer
                    longest_chance += 1 / len(q.choices)
            seen.add(q.fact, q.shows())
    total = max(asked, 1)
    four = sum(positions.values()) or 1
    return {
        "deck": deck.id,
        "games": games,
        "count": count,
        "questions": asked,
        "short_games": short_games,
        "cue_score": round(100 * cue / total, 1),
        "chance": round(100 * chance / total, 1),
        "cue_gap": round(100 * (cue - chance) / total, 1),
        "wise_score": round(100 * wise_total / total, 1),
        "wise_gap": round(100 * (wise_total - chance) / total, 1),
        "wise_used": dict(wise_used.most_common()),
        "giveaway_rate": round(100 * given / total, 2),
        "giveaways": given,
        "pairs": dict(pairs.most_common()),
        "cues_used": dict(cues_used.most_common()),
        "positions": {"ABCD"[p]: round(100 * positions[p] / four, 1) for p in range(4)},
        "longest": {
            "questions": longest_total,
            "right": longest_right,
            "rate": round(100 * longest_right / longest_total, 1) if longest_total else 0.0,
            "chance": round(100 * longest_chance / longest_total, 1) if longest_total else 0.0,
        },
        "kinds": {k: round(100 * kinds[k] / total, 1) for k in sorted(kinds)},
        "leaks": leaks(deck),
        "unplannable": [f'{qid}: "{w}"' for qid, w in unplannable(deck)],
    }


def render_text(report: dict[str, object]) -> str:
    """The audit for a reader."""
    from quiz.text import clean

    verdict = "within" if passes(report) else "OUTSIDE"
    lines = [
        f"Audit of deck '{clean(str(report['deck']))}': {report['games']} seeded games of "
        f"{report['count']} questions ({report['questions']} questions asked)",
        f"Cue player: {report['cue_score']}% right (blind chance {report['chance']}%)",
        f"Test-wise player: {report['wise_score']}% right (reads for meaning: number places "
        "learned across games, story order, synonyms, the odd register, absolutes)",
        f"Giveaways: {report['giveaway_rate']}% of questions ({report['giveaways']})",
        f"Limits (each player at most {CUE_GAP_MAX:g} points over chance, giveaways at most "
        f"{GIVEAWAY_MAX:g}%, no fact that gives itself away): {verdict}",
    ]
    faults = report.get("fact_faults") or []
    assert isinstance(faults, list)
    if faults:
        lines.append("Facts that give their answer away:")
        lines.extend(f"  {item}" for item in faults)
    if report["short_games"]:
        lines.append(
            f"Short games: {plural(int(str(report['short_games'])), 'game')} had fewer than {report['count']} "
            "questions that could be asked without a giveaway"
        )
    pairs = report["pairs"]
    assert isinstance(pairs, dict)
    for pair, times in pairs.items():
        lines.append(f"  {clean(pair)}  ({times}x)")
    positions = report["positions"]
    assert isinstance(positions, dict)
    lines.append(
        "Right answer's position (4-choice questions): "
        + ", ".join(f"{k} {v}%" for k, v in positions.items())
    )
    longest = report["longest"]
    assert isinstance(longest, dict)
    lines.append(
        f"Longest choice is right: {longest['rate']}% of {longest['questions']} questions "
        f"with a clearly longest choice (chance {longest['chance']}%)"
    )
    kinds = report["kinds"]
    assert isinstance(kinds, dict)
    lines.append("Kinds: " + ", ".join(f"{k} {v}%" for k, v in kinds.items()))
    used = report["cues_used"]
    assert isinstance(used, dict)
    lines.append("Cue player's moves: " + ", ".join(f"{k} {v}" for k, v in used.items()))
    wise_used = report.get("wise_used", {})
    assert isinstance(wise_used, dict)
    lines.append("Test-wise player's moves: " + ", ".join(f"{k} {v}" for k, v in wise_used.items()))
    unplanned = report["unplannable"]
    assert isinstance(unplanned, list)
    if unplanned:
        lines.append("Never askable (the deck's own text gives them away):")
        lines.extend(f"  deck -> {clean(item)}" for item in unplanned)
    found = report["leaks"]
    assert isinstance(found, list)
    lines.append(
        f"Questions that leak another fact's answer (the planner orders these): {len(found)}"
    )
    for item in found:
        gives = ", ".join(clean(str(g)) for g in item["gives_away"])
        lines.append(f"  {clean(str(item['question']))} -> {gives}")
    return "\n".join(lines)
