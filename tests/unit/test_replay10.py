"""Issue 10 replayed on a fresh clone after the second wave's merge: what still failed.

Each test is a reproduction a newcomer ran, and what they should have seen.
"""

from __future__ import annotations

from pathlib import Path

import pytest

ONE_FACT = """\
id = "tiny"
title = "Tiny"
subject = "Colours"
description = "A deck of one fact."
sources = [{ id = "s", title = "A note" }]

[[facts]]
id = "sky"
statement = "The sky is blue."
answer = { kind = "text", value = "Blue" }
questions = ["What colour is the sky?"]
wrong = ["Green", "Red", "Yellow"]
explanation = "Light scatters."
source = "s"
"""


def test_a_short_deck_says_1_question_not_1_questions(cli, tmp_path: Path) -> None:  # type: ignore[no-untyped-def]
    deck = tmp_path / "tiny.toml"
    deck.write_text(ONE_FACT, encoding="utf-8")
    result = cli("preview", "--deck", str(deck), "--count", "3")
    assert result.code == 0
    assert "can give 1 question without giving answers away, not 3" in result.err
    assert "1 questions" not in result.err


def test_stats_after_one_game_says_1_game(cli, tmp_path: Path) -> None:  # type: ignore[no-untyped-def]
    saves = tmp_path / "saves"
    played = cli(
        "play", "--plain", "--player", "Ann", "--count", "1", "--seed", "3",
        "--saves", str(saves), stdin="1\n",
    )  # fmt: skip
    assert played.code == 0
    result = cli("stats", "--saves", str(saves))
    assert result.code == 0
    assert result.out.startswith("Item analysis of 1 game\n")
    assert "(s)" not in result.out


def _printed_command(text: str, lead: str) -> list[str]:
    import shlex

    line = next(line for line in text.splitlines() if lead in line)
    words = shlex.split(line.split(lead, 1)[1])
    assert words[:2] == ["quiz", "play"]
    return words[2:]


def test_the_resume_hint_names_the_saves_folder_it_was_given(cli, tmp_path: Path) -> None:  # type: ignore[no-untyped-def]
    # `--saves DIR` then the printed command: without --saves it looked in the
    # default folder and said "no game in progress".
    saves = tmp_path / "class saves"
    first = cli(
        "play", "--plain", "--player", "Ann", "--count", "3", "--seed", "7",
        "--saves", str(saves), stdin="1\n",
    )  # fmt: skip
    assert first.code == 0
    again = _printed_command(first.out, "Resume it with: ")
    assert again[-2:] == ["--saves", str(saves)]
    resumed = cli(*again, stdin="1\n")
    assert resumed.code == 0 and "Resuming at question 2." in resumed.out
    # The offer to resume before a new game names it too.
    refused = cli("play", "--plain", "--player", "Ann", "--saves", str(saves), stdin="1\n")
    assert refused.code == 1
    assert _printed_command(refused.err, "resume it with: ")[-2:] == ["--saves", str(saves)]


def test_a_new_game_for_one_hot_seat_player_does_not_strand_the_others(cli, tmp_path: Path) -> None:  # type: ignore[no-untyped-def]
    # Ann and Ben stop a hot-seat game; Ann starts a new game with --new. Ben
    # was then told to resume with "--player Ann --player Ben --resume", which
    # said "not one hot-seat game; resume each with --player NAME --resume",
    # which sent him back to the first command: a circle, and Ben was stuck.
    saves = str(tmp_path / "saves")
    pair = ["--player", "Ann", "--player", "Ben", "--count", "3", "--seed", "5"]
    stopped = cli("play", "--plain", *pair, "--saves", saves, stdin="1\n2\n")
    assert stopped.code == 0
    new = cli(
        "play", "--plain", "--player", "Ann", "--new", "--count", "1", "--seed", "5",
        "--saves", saves, stdin="1\n",
    )  # fmt: skip
    assert new.code == 0
    assert "the unfinished hot-seat game of Ann, Ben was kept in the history" in new.out
    ben = cli("play", "--plain", "--player", "Ben", "--count", "1", "--saves", saves, stdin="1\n")
    assert ben.code == 0, ben.err
    assert "unfinished" not in ben.err
    assert (
        "no game in progress"
        in cli("play", "--plain", "--player", "Ben", "--resume", "--saves", saves).err
    )


