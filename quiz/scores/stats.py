"""`quiz stats`: item analysis from play, as Moodle's quiz statistics does.

For each question (and each fact) in the saved games:

- **facility**: the share of answers that were right;
- **discrimination**: the top third's facility minus the bottom third's, where
  games are ranked by their share of right answers (a good question is
  answered right more often by the players who do well overall);
- how often each wrong answer was chosen, against how often it was offered;
- for a typed question, the three most common wrong answers, folded as the
  game compares them (`quiz.game.judge.answer_key`), each shown as it was most
  often typed: a deck can then accept a variant or list a better wrong value;
- for an estimate, the spread of the numbers given (median, lowest, highest)
  and how many were exact, close (within the tolerance: part of the points)
  or further off; for an order, how many were close (partly in order).

Flags: a wrong answer almost nobody picks (under 5% of the times it was
offered, once the question was asked 20 times or more), a wrong answer
picked more often than the right one (an ambiguous or wrong key; once asked
10 times or more, so one slip is not a flag), and a question everyone gets
right (asked 5 times or more).

Saves are read through quiz.saves.folder (`read_games`); the choices each game
offered are rebuilt from the deck, the game's seed and the question id, when
the deck can be found. Review games (only the player's weak questions) are
left out, as they would skew both figures.
"""

from __future__ import annotations

import csv
import io
import json
import sys
from collections import Counter, defaultdict
from collections.abc import Iterable, Iterator
from dataclasses import dataclass, field
from statistics import median
from typing import TYPE_CHECKING, Any

from quiz.questions.question import UNCHOSEN
from quiz.text import plural

if TYPE_CHECKING:
    from quiz.model import Deck
    from quiz.questions.question import Question
    from quiz.saves.records import AnswerRecord, GameRecord

RARE_SHARE = 0.05
RARE_MIN_ASKED = 20
KEY_MIN_ASKED = 10  # one player's slip is not a wrong key
EASY_MIN_ASKED = 5
NO_ANSWER = "(no answer)"
TYPED_TOP = 3  # the most common wrong answers a typed question lists
ORDER_TOP = 3  # and an order question
ORDER_SHOWN = 200  # characters of an order given, as the text report shows it


def read_games(saves: str | None, deck: str | None) -> tuple[list[GameRecord], list[str]]:
    """Every scored game with answers (quiz.scores.counting), and the notices the reading raised."""
    games, notices, _ = _read(saves, deck)
    return games, notices


def _read(saves: str | None, deck: str | None) -> tuple[list[GameRecord], list[str], set[str]]:
    """`read_games`, and the ids of every deck a recorded game was played on."""
    from quiz.saves.folder import SaveFolder
    from quiz.scores.counting import counting

    notices: list[str] = []
    folder = SaveFolder(saves, notify=notices.append)
    played: set[str] = set()
    games = []
    for record in folder.games():
        played.add(record.deck)
        if deck is not None and record.deck != deck:
            continue
        if record.answers and counting(record.status, record.mode) == "scored":
            games.append(record)
    return games, notices, played


