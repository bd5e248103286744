"""`quiz host`: from parsed arguments to a running room (front-end glue: it starts the Textual screens, so it lives outside quiz.room).

`quiz join` is quiz.cli.join's, `quiz serve` quiz.cli.serve's.
"""

from __future__ import annotations

import argparse
import os
import sys
from collections.abc import Callable
from datetime import datetime
from pathlib import Path
from typing import Any, get_args

from quiz.cli import argtypes, startup
from quiz.cli.decks import open_deck
from quiz.cli.output import show
from quiz.cli.play import terminal_problem
from quiz.game.play import Scoring
from quiz.room import LEADERBOARD
from quiz.text import clean

DEFAULT_HOST = "127.0.0.1"
DEFAULT_PORT = 8765
DEFAULT_MAX_PLAYERS = 200
DEFAULT_TIMER = 20


ONE_PROCESS_MAX_PLAYERS = 5000  # what one process holds (bench/README.md, issue 15)
SPREAD_MAX_PLAYERS = 10_000  # with --workers or --broker (docs/scaling.md, "Room size")


def _room_players(text: str) -> int:
    if not text.isdigit() or not 1 <= int(text) <= SPREAD_MAX_PLAYERS:
        raise argparse.ArgumentTypeError(
            f"'{text}' is not a number of players (1-{ONE_PROCESS_MAX_PLAYERS}, "
            f"or up to {SPREAD_MAX_PLAYERS} with --workers or --broker)"
        )
    return int(text)


def spread_players_refused(args: argparse.Namespace) -> str | None:
    """Why --max-players is too many for one process (None: it is not)."""
    wanted = getattr(args, "max_players", None)
    spread = getattr(args, "workers", None) or getattr(args, "broker", None)
    if wanted is None or wanted <= ONE_PROCESS_MAX_PLAYERS or spread:
        return None
    return (
        f"--max-players {wanted}: one process holds up to {ONE_PROCESS_MAX_PLAYERS} players; "
        "spread the room with --workers N (or --broker) for more"
    )


def _rounds(text: str) -> int | str:
    """--rounds: a number of rounds (2-20), or a plan's path (checked when it is read)."""
    if text.isdigit():
        if not 2 <= int(text) <= 20:
            raise argparse.ArgumentTypeError(f"'{text}' is not a number of rounds (2-20)")
        return int(text)
    if not text.endswith(".toml"):
        raise argparse.ArgumentTypeError(
            f"'{clean(text)}' is neither a number of rounds (2-20) nor a plan FILE.toml"
        )
    return text


def _teams(text: str) -> int | str:
    """--teams: 2..8 teams players pick from, or 'auto' (the room shares players out)."""
    if text.strip().lower() == "auto":
        return "auto"
    if not text.isdigit() or not 2 <= int(text) <= 8:
        raise argparse.ArgumentTypeError(
            f"'{clean(text)}' is not a number of teams (2-8) or 'auto'"
        )
    return int(text)


def _team_names(text: str) -> tuple[str, ...]:
    from quiz.room.roster import team_names

    names = tuple(n.strip() for n in text.split(","))
    try:
        return team_names(len(names), names)
    except ValueError as exc:
        raise argparse.ArgumentTypeError(clean(str(exc))) from None


def _workers(text: str) -> int:
    if not text.isdigit() or not 1 <= int(text) <= 32:
        raise argparse.ArgumentTypeError(f"'{text}' is not a number of edge processes (1-32)")
    return int(text)


def _broker(text: str) -> str:
    from quiz.room.broker import parse_url

    try:
        parse_url(text)
    except ValueError as exc:
        raise argparse.ArgumentTypeError(clean(exc)) from None
    return text


def _transport(args: argparse.Namespace) -> Callable[..., Any]:
    """RoomServer; with --workers or --broker, the owner of a room spread over processes.

    Only then is quiz.room.owner imported (and NATS, once it connects).
    """
    workers = getattr(args, "workers", None)
    broker = getattr(args, "broker", None)
    if not workers and not broker:
        from quiz.room.server import RoomServer

        return RoomServer
    from functools import partial

    from quiz.room.broker import parse_url
    from quiz.room.owner import OwnerServer

    return partial(OwnerServer, workers=workers or 0, broker=parse_url(broker) if broker else None)


