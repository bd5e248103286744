"""Issue 22, classes 4 and 5 (and the saves' side of class 1): one folder per name, one window
per player, and every OSError on a save path told as a save problem, never a traceback."""

from __future__ import annotations

import errno
import os
import queue
import signal
import subprocess
import sys
import threading
import time
from pathlib import Path

import pytest
import tomli_w

from quiz.deckfile.read import load_deck
from quiz.saves.folder import SaveError, SaveFolder, game_record, old_player_slug, player_slug
from quiz.saves.layout import OWNER
from quiz.scores import summary
from quiz.scores.summary import history
from tests.conftest import FIXED, ROOT, Cli
from tests.saves_helpers import played

DECK = load_deck(FIXED)
# Two names whose old folder names were the same ("crowd-65e22d9f"): found by trying
# case and punctuation variants of "Crowd" (about 30,000 names, 0.3 s).
TWIN_A, TWIN_B = "CrowD-+.+", "CRoWd-,_'"
PLAIN = ("play", "--plain", "--deck", str(FIXED))


def old_folder(root: Path, name: str, finished: int, unfinished: bool) -> Path:
    """A player folder as quiz wrote it before: 32 bits of hash, no owner file."""
    folder = root / old_player_slug(name)
    (folder / "games").mkdir(parents=True, exist_ok=True)
    for seed in range(finished):
        game = played(name, seed=seed + 10, rights=[True] * 3, seconds=1.0)
        record = game_record(game, "finished")
        path = folder / "games" / f"2026010{seed + 1}T100000000000Z-{game.id[:8]}-{len(name)}.toml"
        path.write_text(tomli_w.dumps(record), encoding="utf-8")
    if unfinished:
        current = played(name, seed=7, rights=[True] * 1, seconds=1.0)
        (folder / "current.toml").write_text(
            tomli_w.dumps(game_record(current, "in-progress")), encoding="utf-8"
        )
    return folder


def finished_games(saves: Path) -> dict[str, int]:
    return {row["player"]: row["games"] for row in summary.leaderboard(SaveFolder(saves))}


def everything(root: Path) -> dict[str, bytes]:
    return {
        str(p.relative_to(root)): p.read_bytes()
        for p in root.rglob("*")
        if p.is_file() and not p.is_symlink()
    }


# --- 4. two names never share a folder --------------------------------------------------------


def test_names_whose_old_hashes_collide_keep_apart_and_neither_shelves_the_other(
    cli: Cli, tmp_path: Path
) -> None:
    assert old_player_slug(TWIN_A) == old_player_slug(TWIN_B)  # the old collision, for real
    assert player_slug(TWIN_A) != player_slug(TWIN_B)
    assert player_slug(TWIN_A).startswith("crowd-") and len(player_slug(TWIN_A)) == 6 + 32
    saves = tmp_path / "saves"
    where = ("--saves", str(saves), "--count", "2", "--seed", "1")
    # A answers one of two and the input ends: kept unfinished. B then starts anew.
    assert cli(*PLAIN, "--player", TWIN_A, *where, stdin="1\n").code == 0
    started = cli(*PLAIN, "--player", TWIN_B, *where, "--new", stdin="")
    assert "unfinished" not in started.err, started.err  # nothing of A's was shelved
    assert not list((saves / player_slug(TWIN_A) / "games").iterdir())
    offered = cli(*PLAIN, "--player", TWIN_A, *where, stdin="")
    assert offered.code == 1 and f"{TWIN_A} has an unfinished game: 1 of 2" in offered.err


def test_a_folder_that_says_it_is_another_players_is_refused_and_kept(
    cli: Cli, tmp_path: Path
) -> None:
    saves = tmp_path / "saves"
    SaveFolder(saves).save_finished(played("Bob", seed=1, rights=[True] * 3, seconds=1.0))
    # Someone names a folder for Ann and writes Bob's name in it (or copies Bob's folder).
    planted = saves / player_slug("Ann")
    os.rename(saves / player_slug("Bob"), planted)
    before = everything(saves)
    result = cli(*PLAIN, "--player", "Ann", "--saves", str(saves), "--count", "1", stdin="1\n")
    assert result.code == 1 and "Traceback" not in result.err
    assert f"the save folder {planted} belongs to the player 'Bob', not 'Ann'" in result.err
    assert everything(saves) == before
    assert cli("scores", "--saves", str(saves), "--format", "json").code == 0


