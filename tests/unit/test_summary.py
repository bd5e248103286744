"""The score summary (quiz/scores/summary.py) always says what a full read of the game files says."""

from __future__ import annotations

import functools
import json
import os
import subprocess
import sys
import tempfile
from pathlib import Path
from typing import Any

import pytest
import tomli_w
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from quiz.deckfile.read import load_deck
from quiz.game.play import Game
from quiz.questions.plan import make_quiz
from quiz.saves.folder import SaveFolder, game_record, player_slug
from quiz.scores import cache, summary
from quiz.scores.groups import HISTORY_ROWS
from quiz.scores.summary import HistoryRow
from quiz.session import review_pile
from tests.conftest import CHOICE_FORMS, FIXED, ROOT

DECK = load_deck(FIXED)
# Every folder here keeps its summary up to date as the command line's folders do.
Saves = functools.partial(SaveFolder, after_save=summary.recorded)
PLAYERS = ["Ann", "Bo"]
DECKS = ["amber", "other"]
QUIZZES = {seed: make_quiz(DECK, seed, 4, kinds=CHOICE_FORMS) for seed in range(3)}


# --- the reference: what the readers computed from every game file before the summary ---


def ref_leaderboard(saves: SaveFolder, deck: str | None) -> list[dict[str, Any]]:
    rows: dict[str, dict[str, Any]] = {}
    for record in saves.games(deck=deck):
        if record.status != "finished" or record.mode == "review":
            continue
        row = rows.setdefault(
            record.player,
            {
                "player": record.player,
                "games": 0,
                "answered": 0,
                "correct": 0,
                "best_score": 0,
                "last_played": "",
            },
        )
        row["games"] += 1
        row["answered"] += record.answered
        row["correct"] += record.correct
        row["best_score"] = max(row["best_score"], record.score)
        row["last_played"] = max(row["last_played"], record.finished or record.started)
    return sorted(rows.values(), key=lambda r: (-r["best_score"], -r["correct"], r["player"]))


def ref_pile(saves: SaveFolder, player: str, deck: str) -> dict[str, int]:
    streaks: dict[str, int] = {}
    for record in sorted(
        saves.games(player=player, deck=deck), key=lambda r: r.finished or r.started
    ):
        for answer in record.answers:
            if not answer.correct:
                streaks[answer.question] = 0
            elif answer.question in streaks:
                streaks[answer.question] += 1
    return streaks


def ref_history(
    saves: SaveFolder, player: str, deck: str
) -> tuple[list[int], list[HistoryRow], int]:
    finished = [g for g in saves.games(player=player, deck=deck) if g.status == "finished"]
    # Review rounds are practice: left out of the history, and counted.
    games = [g for g in finished if g.mode != "review"]
    games.sort(key=lambda g: g.finished or g.started)
    rows = [
        HistoryRow((g.finished or g.started)[:16], g.score, g.correct, g.count, g.best_streak)
        for g in games[-HISTORY_ROWS:]
    ]
    return [g.score for g in games], rows, len(finished) - len(games)


def assert_matches_rebuild(root: Path) -> None:
    fast, full = Saves(root), Saves(root)
    for deck in (None, *DECKS):
        assert summary.leaderboard(fast, deck) == ref_leaderboard(full, deck)
    for player in PLAYERS:
        for deck in DECKS:
            pile = summary.review_streaks(fast, player, deck)
            assert pile == ref_pile(full, player, deck)
            assert list(pile) == list(ref_pile(full, player, deck))  # the pile's order too
            found = summary.history(fast, player, deck)
            assert (found.scores, found.rows, found.reviews) == ref_history(full, player, deck)


# --- making games ------------------------------------------------------------------------------

TIMES = [f"2026-11-{day:02d}T10:00:00Z" for day in (20, 21, 22)]


def make_game(player: str, deck: str, seed: int, rights: list[bool], mode: str) -> Game:
    questions = QUIZZES[seed][: max(len(rights), 1)]
    game = Game(questions, player=player, deck_id=deck, deck_title="T", seed=seed, mode=mode)
    for question, right in zip(questions, rights, strict=False):
        game.answer(question.answer if right else (question.answer + 1) % len(question.choices), 1)
    return game


def games_dir(root: Path, player: str) -> Path:
    return root / player_slug(player) / "games"


def hand_record(player: str, deck: str, seed: int, rights: list[bool], when: str) -> str:
    game = make_game(player, deck, seed, rights, "tui")
    game.started = game.finished_at = when
    return tomli_w.dumps(game_record(game, "finished"))