# What `make play` does when the terminal closes: make is the terminal's session
# leader; it gets the SIGHUP, waits for the game, and passes nothing on.
MAKE_LIKE = """
import fcntl, signal, subprocess, sys, termios
fcntl.ioctl(0, termios.TIOCSCTTY, 0)  # the pty is our terminal, as a shell's is
signal.signal(signal.SIGHUP, lambda *_: None)  # make waits for its recipe
sys.exit(subprocess.call(sys.argv[1:]))
"""


@pytest.mark.slow
def test_closing_the_terminal_under_a_make_like_parent_saves_and_ends_the_game(
    tmp_path: Path,
) -> None:
    import os
    import pty
    import select
    import signal
    import subprocess
    import sys

    master, slave = pty.openpty()
    proc = subprocess.Popen(
        [sys.executable, "-c", MAKE_LIKE, sys.executable, "-m", "quiz", "play", "--player",
         "Bo", "--saves", str(tmp_path)],
        stdin=slave, stdout=slave, stderr=slave, start_new_session=True,
        env={**os.environ, "TERM": "xterm-256color", "COLUMNS": "80", "LINES": "24"},
    )  # fmt: skip
    os.close(slave)
    seen = b""
    try:
        for _ in range(600):  # until the first question is on screen (at most 60 s)
            ready, _, _ = select.select([master], [], [], 0.1)
            if ready:
                try:
                    seen += os.read(master, 65536)
                except OSError:
                    break
            if b"Question" in seen and b"1/10" in seen:
                break
        assert b"Question" in seen, seen[-500:]
        os.close(master)  # the terminal window closes
        master = -1
        code = proc.wait(timeout=30)
    finally:
        if proc.poll() is None:
            os.killpg(proc.pid, signal.SIGKILL)
        if master >= 0:
            os.close(master)
    assert code == 129
    saved = list(tmp_path.glob("*/current.toml"))
    assert len(saved) == 1 and 'player = "Bo"' in saved[0].read_text(encoding="utf-8")


def test_plain_teams_share_places_and_name_the_winning_team(cli, tmp_path: Path) -> None:  # type: ignore[no-untyped-def]
    # Four teams of one; Ann, Ben and Cy answer right, Dee wrong: three teams tie.
    from quiz.cli.decks import open_deck
    from quiz.questions.plan import make_quiz

    quiz = make_quiz(open_deck(None), 4, 8)
    answers = [
        str(q.answer + 1) if k % 4 != 3 else str((q.answer + 1) % 2 + 1) for k, q in enumerate(quiz)
    ]
    result = cli(
        "play", "--plain", "--team", "Red=Ann", "--team", "Blue=Ben", "--team", "Green=Cy",
        "--team", "Gold=Dee", "--count", "2", "--seed", "4", "--saves", str(tmp_path),
        stdin="\n".join(answers) + "\n",
    )  # fmt: skip
    assert result.code == 0, result.err
    assert "Ann's turn (team Red)." in result.out
    out = result.out.split("Results: ", 1)[1]
    assert out.startswith("Teams Red, Blue and Green tie with ")
    assert "  1. Ann:" in out and "  1. Ben:" in out and "  1. Cy:" in out and "  4. Dee:" in out
    assert "  1. Red:" in out and "  1. Blue:" in out and "  1. Green:" in out
    assert "  4. Gold: 0" in out


def test_a_stopped_hot_seat_game_says_whose_score_is_whose(cli, tmp_path: Path) -> None:  # type: ignore[no-untyped-def]
    # It printed two unnamed lines: "Input ended after 2 of 3 questions: ..." and
    # "Input ended after 1 of 3 questions: ...".
    result = cli(
        "play", "--plain", "--player", "Ann", "--player", "Ben", "--count", "3", "--seed", "5",
        "--saves", str(tmp_path), stdin="1\n2\n1\n",
    )  # fmt: skip
    assert result.code == 0
    assert "Input ended after 2 of 3 questions for Ann: " in result.out
    assert "Input ended after 1 of 3 questions for Ben: " in result.out


def test_questions_readme_lists_every_answer_kind() -> None:
    # The `boolean` kind (what imported true/false questions use) was missing.
    import dataclasses

    from quiz import model
    from tests.conftest import ROOT

    table = (ROOT / "questions" / "README.md").read_text(encoding="utf-8")
    table = table.split("## Answer kinds", 1)[1].split("\n#", 1)[0]
    kinds = {
        field.default
        for cls in vars(model).values()
        if dataclasses.is_dataclass(cls) and cls.__name__.endswith("Answer")
        for field in dataclasses.fields(cls)
        if field.name == "kind"
    }
    assert "boolean" in kinds and len(kinds) >= 8
    for kind in kinds:
        assert f"| `{kind}` |" in table, kind
