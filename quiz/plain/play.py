"""The line-by-line front end: screen readers, dumb terminals, pipes and scripts.

It runs the same Game as the TUI and uses the same saves, and never imports
Textual. One answer per line on stdin: a number (1-4) or a letter (a-d), or
`t`/`f` for true/false; the answer in words for a typed question, a number for
an estimate, the letters or numbers in order (`cadb`, `3142`) for an order
question; `q` quits. End of input quits too, keeping the game
to resume, and so does output going away (`| head`) or the terminal closing.
"""

from __future__ import annotations

import time
from collections.abc import Callable, Sequence
from typing import TextIO

from quiz.game.judge import (
    Given,
    close_line,
    estimate_line,
    given_text,
    order_line,
    parse_answer,
    range_line,
    tally,
    what_to_type,
)
from quiz.game.play import Answer, Game, Match, given_label, shared_ranks
from quiz.questions.question import Question
from quiz.saves.folder import SaveError, SaveFolder
from quiz.session import game_resume_command, share_card
from quiz.text import clean, plural, read_line

RIGHT, WRONG, CLOSE = "\u2713", "\u2717", "\u2248"  # ✓ ✗ ≈, always with a word beside them


class HangUp(Exception):
    """The terminal went away (SIGHUP): end the game as end of input does."""


class _OutputGone(Exception):
    """Standard output was closed (a broken pipe): nobody sees the questions any more."""


def verdict(result: Answer, question: Question, timer: int | None) -> str:
    """The line that tells an answer's verdict, as the game judged it."""
    right = question.right
    if question.unchosen:
        return _unchosen_verdict(result, question, timer)
    if result.correct:
        return f"{RIGHT} Right! {_points(result)}"
    answer = f"The answer is: {clean(right)}"
    chosen = (
        f"You chose: {clean(question.choices[result.choice])}. "
        if result.choice is not None
        else ""
    )
    if result.timed_out:
        return f"{WRONG} Time's up: over {plural(timer or 0, 'second')}. {chosen}{answer}"
    return f"{WRONG} Wrong. {chosen}{answer}"


def _points(result: Answer) -> str:
    """``+1100 points (1000 base + 100 streak)``."""
    parts = f" ({result.breakdown.words()})" if result.breakdown else ""
    return f"+{plural(result.points, 'point')}{parts}"


def _unchosen_verdict(result: Answer, question: Question, timer: int | None) -> str:
    """A typed answer, an estimate or an order: what was given, how close, the answer."""
    given = given_text(question, result.text, result.value, result.order, None)
    yours = f"{given_label(question.kind)}: {clean(given)}. " if given else ""
    answer = f"The answer is: {clean(question.right)}"
    close = ""
    if result.value is not None:
        close = estimate_line(question, result.value) + " "
    elif result.order is not None:
        close = order_line(question, result.order) + " "
    if result.correct:
        # A typo or a variant taken ("the venturini"): the answer's own spelling too.
        spelt = f". {answer}" if result.text is not None and given != question.right else ""
        return f"{RIGHT} Right! {yours}{close}{_points(result)}{spelt}"
    if result.timed_out:
        return f"{WRONG} Time's up: over {plural(timer or 0, 'second')}. {yours}{answer}"
    if result.points > 0 or (result.credit or 0) > 0:
        return f"{CLOSE} Close. {yours}{close}{_points(result)}. {answer}"
    return f"{WRONG} Wrong. {yours}{close}{answer}"


def ask_lines(question: Question) -> tuple[list[str], str]:
    """What a question shows below its prompt, line by line, and the answer hint."""
    lines = [f"  {index + 1}) {clean(text)}" for index, text in enumerate(question.choices)]
    if question.kind == "order":
        # Letters, as the answer is typed: "cab" (digits work too).
        lines = [f"  {chr(ord('a') + k)}) {clean(text)}" for k, text in enumerate(question.choices)]
        return (
            lines,
            f"the {len(question.choices)} letters in order, first to last; the last may be left out",
        )
    if question.kind == "typed":
        return lines, "type the answer"
    if question.kind == "estimate":
        said = " ".join(filter(None, (range_line(question), close_line(question))))
        if said:
            lines.append(f"  ({said})")
        return lines, "a number"
    return lines, choice_hint(len(question.choices), question.true_false)