rights_st = st.lists(st.booleans(), min_size=1, max_size=4)
who = st.sampled_from(PLAYERS)
deck_st = st.sampled_from(DECKS)
seed_st = st.integers(0, 2)
when_st = st.sampled_from([None, *TIMES])
op = st.one_of(
    st.tuples(
        st.just("play"),
        who,
        deck_st,
        seed_st,
        rights_st,
        st.sampled_from(["tui", "review"]),
        when_st,
    ),
    st.tuples(st.just("quit"), who, deck_st, seed_st, rights_st),
    st.tuples(st.just("shelve"), who, deck_st, seed_st, rights_st),
    st.tuples(st.just("crash"), who, deck_st, seed_st, rights_st),
    st.tuples(
        st.just("corrupt-summary"),
        who,
        st.sampled_from([summary.SUMMARY, summary.DETAIL]),
        st.sampled_from(["junk", "version", "empty", "generation"]),
    ),
    st.tuples(st.just("delete"), who, st.integers(0, 20)),
    st.tuples(
        st.just("hand"),
        who,
        st.sampled_from([*PLAYERS, "Cy"]),
        deck_st,
        seed_st,
        rights_st,
        st.sampled_from(TIMES),
        st.sampled_from(
            ["20261119T090000000000Z-hand.toml", "20991231T000000000000Z-hand.toml", "my game.toml"]
        ),
    ),
    st.tuples(st.just("bad-game"), who),
    st.tuples(st.just("check")),
)


def apply(root: Path, step: tuple[Any, ...], mp: pytest.MonkeyPatch) -> None:
    saves = Saves(root)
    kind = step[0]
    if kind == "play":
        _, player, deck, seed, rights, mode, when = step
        game = make_game(player, deck, seed, rights, mode)
        if when is not None:
            game.started = game.finished_at = when  # an older game recorded late
        saves.save_finished(game)
    elif kind == "quit":
        _, player, deck, seed, rights = step
        saves.save_finished(make_game(player, deck, seed, rights, "tui"), status="quit")
    elif kind == "shelve":
        _, player, deck, seed, rights = step
        game = make_game(player, deck, seed, rights, "tui")
        game.answers.pop()  # unfinished
        saves.save_progress(game)
        saves.shelve_current(player)
    elif kind == "crash":
        # Killed between the game file and the summary: the game is on disk, the summary is not told.
        _, player, deck, seed, rights = step
        with mp.context() as patch:
            patch.setattr(summary, "recorded", lambda *a: None)
            saves.save_finished(make_game(player, deck, seed, rights, "tui"))
    elif kind == "corrupt-summary":
        _, player, name, how = step
        path = root / player_slug(player) / name
        if path.exists():
            text = path.read_text()
            path.write_text(
                {
                    "junk": "this is [not toml",
                    "version": text.replace("format = 1", "format = 99", 1),
                    "empty": "",
                    "generation": text.replace("generation = ", "generation = 1", 1),
                }[how]
            )
    elif kind == "delete":
        _, player, index = step
        names = cache.game_names(games_dir(root, player))
        if names:
            (games_dir(root, player) / names[index % len(names)]).unlink()
    elif kind == "hand":
        _, folder_of, player, deck, seed, rights, when, name = step
        folder = games_dir(root, folder_of)
        folder.mkdir(parents=True, exist_ok=True)
        if not (folder / name).exists():  # added, not edited in place (see quiz/scores/summary.py)
            (folder / name).write_text(hand_record(player, deck, seed, rights, when))
    elif kind == "bad-game":
        folder = games_dir(root, step[1])
        folder.mkdir(parents=True, exist_ok=True)
        (folder / "20261125T000000000000Z-bad.toml").write_text("score = [")
    else:
        assert_matches_rebuild(root)


@settings(
    max_examples=int(os.environ.get("QUIZ_SUMMARY_EXAMPLES", "12")),
    deadline=None,
    suppress_health_check=[HealthCheck.too_slow],
)
@given(st.lists(op, min_size=1, max_size=12))
def test_summary_equals_a_full_rebuild(steps: list[tuple[Any, ...]]) -> None:
    with tempfile.TemporaryDirectory() as tmp, pytest.MonkeyPatch.context() as mp:
        mp.setattr(os, "fsync", lambda fd: None)  # durability is not what is tested here
        root = Path(tmp)
        for step in steps:
            apply(root, step, mp)
        assert_matches_rebuild(root)
        # And once more, now that readers have written back what they rebuilt.
        assert_matches_rebuild(root)


