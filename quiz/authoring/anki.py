"""Anki review decks (.apkg): a deck's facts, or a player's review pile, as Anki notes.

One note per fact, one card per form: the note type has a pair of fields
(front, back) for each form a question can take, and one card template per
form, which Anki fills only when its front field is not empty. So a fact is
one note in Anki's browser, its forms are cards reviewed apart, and the
explanation and the source are written once, on every card's back. Timeline
questions ask about several facts, so a deck's export leaves them out (a
review pile keeps the one a player missed).

Ids are stable: the note type's id is fixed, a deck's Anki id comes from its
deck id, a note's guid from the deck id and the fact id (and the player's name
key, for a review pile), so importing a new export into Anki updates the
notes already there instead of adding copies.

Anki fields are HTML: every text from a deck or a save goes through `field`,
the one function that makes it safe there. genanki is imported only when a
file is written.
"""

from __future__ import annotations

import hashlib
import html
import sqlite3
import tempfile
import time
import zipfile
from collections.abc import Iterable, Sequence
from dataclasses import dataclass
from dataclasses import field as dataclass_field
from pathlib import Path
from typing import Any

from quiz.authoring.exporting import given_explanation
from quiz.model import Deck, Fact
from quiz.questions.generate import Generator
from quiz.questions.question import Question
from quiz.text import clean, plural

# Every form a question takes, in the order a note's cards are made.
FORMS = ("multiple", "reverse", "boolean", "timeline", "typed", "estimate", "order")
# A deck's export asks each fact in its own forms; a timeline question asks several.
DECK_FORMS = tuple(f for f in FORMS if f != "timeline")
MODEL_NAME = "quiz fact (one card per form)"
LETTERS = "ABCDEFGHIJKLMNOPQRSTUVWXYZ"

CSS = """\
.card { font-family: sans-serif; font-size: 20px; text-align: left; color: #111; background: #fff; }
.prompt { font-weight: bold; margin-bottom: .6em; }
ol.choices { list-style: upper-alpha; }
.right { font-weight: bold; color: #1a5e20; }
.explanation { margin-top: .8em; }
.source { margin-top: .6em; font-size: 14px; color: #555; }
"""


def field(text: object) -> str:
    """Deck or save text as an Anki field holds it: display-safe (`quiz.text.clean`), then
    HTML-escaped, so ``<script>`` and ``&amp;`` show as written and never as markup."""
    return html.escape(clean(str(text)), quote=True)


def stable_id(*parts: str) -> int:
    """A 31-bit id (Anki's model and deck ids) that is the same for the same parts."""
    digest = hashlib.sha256("\x1f".join(parts).encode("utf-8")).digest()
    return (1 << 30) + int.from_bytes(digest[:4], "big") % (1 << 30)


def tag(text: str) -> str:
    """A tag Anki keeps as one word: no spaces, and display-safe."""
    return "_".join(clean(text).split()) or "_"


def deck_name(*parts: str) -> str:
    """An Anki deck name from text: ``::`` makes subdecks in Anki, so it is only ours."""
    words = [
        " ".join(clean(p).replace("::", ":").replace("<", "").replace(">", "").split())
        for p in parts
    ]
    return "::".join(w or "?" for w in words)


MODEL_ID = stable_id("quiz", "model", "1")


@dataclass
class Card:
    """One form of a fact: its front and back, as Anki HTML."""

    form: str
    front: str
    back: str


@dataclass
class Note:
    """One fact as an Anki note: its cards by form, its explanation and source, its tags."""

    guid_parts: tuple[str, ...]
    fact: str
    cards: dict[str, Card] = dataclass_field(default_factory=dict)
    explanation: str = ""
    source: str = ""
    tags: list[str] = dataclass_field(default_factory=list)

    def fields(self) -> list[str]:
        out = [field(self.fact)]
        for form in FORMS:
            card = self.cards.get(form)
            out.extend([card.front, card.back] if card is not None else ["", ""])
        return [*out, field(self.explanation), field(self.source)]


def front(q: Question) -> str:
    """The question side: the prompt, and the choices or items where the form shows them."""
    parts = [f'<div class="prompt">{field(q.prompt)}</div>']
    if q.kind in ("multiple", "reverse", "timeline", "order") and q.choices:
        items = "".join(f"<li>{field(c)}</li>" for c in q.choices)
        parts.append(f'<ol class="choices">{items}</ol>')
    if q.kind == "estimate" and q.low is not None and q.high is not None:
        parts.append(f"<div>(from {q.low:,} to {q.high:,})</div>")
    return "".join(parts)


def back(q: Question) -> str:
    """The answer side: the right answer as the game shows it, and what else counts."""
    parts = [f'<div class="right">{field(q.right)}</div>']
    if q.kind in ("multiple", "reverse", "timeline") and 0 <= q.answer < len(q.choices):
        parts[0] = f'<div class="right">{LETTERS[q.answer]}. {field(q.right)}</div>'
    if q.kind == "typed" and len(q.accept) > 1:
        parts.append(f"<div>Also accepted: {'; '.join(field(a) for a in q.accept[1:])}</div>")
    if q.kind == "estimate" and q.tolerance:
        parts.append(f"<div>Part of the points within {q.tolerance:,}</div>")
    return "".join(parts)


