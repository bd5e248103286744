"""Kahoot's spreadsheet template (.xlsx), read and written.

The template has instruction rows above its header row; the header is found
by its column titles (Question, Answer 1..4, Time limit (sec), Correct
answer(s)), in any case, and the rows under it are the questions. Two
answers True and False make a true/false question; several correct answers
("1,3") cannot be one fact and are skipped with a note naming the sheet row.

A workbook is a zip of XML written by anyone, so before openpyxl opens it
(read-only, cached values only, external links never followed) its zip
directory is checked: the entries' declared sizes and count, no document
type or entity in any XML part, and the shared strings counted. A hostile
workbook is refused with a located message within the caps of a CSV import.

Writing follows the template's layout and limits: a question over 120
characters or an answer over 75 is left out with a note, never cut; every
text cell is written as text, never a formula.
"""

from __future__ import annotations

import io
import re
import zipfile
from typing import Any

from quiz.authoring.aiken import place
from quiz.authoring.exporting import Export, export_for
from quiz.authoring.gift import Skipped
from quiz.authoring.interchange import CSV_CELL_MAX, literal
from quiz.model import Deck
from quiz.questions.question import FALSE, TRUE

QUESTION_MAX = 120
ANSWER_MAX = 75
TIME_LIMIT = 20  # seconds: one of Kahoot's own (5, 10, 20, 30, 60, 90, 120, 240)
HEADER_ROWS = 50  # the header row is looked for this far down
MAX_ENTRIES = 1_000  # a workbook's zip entries
MAX_UNZIPPED = 96 * 1024 * 1024  # all entries, as their zip directory declares them
MAX_COLUMNS = 64
COLUMNS = (
    "Question - max 120 characters",
    "Answer 1 - max 75 characters",
    "Answer 2 - max 75 characters",
    "Answer 3 - max 75 characters",
    "Answer 4 - max 75 characters",
    "Time limit (sec) – 5, 10, 20, 30, 60, 90, 120, or 240 secs",
    "Correct answer(s) - choose at least one",
)
INSTRUCTIONS = (
    "Quiz template",
    "Add questions, at least two answer alternatives, time limit and choose correct answers "
    "(at least one). Have fun creating your awesome quiz!",
    "Remember: questions have a limit of 120 characters and answers can have 75 characters max. "
    "Text will turn red in Excel or Google Docs if you exceed this limit. If several answers "
    "are correct, separate them with a comma.",
    "See an example question below (don't forget to overwrite this with your first question!)",
    "And remember, if you're not using Excel you need to export to .xlsx format before you "
    "upload to Kahoot!",
)
# The header's titles, as the start of each cell's text in lower case.
_TITLES = {
    "question": "question",
    "answer 1": "answer 1",
    "answer 2": "answer 2",
    "answer 3": "answer 3",
    "answer 4": "answer 4",
    "time limit": "time limit",
    "correct answer": "correct",
}
_XML_DECLARATIONS = re.compile(rb"<!(DOCTYPE|ENTITY)")
_SHARED_STRING = re.compile(rb"<(?:\w+:)?si[\s>/]")


