"""`quiz serve`: the game for web browsers (textual-serve), from parsed arguments."""

from __future__ import annotations

import argparse

from quiz.cli import argtypes
from quiz.cli.decks import open_deck
from quiz.cli.output import fail, show


def serve_arguments(serve: argparse.ArgumentParser) -> None:
    serve.add_argument(
        "--host",
        type=argtypes.host,
        default="127.0.0.1",
        help="address to listen on (default: 127.0.0.1, this machine only)",
    )
    serve.add_argument("--port", type=argtypes.port, default=8000, help="port (default: 8000)")
    serve.add_argument(
        "--max-players",
        type=argtypes.players,
        default=20,
        metavar="N",
        help="players at once (default: 20)",
    )
    serve.add_argument("--deck", metavar="PATH|ID", help="the deck to offer first")
    argtypes.saves_option(serve)


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
