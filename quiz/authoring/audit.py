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

from quiz.model import Deck, Fact
from quiz.questions.choices import LENGTH_RATIO, MONTHS
from quiz.questions.generate import Generator
from quiz.questions.meaning import odd_one, register
from quiz.questions.plan import make_quiz
from quiz.questions.question import Question
from quiz.questions.words import deck_words, first_word, words
from quiz.text import plural

DECK_TEXT = "deck"
MONTH_NAMES = frozenset(MONTHS)
CLEAR_GAP = 3


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

    It remembers, across games, where each numeric question's right value sat
    among the shown values (not the value: a place a generator favours is a
    cue, the answer itself would be knowledge).
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


def follows(generator: Generator, deck: Deck, question: Question) -> bool:
    """An order question whose items, first to last, each follow from the one before."""
    if question.kind != "order":
        return False
    facts = {f.id: f for f in deck.facts}
    items = [facts.get(i) for i in question.facts]  # first to last
    return len(items) == len(question.choices) and all(
        a is not None and b is not None and generator.ordered(a, b) and _later(b, a)
        for a, b in zip(items, items[1:], strict=False)
    )


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
                wise.generator().ordered(me, o) and _later(me, o) == first for o in others
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
        places = wise.places.setdefault(question.id, Counter())
        wise_pick = places.most_common()
        if wise_pick:
            top = wise_pick[0][1]
            best = [place for place, times in wise_pick if times == top]
            chance = (1.0 / len(best)) if question.answer in best else 0.0
        else:
            chance = 1.0 / n
        places[question.answer] += 1
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


def _later(a: Fact, b: Fact) -> bool:
    """Whether a's event comes after b's (for facts whose order is implied)."""
    return bool(a.timeline and b.timeline and a.timeline.step > b.timeline.step)


def _numeric(question: Question) -> bool:
    return all(c[:1].isdigit() or c.split(" ")[0] in MONTH_NAMES for c in question.choices)


def longest_choice(question: Question) -> int | None:
    """The index of the clearly longest choice, if there is one.

    Clearly longest: over 1.25 times the next longest and at least 3 characters
    longer (one more digit in "10th" against "9th" is not a visible cue).
    """
    lengths = sorted(((len(c), i) for i, c in enumerate(question.choices)), reverse=True)
    if len(lengths) < 2:
        return None
    top, second = lengths[0][0], lengths[1][0]
    if top <= LENGTH_RATIO * second or top - second < CLEAR_GAP:
        return None
    return lengths[0][1]


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


# --- meaning-level rules on single facts ---------------------------------------------------

RULE_SEEDS = 16  # each fact's questions are built with this many seeds for the rules below
RULE_SHARE = 0.5  # a cue that picks the right answer in more than this share of them is a fault


@dataclass(frozen=True)
class FactFault:
    """A fact whose own questions a player who knows nothing can answer."""

    path: tuple[str | int, ...]
    fact: str
    message: str


# What to do about a cue of the forms without choices (the others: give matching wrong answers).
ADVICE = {
    "is named by its question": "reword the question, or drop that accepted answer",
    "is in its question": "reword the question",
    "follows from cause and effect or the calendar": "ask events whose order does not",
}


def _cues_of(question: Question) -> list[str]:
    """The shape and meaning cues that each point at this question's right answer."""
    n = len(question.choices)
    if question.kind == "typed":
        # Any accepted answer's word in the stem types itself (the generator checks the first).
        named = frozenset().union(*map(words, question.accept)) & words(question.prompt)
        return ["is named by its question"] if named else []
    if question.kind == "estimate":
        number = words(question.answer_text) | {str(question.value)}
        return ["is in its question"] if number & words(question.prompt) else []
    if question.kind not in ("multiple", "reverse") or n < 3:
        return []
    out = []
    if longest_choice(question) == question.answer:
        out.append("is clearly the longest choice")
    prompt = words(question.prompt)
    echo = [i for i in range(n) if words(question.choices[i]) & prompt]
    if echo == [question.answer]:
        out.append("is the only choice that echoes a word of the question")
    starts = [first_word(c) for c in question.choices]
    counts = Counter(starts)
    if len(counts) == 2 and counts[starts[question.answer]] == 1:
        out.append("is the only choice with its first word")
    odd = odd_one(question.choices)
    if odd is not None and odd[0] == question.answer:
        out.append(f"is {odd[1]}")
    return out