@dataclass
class Item:
    """One question's figures."""

    id: str
    fact: str
    prompt: str = ""
    right_answer: str = ""
    asked: int = 0
    right: int = 0
    top: list[bool] = field(default_factory=list)
    bottom: list[bool] = field(default_factory=list)
    chosen: Counter[str] = field(default_factory=Counter)
    offered: Counter[str] = field(default_factory=Counter)
    kind: str = "multiple"  # as `quiz.questions.question.kind_group` names it
    close: int = 0  # answers earning part of the points (an estimate near, an order partly right)
    # typed: each wrong answer's fold, with how often each spelling of it was typed
    typed: dict[str, Counter[str]] = field(default_factory=dict)
    values: list[int] = field(default_factory=list)  # estimate: every number given
    unanswered: int = 0
    question: Question | None = None  # rebuilt from the deck, when it can be found

    @property
    def facility(self) -> float:
        return self.right / self.asked if self.asked else 0.0

    @property
    def discrimination(self) -> float | None:
        if not self.top or not self.bottom:
            return None
        return sum(self.top) / len(self.top) - sum(self.bottom) / len(self.bottom)

    def wrong(self) -> list[dict[str, Any]]:
        if self.kind == "typed":
            return self._typed_wrong()
        if self.kind == "estimate":
            return []  # the spread says it: a list of near numbers would not
        names = set(self.chosen) | set(self.offered)
        names.discard(self.right_answer)
        out = []
        for name in sorted(names, key=lambda n: (-self.chosen[n], n)):
            offered = self.offered[name] if self.offered else None
            base = offered if offered else self.asked
            out.append(
                {
                    "answer": name,
                    "chosen": self.chosen[name],
                    "offered": offered,
                    "share": round(self.chosen[name] / base, 3) if base else 0.0,
                }
            )
        return out[:ORDER_TOP] if self.kind == "order" else out

    def _typed_wrong(self) -> list[dict[str, Any]]:
        """The most common wrong answers, folded; each shown as most often typed (ties: first)."""
        totals = {key: sum(spellings.values()) for key, spellings in self.typed.items()}
        out = []
        for key in sorted(totals, key=lambda k: (-totals[k], k))[:TYPED_TOP]:
            spellings = self.typed[key]
            shown = max(spellings, key=spellings.__getitem__)  # ties: the first typed
            out.append(
                {
                    "answer": shown,
                    "chosen": totals[key],
                    "offered": None,
                    "share": round(totals[key] / self.asked, 3) if self.asked else 0.0,
                }
            )
        return out

    def spread(self) -> dict[str, Any] | None:
        """An estimate's numbers given: median, lowest, highest, and how near they were."""
        if self.kind != "estimate":
            return None
        values = sorted(self.values)
        question = self.question
        return {
            "given": len(values),
            "median": _number(median(values)) if values else None,
            "lowest": values[0] if values else None,
            "highest": values[-1] if values else None,
            "right_value": None if question is None else question.value,
            "tolerance": None if question is None else question.tolerance,
            "unit": None if question is None else question.unit,
            "exact": self.right,
            "close": self.close,
            "off": max(0, self.asked - self.right - self.close - self.unanswered),
            "no_answer": self.unanswered,
        }

    def flags(self) -> list[str]:
        if self.asked >= EASY_MIN_ASKED and self.right == self.asked:
            # every wrong answer is unpicked then: the question's flag says it all
            return ["everyone gets it right"]
        out = []
        for row in self.wrong():
            if row["chosen"] > self.right and self.asked >= KEY_MIN_ASKED:
                if self.kind == "typed":
                    out.append(f'accept? "{row["answer"]}" typed more often than the right answer')
                else:
                    out.append(f'key? "{row["answer"]}" chosen more often than the right answer')
            elif (
                self.kind not in UNCHOSEN
                and self.asked >= RARE_MIN_ASKED
                and row["share"] < RARE_SHARE
            ):
                out.append(f'rarely picked: "{row["answer"]}"')
        return out

    def as_dict(self) -> dict[str, Any]:
        discrimination = self.discrimination
        return {
            "question": self.id,
            "fact": self.fact,
            "prompt": self.prompt,
            "right_answer": self.right_answer,
            "asked": self.asked,
            "right": self.right,
            "facility": round(self.facility, 3),
            "discrimination": None if discrimination is None else round(discrimination, 3),
            "wrong_answers": self.wrong(),
            "flags": self.flags(),
            "kind": self.kind,
            "close": self.close,
            "no_answer": self.unanswered,
            "spread": self.spread(),
        }

    def add(self, answer: AnswerRecord) -> None:
        """Count one answer to this question."""
        credit = answer.credit if answer.credit is not None else float(answer.correct)
        given = given_shown(answer, self.question)
        self.asked += 1
        self.right += answer.correct
        if not answer.correct and credit > 0:
            self.close += 1
        if self.kind == "estimate" and answer.value is not None:
            self.values.append(answer.value)
        if not given and not answer.correct:
            self.unanswered += 1
        if answer.correct or credit > 0:
            return  # a close answer earned points: counted as close, not listed as wrong
        if self.kind == "typed":
            if given:
                from quiz.text import answer_key

                key = answer_key(given) or given
                self.typed.setdefault(key, Counter())[given] += 1
            return
        if given:  # no answer is no choice: never "chosen 1x of 0 offered" (`no_answer` says it)
            self.chosen[given] += 1


def _number(value: float) -> float | int:
    return int(value) if float(value).is_integer() else round(value, 1)


def _kind(question_id: str, question: Question | None) -> str:
    """A question's kind, as `--kinds` names it: the rebuilt question's, else its id's form."""
    from quiz.questions.question import KINDS, QuestionId, kind_group

    if question is not None:
        return kind_group(question.kind)
    form = QuestionId.parse(question_id).form.split("-")[0]
    form = {"statement": "boolean", "reverse": "multiple"}.get(form, form)
    return form if form in KINDS else "multiple"


