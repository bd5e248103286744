"""`quiz validate` reports every problem a deck has in one run (issue 23.19, 23.2, 23.21).

Before, a contributor fixed the typos, ran again, then saw the unknown source,
ran again, then the wrong-answer count. Each deck here holds problems of
three stages (reading or the schema, the references, the fair-question
rules), and one run must name them all, each on its own line.
"""

from __future__ import annotations

from pathlib import Path

import pytest

from tests.conftest import Cli

HEAD = """id = "three"
title = "Three Rounds"
subject = "Testing"
description = "A deck with a problem of each stage."

[[sources]]
id = "notes"
title = "Test notes"
date = "2020-05"
"""

TYPO = """
[[facts]]
id = "typo"
statement = "The team came third."
answer = { kind = "ordinal", value = 3, max = 12 }
questions = ["Where did the team finish?"]
explenation = "Third."
source = "notes"
"""

LOST_SOURCE = """
[[facts]]
id = "lost-source"
statement = "The meeting was in Paris."
answer = { kind = "text", value = "Paris" }
wrong = ["Rome", "Oslo", "Bern"]
questions = ["Where was the meeting?"]
explanation = "It was held in the town hall."
source = "note"
"""

FEW_WRONG = """
[[facts]]
id = "few-wrong"
statement = "The trophy was made of glass."
answer = { kind = "text", value = "Glass" }
wrong = ["Wood"]
questions = ["What was the trophy made of?"]
explanation = "It was blown by hand."
source = "notes"
"""


WRONG_SOURCE = 'source = "note"'
GLASS = 'value = "Glass"'


def line(text: str, needle: str, after: str = "") -> int:
    """The line of ``needle`` in ``text`` (its first one after ``after``)."""
    start = text.index(after) if after else 0
    return text.count("\n", 0, text.index(needle, start)) + 1


def shown(out: str) -> list[str]:
    return out.splitlines()


def has(lines: list[str], where: str, *words: str) -> bool:
    return any(ln.startswith(where) and all(w in ln for w in words) for ln in lines)


def test_typos_an_unknown_source_and_too_few_wrong_answers_in_one_run(
    cli: Cli, tmp_path: Path
) -> None:
    text = HEAD + TYPO + LOST_SOURCE + FEW_WRONG
    deck = tmp_path / "three.toml"
    deck.write_text(text, encoding="utf-8")
    result = cli("validate", str(deck))
    lines = shown(result.out)
    assert result.code == 1
    assert has(lines, f"{deck}:{line(text, 'explenation')}: [typo]", "unknown key 'explenation'")
    assert has(lines, f"{deck}:{line(text, WRONG_SOURCE)}: [lost-source]", "unknown source 'note'")
    assert has(lines, f"{deck}:{line(text, GLASS)}: [few-wrong]", "only 1 distinct wrong")
    # What the schema's errors kept from the later stages is said, not hidden.
    assert has(lines, f"{deck}:", "note: not checked yet", "'typo'", "fair-question rules")
    # A note is no fault: the count is of errors and warnings only.
    assert "4 errors, 0 warnings" in result.err


def test_a_folder_deck_reports_a_broken_fact_file_beside_the_others_problems(
    cli: Cli, tmp_path: Path
) -> None:
    folder = tmp_path / "deck"
    folder.mkdir()
    (folder / "deck.toml").write_text(HEAD + 'colour = "red"\n', encoding="utf-8")
    (folder / "a-broken.toml").write_text('[[facts]]\nid = "x\n', encoding="utf-8")
    (folder / "b-facts.toml").write_text(TYPO + LOST_SOURCE + FEW_WRONG, encoding="utf-8")
    facts = (folder / "b-facts.toml").read_text(encoding="utf-8")
    result = cli("validate", str(folder))
    lines = shown(result.out)
    assert result.code == 1
    assert has(lines, f"{folder / 'a-broken.toml'}:2:", "not valid TOML")
    assert has(lines, f"{folder / 'a-broken.toml'}:2:", "note: not checked yet", "this file")
    assert has(lines, f"{folder / 'deck.toml'}:", "unknown key 'colour'")
    assert has(lines, f"{folder / 'b-facts.toml'}:{line(facts, 'explenation')}:", "explenation")
    assert has(lines, f"{folder / 'b-facts.toml'}:{line(facts, WRONG_SOURCE)}:", "unknown source")
    assert has(lines, f"{folder / 'b-facts.toml'}:{line(facts, GLASS)}:", "only 1")


