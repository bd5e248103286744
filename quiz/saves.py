"""TOML saves that lose nothing: atomic writes, locks, and corrupt files kept aside.

Layout of a save folder (see the README for the record format)::

    saves/
      ann-3f2a9c1b/                 one folder per player: slug + hash of the exact name
        current.toml                the game in progress, rewritten after every answer
        games/
          20261123T201500Z-1a2b3c4d.toml   one file per finished (or quit) game
        .lock                       held around every write for this player

One file per game keeps recording a game as cheap for a player with 10,000
games as for one with 10, and means two processes never rewrite each other's
games. Every write serializes fully first, goes to a temp file in the same
folder, is flushed and fsynced, then replaces the target with os.replace.
"""

from __future__ import annotations

import copy
import hashlib
import os
import re
import tempfile
import time
import unicodedata
from collections.abc import Callable, Iterator
from dataclasses import dataclass
from datetime import UTC, datetime
from pathlib import Path
from typing import TYPE_CHECKING, Any

from quiz.files import MAX_SAVE_BYTES as MAX_SAVE_BYTES
from quiz.files import NotRegularFile as NotRegularFile
from quiz.files import SaveError as SaveError
from quiz.files import _describe_os_error, _fsync_dir
from quiz.files import atomic_write as atomic_write
from quiz.files import read_nofollow as read_nofollow
from quiz.game import Answer, Game
from quiz.text import clean

if TYPE_CHECKING:
    from quiz import summary
    from quiz.records import GameRecord

FORMAT = 1
LOCK_TIMEOUT = 15.0
STALE_TEMP_SECONDS = 3600
SLUG_MAX = 40
WINDOWS_RESERVED = {
    "con",
    "prn",
    "aux",
    "nul",
    *(f"com{i}" for i in range(10)),
    *(f"lpt{i}" for i in range(10)),
}


def game_record(game: Game, status: str) -> dict[str, Any]:
    """The TOML-ready record of a game (TOML has no null: absent means none)."""
    answers = []
    for index, answer in enumerate(game.answers):
        question = game.questions[index]
        item: dict[str, Any] = {
            "question": answer.question,
            "fact": answer.fact,
            "prompt": question.prompt,
            "correct": answer.correct,
            "seconds": float(answer.seconds),
            "points": answer.points,
            "right": question.right,
        }
        if answer.choice is not None:
            item["choice"] = answer.choice
            item["chosen"] = question.choices[answer.choice]
        answers.append(item)
    record: dict[str, Any] = {
        "format": FORMAT,
        "id": game.id,
        "player": game.player,
        "deck": game.deck_id,
        "deck_title": game.deck_title,
        "seed": game.seed,
        "count": game.count,
        "mode": game.mode,
        "timer": game.timer or 0,
        "status": status,
        "started": game.started,
        "score": game.score,
        "correct": game.correct,
        "answered": game.answered,
        "best_streak": game.best_streak,
        "questions": [q.id for q in game.questions],
        "answers": answers,
    }
    if game.finished_at:
        record["finished"] = game.finished_at
    if game.deck_ref:
        record["deck_path"] = game.deck_ref
    if game.match is not None:
        match: dict[str, Any] = {"id": game.match.id, "players": list(game.match.players)}
        if game.match.teams:
            match["teams"] = [{"name": t, "players": list(ps)} for t, ps in game.match.teams]
        record["match"] = match
    return record


def _toml(record: dict[str, Any]) -> str:
    """A save record as TOML text (tomli_w loads with the first save, not at start-up)."""
    import tomli_w

    return tomli_w.dumps(record)


def restore_answers(record: GameRecord) -> list[Answer]:
    return [
        Answer(a.question, a.fact, a.choice, a.correct, float(a.seconds), a.points)
        for a in record.answers
    ]


# --- names -------------------------------------------------------------------------


def clean_name(name: str) -> str:
    """A player's name as kept and shown: exactly as typed, minus control characters."""
    # Bytes that are not UTF-8 (argv on Linux keeps them as lone surrogates)
    # cannot go into a TOML save: show them as U+FFFD instead of failing.
    name = name.encode("utf-8", "surrogateescape").decode("utf-8", "replace")
    return clean(name).strip()


