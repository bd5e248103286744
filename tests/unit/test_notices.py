"""Notices (a damaged save set aside, a summary rebuilt, an old game shelved): each said once,
where the front end says things, at the moment it happened.

The saves call the sink their front end gave (`SaveFolder(notify=...)`); nothing is
kept in the folder for another layer to drain.
"""

from __future__ import annotations

import threading
from pathlib import Path

import pytest

from quiz.deckfile.read import load_deck
from quiz.saves.folder import LoadedGame, SaveFolder, Unreadable, player_slug
from quiz.session import SessionError, resume_match, start_match
from tests.conftest import FIXED, MINI
from tests.plain_helpers import play_plain

DECK = load_deck(FIXED)
SET_ASIDE = "could not be read (it is not valid TOML"
REBUILT = "was missing; rebuilt it from"


def answers(count: int) -> str:
    return "1\n" * count


def play(cli, saves: Path, *args: str, stdin: str = ""):  # type: ignore[no-untyped-def]
    return play_plain(cli, saves, player=None, args=args, stdin=stdin)


def games_of(saves: Path, player: str) -> Path:
    return saves / player_slug(player) / "games"


def damage_a_game(saves: Path, player: str = "Ann") -> Path:
    """A game file someone broke by hand, named after the summary was written."""
    bad = games_of(saves, player) / "20991231T000000000000Z-bad.toml"
    bad.write_text("score = [\n", encoding="utf-8")
    return bad


# --- the core calls the sink once, at the moment, and keeps nothing ----------------------------


def test_a_damaged_save_is_told_to_the_sink_once_and_nothing_is_kept(tmp_path: Path) -> None:
    told: list[str] = []
    saves = SaveFolder(tmp_path, notify=told.append)
    start_match(DECK, saves, ["Ann"], count=1, seed=1)
    path = saves.player_dir("Ann", create=True) / "current.toml"
    path.write_text("not = = toml", encoding="utf-8")
    read = saves.read_current("Ann")
    assert isinstance(read, Unreadable) and read.notice == told[0]
    assert len(told) == 1 and "current.toml could not be read" in told[0]
    assert saves.read_current("Ann") is None  # set aside: read once, told once
    assert len(told) == 1
    assert not hasattr(saves, "notices")


def test_telling_sends_notices_elsewhere_and_leaves_the_folder_as_it_was(tmp_path: Path) -> None:
    first: list[str] = []
    second: list[str] = []
    saves = SaveFolder(tmp_path, notify=first.append)
    other = saves.telling(second.append)
    assert other.root == saves.root and other.named == saves.named
    (saves.player_dir("Ann", create=True) / "current.toml").write_text("[[", encoding="utf-8")
    assert other.load_current("Ann") is None
    assert first == [] and len(second) == 1


def test_a_folder_nobody_listens_to_still_reads(tmp_path: Path) -> None:
    """The live room's server gives no sink: damaged files are still set aside, never lost."""
    saves = SaveFolder(tmp_path)
    game = start_match(DECK, saves, ["Ann"], count=1, seed=1).games[0]
    game.answer(0, 1.0)
    saves.save_finished(game)
    bad = damage_a_game(tmp_path)
    assert [r.player for r in saves.games()] == ["Ann"]
    assert not bad.exists() and list(bad.parent.glob("*.corrupt-*.toml"))


def test_the_sink_is_called_on_the_thread_that_reads(tmp_path: Path) -> None:
    """What the TUI relies on: a read in a worker tells from the worker, so the sink hands it on."""
    threads: list[str] = []
    saves = SaveFolder(tmp_path, notify=lambda _: threads.append(threading.current_thread().name))
    start_match(DECK, saves, ["Ann"], count=1, seed=1)
    (saves.player_dir("Ann", create=True) / "current.toml").write_text("[[", encoding="utf-8")
    worker = threading.Thread(target=saves.load_current, args=("Ann",), name="a-worker")
    worker.start()
    worker.join(timeout=30)
    assert threads == ["a-worker"]


def test_resume_of_a_match_says_a_damaged_save_was_set_aside(tmp_path: Path) -> None:
    told: list[str] = []
    saves = SaveFolder(tmp_path, notify=told.append)
    match = start_match(DECK, saves, ["Ann", "Ben"], count=2, seed=1)
    for game in match.games:
        saves.save_progress(game)
        (saves.player_dir(game.player, create=False) / "current.toml").write_text("[[")
    with pytest.raises(SessionError) as raised:
        resume_match(saves, ["Ann", "Ben"], lambda _: DECK)
    assert str(raised.value) == (
        "Ann and Ben have no game in progress to resume (a damaged save was set aside)"
    )
    assert len(told) == 2 and all("current.toml could not be read" in n for n in told)


