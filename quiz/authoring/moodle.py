"""Moodle XML, read and written: multiple choice, true/false, short answer and numerical.

Reading: the file is parsed by defusedxml with document types forbidden, so
no entity is ever expanded (billion laughs) and nothing is fetched (an
external entity): such a file is refused at once, located. An element flood
is refused past `MAX_ELEMENTS`. Each question keeps the line it starts on,
for the import's notes. A text in HTML (Moodle's usual format) has its tags
taken out; a ``plain_text`` one means itself.

Writing: every text is ``plain_text``, so Moodle shows it as written and it
is never markup; XML's own escaping is ElementTree's. A difficulty is a tag
(``easy``, ``medium``, ``hard``), read back as one. A text XML cannot hold
(a carriage return, a non-character) leaves its question out with a note.
"""

from __future__ import annotations

import re
import xml.etree.ElementTree as ET
from typing import Any

from quiz.authoring.exporting import Export, Exported, export_for
from quiz.authoring.gift import Skipped
from quiz.authoring.interchange import literal
from quiz.deckfile.limits import DIFFICULTIES
from quiz.model import Deck
from quiz.questions.question import TRUE

MAX_ELEMENTS = 400_000  # 20 a question for a full deck of 20,000; a flood costs a moment
_NOT_XML = re.compile("[^\t\n\x20-\ud7ff\ue000-\ufffd\U00010000-\U0010ffff]")
_BREAK = re.compile(r"<br\s*/?>|</p\s*>", re.IGNORECASE)
WHY_LEFT_OUT = "Moodle XML cannot hold a carriage return or a non-character in a text"


class _Lines(ET.TreeBuilder):
    """ElementTree's builder, noting the line each question starts on and counting elements."""

    def __init__(self) -> None:
        super().__init__()
        self.expat: Any = None
        self.count = 0

    def start(self, tag: str, attrs: dict[str, str]) -> ET.Element:
        self.count += 1
        if self.count > MAX_ELEMENTS:
            raise ValueError(
                f"line {self.line()}: this file has more than {MAX_ELEMENTS:,} XML elements; "
                "a deck's questions need far fewer"
            )
        if tag == "question":
            attrs = {**attrs, "quiz-line": str(self.line())}
        return super().start(tag, attrs)

    def line(self) -> int:
        return int(self.expat.CurrentLineNumber) if self.expat is not None else 0


def parse(data: bytes) -> ET.Element:
    """The root element of an XML file, parsed without entities, document types or fetches."""
    from defusedxml import DefusedXmlException
    from defusedxml.ElementTree import DefusedXMLParser

    builder = _Lines()
    parser = DefusedXMLParser(target=builder, forbid_dtd=True)
    builder.expat = parser.parser
    try:
        parser.feed(data)
        root: ET.Element = parser.close()
    except DefusedXmlException:
        raise ValueError(
            f"line {builder.line()}: this XML declares a document type or entities "
            "(<!DOCTYPE ...>, <!ENTITY ...>); Moodle XML has none, and quiz never expands "
            "or fetches them"
        ) from None
    except ET.ParseError as exc:
        line, column = exc.position
        message = str(exc).split(":")[0]
        raise ValueError(
            f"line {line}, column {column + 1}: this is not well-formed XML ({message})"
        ) from None
    return root


def _html_text(text: str) -> str:
    """Moodle's HTML as text: line breaks and paragraphs end a line, other tags go.
    Entities stay for interchange.build to decode once."""
    return _untagged(_BREAK.sub("\n", text)).strip()


def _untagged(text: str) -> str:
    """``text`` without its ``<...>`` tags, as ``re.sub(r"<[^>]*>", "")`` gives it, in
    linear time: that regex rescans to the end from every ``<`` when no ``>`` follows."""
    pieces: list[str] = []
    start = 0
    while (open_at := text.find("<", start)) != -1:
        close_at = text.find(">", open_at + 1)
        if close_at == -1:
            break
        pieces.append(text[start:open_at])
        start = close_at + 1
    pieces.append(text[start:])
    return "".join(pieces)


def _text(element: ET.Element | None) -> str:
    """The text of a Moodle text holder (``<questiontext format=...><text>``), as build reads it."""
    if element is None:
        return ""
    inner = element.find("text")
    text = (inner.text if inner is not None else element.text) or ""
    if element.get("format", "moodle_auto_format") == "plain_text":
        return literal(text)
    return _html_text(text)


def _fraction(answer: ET.Element) -> float:
    try:
        return float(answer.get("fraction", "0"))
    except ValueError:
        return -1.0