def given_shown(answer: AnswerRecord, question: Question | None) -> str:
    """What the player gave, as shown: the record's ``chosen``, else worded from what it
    holds (saves from before ``chosen`` held estimates and orders); "" for no answer."""
    if answer.chosen:
        return answer.chosen
    if answer.text is not None:
        return answer.text
    if question is not None and (answer.value is not None or answer.order is not None):
        from quiz.game.judge import given_text

        return given_text(question, None, answer.value, answer.order, None)
    if answer.value is not None:
        return f"{answer.value:,}"
    if answer.order is not None:
        # Without the deck, the items are named by their place as shown (1 first).
        return " → ".join(f"item {k + 1}" for k in answer.order)
    return ""


def rebuilt(deck: Deck | None, seed: int, question_id: str) -> Question | None:
    """The question a game asked, rebuilt from its deck, seed and id (None: it cannot be)."""
    if deck is None:
        return None
    from quiz.questions.generate import Generator
    from quiz.questions.question import QuestionId

    fact_id = QuestionId.parse(question_id).fact
    fact = next((f for f in deck.facts if f.id == fact_id), None)
    if fact is None:
        return None
    return Generator(deck, seed).build(fact, question_id)


def analyse(games: Iterable[GameRecord], decks: dict[str, Deck] | None = None) -> dict[str, Any]:
    """The item analysis of these games. ``decks`` (by id) rebuild what each game offered."""
    games = list(games)
    decks = decks or {}
    ranked = sorted(games, key=lambda g: (sum(a.correct for a in g.answers) / len(g.answers), g.id))
    third = len(ranked) // 3
    bottom = {g.id for g in ranked[:third]}
    top = {g.id for g in ranked[len(ranked) - third :]} if third else set()
    items: dict[str, Item] = {}
    for game in games:
        deck = decks.get(game.deck)
        for answer in game.answers:
            question = rebuilt(deck, game.seed, answer.question)
            item = items.get(answer.question)
            if item is None:
                item = items[answer.question] = Item(answer.question, answer.fact)
                item.kind = _kind(answer.question, question)
            item.question = item.question or question
            item.prompt = item.prompt or answer.prompt
            item.right_answer = item.right_answer or answer.right
            item.add(answer)
            if game.id in top:
                item.top.append(answer.correct)
            if game.id in bottom:
                item.bottom.append(answer.correct)
            offered = None if question is None or question.unchosen else question.choices
            if offered is not None and (not answer.right or answer.right in offered):
                for choice in offered:
                    item.offered[choice] += 1
    facts: dict[str, list[int]] = defaultdict(lambda: [0, 0])
    for item in items.values():
        facts[item.fact][0] += item.asked
        facts[item.fact][1] += item.right
    return {
        "games": len(games),
        "questions": [items[k].as_dict() for k in sorted(items)],
        "facts": [
            {"fact": f, "asked": n, "right": r, "facility": round(r / n, 3) if n else 0.0}
            for f, (n, r) in sorted(facts.items())
        ],
    }


def _pct(value: float | None) -> str:
    return "-" if value is None else f"{100 * value:.0f}%"


def render_text(report: dict[str, Any]) -> str:
    from quiz.text import clean

    lines = [f"Item analysis of {plural(report['games'], 'game')}"]
    if not report["questions"]:
        return lines[0] + ": no answers yet."
    lines.append("")
    lines.append(f"{'Question':<44} {'Asked':>5} {'Facility':>8} {'Discr.':>7}")
    for q in report["questions"]:
        disc = q["discrimination"]
        lines.append(
            f"{clean(q['question'])[:44]:<44} {q['asked']:>5} {_pct(q['facility']):>8} "
            f"{'-' if disc is None else f'{100 * disc:+.0f}':>7}"
        )
        verb = {"typed": "typed", "order": "given"}.get(q["kind"], "chosen")
        for row in q["wrong_answers"]:
            offered = "" if row["offered"] is None else f" of {row['offered']} offered"
            counts = f"{verb} {row['chosen']}x{offered} ({_pct(row['share'])})"
            if q["kind"] == "order":  # a whole order, items and all, on a line of its own
                lines.append(f"    wrong: {counts}:")
                lines.append(f"      {clean(row['answer'])[:ORDER_SHOWN]}")
            else:
                lines.append(f"    wrong: {clean(row['answer'])[:40]}: {counts}")
        if q["spread"]:
            lines.append(f"    spread: {_spread_line(q['spread'])}")
        elif q["close"]:
            lines.append(f"    close: {q['close']} (part of the points)")
        if q.get("no_answer") and not q["spread"]:  # an estimate's spread counts them
            share = q["no_answer"] / q["asked"] if q["asked"] else None
            lines.append(f"    no answer: {q['no_answer']} of {q['asked']} asked ({_pct(share)})")
        for flag in q["flags"]:
            lines.append(f"    FLAG: {clean(flag)}")
    lines.append("")
    lines.append(f"{'Fact':<44} {'Asked':>5} {'Facility':>8}")
    for f in report["facts"]:
        lines.append(f"{clean(f['fact'])[:44]:<44} {f['asked']:>5} {_pct(f['facility']):>8}")
    return "\n".join(lines)


