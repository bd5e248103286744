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
there are, the newest name and a digest of every file's name and identity
(its size, modification and change times and inode: see game_files).

Reading is cheap: the games folder is listed and each game file's identity
taken (one ``stat`` each, no game read). The same files, unchanged, mean
current; the same files plus newer ones (a crash between the game file and
the summary, a game copied in by hand, a shelved unfinished game) mean only
the new files are read; anything else (a summary missing, damaged, from
another version, games deleted, or a game file edited in place, even with its
time put back: its change time moves) means a rebuild from every game file,
said once in a notice.
"""

from __future__ import annotations

import os
import time
from collections.abc import Iterator
from contextlib import contextmanager
from contextvars import ContextVar
from pathlib import Path
from typing import Any, Protocol

from quiz.saves.folder import SaveFolder
from quiz.saves.layout import LOCK, ROLLUP, SUMMARY
from quiz.scores.files import (
    VERSION,
    Damaged,
    group_rows,
    groups_from,
    literal_json,
    read_detail,
    read_summary,
    read_toml,
    sealed,
    stamp_from,
    stamp_row,
    write,
)
from quiz.scores.groups import Entry, FolderSummary, Group, Stamp, build, newer_names
from quiz.text import clean, plural

# More summaries rebuilt at once than this are told in one line.
REBUILT_NAMED = 3
# A folder time this close to when the summary was written could hide a later
# change made in the same clock tick (coarse on many file systems): list instead.
RACY_NS = 2_000_000_000


# --- progress ----------------------------------------------------------------------------


class Progress(Protocol):
    """Told how a rebuild goes, in game files: a front end draws it (quiz/cli/scores.py)."""

    def planned(self, games: int) -> None:
        """``games`` more game files are to be read."""

    def read(self, games: int) -> None:
        """``games`` more game files have been read."""


_PROGRESS: ContextVar[Progress | None] = ContextVar("quiz_rebuild_progress", default=None)


@contextmanager
def progress_to(progress: Progress | None) -> Iterator[None]:
    """Within this block, summaries rebuilt from their game files tell ``progress``."""
    token = _PROGRESS.set(progress)
    try:
        yield
    finally:
        _PROGRESS.reset(token)


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


def game_files(games: Path) -> dict[str, str]:
    """The game files the readers read (sorted by name), each with its identity.

    The identity is the size, modification and change times and inode: a file
    written again, or edited in place (even with its modification time put
    back, which moves its change time), has another one.
    """
    try:
        entries = os.scandir(games)
    except OSError:
        return {}
    out = {}
    with entries:
        for e in entries:
            name = e.name
            if (
                not name.endswith(".toml")
                or name.startswith(".")
                or ".corrupt-" in name
                or e.is_symlink()
            ):
                continue
            try:
                st = e.stat(follow_symlinks=False)
            except OSError:
                continue  # gone while listed: as if it were not there
            out[name] = f"{st.st_size} {st.st_mtime_ns} {st.st_ctime_ns} {st.st_ino}"
    return dict(sorted(out.items()))


def _mtime(games: Path) -> int:
    try:
        st = os.stat(games, follow_symlinks=False)
    except OSError:
        return 0
    return st.st_mtime_ns


def _usable(games: Path) -> bool:
    return not games.is_symlink() and games.is_dir()


def stamp_now(games: Path) -> tuple[Stamp, dict[str, str]]:
    mtime = _mtime(games)
    files = game_files(games) if _usable(games) else {}
    return Stamp.of(mtime, files), files


def _entries(
    saves: SaveFolder, games: Path, names: list[str], known: dict[str, Entry]
) -> list[Entry]:
    out = []
    progress = _PROGRESS.get()
    if progress is not None:
        progress.planned(sum(1 for name in names if name not in known))
    for name in names:
        if name in known:
            out.append(known[name])
            continue
        loaded = saves.load(games / name)
        if progress is not None:
            progress.read(1)
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
    now, files = stamp_now(games)
    names = list(files)
    changed = True
    if summary is not None:
        if summary.stamp.same_files(now):
            if not detail or read_detail(folder, summary):
                if summary.stamp.mtime_ns != now.mtime_ns or _racy(summary.stamp):
                    summary.stamp = now
                    _save(folder, summary, files, locked, detail=False)
                return summary
            why = "out of step with its detail"
        else:
            extra: list[str] = []
            for guess in newer_names(names, summary.stamp, known):
                new = set(guess)
                rest = {n: i for n, i in files.items() if n not in new}
                if guess and summary.stamp.covers(rest):
                    extra = guess
                    break
            if extra and read_detail(folder, summary):
                entries = sorted(_entries(saves, games, extra, known), key=lambda e: e.key)
                if all(summary.add(e) for e in entries):
                    summary.stamp, after_files = stamp_now(games)
                    _save(folder, summary, after_files, locked, processed=files)
                    return summary
                changed = False  # a game older than those summarised: rebuild, quietly
            why = "out of date"
    entries = _entries(saves, games, names, known)
    after, after_files = stamp_now(games)
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
    _save(folder, rebuilt, after_files, locked, processed=files)
    return rebuilt


def _save(
    folder: Path,
    summary: FolderSummary,
    files: dict[str, str],
    locked: bool,
    processed: dict[str, str] | None = None,
    *,
    detail: bool = True,
) -> None:
    """Write the summary back if it still describes the folder (best effort for readers).

    ``processed`` is the game files (name -> identity) as they were before
    they were read: a game that arrived or changed since is left to the next
    reader or writer.
    """
    if processed is not None and any(processed.get(n) != i for n, i in files.items()):
        return
    if locked:
        write_stamped(folder, summary, detail)
        return
    from filelock import FileLock, Timeout

    lock_path = folder / LOCK
    if lock_path.is_symlink() or folder.is_symlink():
        return
    lock = FileLock(str(lock_path), timeout=0)
    try:
        lock.acquire()
    except (Timeout, OSError):
        return
    try:
        now, now_files = stamp_now(SaveFolder.games_in(folder))
        if now_files == files and now.mtime_ns == summary.stamp.mtime_ns:
            write_stamped(folder, summary, detail)
    except Exception:  # noqa: BLE001 - remembering the summary is a convenience for readers
        pass
    finally:
        lock.release()


def write_stamped(folder: Path, summary: FolderSummary, detail: bool = True) -> None:
    from quiz.disk.files import SaveError

    summary.stamp.written_ns = time.time_ns()
    try:
        write(folder, summary, detail=detail)
    except (SaveError, UnicodeEncodeError):
        pass  # a read-only folder, or a hand-made file name that is not UTF-8: the summary is rebuilt in memory next time


def all_summaries(saves: SaveFolder) -> list[FolderSummary]:
    """Every player folder's summary, through the rollup at the root when it is current.

    ROLLUP keeps a copy of each folder's summary with its stamp, so `quiz
    scores` reads one file and lists each games folder, instead of reading
    one summary a player. An entry counts only when its games folder's files
    are the ones it covers, unchanged (as in load()), and the folder's
    summary.toml is the one it was copied from (a summary deleted or
    rebuilt since means the entry is not believed); otherwise the folder's
    own summary is read, checked and brought up to date, and the rollup is
    rewritten. The rollup is a copy of copies: no lock, any error means
    "not there".
    """
    kept = read_rollup(saves.root)
    fresh: dict[str, Any] = {}
    out = []
    rebuilt: list[tuple[str, str, int]] = []
    for folder in saves.player_folders():
        entry = kept.get(folder.name)
        summary = from_rollup(entry) if entry is not None else None
        if summary is not None and entry is not None:
            now, _ = stamp_now(SaveFolder.games_in(folder))
            if (
                entry[2] is None
                or entry[2] != _identity(folder / SUMMARY)
                or summary.stamp.mtime_ns != now.mtime_ns
                or not summary.stamp.same_files(now)
                or _racy(summary.stamp)
            ):
                summary = None
        if summary is None:
            summary = load(saves, folder, gathered=rebuilt)
            if not _racy(summary.stamp):
                entry = [stamp_row(summary.stamp), group_rows(summary), _identity(folder / SUMMARY)]
        if entry is not None and not _racy(summary.stamp):
            fresh[folder.name] = entry
        out.append(summary)
    if fresh != kept:
        write_rollup(saves.root, fresh)
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


def _identity(path: Path) -> str | None:
    """A file's size, times and inode (None when it is not there): which summary.toml a rollup copied."""
    try:
        st = os.stat(path, follow_symlinks=False)
    except OSError:
        return None
    return f"{st.st_size} {st.st_mtime_ns} {st.st_ctime_ns} {st.st_ino}"


def _racy(stamp: Stamp) -> bool:
    return stamp.written_ns - stamp.mtime_ns < RACY_NS


def read_rollup(root: Path) -> dict[str, Any]:
    try:
        data = read_toml(root / ROLLUP)
        if data is None or data.get("format") != VERSION:
            return {}
        import json

        folders = json.loads(data["folders"])
        return folders if isinstance(folders, dict) else {}
    except (Damaged, KeyError, TypeError, ValueError, RecursionError):
        return {}


def from_rollup(entry: Any) -> FolderSummary | None:
    try:
        stamp_row, group_rows, identity = entry
        if identity is not None and type(identity) is not str:
            return None
        summary = FolderSummary(stamp_from(stamp_row), detail=False)
        for group in groups_from(group_rows):
            summary.groups[(group.player, group.deck)] = group
        return summary
    except (Damaged, TypeError, ValueError):
        return None


def write_rollup(root: Path, folders: dict[str, Any]) -> None:
    from quiz.disk.files import SaveError, atomic_write

    try:
        atomic_write(
            root / ROLLUP,
            sealed(
                root / ROLLUP,
                "# A copy of every player folder's summary.toml, for `quiz scores`; safe to delete.\n"
                f"format = {VERSION}\n"
                f"folders = '{literal_json(folders)}'\n",
            ),
        )
    except (SaveError, OSError, UnicodeEncodeError):
        pass  # only a cache


def group_of(saves: SaveFolder, player: str, deck: str) -> Group | None:
    folder = saves.player_dir(player, create=False)
    if not folder.is_dir():
        return None
    return load(saves, folder, detail=True).groups.get((player, deck))


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
