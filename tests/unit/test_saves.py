"""Saves lose nothing: atomic writes, concurrent writers, damaged files, hostile names."""

from __future__ import annotations

import os
import signal
import subprocess
import sys
import tomllib
from pathlib import Path

import pytest

from quiz.deckfile.read import load_deck
from quiz.game.play import Game
from quiz.questions.plan import make_quiz
from quiz.saves.folder import SaveError, SaveFolder, atomic_write, player_slug
from quiz.scores import summary
from quiz.text import clean
from tests.conftest import FIXED, ROOT
from tests.saves_helpers import played

DECK = load_deck(FIXED)


def test_a_finished_game_round_trips(tmp_path: Path) -> None:
    saves = SaveFolder(tmp_path)
    game = played("Ann")
    path = saves.save_finished(game)
    data = tomllib.loads(path.read_text(encoding="utf-8"))
    assert data["format"] == 1 and data["player"] == "Ann" and data["deck"] == DECK.id
    assert data["score"] == game.score and data["correct"] == 3 and data["answered"] == 3
    assert data["started"].endswith("Z") and data["finished"].endswith("Z")
    first = data["answers"][0]
    assert {
        "question",
        "fact",
        "choice",
        "correct",
        "seconds",
        "points",
        "prompt",
        "chosen",
        "right",
    } <= first.keys()
    (record,) = list(saves.games())
    assert record.score == game.score
    assert summary.leaderboard(saves) == [
        {
            "player": "Ann",
            "games": 1,
            "answered": 3,
            "correct": 3,
            "best_score": game.score,
            "last_played": data["finished"],
        }
    ]


def test_progress_then_finish_clears_current(tmp_path: Path) -> None:
    saves = SaveFolder(tmp_path)
    game = Game(make_quiz(DECK, 1, 3), player="Ann", deck_id=DECK.id, deck_title=DECK.title, seed=1)
    game.answer(0, 1)
    saves.save_progress(game)
    current = saves.load_current("Ann")
    assert (
        current is not None
        and current.record.answered == 1
        and current.record.status == "in-progress"
    )
    while not game.finished:
        game.answer(0, 1)
    saves.save_finished(game)
    assert saves.load_current("Ann") is None


def test_atomic_write_keeps_permissions_and_leaves_no_temp(tmp_path: Path) -> None:
    path = tmp_path / "x.toml"
    path.write_text("a = 1\n")
    os.chmod(path, 0o600)
    atomic_write(path, "a = 2\n")
    assert path.read_text() == "a = 2\n"
    assert oct(path.stat().st_mode & 0o777) == "0o600"
    assert [p.name for p in tmp_path.iterdir()] == ["x.toml"]


def test_atomic_write_refuses_a_symlink(tmp_path: Path) -> None:
    target = tmp_path / "elsewhere.txt"
    target.write_text("keep me")
    link = tmp_path / "save.toml"
    link.symlink_to(target)
    with pytest.raises(SaveError, match="symbolic link"):
        atomic_write(link, "x = 1\n")
    assert target.read_text() == "keep me"


def test_symlinked_player_folder_is_never_followed(tmp_path: Path) -> None:
    outside = tmp_path / "outside"
    outside.mkdir()
    saves = SaveFolder(tmp_path / "saves")
    saves.ensure()
    (saves.root / player_slug("Ann")).symlink_to(outside, target_is_directory=True)
    with pytest.raises(SaveError, match="symbolic link"):
        saves.save_finished(played("Ann"))
    assert list(outside.iterdir()) == []


@pytest.mark.parametrize(
    ("name", "content"),
    [
        ("empty", b""),
        ("truncated", b'format = 1\nid = "x"\nplayer = "Ann"\ndeck = "amber-bal'),
        ("not-utf8", b'format = 1\nplayer = "\xff\xfe"\n'),
        ("wrong-shape", b"format = 1\n[answers]\nx = 1\n"),
        ("not-toml", b"\x00\x01\x02garbage{{{"),
    ],
)
def test_damaged_save_is_moved_aside_intact_and_play_goes_on(
    tmp_path: Path, name: str, content: bytes
) -> None:
    told: list[str] = []
    saves = SaveFolder(tmp_path, notify=told.append)
    saves.save_finished(played("Ann"))
    games = saves.player_dir("Ann", create=False) / "games"
    bad = games / f"20200101T000000000000Z-{name}.toml"
    bad.write_bytes(content)
    records = list(saves.games())
    assert len(records) == 1
    assert len(told) == 1 and bad.name in told[0] and "\n" not in told[0]
    (aside,) = games.glob("*.corrupt-*.toml")
    assert aside.read_bytes() == content
    assert not bad.exists()
    saves.save_finished(played("Ann", seed=2))
    assert len(list(saves.games())) == 2


def test_damaged_current_game_is_kept_aside(tmp_path: Path) -> None:
    saves = SaveFolder(tmp_path)
    folder = saves.player_dir("Ann", create=True)
    (folder / "current.toml").write_bytes(b"not = [toml")
    assert saves.load_current("Ann") is None
    assert list(folder.glob("current.corrupt-*.toml"))


HOSTILE = [
    "../x",
    "..",
    "/etc/passwd",
    "CON",
    "con.txt",
    "LPT1",
    "Ｆｕｌｌｗｉｄｔｈ",
    "\u2024\u2024",
    "\u2024\u2024/x",
    "ﬁle",
    "😀🏁",
    "x" * 300,
    "Ann",
    "ann",
    "ANN",
    "a\u200bb",
    "\u202eevil",
    "a/b\\c",
    "",
]


