"""A derived summary of each player folder, so scores and history need not read every game.

The game files stay the truth. Beside them, each player folder keeps::

    ann-3f2a9c1b.../     (a player folder: see quiz/saves/folder.py)
      summary.toml     per player and deck: games, answered, right, best score, last played
      detail.toml      per player and deck: the review pile's streaks and the history's scores

summary.toml holds ``stamp`` (the fields of STAMP_FIELDS) and ``groups``, one
array per player and deck (the fields of GROUP_FIELDS): arrays, because
tomllib reads them several times faster than tables and `quiz scores` reads
one summary per player.

Both are written under the player's lock, right after the game file they
summarise, each atomically (detail first, then the summary that vouches for
it through the same ``generation``). The summary's ``stamp`` says which game
files it covers: the games folder's modification time, how many game files
there are, the newest name and a digest of all the names.

Reading is cheap: one ``stat`` of the games folder; when its time matches the
stamp (and is not so recent that a change in the same clock tick could hide),
the summary is current without listing or reading a game. Otherwise the folder
is listed: the same names mean current; the same names plus newer ones (a
crash between the game file and the summary, a game copied in by hand, a
shelved unfinished game) mean only the new files are read; anything else
(a summary missing, damaged, from another version, or games deleted) means a
rebuild from every game file, said once in a notice.

Not detected by the cheap test: a game file edited in place under the same
name (the folder's time and names do not change). Delete summary.toml to
have it rebuilt.
"""

from __future__ import annotations

import hashlib
import os
import stat
import time
import tomllib
from dataclasses import dataclass, field
from pathlib import Path
from typing import TYPE_CHECKING, Any, TypedDict

from quiz.saves.folder import SaveFolder
from quiz.scores.counting import counting
from quiz.text import clean, plural

if TYPE_CHECKING:
    from quiz.saves.records import GameRecord

VERSION = 3  # 3: review rounds left out of the history, and counted
SUMMARY = "summary.toml"
DETAIL = "detail.toml"
ROLLUP = ".scores.toml"  # at the root of the save folder
# More summaries rebuilt at once than this are told in one line.
REBUILT_NAMED = 3
HISTORY_ROWS = 200  # the history table shows the last 200 games; the sparkline all scores
MAX_SUMMARY_BYTES = 64 * 1024 * 1024
# A folder time this close to when the summary was written could hide a later
# change made in the same clock tick (coarse on many file systems): list instead.
RACY_NS = 2_000_000_000
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


# --- what one game contributes ---------------------------------------------------------


@dataclass(frozen=True)
class Entry:
    """The parts of one game file the summary uses."""

    name: str
    player: str
    deck: str
    status: str
    mode: str
    when: str  # finished, or started when not finished
    score: int
    correct: int
    answered: int
    count: int
    best_streak: int
    answers: tuple[tuple[str, bool], ...]

    @property
    def key(self) -> tuple[str, str]:
        """Games are taken oldest first: by time, then by file name (as the readers sort)."""
        return (self.when, self.name)

    @classmethod
    def from_record(cls, name: str, record: GameRecord) -> Entry:
        return cls(
            name,
            record.player,
            record.deck,
            record.status,
            record.mode,
            record.finished or record.started,
            record.score,
            record.correct,
            record.answered,
            record.count,
            record.best_streak,
            tuple((a.question, a.correct) for a in record.answers),
        )

    @classmethod
    def from_dict(cls, name: str, record: dict[str, Any]) -> Entry:
        """From the record just written by saves.game_record (no need to read it back)."""
        return cls(
            name,
            record["player"],
            record["deck"],
            record["status"],
            record["mode"],
            record.get("finished") or record["started"],
            record["score"],
            record["correct"],
            record["answered"],
            record["count"],
            record["best_streak"],
            tuple((a["question"], a["correct"]) for a in record["answers"]),
        )


