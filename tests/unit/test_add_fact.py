"""`quiz add-fact`, driven through stdin as a contributor would type."""

from __future__ import annotations

from pathlib import Path

from quiz.validate import check_file
from tests.conftest import BUNDLED, Cli, run_quiz

ANSWERS = [
    "balcaen-age",  # taken: asked again
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
    original = BUNDLED.read_text(encoding="utf-8")
    deck.write_text(original, encoding="utf-8")
    result = run_quiz("add-fact", str(deck), stdin="\n".join(ANSWERS) + "\n")
    assert result.code == 0, result.out + result.err
    assert "'balcaen-age' is already used" in result.out
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
    deck.write_text(BUNDLED.read_text(encoding="utf-8"), encoding="utf-8")
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
