"""`quiz play`: from parsed arguments to a game, in plain mode or the full screen."""

from __future__ import annotations

import argparse
import os
import sys
from typing import TYPE_CHECKING

from quiz.cli import argtypes
from quiz.cli.decks import DeckProblem, open_deck
from quiz.cli.hangup import hang_up_ends_plain, hang_up_saves_tui
from quiz.cli.output import fail, quiet_closed_stdout, show, tell_stderr, usage

if TYPE_CHECKING:
    from quiz.game.play import Match
    from quiz.session import Offer, Request


def play_arguments(play: argparse.ArgumentParser) -> None:
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
    play.add_argument("--count", type=argtypes.count, metavar="N", help=argtypes.count_help())
    which.add_argument(
        "--seed",
        type=argtypes.seed,
        metavar="N",
        help="the quiz seed: the same seed gives the same quiz",
    )
    play.add_argument(
        "--kinds",
        type=argtypes.kinds_arg,
        metavar="LIST",
        help="the question forms a game may ask, a comma list of: "
        "multiple,boolean,timeline,typed,estimate,order (default: every form the deck has)",
    )
    play.add_argument(
        "--timer",
        type=argtypes.timer,
        default=argtypes.NOT_GIVEN,
        metavar="SECONDS|off",
        help="seconds per question, 5-600, or 'off' (default)",
    )
    which.add_argument(
        "--daily", action="store_true", help="today's quiz: the same for everybody on this UTC date"
    )
    argtypes.saves_option(play)
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
    # `quiz serve` runs each browser's game with it: strangers take turns, so
    # the start screen never remembers a name. Not for players: hidden.
    play.add_argument("--shared", action="store_true", help=argparse.SUPPRESS)
    how.add_argument(
        "--review",
        action="store_true",
        help="ask only the questions this player got wrong, until right twice in a row",
    )


def _deck_ref(ref: str | None) -> str:
    """The --deck a resume command needs: "" for a bundled deck, else the file's full path."""
    from quiz.deckfile.catalog import bundled_dir, resolve_deck

    if ref is None:
        return ""
    path = resolve_deck(ref).resolve()
    if path.is_relative_to(bundled_dir().resolve()):  # found again by its id
        return ""
    return str(path)


def terminal_problem() -> str | None:
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


def _resume_refuses(args: argparse.Namespace, timer_given: bool) -> str | None:
    """Why --resume cannot take the other flags given (the game is as it was saved), or None."""
    fixed = [
        flag
        for flag, given in (
            ("--count", args.count is not None),
            ("--seed", args.seed is not None),
            ("--timer", timer_given),
            ("--daily", args.daily),
            ("--new", args.new),
            ("--kinds", args.kinds is not None),
        )
        if given
    ]
    if not args.resume or not fixed:
        return None
    return (
        f"--resume continues the game as it was saved (same questions and timer); "
        f"leave out {', '.join(fixed)}"
    )


def _players(args: argparse.Namespace) -> tuple[list[str], dict[str, list[str]]] | int:
    """The players and teams named by --player or --team, checked; an exit code when refused."""
    from quiz.game.play import parse_team
    from quiz.names import find_alike, is_number
    from quiz.session import check_name

    teams: dict[str, list[str]] = {}
    names = list(args.player or [])
    for text in args.team or []:  # never with --player (an argparse group)
        try:
            team, members = parse_team(text)
        except ValueError as exc:
            return usage(str(exc))
        try:
            team = check_name(team)
        except ValueError as exc:
            return fail(str(exc).replace("player name", "team name"))
        if is_number(team):  # "٢" as much as "2": the room's rule (quiz.names.is_number)
            return usage(f"the team name '{team}' is a number; give each team a name")
        if find_alike(team, teams) is not None:  # "Reds" and "Rеds" (Cyrillic е) look the same
            return usage(f"the team '{team}' is given twice; give each team once")
        teams[team] = members
        names.extend(members)
    try:
        names = [check_name(n) for n in names]
        teams = {t: [check_name(m) for m in ms] for t, ms in teams.items()}
    except ValueError as exc:
        return fail(str(exc))
    return names, teams