def test_an_old_folder_moves_to_the_new_name_with_every_game_counted_once(
    cli: Cli, tmp_path: Path
) -> None:
    saves = tmp_path / "saves"
    old = old_folder(saves, "Ann", finished=2, unfinished=True)
    assert finished_games(saves) == {"Ann": 2}  # read where it is before Ann is seen
    # Ann comes back: her game resumes at its second question, and she finishes it.
    result = cli(*PLAIN, "--player", "Ann", "--saves", str(saves), "--resume", stdin="1\n1\n")
    assert result.code == 0, result.err
    assert "Question 2/3" in result.out and "Question 1/3" not in result.out
    # Told once, in the player's words: folder names are never shown to players.
    assert result.err.count("the saves of Ann were moved to their new folder") == 1
    assert old.name not in result.err
    assert "summary" not in result.err  # the moved summary is made anew without a word
    assert not old.exists()
    folder = saves / player_slug("Ann")
    assert (folder / OWNER).read_text(encoding="utf-8") == "Ann\n"
    assert finished_games(saves) == {"Ann": 3}
    assert len(history(SaveFolder(saves), "Ann", DECK.id).scores) == 3
    again = cli(*PLAIN, "--player", "Ann", "--saves", str(saves), "--count", "1", stdin="1\n")
    assert again.code == 0 and "moved" not in again.err  # once only


def test_a_folder_two_names_shared_is_split_between_them_never_merged(
    cli: Cli, tmp_path: Path
) -> None:
    saves = tmp_path / "saves"
    old_folder(saves, TWIN_A, finished=1, unfinished=True)
    shared = old_folder(saves, TWIN_B, finished=2, unfinished=False)
    assert finished_games(saves) == {TWIN_A: 1, TWIN_B: 2}
    resumed = cli(*PLAIN, "--player", TWIN_A, "--saves", str(saves), "--resume", stdin="1\n1\n")
    assert resumed.code == 0 and "Question 2/3" in resumed.out, resumed.err
    # B's games stay in the old folder, for B; A's moved to A's own.
    assert len(list((shared / "games").iterdir())) == 2
    assert len(list((saves / player_slug(TWIN_A) / "games").iterdir())) == 2
    assert finished_games(saves) == {TWIN_A: 2, TWIN_B: 2}
    # B is seen: B's games move to B's folder, and the emptied old folder goes.
    assert cli("scores", "--saves", str(saves)).code == 0
    assert SaveFolder(saves).player_dir(TWIN_B, create=False) == saves / player_slug(TWIN_B)
    assert not shared.exists()
    assert finished_games(saves) == {TWIN_A: 2, TWIN_B: 2}
    assert [r.player for r in SaveFolder(saves).games(player=TWIN_B)] == [TWIN_B, TWIN_B]
    assert len(history(SaveFolder(saves), TWIN_A, DECK.id).scores) == 2


# --- 5. one player, two windows --------------------------------------------------------------


class Window:
    """`quiz play --plain` in a real process, read line by line with deadlines."""

    def __init__(self, *args: str) -> None:
        self.proc = subprocess.Popen(
            [sys.executable, "-m", "quiz", *PLAIN, *args],
            stdin=subprocess.PIPE,
            stdout=subprocess.PIPE,
            stderr=subprocess.STDOUT,
            text=True,
            cwd=ROOT,
            env={**os.environ, "NO_COLOR": "1"},
        )
        self.lines: queue.Queue[str] = queue.Queue()
        threading.Thread(target=self._read, daemon=True).start()

    def _read(self) -> None:
        assert self.proc.stdout is not None
        for line in self.proc.stdout:
            self.lines.put(line)

    def wait_for(self, text: str, seconds: float = 30) -> None:
        deadline = time.monotonic() + seconds
        seen = []
        while time.monotonic() < deadline:
            try:
                line = self.lines.get(timeout=max(0.01, deadline - time.monotonic()))
            except queue.Empty:
                break
            seen.append(line)
            if text in line:
                return
        raise AssertionError(f"never saw {text!r}; saw {''.join(seen)!r}")

    def type(self, line: str) -> None:
        assert self.proc.stdin is not None
        self.proc.stdin.write(line + "\n")
        self.proc.stdin.flush()