def test_resume_of_a_match_with_no_saves_does_not_claim_one_was_damaged(tmp_path: Path) -> None:
    saves = SaveFolder(tmp_path, notify=lambda _: None)
    with pytest.raises(SessionError) as raised:
        resume_match(saves, ["Ann", "Ben"], lambda _: DECK)
    assert str(raised.value) == "Ann and Ben have no game in progress to resume"


def test_read_current_tells_a_good_game_apart(tmp_path: Path) -> None:
    saves = SaveFolder(tmp_path, notify=lambda _: None)
    game = start_match(DECK, saves, ["Ann"], count=2, seed=1).games[0]
    saves.save_progress(game)
    assert isinstance(saves.read_current("Ann"), LoadedGame)
    assert saves.read_current("Ben") is None


# --- quiz scores, report and stats: on stderr, once ----------------------------------------------


def test_scores_says_a_damaged_game_and_the_rebuild_once_on_stderr(cli, tmp_path: Path) -> None:
    saves = tmp_path / "saves"
    assert play(cli, saves, "--player", "Ann", "--count", "2", stdin=answers(2)).code == 0
    bad = damage_a_game(saves)
    (bad.parent.parent / "summary.toml").unlink()
    first = cli("scores", "--saves", str(saves))
    assert first.code == 0
    lines = first.err.splitlines()
    assert len(lines) == 2, first.err
    assert lines[0].startswith(f"quiz: {bad.name} {SET_ASIDE}")
    assert "it was set aside, unchanged, as 20991231T000000000000Z-bad.corrupt-" in lines[0]
    assert lines[1] == ("quiz: the score summary of Ann was missing; rebuilt it from 2 game files")
    assert "Ann" in first.out and SET_ASIDE not in first.out
    again = cli("scores", "--saves", str(saves))
    assert again.code == 0 and again.err == "" and again.out == first.out


def test_report_says_a_damaged_game_on_stderr_after_the_report(cli, tmp_path: Path) -> None:
    saves = tmp_path / "saves"
    play(cli, saves, "--player", "Ann", "--count", "2", stdin=answers(2))
    bad = damage_a_game(saves)
    result = cli("report", "--saves", str(saves), "--format", "csv")
    assert result.code == 0
    assert result.out.startswith("player,") and SET_ASIDE not in result.out
    assert result.err.count(SET_ASIDE) == 1 and bad.name in result.err


def test_stats_says_a_damaged_game_once_on_stderr(cli, tmp_path: Path) -> None:
    saves = tmp_path / "saves"
    play(cli, saves, "--player", "Ann", "--count", "2", stdin=answers(2))
    damage_a_game(saves)
    result = cli("stats", "--saves", str(saves))
    assert result.code == 0
    assert result.err.count(SET_ASIDE) == 1 and SET_ASIDE not in result.out


# --- plain play: in line on stdout after the save, or on stderr before the game ----------------


def test_plain_play_says_a_damaged_game_once_in_line_after_the_last_save(
    cli, tmp_path: Path
) -> None:
    saves = tmp_path / "saves"
    play(cli, saves, "--player", "Ann", "--count", "2", stdin=answers(2))
    bad = damage_a_game(saves)
    result = play(cli, saves, "--player", "Ann", "--count", "2", "--seed", "3", stdin=answers(2))
    assert result.code == 0
    assert SET_ASIDE not in result.err
    lines = result.out.splitlines()
    (note,) = [n for n in lines if SET_ASIDE in n]
    assert note.startswith(f"Note: {bad.name} {SET_ASIDE}")
    # Said after the last answer's feedback (the save that read it), before the results.
    assert lines.index(note) > max(i for i, line in enumerate(lines) if line.startswith("Source:"))
    assert lines.index(note) < lines.index("Share it (no spoilers):")


def test_plain_play_says_a_summary_rebuild_once(cli, tmp_path: Path) -> None:
    saves = tmp_path / "saves"
    play(cli, saves, "--player", "Ann", "--count", "2", stdin=answers(2))
    (games_of(saves, "Ann").parent / "summary.toml").write_text("damaged", encoding="utf-8")
    result = play(cli, saves, "--player", "Ann", "--count", "2", "--seed", "3", stdin=answers(2))
    assert result.code == 0
    assert result.out.count("Note: the score summary of") == 1
    assert "rebuilt it from 2 game files" in result.out and result.err == ""
    quiet = play(cli, saves, "--player", "Ann", "--count", "2", "--seed", "4", stdin=answers(2))
    assert "Note:" not in quiet.out and quiet.err == ""


