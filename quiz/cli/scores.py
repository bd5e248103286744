"""The commands that read the saves: scores, report, stats."""

from __future__ import annotations

import argparse
import sys
from collections.abc import Iterator
from contextlib import contextmanager
from typing import TYPE_CHECKING, Any

from quiz.cli import argtypes
from quiz.cli.output import fail, show, tell_stderr, write_data, write_json

if TYPE_CHECKING:
    from quiz.saves.folder import SaveFolder


def scores_arguments(scores: argparse.ArgumentParser) -> None:
    argtypes.saves_option(scores)
    scores.add_argument("--deck", metavar="ID", help="only games on this deck")
    scores.add_argument("--format", choices=("text", "json"), default="text")


def report_arguments(report: argparse.ArgumentParser) -> None:
    argtypes.saves_option(report)
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
    argtypes.force_option(report)


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

    found = saves.room_records(saves.rooms_dir, code)
    if not found:
        return fail(f"no live room {code} in {clean(str(saves.rooms_dir))}")
    try:
        record = read(found[0])
    except RecordError as exc:
        return fail(str(exc))
    return {p.game for p in record.players}


# A rebuild reading fewer game files than this ends before a bar would help.
BAR_FROM = 200


class RebuildBar:
    """Summaries rebuilt from many game files, as a rich progress bar on stderr.

    Only when stderr is a terminal (`bar`), and only once the files to read pass
    `BAR_FROM`; it clears itself when done, so output that is not a terminal
    gets nothing extra.
    """

    def __init__(self) -> None:
        self.total = 0
        self.done = 0
        self._bar: Any = None
        self._task: Any = None

    def planned(self, games: int) -> None:
        self.total += games
        if self._bar is None and self.total >= BAR_FROM:
            from rich.console import Console
            from rich.progress import BarColumn, MofNCompleteColumn, Progress, TextColumn

            self._bar = Progress(
                TextColumn("Rebuilding score summaries"),
                BarColumn(),
                MofNCompleteColumn(),
                TextColumn("game files"),
                console=Console(file=sys.stderr),
                transient=True,
            )
            self._bar.start()
            self._task = self._bar.add_task("rebuild", total=self.total, completed=self.done)
        elif self._bar is not None:
            self._bar.update(self._task, total=self.total)

    def read(self, games: int) -> None:
        self.done += games
        if self._bar is not None:
            self._bar.update(self._task, completed=self.done)

    def close(self) -> None:
        if self._bar is not None:
            self._bar.stop()
            self._bar = None


@contextmanager
def rebuild_bar() -> Iterator[None]:
    """Long summary rebuilds show a bar on stderr when it is a terminal (else nothing)."""
    from quiz.scores.cache import progress_to

    isatty = getattr(sys.stderr, "isatty", None)
    bar = RebuildBar() if isatty is not None and isatty() else None
    try:
        with progress_to(bar):
            yield
    finally:
        if bar is not None:
            bar.close()


def cmd_scores(args: argparse.Namespace) -> int:
    from quiz.saves.folder import SaveFolder
    from quiz.scores import summary
    from quiz.text import clean

    saves = SaveFolder(args.saves, notify=tell_stderr)
    with rebuild_bar():
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