@dataclass
class Group:
    """One player on one deck, as kept in one folder."""

    player: str
    deck: str
    games: int = 0  # finished games that count on the leaderboard (not review)
    answered: int = 0
    correct: int = 0
    best_score: int = 0
    last_played: str = ""
    last_when: str = ""
    last_name: str = ""
    # detail.toml: question id -> right answers since its last wrong one, in
    # the order the questions were first answered wrong (the pile's order).
    review: dict[str, int] = field(default_factory=dict)
    # History counts what the leaderboard counts: review rounds are practice.
    scores: list[int] = field(default_factory=list)  # finished games but reviews, oldest first
    rows: list[list[Any]] = field(default_factory=list)  # the last HISTORY_ROWS of them
    reviews: int = 0  # finished review rounds, left out of the history (it says how many)

    def in_order(self, entry: Entry) -> bool:
        return entry.key > (self.last_when, self.last_name)

    def add(self, entry: Entry) -> None:
        self.last_when, self.last_name = entry.key
        for question, correct in entry.answers:
            leitner_step(self.review, question, correct)
        kind = counting(entry.status, entry.mode)
        if kind == "practice":
            self.reviews += 1
        if kind != "scored":
            return
        self.scores.append(entry.score)
        self.rows.append(
            [entry.when[:16], entry.score, entry.correct, entry.count, entry.best_streak]
        )
        del self.rows[:-HISTORY_ROWS]
        self.games += 1
        self.answered += entry.answered
        self.correct += entry.correct
        self.best_score = max(self.best_score, entry.score)
        self.last_played = max(self.last_played, entry.when)


@dataclass
class Stamp:
    """Which game files a summary covers."""

    mtime_ns: int
    count: int
    newest: str
    digest: str
    written_ns: int = 0

    @classmethod
    def of(cls, mtime_ns: int, names: list[str]) -> Stamp:
        return cls(mtime_ns, len(names), names[-1] if names else "", _digest(names))

    def covers(self, names: list[str]) -> bool:
        return self.count == len(names) and self.digest == _digest(names)


def _digest(names: list[str]) -> str:
    """A digest of a set of names that does not depend on their order (a sum of hashes).

    Order-free, so "the summarised names plus these new ones" can be checked
    without keeping the names: whatever order the new names sort in.
    """
    total = 0
    for name in names:
        digest = hashlib.sha1(name.encode("utf-8", "surrogateescape")).digest()
        total += int.from_bytes(digest, "big")
    return f"{total % (1 << 160):040x}"


def _newer_names(names: list[str], stamp: Stamp, known: dict[str, Entry]) -> list[list[str]]:
    """Guesses at the files added since ``stamp`` was written, surest first.

    First: the files just written, and those sorting after the newest name
    summarised. Then also those named (by the UTC time they were written)
    after the summary was written and not in the future: a crash's leftover,
    a shelved unfinished game. Each guess is checked against the digest.
    """
    from datetime import UTC, datetime

    def when(ns: int) -> str:
        return datetime.fromtimestamp(ns / 1e9, UTC).strftime("%Y%m%dT%H%M%S%fZ")

    first = [n for n in names if n in known or n > stamp.newest]
    written, now = when(stamp.written_ns), when(time.time_ns())
    taken = set(first)
    recent = [
        n
        for n in names
        if n not in taken and n[:8].isdigit() and n[8:9] == "T" and written < n[:22] <= now
    ]
    return [first, sorted(first + recent)] if recent else [first]


@dataclass
class FolderSummary:
    stamp: Stamp
    generation: int = 0
    groups: dict[tuple[str, str], Group] = field(default_factory=dict)
    detail: bool = True  # whether review/scores/rows are loaded

    def add(self, entry: Entry) -> bool:
        """Add a game newer than those summarised; False when it is not newer (rebuild)."""
        group = self.groups.get((entry.player, entry.deck))
        if group is None:
            group = self.groups[(entry.player, entry.deck)] = Group(entry.player, entry.deck)
        if not group.in_order(entry):
            return False
        group.add(entry)
        return True


