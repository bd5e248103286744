"""The `quiz` command: the one registry of commands, parsing, and the errors every command shares.

No game rules live here. Each group of commands has its module (play, decks,
scores, live: host, join, serve), with its arguments (argument types: quiz.cli.argtypes) and what
runs it; output and exit codes: quiz.cli.output. Exit codes: 0 success, 1 a
problem with the input (a deck, a save, a name), 2 a usage error. Bad input
never gives a traceback.
"""

from __future__ import annotations

import argparse
import importlib
import os
import sys
from collections.abc import Callable, Sequence
from typing import NamedTuple, NoReturn

from quiz import __version__
from quiz.cli.output import show
from quiz.errors import QuizError

# Each command's module is imported only when that command runs, and each
# command imports what it uses inside its own function, so `quiz --help` and a
# plain game never pay for pydantic, Textual or aiohttp.


class QuizArgumentParser(argparse.ArgumentParser):
    """argparse that ends usage errors with exit code 2 and a hint."""

    def error(self, message: str) -> NoReturn:
        from quiz.text import clean

        self.print_usage(sys.stderr)
        self.exit(2, f"{self.prog}: error: {clean(message)}\nTry '{self.prog} --help' for more.\n")


class Command(NamedTuple):
    """One command: its line in `quiz --help`, and where its arguments and its run live."""

    help: str
    module: str  # quiz.cli.<module>: the command's group
    arguments: str  # the module's function adding the command's arguments
    run: str  # the module's function running it: parsed arguments -> exit code

    def load_arguments(self) -> Callable[[argparse.ArgumentParser], None]:
        found: Callable[[argparse.ArgumentParser], None] = getattr(self._module(), self.arguments)
        return found

    def load_run(self) -> Callable[[argparse.Namespace], int]:
        found: Callable[[argparse.Namespace], int] = getattr(self._module(), self.run)
        return found

    def _module(self) -> object:
        return importlib.import_module(f"quiz.cli.{self.module}")


COMMANDS: dict[str, Command] = {
    "play": Command("play a quiz (the default)", "play", "play_arguments", "cmd_play"),
    "preview": Command(
        "print the questions a game would ask", "decks", "preview_arguments", "cmd_preview"
    ),
    "scores": Command(
        "print the leaderboard from the saves", "scores", "scores_arguments", "cmd_scores"
    ),
    "report": Command(
        "one row per player per question, as CSV or JSON, for a gradebook",
        "scores",
        "report_arguments",
        "cmd_report",
    ),
    "review": Command(
        "write a player's review pile as an Anki deck", "review", "review_arguments", "cmd_review"
    ),
    "import": Command(
        "make a deck from Open Trivia DB JSON, CSV, GIFT, Kahoot, Moodle XML or Aiken",
        "decks",
        "import_arguments",
        "cmd_import",
    ),
    "export": Command(
        "write a deck as GIFT, CSV, Open Trivia DB JSON, Kahoot, Moodle XML or Aiken",
        "decks",
        "export_arguments",
        "cmd_export",
    ),
    "serve": Command(
        "serve the game to web browsers (textual-serve)", "serve", "serve_arguments", "cmd_serve"
    ),
    "validate": Command(
        "check decks and report every problem on its line",
        "decks",
        "validate_arguments",
        "cmd_validate",
    ),
    "schema": Command(
        "print the JSON Schema (draft 2020-12) of the deck format",
        "decks",
        "schema_arguments",
        "cmd_schema",
    ),
    "audit": Command(
        "play seeded games as a cue player and report what gives answers away",
        "decks",
        "audit_arguments",
        "cmd_audit",
    ),
    "stats": Command(
        "item analysis from the saves: facility, discrimination",
        "scores",
        "stats_arguments",
        "cmd_stats",
    ),
    "add-fact": Command(
        "add a fact to a deck, asking for each field", "decks", "add_fact_arguments", "cmd_add_fact"
    ),
    "host": Command(
        "host a live room: your screen, every player on a device",
        "live",
        "host_arguments",
        "cmd_host",
    ),
    "join": Command("join a live room from this terminal", "join", "join_arguments", "join"),
    "edge": Command(
        "hold players' sockets for a room spread over processes (quiz host --workers/--broker)",
        "edge",
        "edge_arguments",
        "cmd_edge",
    ),
}