def host_arguments(host: argparse.ArgumentParser) -> None:
    """`quiz host`'s arguments (the flags are the issue's contract); the checks and
    --count's help are `quiz play`'s (quiz.cli.argtypes)."""
    host.add_argument("--deck", metavar="PATH|ID", help="a deck file or a bundled deck id")
    host.add_argument("--count", type=argtypes.count, metavar="N", help=argtypes.count_help())
    which = host.add_mutually_exclusive_group()  # a usage error, exit 2
    which.add_argument(
        "--seed", type=argtypes.seed, metavar="N", help="the quiz seed (as quiz preview)"
    )
    which.add_argument("--daily", action="store_true", help="today's quiz for this deck")
    host.add_argument(
        "--timer",
        type=argtypes.timer,
        default=DEFAULT_TIMER,
        metavar="SECONDS|off",
        help=f"seconds per question, 5-600, or 'off': Enter closes each question (default {DEFAULT_TIMER})",
    )
    host.add_argument(
        "--kinds",
        type=argtypes.kinds_arg,
        metavar="LIST",
        help="the question forms the room may ask, a comma list of: "
        "multiple,boolean,timeline,typed,estimate,order (default: the forms quiz play asks; "
        "with --resume, the room's own)",
    )
    host.add_argument(
        "--host",
        type=argtypes.host,  # quiz serve's check: a host name or an IP address, never an escape
        help=f"address to listen on (default {DEFAULT_HOST}, this machine only; 0.0.0.0 for a network; "
        "with --resume, the room's own)",
    )
    host.add_argument(
        "--port",
        type=argtypes.port,
        help=f"port (default {DEFAULT_PORT}; with --resume, the room's own)",
    )
    host.add_argument(
        "--max-players",
        type=_room_players,
        metavar="N",
        help=f"players in the room (default {DEFAULT_MAX_PLAYERS}; with --resume, the room's own)",
    )
    argtypes.saves_option(host)
    host.add_argument(
        "--scoring",
        choices=get_args(Scoring),
        default="speed",
        help="speed: faster right answers score more, with streaks; accuracy: 1000 per right answer",
    )
    host.add_argument(
        "--leaderboard",
        choices=LEADERBOARD,
        help="the top 5 after each question; after each round (the round's own, then the "
        "game's); only at the end; or never (default each, with --rounds round; "
        "with --resume, the room's own)",
    )
    host.add_argument(
        "--rounds",
        type=_rounds,
        metavar="N|FILE.toml",
        help="split the game into N rounds (2-20) as evenly as possible, each with a title card "
        "and its own top 5, or rounds as a plan names them: [[round]] tables with a title and "
        "a count",
    )
    host.add_argument(
        "--teams",
        type=_teams,
        metavar="N|auto",
        help="2-8 teams that players pick on joining, or 'auto': the room shares players out "
        "(2 teams, or as many as --team-names); a team scores the mean of its players' scores",
    )
    host.add_argument(
        "--team-names",
        type=_team_names,
        metavar="LIST",
        help='the teams\' names, a comma list ("Red,Blue"; default Team 1..Team N)',
    )
    host.add_argument(
        "--self-paced",
        action="store_true",
        help="homework: each player goes through the questions at their own pace from joining, "
        "the next a few seconds after each reveal (sooner with Next); the host's screen shows "
        "who is where, and the results when --until passes or the host ends it (E, or 'end')",
    )
    host.add_argument(
        "--until",
        metavar="TIME",
        help='with --self-paced: when the homework closes, local time ("2026-12-10 18:00" '
        "or 2026-12-10T18:00; an offset such as +01:00 may follow)",
    )
    host.add_argument(
        "--extra-time",
        metavar="LIST",
        help='players who get more time on every question, "Ann=2,Bo=1.5" (a multiplier from '
        "1 to 4 of the timer; the speed points are measured against their own time); a name "
        "not in the room yet applies when that player joins; `x` in the lobby too",
    )
    host.add_argument(
        "--show-question-on-devices",
        choices=("on", "off"),
        help="on: each phone and quiz join shows the question's text too (default); off: only "
        "the answers, the projector shows the question (with --resume, the room's own)",
    )
    host.add_argument(
        "--plain", action="store_true", help="line mode for screen readers and scripts"
    )
    host.add_argument(
        "--workers",
        type=_workers,
        metavar="N",
        help="spread the room over N edge processes sharing --port, through a NATS broker "
        "that quiz starts on 127.0.0.1 (issue 28; all end with the room)",
    )
    host.add_argument(
        "--broker",
        type=_broker,
        metavar="nats://HOST:PORT",
        help="a NATS broker of your own for edges on other machines (`quiz edge --broker ...`); "
        "its token in $QUIZ_BROKER_TOKEN or nats://TOKEN@HOST:PORT",
    )
    host.add_argument(
        "--resume",
        action="store_true",
        help="carry on the last unfinished room in the saves folder (same code, question and scores)",
    )