def build(entries: list[Entry], stamp: Stamp) -> FolderSummary:
    """The summary of these games, from nothing: the reference the incremental path must equal."""
    summary = FolderSummary(stamp)
    for entry in sorted(entries, key=lambda e: e.key):
        summary.add(entry)
    return summary


# --- reading and writing the files ------------------------------------------------------------


class Damaged(Exception):
    pass


class Unsealed(Damaged):
    """The file does not carry this account's seal: edited by hand, or written by another account."""


UNSEALED = "damaged, edited by hand or written on another account"
_SEAL_AT = b"\n# seal: "


def _sealed(path: Path, text: str) -> str:
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


def _read_toml(path: Path) -> dict[str, Any] | None:
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


def _stamp_from(raw: Any) -> Stamp:
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


def _groups_from(rows: Any) -> list[Group]:
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


def _stamp_row(stamp: Stamp) -> list[Any]:
    return [stamp.mtime_ns, stamp.count, stamp.newest, stamp.digest, stamp.written_ns]


def _group_rows(summary: FolderSummary) -> list[list[Any]]:
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
        data = _read_toml(folder / SUMMARY)
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
        stamp = _stamp_from(_json_array(data["stamp"]))
        summary = FolderSummary(stamp, _int(data, "generation"), detail=False)
        for group in _groups_from(_json_array(data["groups"])):
            summary.groups[(group.player, group.deck)] = group
    except (Damaged, KeyError):
        return None, "damaged"
    return summary, ""