def player_slug(name: str) -> str:
    """A safe folder name for a player: ASCII slug + a hash of the exact name.

    NFKC-normalised and case-folded for the readable part, from an allowlist of
    characters, capped in length, never a Windows reserved name; the hash of
    the exact name keeps apart names that slug alike ("Ann" and "ann").
    """
    folded = unicodedata.normalize("NFKC", name).casefold()
    ascii_only = unicodedata.normalize("NFKD", folded).encode("ascii", "ignore").decode("ascii")
    base = re.sub(r"[^a-z0-9]+", "-", ascii_only).strip("-")[:SLUG_MAX].strip("-") or "player"
    if base.split("-")[0] in WINDOWS_RESERVED:
        base = f"player-{base}"
    digest = hashlib.sha256(name.encode("utf-8", "surrogatepass")).hexdigest()[:8]
    return f"{base}-{digest}"


def _clear_stale_temps(folder: Path) -> None:
    cutoff = time.time() - STALE_TEMP_SECONDS
    try:
        entries = list(os.scandir(folder))
    except OSError:
        return
    for entry in entries:
        if entry.name.startswith(".") and entry.name.endswith(".tmp"):
            try:
                if entry.stat(follow_symlinks=False).st_mtime < cutoff:
                    os.unlink(entry.path)
            except OSError:
                pass


def _stamp() -> str:
    return datetime.now(UTC).strftime("%Y%m%dT%H%M%S%fZ")


# --- the save folder -------------------------------------------------------------------


def default_folder() -> Path:
    """--saves wins, then $QUIZ_SAVES, then saves/ in a checkout, then the user data folder."""
    env = os.environ.get("QUIZ_SAVES")
    if env:
        return Path(env)
    checkout = Path(__file__).resolve().parent.parent
    if (checkout / "pyproject.toml").is_file() and (checkout / "saves").is_dir():
        return checkout / "saves"
    from platformdirs import user_data_path  # ~5 ms: only when no folder is given

    return user_data_path("quiz", appauthor=False) / "saves"


@dataclass
class LoadedGame:
    path: Path
    record: GameRecord


@dataclass(frozen=True)
class Unreadable:
    """A save that could not be read: set aside (or skipped), and the player told why."""

    path: Path
    notice: str


Notify = Callable[[str], None]
"""Where one-line notices go: a damaged save set aside, a summary rebuilt, an old game shelved."""


def _nobody(notice: str) -> None:
    """The sink of a folder no front end listens to (the live room's server)."""


