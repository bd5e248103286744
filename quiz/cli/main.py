"""The `quiz` command: parses arguments, calls the core or a front end, prints.

No game rules live here. Exit codes: 0 success, 1 a problem with the input
(a deck, a save, a name), 2 a usage error. Bad input never gives a traceback.
"""

from __future__ import annotations

import argparse
import datetime as dt
import json
import os
import sys
from collections.abc import Callable, Sequence
from pathlib import Path
from typing import TYPE_CHECKING, Any, NoReturn, TextIO

from quiz import __version__
from quiz.errors import QuizError

if TYPE_CHECKING:
    from quiz.model import Deck, GameMode

# Each command imports what it uses inside its own function, so `quiz --help`
# and a plain game never pay for pydantic, Textual or aiohttp.

NOT_GIVEN = object()  # --timer's default, told apart from "--timer off" (None)


class QuizArgumentParser(argparse.ArgumentParser):
    """argparse that ends usage errors with exit code 2 and a hint."""

    def error(self, message: str) -> NoReturn:
        from quiz.text import clean

        self.print_usage(sys.stderr)
        self.exit(2, f"{self.prog}: error: {clean(message)}\nTry '{self.prog} --help' for more.\n")


def _count(text: str) -> int:
    try:
        value = int(text)
    except ValueError:
        raise argparse.ArgumentTypeError(f"'{text}' is not a whole number") from None
    from quiz.session import MAX_COUNT

    if not 1 <= value <= MAX_COUNT:
        raise argparse.ArgumentTypeError(f"must be between 1 and {MAX_COUNT}")
    return value


def _count_help() -> str:
    from quiz.session import MAX_COUNT  # the limit _count checks

    return f"number of questions, 1-{MAX_COUNT} (default 10)"


def _seed(text: str) -> int:
    try:
        value = int(text)
    except ValueError:
        raise argparse.ArgumentTypeError(f"'{text}' is not a whole number") from None
    if not 0 <= value < 2**63:
        raise argparse.ArgumentTypeError("must be between 0 and 2**63-1")
    return value


def _timer(text: str) -> int | None:
    if text.lower() == "off":
        return None
    try:
        value = int(text)
    except ValueError:
        raise argparse.ArgumentTypeError(f"'{text}' is not a number of seconds or 'off'") from None
    if not 5 <= value <= 600:
        raise argparse.ArgumentTypeError("must be between 5 and 600 seconds, or 'off'")
    return value


def _port(text: str) -> int:
    if not (text.isascii() and text.isdigit() and len(text) <= 6) or not 1 <= int(text) <= 65535:
        raise argparse.ArgumentTypeError(f"'{text}' is not a port number (1-65535)")
    return int(text)


def _host(text: str) -> str:
    """--host: a host name or an IP address, nothing a browser page or a terminal could misread."""
    import ipaddress
    import re

    try:
        return str(ipaddress.ip_address(text))
    except ValueError:
        pass
    if re.fullmatch(r"[A-Za-z0-9](?:[A-Za-z0-9.-]{0,251}[A-Za-z0-9])?", text) is None:
        raise argparse.ArgumentTypeError(f"'{text}' is not a host name or an IP address")
    return text


def _players(text: str) -> int:
    if not (text.isascii() and text.isdigit() and len(text) <= 6) or not 1 <= int(text) <= 500:
        raise argparse.ArgumentTypeError(f"'{text}' is not a number of players (1-500)")
    return int(text)


def _date(text: str) -> str:
    try:
        return dt.date.fromisoformat(text).isoformat()
    except ValueError:
        raise argparse.ArgumentTypeError(f"'{text}' is not a date like 2026-09-01") from None


def _play_arguments(play: argparse.ArgumentParser) -> None:
    play.add_argument(
        "--deck",
        metavar="PATH|ID",
        help="a deck file or a bundled deck id (default: amber-balcaen)",
    )
    # Flags that exclude each other are argparse groups: a usage error, exit 2.
    who = play.add_mutually_exclusive_group()
    which = play.add_mutually_exclusive_group()
    how = play.add_mutually_exclusive_group()
    who.add_argument(
        "--player",
        metavar="NAME",
        action="append",
        help="the player's name; skips the start screen. Repeat for hot-seat (2 to 8 players)",
    )
    who.add_argument(
        "--team",
        metavar='"NAME=A,B"',
        action="append",
        help='a team and its players, e.g. --team "Red=Ann,Ben"; repeat for each team',
    )
    play.add_argument("--count", type=_count, metavar="N", help=_count_help())
    which.add_argument(
        "--seed", type=_seed, metavar="N", help="the quiz seed: the same seed gives the same quiz"
    )
    play.add_argument(
        "--timer",
        type=_timer,
        default=NOT_GIVEN,
        metavar="SECONDS|off",
        help="seconds per question, 5-600, or 'off' (default)",
    )
    which.add_argument(
        "--daily", action="store_true", help="today's quiz: the same for everybody on this UTC date"
    )
    play.add_argument(
        "--saves", metavar="DIR", help="the save folder (default: saves/ or $QUIZ_SAVES)"
    )
    play.add_argument(
        "--plain", action="store_true", help="line-by-line mode for screen readers and pipes"
    )
    how.add_argument(
        "--resume",
        action="store_true",
        help="continue this player's unfinished game (with several --player: the hot-seat game)",
    )
    play.add_argument(
        "--new",
        action="store_true",
        help="start a new game even if a player has an unfinished one (it is kept in the history)",
    )
    how.add_argument(
        "--review",
        action="store_true",
        help="ask only the questions this player got wrong, until right twice in a row",
    )


