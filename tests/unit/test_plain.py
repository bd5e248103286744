"""Plain mode, driven through stdin as a script or a screen reader user would."""

from __future__ import annotations

import json
import tomllib
from pathlib import Path

from tests.conftest import FIXED, Cli, run_quiz


def answers_for(
    cli: Cli, seed: int, count: int, right: bool = True, deck: str | None = None
) -> list[str]:
    """The keys that answer a seeded game of ``deck`` (the bundled one by default)."""
    choose = ("--deck", deck) if deck else ()
    questions = json.loads(
        cli("preview", *choose, "--seed", str(seed), "--count", str(count), "--format", "json").out
    )
    return [
        str(q["answer"] + 1 if right else (q["answer"] + 1) % len(q["choices"]) + 1)
        for q in questions
    ]


def test_piped_right_answers_give_n_of_n(cli: Cli, tmp_path: Path) -> None:
    keys = answers_for(cli, 7, 5)
    result = run_quiz(
        "play",
        "--plain",
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


def test_plain_asks_the_same_questions_as_preview(cli: Cli, tmp_path: Path) -> None:
    preview = json.loads(cli("preview", "--seed", "11", "--count", "4", "--format", "json").out)
    result = cli(
        "play",
        "--plain",
        "--player",
        "Ann",
        "--seed",
        "11",
        "--count",
        "4",
        "--saves",
        str(tmp_path),
        stdin="1\n1\n1\n1\n",
    )
    for question in preview:
        assert question["prompt"] in result.out
        for number, choice in enumerate(question["choices"], 1):
            assert f"  {number}) {choice}" in result.out


def test_letters_and_bad_input_are_handled(cli: Cli, tmp_path: Path) -> None:
    keys = answers_for(cli, 3, 2)
    letter = "abcd"[int(keys[0]) - 1]
    result = cli(
        "play",
        "--plain",
        "--player",
        "Ann",
        "--seed",
        "3",
        "--count",
        "2",
        "--saves",
        str(tmp_path),
        stdin=f"zebra\n9\n{letter.upper()}\n{keys[1]}\n",
    )
    assert result.code == 0
    assert result.out.count("Please answer 1-") == 2
    assert "2/2 correct" in result.out


def test_wrong_answer_shows_the_right_one_and_explanation(cli: Cli, tmp_path: Path) -> None:
    keys = answers_for(cli, 3, 1, right=False, deck=str(FIXED))
    result = cli(
        "play",
        "--plain",
        "--deck",
        str(FIXED),  # its source's title is shown below
        "--player",
        "Ann",
        "--seed",
        "3",
        "--count",
        "1",
        "--saves",
        str(tmp_path),
        stdin=keys[0] + "\n",
    )
    assert "\u2717 Wrong. You chose: " in result.out and ". The answer is: " in result.out
    assert "Source: Article on Amber Balcaen" in result.out
    assert "0/1 correct" in result.out


def test_end_of_input_keeps_the_game_and_resume_finishes_it(cli: Cli, tmp_path: Path) -> None:
    keys = answers_for(cli, 5, 4)
    first = cli(
        "play",
        "--plain",
        "--player",
        "Ann",
        "--seed",
        "5",
        "--count",
        "4",
        "--saves",
        str(tmp_path),
        stdin="\n".join(keys[:2]) + "\n",
    )
    assert first.code == 0
    assert "Input ended after 2 of 4 questions" in first.out
    assert "quiz play --player Ann --resume" in first.out
    (current,) = tmp_path.glob("*/current.toml")
    assert tomllib.loads(current.read_text(encoding="utf-8"))["answered"] == 2
    second = cli(
        "play",
        "--plain",
        "--player",
        "Ann",
        "--resume",
        "--saves",
        str(tmp_path),
        stdin="\n".join(keys[2:]) + "\n",
    )
    assert second.code == 0, second.err
    assert "Resuming at question 3." in second.out
    assert "4/4 correct" in second.out
    assert not list(tmp_path.glob("*/current.toml"))
    games = list(tmp_path.glob("*/games/*.toml"))
    assert len(games) == 1, "a resumed game counts as one game"


def test_q_quits_and_keeps_the_game(cli: Cli, tmp_path: Path) -> None:
    result = cli(
        "play",
        "--plain",
        "--player",
        "Ann",
        "--seed",
        "5",
        "--count",
        "3",
        "--saves",
        str(tmp_path),
        stdin="1\nq\n",
    )
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
