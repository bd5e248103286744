"""`quiz add-fact`, driven through stdin as a contributor would type."""

from __future__ import annotations

import shutil
from pathlib import Path

import pytest

from quiz.authoring.validate import check_file
from quiz.deckfile.read import load_deck
from tests.conftest import BUNDLED, DATA, FIXED, MINI, Cli, run_quiz

ANSWERS = [
    "fx-balcaen-age",  # taken: asked again
    "Bad Id",  # not a slug: asked again
    "balcaen-kansas-points",
    "Balcaen scored points at Kansas after breaking her foot.",
    "text",
    "A top-ten finish",
    "What kind of result did Balcaen get at Kansas the weekend after Dover?",
    "The claim has no placeholder.",  # no {answer}: asked again
    "At Kansas the weekend after Dover, Balcaen got {answer}.",
    "A win",
    "A podium finish",
    "A did-not-finish",
    "",
    "She finished eighth, a top ten.",
    "",  # the only source is the default
    "2024, kansas",
    "",  # medium
]


def test_add_fact_appends_a_valid_fact_and_keeps_comments(tmp_path: Path) -> None:
    deck = tmp_path / "amber.toml"
    original = FIXED.read_text(encoding="utf-8")
    deck.write_text(original, encoding="utf-8")
    result = run_quiz("add-fact", str(deck), stdin="\n".join(ANSWERS) + "\n")
    assert result.code == 0, result.out + result.err
    assert "the fact id 'fx-balcaen-age' is used twice" in result.out  # validate's own rule
    assert "lower-case letters, digits and single hyphens" in result.out
    assert "must contain {answer} exactly once" in result.out
    assert "Added 'balcaen-kansas-points'" in result.out
    text = deck.read_text(encoding="utf-8")
    assert text.startswith(original.rstrip("\n"))  # every comment and line kept as it was
    assert "# --- Kansas, the very next weekend" in text
    checked = check_file(deck)
    assert checked.errors == [], [str(p) for p in checked.errors]
    assert checked.deck is not None and checked.deck.facts[-1].id == "balcaen-kansas-points"
    assert checked.deck.facts[-1].wrong == ("A win", "A podium finish", "A did-not-finish")
    assert [p.name for p in tmp_path.iterdir()] == [
        "amber.toml"
    ]  # a single-file deck stays one file


def test_add_fact_stopped_midway_writes_nothing(cli: Cli, tmp_path: Path) -> None:
    deck = tmp_path / "amber.toml"
    deck.write_text(FIXED.read_text(encoding="utf-8"), encoding="utf-8")
    before = deck.read_bytes()
    result = cli("add-fact", str(deck), stdin="balcaen-new\nHalf a fact.\n")
    assert result.code == 1
    assert "nothing was written" in result.out
    assert deck.read_bytes() == before


def test_add_fact_to_a_broken_deck_says_what_to_fix(cli: Cli, tmp_path: Path) -> None:
    deck = tmp_path / "amber.toml"
    deck.write_text('id = "x"\ntitle = 3\n', encoding="utf-8")
    result = cli("add-fact", str(deck), stdin="")
    assert result.code == 1
    assert f"{deck}:2:" in result.err and "Traceback" not in result.err


def test_add_fact_asks_again_for_a_bad_field_and_keeps_the_rest(cli: Cli, tmp_path: Path) -> None:
    deck = tmp_path / "amber.toml"
    deck.write_text(FIXED.read_text(encoding="utf-8"), encoding="utf-8")
    answers = [
        "balcaen-kansas-points",
        "Balcaen scored points at Kansas after breaking her foot.",
        "text",
        "A top-ten finish",
        "What kind of result did Balcaen get at Kansas the weekend after Dover?",
        "At Kansas the weekend after Dover, Balcaen got {answer}.",
        "A top-ten finish",  # the answer itself: the wrong answers are asked again at once
        "A podium finish",
        "A did-not-finish",
        "",
        "A win",  # the wrong answers, typed again
        "A podium finish",
        "A did-not-finish",
        "",
        "She finished eighth, a top ten.",
        "",
        "2024, Kansas",  # not a slug: asked again at once
        "2024, kansas",
        "",
    ]
    result = cli("add-fact", str(deck), stdin="\n".join(answers) + "\n")
    assert result.code == 0, result.out + result.err
    assert "use lower-case words joined by hyphens" in result.out
    assert "is also listed among its wrong answers" in result.out
    assert "Type the wrong answers again:" in result.out
    checked = check_file(deck)
    assert checked.errors == []
    assert checked.deck is not None
    fact = checked.deck.facts[-1]
    assert fact.tags == ("2024", "kansas")
    assert fact.wrong == ("A win", "A podium finish", "A did-not-finish")


