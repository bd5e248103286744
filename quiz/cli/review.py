"""`quiz review export`: a player's review pile as an Anki deck (.apkg).

What goes in it is built in quiz/authoring/anki.py and written by quiz/cli/anki.py;
here are the flags and the player-name and save-folder rules every command shares.
"""

from __future__ import annotations

import argparse
from typing import TYPE_CHECKING

from quiz.cli import argtypes
from quiz.cli.output import fail, tell_stderr
from quiz.text import clean

if TYPE_CHECKING:
    from quiz.model import Deck
    from quiz.saves.folder import SaveFolder


def review_arguments(review: argparse.ArgumentParser) -> None:
    actions = review.add_subparsers(
        dest="action", metavar="ACTION", required=True, parser_class=type(review)
    )
    export = actions.add_parser(
        "export", help="write a player's review pile (the questions they missed) for Anki"
    )
    export.add_argument("--player", required=True, metavar="NAME", help="whose review pile")
    export.add_argument("--format", choices=("anki",), required=True)
    export.add_argument(
        "--out",
        metavar="FILE",
        help="the .apkg to write, a new file (default: review.apkg here; see --force)",
    )
    argtypes.force_option(export)
    argtypes.saves_option(export)
    export.add_argument(
        "--deck",
        metavar="DECK",
        help="only the pile on this deck (a file, folder or bundled id; default: every bundled deck played)",
    )


def cmd_review(args: argparse.Namespace) -> int:
    from quiz.cli.scores import rebuild_bar
    from quiz.session.start import check_name, save_folder

    try:
        player = check_name(args.player)
    except ValueError as exc:
        return fail(str(exc))
    saves = save_folder(args.saves, notify=tell_stderr)
    if next(saves.games(player=player), None) is None:
        # Not "nothing to review": a teacher who forgot --saves would read that as good news.
        return fail(
            f"no games by {player!r} in {clean(str(saves.root))}; "
            "name the folder the games were saved in with --saves DIR"
        )
    with rebuild_bar():  # the pile is read from the summary: a rebuild may be long
        if args.deck is not None:
            return _export_piles(saves, player, [_open(args.deck)], args)
        decks, elsewhere = _played(saves, player)
        if not decks and elsewhere:
            # A save names its deck but never makes quiz open a file: the player says which.
            return fail(
                f"{player!r} played only decks that are not bundled ({', '.join(elsewhere)}); "
                "name one with --deck PATH"
            )
        return _export_piles(saves, player, decks, args)


def _export_piles(
    saves: SaveFolder, player: str, decks: list[Deck], args: argparse.Namespace
) -> int:
    from quiz.authoring import anki
    from quiz.names import name_key
    from quiz.scores.summary import review_streaks
    from quiz.session.review import questions_by_id, review_pile

    built = []
    for deck in decks:
        ids = review_pile(saves, player, deck.id)  # SaveError: cli.main
        if not ids:
            continue
        streaks = review_streaks(saves, player, deck.id)
        boxes = {qid: streaks.get(qid, 0) + 1 for qid in ids}
        # Wrong answers drawn for seed 0, as every export draws them.
        questions = questions_by_id(deck, 0, ids)
        built.append(anki.from_pile(deck, player, name_key(player), boxes, questions))
    built = [d for d in built if d.notes]
    if not built:
        where = f" on deck '{decks[0].id}'" if args.deck is not None and decks else ""
        return fail(f"{player!r} has nothing to review{where}: no wrong answers left to practise")
    from quiz.cli.anki import write
    from quiz.cli.decks import writable_target

    return write(built, args.out or "review.apkg", args.force, writable_target)


def _open(ref: str) -> Deck:
    from quiz.cli.decks import open_deck

    return open_deck(ref)


def _played(saves: SaveFolder, player: str) -> tuple[list[Deck], list[str]]:
    """The bundled decks this player has games on (a save names its deck by bundled id),
    and the ids of the other decks they played (cleaned, to show)."""
    from quiz.deckfile.catalog import bundled_decks
    from quiz.scores.cache import load

    folder = saves.player_dir(player, create=False)
    if not folder.is_dir():
        return [], []
    ids = sorted({deck for (who, deck) in load(saves, folder, detail=True).groups if who == player})
    bundled = bundled_decks(None)
    others = [clean(i) for i in ids if i not in bundled]
    return [bundled[i] for i in ids if i in bundled], others
