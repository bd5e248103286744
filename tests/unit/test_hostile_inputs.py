"""Classes 2-7 and 9 of SECURITY.md, each swept over every path it applies to.

2 files are opened only when regular and never followed out of where they
belong; 3 numbers are bounded where read; 4 whatever the schema accepts can
be played; 5 look-alike text; 6 input is bounded; 7 add-fact never
overwrites; 9 the import/export odd cases.
"""

from __future__ import annotations

import json
import os
import shutil
import signal
from collections.abc import Iterator
from contextlib import contextmanager
from pathlib import Path

import pytest
import tomli_w

from quiz.authoring.validate import check_file
from quiz.deckfile.read import load_deck
from quiz.game.play import Game
from quiz.questions.plan import make_quiz
from quiz.saves.folder import NotRegularFile, SaveFolder, game_record, player_slug, read_nofollow
from quiz.scores import summary
from quiz.session import check_name
from tests.conftest import MINI, Cli
from tests.plain_helpers import play_plain

FOLDER_DECK = MINI.parent / "folder-deck"


@contextmanager
def bounded(seconds: int = 20) -> Iterator[None]:
    """Fail (instead of hanging the suite) if the block blocks, e.g. opening a FIFO."""

    def hung(*_: object) -> None:
        raise AssertionError(f"blocked for {seconds} s")

    old = signal.signal(signal.SIGALRM, hung)
    signal.alarm(seconds)
    try:
        yield
    finally:
        signal.alarm(0)
        signal.signal(signal.SIGALRM, old)


def record(player: str = "Ann", *, status: str = "finished", wrong: bool = False) -> dict:
    deck = load_deck(MINI)
    game = Game(
        make_quiz(deck, 1, 3), player=player, deck_id=deck.id, deck_title=deck.title, seed=1
    )
    if status == "finished":
        for _ in range(3):
            question = game.current
            game.answer((question.answer + 1) % len(question.choices) if wrong else 0, 1.5)
    else:
        game.answer(0, 1.0)
    return game_record(game, status)


def games_dir(saves: Path, player: str = "Ann") -> Path:
    folder = saves / player_slug(player) / "games"
    folder.mkdir(parents=True, exist_ok=True)
    return folder


def play(cli, monkeypatch, saves: Path, *extra: str, stdin: str = "1\n" * 12):  # type: ignore[no-untyped-def]
    return play_plain(cli, saves, player=None, deck=MINI, args=extra, stdin=stdin)


# --- 2. files are opened only when regular ------------------------------------------