def choice_hint(count: int, true_false: bool = False) -> str:
    """ "1-4 or a-d" (and ", or t/f"): how a choice is typed, in `quiz play --plain` and
    `quiz join --plain` alike, as the TUI's keys say it."""
    hint = f"1-{count} or a-{chr(ord('a') + count - 1)}"
    return hint + ", or t/f" if true_false else hint


def run_plain(
    play: Game | Match,
    saves: SaveFolder,
    stdin: TextIO,
    stdout: TextIO,
    clock: Callable[[], float] = time.monotonic,
    stderr: TextIO | None = None,
    notices: Sequence[str] = (),
) -> int:
    """Play a game, or a hot-seat match, to the end (or until input ends); return an exit code.

    ``notices``: what starting the game raised (an old game shelved, a short
    deck), said in line after the game's first lines. The saves' own notices are
    said in line after the save that raised them.
    """
    match = play if isinstance(play, Match) else Match([play])
    closed = False
    # Held until the save returns, then said: a closed output (which raises
    # _OutputGone) must never stop a save halfway. Only this call adds to it.
    unsaid = list(notices)
    saves = saves.telling(unsaid.append)

    def say(text: str = "") -> None:
        nonlocal closed
        if closed:
            return
        try:
            stdout.write(text + "\n")
            stdout.flush()
        except UnicodeError:
            # Never taken for a closed output: `quiz` writes what the encoding
            # can (quiz/cli/startup.py), so this is a caller's own strict stream.
            raise
        except (OSError, ValueError):  # BrokenPipeError, EIO from a closed terminal, >&-
            closed = True
            raise _OutputGone from None

    def prompt(text: str) -> None:
        nonlocal closed
        try:
            stdout.write(text)
            stdout.flush()
        except UnicodeError:
            raise
        except (OSError, ValueError):
            closed = True
            raise _OutputGone from None

    def say_notices() -> None:
        while unsaid:
            say(f"Note: {clean(unsaid.pop(0))}")

    try:
        return _play(match, saves, stdin, say, prompt, say_notices, clock)
    except _OutputGone:
        return _quit(match, saves, _to(stderr), why="Output closed", prefix="quiz: ")
    except HangUp:
        return _quit(match, saves, _to(stderr), why="The terminal closed", prefix="quiz: ")


def _to(stream: TextIO | None) -> Callable[[str], None]:
    def write(text: str = "") -> None:
        if stream is None or not text:
            return
        try:
            stream.write(text + "\n")
            stream.flush()
        except (OSError, ValueError):
            pass

    return write


