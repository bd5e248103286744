"""The score summary's files: summary.toml and detail.toml in each player folder, and the rollup.

Each is sealed (quiz.disk.seal) over its text and its place, read without
following a symlink and with a size cap, and anything odd in it reads as
Damaged: the caller (quiz.scores.cache) then rebuilds from the game files.
The layout of summary.toml is described in quiz.scores.cache.
"""

from __future__ import annotations

import os
import stat
import tomllib
from pathlib import Path
from typing import Any

from quiz.saves.layout import DETAIL, SUMMARY
from quiz.scores.groups import FolderSummary, Group, Stamp

VERSION = 4  # 4: the stamp binds each game file's identity; 3: review rounds counted apart
MAX_SUMMARY_BYTES = 64 * 1024 * 1024
STAMP_FIELDS = ("mtime_ns", "count", "newest", "digest", "written_ns")
GROUP_FIELDS = (
    "player",
    "deck",
    "games",
    "answered",
    "correct",
    "best_score",
    "last_played",
    "last_when",
    "last_name",
)


class Damaged(Exception):
    pass


class Unsealed(Damaged):
    """The file does not carry this account's seal: edited by hand, or written by another account."""


UNSEALED = "damaged, edited by hand or written on another account"
_SEAL_AT = b"\n# seal: "


def sealed(path: Path, text: str) -> str:
    """``text`` with its seal as the last line (quiz.disk.seal), so an edited summary is never believed."""
    from quiz.disk import seal

    # A comment, so it reads the same at the end of any TOML (after a [[table]] too).
    return text + f"# seal: {seal.seal(_seal_context(path), text.encode('utf-8'))}\n"


def _seal_context(path: Path) -> str:
    return f"summary {path.parent.name}/{path.name}"


def _check_seal(path: Path, data: bytes) -> None:
    from quiz.disk import seal

    at = data.rfind(_SEAL_AT)
    end = at + len(_SEAL_AT) + seal.SEAL_CHARS
    if at < 0:
        raise Unsealed("damaged, or from a quiz before summaries were sealed")
    if data[end:] != b"\n":
        raise Unsealed(UNSEALED)
    try:
        given = data[at + len(_SEAL_AT) : end].decode("ascii")
    except UnicodeDecodeError:
        raise Unsealed(UNSEALED) from None
    if not seal.sound(_seal_context(path), data[: at + 1], given):
        raise Unsealed(UNSEALED)


# Every count and time in a summary fits in 64 bits (times are in nanoseconds).
INT_LIMIT = 2**63


def _int(table: dict[str, Any], key: str) -> int:
    value = table.get(key)
    if type(value) is not int or not -INT_LIMIT < value < INT_LIMIT:
        raise Damaged(key)
    return value


def _str(table: dict[str, Any], key: str) -> str:
    value = table.get(key)
    if type(value) is not str:
        raise Damaged(key)
    return value


def read_toml(path: Path) -> dict[str, Any] | None:
    # Not saves.read_nofollow: read(cap + 1) allocates the whole cap first,
    # which costs more than parsing a small summary. Ask the size instead.
    try:
        fd = os.open(
            path, os.O_RDONLY | getattr(os, "O_NOFOLLOW", 0) | getattr(os, "O_NONBLOCK", 0)
        )
    except FileNotFoundError:
        return None
    except OSError as exc:
        raise Damaged(str(exc)) from None
    try:
        info = os.fstat(fd)
        size = info.st_size
        if not stat.S_ISREG(info.st_mode):
            raise Damaged("not a regular file")
        if size > MAX_SUMMARY_BYTES:
            raise Damaged("too large")
        data = os.read(fd, size + 1)
        while len(data) <= size:  # a short read
            more = os.read(fd, size + 1 - len(data))
            if not more:
                break
            data += more
    except OSError as exc:
        raise Damaged(str(exc)) from None
    finally:
        os.close(fd)
    if len(data) > size:
        raise Damaged("it changed while being read")
    _check_seal(path, data)
    try:
        return tomllib.loads(data.decode("utf-8"))
    except (UnicodeDecodeError, tomllib.TOMLDecodeError, RecursionError, ValueError) as exc:
        raise Damaged(str(exc)) from None


def stamp_from(raw: Any) -> Stamp:
    if not isinstance(raw, list) or len(raw) != len(STAMP_FIELDS):
        raise Damaged("stamp")
    fields = dict(zip(STAMP_FIELDS, raw, strict=True))
    return Stamp(
        _int(fields, "mtime_ns"),
        _int(fields, "count"),
        _str(fields, "newest"),
        _str(fields, "digest"),
        _int(fields, "written_ns"),
    )


def groups_from(rows: Any) -> list[Group]:
    if not isinstance(rows, list):
        raise Damaged("groups")
    out = []
    for row in rows:
        if not isinstance(row, list) or len(row) != len(GROUP_FIELDS):
            raise Damaged("groups")
        table = dict(zip(GROUP_FIELDS, row, strict=True))
        out.append(
            Group(
                _str(table, "player"),
                _str(table, "deck"),
                _int(table, "games"),
                _int(table, "answered"),
                _int(table, "correct"),
                _int(table, "best_score"),
                _str(table, "last_played"),
                _str(table, "last_when"),
                _str(table, "last_name"),
            )
        )
    return out


