"""The `quiz` command: parses arguments, calls the core or a front end, prints.

No game rules live here. Exit codes: 0 success, 1 a problem with the input
(a deck, a save, a name), 2 a usage error. Bad input never gives a traceback.
"""

from __future__ import annotations

import argparse
import json
import os
import sys
from collections.abc import Sequence
from pathlib import Path
from typing import NoReturn

from quiz import __version__

COMMANDS = ("play", "preview", "validate")


class QuizArgumentParser(argparse.ArgumentParser):
    """argparse that ends usage errors with exit code 2 and a hint."""

    def error(self, message: str) -> NoReturn:
        self.print_usage(sys.stderr)
        self.exit(2, f"{self.prog}: error: {message}\nTry '{self.prog} --help' for more.\n")


def _count(text: str) -> int:
    try:
        value = int(text)
    except ValueError:
        raise argparse.ArgumentTypeError(f"'{text}' is not a whole number") from None
    if not 1 <= value <= 100_000:
        raise argparse.ArgumentTypeError("must be between 1 and 100000")
    return value


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
    if not text.isdigit() or not 1 <= int(text) <= 65535:
        raise argparse.ArgumentTypeError(f"'{text}' is not a port number (1-65535)")
    return int(text)


def _players(text: str) -> int:
    if not text.isdigit() or not 1 <= int(text) <= 500:
        raise argparse.ArgumentTypeError(f"'{text}' is not a number of players (1-500)")
    return int(text)


def _date(text: str) -> str:
    import datetime as dt

    try:
        return dt.date.fromisoformat(text).isoformat()
    except ValueError:
        raise argparse.ArgumentTypeError(f"'{text}' is not a date like 2026-09-01") from None


