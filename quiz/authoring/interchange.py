"""Bring questions in from other tools, and take decks out to them.

Open Trivia DB JSON, Moodle GIFT and a spreadsheet-friendly CSV come in as
decks; a deck goes out as Moodle GIFT, the same CSV, or Open Trivia DB JSON,
each with the forms it can hold (`FORMATS`): a form a format has not is left
out with a note. Imported text
is data from strangers: HTML entities are decoded in every field alike,
whitespace trimmed, control characters removed, and anything too long for an
80x24 screen is skipped with a note rather than cut.
"""

from __future__ import annotations

import csv
import html
import io
import json
import re
from collections import Counter
from collections.abc import Callable, Iterable, Sequence
from dataclasses import dataclass, field
from typing import Any

from quiz.authoring.exporting import NO_EXPLANATION, Export, Exported, export_for
from quiz.authoring.gift import Skipped
from quiz.deckfile.limits import (
    CHOICE_MAX,
    DIFFICULTIES,
    EXPLANATION_MAX,
    MAX_FACTS,
    PROMPT_MAX,
    STATEMENT_MAX,
)
from quiz.errors import QuizError
from quiz.model import NUMBER_MAX, Deck
from quiz.questions.question import FALSE, TRUE
from quiz.text import answer_key, clean, fold, runs_as_formula

CSV_COLUMNS = [
    "type",
    "difficulty",
    "question",
    "correct_answer",
    "incorrect_answer_1",
    "incorrect_answer_2",
    "incorrect_answer_3",
    "explanation",
    "accept",
    "tolerance",
]
# CSV's `accept` cell: a typed question's other accepted answers, between these.
ACCEPT_SEPARATOR = " | "


class ImportProblem(QuizError):
    """The input cannot be read as questions at all; the message says why."""


@dataclass
class Imported:
    """A deck built from imported questions, and notes about what was skipped.

    ``where`` gives each fact's place in the input file ("line 12", "row 4"),
    so a fact the deck's checks refuse later is skipped with a note located
    where its author can find it, never in the deck not yet written.
    """

    data: dict[str, Any]
    notes: list[str] = field(default_factory=list)
    where: dict[str, str] = field(default_factory=dict)
    origin: str = ""  # the description's "imported from ..."

    def skip(self, fact_id: str, reason: str) -> None:
        """Leave a built fact out, with a note located in the input."""
        self.data["facts"] = [f for f in self.data["facts"] if f["id"] != fact_id]
        self.notes.append(f"{self.where.pop(fact_id, fact_id)}: skipped: {reason}")
        self.data["description"] = _description(len(self.data["facts"]), self.origin)


def _description(count: int, origin: str) -> str:
    return f"{count} question{'' if count == 1 else 's'} imported from {origin}."


def located(item: Any, number: int) -> str:
    """Where an imported item stands in its file: the reader's ``where``, else its number."""
    where = item.where if isinstance(item, Skipped) else None
    if isinstance(item, dict):
        where = item.get("where")
    return where if isinstance(where, str) and where else f"question {number}"


def _text(value: Any) -> str:
    """Decode HTML entities exactly once, drop control characters, keep the text's spacing.

    Line breaks and tabs become spaces (a question is one line) and the ends
    are trimmed; inner runs of spaces are kept as written, so a CSV round trip
    gives back the same text. Numbers are read as their digits; anything else
    that is not text is no text at all.
    """
    if isinstance(value, bool) or value is None:
        return "" if value is None else str(value)
    if isinstance(value, int):
        return str(value) if abs(value) < 10**18 else ""
    if not isinstance(value, str):
        return ""
    text = clean(html.unescape(value), allow_newlines=True)
    return re.sub(r"[\r\n\t]", " ", text).strip()


def _prose(value: Any) -> str:
    """An explanation: entities decoded exactly once, its line breaks and tabs kept.

    The cell's own ends are trimmed before decoding, so a space an export
    wrote as ``&#32;`` (a deck's explanation may start or end with one) comes
    back; a line break of any style becomes ``\n``.
    """
    if not isinstance(value, str):
        return _text(value)
    text = html.unescape(value.strip())
    return clean(re.sub(r"\r\n?", "\n", text), allow_newlines=True)