def until_time(text: str, now: datetime | None = None) -> datetime:
    """--until: a local time (or one with an offset) still to come; ValueError says why not."""
    shown = clean(text)
    try:
        when = datetime.fromisoformat(text.strip())
    except ValueError:
        raise ValueError(
            f"--until '{shown}' is not a date and time like \"2026-12-10 18:00\""
        ) from None
    when = when.astimezone()  # a time without an offset is this machine's local time
    now = now or datetime.now().astimezone()
    if when <= now:
        raise ValueError(
            f"--until '{shown}' has already passed (it is {now:%Y-%m-%d %H:%M} here now)"
        )
    return when


def extra_time(text: str | None) -> list[tuple[str, float]]:
    """`--extra-time`'s players, or ValueError: the flag's error, worded for the host."""
    from quiz.room.players import extra_time_spec

    if text is None:
        return []
    try:
        return extra_time_spec(text)
    except ValueError as exc:
        raise ValueError(f"--extra-time: {clean(exc)}") from None


def shows_question(value: str | None, kept: bool | None = None) -> bool:
    """`--show-question-on-devices`: the flag, else the room's record, else on."""
    return value == "on" if value is not None else kept if kept is not None else True


def make_server(args: argparse.Namespace, deck: Any) -> Any:
    from quiz.questions.plan import DEFAULT_COUNT, DEFAULT_KINDS, make_quiz
    from quiz.room.forms import planned_kinds
    from quiz.room.plan import PlanError
    from quiz.room.players import new_code
    from quiz.room.state import Room
    from quiz.session import daily_seed, new_seed, save_folder

    seed = daily_seed(deck.id) if args.daily else args.seed if args.seed is not None else new_seed()
    kinds = planned_kinds(DEFAULT_KINDS if args.kinds is None else args.kinds)
    from quiz.room.plan import plan_total, read_plan, rounds_for
    from quiz.room.roster import team_names

    plan = None
    if isinstance(args.rounds, str):
        plan = read_plan(Path(args.rounds))  # PlanError: `host` says it, exit 1
    count = args.count or (plan_total(plan) if plan is not None else None) or DEFAULT_COUNT
    questions = make_quiz(deck, seed, count, kinds=kinds)
    if len(questions) < count:
        from quiz.session.start import short_deck_notice

        # As `quiz play` and `preview` say it: a host must know before the room opens.
        show(f"quiz: note: {short_deck_notice(len(questions), count)}")
    rounds = () if args.rounds is None else rounds_for(len(questions), plan or args.rounds)
    teams: tuple[str, ...] = ()
    if args.teams is not None or args.team_names:
        wanted = args.teams if isinstance(args.teams, int) else None
        if wanted is not None and args.team_names and len(args.team_names) != wanted:
            raise PlanError(
                f"--teams {wanted}, but --team-names names {len(args.team_names)} teams"
            )
        teams = team_names(wanted or len(args.team_names or ()) or 2, args.team_names or ())
    # What a paced room and self-paced homework are both built from.
    shared: dict[str, Any] = {
        "code": new_code(),
        "seed": seed,
        "deck_id": deck.id,
        "deck_title": deck.title,
        "timer": args.timer,
        "scoring": args.scoring,
        "max_players": args.max_players or DEFAULT_MAX_PLAYERS,
        "kinds": kinds,
        "teams": teams,
        "team_mode": "auto" if args.teams == "auto" else "pick",
    }
    serving: dict[str, Any] = {
        "host": args.host or DEFAULT_HOST,
        "port": args.port or DEFAULT_PORT,
        "on_started": startup.release,  # the room is up: the collector as usual
    }
    if args.self_paced:
        from quiz.room.homework import Homework

        homework = Homework(questions, until=args.until_time, **shared)
        return _transport(args)(
            homework, save_folder(args.saves), leaderboard=args.leaderboard or "each", **serving
        )
    room = Room(questions, rounds=rounds, **shared)
    for who, times in extra_time(args.extra_time):
        room.set_extra(who, times)  # nobody is in yet: each applies when they join
    server = _transport(args)(
        room,
        save_folder(args.saves),
        leaderboard=args.leaderboard or ("round" if len(rounds) > 1 else "each"),
        **serving,
    )
    server.show_question = shows_question(args.show_question_on_devices)
    server.freeze_gc = True  # one room in this process (quiz.room.steps.LiveSteps)
    return server