def test_a_second_window_is_told_and_shelves_nothing_until_the_first_is_gone(
    tmp_path: Path,
) -> None:
    saves = tmp_path / "saves"
    where = ("--player", "Crowd", "--saves", str(saves))
    first = Window(*where, "--count", "3", "--seed", "1")
    try:
        first.wait_for("Question 1/3")
        first.type("1")
        first.wait_for("Question 2/3")  # one answer saved: a game in progress
        folder = saves / player_slug("Crowd")
        current = (folder / "current.toml").read_bytes()
        for extra in ((), ("--new",)):
            second = subprocess.run(
                [sys.executable, "-m", "quiz", *PLAIN, *where, *extra],
                stdin=subprocess.DEVNULL,
                capture_output=True,
                text=True,
                cwd=ROOT,
                timeout=60,
            )
            assert second.returncode == 1 and "Traceback" not in second.stderr
            assert "Crowd is playing in another window right now" in second.stderr
            assert "unfinished" not in second.stderr, second.stderr  # not offered, not shelved
            assert (folder / "current.toml").read_bytes() == current
            assert not list((folder / "games").iterdir())
        first.proc.send_signal(signal.SIGKILL)
        first.proc.wait(timeout=30)
    finally:
        if first.proc.poll() is None:
            first.proc.kill()
            first.proc.wait(timeout=30)
    # The killed window's lock went with it: the game resumes where it stopped.
    third = Window(*where, "--resume")
    try:
        third.wait_for("Question 2/3")
        third.type("1")
        third.type("1")
        third.wait_for("/3 correct")
        assert third.proc.wait(timeout=30) == 0
    finally:
        if third.proc.poll() is None:
            third.proc.kill()
            third.proc.wait(timeout=30)
    assert finished_games(saves) == {"Crowd": 1}  # counted once
    assert [r.status for r in SaveFolder(saves).games(player="Crowd")] == ["finished"]


def test_one_process_may_hold_a_player_twice_and_let_go(tmp_path: Path) -> None:
    from quiz.saves.folder import PlayerBusy

    saves = SaveFolder(tmp_path)
    saves.claim("Ann")
    SaveFolder(tmp_path).claim("Ann")  # the same process: never refused
    saves.release("Ann")
    script = (
        "import sys; from quiz.saves.folder import SaveFolder; "
        "SaveFolder(sys.argv[1]).claim('Ann'); print('held')"
    )
    holder = SaveFolder(tmp_path)
    holder.claim("Ann")
    refused = subprocess.run(
        [sys.executable, "-c", script.replace("print('held')", "pass"), str(tmp_path)],
        capture_output=True,
        text=True,
        cwd=ROOT,
        timeout=60,
    )
    assert PlayerBusy.__name__ in refused.stderr and "Ann is playing" in refused.stderr
    holder.release("Ann")
    free = subprocess.run(
        [sys.executable, "-c", script, str(tmp_path)],
        capture_output=True,
        text=True,
        cwd=ROOT,
        timeout=60,
    )
    assert free.stdout == "held\n", free.stderr


# --- every OSError on a save path is a save problem ------------------------------------------


def a_finished_game(saves: Path) -> Path:
    SaveFolder(saves).save_finished(played("Ann", seed=1, rights=[True] * 3, seconds=1.0))
    return saves / player_slug("Ann")


@pytest.mark.parametrize("planted", [".lock", ".playing"])
def test_a_symlink_planted_as_a_lock_is_a_clear_error_and_never_followed(
    cli: Cli, tmp_path: Path, planted: str
) -> None:
    saves = tmp_path / "saves"
    folder = a_finished_game(saves)
    victim = tmp_path / "victim"
    victim.write_text("keep")
    (folder / planted).unlink(missing_ok=True)
    (folder / planted).symlink_to(victim)
    result = cli(*PLAIN, "--player", "Ann", "--saves", str(saves), "--count", "1", stdin="1\n")
    assert result.code == 1 and "Traceback" not in result.err
    assert f"{folder / planted} is a symbolic link; refusing to follow it" in result.err
    assert victim.read_text() == "keep"
    assert finished_games(saves) == {"Ann": 1}


