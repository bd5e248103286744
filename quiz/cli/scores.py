"""The commands that read the saves: scores, report, stats."""

from __future__ import annotations

import argparse
import sys

from quiz.cli import argtypes
from quiz.cli.output import show, tell_stderr, write_data, write_json


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
    report.add_argument("--format", choices=("csv", "json"), required=True)


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
    items = report.rows(saves, deck=args.deck, since=args.since)  # SaveError: cli.main
    write_data(report.as_csv(items) if args.format == "csv" else report.as_json(items))
    for notice in held:
        tell_stderr(notice)
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
