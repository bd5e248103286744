"""`quiz stats`: item analysis from play, as Moodle's quiz statistics does.

For each question (and each fact) in the saved games:

- **facility**: the share of answers that were right;
- **discrimination**: the top third's facility minus the bottom third's, where
  games are ranked by their share of right answers (a good question is
  answered right more often by the players who do well overall);
- how often each wrong answer was chosen, against how often it was offered.

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
from typing import TYPE_CHECKING, Any

from quiz.text import plural

if TYPE_CHECKING:
    from quiz.model import Deck
    from quiz.saves.records import GameRecord

RARE_SHARE = 0.05
RARE_MIN_ASKED = 20
KEY_MIN_ASKED = 10  # one player's slip is not a wrong key
EASY_MIN_ASKED = 5
NO_ANSWER = "(no answer)"


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

    @property
    def facility(self) -> float:
        return self.right / self.asked if self.asked else 0.0

    @property
    def discrimination(self) -> float | None:
        if not self.top or not self.bottom:
            return None
        return sum(self.top) / len(self.top) - sum(self.bottom) / len(self.bottom)

    def wrong(self) -> list[dict[str, Any]]:
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
        return out

    def flags(self) -> list[str]:
        if self.asked >= EASY_MIN_ASKED and self.right == self.asked:
            # every wrong answer is unpicked then: the question's flag says it all
            return ["everyone gets it right"]
        out = []
        for row in self.wrong():
            if row["answer"] == NO_ANSWER:
                continue
            if row["chosen"] > self.right and self.asked >= KEY_MIN_ASKED:
                out.append(f'key? "{row["answer"]}" chosen more often than the right answer')
            elif self.asked >= RARE_MIN_ASKED and row["share"] < RARE_SHARE:
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
        }


def _offered(deck: Deck | None, seed: int, question_id: str) -> tuple[str, ...] | None:
    if deck is None:
        return None
    from quiz.questions.generate import Generator
    from quiz.questions.question import QuestionId

    fact_id = QuestionId.parse(question_id).fact
    fact = next((f for f in deck.facts if f.id == fact_id), None)
    if fact is None:
        return None
    question = Generator(deck, seed).build(fact, question_id)
    return question.choices if question is not None else None


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
            item = items.setdefault(answer.question, Item(answer.question, answer.fact))
            item.prompt = item.prompt or answer.prompt
            item.right_answer = item.right_answer or answer.right
            item.asked += 1
            item.right += answer.correct
            if game.id in top:
                item.top.append(answer.correct)
            if game.id in bottom:
                item.bottom.append(answer.correct)
            if not answer.correct:
                item.chosen[answer.chosen or NO_ANSWER] += 1
            offered = _offered(deck, game.seed, answer.question)
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
        for row in q["wrong_answers"]:
            offered = "" if row["offered"] is None else f" of {row['offered']} offered"
            lines.append(
                f"    wrong: {clean(row['answer'])[:40]}: chosen {row['chosen']}x{offered} "
                f"({_pct(row['share'])})"
            )
        for flag in q["flags"]:
            lines.append(f"    FLAG: {clean(flag)}")
    lines.append("")
    lines.append(f"{'Fact':<44} {'Asked':>5} {'Facility':>8}")
    for f in report["facts"]:
        lines.append(f"{clean(f['fact'])[:44]:<44} {f['asked']:>5} {_pct(f['facility']):>8}")
    return "\n".join(lines)


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
        }
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


def _decks(ids: Iterable[str] | None) -> dict[str, Deck]:
    """The bundled decks among those the games were played on (None: all of them), by id."""
    from quiz.deckfile.catalog import bundled_dir, deck_files
    from quiz.deckfile.problems import DeckError
    from quiz.deckfile.read import load_deck

    wanted = set(ids) if ids is not None else None
    out = {}
    for path in deck_files(bundled_dir()):
        try:
            deck = load_deck(path, path.name, use_cache=True)
        except (DeckError, OSError):
            continue
        if wanted is None or deck.id in wanted:
            out[deck.id] = deck
    return out


def run_stats(saves: str | None, deck: str | None, fmt: str) -> int:
    """`quiz stats`: print the analysis; exit 1 with one line if the saves cannot be read."""
    from quiz.saves.folder import SaveError
    from quiz.text import clean  # file names and paths are data, never escapes

    try:
        games, notices, played = _read(saves, deck)
    except SaveError as exc:
        print(f"quiz: {clean(exc)}", file=sys.stderr)
        return 1
    for notice in notices:
        print(f"quiz: {clean(notice)}", file=sys.stderr)
    if deck is not None and deck not in played and deck not in (bundled := _decks(None)):
        # "No answers yet" would say the deck exists: a typo must not pass for one.
        known = sorted(played | bundled.keys())
        print(
            f"quiz: there is no deck '{clean(deck[:64])}': it is not a bundled deck, and no "
            f"recorded game was played on it; decks: {clean(', '.join(known)) or 'none'}",
            file=sys.stderr,
        )
        return 1
    report = analyse(games, _decks(g.deck for g in games))
    if fmt == "json":
        print(json.dumps(report, ensure_ascii=False, indent=2))
    elif fmt == "csv":
        sys.stdout.write(render_csv(report))
    else:
        print(render_text(report))
    return 0
