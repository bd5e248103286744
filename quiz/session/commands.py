"""The commands quiz prints to resume a game: as they can be typed again in the same shell."""

from __future__ import annotations

from quiz.game.play import Game
from quiz.text import clean


def quiz_command() -> str:
    """quiz as it can be run again from the same shell: `quiz` when PATH finds this one.

    `make play` runs .venv/bin/quiz, which is not on PATH: then the path it was
    run by, as typed when the shell is in this process's folder, else absolute.
    """
    import os
    import shutil
    import sys

    program = sys.argv[0] if sys.argv else ""
    if os.path.basename(program) != "quiz" or os.sep not in program:
        return "quiz"  # found on PATH, or not run as the command (python -m quiz, the tests)
    try:
        found = shutil.which("quiz")
        if found is not None and os.path.samefile(found, program):
            return "quiz"
        if not os.path.isabs(program) and not os.path.samefile(
            os.environ.get("PWD") or "/nonexistent", os.getcwd()
        ):
            return os.path.abspath(program)
    except OSError:
        return os.path.abspath(program)
    return program


def resume_command(
    players: tuple[str, ...] | list[str],
    deck_path: str = "",
    *,
    plain: bool = False,
    saves: str = "",
) -> str:
    """`quiz play --player A [--player B ...] --resume [--deck PATH] [--plain] [--saves DIR]`, shell-quoted.

    ``saves`` is the folder named by --saves: without it the command would look
    in the default folder and find no game. ``quiz`` is written as it can be run
    (quiz_command).
    """
    import shlex  # here, not at the top: said when a game is left, not to start one

    parts = [quiz_command(), "play"]
    for player in players:
        parts += ["--player", clean(player)]
    parts.append("--resume")
    if deck_path:
        parts += ["--deck", clean(deck_path)]
    if plain:
        parts.append("--plain")
    if saves:
        parts += ["--saves", clean(saves)]
    return shlex.join(parts)


def game_resume_command(game: Game, *, plain: bool = False, saves: str = "") -> str:
    """The command that resumes this game (or its whole match); ``saves``: a --saves folder."""
    players = game.match.players if game.match is not None else (game.player,)
    return resume_command(players, game.deck_ref, plain=plain, saves=saves)
