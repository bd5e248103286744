"""Anki decks (.apkg), read back as Anki reads them: a zip holding collection.anki2 (SQLite)."""

from __future__ import annotations

import dataclasses
import json
import sqlite3
import zipfile
from pathlib import Path
from typing import Any

from quiz.authoring import anki
from quiz.deckfile.read import load_deck
from quiz.disk.files import atomic_write_bytes
from quiz.saves.folder import SaveFolder
from quiz.session import start_game
from tests.conftest import FIXED, Cli

DECK = load_deck(FIXED)
HOSTILE = "<script>alert(1)</script> [b]bold[/b] \x1b[31mred & 'q'"


def read_apkg(path: Path, tmp_path: Path) -> dict[str, Any]:
    """What Anki's importer sees: notes (fields split on 0x1f), cards, decks, note types."""
    with zipfile.ZipFile(path) as zipped:
        assert "collection.anki2" in zipped.namelist()
        db = tmp_path / f"{path.stem}.anki2"
        db.write_bytes(zipped.read("collection.anki2"))
    conn = sqlite3.connect(db)
    try:
        notes = [
            {"id": nid, "guid": guid, "fields": flds.split("\x1f"), "tags": tags.split()}
            for nid, guid, flds, tags in conn.execute("select id, guid, flds, tags from notes")
        ]
        cards = conn.execute("select nid, did, ord from cards").fetchall()
        decks_json, models_json = conn.execute("select decks, models from col").fetchone()
    finally:
        conn.close()
    decks = {int(k): v["name"] for k, v in json.loads(decks_json).items()}
    models = json.loads(models_json)
    return {"notes": notes, "cards": cards, "decks": decks, "models": models}


def test_a_deck_exports_a_note_per_fact_and_a_card_per_form(cli: Cli, tmp_path: Path) -> None:
    out = tmp_path / "deck.apkg"
    result = cli("export", str(FIXED), "--format", "anki", "--out", str(out))
    assert result.code == 0, result.err
    got = read_apkg(out, tmp_path)
    assert len(got["notes"]) == len(DECK.facts)
    by_fact = {n["fields"][0]: n for n in got["notes"]}
    assert set(by_fact) == {f.id for f in DECK.facts}
    (model,) = got["models"].values()
    names = [f["name"] for f in model["flds"]]
    assert names[-2:] == ["Explanation", "Source"]
    # Every card is one of the note's filled fronts: one per form the fact gives.
    fronts = {
        n["id"]: [k for k, form in enumerate(anki.FORMS) if n["fields"][1 + 2 * k]]
        for n in got["notes"]
    }
    cards: dict[int, list[int]] = {}
    for nid, _did, ordinal in got["cards"]:
        cards.setdefault(nid, []).append(ordinal)
    assert {k: sorted(v) for k, v in cards.items()} == fronts
    age = by_fact["fx-balcaen-age"]
    multiple = age["fields"][1 + 2 * anki.FORMS.index("multiple")]
    assert "How old was Amber Balcaen" in multiple and "<li>33</li>" in multiple
    assert "33" in age["fields"][2 + 2 * anki.FORMS.index("multiple")]
    fact = next(f for f in DECK.facts if f.id == "fx-balcaen-age")
    assert age["fields"][-2] == anki.field(fact.explanation)
    assert "Article on Amber Balcaen" in age["fields"][-1]
    assert all(n["fields"][1 + 2 * anki.FORMS.index("timeline")] == "" for n in got["notes"])
    assert "timeline question" in result.err and "left out" in result.err
    assert list(got["decks"].values()).count("quiz::" + DECK.title) == 1


def test_a_re_export_keeps_every_id_so_anki_updates_instead_of_copying(
    cli: Cli, tmp_path: Path
) -> None:
    first, second = tmp_path / "a.apkg", tmp_path / "b.apkg"
    assert cli("export", str(FIXED), "--format", "anki", "--out", str(first)).code == 0
    assert cli("export", str(FIXED), "--format", "anki", "--out", str(second)).code == 0
    a, b = read_apkg(first, tmp_path), read_apkg(second, tmp_path)
    assert {n["guid"] for n in a["notes"]} == {n["guid"] for n in b["notes"]}
    assert len({n["guid"] for n in a["notes"]}) == len(DECK.facts)
    assert a["models"].keys() == b["models"].keys()
    assert a["decks"] == b["decks"]
    # Without --force an existing file is never replaced.
    again = cli("export", str(FIXED), "--format", "anki", "--out", str(first))
    assert again.code == 1 and "--force" in again.err and "Traceback" not in again.err


def test_hostile_text_is_escaped_in_every_field_and_the_deck_name(tmp_path: Path) -> None:
    facts = [
        dataclasses.replace(f, explanation=HOSTILE, source=HOSTILE, questions=(HOSTILE,))
        for f in DECK.facts[:3]
    ]
    deck = dataclasses.replace(DECK, facts=tuple(facts), title=HOSTILE)
    built = anki.from_deck(deck)
    out = tmp_path / "hostile.apkg"
    atomic_write_bytes(out, anki.package([built]))
    got = read_apkg(out, tmp_path)
    assert got["notes"]
    for note in got["notes"]:
        for text in note["fields"]:
            assert "<script>" not in text and "\x1b" not in text
        assert "&lt;script&gt;alert(1)&lt;/script&gt; [b]bold[/b]" in note["fields"][-2]
        assert "&amp;" in note["fields"][-1]
    name = [n for n in got["decks"].values() if n.startswith("quiz::")][0]
    assert "<" not in name and "\x1b" not in name and "[b]bold[/b]" in name


