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
"""

from __future__ import annotations

from collections import Counter
from collections.abc import Iterable
from dataclasses import dataclass, field

from quiz.generate import (
    LENGTH_RATIO,
    Generator,
    Question,
    deck_words,
    first_word,
    make_quiz,
    words,
)
from quiz.model import Deck
from quiz.words import plural

DECK_TEXT = "deck"
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


def cue_chance(question: Question, seen: Seen) -> tuple[float, str]:
    """The cue player's chance of being right on this question, and the cue it used."""
    n = len(question.choices)
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
    from quiz.generate import format_value

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


CUE_GAP_MAX = 5.0  # points above blind chance
GIVEAWAY_MAX = 2.0  # per cent of questions


def audit(deck: Deck, games: int = 500, count: int = 10) -> dict[str, object]:
    """Play ``games`` seeded games of ``count`` questions (seeds 0..games-1) and measure."""
    report = measure(deck, (make_quiz(deck, seed, count) for seed in range(games)), count)
    report["games"] = games
    return report


def passes(report: dict[str, object]) -> bool:
    """Whether the figures are within the limits: cue player within 5 points of chance,
    giveaways at most 2% of questions."""
    cue, chance, rate = report["cue_score"], report["chance"], report["giveaway_rate"]
    assert isinstance(cue, float) and isinstance(chance, float) and isinstance(rate, float)
    return cue - chance <= CUE_GAP_MAX and rate <= GIVEAWAY_MAX


def measure(deck: Deck, played: Iterable[list[Question]], count: int) -> dict[str, object]:
    """The audit's figures over games already made (each a list of questions in order)."""
    games = 0
    asked = 0
    cue = chance = 0.0
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
            gave = giveaway(q, seen)
            if gave is not None:
                given += 1
                pairs[f'{gave[0]} -> {q.fact}: "{gave[1]}"'] += 1
            p, used = cue_chance(q, seen)
            cue += p
            cues_used[used] += 1
            chance += 1 / len(q.choices)
            if len(q.choices) == 4:
                positions[q.answer] += 1
            if q.kind != "boolean":
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
        f"Giveaways: {report['giveaway_rate']}% of questions ({report['giveaways']})",
        f"Limits (cue player at most {CUE_GAP_MAX:g} points over chance, giveaways at most "
        f"{GIVEAWAY_MAX:g}%): {verdict}",
    ]
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
