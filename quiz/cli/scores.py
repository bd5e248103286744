"""The commands that read the saves: scores, report, stats."""

from __future__ import annotations

import argparse
import sys
from typing import TYPE_CHECKING

from quiz.cli import argtypes
from quiz.cli.output import fail, show, tell_stderr, write_data, write_json

if TYPE_CHECKING:
    from quiz.saves.folder import SaveFolder


def scores_arguments(scores: argparse.ArgumentParser) -> None:
    scores.add_argument(
        "--saves", metavar="DIR", help="the save folder (default: saves/ or $QUIZ_SAVES)"
    )
    scores.add_argument("--deck", metavar="ID", help="only games on this deck")
    scores.add_argument("--format", choices=("text", "json"), default="text")


def report_arguments(report: argparse.ArgumentParser) -> None:
    report.add_argument(
        "--saves", metavar="DIR", help="the save folder (default: saves/ or $QUIZ_SAVES)"
    )
    report.add_argument("--deck", metavar="ID", help="only games on this deck")
    report.add_argument(
        "--since",
        metavar="DATE",
        type=argtypes.date,
        help="only games finished on or after this date (YYYY-MM-DD)",
    )
    report.add_argument(
        "--room",
        metavar="CODE",
        type=_room_code,
        help="only the games of this live room (its 6-digit code; the latest room with it)",
    )
    report.add_argument(
        "--format",
        choices=("csv", "json", "html"),
        required=True,
        help="html: one page to look at and print (charts, no script, nothing fetched)",
    )
    report.add_argument(
        "--out",
        metavar="FILE",
        help="write here instead of to standard output (a new file; see --force)",
    )
    report.add_argument(
        "--force", action="store_true", help="replace --out if it is an existing regular file"
    )


def _room_code(text: str) -> str:
    if not (text.isascii() and text.isdigit() and len(text) == 6):
        raise argparse.ArgumentTypeError(f"'{text}' is not a room code (6 digits)")
    return text


def stats_arguments(stats: argparse.ArgumentParser) -> None:
    stats.add_argument("--saves", metavar="DIR", help="the saves folder (default: yours)")
    stats.add_argument("--deck", metavar="ID", help="only this deck's questions")
    stats.add_argument("--format", choices=("text", "json", "csv"), default="text")


def cmd_stats(args: argparse.Namespace) -> int:
    from quiz.scores.stats import run_stats

    return run_stats(args.saves, args.deck, args.format)


def cmd_report(args: argparse.Namespace) -> int:
    from quiz.saves.folder import SaveFolder
    from quiz.scores import report

    held: list[str] = []  # said after the report, as the last lines on stderr
    saves = SaveFolder(args.saves, notify=held.append)
    only = _room_games(saves, args.room) if args.room is not None else None
    if isinstance(only, int):
        return only
    if args.format == "html":
        from quiz.scores import html_report

        scope = [f"deck {args.deck}"] if args.deck else []
        scope += [f"since {args.since}"] if args.since else []
        scope += [f"room {args.room}"] if args.room else []
        games = report.games(saves, args.deck, args.since, only)  # SaveError: cli.main
        text = html_report.page(html_report.figures(games, report.Decks()), scope)
    else:
        items = report.rows(saves, deck=args.deck, since=args.since, only=only)
        text = report.as_csv(items) if args.format == "csv" else report.as_json(items)
    code = _write(text, args.out, args.force)
    for notice in held:
        tell_stderr(notice)
    return code


def _write(text: str, out: str | None, force: bool) -> int:
    """The report on stdout, or in ``out``: a new file, or a regular one with --force."""
    if out is None:
        write_data(text, out_flag=True)
        return 0
    from pathlib import Path

    from quiz.cli.decks import writable_target
    from quiz.saves.folder import atomic_write
    from quiz.text import clean

    problem = writable_target(Path(out), force)
    if problem:
        return fail(problem)
    atomic_write(Path(out), text)  # SaveError: cli.main
    show(f"Wrote {clean(out)}.")
    return 0


def _room_games(saves: SaveFolder, code: str) -> set[str] | int:
    """The ids of the games a live room saved, from its latest record with ``code``."""
    from quiz.room.record import RecordError, read
    from quiz.text import clean

    found = sorted(saves.rooms_dir.glob(f"*-{code}.json"), reverse=True)
    if not found:
        return fail(f"no live room {code} in {clean(str(saves.rooms_dir))}")
    try:
        record = read(found[0])
    except RecordError as exc:
        return fail(str(exc))
    return {p.game for p in record.players}


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