def _slug(text: str) -> str:
    return re.sub(r"[^a-z0-9]+", "-", text.lower()).strip("-")[:40].strip("-") or "imported"


def build(
    items: Iterable[Any],
    deck_id: str,
    title: str,
    source: dict[str, str],
    tick: Callable[[int, int], None] | None = None,
) -> Imported:
    """Questions in Open Trivia DB's shape -> deck data, one fact per question.

    An item may say where it stands in its file (``where``: "line 12"); a
    question that cannot be a fact, the deck schema's rules for one fact
    included (more than 8 accepted answers, a tolerance over 1000), is
    skipped with a note located there. ``tick(done, total)`` is called as items are read.
    """
    from quiz.deckfile.screen import fact_errors  # pydantic: the deck is checked next anyway

    deck_id = _slug(deck_id)
    facts: list[dict[str, Any]] = []
    notes: list[str] = []
    where: dict[str, str] = {}
    seen: set[str] = set()
    categories: Counter[str] = Counter()
    items = list(items)
    for number, item in enumerate(items, 1):
        if tick is not None and (number % 500 == 0 or number == len(items)):
            tick(number, len(items))
        place = located(item, number)
        if isinstance(item, Skipped):
            notes.append(f"{place}: skipped: {item.reason}")
            continue
        if not isinstance(item, dict):
            notes.append(f"{place}: skipped: it is not an object")
            continue
        kind = _text(item.get("type")).lower() or "multiple"
        question = _text(item.get("question"))
        correct = _text(item.get("correct_answer"))
        given = item.get("incorrect_answers")
        if not isinstance(given, list):
            given = []
        wrong = [text for text in (_text(w) for w in given[:50]) if text]
        difficulty = _text(item.get("difficulty")).lower()
        explanation = _prose(item.get("explanation"))
        problem = None
        if not question or not correct:
            problem = "it has no question or no correct answer"
        elif len(question) > PROMPT_MAX:
            problem = f"the question is {len(question)} characters; the limit is {PROMPT_MAX} for an 80x24 screen"
        elif fold(question) in seen:
            problem = "the same question came earlier"
        elif kind == "boolean" and correct.lower() not in ("true", "false"):
            problem = (
                f"a true/false question needs the answer True or False, not {_quoted(correct)}"
            )
        elif kind == "typed":
            problem = _typed_problem(correct, item.get("accept"))
        elif kind == "estimate":
            problem = _estimate_problem(correct, item.get("tolerance"))
        elif kind == "multiple":
            if any(len(a) > CHOICE_MAX for a in [correct, *wrong]):
                problem = f"an answer is longer than {CHOICE_MAX} characters"
            elif len({fold(a) for a in wrong} - {fold(correct)}) < 3:
                problem = "it needs three different wrong answers"
        elif kind != "boolean":
            problem = f"its type {_quoted(kind)} is not one of {', '.join(IMPORTED)}"
        if problem:
            notes.append(f"{place}: skipped: {problem}")
            continue
        fact: dict[str, Any] = {"id": f"{deck_id}-{number:03d}"}
        if kind == "boolean":
            value = correct.lower() == "true"
            fact["statement"] = question[:STATEMENT_MAX]
            fact["answer"] = {"kind": "boolean", "value": value}
            fact["questions"] = [question]
            # The one stand-in, as for every form: an export and an Anki card leave it out.
            fact["explanation"] = explanation[:EXPLANATION_MAX] or NO_EXPLANATION
        elif kind == "estimate":
            fact["statement"] = _statement(question, correct)
            fact["answer"] = {"kind": "integer", "value": _whole(correct)}
            tolerance = _text(item.get("tolerance"))
            if tolerance:
                fact["answer"]["tolerance"] = int(tolerance)  # checked: _estimate_problem
            fact["questions"] = [question]
            fact["explanation"] = explanation[:EXPLANATION_MAX] or NO_EXPLANATION
        elif kind == "typed":
            fact["statement"] = _statement(question, correct)
            fact["answer"] = {"kind": "text", "value": correct}
            fact["questions"] = [question]
            fact["accept"] = _accepted(correct, item.get("accept"))
            # The wrong answers the author wrote are never taken, however close they are
            # typed ("Austria" for Australia): they are the fact's refused values.
            taken = {fold(a) for a in [correct, *fact["accept"]]}
            refused = {fold(w): w for w in wrong if fold(w) not in taken}
            if refused:
                fact["wrong"] = list(refused.values())[:12]
            fact["explanation"] = explanation[:EXPLANATION_MAX] or NO_EXPLANATION
        else:
            statement = f"{question} Answer: {correct}"
            fact["statement"] = (
                statement
                if len(statement) <= STATEMENT_MAX
                else statement[: STATEMENT_MAX - 3] + "..."
            )
            fact["answer"] = {"kind": "text", "value": correct}
            fact["questions"] = [question]
            # Look-alikes (case, invisible characters, homoglyphs) count once.
            unique: dict[str, str] = {}
            for w in wrong:
                if fold(w) != fold(correct):
                    unique.setdefault(fold(w), w)
            fact["wrong"] = list(unique.values())[:12]
            fact["explanation"] = explanation[:EXPLANATION_MAX] or NO_EXPLANATION
        if kind != "boolean":  # a true/false fact has one form already: its statement
            # Asked as its author wrote it: multiple choice stays multiple choice.
            fact["form"] = kind
        fact["source"] = source["id"]
        if difficulty in DIFFICULTIES:
            fact["difficulty"] = difficulty
        errors = fact_errors(fact)
        if errors:
            notes.append(f"{place}: skipped: {'; '.join(message for _, message in errors)}")
            continue
        seen.add(fold(question))
        category = _text(item.get("category"))
        if category:
            categories[category] += 1
        where[fact["id"]] = place
        facts.append(fact)
    subject = categories.most_common(1)[0][0][:60] if categories else "General knowledge"
    origin = source["title"].removeprefix("Imported from ")
    data = {
        "id": deck_id,
        "title": title[:60] or "Imported questions",
        "subject": subject,
        "description": _description(len(facts), origin),
        "language": "en",
        "sources": [source],
        "facts": facts,
    }
    return Imported(data, notes, where, origin)