def test_the_cheap_test_reads_no_game_file(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setattr(cache, "RACY_NS", 0)
    saves = Saves(tmp_path)
    for rights in ([True, False], [True, True]):
        saves.save_finished(make_game("Ann", "amber", 0, rights, "tui"))
    expected = ref_leaderboard(Saves(tmp_path), None)

    def no(*args: object) -> None:
        raise AssertionError("a game file or the games folder was read")

    monkeypatch.setattr(SaveFolder, "load", no)
    assert summary.leaderboard(Saves(tmp_path)) == expected


def test_scores_read_one_rollup_when_nothing_changed(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setattr(cache, "RACY_NS", 0)
    saves = Saves(tmp_path)
    for player in ("Ann", "Bo", "Cy"):
        saves.save_finished(make_game(player, "amber", 0, [True, player == "Bo"], "tui"))
    expected = ref_leaderboard(Saves(tmp_path), None)
    assert summary.leaderboard(Saves(tmp_path)) == expected  # writes the rollup
    assert (tmp_path / summary.ROLLUP).is_file()

    def no(*args: object) -> None:
        raise AssertionError("a player's summary was read")

    with monkeypatch.context() as patch:
        patch.setattr(cache, "read_summary", no)
        assert summary.leaderboard(Saves(tmp_path)) == expected
    # A new game makes Bo's entry stale: his folder is read again, the others are not.
    saves.save_finished(make_game("Bo", "amber", 1, [True, True, True], "tui"))
    read: list[str] = []
    real = cache.read_summary
    monkeypatch.setattr(cache, "read_summary", lambda f: read.append(f.name) or real(f))
    assert summary.leaderboard(Saves(tmp_path)) == ref_leaderboard(Saves(tmp_path), None)
    assert read == [player_slug("Bo")]
    (tmp_path / summary.ROLLUP).write_text("folders = '{not json'")  # a damaged rollup
    assert summary.leaderboard(Saves(tmp_path)) == ref_leaderboard(Saves(tmp_path), None)


def test_recording_reads_only_what_is_new(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    """Neither games named in the future nor a shelved game make the next record read everything."""
    told: list[str] = []
    saves = Saves(tmp_path, notify=told.append)
    folder = games_dir(tmp_path, "Ann")
    folder.mkdir(parents=True)
    for k in range(3):  # named by a clock that was ahead
        (folder / f"2099010{k}T000000000000Z-future.toml").write_text(
            hand_record("Ann", "amber", 0, [True], f"2026-01-0{k + 1}T00:00:00Z")
        )
    saves.save_finished(make_game("Ann", "amber", 0, [True], "tui"))  # builds the summary
    read: list[str] = []
    real = SaveFolder.load
    monkeypatch.setattr(
        SaveFolder, "load", lambda self, path: read.append(path.name) or real(self, path)
    )
    told.clear()
    saves.save_finished(make_game("Ann", "amber", 1, [False], "tui"))
    assert [n for n in read if n != "current.toml"] == []
    game = make_game("Ann", "amber", 2, [True, True], "tui")
    game.answers.pop()
    saves.save_progress(game)
    saves.shelve_current("Ann")
    read.clear()
    saves.save_finished(make_game("Ann", "amber", 1, [True], "tui"))
    assert [n for n in read if n != "current.toml"] == [
        next(p.name for p in folder.iterdir() if p.name.endswith("-unfinished.toml"))
    ]
    assert told == []
    assert_matches_rebuild(tmp_path)


def test_a_recent_summary_is_checked_by_listing(tmp_path: Path) -> None:
    """A game added in the same clock tick as the summary cannot hide: recent stamps list the folder."""
    saves = Saves(tmp_path)
    saves.save_finished(make_game("Ann", "amber", 0, [True], "tui"))
    folder = games_dir(tmp_path, "Ann")
    mtime = os.stat(folder).st_mtime_ns
    (folder / "20991231T000000000000Z-hand.toml").write_text(
        hand_record("Ann", "amber", 1, [True, True], TIMES[0])
    )
    os.utime(folder, ns=(mtime, mtime))  # as if in the same tick: the folder time did not move
    rows = summary.leaderboard(Saves(tmp_path))
    assert rows[0]["games"] == 2


def test_a_rebuild_says_so_once(tmp_path: Path, cli) -> None:
    saves = Saves(tmp_path)
    for rights in ([True], [False], [True, True]):
        saves.save_finished(make_game("Ann", "amber", 0, rights, "tui"))
    assert cli("scores", "--saves", str(tmp_path)).err == ""
    (tmp_path / player_slug("Ann") / summary.SUMMARY).write_text("garbage = [")
    first = cli("scores", "--saves", str(tmp_path), "--format", "json")
    assert first.code == 0
    assert "summary" in first.err and "damaged" in first.err and "3 game files" in first.err
    assert json.loads(first.out)[0]["games"] == 3
    again = cli("scores", "--saves", str(tmp_path), "--format", "json")
    assert again.err == "" and again.out == first.out
    (tmp_path / player_slug("Ann") / summary.SUMMARY).unlink()
    assert "missing" in cli("scores", "--saves", str(tmp_path)).err
    assert cli("scores", "--saves", str(tmp_path)).err == ""


def _edit_in_place(path: Path, change: Any) -> None:
    """Change a game file's record as a hand edit would, then put its modification time back."""
    import tomllib

    before = os.stat(path)
    record = tomllib.loads(path.read_text(encoding="utf-8"))
    change(record)
    with open(path, "r+", encoding="utf-8") as fh:  # in place: the folder's time and names stay
        fh.write(tomli_w.dumps(record))
        fh.truncate()
    os.utime(path, ns=(before.st_atime_ns, before.st_mtime_ns))


def _scores_json(cli: Any, root: Path) -> list[dict[str, Any]]:
    result = cli("scores", "--saves", str(root), "--format", "json")
    assert result.code == 0
    rows: list[dict[str, Any]] = json.loads(result.out)
    return rows


def test_a_game_file_edited_in_place_is_read_again(
    tmp_path: Path, cli: Any, monkeypatch: pytest.MonkeyPatch
) -> None:
    """Scores and report agree after a game file is edited under the same name and mtime."""
    monkeypatch.setattr(cache, "RACY_NS", 0)  # every summary and rollup entry is trusted at once
    saves = Saves(tmp_path)
    for rights in ([True, True], [False, True]):
        saves.save_finished(make_game("Ann", "amber", 0, rights, "tui"))
    first = _scores_json(cli, tmp_path)
    assert first[0]["games"] == 2 and first[0]["correct"] == 3
    assert (tmp_path / summary.ROLLUP).is_file()
    best, other = sorted(games_dir(tmp_path, "Ann").iterdir())

    def all_wrong(record: dict[str, Any]) -> None:  # consistent: score and correct follow
        for answer in record["answers"]:
            if answer["correct"]:
                answer["correct"], answer["points"] = False, 0
                answer["chosen"] = f"not {answer['right']}"
        record["score"] = record["correct"] = 0

    _edit_in_place(best, all_wrong)
    edited = _scores_json(cli, tmp_path)
    assert edited[0]["games"] == 2 and edited[0]["correct"] == 1
    report = cli("report", "--saves", str(tmp_path), "--format", "csv")
    assert report.code == 0
    # An edit that no answer gives is set aside as corrupt by both commands alike.
    _edit_in_place(other, lambda r: r.update(score=9000))
    result = cli("scores", "--saves", str(tmp_path), "--format", "json")
    assert "set aside" in result.err
    assert json.loads(result.out)[0]["games"] == 1


def test_a_deleted_summary_is_rebuilt_though_the_rollup_has_it(
    tmp_path: Path, cli: Any, monkeypatch: pytest.MonkeyPatch
) -> None:
    """README: delete summary.toml to have it rebuilt; the saves-level rollup does not vouch for it."""
    monkeypatch.setattr(cache, "RACY_NS", 0)
    saves = Saves(tmp_path)
    saves.save_finished(make_game("Ann", "amber", 0, [True, True], "tui"))
    assert _scores_json(cli, tmp_path)[0]["correct"] == 2
    assert (tmp_path / summary.ROLLUP).is_file()
    (tmp_path / player_slug("Ann") / summary.SUMMARY).unlink()
    again = cli("scores", "--saves", str(tmp_path), "--format", "json")
    assert "was missing; rebuilt it from 1 game file" in again.err
    assert (tmp_path / player_slug("Ann") / summary.SUMMARY).is_file()
    assert cli("scores", "--saves", str(tmp_path)).err == ""


def test_a_game_copied_in_by_hand_is_counted_quietly(tmp_path: Path, cli) -> None:
    saves = Saves(tmp_path)
    saves.save_finished(make_game("Ann", "amber", 0, [True], "tui"))
    (games_dir(tmp_path, "Ann") / "20991231T000000000000Z-copy.toml").write_text(
        hand_record("Ann", "amber", 1, [True, True], "2099-12-31T00:00:00Z")
    )
    result = cli("scores", "--saves", str(tmp_path), "--format", "json")
    assert result.err == ""
    assert json.loads(result.out)[0]["games"] == 2


def test_review_pile_comes_from_the_summary(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    saves = Saves(tmp_path)
    game = make_game("Ann", DECK.id, 0, [False, True, False], "tui")
    saves.save_finished(game)
    ids = [q.id for q in game.questions]
    monkeypatch.setattr(cache, "RACY_NS", 0)
    summary.leaderboard(Saves(tmp_path))  # a reader refreshes the stamp
    monkeypatch.setattr(
        SaveFolder, "games", lambda *a, **k: (_ for _ in ()).throw(AssertionError("read all"))
    )
    assert review_pile(Saves(tmp_path), "Ann", DECK.id) == [ids[0], ids[2]]


RECORD = """
import sys, time
from pathlib import Path
sys.path.insert(0, sys.argv[4])
from tests.unit.test_summary import make_game
from quiz.scores import summary
from quiz.saves.folder import SaveFolder
go = Path(sys.argv[3])
while not go.exists():
    time.sleep(0.001)
saves = SaveFolder(sys.argv[1], after_save=summary.recorded)
for i in range(int(sys.argv[2])):
    saves.save_finished(make_game("Ann", "amber", i % 3, [i % 2 == 0, True], "tui"))
"""


def test_two_processes_recording_at_once_lose_nothing(tmp_path: Path) -> None:
    go = tmp_path / "go"
    saves = tmp_path / "saves"
    procs = [
        subprocess.Popen(
            [sys.executable, "-c", RECORD, str(saves), "15", str(go), str(ROOT)],
            stderr=subprocess.PIPE,
            text=True,
        )
        for _ in range(2)
    ]
    go.touch()
    for proc in procs:
        _, err = proc.communicate(timeout=120)
        assert proc.returncode == 0, err
        assert "summary" not in err
    told: list[str] = []
    folder = Saves(saves, notify=told.append)
    rows = summary.leaderboard(folder)
    assert rows[0]["games"] == 30 and rows[0]["answered"] == 60
    assert told == []
    assert_matches_rebuild(saves)


def test_report_since_reads_only_files_named_on_or_after_the_date(
    tmp_path: Path, cli, monkeypatch: pytest.MonkeyPatch
) -> None:
    folder = games_dir(tmp_path, "Ann")
    folder.mkdir(parents=True)
    for day in (20, 21, 22):
        (folder / f"202611{day}T100000000000Z-g.toml").write_text(
            hand_record("Ann", "amber", 0, [True, False], f"2026-11-{day}T10:00:00Z")
        )
    read: list[str] = []
    real = SaveFolder.load

    def spy(self: SaveFolder, path: Path) -> Any:
        read.append(path.name)
        return real(self, path)

    monkeypatch.setattr(SaveFolder, "load", spy)
    result = cli("report", "--saves", str(tmp_path), "--since", "2026-11-22", "--format", "json")
    assert result.code == 0
    rows = json.loads(result.out)
    assert {r["date"] for r in rows} == {"2026-11-22"} and len(rows) == 2
    assert read == ["20261122T100000000000Z-g.toml"]
    everything = cli("report", "--saves", str(tmp_path), "--format", "json")
    assert len(json.loads(everything.out)) == 6


@settings(
    max_examples=int(os.environ.get("QUIZ_SUMMARY_EXAMPLES", "12")),
    deadline=None,
    suppress_health_check=[HealthCheck.too_slow],
)
@given(st.lists(op, min_size=1, max_size=12))
def test_summary_equals_a_full_rebuild_through_the_cheap_test(steps: list[tuple[Any, ...]]) -> None:
    """The same, with summaries old enough for the one-stat test and the rollup to be trusted.

    Each step moves the games folders' time on, as a later clock tick would.
    """
    with tempfile.TemporaryDirectory() as tmp, pytest.MonkeyPatch.context() as mp:
        mp.setattr(os, "fsync", lambda fd: None)
        real = cache.time.time_ns
        mp.setattr(cache.time, "time_ns", lambda: real() + 10 * cache.RACY_NS)
        root = Path(tmp)
        tick = real()
        for step in [*steps, ("check",)]:
            apply(root, step, mp)
            for games in root.glob("*/games"):
                tick += 1_000_000
                os.utime(games, ns=(tick, tick))
            assert_matches_rebuild(root)
