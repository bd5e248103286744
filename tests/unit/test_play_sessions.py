"""Starting, resuming and ending games from the command line: nothing a player had is lost.

Issue 10: unfinished games are offered before being shelved, hot-seat games
resume, the resume hint names the deck, broken pipes and hang-ups keep the
game, the save folder is checked first, and no terminal means plain mode.
"""

from __future__ import annotations

import io
import os
import shutil
import signal
import subprocess
import sys
import threading
import tomllib
from pathlib import Path

import pytest

from tests.conftest import MINI, ROOT
from tests.plain_helpers import keys_for


@pytest.fixture
def play(cli, monkeypatch: pytest.MonkeyPatch, tmp_path: Path):  # type: ignore[no-untyped-def]
    """`quiz play --saves TMP ARGS...` in this process, with ``stdin`` piped in."""

    def run(*args: str, stdin: str = "", saves: Path | None = None):  # type: ignore[no-untyped-def]
        return cli("play", "--saves", str(saves or tmp_path / "saves"), *args, stdin=stdin)

    return run


def keys(seed: int, count: int, *, deck: str | None = None, start: int = 0) -> list[str]:
    return keys_for(seed, count, deck=deck)[start:]


def current(saves: Path) -> list[dict]:  # type: ignore[type-arg]
    return [tomllib.loads(p.read_text(encoding="utf-8")) for p in saves.glob("*/current.toml")]


# --- item 2: an unfinished game is never shelved silently -------------------------------


def test_a_new_game_never_silently_shelves_an_unfinished_one(play, tmp_path: Path) -> None:
    saves = tmp_path / "saves"
    first = play("--plain", "--player", "Ann", "--seed", "5", "--count", "6", stdin="1\n1\n")
    assert "Input ended after 2 of 6 questions" in first.out
    again = play("--plain", "--player", "Ann", "--seed", "9", "--count", "3", stdin="1\n1\n1\n")
    assert again.code == 1
    assert "Ann has an unfinished game: 2 of 6 questions answered" in again.err
    assert "resume it with: quiz play --player Ann --resume --plain" in again.err
    assert "--new" in again.err
    assert "Question 1/" not in again.out
    (kept,) = current(saves)
    assert kept["answered"] == 2 and kept["count"] == 6
    # --new says so, and the old game stays in the history.
    new = play("--plain", "--new", "--player", "Ann", "--seed", "9", "--count", "1", stdin="1\n")
    assert new.code == 0
    assert "Note: the unfinished game of Ann was kept in the history (not resumed)" in new.out
    assert len(list(saves.glob("*/games/*-unfinished.toml"))) == 1


def test_joining_a_hot_seat_game_offers_the_unfinished_game_first(play, tmp_path: Path) -> None:
    play("--plain", "--player", "Ann", "--count", "5", stdin="1\n")
    result = play("--plain", "--player", "Ann", "--player", "Ben", stdin="1\n" * 20)
    assert result.code == 1
    assert "Ann has an unfinished game" in result.err and "Ben" not in result.err.split(":")[1]
    assert len(current(tmp_path / "saves")) == 1


