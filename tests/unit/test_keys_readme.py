"""One home for the key list: the bindings. The help is built from them; the README must agree."""

from __future__ import annotations

import re

from quiz.tui.app import QuizApp
from quiz.tui.keys import all_keys, help_rows, help_sources, key_name
from tests.conftest import ROOT


def readme_keys() -> set[str]:
    text = (ROOT / "README.md").read_text(encoding="utf-8")
    table = text.split("### Keys", 1)[1].split("\n\n", 2)[1]
    keys: set[str] = set()
    for line in table.splitlines()[2:]:
        cell = line.split("|")[1]
        # `1`-`4` is 1, 2, 3 and 4.
        for first, last in re.findall(r"`(.)`-`(.)`", cell):
            keys.update(chr(c) for c in range(ord(first), ord(last) + 1))
        keys.update(re.findall(r"`([^`]+)`", cell))
    return keys


def test_the_readme_keys_table_names_every_bound_key_and_no_other() -> None:
    bound = all_keys(help_sources(QuizApp))
    documented = readme_keys()
    assert bound - documented == set(), "bound but not in the README's Keys table"
    assert documented - bound == set(), "in the README's Keys table but not bound"


def test_the_help_is_built_from_the_bindings() -> None:
    rows = dict(help_rows(help_sources(QuizApp)))
    assert rows["1-4 or a-d"] == "answer at once"
    assert rows["Enter or Space"] == "next question, after an answer"
    assert rows["p r l h s"].startswith("on the results")
    assert rows["F1 or ?"] == "this help"


def test_key_names_are_written_for_people() -> None:
    assert [key_name(k) for k in ("ctrl+q", "escape", "question_mark", "f1", "q")] == [
        "Ctrl+Q",
        "Esc",
        "?",
        "F1",
        "q",
    ]