IMPORTED = ("multiple", "boolean", "typed", "estimate")  # the types an import reads
_WHOLE = re.compile(r"-?[0-9]{1,3}(,[0-9]{3})*|-?[0-9]{1,15}")


def _whole(text: str) -> int:
    return int(text.replace(",", ""))


def _statement(question: str, correct: str) -> str:
    statement = f"{question} Answer: {correct}"
    return statement if len(statement) <= STATEMENT_MAX else statement[: STATEMENT_MAX - 3] + "..."


def _given_accept(value: Any) -> list[str]:
    """Accepted variants as given: a list (GIFT, JSON) or one CSV cell with `ACCEPT_SEPARATOR`."""
    if isinstance(value, str):
        value = value.split(ACCEPT_SEPARATOR.strip())
    if not isinstance(value, list):
        return []
    return [text for text in (_text(v) for v in value[:50]) if text]


def _accepted(correct: str, value: Any) -> list[str]:
    """The variants a typed fact accepts besides its answer, each once (look-alikes count once)."""
    unique: dict[str, str] = {}
    for text in _given_accept(value):
        if fold(text) != fold(correct):
            unique.setdefault(fold(text), text)
    return list(unique.values())  # more than a deck holds: the fact's check skips it


def _quoted(value: str) -> str:
    """A cell's text as a note quotes it: at most 40 characters (a 5,000-digit number is
    named, not printed)."""
    return repr(value) if len(value) <= 40 else f"{value[:37]!r}... ({len(value):,} characters)"


def _typed_problem(correct: str, accept: Any) -> str | None:
    if any(len(a) > CHOICE_MAX for a in [correct, *_given_accept(accept)]):
        return f"an answer is longer than {CHOICE_MAX} characters"
    if not answer_key(correct):
        return f"a typed answer needs letters or digits to type, not {_quoted(correct)}"
    return None