def fact_faults(deck: Deck) -> list[FactFault]:
    """Facts whose questions give their answer away by shape or meaning, and why.

    Each fact's questions are built with several seeds; a cue that points at the
    right answer in most of them (the clearly longest choice, the only one that
    echoes the question, the odd first word, the only moderate, positive or
    absolute choice) is a fault of the fact, whatever the rest of the deck does.
    So are numbers whose place among the shown values is not free, two
    synonyms shown together, mixed categories and timelines whose order follows
    from cause and effect.
    """
    from quiz.questions.choices import NUMERIC, rank_count
    from quiz.questions.meaning import synonym_index, synonym_key

    synonyms = synonym_index(deck.synonyms)
    generators = [Generator(deck, seed) for seed in range(RULE_SEEDS)]
    dates = {source.id: source.date for source in deck.sources}
    out: list[FactFault] = []
    for index, fact in enumerate(deck.facts):
        where: tuple[str | int, ...] = ("facts", index)
        for answer, at in (
            (fact.answer, "answer"),
            (fact.reverse.answer if fact.reverse else None, "reverse"),
        ):
            if answer is None or not isinstance(answer, NUMERIC):
                continue
            accept = fact.accept if at == "answer" else fact.reverse.accept if fact.reverse else ()
            ranks = rank_count(answer, accept, dates.get(fact.source))
            if 0 < ranks < 4:
                out.append(
                    FactFault(
                        where + ((at,) if at == "answer" else ("reverse", "answer")),
                        fact.id,
                        f"the right value can take only {ranks} of 4 places among the shown "
                        "numbers, so its place gives it away (the latest year, the last place)",
                    )
                )
        cues: Counter[tuple[str, str]] = Counter()
        built: Counter[str] = Counter()
        for generator in generators:
            for question_id in generator.forms(fact):
                q = generator.build(fact, question_id)
                if q is None:
                    continue
                form = question_id.rsplit("/", 1)[-1]
                built[form] += 1
                for cue in _cues_of(q):
                    cues[(form, cue)] += 1
                groups = [synonym_key(synonyms, c) for c in q.choices]
                named = [g for g in groups if g is not None]
                if len(named) != len(set(named)):
                    cues[(form, "shows two synonyms together")] += built[form]
                if q.kind == "timeline" and _chained(generator, deck, q):
                    cues[(form, "asks an order that cause and effect give away")] += built[form]
                if follows(generator, deck, q):
                    cues[(form, "follows from cause and effect or the calendar")] += 1
        for (form, cue), times in sorted(cues.items()):
            if times > RULE_SHARE * built[form]:
                share = min(100, round(100 * times / built[form]))
                advice = ADVICE.get(cue, "give wrong answers that match it")
                out.append(
                    FactFault(
                        where + ("answer",),
                        fact.id,
                        f"in {share}% of its {form} questions the right answer {cue}; {advice}",
                    )
                )
        out.extend(_category_faults(deck, where, fact))
    return out


def _chained(generator: Generator, deck: Deck, question: Question) -> bool:
    facts = {f.id: f for f in deck.facts}
    events = [facts[i] for i in question.facts if i in facts]
    return any(generator.ordered(a, b) for k, a in enumerate(events) for b in events[k + 1 :])


def _category_faults(deck: Deck, where: tuple[str | int, ...], fact: Fact) -> Iterable[FactFault]:
    """A pool answer without a category in a pool that has them mixes populations."""
    from quiz.model import PoolAnswer

    for answer, at in (
        (fact.answer, ("answer",)),
        (fact.reverse.answer if fact.reverse else None, ("reverse", "answer")),
    ):
        if not isinstance(answer, PoolAnswer):
            continue
        info = deck.pool_info.get(answer.pool, {})
        categories = {meta.category for meta in info.values() if meta.category}
        mine = info[answer.value].category if answer.value in info else None
        if categories and mine is None:
            yield FactFault(
                where + at,
                fact.id,
                f"the pool '{answer.pool}' has categories ({', '.join(sorted(categories))}) but "
                f"'{answer.value}' has none, so its wrong answers mix them; give it one",
            )


CUE_GAP_MAX = 5.0  # points above blind chance
GIVEAWAY_MAX = 2.0  # per cent of questions


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