def test_on_a_terminal_the_player_is_asked_and_can_resume(
    play, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    play("--plain", "--player", "Ann", "--seed", "5", "--count", "3", stdin="1\n")
    answers = iter(["", *keys(5, 3, start=1)])
    monkeypatch.setattr("builtins.input", lambda prompt="": next(answers))

    class Terminal(io.StringIO):
        def isatty(self) -> bool:
            return True

        def readline(self, *args: object) -> str:
            line = next(answers, None)
            return "" if line is None else line + "\n"

    monkeypatch.setattr(sys, "stdin", Terminal())
    monkeypatch.setattr(sys.stdout, "isatty", lambda: True, raising=False)
    from quiz.cli.main import main

    code = main(["play", "--plain", "--saves", str(tmp_path / "saves"), "--player", "Ann"])
    assert code == 0
    assert not current(tmp_path / "saves")
    (game,) = [
        tomllib.loads(p.read_text(encoding="utf-8"))
        for p in (tmp_path / "saves").glob("*/games/*.toml")
    ]
    assert game["count"] == 3 and game["seed"] == 5 and game["status"] == "finished"


def test_unfinished_game_is_a_core_function_the_tui_can_call(tmp_path: Path) -> None:
    from quiz.cli.decks import open_deck
    from quiz.saves.folder import SaveFolder
    from quiz.session import start_match, unfinished_game

    saves = SaveFolder(tmp_path)
    assert unfinished_game(saves, "Ann") is None
    match = start_match(open_deck(None), saves, ["Ann", "Ben"], count=2, seed=1)
    match.current.answer(0, 1.0)
    saves.save_progress(match.games[0])
    found = unfinished_game(saves, "Ann")
    assert found is not None and found.answered == 1 and found.players == ("Ann", "Ben")
    # The folder was named (as --saves would), so the command names it too.
    assert found.resume_command() == (
        f"quiz play --player Ann --player Ben --resume --saves {tmp_path.absolute()}"
    )
    assert "a hot-seat game with Ann, Ben" in found.describe()
    # What the start screen's Resume calls: one player's part of a match is not resumed alone.
    from quiz.session import SessionError, resume_game

    with pytest.raises(SessionError, match="--player Ann --player Ben --resume"):
        resume_game(saves, "Ann", lambda deck_id: open_deck(None))


# --- item 3: hot-seat and team games resume, turn order and all -----------------------------


def test_a_hot_seat_game_resumes_in_turn_order(play, tmp_path: Path) -> None:
    order = keys(4, 6)  # dealt Ann, Ben, Ann, Ben...
    names = ("--player", "Ann", "--player", "Ben")
    first = play(
        "--plain", *names, "--seed", "4", "--count", "3", stdin="\n".join(order[:3]) + "\n"
    )
    assert "The game is saved. Resume it with: quiz play --player Ann --player Ben --resume" in (
        first.out
    )
    assert first.out.count("Resume it with") == 1
    second = play("--plain", *names, "--resume", stdin="\n".join(order[3:]) + "\n")
    assert second.code == 0, second.err
    assert "Resuming with Ben's turn." in second.out
    assert second.out.index("Ben's turn.") < second.out.index("Ann's turn.")
    assert "Ann: 3/3 correct" in second.out and "Ben: 3/3 correct" in second.out
    assert not current(tmp_path / "saves")


def test_a_team_game_resumes_with_its_teams_even_when_one_player_is_done(
    play, tmp_path: Path
) -> None:
    teams = ("--team", "Red=Ann", "--team", "Blue=Ben")
    first = play("--plain", *teams, "--seed", "2", "--count", "1", stdin="1\n")
    assert "Resume it with: quiz play --player Ann --player Ben --resume" in first.out
    assert len(current(tmp_path / "saves")) == 1  # Ann has played her only question
    again = play("--plain", "--player", "Ben", "--player", "Ann", "--resume", stdin="1\n")
    assert again.code == 0, again.err
    assert "Teams (mean score of the members):" in again.out
    assert "Red" in again.out and "Blue" in again.out
    alone = play("--plain", "--player", "Ann", "--resume")
    assert alone.code == 1 and "no game in progress" in alone.err


def test_resuming_part_of_a_hot_seat_game_names_the_whole_match(play) -> None:
    play("--plain", "--player", "Ann", "--player", "Ben", "--count", "2", stdin="1\n")
    result = play("--plain", "--player", "Ben", "--resume")
    assert result.code == 1
    assert "quiz play --player Ann --player Ben --resume" in result.err


# --- item 4: decks outside the bundle ----------------------------------------------------


def test_the_resume_hint_names_a_deck_outside_the_bundle(
    play, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    deck = tmp_path / "my decks" / "mini.toml"
    deck.parent.mkdir()
    shutil.copy(MINI, deck)
    monkeypatch.chdir(tmp_path)
    first = play(
        "--plain", "--deck", "my decks/mini.toml", "--player", "Ann", "--count", "3", stdin="1\n"
    )
    hint = f"quiz play --player Ann --resume --deck '{deck}' --plain"
    assert hint in first.out
    (saved,) = current(tmp_path / "saves")
    assert saved["deck_path"] == str(deck)
    without = play("--plain", "--player", "Ann", "--resume")
    assert without.code == 1
    assert "'mini', which is not bundled" in without.err and f"--deck '{deck}'" in without.err
    resumed = play("--plain", "--player", "Ann", "--resume", "--deck", str(deck), stdin="1\n1\n")
    assert resumed.code == 0, resumed.err
    assert "Resuming at question 2." in resumed.out


def test_a_saves_deck_field_is_never_opened_as_a_path(play, tmp_path: Path) -> None:
    play("--plain", "--player", "Ann", "--count", "3", stdin="1\n")
    (path,) = (tmp_path / "saves").glob("*/current.toml")
    text = path.read_text(encoding="utf-8").replace('deck = "amber-balcaen"', f'deck = "{MINI}"')
    path.write_text(text, encoding="utf-8")
    result = play("--plain", "--player", "Ann", "--resume")
    assert result.code == 1
    assert "which is not bundled" in result.err
    assert "Mini Deck" not in result.out


# --- item 5: a broken pipe is the end of input ------------------------------------------------


def test_piping_plain_mode_into_head_keeps_the_game(tmp_path: Path) -> None:
    proc = subprocess.Popen(
        [
            sys.executable,
            "-m",
            "quiz",
            "play",
            "--plain",
            "--player",
            "Ann",
            "--count",
            "3",
            "--saves",
            str(tmp_path),
        ],
        stdin=subprocess.PIPE,
        stdout=subprocess.PIPE,
        stderr=subprocess.PIPE,
        env={**os.environ, "NO_COLOR": "1"},
    )
    assert proc.stdout is not None and proc.stdin is not None and proc.stderr is not None
    assert "3 questions for Ann" in proc.stdout.readline().decode()
    proc.stdout.close()  # what `head -1` does once it has its line
    proc.stdin.write(b"1\n2\n")
    proc.stdin.close()
    err = proc.stderr.read().decode()
    assert proc.wait(timeout=60) == 0
    assert "Traceback" not in err and "Exception ignored" not in err
    # The pipe breaks at the first write after `head` is gone: before or after answer 1.
    (saved,) = current(tmp_path)
    assert f"quiz: Output closed after {saved['answered']} of 3 questions" in err
    assert "Resume it with: quiz play --player Ann --resume --plain" in err


# --- the terminal closing: SIGHUP saves and exits ----------------------------------------------


@pytest.mark.skipif(not hasattr(signal, "SIGHUP"), reason="no SIGHUP on this platform")
def test_sighup_in_plain_mode_saves_and_exits(tmp_path: Path) -> None:
    proc = subprocess.Popen(
        [
            sys.executable,
            "-m",
            "quiz",
            "play",
            "--plain",
            "--player",
            "Ann",
            "--count",
            "3",
            "--seed",
            "7",
            # "1" answers a choice question; an order question would wait for more letters.
            "--kinds",
            "multiple,boolean",
            "--saves",
            str(tmp_path),
        ],
        stdin=subprocess.PIPE,
        stdout=subprocess.PIPE,
        stderr=subprocess.PIPE,
        env={**os.environ, "NO_COLOR": "1"},
    )
    assert proc.stdout is not None and proc.stdin is not None and proc.stderr is not None
    watchdog = threading.Timer(60, proc.kill)  # a hung game fails the test, never the suite
    watchdog.start()
    proc.stdin.write(b"1\n")
    proc.stdin.flush()
    seen = b""
    while b"Question 2/3" not in seen:  # wait for what the player sees, not for time
        line = proc.stdout.readline()
        assert line, "the game ended early"
        seen += line
    watchdog.cancel()
    proc.send_signal(signal.SIGHUP)
    out, err = proc.communicate(timeout=60)
    assert proc.returncode == 0
    assert "The terminal closed after 1 of 3 questions" in err.decode()
    (saved,) = current(tmp_path)
    assert saved["answered"] == 1


def test_make_play_execs_the_game_and_installs_no_test_tools() -> None:
    makefile = (ROOT / "Makefile").read_text(encoding="utf-8")
    recipe = makefile.split("\nplay:", 1)[1].split("\n\n", 1)[0]
    (command,) = [line.strip() for line in recipe.splitlines()[1:] if line.strip()]
    assert command.startswith("exec ")  # make's shell becomes the game: SIGHUP reaches it
    stamp = recipe.splitlines()[0].split()[-1]
    install = makefile.split(f"\n{stamp}:", 1)[1].split("\n\n", 1)[0]
    assert "pip install" in install and "[test]" not in install


# --- item 6: the save folder is checked before the first question -------------------------------


def test_a_save_folder_that_cannot_be_written_is_refused_before_the_first_question(
    play, tmp_path: Path
) -> None:
    a_file = tmp_path / "saves.txt"
    a_file.write_text("not a folder\n", encoding="utf-8")
    result = play("--plain", "--player", "Ann", stdin="1\n", saves=a_file)
    assert result.code == 1
    assert f"quiz: the save folder {a_file} is a file, not a folder" in result.err
    assert result.out == ""
    tui = play("--player", "Ann", saves=a_file)
    assert tui.code == 1 and "is a file, not a folder" in tui.err


# --- item 7: no terminal, or TERM=dumb: plain mode ----------------------------------------------


def test_full_screen_without_a_terminal_falls_back_to_plain_mode(play) -> None:
    result = play("--player", "Ann", "--count", "1", stdin="")
    assert result.code == 0
    assert result.err.count("\n") == 1
    assert "quiz: standard input is not a terminal, so playing in plain mode (--plain)" in (
        result.err
    )
    assert "Input ended after 0 of 1 question" in result.out


def test_term_dumb_means_plain_mode(monkeypatch: pytest.MonkeyPatch) -> None:
    from quiz.cli import play as cli

    monkeypatch.setattr(sys, "stdin", type("T", (), {"isatty": lambda self: True})())
    monkeypatch.setattr(sys, "stdout", type("T", (), {"isatty": lambda self: True})())
    assert cli.terminal_problem() is None
    monkeypatch.setenv("TERM", "dumb")
    assert cli.terminal_problem() == "TERM is dumb"
    monkeypatch.setenv("TEXTUAL_DRIVER", "textual.drivers.web_driver:WebDriver")
    assert cli.terminal_problem() is None  # quiz serve: the browser is the terminal


# --- item 18: --resume with flags it would ignore ------------------------------------------------


@pytest.mark.parametrize(
    "flags",
    [("--count", "3"), ("--seed", "1"), ("--timer", "off"), ("--timer", "20"), ("--daily",)],
)
def test_resume_refuses_flags_it_would_ignore(play, flags: tuple[str, ...]) -> None:
    result = play("--plain", "--player", "Ann", "--resume", *flags)
    assert result.code == 2
    assert f"leave out {flags[0]}" in result.err


# --- item 19: a damaged current game with --resume ----------------------------------------------


def test_resume_with_a_damaged_current_game_says_it_was_set_aside(play, tmp_path: Path) -> None:
    play("--plain", "--player", "Ann", "--count", "3", stdin="1\n")
    (path,) = (tmp_path / "saves").glob("*/current.toml")
    path.write_text("this is = = not toml\n", encoding="utf-8")
    result = play("--plain", "--player", "Ann", "--resume")
    assert result.code == 1
    assert "quiz: current.toml could not be read" in result.err
    assert "it was set aside, unchanged, as current.corrupt-" in result.err
    assert "could not be read and was set aside" in result.err
    assert list(path.parent.glob("current.corrupt-*.toml"))


# --- item 22: limits agree; a short game says so ----------------------------------------------


def test_a_game_shorter_than_asked_says_so(play) -> None:
    from quiz.cli.decks import open_deck
    from quiz.questions.plan import make_quiz

    most = len(make_quiz(open_deck(str(MINI)), 1, 500))
    result = play(
        "--plain", "--deck", str(MINI), "--player", "Ann", "--count", "500", "--seed", "1"
    )
    assert result.code == 0
    assert (
        f"quiz: note: the deck can give {most} questions without giving answers away, not 500"
        in (result.err)
    )
    too_many = play("--plain", "--player", "Ann", "--count", "501")
    assert too_many.code == 2 and "must be between 1 and 500" in too_many.err


# --- plain mode: small things players expect -----------------------------------------------------


def test_plain_mode_takes_t_and_f_reviews_the_game_and_breaks_down_points(play) -> None:
    from quiz.cli.decks import open_deck
    from quiz.questions.plan import make_quiz

    # The generator plans a whole game: the questions of a 10-question game.
    questions = make_quiz(open_deck(None), 1, 10)
    index = max(i for i, q in enumerate(questions) if q.kind == "boolean")
    lines = [str(q.answer + 1) for q in questions[:index]]
    lines.append("t" if questions[index].answer == 0 else "f")
    assert len(make_quiz(open_deck(None), 1, index + 1)) == index + 1
    result = play(
        "--plain",
        "--player",
        "Ann",
        "--seed",
        "1",
        "--count",
        str(index + 1),
        stdin="\n".join(lines) + "\n",
    )
    assert result.code == 0, result.err
    assert "or t/f, q to quit" in result.out
    assert f"{index + 1}/{index + 1} correct" in result.out
    assert "+1000 points (1000 base)" in result.out
    if index:
        assert "+1100 points (1000 base + 100 streak)" in result.out
    review = result.out.split("Your answers:")[1]
    assert f"  {index + 1}. \u2713 right: {questions[index].prompt}" in review


def test_plain_mode_repeats_a_wrong_choice_and_reviews_it(play) -> None:
    from quiz.cli.decks import open_deck
    from quiz.questions.plan import make_quiz

    (question,) = make_quiz(open_deck(None), 3, 1)
    wrong = (question.answer + 1) % len(question.choices)
    result = play(
        "--plain", "--player", "Ann", "--seed", "3", "--count", "1", stdin=f"{wrong + 1}\n"
    )
    chose = f"You chose: {question.choices[wrong]}. The answer is: {question.right}"
    assert f"\u2717 Wrong. {chose}" in result.out
    assert f"1. \u2717 wrong: {question.prompt} {chose}." in result.out
    assert "1 question for Ann" in result.out  # not "1 questions"


def test_points_breakdown_against_values_worked_out_by_hand() -> None:
    from quiz.game.play import Points, points_breakdown

    cases = [
        # (correct, seconds, timer, streak): (base, speed, streak bonus)
        ((True, 0.0, 10, 1), (500, 500, 0)),  # instant: all the speed bonus
        ((True, 5.0, 20, 1), (500, 375, 0)),  # 1000 * (1 - 5/40) = 875
        ((True, 3.3, 20, 4), (500, 418, 300)),  # 1000 * (1 - 3.3/40) = 917.5 -> 918
        ((True, 10.0, 10, 2), (500, 0, 100)),  # at the buzzer: the base only
        ((True, 99.0, 10, 9), (500, 0, 500)),  # late seconds count as the buzzer; bonus capped
        ((True, 7.0, None, 1), (1000, 0, 0)),  # untimed: a fixed 1000
        ((True, 7.0, None, 3), (1000, 0, 200)),
        ((False, 1.0, 10, 0), (0, 0, 0)),
    ]
    for (correct, seconds, timer, streak), parts in cases:
        assert points_breakdown(correct, seconds, timer, streak) == Points(*parts)
    assert points_breakdown(True, 0.0, 10, 5, "accuracy") == Points(1000, 0, 0)


def test_plain_mode_tells_the_verdict_the_game_gave(tmp_path: Path) -> None:
    """10.004 s into a 10 s timer is a right answer; 10.01 s is time's up, never "Wrong"."""
    import io

    from quiz.deckfile.read import load_deck
    from quiz.plain.play import run_plain
    from quiz.saves.folder import SaveFolder
    from quiz.session import start_game
    from tests.conftest import FIXED

    saves = SaveFolder(tmp_path)
    game = start_game(load_deck(FIXED), saves, "Ann", count=2, seed=1, timer=10)
    first, second = game.questions
    times = iter([0.0, 10.004, 20.0, 30.01])
    lines = f"{first.answer + 1}\n{second.answer + 1}\n"
    out = io.StringIO()
    assert run_plain(game, saves, io.StringIO(lines), out, clock=lambda: next(times)) == 0
    text = out.getvalue()
    assert "\u2713 Right! +500 points (500 base)" in text
    assert (
        f"\u2717 Time's up: over 10 seconds. You chose: {second.right}. The answer is: {second.right}"
        in text
    )
    assert "Wrong" not in text
    assert "Score: 500" in text


def test_quitting_the_full_screen_game_prints_the_resume_command(
    tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    from quiz.cli.decks import open_deck
    from quiz.cli.play import tell_resume
    from quiz.saves.folder import SaveFolder
    from quiz.session import start_match

    match = start_match(open_deck(None), SaveFolder(tmp_path), ["Ann", "Ben"], count=2, seed=1)
    match.current.answer(0, 1.0)
    tell_resume(match)
    out = capsys.readouterr().out
    assert "The game is saved (1 of 4 questions answered)." in out
    assert "Resume it with: quiz play --player Ann --player Ben --resume" in out


def test_a_review_round_also_offers_the_unfinished_game_first(play, tmp_path: Path) -> None:
    wrong = [str(int(k) % 4 + 1) for k in keys(5, 3)]
    play("--plain", "--player", "Ann", "--seed", "5", "--count", "3", stdin=wrong[0] + "\n")
    result = play("--plain", "--player", "Ann", "--review", stdin="1\n")
    assert result.code == 1 and "Ann has an unfinished game" in result.err
    assert len(current(tmp_path / "saves")) == 1


@pytest.mark.skipif(not hasattr(signal, "SIGHUP"), reason="no SIGHUP on this platform")
def test_sighup_under_the_full_screen_game_saves_and_exits(tmp_path: Path) -> None:
    import pty
    import select

    master, slave = pty.openpty()
    proc = subprocess.Popen(
        [sys.executable, "-m", "quiz", "play", "--player", "Bo", "--saves", str(tmp_path)],
        stdin=slave,
        stdout=slave,
        stderr=slave,
        env={**os.environ, "TERM": "xterm-256color", "COLUMNS": "80", "LINES": "24"},
        start_new_session=True,
    )
    os.close(slave)
    seen = b""
    try:
        for _ in range(600):  # until the first question is on screen (bounded: at most 60 s)
            ready, _, _ = select.select([master], [], [], 0.1)
            if ready:
                try:
                    seen += os.read(master, 65536)
                except OSError:
                    break
            if b"Question" in seen and b"1/10" in seen:
                break
        assert b"Question" in seen, seen[-500:]
        proc.send_signal(signal.SIGHUP)
        code = proc.wait(timeout=30)
    finally:
        if proc.poll() is None:
            proc.kill()
        os.close(master)
    assert code == 129
    (saved,) = current(tmp_path)
    assert saved["player"] == "Bo" and saved["answered"] == 0


def test_a_game_quit_before_its_first_answer_is_replaced_with_a_note(play) -> None:
    play("--plain", "--player", "Ann", "--count", "3", stdin="")
    again = play("--plain", "--player", "Ann", "--count", "1", stdin="1\n")
    assert again.code == 0
    assert "Note: the unfinished game of Ann was kept in the history (not resumed)" in again.out


def test_t_and_f_answer_any_true_false_question_whatever_its_order() -> None:
    """One rule, on the question: True and False as the choices, as a multiple-choice question too."""
    from quiz.game.judge import Given, parse_answer
    from quiz.questions.question import Question

    def asked(kind: str, choices: tuple[str, ...]) -> Question:
        return Question("f/x", "f", kind, "Is it?", choices, 0, "", "", "easy")

    def choice_for(line: str, question: Question) -> int | None:
        given = parse_answer(question, line)
        return given.choice if isinstance(given, Given) else None

    flipped = asked("multiple", ("False", "True"))
    assert flipped.true_false
    assert (choice_for("t", flipped), choice_for("False", flipped)) == (1, 0)
    assert choice_for("2", flipped) == 1
    other = asked("multiple", ("Tea", "Fog"))
    assert not other.true_false
    assert (choice_for("t", other), choice_for("f", other)) == (None, None)