def resume_server(args: argparse.Namespace, open_deck: Callable[[str | None], Any]) -> Any:
    from quiz.questions.plan import make_quiz
    from quiz.room import record as rec
    from quiz.room.restore import kinds
    from quiz.session import save_folder

    saves = save_folder(args.saves)
    path = rec.latest(saves.rooms_dir)
    record = rec.read(path)
    # The record's `deck` is only ever a bundled deck's id, never a path: anyone
    # with the saves folder can edit it (issue 11, class 2). Otherwise --deck PATH.
    ref = args.deck
    if ref is None:
        from quiz.deckfile.catalog import bundled_deck
        from quiz.deckfile.problems import DeckError

        try:
            ref = str(bundled_deck(record.deck))
        except DeckError:
            raise rec.RecordError(
                f"{clean(str(path))}: deck: room {record.code} was on the deck '{record.deck}', "
                "which is not bundled; resume it with --deck PATH"
            ) from None
    deck = open_deck(ref)
    questions = make_quiz(deck, record.seed, record.count, kinds=kinds(record))
    room = rec.restore(record, questions, deck.title, path=path, max_players=args.max_players)
    if args.max_players is None and record.max_players is not None:
        # A room spread over processes for more than one holds is resumed spread again.
        spread = argparse.Namespace(**{**vars(args), "max_players": record.max_players})
        if (why := spread_players_refused(spread)) is not None:
            raise rec.RecordError(f"{clean(str(path))}: max_players: {why}")
    # The room listens where it did, so players' pages find it again: a flag given now wins.
    listen = args.host
    if listen is None and record.host is not None:
        try:
            listen = argtypes.host(record.host)  # the record is editable: --host's own check
        except argparse.ArgumentTypeError as exc:
            raise rec.RecordError(f"{clean(str(path))}: host: {clean(exc)}") from None
    server = _transport(args)(
        room,
        saves,
        host=listen or DEFAULT_HOST,
        port=args.port or record.port or DEFAULT_PORT,
        leaderboard=args.leaderboard or record.leaderboard or "each",
        record_path=path,
        on_started=startup.release,
    )
    server.show_question = shows_question(args.show_question_on_devices, record.show_question)
    server.freeze_gc = True  # one room in this process (quiz.room.steps.LiveSteps)
    return server