def _preview_arguments(preview: argparse.ArgumentParser) -> None:
    preview.add_argument("--deck", metavar="PATH|ID", help="a deck file or a bundled deck id")
    preview.add_argument(
        "--count",
        type=_count,
        default=10,
        metavar="N",
        help=_count_help(),
    )
    preview_seed = preview.add_mutually_exclusive_group()
    preview_seed.add_argument(
        "--seed", type=_seed, metavar="N", help="the quiz seed (default: a random one, printed)"
    )
    preview.add_argument("--format", choices=("text", "json"), default="text")
    preview.add_argument(
        "--fact",
        metavar="ID",
        help="show every question one fact generates, with its wrong answers",
    )
    preview.add_argument(
        "--answer-key",
        action="store_true",
        help="numbered questions with their right answers, for the host",
    )
    preview_seed.add_argument(
        "--daily", action="store_true", help="today's quiz: the same for everybody on this UTC date"
    )


def _scores_arguments(scores: argparse.ArgumentParser) -> None:
    scores.add_argument(
        "--saves", metavar="DIR", help="the save folder (default: saves/ or $QUIZ_SAVES)"
    )
    scores.add_argument("--deck", metavar="ID", help="only games on this deck")
    scores.add_argument("--format", choices=("text", "json"), default="text")


def _report_arguments(report: argparse.ArgumentParser) -> None:
    report.add_argument(
        "--saves", metavar="DIR", help="the save folder (default: saves/ or $QUIZ_SAVES)"
    )
    report.add_argument("--deck", metavar="ID", help="only games on this deck")
    report.add_argument(
        "--since",
        metavar="DATE",
        type=_date,
        help="only games finished on or after this date (YYYY-MM-DD)",
    )
    report.add_argument("--format", choices=("csv", "json"), required=True)


def _imp_arguments(imp: argparse.ArgumentParser) -> None:
    imp.add_argument("kind", choices=("opentdb", "csv"), help="what the file is")
    imp.add_argument("file", metavar="FILE", help="the file to read")
    imp.add_argument(
        "--out",
        metavar="DECK.toml",
        required=True,
        help="the deck file to write (a new file; see --force)",
    )
    imp.add_argument("--title", help="the deck's title (default: from the file name)")
    imp.add_argument(
        "--force", action="store_true", help="replace --out if it is an existing regular file"
    )


def _exp_arguments(exp: argparse.ArgumentParser) -> None:
    exp.add_argument("deck", metavar="DECK", help="a deck file, folder or bundled deck id")
    exp.add_argument("--format", choices=("gift", "csv", "opentdb"), required=True)
    exp.add_argument(
        "--out",
        metavar="FILE",
        help="write here instead of to standard output (a new file; see --force)",
    )
    exp.add_argument(
        "--force", action="store_true", help="replace --out if it is an existing regular file"
    )


def _serve_arguments(serve: argparse.ArgumentParser) -> None:
    serve.add_argument(
        "--host",
        type=_host,
        default="127.0.0.1",
        help="address to listen on (default: 127.0.0.1, this machine only)",
    )
    serve.add_argument("--port", type=_port, default=8000, help="port (default: 8000)")
    serve.add_argument(
        "--max-players",
        type=_players,
        default=20,
        metavar="N",
        help="players at once (default: 20)",
    )
    serve.add_argument("--deck", metavar="PATH|ID", help="the deck to offer first")
    serve.add_argument(
        "--saves", metavar="DIR", help="the save folder (default: saves/ or $QUIZ_SAVES)"
    )


def _validate_arguments(validate: argparse.ArgumentParser) -> None:
    validate.add_argument(
        "paths",
        nargs="*",
        metavar="PATH",
        help="deck files or folders (default: the bundled decks)",
    )
    validate.add_argument("--strict", action="store_true", help="warnings fail too (exit 1)")
    validate.add_argument(
        "--format",
        choices=("text", "github"),
        default="text",
        help="github: workflow annotations for pull requests",
    )


def _schema_arguments(schema: argparse.ArgumentParser) -> None:
    schema.add_argument(
        "--facts", action="store_true", help="the schema of a folder deck's fact files instead"
    )


def _audit_arguments(audit: argparse.ArgumentParser) -> None:
    audit.add_argument(
        "deck", nargs="?", metavar="DECK", help="a deck file, folder or bundled name"
    )
    audit.add_argument("--games", type=_count, default=500, metavar="N", help="games (500)")
    audit.add_argument("--count", type=_count, default=10, metavar="N", help="questions (10)")
    audit.add_argument("--format", choices=("text", "json"), default="text")


def _stats_arguments(stats: argparse.ArgumentParser) -> None:
    stats.add_argument("--saves", metavar="DIR", help="the saves folder (default: yours)")
    stats.add_argument("--deck", metavar="ID", help="only this deck's questions")
    stats.add_argument("--format", choices=("text", "json", "csv"), default="text")


