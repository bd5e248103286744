"""`quiz add-fact` as a contributor meets it (issue 23.20): what `quiz validate --strict`
would fail is told at the field being typed, typos get "did you mean", a new source
can be added, and the file written passes --strict with every other byte kept."""

from __future__ import annotations

import io
from pathlib import Path

from quiz.plain.addfact import add_fact
from tests.conftest import BUNDLED, MINI, Cli

FACT = [
    "balcaen-kansas-points",
    "Balcaen scored points at Kansas after breaking her foot.",
    "interger",  # a typo: did you mean integer?
    "text",
    "A top-ten finish",
    "What kind of result did Balcaen get at Kansas in 2024",  # no '?': --strict fails it
    "What kind of result did Balcaen get at Kansas in 2024?",
    "",  # no claim: --strict fails it
    "At Kansas in 2024, Balcaen got {answer}.",
    "A win",
    "A podium finish",
    "A did-not-finish",
    "",
    "She finished eighth, a top ten.",
]
END = ["2024, kansas", "meduim", "medium"]

BLOCK = """
[[facts]]
id = "balcaen-kansas-points"
statement = "Balcaen scored points at Kansas after breaking her foot."
answer = { kind = "text", value = "A top-ten finish" }
questions = ["What kind of result did Balcaen get at Kansas in 2024?"]
claim = "At Kansas in 2024, Balcaen got {answer}."
wrong = ["A win", "A podium finish", "A did-not-finish"]
explanation = "She finished eighth, a top ten."
source = "SOURCE"
tags = ["2024", "kansas"]
difficulty = "medium"
"""


def _deck(tmp_path: Path) -> tuple[Path, str]:
    deck = tmp_path / "amber.toml"
    text = BUNDLED.read_text(encoding="utf-8")
    deck.write_text(text, encoding="utf-8")
    return deck, text


def test_what_strict_fails_is_told_as_typed_and_the_file_passes_strict(
    cli: Cli, tmp_path: Path
) -> None:
    deck, original = _deck(tmp_path)
    result = cli("add-fact", str(deck), stdin="\n".join([*FACT, "", *END]) + "\n")
    assert result.code == 0, result.out
    out = result.out
    assert "'interger' is not an answer kind; did you mean 'integer'?" in out
    assert "'meduim' is not a difficulty; did you mean 'medium'?" in out
    # Told right after the question is typed, before the claim is asked.
    question_warning = out.index("a question should end with '?'")
    assert question_warning < out.index("claim (")
    assert "quiz validate --strict` and CI fail on it" in out
    assert "must not be empty" in out[out.index("claim (") :]
    text = deck.read_text(encoding="utf-8")
    # The deck's text is untouched; the fact is written like the deck's own facts.
    assert text == original + BLOCK.replace("SOURCE", "article-2025")
    strict = cli("validate", "--strict", str(deck))
    assert strict.code == 0, strict.out + strict.err
    assert "0 errors, 0 warnings" in strict.err


POOL_FACT = [
    "mini-final-city",
    "The final was played in Rome.",
    "pool",
    "citys",  # did you mean cities?
    "cities",
    "rome",  # did you mean Rome?
    "Rome",
    "In which city was the final played?",
    "The final was played in {answer}.",
    "",  # a pool's other values are the wrong answers
    "The final was played in Rome.",
]


def _mini(tmp_path: Path) -> tuple[Path, str]:
    deck = tmp_path / "mini.toml"
    text = MINI.read_text(encoding="utf-8")
    deck.write_text(text, encoding="utf-8")
    return deck, text


