"""Issue 22, round four: the attack classes an outside sweep (A1) found, each closed."""

from __future__ import annotations

from pathlib import Path

from tests.conftest import Cli

MEGABYTE = 1_000_000


def test_a_megabyte_of_inner_spaces_or_open_tags_imports_at_once(cli: Cli, tmp_path: Path) -> None:
    # Trimming and tag removal are linear: a regex `\s+\Z` or `<[^>]*>` rescans
    # every inner run, which on a megabyte of spaces or `<` takes hours, not seconds.
    spaces = " " * MEGABYTE
    aiken = tmp_path / "a.txt"
    choices = "A. w\nB. x\nC. y\nD. z\nANSWER: A\n"
    aiken.write_text(f"Q{spaces}?\n{choices}\nFine?\n{choices}")
    result = cli("import", "aiken", str(aiken), "--out", str(tmp_path / "a.toml"))
    assert result.code == 0 and "a.txt: line 1: skipped" in result.err, result.err
    assert "1 question, 1 skipped" in result.out
    moodle = tmp_path / "m.xml"
    question = (
        '<question type="multichoice"><questiontext format="{form}"><text>{text}</text>'
        '</questiontext><answer fraction="100"><text>w</text></answer>'
        + "".join(f'<answer fraction="0"><text>{c}</text></answer>' for c in "xyz")
        + "</question>\n"
    )
    moodle.write_text(
        '<?xml version="1.0"?>\n<quiz>\n'
        + question.format(form="plain_text", text=f"Q{spaces}?")
        + question.format(form="html", text="Q" + "&lt;" * (MEGABYTE // 4) + "?")
        + question.format(form="plain_text", text="Fine?")
        + "</quiz>\n"
    )
    result = cli("import", "moodle-xml", str(moodle), "--out", str(tmp_path / "m.toml"))
    assert result.code == 0 and "m.xml: line 3: skipped" in result.err, result.err
    assert "m.xml: line 4: skipped" in result.err and "1 question, 2 skipped" in result.out