def test_an_id_used_twice_names_the_first_ones_line_even_past_schema_errors(
    cli: Cli, tmp_path: Path
) -> None:
    twice = LOST_SOURCE.replace('"note"', '"notes"').replace('"lost-source"', '"typo"')
    text = HEAD + TYPO + twice
    deck = tmp_path / "twice.toml"
    deck.write_text(text, encoding="utf-8")
    result = cli("validate", str(deck))
    first = line(text, 'id = "typo"')
    second = line(text, 'id = "typo"', after="explenation")
    assert has(
        shown(result.out), f"{deck}:{second}: [typo]", f"used twice (also fact #1, line {first})"
    )


def test_dates_a_source_cannot_have_are_warned_about_on_their_lines(
    cli: Cli, tmp_path: Path
) -> None:
    later = """
[[sources]]
id = "tomorrow"
title = "Tomorrow's paper"
date = "2999-01-01"

[[facts]]
id = "opening"
statement = "The stadium opened in 2021."
answer = { kind = "year", value = 2021 }
questions = ["In which year did the stadium open?"]
explanation = "It took four years to build."
source = "notes"

[[facts]]
id = "coach"
statement = "The coach was called Ann."
answer = { kind = "text", value = "Ann" }
wrong = ["Bea", "Cat", "Dot"]
questions = ["Who was the coach?"]
explanation = "She had coached for ten years."
source = "tomorrow"
"""
    text = HEAD + later
    deck = tmp_path / "dates.toml"
    deck.write_text(text, encoding="utf-8")
    result = cli("validate", "--strict", str(deck))
    lines = shown(result.out)
    assert result.code == 1
    assert has(
        lines,
        f"{deck}:{line(text, 'value = 2021')}: [opening] warning:",
        "2021 is after the date of its source 'notes' (2020-05)",
    )
    assert has(lines, f"{deck}:{line(text, '2999-01-01')}: warning:", "dated 2999-01-01", "future")


def test_a_word_the_sources_title_gives_away_is_warned_about_on_the_sources_line(
    cli: Cli, tmp_path: Path
) -> None:
    text = (
        HEAD.replace('title = "Test notes"', 'title = "Notes from the Paris meeting"')
        + LOST_SOURCE.replace('"note"', '"notes"')
        + FEW_WRONG.replace('wrong = ["Wood"]', 'wrong = ["Wood", "Steel", "Clay"]')
    )
    deck = tmp_path / "giveaway.toml"
    deck.write_text(text, encoding="utf-8")
    lines = shown(cli("validate", str(deck)).out)
    assert has(
        lines,
        f"{deck}:{line(text, '[[sources]]')}: [lost-source] warning:",
        "source 'notes' shows \"paris\"",
    )


def test_a_file_that_is_not_toml_says_what_it_could_not_check(cli: Cli, tmp_path: Path) -> None:
    deck = tmp_path / "broken.toml"
    deck.write_text(HEAD + "[[facts]\n", encoding="utf-8")
    result = cli("validate", str(deck))
    assert result.code == 1
    (error, note) = shown(result.out)
    assert "not valid TOML" in error
    assert "note: not checked yet" in note and "the schema, the references" in note
    assert "1 error, 0 warnings" in result.err


def test_github_annotations_name_files_from_the_repository_root(
    cli: Cli, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    repo = tmp_path / "repo"
    (repo / ".git").mkdir(parents=True)
    (repo / "questions").mkdir()
    deck = repo / "questions" / "three.toml"
    deck.write_text(HEAD + LOST_SOURCE, encoding="utf-8")
    elsewhere = tmp_path / "elsewhere"
    elsewhere.mkdir()
    monkeypatch.chdir(elsewhere)
    monkeypatch.delenv("GITHUB_WORKSPACE", raising=False)
    result = cli("validate", "--format", "github", str(deck))
    assert result.code == 1
    assert any(ln.startswith("::error file=questions/three.toml,line=") for ln in shown(result.out))
    assert str(tmp_path) not in result.out


def test_stats_for_a_deck_that_does_not_exist_says_so(cli: Cli) -> None:
    result = cli("stats", "--deck", "nope")
    assert result.code == 1
    assert "there is no deck 'nope'" in result.err and "amber-balcaen" in result.err
    # A real deck nobody has played yet is no error.
    result = cli("stats", "--deck", "amber-balcaen")
    assert result.code == 0 and "no answers yet" in result.out