def check_zip(data: bytes, limit: int) -> None:
    """Refuse a workbook that would cost more than a moment, before anything parses it."""
    try:
        archive = zipfile.ZipFile(io.BytesIO(data))
    except zipfile.BadZipFile:
        raise ValueError("this is not an .xlsx workbook (not a zip file)") from None
    with archive:
        entries = archive.infolist()
        if len(entries) > MAX_ENTRIES:
            raise ValueError(
                f"this workbook has {len(entries):,} zip entries; a Kahoot sheet needs a few "
                f"dozen (at most {MAX_ENTRIES:,} are read)"
            )
        total = sum(e.file_size for e in entries)
        if total > MAX_UNZIPPED:
            raise ValueError(
                f"this workbook unzips to {total:,} bytes; at most {MAX_UNZIPPED:,} are read "
                "(a zip bomb, or far more than a deck's questions)"
            )
        for entry in entries:
            if not entry.filename.endswith((".xml", ".rels")):
                continue
            try:
                body = archive.read(entry)
            except (zipfile.BadZipFile, OSError, RuntimeError, EOFError) as exc:
                raise ValueError(
                    f"{entry.filename}: this part of the workbook is damaged ({exc})"
                ) from None
            if _XML_DECLARATIONS.search(body):
                raise ValueError(
                    f"{entry.filename}: this part declares a document type or entities "
                    "(<!DOCTYPE ...>, <!ENTITY ...>); a workbook has none, and they are never expanded"
                )
            if entry.filename.lower().endswith("sharedstrings.xml"):
                count = len(_SHARED_STRING.findall(body))
                most = limit * 8
                if count > most:
                    raise ValueError(
                        f"{entry.filename}: this workbook has {count:,} shared strings; "
                        f"{limit:,} questions need at most {most:,}"
                    )


def _cell_text(value: Any) -> str:
    """A cell's value as the text a teacher typed: 3.0 is "3", an empty cell ""."""
    if value is None:
        return ""
    if isinstance(value, float) and value.is_integer():
        return str(int(value))
    return str(value).strip()


def _header(row: tuple[Any, ...]) -> dict[str, int] | None:
    """The column of each title in ``row``, if it is the header row."""
    found: dict[str, int] = {}
    for column, value in enumerate(row):
        text = _cell_text(value).lower()
        for title in _TITLES:
            if text.startswith(title) and title not in found:
                found[title] = column
                break
    return found if {"question", "answer 1", "answer 2", "correct answer"} <= set(found) else None


def read_kahoot(data: bytes, limit: int) -> list[dict[str, Any] | Skipped]:
    """The questions of a Kahoot template, each an item (with its sheet row) or why not."""
    check_zip(data, limit)
    from openpyxl import load_workbook

    try:
        workbook = load_workbook(io.BytesIO(data), read_only=True, data_only=True, keep_links=False)
    except Exception as exc:  # openpyxl raises many kinds for a damaged workbook
        raise ValueError(f"this workbook cannot be read ({type(exc).__name__}: {exc})") from None
    try:
        for sheet in workbook.worksheets:
            items = _read_sheet(sheet, limit)
            if items is not None:
                return items
    finally:
        workbook.close()
    raise ValueError(
        "no sheet has Kahoot's header row (Question, Answer 1 .. Answer 4, Time limit (sec), "
        f"Correct answer(s)) in its first {HEADER_ROWS} rows"
    )


def _read_sheet(sheet: Any, limit: int) -> list[dict[str, Any] | Skipped] | None:
    name = _cell_text(sheet.title)
    declared = sheet.max_row or 0
    if declared > limit + HEADER_ROWS + 1_000:  # its dimension, as the sheet declares it
        raise ValueError(
            f"sheet '{name}' declares {declared:,} rows; a deck holds at most {limit:,} questions"
        )
    columns = min(sheet.max_column or MAX_COLUMNS, MAX_COLUMNS)
    header: dict[str, int] | None = None
    out: list[dict[str, Any] | Skipped] = []
    most = limit + HEADER_ROWS + 1_000  # rows read at most, blank ones included
    for number, row in enumerate(sheet.iter_rows(max_col=columns, values_only=True), 1):
        if number > most:
            raise ValueError(
                f"sheet '{name}' row {number:,}: more rows than a deck's {limit:,} questions need"
            )
        if header is None:
            header = _header(row)
            if header is None and number >= HEADER_ROWS:
                return None
            continue
        cells = [_cell_text(v) for v in row] + [""] * columns
        if any(len(c) > CSV_CELL_MAX for c in cells):
            raise ValueError(
                f"sheet '{name}' row {number}: a cell is longer than {CSV_CELL_MAX} characters"
            )
        question = cells[header["question"]]
        if not question:
            continue  # the template's numbered rows that were never filled in
        if len(out) >= limit:
            raise ValueError(
                f"sheet '{name}' row {number}: more than {limit:,} questions; "
                f"a deck holds at most {limit:,}"
            )
        out.append(_question(cells, header, f"sheet '{name}' row {number}"))
    return out if header is not None else None