def stamp_row(stamp: Stamp) -> list[Any]:
    return [stamp.mtime_ns, stamp.count, stamp.newest, stamp.digest, stamp.written_ns]


def group_rows(summary: FolderSummary) -> list[list[Any]]:
    return [
        [
            g.player,
            g.deck,
            g.games,
            g.answered,
            g.correct,
            g.best_score,
            g.last_played,
            g.last_when,
            g.last_name,
        ]
        for g in sorted(summary.groups.values(), key=lambda g: (g.player, g.deck))
    ]


def read_summary(folder: Path) -> tuple[FolderSummary | None, str]:
    """The summary file as stored (not checked against the games), or None and why not."""
    try:
        data = read_toml(folder / SUMMARY)
    except Unsealed as exc:
        return None, str(exc)
    except Damaged:
        return None, "damaged"
    if data is None:
        return None, "missing"
    if data.get("format") != VERSION:
        return None, "from another version"
    # stamp and groups are JSON arrays in TOML literal strings (see write()).
    try:
        stamp = stamp_from(json_array(data["stamp"]))
        summary = FolderSummary(stamp, _int(data, "generation"), detail=False)
        for group in groups_from(json_array(data["groups"])):
            summary.groups[(group.player, group.deck)] = group
    except (Damaged, KeyError):
        return None, "damaged"
    return summary, ""


def read_detail(folder: Path, summary: FolderSummary) -> bool:
    """Fill in the review streaks and history of ``summary``; False when detail.toml does not match."""
    try:
        data = read_toml(folder / DETAIL)
        if (
            data is None
            or data.get("format") != VERSION
            or data.get("generation") != summary.generation
        ):
            return False
        groups = data.get("groups", [])
        if not isinstance(groups, list) or len(groups) != len(summary.groups):
            return False
        for table in groups:
            if not isinstance(table, dict):
                return False
            group = summary.groups.get((_str(table, "player"), _str(table, "deck")))
            review, scores, rows = table.get("review"), table.get("scores"), table.get("rows")
            reviews = table.get("reviews")
            if group is None or not isinstance(review, dict) or not isinstance(rows, list):
                return False
            if type(reviews) is not int or reviews < 0:
                return False
            if not all(type(v) is int for v in review.values()):
                return False
            if type(scores) is not str:
                return False
            try:
                numbers = [int(v) for v in scores.split()]
            except ValueError:
                return False
            for row in rows:
                if (
                    not isinstance(row, list)
                    or len(row) != 5
                    or type(row[0]) is not str
                    or not all(type(v) is int for v in row[1:])
                ):
                    return False
            group.review, group.scores, group.rows = dict(review), numbers, list(rows)
            group.reviews = reviews
    except Damaged:
        return False
    summary.detail = True
    return True


def write(folder: Path, summary: FolderSummary, *, detail: bool = True) -> None:
    """Write detail.toml then summary.toml, each atomically (call under the player's lock)."""
    import tomli_w

    from quiz.disk.files import atomic_write

    groups = sorted(summary.groups.values(), key=lambda g: (g.player, g.deck))
    if detail and summary.detail:
        summary.generation += 1
        atomic_write(
            folder / DETAIL,
            sealed(
                folder / DETAIL,
                tomli_w.dumps(
                    {
                        "format": VERSION,
                        "generation": summary.generation,
                        "groups": [
                            {
                                "player": g.player,
                                "deck": g.deck,
                                "review": g.review,
                                # One string, not an array: read 20x faster for 10,000 games.
                                "scores": " ".join(map(str, g.scores)),
                                "rows": g.rows,
                                "reviews": g.reviews,
                            }
                            for g in groups
                        ],
                    }
                ),
            ),
        )
    stamp = summary.stamp
    rows = group_rows(summary)  # the same order as `groups`
    stamp_row = [stamp.mtime_ns, stamp.count, stamp.newest, stamp.digest, stamp.written_ns]
    atomic_write(
        folder / SUMMARY,
        sealed(
            folder / SUMMARY,
            "# Derived from the game files in games/ (see quiz/scores/cache.py); safe to delete.\n"
            f"# stamp: {', '.join(STAMP_FIELDS)}\n"
            f"# groups: one [{', '.join(GROUP_FIELDS)}] per player and deck\n"
            f"format = {VERSION}\n"
            f"generation = {summary.generation}\n"
            f"stamp = '{literal_json(stamp_row)}'\n"
            f"groups = '{literal_json(rows)}'\n",
        ),
    )


def literal_json(value: Any) -> str:
    """JSON that fits in a TOML literal string: ASCII, no apostrophe, no control character.

    tomllib reads a literal string at C speed (one search for the closing
    apostrophe), then json reads the array at C speed: several times faster
    than TOML arrays, and `quiz scores` reads one summary a player.
    """
    import json

    return json.dumps(value, ensure_ascii=True).replace("'", "\\u0027")


def json_array(value: Any) -> list[Any]:
    import json

    if not isinstance(value, str):
        raise Damaged("not a string")
    try:
        parsed = json.loads(value)
    except (ValueError, RecursionError) as exc:
        raise Damaged(str(exc)) from None
    if not isinstance(parsed, list):
        raise Damaged("not an array")
    return parsed