def test_a_new_source_is_offered_checked_and_written_after_the_last_one(
    cli: Cli, tmp_path: Path
) -> None:
    deck, original = _mini(tmp_path)
    source = [
        "ntoes",  # a typo of notes
        "n",  # not a new source: asked again
        "club-letter",
        "yes",
        "Letter from the club",
        "The club",
        "2999-01",  # in the future: --strict fails it
        "2025-02",
        "ftp://example.org/letter",  # not http(s): refused
        "https://example.org/letter",
    ]
    stdin = "\n".join([*POOL_FACT, *source, "", ""]) + "\n"
    result = cli("add-fact", str(deck), stdin=stdin)
    assert result.code == 0, result.out
    assert "'citys' is not a pool of this deck; did you mean 'cities'?" in result.out
    assert "'rome' is not in the pool 'cities'; did you mean 'Rome'?" in result.out
    assert "'ntoes' is not a source of this deck; did you mean 'notes'?" in result.out
    assert "which is in the future" in result.out
    assert "Added 'mini-final-city' and the source 'club-letter'" in result.out
    new_source = (
        '\n[[sources]]\nid = "club-letter"\ntitle = "Letter from the club"\n'
        'publisher = "The club"\ndate = "2025-02"\nurl = "https://example.org/letter"\n'
    )
    anchor = 'url = "https://example.org/notes"\n'  # the last line of the deck's only source
    at = original.index(anchor) + len(anchor)
    assert deck.read_text(encoding="utf-8") == (
        original[:at]
        + new_source
        + original[at:]
        + """
[[facts]]
id = "mini-final-city"
statement = "The final was played in Rome."
answer = { kind = "pool", pool = "cities", value = "Rome" }
questions = ["In which city was the final played?"]
claim = "The final was played in {answer}."
explanation = "The final was played in Rome."
source = "club-letter"
difficulty = "medium"
"""
    )
    strict = cli("validate", "--strict", str(deck))
    assert strict.code == 0, strict.out + strict.err


def test_the_fact_follows_the_decks_own_key_order_and_spacing(cli: Cli, tmp_path: Path) -> None:
    deck = tmp_path / "tight.toml"
    original = (
        MINI.read_text(encoding="utf-8")
        .replace("{ ", "{")
        .replace(" }", "}")
        .replace(
            'explanation = "It was in Paris."\nsource = "notes"',
            'source = "notes"\nexplanation = "It was in Paris."',
        )
    )
    deck.write_text(original, encoding="utf-8")
    result = cli("add-fact", str(deck), stdin="\n".join([*POOL_FACT, "", "", ""]) + "\n")
    assert result.code == 0, result.out
    added = deck.read_text(encoding="utf-8").removeprefix(original)
    assert added.splitlines()[4:6] == [
        'answer = {kind = "pool", pool = "cities", value = "Rome"}',
        'questions = ["In which city was the final played?"]',
    ]
    assert added.index("source =") < added.index("explanation =")


class _EditedMeanwhile(io.StringIO):
    """Stdin whose last answer comes after someone else saved the deck."""

    def __init__(self, text: str, deck: Path) -> None:
        super().__init__(text)
        self.deck, self.lines_left = deck, text.count("\n")

    def readline(self, size: int | None = -1) -> str:
        self.lines_left -= 1
        if self.lines_left == 0:
            self.deck.write_text(self.deck.read_text(encoding="utf-8") + "# mine\n", "utf-8")
        return super().readline(-1 if size is None else size)


def test_a_deck_saved_by_someone_else_meanwhile_is_never_overwritten(tmp_path: Path) -> None:
    deck, original = _mini(tmp_path)
    stdin = _EditedMeanwhile("\n".join([*POOL_FACT, "", "", ""]) + "\n", deck)
    out = io.StringIO()
    assert add_fact(deck, stdin, out) == 1
    assert "changed while you typed; nothing was overwritten" in out.getvalue()
    assert deck.read_text(encoding="utf-8") == original + "# mine\n"


def test_closed_input_midway_writes_nothing_and_says_so(cli: Cli, tmp_path: Path) -> None:
    deck, original = _mini(tmp_path)
    result = cli("add-fact", str(deck), stdin="\n".join(POOL_FACT[:5]))
    assert result.code == 1 and "Stopped: nothing was written." in result.out
    assert "Traceback" not in result.err
    assert deck.read_text(encoding="utf-8") == original