def _question(q: ET.Element) -> dict[str, Any] | Skipped | None:
    """One question as an item, why it cannot be one, or None for a category."""
    kind = q.get("type", "")
    where = f"line {q.get('quiz-line', '?')}"
    if kind == "category":
        return None
    item: dict[str, Any] = {
        "question": _text(q.find("questiontext")),
        "explanation": _text(q.find("generalfeedback")),
        "where": where,
    }
    for tag in q.iterfind("tags/tag"):
        word = (tag.findtext("text") or tag.text or "").strip().lower()
        if word in DIFFICULTIES:
            item["difficulty"] = word
    answers = [(a, _fraction(a), _text(a)) for a in q.iterfind("answer")]
    right = [text for _, fraction, text in answers if fraction == 100]
    partial = any(0 < fraction < 100 or fraction < 0 for _, fraction, _ in answers)
    if kind == "multichoice":
        if (q.findtext("single") or "true").strip().lower() in ("false", "0"):
            return Skipped("a question with several right answers cannot be a fact", where)
        if partial or len(right) != 1:
            return Skipped(
                "a multiple-choice question needs one right answer (100%) and no part marks", where
            )
        wrong = [text for _, fraction, text in answers if fraction == 0]
        return item | {"type": "multiple", "correct_answer": right[0], "incorrect_answers": wrong}
    if kind == "truefalse":
        if len(right) != 1 or right[0].lower() not in ("true", "false"):
            return Skipped("a true/false question needs true or false as its right answer", where)
        return item | {"type": "boolean", "correct_answer": right[0].capitalize()}
    if kind == "shortanswer":
        if partial or not right:
            return Skipped(
                "a short-answer question is read with its 100% answers only, and no part marks",
                where,
            )
        if any("*" in text for text in right):
            return Skipped(
                "a short answer with Moodle's wildcard * matches any text; quiz compares "
                "what is typed with the answers as written",
                where,
            )
        wrong = [text for _, fraction, text in answers if fraction == 0]
        typed = {"type": "typed", "correct_answer": right[0], "accept": right[1:]}
        return item | typed | {"incorrect_answers": wrong}
    if kind == "numerical":
        found = [a for a, fraction, _ in answers if fraction == 100]
        if partial or len(found) != 1:
            return Skipped("a numerical question is read only with one answer, worth 100%", where)
        value = (found[0].findtext("text") or "").strip()
        tolerance = (found[0].findtext("tolerance") or "").strip()
        tolerance = "" if tolerance in ("0", "") else tolerance
        if not re.fullmatch(r"-?[0-9]+", value) or not (
            tolerance == "" or (tolerance.isascii() and tolerance.isdigit())
        ):
            return Skipped(
                "a numerical question is read only with a whole number and tolerance", where
            )
        return item | {"type": "estimate", "correct_answer": value, "tolerance": tolerance}
    return Skipped(f"a {kind or 'untyped'} question cannot be a fact", where)


def read_moodle(data: bytes, limit: int) -> list[dict[str, Any] | Skipped]:
    """The questions of a Moodle XML file, each an item (with its line) or why it cannot be one."""
    root = parse(data.removeprefix(b"\xef\xbb\xbf"))
    if root.tag != "quiz":
        raise ValueError(f"this is not Moodle XML: its root element is <{root.tag}>, not <quiz>")
    out: list[dict[str, Any] | Skipped] = []
    for q in root.iterfind("question"):
        item = _question(q)
        if item is not None:
            out.append(item)
        if len(out) > limit:
            raise ValueError(
                f"this file has more than {limit:,} questions; a deck holds at most {limit:,}"
            )
    return out


# --- writing -------------------------------------------------------------------------


def _holder(parent: ET.Element, tag: str, text: str, **attrs: str) -> ET.Element:
    """``<tag format="plain_text"><text>text</text></tag>``: Moodle shows it as written."""
    element = ET.SubElement(parent, tag, {"format": "plain_text", **attrs})
    ET.SubElement(element, "text").text = text
    return element


def _answer(parent: ET.Element, fraction: int, text: str) -> ET.Element:
    answer = _holder(parent, "answer", text, fraction=str(fraction))
    _holder(answer, "feedback", "")
    return answer


def _fits(q: Exported) -> bool:
    texts = [q.question, q.right, *q.wrong, *q.accept, q.explanation]
    return not any("\r" in t or _NOT_XML.search(t) for t in texts)


def to_moodle(deck: Deck, kinds: list[str] | None = None, export: Export | None = None) -> str:
    """Moodle XML for Moodle's question bank import: one <question> per exported question."""
    export = export or export_for(deck, kinds, "moodle-xml")
    root = ET.Element("quiz")
    for n, q in enumerate(export.questions, 1):
        if not _fits(q):
            export.leave_out(q, WHY_LEFT_OUT)
            continue
        kind = {"boolean": "truefalse", "typed": "shortanswer", "estimate": "numerical"}
        element = ET.SubElement(root, "question", type=kind.get(q.kind, "multichoice"))
        _holder(element, "name", f"{deck.id}-{n:03d}")
        _holder(element, "questiontext", q.question)
        _holder(element, "generalfeedback", q.explanation)
        ET.SubElement(element, "defaultgrade").text = "1"
        if q.kind == "boolean":
            _answer(element, 100 if q.right == TRUE else 0, "true")
            _answer(element, 0 if q.right == TRUE else 100, "false")
        elif q.kind == "typed":
            ET.SubElement(element, "usecase").text = "0"
            for text in (q.right, *q.accept):
                _answer(element, 100, text)
        elif q.kind == "estimate":
            ET.SubElement(_answer(element, 100, q.right), "tolerance").text = str(q.tolerance)
        else:
            ET.SubElement(element, "single").text = "true"
            ET.SubElement(element, "shuffleanswers").text = "true"
            ET.SubElement(element, "answernumbering").text = "abc"
            _answer(element, 100, q.right)
            for wrong in q.wrong:
                _answer(element, 0, wrong)
        if q.difficulty:
            tags = ET.SubElement(element, "tags")
            ET.SubElement(ET.SubElement(tags, "tag"), "text").text = q.difficulty
    ET.indent(root)
    body = ET.tostring(root, encoding="unicode")
    return f'<?xml version="1.0" encoding="UTF-8"?>\n<!-- {_comment(deck.title)}: exported from quiz -->\n{body}\n'


def _comment(text: str) -> str:
    """A deck's title in an XML comment: never ``--``, never a character XML lacks."""
    return _NOT_XML.sub("", " ".join(text.split())).replace("--", "- -").strip("-") or "deck"
