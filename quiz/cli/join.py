"""`quiz join`: a player in a live room from this terminal (the Textual screen, or --plain lines)."""

from __future__ import annotations

import argparse
import sys

from quiz.cli.play import terminal_problem
from quiz.text import clean


def join_arguments(join: argparse.ArgumentParser) -> None:
    """`quiz join`'s arguments."""
    join.add_argument(
        "url",
        nargs="?",
        default="http://127.0.0.1:8765/",
        metavar="URL",
        help="the room's address (default http://127.0.0.1:8765/)",
    )
    join.add_argument("--code", metavar="CODE", help="the room code (asked when not given)")
    join.add_argument("--name", metavar="NAME", help="your name (asked when not given)")
    join.add_argument(
        "--team", metavar="NAME|NUMBER", help="your team, in a room with teams (by name or number)"
    )
    join.add_argument("--plain", action="store_true", help="line mode: answers read from stdin")


def join(args: argparse.Namespace) -> int:
    from quiz.room.client import ws_url

    try:
        ws_url(args.url)
    except ValueError as exc:
        print(f"quiz: {clean(exc)}", file=sys.stderr)
        return 1
    if not args.plain and (why := terminal_problem()) is not None:
        print(f"quiz: {why}, so joining in plain mode (--plain)", file=sys.stderr)
        args.plain = True
    if args.plain:
        import asyncio

        from quiz.plain.join import Player

        return asyncio.run(
            Player(args.url, args.code, args.name, sys.stdin, sys.stdout, team=args.team).run()
        )
    from quiz.tui.live.join import JoinApp

    app = JoinApp(args.url, code=args.code, name=args.name, team=args.team)
    app.run()
    if app.failure:
        print(f"quiz: {clean(app.failure)}", file=sys.stderr)
        return 1
    return app.return_code or 0