def test_hostile_names_stay_inside_the_folder_and_apart(tmp_path: Path) -> None:
    saves = SaveFolder(tmp_path / "saves")
    slugs = set()
    for name in HOSTILE:
        slug = player_slug(name)
        assert slug == slug.strip(".") and "/" not in slug and "\\" not in slug and ".." not in slug
        assert len(slug) <= 73 and slug.isascii()  # 40 readable + "-" + 128 bits in hex
        assert slug.split("-")[0] not in {"con", "prn", "aux", "nul", "lpt1", "com1"}
        slugs.add(slug)
        if name:
            path = saves.save_finished(played(name))
            assert path.resolve().is_relative_to((tmp_path / "saves").resolve())
    assert len(slugs) == len(HOSTILE)
    players = {row["player"] for row in summary.leaderboard(saves)}
    assert players == {clean(n) for n in HOSTILE if n}  # shown display-safe


WRITER = """
import sys
from quiz.deckfile.read import load_deck
from quiz.game.play import Game
from quiz.questions.plan import make_quiz
from quiz.scores import summary
from quiz.saves.folder import SaveFolder
deck = load_deck(sys.argv[1])
saves = SaveFolder(sys.argv[2], after_save=summary.recorded)  # as `quiz play` opens it
player, games = sys.argv[3], int(sys.argv[4])
for n in range(games):
    game = Game(make_quiz(deck, n, 2, kinds={"multiple", "boolean"}), player=player, deck_id=deck.id, deck_title=deck.title, seed=n)
    game.answer(0, 1); saves.save_progress(game)
    game.answer(0, 1); saves.save_finished(game)
    print(n, flush=True)
"""


@pytest.mark.slow
def test_eight_processes_saving_at_once_lose_no_game(tmp_path: Path) -> None:
    saves_dir = tmp_path / "saves"
    procs = [
        subprocess.Popen(
            [
                sys.executable,
                "-c",
                WRITER,
                str(FIXED),
                str(saves_dir),
                ["Ann", "Ben"][i % 2],
                "6",
            ],
            cwd=ROOT,
            stdout=subprocess.PIPE,
        )
        for i in range(8)
    ]
    for proc in procs:
        assert proc.wait(timeout=120) == 0
    told: list[str] = []
    saves = SaveFolder(saves_dir, notify=told.append)
    board = {row["player"]: row["games"] for row in summary.leaderboard(saves)}
    assert board == {"Ann": 24, "Ben": 24}
    assert told == []


@pytest.mark.slow
def test_kill_9_during_saves_never_loses_a_finished_game(tmp_path: Path) -> None:
    saves_dir = tmp_path / "saves"
    confirmed = 0
    for round_ in range(6):
        proc = subprocess.Popen(
            [sys.executable, "-c", WRITER, str(FIXED), str(saves_dir), "Ann", "1000"],
            cwd=ROOT,
            stdout=subprocess.PIPE,
            text=True,
        )
        assert proc.stdout is not None
        lines = 0
        for _ in range(3 + round_):
            if proc.stdout.readline():
                lines += 1
        proc.send_signal(signal.SIGKILL)
        proc.wait()
        confirmed += lines
        for path in saves_dir.rglob("*.toml"):
            tomllib.loads(path.read_text(encoding="utf-8"))  # every save still parses
    told: list[str] = []
    saves = SaveFolder(saves_dir, notify=told.append)
    (row,) = summary.leaderboard(saves)
    assert row["games"] >= confirmed
    assert told == []


def test_unwritable_folder_is_a_clear_error_and_old_save_stays(tmp_path: Path) -> None:
    if os.geteuid() == 0:
        pytest.skip("root can write anywhere; permission errors cannot be provoked")
    saves = SaveFolder(tmp_path)
    saves.save_finished(played("Ann"))
    games = saves.player_dir("Ann", create=False) / "games"
    os.chmod(games, 0o500)
    try:
        with pytest.raises(SaveError, match="cannot"):
            saves.save_finished(played("Ann", seed=3))
    finally:
        os.chmod(games, 0o700)
    assert len(list(saves.games())) == 1


def test_full_disk_is_a_clear_error_and_leaves_no_temp(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    import errno

    saves = SaveFolder(tmp_path)
    game = Game(make_quiz(DECK, 1, 3), player="Ann", deck_id=DECK.id, deck_title=DECK.title, seed=1)
    game.answer(0, 1)
    saves.save_progress(game)
    before = (saves.player_dir("Ann", create=False) / "current.toml").read_bytes()

    def full(fd: int) -> None:
        raise OSError(errno.ENOSPC, "No space left on device")

    monkeypatch.setattr(os, "fsync", full)
    game.answer(0, 1)
    with pytest.raises(SaveError, match="No space left on device; the old save is untouched"):
        saves.save_progress(game)
    folder = saves.player_dir("Ann", create=False)
    assert (folder / "current.toml").read_bytes() == before
    assert not [p for p in folder.iterdir() if p.name.endswith(".tmp")]


def test_save_folder_that_is_a_file_is_a_clear_error(tmp_path: Path) -> None:
    blocker = tmp_path / "saves"
    blocker.write_text("I am a file")
    with pytest.raises(SaveError, match="cannot create"):
        SaveFolder(blocker).save_finished(played("Ann"))
    assert blocker.read_text() == "I am a file"