def note_for(fact: Fact, questions: Iterable[Question], guid_parts: tuple[str, ...]) -> Note:
    """A fact's note from its questions: the first question of each form makes its card."""
    # An import's stand-in ("No explanation was given.") is no explanation on a card's back.
    note = Note(guid_parts, fact.id, explanation=given_explanation(fact))
    for q in questions:
        if q.kind in FORMS and q.kind not in note.cards:
            note.cards[q.kind] = Card(q.kind, front(q), back(q))
            note.source = note.source or q.source
    return note


@dataclass
class AnkiDeck:
    """What goes into one .apkg: a deck's name and id, and its notes."""

    name: str
    deck_id: int
    notes: list[Note]
    left_out: int = 0  # timeline questions, which ask about several facts

    def cards(self) -> int:
        return sum(len(n.cards) for n in self.notes)

    def summary(self) -> str:
        """ "12 notes, 31 cards" for the line an export prints."""
        return f"{plural(len(self.notes), 'note')}, {plural(self.cards(), 'card')}"


def from_deck(deck: Deck) -> AnkiDeck:
    """A deck's facts, one note each, a card for each form it gives (timeline aside)."""
    generator = Generator(deck, 0)
    notes = []
    left_out = 0
    for fact in deck.facts:
        questions = []
        for qid in generator.forms(fact):
            question = generator.build(fact, qid)
            if question is None:
                continue
            if question.kind in DECK_FORMS:
                questions.append(question)
            else:
                left_out += 1
        note = note_for(fact, questions, ("quiz", deck.id, fact.id))
        if note.cards:
            note.tags = [tag(deck.id)]
            notes.append(note)
    out = AnkiDeck(deck_name("quiz", deck.title), stable_id("quiz", "deck", deck.id), notes)
    out.left_out = left_out
    return out


def from_pile(
    deck: Deck, player: str, player_key: str, pile: dict[str, int], questions: list[Question]
) -> AnkiDeck:
    """A player's review pile on one deck: a note per fact missed, a card per form missed,
    tagged with the fact's Leitner box (``box-1``: just missed; ``box-2``: right once since;
    a fact's box is its lowest form's). ``pile`` maps question ids to their box."""
    facts = {f.id: f for f in deck.facts}
    by_fact: dict[str, list[Question]] = {}
    for q in questions:
        by_fact.setdefault(q.fact, []).append(q)
    notes = []
    for fact_id, asked in by_fact.items():
        note = note_for(facts[fact_id], asked, ("quiz", "review", deck.id, player_key, fact_id))
        box = min(pile.get(q.id, 1) for q in asked)
        note.tags = [tag(deck.id), f"box-{box}"]
        notes.append(note)
    return AnkiDeck(
        deck_name("quiz", deck.title, f"review: {player}"),
        stable_id("quiz", "review", deck.id, player_key),
        notes,
    )


def _model() -> Any:
    import genanki

    fields = [{"name": "Fact"}]
    for form in FORMS:
        fields += [{"name": f"{form} front"}, {"name": f"{form} back"}]
    fields += [{"name": "Explanation"}, {"name": "Source"}]
    templates = [
        {
            "name": form,
            "qfmt": f"{{{{{form} front}}}}",
            "afmt": (
                f'{{{{FrontSide}}}}<hr id="answer">{{{{{form} back}}}}'
                '<div class="explanation">{{Explanation}}</div>'
                '<div class="source">{{Source}}</div>'
            ),
        }
        for form in FORMS
    ]
    return genanki.Model(MODEL_ID, MODEL_NAME, fields=fields, templates=templates, css=CSS)


def package(decks: Sequence[AnkiDeck], timestamp: float | None = None) -> bytes:
    """The .apkg file's bytes: Anki's collection (SQLite) in a zip, as genanki lays it out."""
    import genanki

    model = _model()
    built = []
    for one in decks:
        anki_deck = genanki.Deck(one.deck_id, one.name)
        for note in one.notes:
            anki_deck.add_note(
                genanki.Note(
                    model=model,
                    fields=note.fields(),
                    guid=genanki.guid_for(*note.guid_parts),
                    tags=note.tags,
                )
            )
        built.append(anki_deck)
    stamp = time.time() if timestamp is None else timestamp
    import io
    import itertools

    # genanki's write_to_file leaves its temporary database behind: ours is removed.
    with tempfile.TemporaryDirectory(prefix="quiz-anki-") as tmp:
        db = Path(tmp) / "collection.anki2"
        conn = sqlite3.connect(db)
        try:
            genanki.Package(built).write_to_db(
                conn.cursor(), stamp, itertools.count(int(stamp * 1000))
            )
            conn.commit()
        finally:
            conn.close()
        out = io.BytesIO()
        with zipfile.ZipFile(out, "w", zipfile.ZIP_DEFLATED) as zipped:
            zipped.write(db, "collection.anki2")
            zipped.writestr("media", "{}")
    return out.getvalue()