def test_a_review_pile_exports_with_each_facts_leitner_box(cli: Cli, tmp_path: Path) -> None:
    saves = SaveFolder(tmp_path / "saves")
    player = "<b>Ann</b> [b]"
    first = start_game(DECK, saves, player, count=3, seed=1)
    ids = [q.id for q in first.questions]
    for q, right in zip(first.questions, [False, False, True], strict=True):
        first.answer(q.answer if right else (q.answer + 1) % len(q.choices), 1)
    saves.save_finished(first)
    second = start_game(DECK, saves, player, count=3, seed=1)
    assert [q.id for q in second.questions] == ids
    for q, right in zip(second.questions, [True, False, True], strict=True):
        second.answer(q.answer if right else (q.answer + 1) % len(q.choices), 1)
    saves.save_finished(second)

    out = tmp_path / "ann.apkg"
    result = cli(
        "review", "export", "--player", player, "--format", "anki",
        "--saves", str(tmp_path / "saves"), "--deck", str(FIXED), "--out", str(out),
    )  # fmt: skip
    assert result.code == 0, result.err
    got = read_apkg(out, tmp_path)
    facts = {n["fields"][0]: sorted(n["tags"]) for n in got["notes"]}
    assert facts == {
        ids[0].split("/")[0]: ["box-2", DECK.id],
        ids[1].split("/")[0]: ["box-1", DECK.id],
    }
    assert len(got["cards"]) == 2
    (name,) = [n for n in got["decks"].values() if n.startswith("quiz::")]
    assert name.endswith("review: bAnn/b [b]")
    # Its ids differ from the deck's export, so a review deck never overwrites the deck's notes.
    assert (
        cli("export", str(FIXED), "--format", "anki", "--out", str(tmp_path / "d.apkg")).code == 0
    )
    deck_guids = {n["guid"] for n in read_apkg(tmp_path / "d.apkg", tmp_path)["notes"]}
    assert not deck_guids & {n["guid"] for n in got["notes"]}
    # Without --deck only bundled decks are read (a save never opens a file): it says so.
    without = cli(
        "review", "export", "--player", player, "--format", "anki",
        "--saves", str(tmp_path / "saves"), "--out", str(tmp_path / "x.apkg"),
    )  # fmt: skip
    assert without.code == 1 and "nothing to review" not in without.err
    assert f"played only decks that are not bundled ({DECK.id}); name one with --deck PATH" in (
        without.err
    )


def test_review_export_refuses_bad_names_and_an_empty_pile_clearly(
    cli: Cli, tmp_path: Path
) -> None:
    saves = str(tmp_path / "saves")
    base = (
        "review",
        "export",
        "--format",
        "anki",
        "--saves",
        saves,
        "--out",
        str(tmp_path / "r.apkg"),
    )
    bad = cli(*base, "--player", "Ann\u202e")
    assert bad.code == 1 and "player name" in bad.err and "Traceback" not in bad.err
    # Never played here (a teacher who forgot --saves): said so, not "nothing to review".
    nobody = cli(*base, "--player", "Nobody", "--deck", str(FIXED))
    assert nobody.code == 1 and f"no games by 'Nobody' in {saves}" in nobody.err, nobody.err
    assert "--saves DIR" in nobody.err and "nothing to review" not in nobody.err
    # Played, all right: nothing to review.
    folder = SaveFolder(tmp_path / "saves")
    game = start_game(DECK, folder, "Ann", count=3, seed=1)
    for q in game.questions:
        game.answer(q.answer, 1)
    folder.save_finished(game)
    empty = cli(*base, "--player", "Ann", "--deck", str(FIXED))
    assert empty.code == 1 and "'Ann' has nothing to review" in empty.err, empty.err
    assert not (tmp_path / "r.apkg").exists()


def test_a_kahoot_quiz_exports_to_anki_as_the_teacher_wrote_it(cli: Cli, tmp_path: Path) -> None:
    from tests.unit.test_kahoot import template

    sheet = template(
        tmp_path / "class.xlsx",
        [
            ("Which planet is largest?", "Mars", "Jupiter", "Venus", "Earth", 20, 2),
            ("The sun is a star.", "True", "False", None, None, 10, 1),
        ],
    )
    deck = tmp_path / "class.toml"
    assert cli("import", "kahoot", str(sheet), "--out", str(deck)).code == 0
    out = tmp_path / "class.apkg"
    result = cli("export", str(deck), "--format", "anki", "--out", str(out))
    assert result.code == 0, result.err
    notes = {n["fields"][0]: n["fields"] for n in read_apkg(out, tmp_path)["notes"]}
    multiple, boolean = anki.FORMS.index("multiple"), anki.FORMS.index("boolean")
    first, second = notes["class-001"], notes["class-002"]
    assert "Which planet is largest?" in first[1 + 2 * multiple]
    for planet in ("Mars", "Jupiter", "Venus", "Earth"):
        assert f"<li>{planet}</li>" in first[1 + 2 * multiple]  # the teacher's four choices
    assert "Jupiter" in first[2 + 2 * multiple]
    assert [k for k in range(len(anki.FORMS)) if first[1 + 2 * k]] == [multiple]  # never typed
    assert "The sun is a star." in second[1 + 2 * boolean] and "True" in second[2 + 2 * boolean]
    # No stand-in text on the back where the sheet had no explanation.
    assert first[-2] == ""
    assert "Imported from class.xlsx" in first[-1]