def host(args: argparse.Namespace, open_deck: Callable[[str | None], Any]) -> int:
    from quiz.room.net import is_loopback
    from quiz.room.plan import PlanError
    from quiz.room.record import RecordError
    from quiz.room.wire import RoomError
    from quiz.saves.folder import SaveError

    for flag, given in (
        ("--kinds", args.kinds),
        ("--rounds", args.rounds),
        ("--teams", args.teams),
        ("--team-names", args.team_names),
        ("--self-paced", args.self_paced or None),
        ("--until", args.until),
    ):
        if args.resume and given is not None:
            print(
                f"quiz: --resume asks the room's questions as it planned them; leave out {flag}",
                file=sys.stderr,
            )
            return 1
    if (why := spread_players_refused(args)) is not None:
        print(f"quiz: {why}", file=sys.stderr)
        return 1
    args.until_time = None
    if args.until is not None and not args.self_paced:
        print("quiz: --until is when self-paced homework closes; add --self-paced", file=sys.stderr)
        return 1
    if args.self_paced and args.rounds is not None:
        print(
            "quiz: --self-paced plays every question at each player's own pace, and rounds "
            "follow the host's steps; leave out --rounds (or host a paced room)",
            file=sys.stderr,
        )
        return 1
    if args.until is not None:
        try:
            args.until_time = until_time(args.until)
        except ValueError as exc:
            print(f"quiz: {exc}", file=sys.stderr)
            return 1
    if args.resume and args.extra_time is not None:
        print(
            "quiz: --resume keeps the room's extra time as it was; leave out --extra-time",
            file=sys.stderr,
        )
        return 1
    try:
        extra_time(args.extra_time)  # a bad list is told before the deck is read
    except ValueError as exc:
        print(f"quiz: {exc}", file=sys.stderr)
        return 1
    if args.resume:
        try:
            server = resume_server(args, open_deck)
        except (RecordError, RoomError, SaveError) as exc:
            print(f"quiz: {clean(getattr(exc, 'message', exc))}", file=sys.stderr)
            return 1
    else:
        deck = open_deck(args.deck)
        try:
            server = make_server(args, deck)
        except PlanError as exc:
            print(f"quiz: {clean(exc)}", file=sys.stderr)
            return 1
    try:
        server.prepare_saves()
    except SaveError as exc:
        print(f"quiz: {clean(exc)}", file=sys.stderr)
        return 1
    if not is_loopback(server.host):
        print(
            f"quiz: warning: listening on {clean(server.host)}: anyone who can reach this machine on "
            "your network can join the room.",
            file=sys.stderr,
        )
    if not args.plain and (why := terminal_problem()) is not None:
        print(f"quiz: {why}, so hosting in plain mode (--plain)", file=sys.stderr)
        args.plain = True
    if args.plain:
        import asyncio  # only for a room: building the parser for `quiz play` skips it

        return asyncio.run(_host_plain(server))
    from quiz.tui.live.host import HostApp

    app = HostApp(server)
    app.run()
    if app.failure:
        print(f"quiz: {clean(app.failure)}", file=sys.stderr)
        return 1
    return app.return_code or 0


async def _host_plain(server: Any) -> int:
    import asyncio
    import signal

    from quiz.plain.host import run_host
    from quiz.plain.host_lines import resume_command
    from quiz.plain.host_output import Output
    from quiz.saves.folder import SaveError

    # stderr too is a pipe nobody may read: the network's fault lines never wait on it.
    errors = Output(sys.stderr)
    server.faults.write = errors.write
    try:
        await server.start()
    except OSError as exc:
        from quiz.room.net import start_failure

        print(clean(f"quiz: {start_failure(server.host, server.port, exc)}"), file=sys.stderr)
        return 1
    except SaveError as exc:
        print(f"quiz: {clean(exc)}", file=sys.stderr)
        return 1
    hosting = asyncio.ensure_future(
        run_host(
            server, sys.stdin, sys.stdout, interactive=sys.stdin.isatty(), auto_step=_auto_step()
        )
    )
    loop = asyncio.get_running_loop()
    closing: list[bool] = []

    def close_room() -> None:
        # Ctrl+C closes the room as Ctrl+Q does on the host's screen: the record
        # kept, the players told, a last line, exit 0 (1 if the record was not saved).
        if not closing:
            closing.append(True)
            hosting.cancel()

    loop.add_signal_handler(signal.SIGINT, close_room)
    try:
        try:
            code = await hosting
        except asyncio.CancelledError:
            if not closing:
                raise
            return 0 if server.save_error is None else 1
        if server.save_failures:
            errors.write(
                clean(
                    f"quiz: {len(server.save_failures)} of the room's games are not saved; "
                    f"`{resume_command(server)}` saves them"
                )
            )
        return code
    finally:
        loop.remove_signal_handler(signal.SIGINT)
        await server.stop()
        await asyncio.to_thread(errors.drain, 2.0)


def _auto_step() -> float:
    """Seconds a plain host's step waits once its input has ended (tests shorten it)."""
    from quiz.plain.host import AUTO_STEP

    # QUIZ_TEST_AUTO_STEP is for the test suite only, so a test of a room
    # that goes on by itself waits no fixed 5 s a step; not a user setting.
    try:
        step = float(os.environ.get("QUIZ_TEST_AUTO_STEP", AUTO_STEP))
    except ValueError:
        return AUTO_STEP
    return step if 0 <= step <= AUTO_STEP else AUTO_STEP


def cmd_host(args: argparse.Namespace) -> int:
    return host(args, open_deck)