def _answer(asked: Offer, request: Request, *, interactive: bool, plain: bool) -> Request | int:
    """The session's offer put to the player on the terminal: the request to play, or an exit code.

    Never shelve an unfinished game without saying so: resuming it is offered
    first, and without a terminal to ask on nothing starts (unless --new).
    """
    for item in asked.games:
        show(f"quiz: {item.describe()}.")
    if not interactive:
        for command in asked.resume_commands(plain=plain):
            print(f"quiz: resume it with: {command}", file=sys.stderr)
        return fail(
            "nothing started; to start a new game anyway, add --new "
            "(the unfinished game is then kept in the history, and cannot be resumed)"
        )
    if asked.resumable:
        choice = _confirm("Resume it instead of starting a new game?", True)
        if choice is None:
            return fail("no answer; nothing started")
        return asked.answered(request, "resume" if choice else "new")
    choice = _confirm(
        "Start a new game anyway? The unfinished game is kept in the history, "
        "and can no longer be resumed.",
        False,
    )
    if not choice:
        for command in asked.resume_commands(plain=plain):
            print(f"Resume it with: {command}")
        return 0 if choice is False else 1
    return asked.answered(request, "new")


def cmd_play(args: argparse.Namespace) -> int:
    """Parse, ask the session for a plan (the unfinished-game offer first), run a front end."""
    from quiz.questions.plan import DEFAULT_COUNT
    from quiz.saves.folder import SaveError
    from quiz.session import (
        DeckLookup,
        Request,
        SessionError,
        begin,
        daily_seed,
        offer,
        save_folder,
        shortfall,
    )

    timer_given = args.timer is not argtypes.NOT_GIVEN
    if not timer_given:
        args.timer = None
    refused = _resume_refuses(args, timer_given)
    if refused is not None:
        return usage(refused)
    who = _players(args)
    if isinstance(who, int):
        return who
    names, teams = who
    if args.review and len(names) > 1:
        return fail("--review takes one --player")
    if args.review and args.kinds is not None:
        return fail(
            "--review asks your missed questions again as they were asked; leave out --kinds"
        )
    if (args.resume or args.review) and not names:
        return fail(
            f"{'--resume' if args.resume else '--review'} needs the player: use --player NAME"
        )

    deck = open_deck(args.deck) if args.deck is not None or not args.resume else None
    plain = args.plain
    if not plain:
        why = terminal_problem()
        if why is not None:
            print(f"quiz: {why}, so playing in plain mode (--plain)", file=sys.stderr)
            plain = True
    if plain and not names:
        player = _ask_name()
        if player is None:
            return fail("no player name given; use --player NAME")
        names = [player]
    # Reading an unfinished game may set a damaged one aside: said on stderr right away.
    saves = save_folder(args.saves, notify=tell_stderr)
    saves.check_writable(names)  # SaveError: cli.main
    if args.daily:
        assert deck is not None
        args.seed = daily_seed(deck.id)
    request = Request(
        tuple(names),
        deck=deck,
        count=args.count,
        seed=args.seed,
        timer=args.timer,
        mode="plain" if plain else "tui",
        teams=teams,
        review=args.review,
        resume=args.resume,
        deck_ref=_deck_ref(args.deck),
        kinds=args.kinds,
    )
    # A save's deck is found by its id: the --deck named, else the deck loaded, else bundled.
    lookup = DeckLookup(
        deck if args.deck is not None else None, known=[deck] if deck is not None else []
    )
    asked = None if args.new else offer(saves, request)  # PlayerBusy: cli.main
    if asked is not None:
        answered = _answer(
            asked, request, interactive=sys.stdin.isatty() and sys.stdout.isatty(), plain=plain
        )
        if isinstance(answered, int):
            return answered
        request = answered

    game = None
    # What starting raises (an old game shelved, a damaged save set aside, a
    # short deck) is held: said on stderr if starting fails, else by the front end.
    started: list[str] = []
    starting = saves.telling(started.append)
    try:
        if request.players:
            game = begin(starting, request, lookup)
            if request.resume:
                deck = lookup(game.games[0].deck_id)
            elif not request.review:
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
        with hang_up_ends_plain():
            code = run_plain(game, saves, sys.stdin, sys.stdout, stderr=sys.stderr, notices=started)
        quiet_closed_stdout()
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
        kinds=args.kinds,
        shared=args.shared,
        notices=started,
        on_ready=startup.release,  # the collector as usual once the first screen is up
    )
    hang_up = hang_up_saves_tui(app, saves)
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
    tell_resume(app.match, saves.named)
    return app.return_code or 0


def tell_resume(match: Match | None, saves: str = "") -> None:
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