def _shown(value: float, unit: str | None) -> str:
    """A number as the question words it: "8th" for a place, "2024" for a year, "1,234"."""
    from quiz.text import ordinal

    if not float(value).is_integer():
        return f"{value:,}"
    if unit == "place":
        return ordinal(int(value))
    return str(int(value)) if unit == "year" else f"{int(value):,}"


def _spread_line(spread: dict[str, Any]) -> str:
    """ "median 10, range 5-29; 2 exact, 3 close (within 2), 4 off, 1 no answer"."""
    parts = []
    if spread["given"]:
        low, high = (_shown(spread[k], spread["unit"]) for k in ("lowest", "highest"))
        parts.append(f"median {_shown(spread['median'], spread['unit'])}, range {low} to {high}; ")
    within = "" if spread["tolerance"] is None else f" (within {spread['tolerance']})"
    parts.append(f"{spread['exact']} exact, {spread['close']} close{within}, {spread['off']} off")
    if spread["no_answer"]:
        parts.append(f", {spread['no_answer']} no answer")
    return "".join(parts)


CSV_COLUMNS = [
    "question",
    "fact",
    "asked",
    "facility",
    "discrimination",
    "answer",
    "is_right",
    "chosen",
    "offered",
    "flags",
    "kind",
    "close",
    "median",
    "lowest",
    "highest",
]


def _cell(value: Any) -> Any:
    """Spreadsheets run a cell that starts with = + - @ as a formula: keep it text."""
    if isinstance(value, str) and value[:1] in ("=", "+", "-", "@", "\t", "\r"):
        return "'" + value
    return value


def _csv_rows(report: dict[str, Any]) -> Iterator[dict[str, Any]]:
    for q in report["questions"]:
        base = {
            "question": q["question"],
            "fact": q["fact"],
            "asked": q["asked"],
            "facility": q["facility"],
            "discrimination": "" if q["discrimination"] is None else q["discrimination"],
            "flags": "; ".join(q["flags"]),
            "kind": q["kind"],
            "close": q["close"],
        }
        spread = q["spread"] or {}
        for key in ("median", "lowest", "highest"):
            base[key] = "" if spread.get(key) is None else spread[key]
        yield dict(base, answer=q["right_answer"], is_right="yes", chosen=q["right"], offered="")
        for row in q["wrong_answers"]:
            offered = "" if row["offered"] is None else row["offered"]
            yield dict(
                base, answer=row["answer"], is_right="no", chosen=row["chosen"], offered=offered
            )


def render_csv(report: dict[str, Any]) -> str:
    out = io.StringIO()
    writer = csv.DictWriter(out, fieldnames=CSV_COLUMNS, lineterminator="\r\n")
    writer.writeheader()
    for row in _csv_rows(report):
        writer.writerow({k: _cell(v) for k, v in row.items()})
    return out.getvalue()


def run_stats(saves: str | None, deck: str | None, fmt: str) -> int:
    """`quiz stats`: print the analysis; exit 1 with one line if the saves cannot be read."""
    from quiz.deckfile.catalog import bundled_decks
    from quiz.saves.folder import SaveError
    from quiz.text import clean  # file names and paths are data, never escapes

    try:
        games, notices, played = _read(saves, deck)
    except SaveError as exc:
        print(f"quiz: {clean(exc)}", file=sys.stderr)
        return 1
    for notice in notices:
        print(f"quiz: {clean(notice)}", file=sys.stderr)
    if deck is not None and deck not in played and deck not in (bundled := bundled_decks(None)):
        # "No answers yet" would say the deck exists: a typo must not pass for one.
        known = sorted(played | bundled.keys())
        print(
            f"quiz: there is no deck '{clean(deck[:64])}': it is not a bundled deck, and no "
            f"recorded game was played on it; decks: {clean(', '.join(known)) or 'none'}",
            file=sys.stderr,
        )
        return 1
    report = analyse(games, bundled_decks(g.deck for g in games))
    if fmt == "json":
        print(json.dumps(report, ensure_ascii=False, indent=2))
    elif fmt == "csv":
        sys.stdout.write(render_csv(report))
    else:
        print(render_text(report))
    return 0