def test_a_fifo_in_any_save_path_never_hangs_and_is_set_aside(
    cli, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:  # type: ignore[no-untyped-def]
    saves = tmp_path / "saves"
    commands = {
        "scores": lambda: cli("scores", "--saves", str(saves)),
        "report": lambda: cli("report", "--saves", str(saves), "--format", "csv"),
        "review": lambda: play(cli, monkeypatch, saves, "--player", "Ann", "--review"),
        "leaderboard": lambda: summary.leaderboard(SaveFolder(saves)),
    }
    for name, command in commands.items():
        fifo = games_dir(saves) / f"20260101T00000{len(name)}Z-fifo{name}.toml"
        os.mkfifo(fifo)
        with bounded():
            command()
        assert not fifo.exists(), name  # moved aside, so the next start is clean
        assert list(fifo.parent.glob(f"*fifo{name}.corrupt-*.toml")), name
    # current.toml and the preferences are read the same way.
    current = saves / player_slug("Ann") / "current.toml"
    os.mkfifo(current)
    with bounded():
        result = play(cli, monkeypatch, saves, "--player", "Ann", "--resume")
    assert result.code == 1 and "there is no game to resume" in result.err
    assert "as current.corrupt-" in result.err
    os.mkfifo(saves / "preferences.toml")
    with bounded(), pytest.raises(NotRegularFile):
        read_nofollow(saves / "preferences.toml")


def test_current_toml_as_a_folder_or_a_symlink_is_set_aside_and_play_goes_on(
    cli, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:  # type: ignore[no-untyped-def]
    saves = tmp_path / "saves"
    secret = tmp_path / "secret.toml"
    secret.write_text(tomli_w.dumps(record(status="in-progress")), encoding="utf-8")
    for make in (lambda p: p.mkdir(), lambda p: p.symlink_to(secret)):
        current = saves / player_slug("Ann") / "current.toml"
        current.parent.mkdir(parents=True, exist_ok=True)
        make(current)
        resumed = play(cli, monkeypatch, saves, "--player", "Ann", "--resume")
        assert resumed.code == 1 and "Traceback" not in resumed.err
        assert "as current.corrupt-" in resumed.err
        fresh = play(cli, monkeypatch, saves, "--player", "Ann", "--count", "2")
        assert fresh.code == 0 and "/2 correct" in fresh.out
    assert secret.read_text(encoding="utf-8").startswith("format = 1")  # never written through


def test_the_parsed_deck_cache_is_never_trusted_blindly(cli, tmp_path: Path) -> None:  # type: ignore[no-untyped-def]
    """Every way an entry of the deck cache can be planted: FIFO, symlink, folder, huge, forged JSON."""
    from quiz.deckfile.read import _validated_marker, decode, read_capped

    deck = tmp_path / "mini.toml"
    deck.write_bytes(MINI.read_bytes())
    marker = _validated_marker(decode(read_capped(deck)))
    assert marker is not None

    def preview() -> str:
        with bounded():
            result = cli("preview", "--deck", str(deck), "--count", "3", "--seed", "7")
        assert result.code == 0, result.err
        return result.out

    honest = preview()
    assert marker.is_file()
    forged = json.loads(marker.read_bytes().partition(b"\n")[2])
    forged["title"] = "Forged title"
    forged["facts"] = forged["facts"][:1]
    planted = {
        "forged JSON": lambda: marker.write_text(json.dumps(forged), encoding="utf-8"),
        "an empty verdict": lambda: marker.write_bytes(b""),
        "a FIFO": lambda: os.mkfifo(marker),
        "a folder": lambda: marker.mkdir(),
        "a huge file": lambda: marker.write_bytes(b" " * (40 * 1024 * 1024)),
    }
    for what, plant in planted.items():
        if marker.is_dir():
            marker.rmdir()
        else:
            marker.unlink()
        plant()
        assert preview() == honest, what
    # A symlink at the entry's place is never written through.
    marker.unlink() if not marker.is_dir() else marker.rmdir()
    precious = tmp_path / "precious.txt"
    precious.write_text("keep me", encoding="utf-8")
    marker.symlink_to(precious)
    assert preview() == honest
    assert precious.read_text(encoding="utf-8") == "keep me"
    # Forged with the right shape and no seal: still the deck's own text wins.
    marker.unlink()
    forged_entry = json.dumps(forged)
    marker.write_text("0" * 64 + "\n" + forged_entry, encoding="utf-8")
    assert "Forged title" not in preview()


def test_derived_score_files_never_lie_hang_or_crash(cli, tmp_path: Path) -> None:  # type: ignore[no-untyped-def]
    """summary.toml, detail.toml and .scores.toml: tampered, huge, special files, symlinks."""
    import re

    from quiz.scores import summary

    saves = tmp_path / "saves"
    deck = load_deck(MINI)
    for player, wrong in (("Ann", True), ("Ann", False), ("Ben", False)):
        game = Game(make_quiz(deck, 1, 3), player=player, deck_id=deck.id, deck_title="t", seed=1)
        for _ in range(3):
            question = game.current
            game.answer((question.answer + 1) % len(question.choices) if wrong else 0, 1.5)
        SaveFolder(saves).save_finished(game)
    for games in saves.glob("*/games"):  # played a minute ago: the summaries may be trusted
        os.utime(games, (games.stat().st_atime - 60, games.stat().st_mtime - 60))

    def outputs() -> tuple[str, str, str]:
        with bounded():
            scores = cli("scores", "--saves", str(saves))
            as_json = cli("scores", "--saves", str(saves), "--format", "json")
            report = cli("report", "--saves", str(saves), "--format", "csv")
        for result in (scores, as_json, report):
            assert result.code == 0 and "Traceback" not in result.err, result.err
            assert "\x1b" not in result.out + result.err
        return scores.out, as_json.out, report.out

    honest = outputs()
    assert "Ann" in honest[0] and "Ben" in honest[0]
    folder = saves / player_slug("Ann")
    paths = [folder / summary.SUMMARY, folder / summary.DETAIL, saves / summary.ROLLUP]
    assert all(p.is_file() for p in paths), [p.name for p in paths if not p.is_file()]
    good = {p: p.read_bytes() for p in paths}

    def lie(text: str) -> str:  # a best score, a count and a name no game ever made
        text = re.sub(r", \d+, \d+, \d+, (\d+), ", ", 9, 9, 9, 999999, ", text)
        return text.replace('"Ann"', '"\\u001b]2;PWNED\\u0007Ann"')

    huge = "9" * 5000
    attacks = {
        "a best score no game made": lambda p: p.write_text(
            lie(good[p].decode()), encoding="utf-8"
        ),
        "the seal kept, a score changed": lambda p: p.write_bytes(
            good[p].replace(b"1000", b"9999")
        ),
        "a 5,000-digit number": lambda p: p.write_text(
            re.sub(r"generation = \d+", f"generation = {huge}", good[p].decode()).replace(
                "format = 3", f"format = {huge}"
            ),
            encoding="utf-8",
        ),
        "inf and nan": lambda p: p.write_text(
            good[p].decode().replace("1000", "inf").replace("generation = 1", "generation = nan"),
            encoding="utf-8",
        ),
        "a FIFO": lambda p: os.mkfifo(p),
        "a folder": lambda p: p.mkdir(),
        "a symlink to another player's file": lambda p: p.symlink_to(
            saves / player_slug("Ben") / p.name if p.parent != saves else tmp_path / "x"
        ),
        "a huge file": lambda p: p.write_bytes(b"#" * (summary.MAX_SUMMARY_BYTES + 10)),
    }

    def remove(path: Path) -> None:
        if path.is_dir() and not path.is_symlink():
            shutil.rmtree(path)
        else:
            path.unlink(missing_ok=True)

    for what, attack in attacks.items():
        for path in paths:
            remove(path)
            attack(path)
            if path.parent != saves:  # so the player's own summary is read, not the rollup's copy
                remove(saves / summary.ROLLUP)
            assert outputs() == honest, (what, path.name)


def test_special_files_in_a_decks_place_are_refused_at_once(cli, tmp_path: Path) -> None:  # type: ignore[no-untyped-def]
    fifo = tmp_path / "deck.toml"
    os.mkfifo(fifo)
    for args in (
        ["validate", str(fifo)],
        ["preview", "--deck", str(fifo)],
        ["export", str(fifo), "--format", "csv"],
    ):
        with bounded():
            result = cli(*args)
        assert result.code == 1 and "not a regular file" in result.out + result.err, args
    deck = tmp_path / "folder"
    shutil.copytree(FOLDER_DECK, deck)
    os.mkfifo(deck / "zz-fifo.toml")
    with bounded():
        result = cli("validate", str(deck))
    assert result.code == 1 and "zz-fifo.toml:1: this file is not a regular file" in result.out


def test_symlinked_deck_files_are_refused_and_never_read(cli, tmp_path: Path) -> None:  # type: ignore[no-untyped-def]
    outside = tmp_path / "private.toml"
    outside.write_text('api_token_name = "hunter2"\n', encoding="utf-8")
    deck = tmp_path / "deck"
    shutil.copytree(FOLDER_DECK, deck)
    (deck / "stolen.toml").symlink_to(outside)
    for args in (["validate", str(deck)], ["preview", "--deck", str(deck)]):
        result = cli(*args)
        text = result.out + result.err
        assert result.code == 1 and "stolen.toml:1: this fact file is a symbolic link" in text
        assert "api_token_name" not in text and "hunter2" not in text
    (deck / "stolen.toml").unlink()
    (deck / "deck.toml").rename(tmp_path / "real-deck.toml")
    (deck / "deck.toml").symlink_to(tmp_path / "real-deck.toml")
    assert "deck.toml is a symbolic link" in cli("validate", str(deck)).out
    # A folder walk (the pre-commit hook) reports a symlinked deck file and never reads it.
    walk = tmp_path / "walk"
    walk.mkdir()
    (walk / "evil.toml").symlink_to(outside)
    result = cli("validate", str(walk))
    assert result.code == 1 and "evil.toml:1: this is a symbolic link" in result.out
    assert "api_token_name" not in result.out + result.err


@pytest.mark.parametrize("deck_field", ["/dev/zero", "../../secret", "fifo", "no-such-deck"])
def test_a_saves_deck_field_is_never_opened_as_a_path(
    deck_field: str, cli, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:  # type: ignore[no-untyped-def]
    saves = tmp_path / "saves"
    if deck_field == "fifo":
        deck_field = str(tmp_path / "fifo.toml")
        os.mkfifo(deck_field)
    folder = saves / player_slug("Ann")
    folder.mkdir(parents=True)
    (folder / "current.toml").write_text(
        tomli_w.dumps({**record(status="in-progress"), "deck": deck_field}), encoding="utf-8"
    )
    with bounded():
        result = play(cli, monkeypatch, saves, "--player", "Ann", "--resume")
    assert result.code == 1 and "Traceback" not in result.err
    # --deck names the deck to play: the save's deck field is only compared with its id.
    assert "the unfinished game is on the deck" in result.err


def test_export_out_writes_only_new_files_or_regular_ones_with_force(cli, tmp_path: Path) -> None:  # type: ignore[no-untyped-def]
    fifo = tmp_path / "fifo"
    os.mkfifo(fifo)
    target = tmp_path / "target.txt"
    link = tmp_path / "link"
    link.symlink_to(target)
    folder = tmp_path / "folder"
    folder.mkdir()
    for out in (fifo, Path("/dev/null"), link, folder):
        for force in ([], ["--force"]):
            with bounded():
                result = cli("export", str(MINI), "--format", "csv", "--out", str(out), *force)
            assert result.code == 1 and "never replaced" in result.err, out
    assert not target.exists() and fifo.exists()
    new = tmp_path / "new.csv"
    assert cli("export", str(MINI), "--format", "csv", "--out", str(new)).code == 0
    new.write_text("mine", encoding="utf-8")
    refused = cli("export", str(MINI), "--format", "gift", "--out", str(new))
    assert refused.code == 1 and "--force" in refused.err and new.read_text() == "mine"
    assert cli("export", str(MINI), "--format", "gift", "--out", str(new), "--force").code == 0
    assert new.read_text(encoding="utf-8").startswith("// Mini Deck")


# --- 3. numbers are bounded where read ------------------------------------------------


def test_huge_numbers_in_decks_imports_and_saves_are_clean_errors(
    cli, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:  # type: ignore[no-untyped-def]
    text = MINI.read_text(encoding="utf-8")
    huge = "9" * 5000
    for name, deck_text in {
        "deck-int": text.replace("value = 5, max = 12", f"value = {huge}, max = 12"),
        "wrong-int": text.replace(
            'unit = "laps" }', 'unit = "laps" }\nwrong = [' + "9" * 4000 + "]"
        ),
    }.items():
        path = tmp_path / f"{name}.toml"
        path.write_text(deck_text, encoding="utf-8")
        result = cli("validate", str(path))
        assert result.code == 1 and f"{path}:" in result.out, name
    opentdb = tmp_path / "big.json"
    opentdb.write_text('{"response_code": 0, "results": [' + huge + "]}", encoding="utf-8")
    result = cli("import", "opentdb", str(opentdb), "--out", str(tmp_path / "o.toml"))
    assert result.code == 1 and "too long" in result.err
    # Saves: a huge score, an infinite time, a choice past any question.
    saves = tmp_path / "saves"
    good = record()
    (games_dir(saves) / "20260101T000000Z-good.toml").write_text(
        tomli_w.dumps(good), encoding="utf-8"
    )
    bad = {
        "score": tomli_w.dumps(good).replace(f"score = {good['score']}", f"score = {huge[:4000]}"),
        "inf": tomli_w.dumps(good).replace("seconds = 1.5", "seconds = inf"),
        "choice": tomli_w.dumps(good).replace("choice = 0", "choice = 99"),
        "digits": tomli_w.dumps(good).replace(f"score = {good['score']}", f"score = {huge}"),
    }
    for name, body in bad.items():
        (games_dir(saves) / f"20260102T000000Z-{name}.toml").write_text(body, encoding="utf-8")
    for _ in range(2):  # the second run finds them already set aside
        scores = cli("scores", "--saves", str(saves), "--format", "json")
        assert scores.code == 0 and json.loads(scores.out)[0]["games"] == 1
    report = cli("report", "--saves", str(saves), "--format", "json")
    json.loads(report.out, parse_constant=lambda c: pytest.fail(f"{c} is not JSON"))
    assert len(list(games_dir(saves).glob("*.corrupt-*.toml"))) == len(bad)


# --- 4. every value the schema accepts can be played ------------------------------------


@pytest.mark.parametrize(
    "edit",
    [
        'value = "2021-02-31" }',
        'value = "2021-03" }\nwrong = ["2025-13", "2021-04", "2021-05"]',
        'value = "2021-03" }\nwrong = ["abcd-ef", "2021-04", "2021-05"]',
        'value = "2021-03" }\nwrong = ["2025-00", "2021-04", "2021-05"]',
    ],
)
def test_dates_must_exist(edit: str, tmp_path: Path) -> None:
    text = MINI.read_text(encoding="utf-8")
    path = tmp_path / "d.toml"
    path.write_text(text.replace('value = "2021-03" }', edit, 1), encoding="utf-8")
    checked = check_file(path)
    assert any("date" in p.message for p in checked.errors), checked.problems


def test_reviews_and_resumes_with_no_questions_are_refused_clearly(
    cli, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:  # type: ignore[no-untyped-def]
    saves = tmp_path / "saves"
    gone = record(wrong=True)
    gone["questions"] = ["gone-fact/multiple-1"] * 3
    for answer in gone["answers"]:
        answer["question"], answer["fact"] = "gone-fact/multiple-1", "gone-fact"
    (games_dir(saves) / "20260101T000000Z-gone.toml").write_text(
        tomli_w.dumps(gone), encoding="utf-8"
    )
    review = play(cli, monkeypatch, saves, "--player", "Ann", "--review")
    assert review.code == 1 and "gives no questions" in review.err
    current = saves / player_slug("Ann") / "current.toml"
    assert not current.exists()
    current.write_text(
        tomli_w.dumps({**gone, "status": "in-progress", "answers": []}), encoding="utf-8"
    )
    resumed = play(cli, monkeypatch, saves, "--player", "Ann", "--resume")
    assert resumed.code == 1 and "no questions to resume" in resumed.err
    # A tampered answer (choice 5 of 4) is set aside, said so, and play goes on.
    tampered = record(status="in-progress")
    tampered["answers"][0]["choice"] = 5
    current.write_text(tomli_w.dumps(tampered), encoding="utf-8")
    resumed = play(cli, monkeypatch, saves, "--player", "Ann", "--resume")
    assert resumed.code == 1 and "kept aside" in resumed.err and not current.exists()
    assert play(cli, monkeypatch, saves, "--player", "Ann", "--count", "2").code == 0


# --- 5. look-alikes --------------------------------------------------------------------


@pytest.mark.parametrize(
    "twin", ["P\u0430ris", "Par\u200bis", "Par\u00adis", "PARIS", "\uff30aris", "Pari\u0455"]
)
def test_look_alike_choices_are_duplicates_in_pools_wrong_answers_and_events(
    twin: str, tmp_path: Path, cli: Cli
) -> None:
    text = MINI.read_text(encoding="utf-8")
    cases = {
        "pool": text.replace('"Lisbon"]', f'"Lisbon", "{twin}"]'),
        "wrong": text.replace(
            'value = "Paris" }\nquestions', f'value = "Paris" }}\nwrong = ["{twin}"]\nquestions', 1
        ),
        "event": text.replace('event = "The final"', f'event = "The meeting {twin}"').replace(
            'event = "The meeting"', 'event = "The meeting Paris"'
        ),
    }
    for name, deck_text in cases.items():
        path = tmp_path / f"{name}.toml"
        path.write_text(deck_text, encoding="utf-8")
        checked = check_file(path)
        messages = " ".join(p.message for p in checked.errors)
        assert deck_text != text, name
        assert any(word in messages for word in ("twice", "looks the same", "also listed")), (
            name,
            messages,
        )
    sheet = tmp_path / "q.csv"
    sheet.write_text(
        "question,correct_answer,incorrect_answer_1,incorrect_answer_2,incorrect_answer_3\n"
        f"Where?,Paris,{twin},Rome,Madrid\n",
        encoding="utf-8",
    )
    result = cli("import", "csv", str(sheet), "--out", str(tmp_path / "o.toml"))
    assert result.code == 1 and "three different wrong answers" in result.err


@pytest.mark.parametrize("char", ["\U000e0041", "\u115f", "\u3164", "e" + "\u0301" * 12])
def test_layout_breaking_characters_are_refused_in_deck_text(char: str, tmp_path: Path) -> None:
    path = tmp_path / "d.toml"
    path.write_text(
        MINI.read_text(encoding="utf-8").replace(
            'title = "Mini Deck"', f'title = "Mini {char}Deck"'
        ),
        encoding="utf-8",
    )
    assert check_file(path).errors


@pytest.mark.parametrize("name", ["\u202eevil", "ev\u200bil", "a\nb", "a\x1bb", "\u2066x"])
def test_names_differing_by_hidden_characters_are_refused(name: str) -> None:
    with pytest.raises(ValueError, match="invisible character"):
        check_name(name)


def test_hot_seat_players_who_look_alike_are_refused(cli) -> None:  # type: ignore[no-untyped-def]
    result = cli("play", "--plain", "--deck", str(MINI), "--player", "Ann", "--player", "\u0410nn")
    assert result.code == 1 and "different name" in result.err


# --- 6. input is bounded ----------------------------------------------------------------


def test_csv_import_stops_at_the_fact_limit_and_huge_cells_are_clean_errors(
    cli, tmp_path: Path
) -> None:  # type: ignore[no-untyped-def]
    from quiz.deckfile.limits import MAX_FACTS

    sheet = tmp_path / "many.csv"
    sheet.write_text("question,correct_answer\n" + "Q?,A\n" * (MAX_FACTS + 5000), encoding="utf-8")
    result = cli("import", "csv", str(sheet), "--out", str(tmp_path / "a.toml"))
    assert result.code == 1 and f"more than {MAX_FACTS:,} rows" in result.err
    big = tmp_path / "big.csv"
    big.write_text("question,correct_answer\n" + "x" * 200_000 + ",A\n", encoding="utf-8")
    result = cli("import", "csv", str(big), "--out", str(tmp_path / "b.toml"))
    assert result.code == 1 and "a cell is longer than" in result.err
    odd = tmp_path / "odd.json"
    odd.write_text(
        json.dumps(
            {
                "response_code": 0,
                "results": [{"question": "Q?", "correct_answer": "A", "incorrect_answers": 5}],
            }
        ),
        encoding="utf-8",
    )
    result = cli("import", "opentdb", str(odd), "--out", str(tmp_path / "c.toml"))
    assert result.code == 1 and "three different wrong answers" in result.err
    assert "Traceback" not in result.err


def test_long_lines_and_typed_digits_on_stdin_are_refused_not_crashes(
    cli, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:  # type: ignore[no-untyped-def]
    saves = tmp_path / "saves"
    stdin = "x" * 300_000 + "\n" + "\u00b2\n\u2460\n" + "1" * 5000 + "\n" + "1\n" * 3
    result = play(cli, monkeypatch, saves, "--player", "Ann", "--count", "2", stdin=stdin)
    assert result.code == 0 and result.out.count("Please answer") == 4
    deck = tmp_path / "deck"
    shutil.copytree(FOLDER_DECK, deck)
    added = cli("add-fact", str(deck), stdin="y" * 100_000 + "\n")
    assert "longer than" in added.out and "Traceback" not in added.err


def test_preview_caps_the_count_at_what_the_deck_can_give(cli) -> None:  # type: ignore[no-untyped-def]
    huge = cli("preview", "--deck", str(MINI), "--count", "100000", "--seed", "1")
    assert huge.code == 2 and "between 1 and 500" in huge.err  # refused before any work
    result = cli("preview", "--deck", str(MINI), "--count", "500", "--seed", "1")
    assert result.code == 0
    shown = int(result.out.split(": ", 1)[1].split(" question")[0])
    assert 0 < shown < 100


# --- 7. add-fact never overwrites ----------------------------------------------------------


def test_add_fact_never_replaces_a_fact_file_or_deck_toml(cli: Cli, tmp_path: Path) -> None:
    deck = tmp_path / "deck"
    shutil.copytree(FOLDER_DECK, deck)
    before = {p.name: p.read_bytes() for p in deck.iterdir()}
    taken = [p.stem for p in deck.glob("*.toml")]
    result = cli("add-fact", str(deck), stdin="\n".join(taken) + "\n")
    assert result.code == 1
    for stem in taken:
        assert f"{stem}.toml already exists" in result.out or "already used" in result.out
    assert {p.name: p.read_bytes() for p in deck.iterdir()} == before


# --- 9. other cases ---------------------------------------------------------------------


def test_import_export_odd_cases(cli, tmp_path: Path) -> None:  # type: ignore[no-untyped-def]
    # Entities are decoded exactly once and shown literally.
    tdb = tmp_path / "e.json"
    tdb.write_text(
        json.dumps(
            {
                "response_code": 0,
                "results": [
                    {
                        "type": "multiple",
                        "question": "Which tag is &amp;lt;b&amp;gt;?",
                        "correct_answer": "Bold",
                        "incorrect_answers": ["Italic", "Big", "Blink"],
                    }
                ],
            }
        ),
        encoding="utf-8",
    )
    deck = tmp_path / "e.toml"
    assert cli("import", "opentdb", str(tdb), "--out", str(deck)).code == 0
    assert "Which tag is &lt;b&gt;?" in cli("preview", "--deck", str(deck), "--seed", "1").out
    # A CSV round trip keeps leading quotes and double spaces; Excel's BOM is fine.
    sheet = tmp_path / "s.csv"
    sheet.write_bytes(
        "\ufeffquestion,correct_answer,incorrect_answer_1,incorrect_answer_2,incorrect_answer_3\n"
        "'=1+1  is what?,''=2,+3,-4,@5\n".encode()
    )
    first = tmp_path / "first.toml"
    assert cli("import", "csv", str(sheet), "--out", str(first)).code == 0
    (fact,) = load_deck(first).facts
    assert fact.questions == ("=1+1  is what?",) and fact.answer.value == "'=2"
    exported = tmp_path / "back.csv"
    assert cli("export", str(first), "--format", "csv", "--out", str(exported)).code == 0
    second = tmp_path / "second.toml"
    assert cli("import", "csv", str(exported), "--out", str(second)).code == 0
    (again,) = load_deck(second).facts
    assert again.questions == fact.questions and again.answer == fact.answer
    assert sorted(again.wrong) == sorted(fact.wrong) == ["+3", "-4", "@5"]
    # GIFT escapes weights and format markers (Moodle has no \% or \[ escape: references).
    from quiz.authoring.interchange import _gift_escape

    assert _gift_escape("%50%half") == "&\\#37;50%half"
    assert _gift_escape("[html]<b>") == "&\\#91;html]&lt;b&gt;"
    # A team given twice is refused, not silently dropped.
    twice = cli("play", "--plain", "--team", "Red=Ann", "--team", "red=Ben", "--deck", str(MINI))
    assert twice.code == 2 and "given twice" in twice.err


# --- the live room's record (quiz host --resume) ----------------------------------------


def test_a_tampered_room_record_is_refused_clearly_and_never_opens_a_path(
    cli, tmp_path: Path
) -> None:  # type: ignore[no-untyped-def]
    """Anyone with the saves folder can edit rooms/*.json; --resume must not trust it."""
    from quiz.room import record as rec
    from quiz.room.state import Room
    from tests.conftest import FIXED

    deck = load_deck(FIXED)
    room = Room(make_quiz(deck, 7, 3), code="123456", seed=7, deck_id=deck.id, deck_title="t")
    ann, _ = room.join("Ann")
    room.join("Ben")
    room.start(0.0)
    room.answer(ann.token, 1, 1, 1.0)
    good = room.record()
    rooms = tmp_path / "saves" / "rooms"
    rooms.mkdir(parents=True)
    secret = tmp_path / "secret.toml"
    secret.write_text('"\\u001b]2;PWNED\\u0007" = 1\n', encoding="utf-8")
    fifo = tmp_path / "fifo.toml"
    os.mkfifo(fifo)

    def tampered(**changes: object) -> dict:
        data = json.loads(json.dumps(good))
        for key, value in changes.items():
            if key.startswith("answer."):
                data["answers"][0][key[7:]] = value
            elif key.startswith("player."):
                data["players"][0][key[7:]] = value
            else:
                data[key] = value
        return data

    huge = "HUGE"  # written as 5,000 digits below
    cases = {
        "deck as a path": tampered(deck=str(secret)),
        "deck as a relative path": tampered(deck="../secret"),
        "deck as a FIFO": tampered(deck=str(fifo)),
        "deck as a device": tampered(deck="/dev/zero"),
        "a 5,000-digit seed": tampered(seed=huge),
        "a 5,000-digit score": tampered(**{"answer.points": huge}),
        "infinite seconds": tampered(**{"answer.seconds": float("inf")}),
        "a choice out of range": tampered(**{"answer.choice": 99}),
        "a question past the end": tampered(question=10**9),
        "an answer to a question past the end": tampered(**{"answer.question": 99}),
        "a huge count": tampered(count=10**12),
        "a game id that is a path": tampered(**{"player.game": "../../x"}),
        "a listen address with an escape": tampered(host="\x1b]2;PWNED\x07"),
        "a listen address that is a word": tampered(host="every where"),
        "a port out of range": tampered(port=99999),
        "a name with a zero-width space": tampered(**{"player.name": "Ann\u200b"}),
        "a look-alike of another player": {
            **good,
            "players": [good["players"][0], {**good["players"][1], "name": "\u0410nn"}],
        },
    }
    for what, data in cases.items():
        for old in rooms.iterdir():
            old.unlink()
        text = json.dumps(data).replace("Infinity", "1e999")
        text = text.replace('"HUGE"', "9" * 5000)
        (rooms / "20260101T000000Z-123456.json").write_text(text, encoding="utf-8")
        with bounded():
            result = cli("host", "--resume", "--saves", str(tmp_path / "saves"), "--plain")
        assert result.code == 1, what
        assert "Traceback" not in result.err and "\x1b" not in result.out + result.err, what
        assert "PWNED" not in result.out + result.err, what  # the secret deck was never read
    # A record's player names are display-safe once read.
    path = rooms / "20260101T000000Z-123456.json"
    hostile = tampered(
        **{"player.name": "\x1b]2;PWNED\x07Ann", "answer.player": "\x1b]2;PWNED\x07Ann"}
    )
    path.write_text(json.dumps(hostile), encoding="utf-8")
    assert "\x1b" not in rec.read(path).players[0].name
    # Special files in a record's place are skipped, never read.
    path.unlink()
    for make in (os.mkfifo, os.mkdir, lambda p: os.symlink(secret, p)):
        make(path)
        with bounded():
            result = cli("host", "--resume", "--saves", str(tmp_path / "saves"), "--plain")
        assert result.code == 1 and "no unfinished room" in result.err
        path.rmdir() if path.is_dir() and not path.is_symlink() else path.unlink()
    # A big room's honest record (over 1 MiB: 1,700 players' answers) is still read.
    big = json.loads(json.dumps(good))
    player, answer = big["players"][0], big["answers"][0]
    big["players"] = [dict(player, name=f"P{k}", game=f"g{k}") for k in range(1700)]
    big["answers"] = [
        dict(answer, player=f"P{k}", question=q, id="x" * 290)
        for k in range(1700)
        for q in (1, 2, 3)
    ]
    path.write_text(json.dumps(big), encoding="utf-8")
    assert path.stat().st_size > 1024 * 1024
    assert len(rec.read(path).answers) == 5100
    # More answers than its players could give (one each a question) is refused before any
    # answer is read: a million copies of one answer took 26 s and 2 GB to refuse.
    flood = dict(good, answers=[good["answers"][0]] * 200_000)
    path.write_text(json.dumps(flood), encoding="utf-8")
    with (
        pytest.raises(rec.RecordError, match="200,000 answers, more than its 2 players"),
        bounded(),
    ):
        rec.read(path)


async def test_quiz_join_and_the_plain_host_read_stdin_with_a_cap() -> None:
    """Class 6 for the live commands: an endless line is an empty answer, not a memory bill."""
    import io

    from quiz.plain.lines import LineReader
    from quiz.text import LINE_MAX

    reader = LineReader(io.StringIO("x" * (LINE_MAX * 80) + "\n2\n"))
    lines = [await reader.get() for _ in range(3)]
    assert lines == ["\n", "2\n", None]