def _estimate_problem(correct: str, tolerance: Any) -> str | None:
    digits = correct.removeprefix("-").replace(",", "")
    if digits.isascii() and digits.isdigit() and len(digits) > len(str(NUMBER_MAX)):
        return (
            f"a numeric question's answer is at most {NUMBER_MAX:,} either side of zero, "
            f"not a number of {len(digits):,} digits"
        )
    if not _WHOLE.fullmatch(correct) or len(correct) > 20:
        return f"a numeric question needs a whole number as its answer, not {_quoted(correct)}"
    tol = _text(tolerance)
    if tol and not (tol.isascii() and tol.isdigit() and len(tol) <= 15):
        return f"its tolerance must be a whole number of 0 or more, not {_quoted(tol)}"
    return None


def read_opentdb(text: str) -> list[Any]:
    """The question list of an Open Trivia DB API response (or a bare list)."""
    try:
        data = json.loads(text)
    except json.JSONDecodeError as exc:
        raise ImportProblem(
            f"this is not JSON: {exc.msg} (line {exc.lineno}, column {exc.colno})"
        ) from None
    except RecursionError:
        raise ImportProblem("this JSON is nested too deeply") from None
    except ValueError:
        # json turns a number of more than 4,300 digits into a ValueError.
        raise ImportProblem("this JSON holds a number too long to read") from None
    if isinstance(data, dict):
        if data.get("response_code", 0) not in (0, None):
            raise ImportProblem(
                f"the Open Trivia DB response has response_code {data.get('response_code')}: it holds no questions"
            )
        data = data.get("results")
    if not isinstance(data, list):
        raise ImportProblem("this is not an Open Trivia DB response: it has no 'results' list")
    if len(data) > MAX_FACTS:
        raise ImportProblem(
            f"this file has {len(data):,} questions; a deck holds at most {MAX_FACTS:,}"
        )
    return data


CSV_CELL_MAX = 4_096


def read_csv(text: str, limit: int = MAX_FACTS) -> list[dict[str, Any]]:
    """Rows of the documented CSV layout, in Open Trivia DB's shape.

    Reading stops with a clear problem past ``limit`` rows (a deck's fact
    limit), and a cell is never longer than CSV_CELL_MAX: a huge file costs a
    moment, not minutes and gigabytes. A byte-order mark ("CSV UTF-8" from
    Excel) is skipped.
    """
    text = text.removeprefix("\ufeff")
    old_limit = csv.field_size_limit()
    csv.field_size_limit(CSV_CELL_MAX)
    try:
        return _read_csv(text, limit)
    except csv.Error as exc:
        if "field larger than field limit" in str(exc):
            raise ImportProblem(
                f"a cell is longer than {CSV_CELL_MAX} characters; no question needs that much"
            ) from None
        raise ImportProblem(f"this is not a readable CSV file: {exc}") from None
    finally:
        csv.field_size_limit(old_limit)


def _read_csv(text: str, limit: int) -> list[dict[str, Any]]:
    reader = csv.DictReader(io.StringIO(text))
    missing = {"question", "correct_answer"} - set(reader.fieldnames or [])
    if missing:
        raise ImportProblem(
            f"the first row must name the columns; missing: {', '.join(sorted(missing))} (expected: {', '.join(CSV_COLUMNS)})"
        )

    def unguard(value: str) -> str:
        # Our CSV export writes '=... (and ''...) so spreadsheets do not run
        # it; undo exactly that one quote.
        return value[1:] if value[:1] == "'" and _guarded(value[1:]) else value

    rows: list[dict[str, Any]] = []
    for raw in reader:  # row 1 is the header: a spreadsheet's row numbers
        if len(rows) >= limit:
            raise ImportProblem(
                f"this file has more than {limit:,} rows; a deck holds at most {limit:,} questions"
            )
        row = {k: unguard(v) if isinstance(v, str) else v for k, v in raw.items() if k is not None}
        wrong = [row.get(f"incorrect_answer_{k}") or "" for k in range(1, 4)]
        rows.append(
            {
                "type": (row.get("type") or "multiple").strip().lower(),
                "difficulty": row.get("difficulty") or "",
                "question": row.get("question") or "",
                "correct_answer": row.get("correct_answer") or "",
                "incorrect_answers": [w for w in wrong if w.strip()],
                "explanation": row.get("explanation") or "",
                "accept": row.get("accept") or "",
                "tolerance": row.get("tolerance") or "",
                "where": f"row {len(rows) + 2}",
            }
        )
    return rows