def _add_arguments(add: argparse.ArgumentParser) -> None:
    add.add_argument(
        "deck", metavar="DECK", help="the deck file or folder to add to, or a bundled deck id"
    )


def _host_arguments(host: argparse.ArgumentParser) -> None:
    from quiz.cli.live import host_arguments  # the room's flags live with the room's front end

    host_arguments(host, _count, _count_help(), _seed, _timer, _port, _host)


def _join_arguments(join: argparse.ArgumentParser) -> None:
    from quiz.cli.live import join_arguments

    join_arguments(join)


# Each command: its line in `quiz --help`, and what adds its arguments.
COMMANDS: dict[str, tuple[str, Callable[[argparse.ArgumentParser], None]]] = {
    "play": ("play a quiz (the default)", _play_arguments),
    "preview": ("print the questions a game would ask", _preview_arguments),
    "scores": ("print the leaderboard from the saves", _scores_arguments),
    "report": (
        "one row per player per question, as CSV or JSON, for a gradebook",
        _report_arguments,
    ),
    "import": ("make a deck from Open Trivia DB JSON or a CSV file", _imp_arguments),
    "export": ("write a deck as Moodle GIFT, CSV or Open Trivia DB JSON", _exp_arguments),
    "serve": ("serve the game to web browsers (textual-serve)", _serve_arguments),
    "validate": ("check decks and report every problem on its line", _validate_arguments),
    "schema": ("print the JSON Schema (draft 2020-12) of the deck format", _schema_arguments),
    "audit": (
        "play seeded games as a cue player and report what gives answers away",
        _audit_arguments,
    ),
    "stats": ("item analysis from the saves: facility, discrimination", _stats_arguments),
    "add-fact": ("add a fact to a deck, asking for each field", _add_arguments),
    "host": ("host a live room: your screen, every player on a device", _host_arguments),
    "join": ("join a live room from this terminal", _join_arguments),
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
    for name, (text, arguments) in COMMANDS.items():
        if only in COMMANDS and name != only:
            continue
        command = sub.add_parser(name, help=text)
        if only is None or name == only:
            arguments(command)
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
        handler = {
            "play": cmd_play,
            "preview": cmd_preview,
            "validate": cmd_validate,
            "scores": cmd_scores,
            "schema": cmd_schema,
            "add-fact": cmd_add_fact,
            "report": cmd_report,
            "import": cmd_import,
            "export": cmd_export,
            "serve": cmd_serve,
            "audit": cmd_audit,
            "stats": cmd_stats,
            "host": cmd_host,
            "join": cmd_join,
        }[args.command]
        return handler(args)
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


def show(message: object, file: TextIO | None = None) -> None:
    """Print a message that may quote a deck, a save or a file name: made display-safe."""
    from quiz.text import clean

    print(clean(message, allow_newlines=True), file=file or sys.stderr)


class OutputEncodingError(QuizError):
    """Data for another program cannot be written in standard output's encoding."""


def write_data(text: str, *, out_flag: bool = False) -> None:
    """Data for another program on stdout (an export, a report, JSON): exactly, or not at all.

    Text for people is written as its encoding can (quiz/cli/startup.py); a file
    format must never come out with a '?' for a letter, so an encoding that
    cannot write it is a clear error before anything is written.
    """
    encoding = getattr(sys.stdout, "encoding", None) or "utf-8"
    try:
        text.encode(encoding)
    except UnicodeEncodeError as exc:
        from quiz.text import describe_char

        instead = ", or write a file with --out FILE" if out_flag else ""
        raise OutputEncodingError(
            f"standard output's encoding, {encoding}, cannot write "
            f"{describe_char(exc.object[exc.start])}, so nothing was written; "
            f"set PYTHONIOENCODING=utf-8{instead}"
        ) from None
    except LookupError:
        pass  # an encoding Python does not know: the write itself will say
    sys.stdout.write(text)


def write_json(data: object) -> None:
    """JSON on stdout, through `write_data`."""
    write_data(json.dumps(data, ensure_ascii=False, indent=2) + "\n")


def tell_stderr(notice: str) -> None:
    """A notice from the saves or a session, as one `quiz: ...` line on stderr."""
    show(f"quiz: {notice}")


def fail(message: str) -> int:
    """Print one clear line to stderr and return exit code 1."""
    show(f"quiz: {message}")
    return 1


# --- decks ----------------------------------------------------------------------


class DeckProblem(QuizError):
    """A deck could not be used; the problems are already formatted."""

    prefixed = False


def open_deck(ref: str | None) -> Deck:
    """Load the deck ``--deck`` names; raise DeckProblem with located errors.

    Play and preview check structure and references; the fairness rules of
    `quiz validate` run in CI, and the generator guards against what they catch.
    """
    from quiz.deckfile.read import DEFAULT_DECK, bundled_dir, deck_files, load_deck, resolve_deck

    path = resolve_deck(ref)
    if not path.exists() and ref is not None and "/" not in ref and not ref.endswith(".toml"):
        known = ", ".join(p.stem for p in deck_files(bundled_dir())) or DEFAULT_DECK
        raise DeckProblem(
            f"quiz: no deck file or bundled deck called '{ref}'; bundled decks: {known}"
        )
    try:
        return load_deck(path, str(path) if ref else path.name, use_cache=True)
    except QuizError as exc:
        # load_deck's DeckError, caught as its base: a deck that loads never imports
        # quiz.deckfile.problems. One type for play's own handler.
        raise DeckProblem(str(exc)) from None


# --- commands ---------------------------------------------------------------------


def cmd_validate(args: argparse.Namespace) -> int:
    from quiz.authoring.validate import check_all
    from quiz.deckfile.read import bundled_dir

    paths = [Path(p) for p in args.paths] or [bundled_dir()]
    results = check_all(paths)
    if args.strict:
        _no_true_false(results)
    errors = warnings = 0
    for result in results:
        for problem in result.problems:
            print(problem.github() if args.format == "github" else problem)
            if problem.severity == "error":
                errors += 1
            elif problem.severity == "warning":  # a note says what waits for the next run
                warnings += 1
    decks = sum(1 for r in results if r.deck is not None and not r.errors)
    facts = sum(len(r.deck.facts) for r in results if r.deck is not None)
    from quiz.text import plural

    summary = (
        f"{plural(len(results), 'file')}, {plural(decks, 'valid deck')}, {plural(facts, 'fact')}: "
        f"{plural(errors, 'error')}, {plural(warnings, 'warning')}"
    )
    print(summary, file=sys.stderr)
    return 1 if errors or (args.strict and warnings) else 0


def _no_true_false(results) -> None:  # type: ignore[no-untyped-def]
    """--strict: a warning for each fact that makes no true/false question.

    A claim is optional (imported questions rarely have one), so only --strict,
    which asks for every question form, says so.
    """
    from quiz.model import BooleanAnswer

    for result in results:
        if result.deck is None or result.source is None:
            continue
        for i, fact in enumerate(result.deck.facts):
            if fact.claim is None and not isinstance(fact.answer, BooleanAnswer):
                result.problems.append(
                    result.source.problem(
                        ("facts", i),
                        "no 'claim': this fact makes no true/false question "
                        "(add a claim with {answer} where the answer goes to get one)",
                        fact.id,
                        "warning",
                    )
                )


def cmd_audit(args: argparse.Namespace) -> int:
    from quiz.authoring.audit import audit, fact_faults, passes, render_text
    from quiz.authoring.validate import check_file
    from quiz.deckfile.read import resolve_deck
    from quiz.text import plural

    deck = open_deck(args.deck)
    report = audit(deck, games=args.games, count=args.count)
    # The fact rules, located to the fact's line as `quiz validate` locates them.
    path = resolve_deck(args.deck)
    checked = check_file(path, str(path) if args.deck else path.name)
    faults = {(f.fact, f.message) for f in fact_faults(deck)}
    located = [str(p) for p in checked.problems if (p.fact, p.message) in faults]
    report["fact_faults"] = located
    if args.format == "json":
        write_json(report)
    else:
        print(render_text(report))
    if located:
        return fail(
            f"audit: {plural(len({f for f, _ in faults}), 'fact')} give their answer away by "
            "shape or meaning (listed above with their lines)"
        )
    if not passes(report):
        return fail(
            f"audit: the cue player scores {report['cue_score']}% and the test-wise player "
            f"{report['wise_score']}% against {report['chance']}% chance, with giveaways on "
            f"{report['giveaway_rate']}% of questions: above the limits"
        )
    return 0


def cmd_stats(args: argparse.Namespace) -> int:
    from quiz.scores.stats import run_stats

    return run_stats(args.saves, args.deck, args.format)


def cmd_add_fact(args: argparse.Namespace) -> int:
    from quiz.addfact import add_fact
    from quiz.deckfile.problems import DeckError
    from quiz.deckfile.read import bundled_dir, deck_files, resolve_deck

    path = resolve_deck(args.deck)  # a file, a folder deck, or a bundled deck id
    if not path.exists() and "/" not in args.deck and not args.deck.endswith(".toml"):
        known = ", ".join(p.stem for p in deck_files(bundled_dir()))
        return fail(f"no deck file or bundled deck called '{args.deck}'; bundled decks: {known}")
    try:
        return add_fact(path, sys.stdin, sys.stdout)
    except DeckError as exc:
        print("quiz: fix the deck before adding to it:", file=sys.stderr)
        show(exc)
        return 1


def cmd_report(args: argparse.Namespace) -> int:
    from quiz.saves.folder import SaveFolder
    from quiz.scores import report

    held: list[str] = []  # said after the report, as the last lines on stderr
    saves = SaveFolder(args.saves, notify=held.append)
    items = report.rows(saves, deck=args.deck, since=args.since)  # SaveError: cli.main
    write_data(report.as_csv(items) if args.format == "csv" else report.as_json(items))
    for notice in held:
        tell_stderr(notice)
    return 0


def cmd_import(args: argparse.Namespace) -> int:
    from quiz.authoring.interchange import import_deck
    from quiz.text import plural

    out = Path(args.out)
    problem = writable_target(out, args.force)  # the same rule as export's --out
    if problem is not None:
        return fail(problem)
    written, skipped = import_deck(
        Path(args.file),
        out,
        args.kind,
        args.title,
        lambda note: show(f"quiz: {note}"),
        replace=args.force,
    )  # a QuizError says why nothing was written: cli.main
    show(
        f"Wrote {out}: {plural(written, 'question')}, {skipped} skipped. Try it: quiz preview --deck {out}",
        sys.stdout,
    )
    return 0


def writable_target(path: Path, force: bool) -> str | None:
    """Why ``path`` may not be written, or None: only a new file, or a regular one with --force.

    A FIFO, a device, a folder or a symlink is never replaced, and an
    existing file is never overwritten unless asked.
    """
    import stat

    try:
        mode = os.lstat(path).st_mode
    except FileNotFoundError:
        return None
    except OSError as exc:
        return f"{path}: {exc.strerror or exc}"
    if not stat.S_ISREG(mode):
        kind = "a symbolic link" if stat.S_ISLNK(mode) else "not a regular file"
        return f"{path} is {kind}; choose another --out (it is never replaced)"
    if not force:
        return f"{path} already exists; add --force to replace it, or choose another --out"
    return None


def cmd_export(args: argparse.Namespace) -> int:
    from quiz.authoring import interchange
    from quiz.saves.folder import atomic_write

    deck = open_deck(args.deck)
    writer = {
        "gift": interchange.to_gift,
        "csv": interchange.to_csv,
        "opentdb": interchange.to_opentdb,
    }[args.format]
    text = writer(deck)
    if args.out is None:
        write_data(text, out_flag=True)
        return 0
    problem = writable_target(Path(args.out), args.force)
    if problem:
        return fail(problem)
    atomic_write(Path(args.out), text)  # SaveError: cli.main
    show(f"Wrote {args.out} ({args.format}).")
    return 0


def cmd_serve(args: argparse.Namespace) -> int:
    from quiz.cli.startup import OutputClosed
    from quiz.room.net import is_loopback
    from quiz.saves.folder import SaveFolder
    from quiz.serve import make_server, play_command, urls

    deck = open_deck(args.deck)
    saves = SaveFolder(args.saves)
    saves.ensure()  # SaveError: cli.main
    if not is_loopback(args.host):
        show(
            f"quiz: warning: serving on {args.host}: anyone who can reach this address on your network can play and write saves."
        )
    try:
        server = make_server(
            play_command(saves.root, args.deck), args.host, args.port, args.max_players
        )
        # make_server checks the port first: nothing says "serving" on a port in use.
        show(
            f"quiz: serving '{deck.title}' on {' and '.join(urls(args.host, args.port))} for up to {args.max_players} players; saves in {saves.root}"
        )
        server.serve()
    except OutputClosed:
        raise  # its banner had nowhere to go (said on stderr): no port problem
    except (OSError, UnicodeError) as exc:
        return fail(
            f"cannot listen on {args.host}:{args.port}: {getattr(exc, 'strerror', None) or exc}"
        )
    return 0


def cmd_host(args: argparse.Namespace) -> int:
    from quiz.cli.live import host

    return host(args, open_deck)


def cmd_join(args: argparse.Namespace) -> int:
    from quiz.cli.live import join

    return join(args)


def cmd_schema(args: argparse.Namespace) -> int:
    from quiz.deckfile.schema import json_schema

    write_json(json_schema(facts_only=args.facts))
    return 0


def cmd_scores(args: argparse.Namespace) -> int:
    from quiz.saves.folder import SaveFolder
    from quiz.scores import summary
    from quiz.text import clean

    saves = SaveFolder(args.saves, notify=tell_stderr)
    rows = summary.leaderboard(saves, deck=args.deck)  # SaveError: cli.main
    if args.format == "json":
        write_json(rows)
        return 0
    if not rows:
        where = f" on deck '{args.deck}'" if args.deck else ""
        show(f"No finished games{where} in {saves.root}.", sys.stdout)
        return 0
    from quiz.text import fit, pad, width

    names = [fit(clean(r["player"]), 30) for r in rows]
    cells = max(6, *(width(n) for n in names))
    print(f"{'#':>3}  {pad('Player', cells)}  {'Best':>6}  {'Games':>5}  {'Right':>9}  Last played")
    for rank, (row, name) in enumerate(zip(rows, names, strict=False), 1):
        right = f"{row['correct']}/{row['answered']}"
        print(
            f"{rank:>3}  {pad(name, cells)}  {row['best_score']:>6}  {row['games']:>5}  {right:>9}  {clean(row['last_played'])[:10]}"
        )
    return 0


def usage(message: str) -> int:
    """A usage error found after parsing: exit code 2, like argparse's own."""
    show(f"quiz: error: {message}")
    return 2


def _deck_flag(ref: str | None) -> str:
    import shlex

    return f" --deck {shlex.quote(ref)}" if ref else ""


def cmd_preview(args: argparse.Namespace) -> int:
    from quiz.questions.generate import make_quiz
    from quiz.session import daily_seed, new_seed
    from quiz.text import clean

    if args.answer_key and args.format == "json":
        return usage(
            "--answer-key prints a text key for the host; the JSON already has each "
            "question's answer (leave out --format json or --answer-key)"
        )
    deck = open_deck(args.deck)
    seed = daily_seed(deck.id) if args.daily else args.seed if args.seed is not None else new_seed()
    if args.fact is not None:
        from quiz.questions.generate import Generator

        fact = next((f for f in deck.facts if f.id == args.fact), None)
        if fact is None:
            return fail(f"no fact '{args.fact}' in the deck '{deck.id}'")
        generator = Generator(deck, seed)
        questions = [
            q
            for q in (generator.build(fact, qid) for qid in generator.forms(fact))
            if q is not None
        ]
    else:
        from quiz.questions.generate import Generator

        # Cap the count at what the deck can give before any question is built.
        generator = Generator(deck, seed)
        available = sum(len(generator.forms(fact)) for fact in deck.facts)
        questions = make_quiz(deck, seed, min(args.count, available))
        if len(questions) < args.count:
            from quiz.session import short_deck_notice

            show(f"quiz: {short_deck_notice(len(questions), args.count)}")
    if args.format == "json":
        write_json([q.as_dict() for q in questions])
        return 0
    if args.answer_key:
        from quiz.text import plural

        if args.fact is not None:
            # A fact's questions are not a game: there is no `quiz play` that asks them.
            print(
                f"Answer key: {clean(deck.title)}, every question of the fact '{clean(args.fact)}'"
            )
        else:
            print(
                f"Answer key: {clean(deck.title)}, quiz code {seed}, {plural(len(questions), 'question')}"
            )
            play = f"quiz play{_deck_flag(args.deck)} --seed {seed} --count {len(questions)}"
            show(f"Players get the same quiz with: {play}", sys.stdout)
        for number, question in enumerate(questions, 1):
            print()
            print(f"{number:>3}. {clean(question.prompt)}")
            print(f"     {question.answer + 1}) {clean(question.right)}")
        return 0
    from quiz.text import plural

    print(f"{clean(deck.title)}: {plural(len(questions), 'question')}, seed {seed}")
    for number, question in enumerate(questions, 1):
        print()
        print(f"{number}. [{question.kind}] {clean(question.prompt)}")
        for index, choice in enumerate(question.choices):
            mark = "*" if index == question.answer else " "
            print(f"  {mark} {index + 1}) {clean(choice)}")
        print(f"    Answer: {clean(question.right)}")
        print(f"    Why: {clean(question.explanation, allow_newlines=True)}")
        print(f"    Source: {clean(question.source)}")
    return 0


def _bundled_deck(deck_id: str):  # type: ignore[no-untyped-def]
    """The bundled deck with this id, or None. A save's deck id is looked up, never opened."""
    from quiz.deckfile.problems import DeckError
    from quiz.deckfile.read import bundled

    try:
        return bundled(deck_id)[1]
    except DeckError:
        return None


def _deck_ref(ref: str | None) -> str:
    """The --deck a resume command needs: "" for a bundled deck, else the file's full path."""
    from quiz.deckfile.read import bundled_dir, resolve_deck

    if ref is None:
        return ""
    path = resolve_deck(ref).resolve()
    if path.is_relative_to(bundled_dir().resolve()):  # found again by its id
        return ""
    return str(path)


def _terminal_problem() -> str | None:
    """Why the full-screen game cannot run here, or None when it can."""
    if os.environ.get("TEXTUAL_DRIVER"):  # textual-serve: the browser is the terminal
        return None
    if not sys.stdin.isatty():
        return "standard input is not a terminal"
    if not sys.stdout.isatty():
        return "standard output is not a terminal"
    if os.environ.get("TERM", "") == "dumb":
        return "TERM is dumb"
    return None


def _confirm(question: str, default: bool) -> bool | None:
    """Ask yes/no on the terminal; None when input ends."""
    hint = "[Y/n]" if default else "[y/N]"
    while True:
        try:
            line = input(f"{question} {hint} ")
        except EOFError:
            print()
            return None
        answer = line.strip().lower()
        if not answer:
            return default
        if answer in ("y", "yes"):
            return True
        if answer in ("n", "no"):
            return False
        print("Please answer y or n.")


def cmd_play(args: argparse.Namespace) -> int:
    from quiz.game.play import Match
    from quiz.questions.generate import DEFAULT_COUNT
    from quiz.saves.folder import SaveError
    from quiz.session import (
        SessionError,
        check_name,
        daily_seed,
        resume_match,
        save_folder,
        shortfall,
        start_match,
        start_review,
        unfinished_game,
    )

    timer_given = args.timer is not NOT_GIVEN
    if not timer_given:
        args.timer = None
    if args.resume:
        fixed = [
            flag
            for flag, given in (
                ("--count", args.count is not None),
                ("--seed", args.seed is not None),
                ("--timer", timer_given),
                ("--daily", args.daily),
                ("--new", args.new),
            )
            if given
        ]
        if fixed:
            return usage(
                f"--resume continues the game as it was saved (same questions and timer); "
                f"leave out {', '.join(fixed)}"
            )
    from quiz.game.play import parse_team
    from quiz.names import find_alike

    teams: dict[str, list[str]] = {}
    names = list(args.player or [])
    if args.team:  # never with --player (an argparse group)
        for text in args.team:
            try:
                team, members = parse_team(text)
            except ValueError as exc:
                return usage(str(exc))
            try:
                team = check_name(team)
            except ValueError as exc:
                return fail(str(exc).replace("player name", "team name"))
            if find_alike(team, teams) is not None:  # "Reds" and "Rеds" (Cyrillic е) look the same
                return usage(f"the team '{team}' is given twice; give each team once")
            teams[team] = members
            names.extend(members)
    try:
        names = [check_name(n) for n in names]
        teams = {t: [check_name(m) for m in ms] for t, ms in teams.items()}
    except ValueError as exc:
        return fail(str(exc))
    if args.review and len(names) > 1:
        return fail("--review takes one --player")
    if (args.resume or args.review) and not names:
        return fail(
            f"{'--resume' if args.resume else '--review'} needs the player: use --player NAME"
        )

    deck = open_deck(args.deck) if args.deck is not None or not args.resume else None
    plain = args.plain
    if not plain:
        why = _terminal_problem()
        if why is not None:
            print(f"quiz: {why}, so playing in plain mode (--plain)", file=sys.stderr)
            plain = True
    if plain and not names:
        player = _ask_name()
        if player is None:
            return fail("no player name given; use --player NAME")
        names = [player]
    mode: GameMode = "plain" if plain else "tui"
    # Reading an unfinished game may set a damaged one aside: said on stderr right away.
    saves = save_folder(args.saves, notify=tell_stderr)
    saves.check_writable(names)  # SaveError: cli.main

    if args.daily:
        assert deck is not None
        args.seed = daily_seed(deck.id)
    default: Deck | None = None  # a loaded deck a resume may reuse
    interactive = sys.stdin.isatty() and sys.stdout.isatty()

    resume = args.resume
    if names and not resume and not args.new:
        # Never shelve an unfinished game without saying so: offer to resume it first.
        # A game quit before its first answer holds nothing to lose: it is
        # replaced, with a note, without asking.
        pending = [
            u for u in (unfinished_game(saves, n) for n in names) if u is not None and u.answered
        ]
        if pending:
            for item in pending:
                show(f"quiz: {item.describe()}.")
            same_match = {p.casefold() for p in pending[0].players} == {
                n.casefold() for n in names
            } and all(u.players == pending[0].players for u in pending)
            if not interactive:
                for item in {u.players: u for u in pending}.values():
                    print(
                        f"quiz: resume it with: {item.resume_command(plain=plain)}",
                        file=sys.stderr,
                    )
                return fail(
                    "nothing started; to start a new game anyway, add --new "
                    "(the unfinished game is then kept in the history, and cannot be resumed)"
                )
            if same_match:
                choice = _confirm("Resume it instead of starting a new game?", True)
                if choice is None:
                    return fail("no answer; nothing started")
                resume = choice
                if resume:
                    names = list(pending[0].players)
                    if args.deck is None:
                        # The game's own deck, looked up by its id (the default deck
                        # already loaded serves when it is the one).
                        default, deck = deck, None
            else:
                choice = _confirm(
                    "Start a new game anyway? The unfinished game is kept in the history, "
                    "and can no longer be resumed.",
                    False,
                )
                if not choice:
                    for item in {u.players: u for u in pending}.values():
                        print(f"Resume it with: {item.resume_command(plain=plain)}")
                    return 0 if choice is False else 1

    game = None
    # What starting raises (an old game shelved, a damaged save set aside, a
    # short deck) is held: said on stderr if starting fails, else by the front end.
    started: list[str] = []
    starting = saves.telling(started.append)
    try:
        if resume:
            loaded: list[Deck] = []

            def load(deck_id: str):  # type: ignore[no-untyped-def]
                # The save's deck id is looked up among the bundled decks or
                # matched against --deck; it is never opened as a path.
                if deck is not None:
                    if deck.id != deck_id:
                        raise SessionError(
                            f"the unfinished game is on the deck '{deck_id}', not '{deck.id}'"
                        )
                    return deck
                found = default if default is not None and default.id == deck_id else None
                found = found or _bundled_deck(deck_id)
                if found is None:
                    raise LookupError(deck_id)
                loaded.append(found)
                return found

            game = resume_match(starting, names, load, mode=mode)
            if deck is None:
                deck = loaded[0]
        elif args.review:
            assert deck is not None
            game = Match(
                [start_review(deck, starting, names[0], count=args.count, timer=args.timer)]
            )
        elif names:
            assert deck is not None
            game = start_match(
                deck,
                starting,
                names,
                count=args.count,
                seed=args.seed,
                timer=args.timer,
                mode=mode,
                teams=teams,
                deck_ref=_deck_ref(args.deck),
            )
            note = shortfall(game, args.count or DEFAULT_COUNT)
            if note is not None:
                show(f"quiz: note: {note}")
    except DeckProblem as exc:
        for notice in started:
            tell_stderr(notice)
        show(exc)
        return 1
    except (SessionError, SaveError) as exc:
        for notice in started:
            tell_stderr(notice)
        return fail(str(exc))
    if plain:
        from quiz.plain.play import run_plain

        assert game is not None
        with _hang_up_ends_plain():
            code = run_plain(game, saves, sys.stdin, sys.stdout, stderr=sys.stderr, notices=started)
        _quiet_closed_stdout()
        return code
    from quiz.cli import startup
    from quiz.tui.app import make_app

    assert deck is not None
    app = make_app(
        deck=deck,
        saves=saves,
        match=game,
        count=args.count,
        seed=args.seed,
        timer=args.timer,
        notices=started,
        on_ready=startup.release,  # the collector as usual once the first screen is up
    )
    hang_up = _hang_up_saves_tui(app, saves)
    with hang_up:
        app.run()
    if hang_up.hung_up:  # no terminal left to tell
        return 129
    for notice in app.undelivered:
        tell_stderr(notice)
    if app.unsaved is not None:
        show(f"quiz: could not save the game when you quit: {app.unsaved}")
        show("quiz: answers given after the last save that worked are lost")
        return 1
    _tell_resume(app.match, saves.named)
    return app.return_code or 0


def _tell_resume(match, saves: str = "") -> None:  # type: ignore[no-untyped-def]
    """After the full-screen game, an unfinished game's resume command, as plain mode prints it."""
    from quiz.session import game_resume_command
    from quiz.text import plural

    if match is None or match.finished:
        return
    game = next(g for g in match.games if not g.finished)
    done = sum(g.answered for g in match.games)
    total = sum(g.count for g in match.games)
    print(f"The game is saved ({done} of {plural(total, 'question')} answered).")
    print(f"Resume it with: {game_resume_command(game, saves=saves)}")


def _quiet_closed_stdout() -> None:
    """After output went away (`| head`), keep Python's exit flush from complaining."""
    try:
        sys.stdout.flush()
    except (OSError, ValueError):
        devnull = os.open(os.devnull, os.O_WRONLY)
        try:
            os.dup2(devnull, sys.stdout.fileno())
        except (OSError, ValueError):
            pass


class _hang_up_ends_plain:
    """SIGHUP (the terminal closed) ends plain mode as end of input does: the game is kept."""

    def __enter__(self) -> None:
        import signal

        from quiz.plain.play import HangUp

        def handler(signum: int, frame: object) -> None:
            raise HangUp

        self.previous: Any = None
        if hasattr(signal, "SIGHUP"):
            try:
                self.previous = signal.signal(signal.SIGHUP, handler)
            except ValueError:  # not the main thread
                pass

    def __exit__(self, *exc: object) -> None:
        import signal

        if self.previous is not None:
            signal.signal(signal.SIGHUP, self.previous)


class _hang_up_saves_tui:
    """SIGHUP under the full-screen game: save every unfinished game and exit."""

    def __init__(self, app, saves) -> None:  # type: ignore[no-untyped-def]
        self.app = app
        self.saves = saves
        self.previous: Any = None
        self.hung_up = False
        self.stop: Any = None  # set to end the terminal watcher

    def __enter__(self) -> _hang_up_saves_tui:
        import signal

        if not hasattr(signal, "SIGHUP"):
            return self
        try:
            self.previous = signal.signal(signal.SIGHUP, self._handler)
        except ValueError:
            return self
        self._watch_terminal()
        return self

    def _watch_terminal(self) -> None:
        """Treat the terminal going away as SIGHUP, even when no SIGHUP comes.

        Under `make play` make is the terminal's session leader: it gets the
        hang-up and waits for the game, which never hears of it, and Textual's
        input thread then spins on a terminal that reads as empty. A terminal
        that was hung up answers every query with EIO: look every half second.
        """
        import signal
        import termios
        import threading

        try:
            fd = sys.stdin.fileno()
            termios.tcgetattr(fd)
        except (OSError, ValueError, termios.error):
            return  # not a terminal: nothing to watch
        self.stop = threading.Event()

        def watch() -> None:
            while not self.stop.wait(0.5):
                try:
                    termios.tcgetattr(fd)
                except (OSError, termios.error):
                    os.kill(os.getpid(), signal.SIGHUP)  # the handler runs in the main thread
                    return

        threading.Thread(target=watch, name="quiz-terminal-watch", daemon=True).start()

    def _handler(self, signum: int, frame: object) -> None:
        import threading

        from quiz.saves.folder import SaveError

        match = self.app.match
        for game in match.games if match is not None else []:
            if not game.finished:
                try:
                    self.saves.save_progress(game)
                except SaveError:
                    pass
        # The terminal is gone: exit now, whatever state the screen is in.
        watchdog = threading.Timer(2.0, os._exit, args=(129,))
        watchdog.daemon = True  # a clean exit does not wait for it
        watchdog.start()
        self.hung_up = True
        self.app.exit(return_code=129)

    def __exit__(self, *exc: object) -> None:
        import signal

        if self.stop is not None:
            self.stop.set()
        if self.previous is not None:
            signal.signal(signal.SIGHUP, self.previous)


def _ask_name() -> str | None:
    """Plain mode without --player: ask on a terminal; in a pipe, say so."""
    if not sys.stdin.isatty():
        return None
    try:
        name = input("Your name: ")
    except EOFError:
        return None
    from quiz.session import check_name

    try:
        return check_name(name)
    except ValueError:
        return None
