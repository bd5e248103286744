"""Plain mode, driven through stdin as a script or a screen reader user would."""

from __future__ import annotations

import json
import tomllib
from pathlib import Path

from tests.conftest import FIXED, Cli, run_quiz
from tests.plain_helpers import PlainGame, keys_for


def test_piped_right_answers_give_n_of_n(cli: Cli, tmp_path: Path) -> None:
    keys = keys_for(7, 5)
    result = run_quiz(
        "play",
        "--plain",
        "--kinds",
        "multiple,boolean,timeline",
        "--player",
        "Ann",
        "--seed",
        "7",
        "--count",
        "5",
        "--saves",
        str(tmp_path),
        stdin="\n".join(keys) + "\n",
    )
    assert result.code == 0, result.err
    assert "5/5 correct" in result.out
    assert "Score: 6000" in result.out  # 1000 + 1100 + 1200 + 1300 + 1400
    assert result.out.count("\u2713 Right!") == 5
    (save,) = tmp_path.glob("*/games/*.toml")
    record = tomllib.loads(save.read_text(encoding="utf-8"))
    assert record["correct"] == 5 and record["mode"] == "plain" and record["score"] == 6000


def test_plain_asks_the_same_questions_as_preview(plain_game: PlainGame, cli: Cli) -> None:
    preview = json.loads(cli("preview", "--seed", "11", "--count", "4", "--format", "json").out)
    result = plain_game("1", "1", "1", "1", seed=11, count=4)
    for question in preview:
        assert question["prompt"] in result.out
        for number, choice in enumerate(question["choices"], 1):
            assert f"  {number}) {choice}" in result.out


def test_letters_and_bad_input_are_handled(plain_game: PlainGame, cli: Cli) -> None:
    keys = keys_for(3, 2)
    letter = "abcd"[int(keys[0]) - 1]
    result = plain_game(seed=3, count=2, stdin=f"zebra\n9\n{letter.upper()}\n{keys[1]}\n")
    assert result.code == 0
    assert result.out.count("Please answer 1-") == 2
    assert "2/2 correct" in result.out


def test_wrong_answer_shows_the_right_one_and_explanation(plain_game: PlainGame, cli: Cli) -> None:
    keys = keys_for(3, 1, right=False, deck=FIXED)
    result = plain_game(seed=3, count=1, deck=FIXED, stdin=keys[0] + "\n")
    assert "\u2717 Wrong. You chose: " in result.out and ". The answer is: " in result.out
    assert "Source: Article on Amber Balcaen" in result.out
    assert "0/1 correct" in result.out


def test_end_of_input_keeps_the_game_and_resume_finishes_it(
    plain_game: PlainGame, cli: Cli, tmp_path: Path
) -> None:
    keys = keys_for(5, 4)
    first = plain_game(*keys[:2], seed=5, count=4)
    assert first.code == 0
    assert "Input ended after 2 of 4 questions" in first.out
    assert "quiz play --player Ann --resume" in first.out
    (current,) = tmp_path.glob("*/current.toml")
    assert tomllib.loads(current.read_text(encoding="utf-8"))["answered"] == 2
    second = plain_game(*keys[2:], args=["--resume"])
    assert second.code == 0, second.err
    assert "Resuming at question 3." in second.out
    assert "4/4 correct" in second.out
    assert not list(tmp_path.glob("*/current.toml"))
    games = list(tmp_path.glob("*/games/*.toml"))
    assert len(games) == 1, "a resumed game counts as one game"


def test_q_quits_and_keeps_the_game(plain_game: PlainGame, tmp_path: Path) -> None:
    result = plain_game("1", "q", seed=5, count=3)
    assert "Quit after 1 of 3 questions" in result.out
    assert list(tmp_path.glob("*/current.toml"))


def test_bad_flags_and_names_are_clear_errors(cli: Cli, tmp_path: Path) -> None:
    for args, needle, code in [
        (("--count", "0"), "must be between 1 and 500", 2),
        (("--timer", "soon"), "not a number of seconds or 'off'", 2),
        (("--seed", "-1"), "must be between 0", 2),
        (("--player", "   "), "the player name is empty", 1),
        (("--player", "x" * 301), "the limit is 300", 1),
        (("--resume",), "use --player NAME", 1),
        (("--player", "Nobody", "--resume"), "has no game in progress", 1),
        (("--deck", "nope"), "no deck file or bundled deck called 'nope'", 1),
    ]:
        result = cli("play", "--plain", "--saves", str(tmp_path), *args, stdin="")
        assert result.code == code, (args, result.err)
        assert needle in result.err, (args, result.err)
        assert "Traceback" not in result.err


def test_ctrl_c_in_plain_mode_keeps_the_game(tmp_path: Path) -> None:
    import io

    from quiz.deckfile.read import load_deck
    from quiz.plain.play import run_plain
    from quiz.saves.folder import SaveFolder
    from quiz.session import start_game
    from tests.conftest import FIXED

    class Interrupting(io.StringIO):
        def readline(self, *args: object) -> str:  # type: ignore[override]
            line = super().readline()
            if not line:
                raise KeyboardInterrupt
            return line

    saves = SaveFolder(tmp_path)
    game = start_game(load_deck(FIXED), saves, "Ann", count=3, seed=1)
    out = io.StringIO()
    assert run_plain(game, saves, Interrupting("1\n"), out) == 0
    assert "Quit after 1 of 3 questions" in out.getvalue()
    assert saves.load_current("Ann").record.answered == 1