# --- export ------------------------------------------------------------------------------


def exported_questions(
    deck: Deck, kinds: Sequence[str] | None = None, fmt: str = "csv"
) -> list[Exported]:
    """The questions `export_for` gives ``fmt``, without the count of those left out."""
    return export_for(deck, kinds, fmt).questions


# What html.unescape reads as a character reference (its own pattern). A match
# never holds another `&`, so each is decoded on its own, wherever it stands.
_REFERENCE = re.compile(r"&(#[0-9]+;?|#[xX][0-9a-fA-F]+;?|[^\t\n\f <&#;]{1,32};?)")


def _amp(match: re.Match[str]) -> str:
    """`&amp;` for an `&` that decoding would change (`&lt;`, `&amp`), the rest as written (AT&T)."""
    found = match.group()
    return found if html.unescape(found) == found else "&amp;" + found[1:]


# Whitespace at either end of a text, which importers trim (a deck's explanation may have it).
def _references(text: str) -> str:
    return "".join(f"&#{ord(c)};" for c in text)


def _edges(text: str) -> str:
    """Whitespace at the ends as character references (``&#32;``), so trimming keeps it.

    Found with `str.lstrip`/`str.rstrip` (the same whitespace as ``\\s``), in
    linear time: a regex ``\\s+\\Z`` rescans every inner run of spaces.
    """
    body = text.strip()
    if not body:
        return _references(text)
    head = len(text) - len(text.lstrip())
    tail = len(text) - len(text.rstrip())
    return _references(text[:head]) + body + _references(text[len(text) - tail :])


def literal(text: str) -> str:
    """A plain text (Aiken, Kahoot, Moodle's plain_text) as `build` gives it back exactly.

    `build` decodes HTML entities once and trims an explanation's ends; a text
    that means itself has its ``& < >`` and its ends' whitespace as entities.
    """
    return _edges(html.escape(text, quote=False))


def as_entities(text: str, *, markup: bool) -> str:
    """A text as an importer that decodes HTML entities gives it back exactly.

    ``markup``: the format is HTML (Open Trivia DB's JSON, GIFT's [html]), so
    ``& < > " '`` are all written as entities and the text is never markup;
    otherwise (CSV) only an ``&`` that decoding would change is, and the
    text stays readable in a spreadsheet.
    """
    text = html.escape(text, quote=True) if markup else _REFERENCE.sub(_amp, text)
    return _edges(text)


def _gift_escape(text: str) -> str:
    """A text as Moodle's GIFT import (in [html] format) gives it back exactly.

    HTML's `& < >` and GIFT's `~ = # { } :` and the backslash are escaped,
    a line break is GIFT's `\\n` (a blank line would end the question), and
    what Moodle would read as something else is a character reference: the
    ends' whitespace (trimmed), a leading `[` (a format marker) and a leading
    `%` (an answer's weight).
    """
    text = _edges(html.escape(text, quote=False))
    if text[:1] in ("[", "%"):
        text = f"&#{ord(text[0])};{text[1:]}"
    return re.sub(r"([~=#{}:\\])", r"\\\1", text).replace("\n", "\\n")