def build_parser() -> argparse.ArgumentParser:
    parser = QuizArgumentParser(
        prog="quiz",
        description="A fact-based trivia game for the terminal. 'quiz' alone is 'quiz play'.",
    )
    parser.add_argument("--version", action="version", version=f"quiz {__version__}")
    sub = parser.add_subparsers(dest="command", metavar="COMMAND", parser_class=QuizArgumentParser)

    play = sub.add_parser("play", help="play a quiz (the default)")
    play.add_argument(
        "--deck",
        metavar="PATH|ID",
        help="a deck file or a bundled deck id (default: amber-balcaen)",
    )
    play.add_argument(
        "--player",
        metavar="NAME",
        action="append",
        help="the player's name; skips the start screen. Repeat for hot-seat (2 to 8 players)",
    )
    play.add_argument(
        "--team",
        metavar='"NAME=A,B"',
        action="append",
        help='a team and its players, e.g. --team "Red=Ann,Ben"; repeat for each team',
    )
    play.add_argument("--count", type=_count, metavar="N", help="number of questions (default 10)")
    play.add_argument(
        "--seed", type=_seed, metavar="N", help="the quiz seed: the same seed gives the same quiz"
    )
    play.add_argument(
        "--timer",
        type=_timer,
        metavar="SECONDS|off",
        help="seconds per question, or 'off' (default)",
    )
    play.add_argument(
        "--daily", action="store_true", help="today's quiz: the same for everybody on this UTC date"
    )
    play.add_argument(
        "--saves", metavar="DIR", help="the save folder (default: saves/ or $QUIZ_SAVES)"
    )
    play.add_argument(
        "--plain", action="store_true", help="line-by-line mode for screen readers and pipes"
    )
    play.add_argument(
        "--resume", action="store_true", help="continue this player's unfinished game"
    )
    play.add_argument(
        "--review",
        action="store_true",
        help="ask only the questions this player got wrong, until right twice in a row",
    )

    preview = sub.add_parser("preview", help="print the questions a game would ask")
    preview.add_argument("--deck", metavar="PATH|ID", help="a deck file or a bundled deck id")
    preview.add_argument(
        "--count", type=_count, default=10, metavar="N", help="number of questions (default 10)"
    )
    preview.add_argument(
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
    preview.add_argument(
        "--daily", action="store_true", help="today's quiz: the same for everybody on this UTC date"
    )

    scores = sub.add_parser("scores", help="print the leaderboard from the saves")
    scores.add_argument(
        "--saves", metavar="DIR", help="the save folder (default: saves/ or $QUIZ_SAVES)"
    )
    scores.add_argument("--deck", metavar="ID", help="only games on this deck")
    scores.add_argument("--format", choices=("text", "json"), default="text")

    report = sub.add_parser(
        "report", help="one row per player per question, as CSV or JSON, for a gradebook"
    )
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

    imp = sub.add_parser("import", help="make a deck from Open Trivia DB JSON or a CSV file")
    imp.add_argument("kind", choices=("opentdb", "csv"), help="what the file is")
    imp.add_argument("file", metavar="FILE", help="the file to read")
    imp.add_argument(
        "--out",
        metavar="DECK.toml",
        required=True,
        help="the deck file to write (never overwritten)",
    )
    imp.add_argument("--title", help="the deck's title (default: from the file name)")

    exp = sub.add_parser("export", help="write a deck as Moodle GIFT, CSV or Open Trivia DB JSON")
    exp.add_argument("deck", metavar="DECK", help="a deck file, folder or bundled deck id")
    exp.add_argument("--format", choices=("gift", "csv", "opentdb"), required=True)
    exp.add_argument("--out", metavar="FILE", help="write here instead of to standard output")

    serve = sub.add_parser("serve", help="serve the game to web browsers (textual-serve)")
    serve.add_argument(
        "--host",
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

    validate = sub.add_parser("validate", help="check decks and report every problem on its line")
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

    schema = sub.add_parser(
        "schema", help="print the JSON Schema (draft 2020-12) of the deck format"
    )
    schema.add_argument(
        "--facts", action="store_true", help="the schema of a folder deck's fact files instead"
    )

    add = sub.add_parser("add-fact", help="add a fact to a deck, asking for each field")
    add.add_argument("deck", metavar="DECK", help="the deck file to add to")

    from quiz.live import add_parsers

    add_parsers(sub, _count, _seed, _timer, _port)
    return parser


def main(argv: Sequence[str] | None = None) -> int:
    """Entry point of the `quiz` console script."""
    args_list = list(sys.argv[1:] if argv is None else argv)
    if not args_list or (
        args_list[0].startswith("-") and args_list[0] not in ("-h", "--help", "--version")
    ):
        args_list.insert(0, "play")
    args = build_parser().parse_args(args_list)
    if args.command is None:
        args = build_parser().parse_args(["play", *args_list])
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
            "host": cmd_host,
            "join": cmd_join,
        }[args.command]
        return handler(args)
    except DeckProblem as exc:
        # A deck that cannot be used: its problems are already located and worded.
        print(exc, file=sys.stderr)
        return 1
    except KeyboardInterrupt:
        return 130
    except BrokenPipeError:
        # Output piped into `head` and the like: stop quietly.
        devnull = os.open(os.devnull, os.O_WRONLY)
        os.dup2(devnull, sys.stdout.fileno())
        return 0


def fail(message: str) -> int:
    """Print one clear line to stderr and return exit code 1."""
    print(f"quiz: {message}", file=sys.stderr)
    return 1


# --- decks ----------------------------------------------------------------------


class DeckProblem(Exception):
    """A deck could not be used; the problems are already formatted."""


def open_deck(ref: str | None):  # type: ignore[no-untyped-def]
    """Load the deck ``--deck`` names; raise DeckProblem with located errors.

    Play and preview check structure and references; the fairness rules of
    `quiz validate` run in CI, and the generator guards against what they catch.
    """
    from quiz.deck import DEFAULT_DECK, DeckError, bundled_dir, deck_files, load_deck, resolve_deck

    path = resolve_deck(ref)
    if not path.exists() and ref is not None and "/" not in ref and not ref.endswith(".toml"):
        known = ", ".join(p.stem for p in deck_files(bundled_dir())) or DEFAULT_DECK
        raise DeckProblem(
            f"quiz: no deck file or bundled deck called '{ref}'; bundled decks: {known}"
        )
    try:
        return load_deck(path, str(path) if ref else path.name, use_cache=True)
    except DeckError as exc:
        raise DeckProblem(str(exc)) from None


# --- commands ---------------------------------------------------------------------


def cmd_validate(args: argparse.Namespace) -> int:
    from quiz.deck import bundled_dir
    from quiz.validate import check_all

    paths = [Path(p) for p in args.paths] or [bundled_dir()]
    results = check_all(paths)
    errors = warnings = 0
    for result in results:
        for problem in result.problems:
            print(problem.github() if args.format == "github" else problem)
            if problem.severity == "error":
                errors += 1
            else:
                warnings += 1
    decks = sum(1 for r in results if r.deck is not None and not r.errors)
    facts = sum(len(r.deck.facts) for r in results if r.deck is not None)
    summary = f"{len(results)} file(s), {decks} valid deck(s), {facts} fact(s): {errors} error(s), {warnings} warning(s)"
    print(summary, file=sys.stderr)
    return 1 if errors or (args.strict and warnings) else 0


def cmd_add_fact(args: argparse.Namespace) -> int:
    from quiz.addfact import add_fact
    from quiz.deck import DeckError

    try:
        return add_fact(Path(args.deck), sys.stdin, sys.stdout)
    except DeckError as exc:
        print("quiz: fix the deck before adding to it:", file=sys.stderr)
        print(exc, file=sys.stderr)
        return 1


def cmd_report(args: argparse.Namespace) -> int:
    from quiz import report
    from quiz.saves import SaveError, SaveFolder

    saves = SaveFolder(args.saves)
    try:
        items = report.rows(saves, deck=args.deck, since=args.since)
        sys.stdout.write(report.as_csv(items) if args.format == "csv" else report.as_json(items))
    except SaveError as exc:
        return fail(str(exc))
    for notice in saves.notices:
        print(f"quiz: {notice}", file=sys.stderr)
    return 0


def cmd_import(args: argparse.Namespace) -> int:
    import tomli_w

    from quiz import interchange
    from quiz.deck import DeckError, DeckSource, build_deck, decode, read_capped
    from quiz.saves import SaveError, atomic_write
    from quiz.validate import lint

    source_file, out = Path(args.file), Path(args.out)
    if out.exists():
        return fail(f"{out} already exists; choose another --out (nothing is overwritten)")
    try:
        text = decode(read_capped(source_file))
    except FileNotFoundError:
        return fail(f"{source_file}: no such file")
    except (OSError, ValueError) as exc:
        return fail(f"{source_file}: this file {exc}")
    try:
        items = (
            interchange.read_opentdb(text) if args.kind == "opentdb" else interchange.read_csv(text)
        )
    except interchange.ImportProblem as exc:
        return fail(f"{source_file}: {exc}")
    if args.kind == "opentdb":
        source = {"id": "opentdb", "title": "Open Trivia Database", "url": "https://opentdb.com"}
    else:
        source = {"id": "spreadsheet", "title": f"Imported from {source_file.name}"[:300]}
    title = args.title or out.stem.replace("-", " ").replace("_", " ").title()
    imported = interchange.build(items, out.stem, title, source)
    for note in imported.notes:
        print(f"quiz: {source_file}: {note}", file=sys.stderr)
    if not imported.data["facts"]:
        return fail(f"{source_file}: no question could be imported")
    toml_text = tomli_w.dumps(imported.data)
    try:
        deck = build_deck(imported.data, DeckSource.single(toml_text, str(out)))
    except DeckError as exc:
        print(exc, file=sys.stderr)
        return 1
    errors = [issue for issue in lint(deck) if issue[3] == "error"]
    if errors:
        for _, message, fact, _ in errors:
            print(f"quiz: {out}: [{fact}] {message}", file=sys.stderr)
        return 1
    try:
        atomic_write(out, toml_text)
    except SaveError as exc:
        return fail(str(exc))
    print(
        f"Wrote {out}: {len(deck.facts)} question(s), {len(imported.notes)} skipped. Try it: quiz preview --deck {out}"
    )
    return 0


def cmd_export(args: argparse.Namespace) -> int:
    from quiz import interchange
    from quiz.saves import SaveError, atomic_write

    deck = open_deck(args.deck)
    writer = {
        "gift": interchange.to_gift,
        "csv": interchange.to_csv,
        "opentdb": interchange.to_opentdb,
    }[args.format]
    text = writer(deck)
    if args.out is None:
        sys.stdout.write(text)
        return 0
    try:
        atomic_write(Path(args.out), text)
    except SaveError as exc:
        return fail(str(exc))
    print(f"Wrote {args.out} ({args.format}).", file=sys.stderr)
    return 0


def cmd_serve(args: argparse.Namespace) -> int:
    from quiz.saves import SaveError, SaveFolder
    from quiz.serve import is_loopback, make_server, play_command

    deck = open_deck(args.deck)
    saves = SaveFolder(args.saves)
    try:
        saves.ensure()
    except SaveError as exc:
        return fail(str(exc))
    if not is_loopback(args.host):
        print(
            f"quiz: warning: serving on {args.host}: anyone who can reach this address on your network can play and write saves.",
            file=sys.stderr,
        )
    try:
        server = make_server(
            play_command(saves.root, args.deck), args.host, args.port, args.max_players
        )
        print(
            f"quiz: serving '{deck.title}' on http://{args.host}:{args.port} for up to {args.max_players} players; saves in {saves.root}",
            file=sys.stderr,
        )
        server.serve()
    except OSError as exc:
        return fail(f"cannot listen on {args.host}:{args.port}: {exc.strerror or exc}")
    return 0


def cmd_host(args: argparse.Namespace) -> int:
    from quiz.live import host

    return host(args, open_deck)


def cmd_join(args: argparse.Namespace) -> int:
    from quiz.live import join

    return join(args)


def cmd_schema(args: argparse.Namespace) -> int:
    from quiz.schema import json_schema

    print(json.dumps(json_schema(facts_only=args.facts), indent=2, ensure_ascii=False))
    return 0


def cmd_scores(args: argparse.Namespace) -> int:
    from quiz.saves import SaveError, SaveFolder
    from quiz.text import clean

    saves = SaveFolder(args.saves)
    try:
        rows = saves.leaderboard(deck=args.deck)
    except SaveError as exc:
        return fail(str(exc))
    for notice in saves.notices:
        print(f"quiz: {notice}", file=sys.stderr)
    if args.format == "json":
        json.dump(rows, sys.stdout, ensure_ascii=False, indent=2)
        print()
        return 0
    if not rows:
        where = f" on deck '{args.deck}'" if args.deck else ""
        print(f"No finished games{where} in {saves.root}.")
        return 0
    names = [clean(r["player"])[:30] for r in rows]
    width = max(6, *(len(n) for n in names))
    print(f"{'#':>3}  {'Player':<{width}}  {'Best':>6}  {'Games':>5}  {'Right':>9}  Last played")
    for rank, (row, name) in enumerate(zip(rows, names, strict=False), 1):
        right = f"{row['correct']}/{row['answered']}"
        print(
            f"{rank:>3}  {name:<{width}}  {row['best_score']:>6}  {row['games']:>5}  {right:>9}  {row['last_played'][:10]}"
        )
    return 0


def usage(message: str) -> int:
    """A usage error found after parsing: exit code 2, like argparse's own."""
    print(f"quiz: error: {message}", file=sys.stderr)
    return 2


def cmd_preview(args: argparse.Namespace) -> int:
    from quiz.generate import make_quiz
    from quiz.session import daily_seed, new_seed
    from quiz.text import clean

    deck = open_deck(args.deck)
    if args.daily and args.seed is not None:
        return usage("--daily and --seed cannot be used together")
    seed = daily_seed(deck.id) if args.daily else args.seed if args.seed is not None else new_seed()
    if args.fact is not None:
        from quiz.generate import Generator

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
        questions = make_quiz(deck, seed, args.count)
    if args.format == "json":
        json.dump([q.as_dict() for q in questions], sys.stdout, ensure_ascii=False, indent=2)
        print()
        return 0
    if args.answer_key:
        print(f"Answer key: {clean(deck.title)}, quiz code {seed}, {len(questions)} question(s)")
        print(f"Players get the same quiz with: quiz play --seed {seed} --count {len(questions)}")
        for number, question in enumerate(questions, 1):
            print()
            print(f"{number:>3}. {clean(question.prompt)}")
            print(f"     {question.answer + 1}) {clean(question.right)}")
        return 0
    print(f"{clean(deck.title)}: {len(questions)} question(s), seed {seed}")
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


def cmd_play(args: argparse.Namespace) -> int:
    from quiz.game import Match
    from quiz.saves import SaveError, SaveFolder
    from quiz.session import (
        SessionError,
        check_name,
        daily_seed,
        resume_game,
        start_match,
        start_review,
    )

    if args.daily and args.seed is not None:
        return usage("--daily and --seed cannot be used together")
    deck = open_deck(args.deck)
    if args.daily:
        args.seed = daily_seed(deck.id)
    saves = SaveFolder(args.saves)
    from quiz.game import parse_team

    teams: dict[str, list[str]] = {}
    names = list(args.player or [])
    if args.team:
        if names:
            return usage("give players with --player or with --team, not both")
        for text in args.team:
            try:
                team, members = parse_team(text)
            except ValueError as exc:
                return usage(str(exc))
            teams[team] = members
            names.extend(members)
    try:
        names = [check_name(n) for n in names]
        teams = {t: [check_name(m) for m in ms] for t, ms in teams.items()}
    except ValueError as exc:
        return fail(str(exc))
    player = names[0] if len(names) == 1 else None
    if args.plain and player is None and not names:
        player = _ask_name()
        if player is None:
            return fail("no player name given; use --player NAME")
    if (args.resume or args.review) and len(names) > 1:
        return fail(f"{'--resume' if args.resume else '--review'} takes one --player")
    if (args.resume or args.review) and player is None:
        return fail(f"{'--resume' if args.resume else '--review'} needs --player NAME")
    if args.resume and args.review:
        return fail("--resume and --review cannot be used together")
    mode = "plain" if args.plain else "tui"
    game = None
    try:
        if args.resume:
            game = Match(
                [
                    resume_game(
                        saves,
                        player,
                        lambda deck_id: deck if deck.id == deck_id else open_deck(deck_id),
                        mode=mode,
                    )
                ]
            )
        elif args.review:
            game = Match([start_review(deck, saves, player, count=args.count, timer=args.timer)])
        elif player is not None or names:
            game = start_match(
                deck,
                saves,
                names or [player],
                count=args.count,
                seed=args.seed,
                timer=args.timer,
                mode=mode,
                teams=teams,
            )
    except DeckProblem as exc:
        print(exc, file=sys.stderr)
        return 1
    except (SessionError, SaveError) as exc:
        return fail(str(exc))
    if args.plain:
        from quiz.plain import run_plain

        assert game is not None
        return run_plain(game, saves, sys.stdin, sys.stdout)
    from quiz.tui.app import make_app

    app = make_app(
        deck=deck, saves=saves, match=game, count=args.count, seed=args.seed, timer=args.timer
    )
    app.run()
    for notice in saves.notices:
        print(f"quiz: {notice}", file=sys.stderr)
    return app.return_code or 0


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