def test_plain_play_says_a_damaged_unfinished_game_once_on_stderr_before_it_starts(
    cli, tmp_path: Path
) -> None:
    saves = tmp_path / "saves"
    play(cli, saves, "--player", "Ann", "--count", "3", stdin="1\n")
    (current,) = saves.glob("*/current.toml")
    current.write_text("[[", encoding="utf-8")
    result = play(cli, saves, "--player", "Ann", "--count", "2", stdin=answers(2))
    assert result.code == 0
    assert result.err.count("quiz: current.toml could not be read") == 1
    assert "could not be read" not in result.out


def test_plain_play_says_what_starting_raised_after_the_first_line(cli, tmp_path: Path) -> None:
    saves = tmp_path / "saves"
    play(cli, saves, "--player", "Ann", "--count", "3", stdin="q\n")  # quit before answering
    result = play(
        cli, saves, "--deck", str(MINI), "--player", "Ann", "--count", "500", stdin=answers(500)
    )
    assert result.code == 0
    lines = result.out.splitlines()
    shelved = (
        "Note: the unfinished game of Ann was kept in the history (not resumed); a new game starts"
    )
    assert lines[1] == shelved and lines.count(shelved) == 1
    assert lines[2].startswith("Note: the deck can give ") and "not 500: playing" in lines[2]
    assert sum("Note: the deck can give" in line for line in lines) == 1
    assert result.err.count("quiz: note: the deck can give") == 1


def test_a_failed_start_says_what_it_raised_on_stderr_before_the_error(cli, tmp_path: Path) -> None:
    saves = tmp_path / "saves"
    play(cli, saves, "--player", "Ann", "--count", "3", stdin="1\n")
    (current,) = saves.glob("*/current.toml")
    current.write_text("[[", encoding="utf-8")
    result = play(cli, saves, "--player", "Ann", "--resume")
    assert result.code == 1
    lines = result.err.splitlines()
    assert len(lines) == 2
    assert lines[0].startswith("quiz: current.toml could not be read")
    assert lines[1].startswith(
        "quiz: the unfinished game of 'Ann' could not be read and was set aside"
    )
    assert result.out == ""


# --- shelving without reading: only when no one else has a game in progress --------------------


def test_a_partner_folder_that_is_a_symlink_is_still_refused_when_shelving(
    cli, tmp_path: Path
) -> None:
    saves = tmp_path / "saves"
    two = ("--player", "Ann", "--player", "Ben", "--count", "2", "--seed", "1")
    play(cli, saves, *two, stdin="1\n")  # Ann answers, then the input ends: a match kept
    ben = saves / player_slug("Ben")
    elsewhere = tmp_path / "elsewhere"
    ben.rename(elsewhere)
    ben.symlink_to(elsewhere, target_is_directory=True)
    result = play(cli, saves, "--player", "Ann", "--new", "--count", "1", stdin="1\n")
    assert result.code == 1
    assert "is a symbolic link; refusing to follow it" in result.err
    assert (saves / player_slug("Ann") / "current.toml").exists()  # nothing was shelved
    assert (elsewhere / "current.toml").exists()


def test_stats_prints_a_file_name_with_escapes_as_text(cli, tmp_path: Path) -> None:
    saves = tmp_path / "saves"
    play(cli, saves, "--player", "Ann", "--count", "1", "--seed", "1", stdin=answers(1) + "\n")
    bad = games_of(saves, "Ann") / "20991231T000000000000Z-\x1b[31mred\x07.toml"
    bad.write_text("score = [\n", encoding="utf-8")
    result = cli("stats", "--saves", str(saves))
    assert SET_ASIDE in result.err
    assert "\x1b" not in result.err and "\x07" not in result.err


def test_many_summaries_rebuilt_at_once_are_told_in_one_line(cli, tmp_path: Path) -> None:
    saves = tmp_path / "saves"
    players = ["Ann", "Ben", "Cy", "Di", "Ed"]
    for player in players:
        play(cli, saves, "--player", player, "--count", "1", "--seed", "1", stdin="1\n\n")
    for derived in [*saves.glob("*/summary.toml"), *saves.glob("*/detail.toml")]:
        derived.unlink()
    (saves / ".scores.toml").unlink(missing_ok=True)
    result = cli("scores", "--saves", str(saves))
    assert result.code == 0
    assert all(player in result.out for player in players)
    notes = [line for line in result.err.splitlines() if "summar" in line]
    assert notes == [
        "quiz: the score summaries of 5 players were missing or out of date; "
        "rebuilt them from 5 game files"
    ]
    # One folder alone is still named.
    (saves / player_slug("Ann") / "summary.toml").unlink()
    (saves / ".scores.toml").unlink(missing_ok=True)
    again = cli("scores", "--saves", str(saves))
    assert [line for line in again.err.splitlines() if "summar" in line] == [
        "quiz: the score summary of Ann was missing; rebuilt it from 1 game file"
    ]