def to_gift(deck: Deck, kinds: Sequence[str] | None = None, export: Export | None = None) -> str:
    """Moodle GIFT: every text in [html] format, escaped so it is data, never markup.

    Multiple choice ``{=right ~wrong}``, true/false ``{TRUE}``, short answer
    ``{=answer =variant}`` for typed questions and numeric ``{#8:2}`` (value:tolerance)
    for estimates.
    """
    export = export or export_for(deck, kinds, "gift")
    lines = [f"// {' '.join(deck.title.split())}: exported from quiz", ""]
    for n, q in enumerate(export.questions, 1):
        export.drop("difficulty", "GIFT has no field for them")
        feedback = f"####{_gift_escape(q.explanation)}" if q.explanation else ""
        name = f"::{_gift_escape(f'{deck.id}-{n:03d}')}::"
        # The question's format is its answers' and feedback's too.
        question = f"[html]{_gift_escape(q.question)}"
        if q.kind == "boolean":
            lines.append(
                f"{name} {question} {{{'TRUE' if q.right == TRUE else 'FALSE'}{feedback}}}"
            )
        elif q.kind == "estimate":
            lines.append(f"{name} {question} {{#{q.right}:{q.tolerance}{feedback}}}")
        elif q.kind == "typed":
            lines.append(f"{name} {question} {{")
            lines.extend(f"  ={_gift_escape(a)}" for a in (q.right, *q.accept))
            if feedback:
                lines.append(f"  {feedback}")
            lines.append("}")
        else:
            lines.append(f"{name} {question} {{")
            lines.append(f"  ={_gift_escape(q.right)}")
            lines.extend(f"  ~{_gift_escape(w)}" for w in q.wrong)
            if feedback:
                lines.append(f"  {feedback}")
            lines.append("}")
        lines.append("")
    return "\n".join(lines)


def to_csv(deck: Deck, kinds: Sequence[str] | None = None, export: Export | None = None) -> str:
    """The CSV of `CSV_COLUMNS`: ``type`` is multiple, boolean, typed or estimate; a
    typed row's ``accept`` holds its other accepted answers (between " | "), an
    estimate's ``correct_answer`` its number and ``tolerance`` how far off still scores."""
    export = export or export_for(deck, kinds, "csv")
    out = io.StringIO()
    writer = csv.DictWriter(out, fieldnames=CSV_COLUMNS, lineterminator="\r\n")
    writer.writeheader()
    for q in export.questions:
        row = {
            "type": q.kind,
            "difficulty": q.difficulty,
            "question": q.question,
            "correct_answer": q.right,
            "explanation": q.explanation,
        }
        if q.kind == "typed":
            sep = ACCEPT_SEPARATOR.strip()
            row["accept"] = ACCEPT_SEPARATOR.join(a for a in q.accept if sep not in a)
            for _ in (a for a in q.accept if sep in a):
                export.drop("accepted answer", "it holds '|', which parts the CSV's accept cell")
        if q.kind == "estimate":
            row["tolerance"] = str(q.tolerance)
        for k, wrong in enumerate(q.wrong[:3], 1):
            row[f"incorrect_answer_{k}"] = wrong
        cells = {k: as_entities(v, markup=False) for k, v in row.items()}
        writer.writerow({k: ("'" + v if _guarded(v) else v) for k, v in cells.items()})
    return out.getvalue()


def _guarded(value: str) -> bool:
    """Whether export puts a ' before this cell: a would-be formula (the one rule in
    quiz.text), or a leading ' of its own, so that import can take exactly one off."""
    return runs_as_formula(value) or value[:1] == "'"


def to_opentdb(deck: Deck, kinds: Sequence[str] | None = None, export: Export | None = None) -> str:
    """Open Trivia DB's JSON, entity-encoded as it is; the explanation is a key of ours."""
    export = export or export_for(deck, kinds, "opentdb")

    def encoded(text: str) -> str:
        return as_entities(text, markup=True)

    results = [
        {
            "type": q.kind,
            "difficulty": q.difficulty,
            "category": encoded(deck.subject),
            "question": encoded(q.question),
            "correct_answer": encoded(q.right),
            "incorrect_answers": [
                encoded(w) for w in (q.wrong or ((FALSE if q.right == TRUE else TRUE),))
            ],
            "explanation": encoded(q.explanation),
        }
        for q in export.questions
    ]
    return json.dumps({"response_code": 0, "results": results}, ensure_ascii=False, indent=2) + "\n"
