"""The deck models and loading: good decks load, bad ones are refused on the right line."""

from __future__ import annotations

import re
from pathlib import Path

import pytest

from quiz.authoring.validate import check_file
from quiz.deckfile.problems import DeckError
from quiz.deckfile.read import load_deck
from tests.conftest import BUNDLED, DATA, MINI

BAD = sorted((DATA / "decks" / "bad").glob("*.toml"))


def expected(path: Path) -> tuple[int, str]:
    match = re.match(r"# expect: (\d+): (.*)", path.read_text(encoding="utf-8").splitlines()[0])
    assert match, f"{path.name} must start with '# expect: LINE: message'"
    return int(match.group(1)), match.group(2)


def test_bundled_deck_loads_with_no_problems() -> None:
    checked = check_file(BUNDLED)
    assert checked.deck is not None
    assert checked.problems == []


def test_mini_deck_uses_every_answer_kind() -> None:
    deck = load_deck(MINI)
    kinds = {fact.answer.kind for fact in deck.facts}
    assert kinds == {"pool", "ordinal", "integer", "year", "date", "quote", "text"}
    assert check_file(MINI).problems == []


@pytest.mark.parametrize("path", BAD, ids=[p.stem for p in BAD])
def test_bad_fixture_is_reported_on_its_line(path: Path) -> None:
    line, message = expected(path)
    checked = check_file(path)
    errors = [p for p in checked.problems if p.severity == "error"]
    assert errors, f"{path.name} was accepted"
    assert any(p.line == line and message in p.message for p in errors), [str(p) for p in errors]
    for problem in errors:
        assert str(problem).startswith(f"{path}:{problem.line}: ")


def test_errors_name_the_fact() -> None:
    checked = check_file(DATA / "decks" / "bad" / "unknown-key.toml")
    assert "[bad-place]" in str(checked.problems[0])


def test_loaded_decks_are_frozen() -> None:
    import dataclasses

    deck = load_deck(MINI)
    with pytest.raises(dataclasses.FrozenInstanceError):
        deck.facts[0].id = "x"  # type: ignore[misc]


def test_load_deck_raises_deck_error_not_pydantic(tmp_path: Path) -> None:
    bad = tmp_path / "d.toml"
    bad.write_text('id = "d"\ntitle = 5\n', encoding="utf-8")
    with pytest.raises(DeckError) as info:
        load_deck(bad)
    text = str(info.value)
    assert "d.toml:2:" in text and "'title' must be text" in text
    assert "pydantic" not in text


@pytest.mark.parametrize(
    ("content", "needle"),
    [
        (b"\xef\xbb\xbfid = 'x'\n", "byte-order mark"),
        (b"\xff\xfei\x00d\x00", "UTF-16"),
        (b'id = "x"\ntitle = "\xff"\n', "not valid UTF-8"),
        (b"a = " + b"[" * 3000 + b"]" * 3000, "nested too deeply"),
        (b"", "not a quiz deck"),
        (b"[fruit]\napple = 1\n", "not a quiz deck"),
    ],
)
def test_unreadable_files_get_one_clear_problem(
    tmp_path: Path, content: bytes, needle: str
) -> None:
    path = tmp_path / "deck.toml"
    path.write_bytes(content)
    with pytest.raises(DeckError) as info:
        load_deck(path)
    assert needle in str(info.value)


def test_non_utf8_error_gives_the_line(tmp_path: Path) -> None:
    path = tmp_path / "deck.toml"
    path.write_bytes(b'id = "x"\n\n\ntitle = "caf\xe9"\n')
    with pytest.raises(DeckError) as info:
        load_deck(path)
    assert info.value.problems[0].line == 4


def test_huge_file_is_refused_reading_at_most_cap_plus_one(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    import quiz.deckfile.read as deck_module

    path = tmp_path / "big.toml"
    path.write_bytes(b"# " + b"x" * 5000 + b"\n")
    monkeypatch.setattr(deck_module, "MAX_FILE_BYTES", 1000)
    reads: list[int] = []
    real_fdopen = deck_module.os.fdopen

    class Spy:
        def __init__(self, handle):  # type: ignore[no-untyped-def]
            self.handle = handle

        def __enter__(self):  # type: ignore[no-untyped-def]
            return self

        def __exit__(self, *exc):  # type: ignore[no-untyped-def]
            self.handle.close()

        def read(self, n: int) -> bytes:
            reads.append(n)
            return self.handle.read(n)

    monkeypatch.setattr(
        deck_module.os, "fdopen", lambda fd, m="r", *a, **k: Spy(real_fdopen(fd, m, *a, **k))
    )
    with pytest.raises(DeckError) as info:
        deck_module.parse_toml(path, "big.toml")
    assert "larger than" in str(info.value)
    assert reads == [1001]


def test_endless_file_is_refused(tmp_path: Path) -> None:
    # /dev/zero never ends; it is a device, so it is refused before any read.
    with pytest.raises(DeckError) as info:
        load_deck(Path("/dev/zero"))
    assert "not a regular file" in str(info.value)


def test_the_annotated_example_in_questions_readme_is_a_valid_deck(tmp_path: Path) -> None:
    from tests.conftest import ROOT

    text = (ROOT / "questions" / "README.md").read_text(encoding="utf-8")
    example = re.search(r"```toml\n(.*?)```", text, re.S)
    assert example
    path = tmp_path / "example.toml"
    path.write_text(example.group(1), encoding="utf-8")
    checked = check_file(path)
    assert checked.deck is not None, [str(p) for p in checked.problems]
    assert checked.errors == []
