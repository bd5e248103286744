"""The line-by-line front end: screen readers, dumb terminals, pipes and scripts.

It runs the same Game as the TUI and uses the same saves, and never imports
Textual. One answer per line on stdin: a number (1-4) or a letter (a-d);
`q` quits. End of input quits too, keeping the game to resume.
"""

from __future__ import annotations

import shlex
import time
from collections.abc import Callable
from typing import TextIO

from quiz.game import Game, Match, parse_choice
from quiz.saves import SaveError, SaveFolder
from quiz.session import share_card
from quiz.text import clean, read_line

RIGHT, WRONG = "\u2713", "\u2717"  # ✓ ✗, always with a word beside them


def letters(count: int) -> str:
    return "/".join(chr(ord("a") + i) for i in range(count))


def run_plain(
    play: Game | Match,
    saves: SaveFolder,
    stdin: TextIO,
    stdout: TextIO,
    clock: Callable[[], float] = time.monotonic,
) -> int:
    """Play a game, or a hot-seat match, to the end (or until input ends); return an exit code."""
    match = play if isinstance(play, Match) else Match([play])

    def say(text: str = "") -> None:
        stdout.write(text + "\n")
        stdout.flush()

    def notices() -> None:
        for notice in saves.notices:
            say(f"Note: {clean(notice)}")
        saves.notices.clear()

    first = match.games[0]
    if match.solo:
        say(
            f"{clean(first.deck_title)}: {first.count} questions for {clean(first.player)} (quiz code {first.seed})"
        )
        if first.answered:
            say(f"Resuming at question {first.index + 1}.")
    else:
        names = ", ".join(clean(g.player) for g in match.games)
        say(
            f"{clean(first.deck_title)}: hot-seat for {names}, {first.count} questions each (quiz code {first.seed})"
        )
    if first.timer:
        say(f"Timer: {first.timer} seconds a question.")
    notices()
    while not match.finished:
        game = match.current
        question = game.current
        say()
        if not match.solo:
            say(f"{clean(game.player)}'s turn.")
        say(f"Question {game.index + 1}/{game.count}   Score {game.score}   Streak {game.streak}")
        say(clean(question.prompt))
        for index, text in enumerate(question.choices):
            say(f"  {index + 1}) {clean(text)}")
        hint = f"1-{len(question.choices)} or {letters(len(question.choices))}"
        started = clock()
        while True:
            stdout.write(f"Your answer ({hint}, q to quit): ")
            stdout.flush()
            try:
                line, too_long = read_line(stdin)
            except KeyboardInterrupt:
                say()
                return _quit(match, saves, say, ended=False)
            if not line or line.strip().lower() in ("q", "quit"):
                say()
                return _quit(match, saves, say, ended=not line)
            choice = None if too_long else parse_choice(line, len(question.choices))
            if choice is not None:
                break
            say(f"Please answer {hint}.")
        result = game.answer(choice, clock() - started)
        if result.correct:
            say(f"{RIGHT} Right! +{result.points} points")
        elif game.timer is not None and result.seconds > game.timer:
            say(
                f"{WRONG} Too slow: over {game.timer} seconds. The answer is: {clean(question.right)}"
            )
        else:
            say(f"{WRONG} Wrong. The answer is: {clean(question.right)}")
        say(clean(question.explanation, allow_newlines=True))
        say(f"Source: {clean(question.source)}")
        try:
            if game.finished:
                saves.save_finished(game)
            else:
                saves.save_progress(game)
        except SaveError as exc:
            say(f"Could not save: {exc}")
            return 1
        notices()
    say()
    if match.solo:
        say(f"{first.correct}/{first.count} correct")
        say(f"Score: {first.score}")
        say(f"Best streak: {first.best_streak}")
        say(f"Time: {first.seconds:.0f} s")
        say()
        say("Share it (no spoilers):")
        say(share_card(first))
        return 0
    say("Results:")
    for rank, game in enumerate(match.standings(), 1):
        say(
            f"  {rank}. {clean(game.player)}: {game.correct}/{game.count} correct, score {game.score}, best streak {game.best_streak}"
        )
    if match.teams:
        say("Teams (mean score of the members):")
        for rank, (team, score) in enumerate(match.team_scores(), 1):
            say(f"  {rank}. {clean(team)}: {score:.0f}")
    return 0


def _quit(match: Match, saves: SaveFolder, say: Callable[[str], None], *, ended: bool) -> int:
    why = "Input ended" if ended else "Quit"
    for game in match.games:
        if game.finished:
            continue
        try:
            saves.save_progress(game)
        except SaveError as exc:
            say(f"{why}. Could not save the game of {clean(game.player)}: {exc}")
            return 1
        say(
            f"{why} after {game.answered} of {game.count} questions: {game.correct}/{game.answered} correct, score {game.score}."
        )
        say(
            f"The game is saved. Resume it with: quiz play --player {_shell_quote(game.player)} --resume"
        )
    return 0


def _shell_quote(text: str) -> str:
    return shlex.quote(clean(text))