def build_parser(only: str | None = None) -> argparse.ArgumentParser:
    """The command line; with ``only``, just that command's arguments (every command keeps its help line)."""
    parser = QuizArgumentParser(
        prog="quiz",
        description="A fact-based trivia game for the terminal. 'quiz' alone is 'quiz play'.",
    )
    parser.add_argument("--version", action="version", version=f"quiz {__version__}")
    sub = parser.add_subparsers(dest="command", metavar="COMMAND", parser_class=QuizArgumentParser)
    # A known command being run is the only one built: each command's parser,
    # even bare, cost more than the parse itself (bench/README.md, the first
    # question). Anything else (-h, a typo) lists them all, with their help
    # lines and the "invalid choice" message, but builds no command's arguments.
    for name, entry in COMMANDS.items():
        if only in COMMANDS and name != only:
            continue
        command = sub.add_parser(name, help=entry.help)
        if only is None or name == only:
            entry.load_arguments()(command)
    return parser


def main(argv: Sequence[str] | None = None) -> int:
    """Entry point of the `quiz` console script."""
    from quiz.cli import startup

    startup.hold()  # until the first screen is up (the TUI, the room) or the command ends
    # Closed stdin, stdout or stderr, and encodings that cannot write every
    # character, handled here once for every command (quiz/cli/startup.py).
    startup.streams()
    command: list[str] = []  # the command being run, once known
    try:
        code = _run(argv, command)
    except SystemExit as exc:  # argparse: --help, --version, a usage error
        if exc.code in (0, None) and startup.missed():
            raise SystemExit(1) from None  # --help with stdout closed printed nothing
        raise
    count, encoding = startup.replaced()
    if count:
        from quiz.text import plural

        show(
            f"quiz: standard output's encoding, {encoding}, cannot write "
            f"{plural(count, 'character')} of this output; they were written as '?' or "
            "without accents (set PYTHONIOENCODING=utf-8 to see them)"
        )
    missed = startup.missed()
    if code == 0 and (
        startup.STDOUT_CLOSED in missed
        or (startup.STDIN_CLOSED in missed and command[:1] in (["play"], ["add-fact"]))
    ):
        # Its output went nowhere, or its player could give no answer: the job is
        # not done, and stderr said why. (A room goes on without its host's input.)
        return 1
    return code


def _run(argv: Sequence[str] | None, command: list[str]) -> int:
    """Parse the arguments and run the command; the errors every command shares end here."""
    from quiz.cli.startup import OutputClosed

    args_list = list(sys.argv[1:] if argv is None else argv)
    if not args_list or (
        args_list[0].startswith("-") and args_list[0] not in ("-h", "--help", "--version")
    ):
        args_list.insert(0, "play")
    # The command named first gets its arguments; -h, --help and --version need none.
    args = build_parser(args_list[0]).parse_args(args_list)
    if args.command is None:
        args = build_parser("play").parse_args(["play", *args_list])
    command.append(args.command)
    try:
        return COMMANDS[args.command].load_run()(args)
    except QuizError as exc:
        # A deck, a save or a game that cannot be used: the one place such an
        # error becomes clean lines on stderr and exit code 1.
        show(exc.for_user())
        return 1
    except KeyboardInterrupt:
        return 130
    except OutputClosed:
        return 1  # stdout was closed from the start: said once on stderr as it was found
    except BrokenPipeError:
        # Output piped into `head` and the like: stop quietly.
        devnull = os.open(os.devnull, os.O_WRONLY)
        os.dup2(devnull, sys.stdout.fileno())
        return 0