class SaveFolder:
    """All saves in one folder.

    What a player should hear about (a damaged file set aside, a summary
    rebuilt, and from quiz.session an unfinished game shelved or a short deck)
    goes to ``notify`` as one line, at the moment it happens, on the thread that
    is reading or writing: the front end that gives the sink decides where and
    when it is shown (the CLI on stderr, plain mode in line, the TUI as a
    notification posted to its UI thread). Nothing is kept here to be drained.
    """

    def __init__(self, root: Path | str | None = None, *, notify: Notify | None = None) -> None:
        self.root = Path(root) if root is not None else default_folder()
        # The folder named by --saves (absolute), for the commands quiz prints to
        # come back to it; "" when it is the default (or $QUIZ_SAVES), found again anyway.
        self.named = str(Path(root).absolute()) if root is not None else ""
        self.notify: Notify = notify or _nobody

    def telling(self, notify: Notify) -> SaveFolder:
        """The same folder, with its notices going to ``notify`` instead."""
        folder = copy.copy(self)
        folder.notify = notify
        return folder

    # -- paths

    def ensure(self) -> None:
        try:
            self.root.mkdir(parents=True, exist_ok=True)
        except OSError as exc:
            raise SaveError(
                f"cannot create the save folder {self.root}: {_describe_os_error(exc)}"
            ) from None
        if not self.root.is_dir():
            raise SaveError(f"the save folder {self.root} is not a folder")

    def check_writable(self, players: list[str] | None = None) -> None:
        """Refuse, before the first question, a save folder that cannot be written.

        Creates the folder if needed, then writes and removes a probe file in
        it (and in each named player's folder that already exists).
        """
        if self.root.exists() and not self.root.is_dir():
            raise SaveError(
                f"the save folder {self.root} is a file, not a folder; choose another --saves"
            )
        self.ensure()
        folders = [self.root]
        for player in players or []:
            folder = self.player_dir(player, create=False)
            folders += [p for p in (folder, folder / "games") if p.is_dir()]
        for folder in folders:
            try:
                fd, probe = tempfile.mkstemp(prefix=".write-check.", suffix=".tmp", dir=folder)
                os.close(fd)
                os.unlink(probe)
            except OSError as exc:
                raise SaveError(
                    f"cannot save games in {folder}: {_describe_os_error(exc)}; choose another --saves"
                ) from None

    def player_dir(self, player: str, *, create: bool) -> Path:
        folder = self.root / player_slug(player)
        for part in (folder, folder / "games"):
            if part.is_symlink():
                raise SaveError(
                    f"{part} is a symbolic link; refusing to follow it out of the save folder"
                )
        if create:
            self.ensure()
            try:
                (folder / "games").mkdir(parents=True, exist_ok=True)
            except OSError as exc:
                raise SaveError(f"cannot create {folder}: {_describe_os_error(exc)}") from None
        return folder

    def lock(self, player: str) -> _Held:
        from filelock import FileLock, Timeout  # ~20 ms: only when a game is saved

        folder = self.player_dir(player, create=True)
        lock_path = folder / ".lock"
        if lock_path.is_symlink():
            raise SaveError(f"{lock_path} is a symbolic link; refusing to follow it")
        lock = FileLock(str(lock_path), timeout=LOCK_TIMEOUT)
        try:
            lock.acquire()
        except Timeout:
            raise SaveError(
                f"the saves of {player!r} are locked by another game; try again"
            ) from None
        except OSError as exc:
            raise SaveError(f"cannot lock {lock_path}: {_describe_os_error(exc)}") from None
        return _Held(lock)

    # -- writing

    def save_progress(self, game: Game) -> Path:
        """Keep the game in progress (after every answer, and on quitting)."""
        with self.lock(game.player):
            folder = self.player_dir(game.player, create=True)
            _clear_stale_temps(folder)
            path = folder / "current.toml"
            atomic_write(path, _toml(game_record(game, "in-progress")))
            return path

    def save_finished(self, game: Game, status: str = "finished") -> Path:
        """Record a finished (or abandoned) game for good, and clear it as current."""
        with self.lock(game.player):
            folder = self.player_dir(game.player, create=True)
            games = folder / "games"
            _clear_stale_temps(games)
            # A resumed game's id comes from a file: only its letters and digits name a file.
            path = games / f"{_stamp()}-{re.sub(r'[^0-9A-Za-z]', '', game.id)[:8]}.toml"
            record = game_record(game, status)
            atomic_write(path, _toml(record))
            current = folder / "current.toml"
            loaded = self._load(current) if current.exists() else None
            if loaded is None or loaded.record.id == game.id:
                current.unlink(missing_ok=True)
            from quiz import summary  # the derived scores, under the same lock

            summary.recorded(self, folder, path, record)
            return path

    def has_current(self, player: str) -> bool:
        """Whether the player has a game in progress (without reading it)."""
        return os.path.lexists(self.player_dir(player, create=False) / "current.toml")

    def shelve_current(self, player: str) -> None:
        """A new game replaces an unfinished one: move the old one into the history.

        A rename, not a rewrite: nothing is parsed, so even a damaged file is
        kept as it is. Readers count only status = "finished" games as played.
        """
        with self.lock(player):
            folder = self.player_dir(player, create=True)
            current = folder / "current.toml"
            if current.is_file() and not current.is_symlink():
                os.replace(current, folder / "games" / f"{_stamp()}-unfinished.toml")
                _fsync_dir(folder / "games")
            elif os.path.lexists(current):
                # A folder, a FIFO or a symlink where the game belongs: set it aside.
                self._move_aside(current, "it is not a regular file")

    # -- reading

    def _load(self, path: Path) -> LoadedGame | None:
        """Read one save; a damaged one is moved aside with a notice, never lost."""
        read = self._read(path)
        return read if isinstance(read, LoadedGame) else None

    def _read(self, path: Path) -> LoadedGame | Unreadable | None:
        """One save, or what stopped it being read (already told), or None when there is none."""
        try:
            data = read_nofollow(path)
        except FileNotFoundError:
            return None
        except NotRegularFile:
            return self._move_aside(path, "it is not a regular file")
        except OSError as exc:
            return self._tell(path, f"cannot read {path}: {_describe_os_error(exc)}; skipped")
        # pydantic (~100 ms) only when a save is read back, never to start a game.
        import tomllib  # not at the top: starting a game reads no save

        from pydantic import ValidationError

        from quiz.records import GameRecord

        reason = None
        record = None
        if len(data) > MAX_SAVE_BYTES:
            reason = "it is too large"
        else:
            try:
                parsed = tomllib.loads(data.decode("utf-8"))
                record = GameRecord.model_validate(parsed)
            except UnicodeDecodeError:
                reason = "it is not UTF-8"
            except tomllib.TOMLDecodeError as exc:
                reason = f"it is not valid TOML ({exc})"
            except ValidationError as exc:
                first = exc.errors()[0]
                where = ".".join(str(p) for p in first["loc"]) or "the file"
                reason = f"{where}: {first['msg']}"
            except RecursionError:
                reason = "it is nested too deeply"
            except ValueError:
                reason = "it holds a number too large to read"
        if record is not None:
            return LoadedGame(path, record)
        return self._move_aside(path, reason or "it is damaged")

    def _move_aside(self, path: Path, reason: str) -> Unreadable:
        aside = path.with_name(f"{path.stem}.corrupt-{_stamp()}.toml")
        try:
            os.replace(path, aside)
        except OSError as exc:
            return self._tell(
                path,
                f"{path} is damaged ({reason}) and could not be moved aside: {_describe_os_error(exc)}",
            )
        return self._tell(
            path,
            f"{path.name} could not be read ({reason}); it was set aside, unchanged, as {aside.name}",
        )

    def _tell(self, path: Path, notice: str) -> Unreadable:
        self.notify(notice)
        return Unreadable(path, notice)

    def read_current(self, player: str) -> LoadedGame | Unreadable | None:
        """The player's game in progress; Unreadable when it was damaged (set aside, and told)."""
        folder = self.player_dir(player, create=False)
        path = folder / "current.toml"
        read = self._read(path) if path.exists() or path.is_symlink() else None
        if isinstance(read, LoadedGame) and read.record.player != player:
            return None
        return read

    def load_current(self, player: str) -> LoadedGame | None:
        read = self.read_current(player)
        return read if isinstance(read, LoadedGame) else None

    def others_in_progress(self, player: str) -> bool:
        """Whether a folder other than this player's may hold a game in progress.

        Cheap (one listing, no game read). A symlinked folder or a listing that
        fails counts as "may": the full read that follows refuses it as it should.
        """
        mine = player_slug(player)
        try:
            entries = list(os.scandir(self.root))
        except (FileNotFoundError, NotADirectoryError):
            return False
        except OSError:
            return True
        for entry in entries:
            if entry.name == mine or entry.name.startswith("."):
                continue
            if entry.is_symlink():
                return True
            if entry.is_dir(follow_symlinks=False) and os.path.lexists(
                os.path.join(entry.path, "current.toml")
            ):
                return True
        return False

    def player_folders(self) -> list[Path]:
        try:
            entries = sorted(os.scandir(self.root), key=lambda e: e.name)
        except (FileNotFoundError, NotADirectoryError):
            return []
        except OSError as exc:
            raise SaveError(
                f"cannot read the save folder {self.root}: {_describe_os_error(exc)}"
            ) from None
        return [
            Path(e.path)
            for e in entries
            if e.is_dir(follow_symlinks=False) and not e.name.startswith(".")
        ]

    def games(self, player: str | None = None, deck: str | None = None) -> Iterator[GameRecord]:
        """Every recorded game (finished or quit), oldest first within a player."""
        folders = (
            [self.player_dir(player, create=False)] if player is not None else self.player_folders()
        )
        for folder in folders:
            games = folder / "games"
            if games.is_symlink() or not games.is_dir():
                continue
            for entry in sorted(os.scandir(games), key=lambda e: e.name):
                if (
                    not entry.name.endswith(".toml")
                    or entry.name.startswith(".")
                    or ".corrupt-" in entry.name
                ):
                    continue
                if entry.is_symlink():
                    continue
                loaded = self._load(Path(entry.path))
                if loaded is None:
                    continue
                record = loaded.record
                if player is not None and record.player != player:
                    continue
                if deck is not None and record.deck != deck:
                    continue
                yield record

    def leaderboard(self, deck: str | None = None) -> list[summary.LeaderRow]:
        """One row per player: the `quiz scores` JSON contract, best first (from the summaries)."""
        from quiz import summary

        return summary.leaderboard(self, deck=deck)


class _Held:
    def __init__(self, lock: Any) -> None:
        self.lock = lock

    def __enter__(self) -> _Held:
        return self

    def __exit__(self, *exc: object) -> None:
        self.lock.release()