def test_add_fact_takes_a_bundled_deck_id(cli: Cli) -> None:
    bundled = load_deck(BUNDLED)
    result = cli("add-fact", bundled.id, stdin="")
    assert f"Adding a fact to {bundled.title}" in result.out
    assert "nothing was written" in result.out and "no such file" not in result.err
    unknown = cli("add-fact", "no-such-deck", stdin="")
    assert unknown.code == 1 and "no deck file or bundled deck called 'no-such-deck'" in unknown.err


def test_a_new_id_another_deck_has_is_refused_by_validates_rule(cli: Cli, tmp_path: Path) -> None:
    """`quiz validate` wants fact ids unique across decks: a bundled deck's, or a deck's beside it."""
    deck = tmp_path / "amber.toml"
    deck.write_text(FIXED.read_text(encoding="utf-8"), encoding="utf-8")
    (tmp_path / "mini.toml").write_text(MINI.read_text(encoding="utf-8"), encoding="utf-8")
    beside = load_deck(MINI).facts[0].id
    bundled = load_deck(BUNDLED).facts[0].id
    result = cli("add-fact", str(deck), stdin=f"{beside}\n{bundled}\n")
    assert f"the fact id '{beside}' is already used in {tmp_path / 'mini.toml'}" in result.out
    assert f"the fact id '{bundled}' is already used in " in result.out
    assert result.code == 1 and "nothing was written" in result.out


def test_a_crlf_deck_keeps_its_line_ending(cli: Cli, tmp_path: Path) -> None:
    deck = tmp_path / "amber.toml"
    original = FIXED.read_bytes().replace(b"\n", b"\r\n")
    deck.write_bytes(original)
    result = cli("add-fact", str(deck), stdin="\n".join(ANSWERS) + "\n")
    assert result.code == 0, result.out + result.err
    written = deck.read_bytes()
    assert written.startswith(original)
    added = written[len(original) :]
    assert b"[[facts]]" in added and added.count(b"\n") == added.count(b"\r\n")
    assert check_file(deck).errors == []


def test_a_folder_decks_messages_name_its_own_files(cli: Cli, tmp_path: Path) -> None:
    folder = tmp_path / "deck"
    shutil.copytree(DATA / "decks" / "good" / "folder-deck", folder)
    taken = load_deck(folder).facts[0].id
    result = cli("add-fact", str(folder), stdin=f"{taken}\n")
    assert f"the fact id '{taken}' is used twice (also fact #1, {folder}" in result.out
    assert "quiz-add-fact-" not in result.out  # never the copy it checks in


def test_the_last_hint_is_a_preview_command_that_runs_as_printed(
    cli: Cli, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    from tests.ui.test_round3_play import _fake_quiz

    _fake_quiz(tmp_path)
    deck = tmp_path / "my deck.toml"
    deck.write_text(FIXED.read_text(encoding="utf-8"), encoding="utf-8")
    monkeypatch.chdir(tmp_path)
    monkeypatch.setenv("PWD", str(tmp_path))
    monkeypatch.setenv("PATH", str(tmp_path / "empty"))
    # A fresh clone runs .venv/bin/quiz, which is not on PATH (newcomer N4, as issue 23's 15).
    monkeypatch.setattr("sys.argv", [".venv/bin/quiz", "add-fact"])
    result = cli("add-fact", str(deck), stdin="\n".join(ANSWERS[2:]) + "\n")
    assert result.code == 0, result.out + result.err
    hint = f".venv/bin/quiz preview --deck '{deck}' --fact balcaen-kansas-points"
    assert result.out.rstrip().endswith(f"See its questions with: {hint}")