def _play(
    match: Match,
    saves: SaveFolder,
    stdin: TextIO,
    say: Callable[..., None],
    prompt: Callable[[str], None],
    notices: Callable[[], None],
    clock: Callable[[], float],
) -> int:
    first = match.games[0]
    if match.solo:
        say(
            f"{clean(first.deck_title)}: {plural(first.count, 'question')} for {clean(first.player)} (quiz code {first.seed})"
        )
        if first.answered:
            say(f"Resuming at question {first.index + 1}.")
    else:
        names = ", ".join(clean(g.player) for g in match.games)
        say(
            f"{clean(first.deck_title)}: hot-seat for {names}, {plural(first.count, 'question')} each (quiz code {first.seed})"
        )
        if any(g.answered for g in match.games):
            say(f"Resuming with {clean(match.current.player)}'s turn.")
    if first.timer:
        say(f"Timer: {first.timer} seconds a question.")
    notices()
    while not match.finished:
        game = match.current
        question = game.current
        say()
        if not match.solo:
            team = next((t for t, ms in match.teams.items() if game.player in ms), None)
            with_team = f" (team {clean(team)})" if team is not None else ""
            say(f"{clean(game.player)}'s turn{with_team}.")
        say(f"Question {game.index + 1}/{game.count}   Score {game.score}   Streak {game.streak}")
        say(clean(question.prompt))
        lines, hint = ask_lines(question)
        for line in lines:
            say(line)
        started = clock()
        while True:
            prompt(f"Your answer ({hint}, q to quit): ")
            try:
                line, too_long = read_line(stdin)
            except KeyboardInterrupt:
                say()
                return _quit(match, saves, say, why="Quit")
            if not line or line.strip().lower() in ("q", "quit"):
                say()
                return _quit(match, saves, say, why="Input ended" if not line else "Quit")
            given = parse_answer(question, line)  # any form: the judge reads it
            if isinstance(given, Given) and not too_long:
                break
            if question.unchosen:
                say(given if isinstance(given, str) else what_to_type(question))
            else:
                say(f"Please answer {hint}.")
        result = game.answer(
            given.choice,
            clock() - started,
            text=given.text,
            value=given.value,
            order=given.order,
        )
        say(verdict(result, question, game.timer))
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
        say(tally(first.correct, first.count, first.close))
        say(f"Score: {first.score}")
        say(f"Best streak: {first.best_streak}")
        say(f"Time: {first.seconds:.0f} s")
        _review(first, say)
        say()
        say("Share it (no spoilers):")
        say(share_card(first))
        return 0
    say(f"Results: {match.headline(clean)}.")
    standings = match.standings()
    # Tied scores share a place, as on the TUI's results.
    for rank, game in zip(shared_ranks([g.score for g in standings]), standings, strict=True):
        say(
            f"  {rank}. {clean(game.player)}: {tally(game.correct, game.count, game.close)}, score {game.score}, best streak {game.best_streak}"
        )
    if match.teams:
        teams = match.team_scores()
        say("Teams (mean score of the members):")
        for rank, (team, score) in zip(shared_ranks([s for _, s in teams]), teams, strict=True):
            say(f"  {rank}. {clean(team)}: {score:.0f}")
    for game in match.games:
        _review(game, say, title=f"{clean(game.player)}'s answers:")
    return 0


def _review(game: Game, say: Callable[..., None], title: str = "Your answers:") -> None:
    """The game again, question by question: your answer and, when wrong, the right one."""
    say()
    say(title)
    for number, (question, answer) in enumerate(zip(game.questions, game.answers, strict=False), 1):
        chosen = clean(
            given_text(question, answer.text, answer.value, answer.order, answer.choice)
            or "no answer"
        )
        mark = f"{answer.mark} {'right' if answer.correct else 'close' if answer.near else 'wrong'}"
        # In the words said while answering: "You said: 8th", "Your order: A → B".
        said = given_label(question.kind)
        line = f"  {number}. {mark}: {clean(question.prompt)} {said}: {chosen}."
        if not answer.correct:
            line += f" The answer is: {clean(question.right)}."
        say(line)


def _quit(
    match: Match, saves: SaveFolder, say: Callable[..., None], *, why: str, prefix: str = ""
) -> int:
    told: set[tuple[str, ...]] = set()
    for game in match.games:
        if game.finished:
            continue
        try:
            saves.save_progress(game)
        except SaveError as exc:
            say(f"{prefix}{why}. Could not save the game of {clean(game.player)}: {exc}")
            return 1
        whose = f" for {clean(game.player)}" if game.match is not None else ""
        say(
            f"{prefix}{why} after {game.answered} of {plural(game.count, 'question')}{whose}: {tally(game.correct, game.answered, game.close)}, score {game.score}."
        )
        command = game_resume_command(game, plain=True, saves=saves.named)
        if game.match is None or game.match.players not in told:
            say(f"{prefix}The game is saved. Resume it with: {command}")
            if game.match is not None:
                told.add(game.match.players)
    return 0