def _question(cells: list[str], header: dict[str, int], where: str) -> dict[str, Any] | Skipped:
    answers = [cells[header[f"answer {k}"]] if f"answer {k}" in header else "" for k in range(1, 5)]
    given = cells[header["correct answer"]]
    numbers = [p.strip() for p in re.split(r"[,;]", given) if p.strip()]
    if len(numbers) > 1:
        return Skipped(f"several correct answers ({given}) cannot be one fact", where)
    if not numbers or numbers[0] not in ("1", "2", "3", "4") or not answers[int(numbers[0]) - 1]:
        return Skipped(
            f"its correct answer {given!r} is not the number of one of its answers", where
        )
    right = answers[int(numbers[0]) - 1]
    filled = [a for a in answers if a]
    item: dict[str, Any] = {"question": literal(cells[header["question"]]), "where": where}
    if len(filled) == 2 and {a.lower() for a in filled} == {"true", "false"}:
        return item | {"type": "boolean", "correct_answer": right.capitalize()}
    wrong = [literal(a) for k, a in enumerate(answers) if a and k != int(numbers[0]) - 1]
    return item | {"type": "multiple", "correct_answer": literal(right), "incorrect_answers": wrong}


# --- writing -------------------------------------------------------------------------


def _text_cell(sheet: Any, row: int, column: int, value: str | int) -> None:
    """A cell that holds ``value`` as written: a text is never run as a formula."""
    cell = sheet.cell(row=row, column=column)
    cell.value = value
    if isinstance(value, str):
        cell.data_type = "s"  # openpyxl takes "=..." for a formula unless told


def to_kahoot(deck: Deck, kinds: list[str] | None = None, export: Export | None = None) -> bytes:
    """An .xlsx workbook laid out as Kahoot's template: instructions, the header, numbered rows."""
    from openpyxl import Workbook

    export = export or export_for(deck, kinds, "kahoot")
    workbook = Workbook()
    sheet: Any = workbook.active  # a new workbook's one worksheet
    sheet.title = "Sheet1"
    for row, text in enumerate(INSTRUCTIONS, 1):
        _text_cell(sheet, row, 2, text)
    header_row = len(INSTRUCTIONS) + 2
    for column, title in enumerate(COLUMNS, 2):
        _text_cell(sheet, header_row, column, title)
    row = header_row
    for q in export.questions:
        if q.kind == "boolean":
            answers, right = [TRUE, FALSE], 0 if q.right == TRUE else 1
        else:
            answers = list(q.wrong[:3])
            right = place(q.question, len(answers) + 1)
            answers.insert(right, q.right)
        if len(q.question) > QUESTION_MAX or any(len(a) > ANSWER_MAX for a in answers):
            export.leave_out(
                q, f"Kahoot holds {QUESTION_MAX} characters a question and {ANSWER_MAX} an answer"
            )
            continue
        row += 1
        sheet.cell(row=row, column=1).value = row - header_row
        _text_cell(sheet, row, 2, q.question)
        for k, answer in enumerate(answers):
            _text_cell(sheet, row, 3 + k, answer)
        sheet.cell(row=row, column=7).value = TIME_LIMIT
        sheet.cell(row=row, column=8).value = right + 1
        if q.explanation:
            export.drop("explanation", "Kahoot's sheet has no field for them")
        export.drop("difficulty", "Kahoot's sheet has no field for them")
    out = io.BytesIO()
    workbook.save(out)
    return out.getvalue()