def test_games_as_a_file_is_a_clear_error_and_the_file_is_kept(cli: Cli, tmp_path: Path) -> None:
    saves = tmp_path / "saves"
    folder = saves / player_slug("Ann")
    folder.mkdir(parents=True)
    (folder / "games").write_text("not a folder")
    result = cli(*PLAIN, "--player", "Ann", "--saves", str(saves), "--count", "1", stdin="1\n")
    assert result.code == 1 and "Traceback" not in result.err
    assert f"{folder / 'games'} is a file, not a folder" in result.err
    assert (folder / "games").read_text() == "not a folder"
    # The API the TUI and the live room use says the same, as a SaveError.
    with pytest.raises(SaveError, match="is a file, not a folder"):
        SaveFolder(saves).save_finished(played("Ann", seed=1, rights=[True] * 3, seconds=1.0))


def test_a_read_only_player_folder_is_a_clear_error(cli: Cli, tmp_path: Path) -> None:
    if os.geteuid() == 0:
        pytest.skip("running as root, which writes into read-only folders; see the EROFS test")
    saves = tmp_path / "saves"
    folder = a_finished_game(saves)
    os.chmod(folder, 0o500)
    try:
        result = cli(*PLAIN, "--player", "Ann", "--saves", str(saves), "--count", "1", stdin="1\n")
    finally:
        os.chmod(folder, 0o700)
    assert result.code == 1 and "Traceback" not in result.err
    assert "Permission denied" in result.err
    assert finished_games(saves) == {"Ann": 1}


def read_only_disk(monkeypatch: pytest.MonkeyPatch) -> None:
    """Every write fails as on a disk gone read-only (EROFS); reads still work (root too)."""
    real_open = os.open

    def refuse(*args: object, **kwargs: object) -> None:
        raise OSError(errno.EROFS, "Read-only file system")

    def open_for_reading(path: object, flags: int, *args: object, **kwargs: object) -> int:
        if flags & (os.O_WRONLY | os.O_RDWR | os.O_CREAT):
            refuse()
        return real_open(path, flags, *args, **kwargs)  # type: ignore[arg-type]

    monkeypatch.setattr(os, "open", open_for_reading)
    for name in ("mkdir", "replace", "rename", "unlink", "rmdir"):
        monkeypatch.setattr(os, name, refuse)


OPERATIONS = {
    "save_progress": lambda s: s.save_progress(
        played("Ann", seed=2, rights=[True] * 1, seconds=1.0)
    ),
    "save_finished": lambda s: s.save_finished(
        played("Ann", seed=2, rights=[True] * 3, seconds=1.0)
    ),
    "shelve_current": lambda s: s.shelve_current("Ann"),
    "claim a new player": lambda s: s.claim("Bob"),
    "start a new player": lambda s: s.player_dir("Bob", create=True),
    "move an old folder": lambda s: s.claim("Cy"),
}


@pytest.mark.parametrize("operation", OPERATIONS)
def test_every_write_on_a_read_only_disk_is_a_save_error_and_loses_nothing(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch, operation: str
) -> None:
    saves = SaveFolder(tmp_path)
    saves.save_finished(played("Ann", seed=1, rights=[True] * 3, seconds=1.0))
    saves.save_progress(played("Ann", seed=2, rights=[True] * 1, seconds=1.0))
    old_folder(tmp_path, "Cy", finished=1, unfinished=False)
    before = everything(tmp_path)
    with monkeypatch.context() as patch:
        read_only_disk(patch)
        with pytest.raises(SaveError, match="Read-only file system") as raised:
            OPERATIONS[operation](SaveFolder(tmp_path))
    said = str(raised.value)
    assert any(f"'{who}'" in said or player_slug(who) in said for who in ("Ann", "Bob", "Cy")), said
    assert everything(tmp_path) == before


def test_the_rooms_folder_is_never_read_as_a_players(tmp_path: Path) -> None:
    saves = SaveFolder(tmp_path)
    rooms = saves.rooms_dir
    rooms.mkdir(parents=True)
    (rooms / "20260101T000000Z-123456.json").write_text("{}", encoding="utf-8")
    assert summary.leaderboard(saves) == []
    assert sorted(p.name for p in rooms.iterdir()) == ["20260101T000000Z-123456.json"]