def read_detail(folder: Path, summary: FolderSummary) -> bool:
    """Fill in the review streaks and history of ``summary``; False when detail.toml does not match."""
    try:
        data = _read_toml(folder / DETAIL)
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
            _sealed(
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
    rows = _group_rows(summary)  # the same order as `groups`
    stamp_row = [stamp.mtime_ns, stamp.count, stamp.newest, stamp.digest, stamp.written_ns]
    atomic_write(
        folder / SUMMARY,
        _sealed(
            folder / SUMMARY,
            "# Derived from the game files in games/ (see quiz/scores/summary.py); safe to delete.\n"
            f"# stamp: {', '.join(STAMP_FIELDS)}\n"
            f"# groups: one [{', '.join(GROUP_FIELDS)}] per player and deck\n"
            f"format = {VERSION}\n"
            f"generation = {summary.generation}\n"
            f"stamp = '{_literal_json(stamp_row)}'\n"
            f"groups = '{_literal_json(rows)}'\n",
        ),
    )


def _literal_json(value: Any) -> str:
    """JSON that fits in a TOML literal string: ASCII, no apostrophe, no control character.

    tomllib reads a literal string at C speed (one search for the closing
    apostrophe), then json reads the array at C speed: several times faster
    than TOML arrays, and `quiz scores` reads one summary a player.
    """
    import json

    return json.dumps(value, ensure_ascii=True).replace("'", "\\u0027")


def _json_array(value: Any) -> list[Any]:
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


# --- the games folder -------------------------------------------------------------------


def game_names(games: Path) -> list[str]:
    """The game files the readers read, sorted (the same filter as SaveFolder.games)."""
    try:
        entries = os.scandir(games)
    except OSError:
        return []
    with entries:
        return sorted(
            e.name
            for e in entries
            if e.name.endswith(".toml")
            and not e.name.startswith(".")
            and ".corrupt-" not in e.name
            and not e.is_symlink()
        )


def _mtime(games: Path) -> int:
    try:
        st = os.stat(games, follow_symlinks=False)
    except OSError:
        return 0
    return st.st_mtime_ns


def _usable(games: Path) -> bool:
    return not games.is_symlink() and games.is_dir()


def _stamp_now(games: Path) -> tuple[Stamp, list[str]]:
    mtime = _mtime(games)
    names = game_names(games) if _usable(games) else []
    return Stamp.of(mtime, names), names


def _entries(
    saves: SaveFolder, games: Path, names: list[str], known: dict[str, Entry]
) -> list[Entry]:
    out = []
    for name in names:
        if name in known:
            out.append(known[name])
            continue
        loaded = saves.load(games / name)
        if loaded is not None:
            out.append(Entry.from_record(name, loaded.record))
    return out


def load(
    saves: SaveFolder,
    folder: Path,
    *,
    detail: bool = False,
    known: dict[str, Entry] | None = None,
    locked: bool = False,
    gathered: list[tuple[str, str, int]] | None = None,
) -> FolderSummary:
    """The current summary of one player folder: as stored, caught up, or rebuilt.

    ``known`` gives entries for game files just written (so they are not read
    back); ``locked`` says the caller holds the player's lock, so the result is
    written back in place. Otherwise it is written back only when the lock is
    free at once: a reader never waits on a game being recorded. ``gathered``
    collects (folder, why, game files) for a caller reading many folders, which
    then says so once, instead of a notice per folder.
    """
    known = known or {}
    games = SaveFolder.games_in(folder)
    summary, why = read_summary(folder)
    if summary is not None:
        stamp = summary.stamp
        if (
            not known
            and stamp.mtime_ns == _mtime(games)
            and stamp.written_ns - stamp.mtime_ns >= RACY_NS
            and (not detail or read_detail(folder, summary))
        ):
            return summary
    now, names = _stamp_now(games)
    changed = True
    if summary is not None:
        if summary.stamp.covers(names):
            if not detail or read_detail(folder, summary):
                summary.stamp = now
                _save(folder, summary, names, locked, detail=False)
                return summary
            why = "out of step with its detail"
        else:
            extra, old = [], names
            for guess in _newer_names(names, summary.stamp, known):
                new = set(guess)
                rest = [n for n in names if n not in new]
                if guess and summary.stamp.covers(rest):
                    extra, old = guess, rest
                    break
            if extra and read_detail(folder, summary):
                entries = sorted(_entries(saves, games, extra, known), key=lambda e: e.key)
                if all(summary.add(e) for e in entries):
                    summary.stamp, names = _stamp_now(games)
                    _save(folder, summary, names, locked, processed=set(old) | set(extra))
                    return summary
                changed = False  # a game older than those summarised: rebuild, quietly
            why = "out of date"
    entries = _entries(saves, games, names, known)
    after, after_names = _stamp_now(games)
    rebuilt = build(entries, after)
    # A summary never written, for a player with no finished game to count in it (a
    # game quit and replaced by a new one), is not news. A notice names the player,
    # never the folder.
    unread = [e for e in entries if e.name not in known]
    news = why not in ("", "missing") or any(e.status == "finished" for e in unread)
    if changed and (set(names) - set(known)) and news:
        whose = ", ".join(sorted({clean(g.player) for g in rebuilt.groups.values()})) or "a player"
        if gathered is not None:
            gathered.append((whose, why or "missing", len(names)))
        else:
            _tell_rebuilt(saves, [(whose, why or "missing", len(names))])
    _save(folder, rebuilt, after_names, locked, processed=set(names))
    return rebuilt


def _save(
    folder: Path,
    summary: FolderSummary,
    names: list[str],
    locked: bool,
    processed: set[str] | None = None,
    *,
    detail: bool = True,
) -> None:
    """Write the summary back if it still describes the folder (best effort for readers)."""
    if processed is not None and not set(names) <= processed:
        return  # a game arrived while we read: leave it to the next reader or writer
    if locked:
        _write_stamped(folder, summary, detail)
        return
    from filelock import FileLock, Timeout

    lock_path = folder / ".lock"
    if lock_path.is_symlink() or folder.is_symlink():
        return
    lock = FileLock(str(lock_path), timeout=0)
    try:
        lock.acquire()
    except (Timeout, OSError):
        return
    try:
        now, now_names = _stamp_now(SaveFolder.games_in(folder))
        if now_names == names and now.mtime_ns == summary.stamp.mtime_ns:
            _write_stamped(folder, summary, detail)
    except Exception:  # noqa: BLE001 - remembering the summary is a convenience for readers
        pass
    finally:
        lock.release()


def _write_stamped(folder: Path, summary: FolderSummary, detail: bool = True) -> None:
    from quiz.disk.files import SaveError

    summary.stamp.written_ns = time.time_ns()
    try:
        write(folder, summary, detail=detail)
    except (SaveError, UnicodeEncodeError):
        pass  # a read-only folder, or a hand-made file name that is not UTF-8: the summary is rebuilt in memory next time


# --- what the commands and screens read ---------------------------------------------------


def recorded(saves: SaveFolder, folder: Path, path: Path, record: dict[str, Any]) -> None:
    """Bring the summary up to date with a game file just written (under the player's lock).

    The game is saved whatever happens here: the summary is derived, and a
    reader catches up from the game files if this could not finish.
    """
    try:
        load(
            saves,
            folder,
            detail=True,
            known={path.name: Entry.from_dict(path.name, record)},
            locked=True,
        )
    except (OSError, ValueError, KeyError, TypeError, RecursionError) as exc:
        saves.notify(
            f"the score summary of {clean(str(record.get('player', '')))} could not be updated ({exc}); it will be rebuilt from the games"
        )


class LeaderRow(TypedDict):
    """One player's row of the leaderboard: the `quiz scores --format json` contract.

    A TypedDict, not a dataclass: the row is written as JSON exactly as it is.
    """

    player: str
    games: int
    answered: int
    correct: int
    best_score: int
    last_played: str  # ISO 8601, UTC


def leaderboard(saves: SaveFolder, deck: str | None = None) -> list[LeaderRow]:
    """One row per player: the `quiz scores` JSON contract, best first."""
    rows: dict[str, LeaderRow] = {}
    for summary in _all_summaries(saves):
        for group in summary.groups.values():
            if group.games == 0 or (deck is not None and group.deck != deck):
                continue
            # The same rows as a full read of the records, which are cleaned as they are read.
            player = clean(group.player)
            row = rows.setdefault(
                player,
                {
                    "player": player,
                    "games": 0,
                    "answered": 0,
                    "correct": 0,
                    "best_score": 0,
                    "last_played": "",
                },
            )
            row["games"] += group.games
            row["answered"] += group.answered
            row["correct"] += group.correct
            row["best_score"] = max(row["best_score"], group.best_score)
            row["last_played"] = max(row["last_played"], clean(group.last_played))
    return sorted(rows.values(), key=lambda r: (-r["best_score"], -r["correct"], r["player"]))


def _all_summaries(saves: SaveFolder) -> list[FolderSummary]:
    """Every player folder's summary, through the rollup at the root when it is current.

    ROLLUP keeps a copy of each folder's summary with its stamp, so `quiz
    scores` reads one file and stats each games folder, instead of reading
    one summary a player. An entry counts only when its games folder's time
    matches (and is not recent, as in load()); otherwise the folder's own
    summary is read, checked and brought up to date, and the rollup is
    rewritten. The rollup is a copy of copies: no lock, any error means
    "not there".
    """
    kept = _read_rollup(saves.root)
    fresh: dict[str, Any] = {}
    out = []
    rebuilt: list[tuple[str, str, int]] = []
    for folder in saves.player_folders():
        entry = kept.get(folder.name)
        summary = _from_rollup(entry) if entry is not None else None
        if summary is not None and (
            summary.stamp.mtime_ns != _mtime(SaveFolder.games_in(folder)) or _racy(summary.stamp)
        ):
            summary = None
        if summary is None:
            summary = load(saves, folder, gathered=rebuilt)
            if not _racy(summary.stamp):
                entry = [_stamp_row(summary.stamp), _group_rows(summary)]
        if entry is not None and not _racy(summary.stamp):
            fresh[folder.name] = entry
        out.append(summary)
    if fresh != kept:
        _write_rollup(saves.root, fresh)
    _tell_rebuilt(saves, rebuilt)
    return out


def _tell_rebuilt(saves: SaveFolder, rebuilt: list[tuple[str, str, int]]) -> None:
    """Say which summaries were rebuilt: each one, or one line for many (a class's first read)."""
    if len(rebuilt) <= REBUILT_NAMED:
        for name, why, games in rebuilt:
            saves.notify(
                f"the score summary of {name} was {why}; rebuilt it from {plural(games, 'game file')}"
            )
    else:
        games = sum(g for _, _, g in rebuilt)
        saves.notify(
            f"the score summaries of {len(rebuilt)} players were missing or out of date; "
            f"rebuilt them from {plural(games, 'game file')}"
        )


def _racy(stamp: Stamp) -> bool:
    return stamp.written_ns - stamp.mtime_ns < RACY_NS


def _read_rollup(root: Path) -> dict[str, Any]:
    try:
        data = _read_toml(root / ROLLUP)
        if data is None or data.get("format") != VERSION:
            return {}
        import json

        folders = json.loads(data["folders"])
        return folders if isinstance(folders, dict) else {}
    except (Damaged, KeyError, TypeError, ValueError, RecursionError):
        return {}


def _from_rollup(entry: Any) -> FolderSummary | None:
    try:
        stamp_row, group_rows = entry
        summary = FolderSummary(_stamp_from(stamp_row), detail=False)
        for group in _groups_from(group_rows):
            summary.groups[(group.player, group.deck)] = group
        return summary
    except (Damaged, TypeError, ValueError):
        return None


def _write_rollup(root: Path, folders: dict[str, Any]) -> None:
    from quiz.disk.files import SaveError, atomic_write

    try:
        atomic_write(
            root / ROLLUP,
            _sealed(
                root / ROLLUP,
                "# A copy of every player folder's summary.toml, for `quiz scores`; safe to delete.\n"
                f"format = {VERSION}\n"
                f"folders = '{_literal_json(folders)}'\n",
            ),
        )
    except (SaveError, OSError, UnicodeEncodeError):
        pass  # only a cache


def _group(saves: SaveFolder, player: str, deck: str) -> Group | None:
    folder = saves.player_dir(player, create=False)
    if not folder.is_dir():
        return None
    return load(saves, folder, detail=True).groups.get((player, deck))


def leitner_step(streaks: dict[str, int], question: str, correct: bool) -> None:
    """The review pile's one rule, for one answer: a wrong answer puts the question
    in (0 right since), and each right answer after that counts one more."""
    if not correct:
        streaks[question] = 0
    elif question in streaks:
        streaks[question] += 1


def review_streaks(saves: SaveFolder, player: str, deck: str) -> dict[str, int]:
    """Question id -> right answers since its last wrong one, over the recorded games."""
    group = _group(saves, player, deck)
    return dict(group.review) if group is not None else {}


@dataclass(frozen=True)
class History:
    scores: list[int]  # every finished game, oldest first
    rows: list[list[Any]]  # the last HISTORY_ROWS: [when, score, correct, count, best_streak]
    reviews: int = 0  # review rounds left out


def history(saves: SaveFolder, player: str, deck: str) -> History:
    group = _group(saves, player, deck)
    if group is None:
        return History([], [])
    return History(list(group.scores), [list(r) for r in group.rows], group.reviews)


# --- reading only recent games ----------------------------------------------------------------


def names_since(folder: Path, since: str) -> list[str]:
    """Game files that may hold a game finished on or after ``since`` (YYYY-MM-DD).

    A game file is named by the UTC time it was written, which is never before
    the game finished: a file named before the date holds an older game. Files
    not named by a time are always read. (Listing a folder costs less than
    reading its summary, so the summary is not consulted here.)
    """
    day = since.replace("-", "")
    games = SaveFolder.games_in(folder)
    if not _usable(games):
        return []
    return [n for n in game_names(games) if not (n[:8].isdigit() and n[8:9] == "T" and n[:8] < day)]
