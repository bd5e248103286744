"""TOML saves that lose nothing: atomic writes, locks, and corrupt files kept aside.

Layout of a save folder (see the README for the record format)::

    saves/
      ann-3f2a9c1b5d7e...(32 hex)/  one folder per player: slug + 128 bits of the exact name's hash
        player.txt                  whose folder it is: the exact name; another name is refused
        current.toml                the game in progress, rewritten after every answer
        games/
          20261123T201500Z-1a2b3c4d.toml   one file per finished (or quit) game
        .lock                       held around every write for this player
        .playing                    held while a process plays this player (freed when it dies)

Folders from before (slug + 32 bits, ``ann-3f2a9c1b``) are moved to the new
name the first time their player is seen; games of another name that shared
such a folder stay where they are, for that name to take.

One file per game keeps recording a game as cheap for a player with 10,000
games as for one with 10, and means two processes never rewrite each other's
games. Every write serializes fully first, goes to a temp file in the same
folder, is flushed and fsynced, then replaces the target with os.replace.
"""

from __future__ import annotations

import copy
import os
import re
import tempfile
from collections.abc import Callable, Iterator
from contextlib import AbstractContextManager, contextmanager
from dataclasses import dataclass
from pathlib import Path
from typing import TYPE_CHECKING, Any

from quiz.disk.files import MAX_SAVE_BYTES as MAX_SAVE_BYTES
from quiz.disk.files import NotRegularFile as NotRegularFile
from quiz.disk.files import SaveError as SaveError
from quiz.disk.files import atomic_write as atomic_write
from quiz.disk.files import describe_os_error, fsync_dir
from quiz.disk.files import read_nofollow as read_nofollow
from quiz.game.play import Answer, Game
from quiz.model import GameStatus
from quiz.saves.adoption import adopt
from quiz.saves.claims import Claims
from quiz.saves.gamefile import game_record as game_record
from quiz.saves.gamefile import to_toml
from quiz.saves.layout import (
    CURRENT,
    GAMES,
    LOCK,
    LOCK_TIMEOUT,
    OWNER,
    PLAYING,
    clear_stale_temps,
    file_stamp,
    read_owner,
    refuse_link,
    saving,
)
from quiz.saves.layout import old_player_slug as old_player_slug
from quiz.saves.layout import player_slug as player_slug
from quiz.text import clean

if TYPE_CHECKING:
    from quiz.saves.records import GameRecord


def restore_answers(record: GameRecord) -> list[Answer]:
    """The answers of a save as the game gave them (what quiz.saves.gamefile wrote)."""
    return [
        Answer(
            a.question,
            a.fact,
            a.choice,
            a.correct,
            float(a.seconds),
            a.points,
            text=a.text,
            value=a.value,
            order=None if a.order is None else tuple(a.order),
            credit=None if a.credit is None else float(a.credit),
        )
        for a in record.answers
    ]


# --- the save folder -------------------------------------------------------------------


def default_folder() -> Path:
    """--saves wins, then $QUIZ_SAVES, then saves/ in a checkout, then the user data folder."""
    env = os.environ.get("QUIZ_SAVES")
    if env:
        return Path(env)
    checkout = Path(__file__).resolve().parents[2]
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
# Told of each game file just written, under the player's lock: what keeps a
# cache derived from the games (quiz.summary.recorded) up to date at once.
AfterSave = Callable[["SaveFolder", Path, Path, dict[str, Any]], None]
"""Where one-line notices go: a damaged save set aside, a summary rebuilt, an old game shelved."""


def _nobody(notice: str) -> None:
    """The sink of a folder no front end listens to (the live room's server)."""


class PlayerBusy(SaveError):
    """The player is being played by another process (another window) right now."""


class SaveFolder:
    """All saves in one folder.

    What a player should hear about (a damaged file set aside, a summary
    rebuilt, and from quiz.session an unfinished game shelved or a short deck)
    goes to ``notify`` as one line, at the moment it happens, on the thread that
    is reading or writing: the front end that gives the sink decides where and
    when it is shown (the CLI on stderr, plain mode in line, the TUI as a
    notification posted to its UI thread). Nothing is kept here to be drained.

    Every OSError met while writing (a full or read-only disk, a permission, a
    symlink or a file where a folder belongs) comes out as a SaveError that
    names the player or the file, which every front end already tells.
    """

    def __init__(
        self,
        root: Path | str | None = None,
        *,
        notify: Notify | None = None,
        after_save: AfterSave | None = None,
    ) -> None:
        self.root = Path(root) if root is not None else default_folder()
        # The scores above the saves are derived: a reader catches up from the game
        # files, and ``after_save`` (given by the command line) brings them up to date at once.
        self.after_save = after_save
        # The folder named by --saves (absolute), for the commands quiz prints to
        # come back to it; "" when it is the default (or $QUIZ_SAVES), found again anyway.
        self.named = str(Path(root).absolute()) if root is not None else ""
        self.notify: Notify = notify or _nobody
        # Shared with copies (telling): the names whose folder said it is theirs,
        # and the players this object holds for its process.
        self._owned: set[str] = set()
        self._claims = Claims()

    def telling(self, notify: Notify) -> SaveFolder:
        """The same folder, with its notices going to ``notify`` instead."""
        folder = copy.copy(self)
        folder.notify = notify
        return folder

    # -- paths: only this class knows the layout of a save folder

    @property
    def rooms_dir(self) -> Path:
        """Where the live rooms keep their records (quiz.room.record)."""
        return self.root / "rooms"

    def room_record(self, stamp: str, code: str) -> Path:
        """The record file of the live room ``code`` opened at ``stamp`` (quiz.room.record)."""
        return self.rooms_dir / f"{stamp}-{code}.json"

    @staticmethod
    def room_records(rooms: Path, code: str = "*") -> list[Path]:
        """The room records in ``rooms`` (a folder's `rooms_dir`), newest first; only room
        ``code``'s when given. Anything else in the folder (a record set aside) is not one."""
        return sorted(rooms.glob(f"*-{code}.json"), reverse=True)

    @property
    def start_choices(self) -> Path:
        """The start screen's last choices, shared by the folder's players (quiz.tui.prefs)."""
        return self.root / "last-start.toml"

    @staticmethod
    def games_in(folder: Path) -> Path:
        """The games folder of a player folder (one of `player_folders`)."""
        return folder / GAMES

    @staticmethod
    def current_in(folder: Path) -> Path:
        """The game in progress of a player folder."""
        return folder / CURRENT

    def ensure(self) -> None:
        try:
            self.root.mkdir(parents=True, exist_ok=True)
        except OSError as exc:
            raise SaveError(
                f"cannot create the save folder {self.root}: {describe_os_error(exc)}"
            ) from None
        if not os.path.isdir(self.root):
            raise SaveError(f"the save folder {self.root} is not a folder")

    def check_writable(self, players: list[str] | None = None) -> None:
        """Refuse, before the first question, a save folder that cannot be written.

        Creates the folder if needed, then writes and removes a probe file in
        it (and in each named player's folder that already exists), and refuses
        a player folder whose games folder is a file or whose lock is a symlink.
        """
        if os.path.lexists(self.root) and not os.path.isdir(self.root):
            raise SaveError(
                f"the save folder {self.root} is a file, not a folder; choose another --saves"
            )
        self.ensure()
        folders = [self.root]
        for player in players or []:
            folder = self.player_dir(player, create=False)
            games = folder / GAMES
            if os.path.lexists(games) and not os.path.isdir(games):
                raise SaveError(self._not_a_folder(player, games))
            for name in (LOCK, PLAYING):
                if os.path.islink(folder / name):
                    raise SaveError(f"{folder / name} is a symbolic link; refusing to follow it")
            folders += [p for p in (folder, games) if os.path.isdir(p)]
        for folder in folders:
            try:
                fd, probe = tempfile.mkstemp(prefix=".write-check.", suffix=".tmp", dir=folder)
                os.close(fd)
                os.unlink(probe)
            except OSError as exc:
                raise SaveError(
                    f"cannot save games in {folder}: {describe_os_error(exc)}; choose another --saves"
                ) from None

    @staticmethod
    def _not_a_folder(player: str, games: Path) -> str:
        return (
            f"{games} is a file, not a folder, so the games of {player!r} cannot be saved; "
            "move it away"
        )

    def player_dir(self, player: str, *, create: bool) -> Path:
        """The player's folder; ``create`` makes it (and says whose it is) when it is not there.

        A folder that says it belongs to another name is refused. The first time
        a player is seen, the folder quiz gave them before is moved here; a
        reader (not ``create``) that cannot move it reads the games where they are.
        """
        folder = self.root / player_slug(player)
        refuse_link(folder)
        refuse_link(folder / GAMES)
        if player not in self._owned:
            folder = self._settle(player, folder, create=create)
        if create:
            self.ensure()
            games = folder / GAMES
            if os.path.lexists(games) and not os.path.isdir(games):
                raise SaveError(self._not_a_folder(player, games))
            with saving(f"cannot create the save folder of {player!r}, {folder}"):
                games.mkdir(parents=True, exist_ok=True)
            if player not in self._owned:
                self.mark_owned(folder, player)
        return folder

    def _settle(self, player: str, folder: Path, *, create: bool) -> Path:
        """Check whose ``folder`` is, and bring in the player's folder from quiz before."""
        owner = read_owner(folder)
        if owner is None:
            old = self.root / old_player_slug(player)
            if os.path.isdir(old) and not os.path.islink(old):
                try:
                    adopt(self, player, old, folder)
                except SaveError:
                    if create:
                        raise
                    return old  # a folder that cannot be written: read the games where they are
                owner = read_owner(folder)
        if owner is not None and owner != player:
            raise SaveError(
                f"the save folder {folder} belongs to the player {owner!r}, not {player!r}; "
                "refusing to mix two players' games (move that folder away, or choose another --saves)"
            )
        if owner is not None:
            self._owned.add(player)
        return folder

    def mark_owned(self, folder: Path, player: str) -> None:
        """Say whose ``folder`` is (player.txt), and remember it for this process."""
        atomic_write(folder / OWNER, player + "\n")
        self._owned.add(player)

    def lock(self, player: str, *, folder: Path | None = None) -> AbstractContextManager[None]:
        """Held around every write for this player (waits up to LOCK_TIMEOUT for another writer)."""
        return self._locked(player, folder or self.player_dir(player, create=True))

    @contextmanager
    def _locked(self, player: str, folder: Path) -> Iterator[None]:
        from filelock import FileLock, Timeout  # ~20 ms: only when a game is saved

        lock_path = folder / LOCK
        if os.path.islink(lock_path):
            raise SaveError(f"{lock_path} is a symbolic link; refusing to follow it")
        lock = FileLock(str(lock_path), timeout=LOCK_TIMEOUT)
        try:
            lock.acquire()
        except Timeout:
            raise SaveError(
                f"the saves of {player!r} are locked by another game; try again"
            ) from None
        except OSError as exc:
            raise SaveError(
                f"cannot lock the saves of {player!r} ({lock_path}): {describe_os_error(exc)}"
            ) from None
        try:
            yield
        finally:
            try:
                lock.release()
            except OSError:
                pass

    # -- who plays

    def claim(self, player: str) -> None:
        """Hold ``player`` for this process, or raise PlayerBusy when another process does.

        A game in progress is held from the moment it is offered, started or
        resumed, so a second window (or a second student typing the same name)
        is told instead of being offered, or shelving, a game someone is still
        playing. The hold lasts while this SaveFolder (or a copy) is in use, or
        until `release`; the system frees it when the process ends, however it
        ends, so a killed game never blocks the next one.
        """
        folder = self.player_dir(player, create=True)
        path = folder / PLAYING
        refuse_link(path)
        with saving(f"cannot hold the saves of {player!r} in {folder}"):
            try:
                taken = self._claims.hold(path)
            except NotRegularFile:
                raise SaveError(f"{path} is not a regular file; move it away") from None
        if not taken:
            raise PlayerBusy(
                f"{clean(player)} is playing in another window right now; "
                "finish or quit that game first"
            )

    def _claimed_now(self, player: str) -> bool:
        return self._claims.holds(self.root / player_slug(player) / PLAYING)

    def release(self, player: str) -> None:
        """Let another window play ``player``: this process will not play them any more."""
        self._claims.let_go(self.root / player_slug(player) / PLAYING)

    @contextmanager
    def claimed(self, *players: str) -> Iterator[None]:
        """The players held for the time of the block (those held already stay held after)."""
        taken = []
        try:
            for player in players:
                if not self._claimed_now(player):
                    self.claim(player)
                    taken.append(player)
            yield
        finally:
            for player in taken:
                self.release(player)

    # -- writing

    def save_progress(self, game: Game) -> Path:
        """Keep the game in progress (after every answer, and on quitting)."""
        with self.lock(game.player):
            folder = self.player_dir(game.player, create=True)
            clear_stale_temps(folder)
            path = folder / CURRENT
            atomic_write(path, to_toml(game_record(game, "in-progress")))
            return path

    def save_finished(self, game: Game, status: GameStatus = "finished") -> Path:
        """Record a finished (or abandoned) game for good, and clear it as current."""
        with self.lock(game.player):
            folder = self.player_dir(game.player, create=True)
            games = folder / GAMES
            clear_stale_temps(games)
            # A resumed game's id comes from a file: only its letters and digits name a file.
            path = games / f"{file_stamp()}-{re.sub(r'[^0-9A-Za-z]', '', game.id)[:8]}.toml"
            record = game_record(game, status)
            atomic_write(path, to_toml(record))
            current = folder / CURRENT
            loaded = self.load(current) if os.path.lexists(current) else None
            if loaded is None or loaded.record.id == game.id:
                with saving(
                    f"the game of {game.player!r} was saved as {path.name}, but {current} "
                    "could not be cleared"
                ):
                    current.unlink(missing_ok=True)
            if self.after_save is not None:  # the derived scores, under the same lock
                self.after_save(self, folder, path, record)
            return path

    def has_current(self, player: str) -> bool:
        """Whether the player has a game in progress (without reading it, moving it or failing).

        A folder from quiz before, not moved yet, counts too.
        """
        folder = self.root / player_slug(player)
        if os.path.lexists(folder / CURRENT):
            return True
        if player in self._owned or os.path.lexists(folder / OWNER):
            return False
        return os.path.lexists(self.root / old_player_slug(player) / CURRENT)

    def shelve_current(self, player: str) -> None:
        """A new game replaces an unfinished one: move the old one into the history.

        A rename, not a rewrite: nothing is parsed, so even a damaged file is
        kept as it is. Readers count only status = "finished" games as played.
        Never while another process plays that player (PlayerBusy).
        """
        with self.claimed(player), self.lock(player):
            folder = self.player_dir(player, create=True)
            current = folder / CURRENT
            if os.path.isfile(current) and not os.path.islink(current):
                with saving(f"cannot keep the unfinished game of {player!r} in the history"):
                    os.replace(current, folder / GAMES / f"{file_stamp()}-unfinished.toml")
                fsync_dir(folder / GAMES)
            elif os.path.lexists(current):
                # A folder, a FIFO or a symlink where the game belongs: set it aside.
                self.move_aside(current, "it is not a regular file")

    # -- reading

    def load(self, path: Path) -> LoadedGame | None:
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
            return self.move_aside(path, "it is not a regular file")
        except OSError as exc:
            return self._tell(path, f"cannot read {path}: {describe_os_error(exc)}; skipped")
        # pydantic (~100 ms) only when a save is read back, never to start a game.
        import tomllib  # not at the top: starting a game reads no save

        from pydantic import ValidationError

        from quiz.saves.records import GameRecord

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
                reason = f"{where}: {first['msg'].removeprefix('Value error, ')}"
            except RecursionError:
                reason = "it is nested too deeply"
            except ValueError:
                reason = "it holds a number too large to read"
        if record is not None:
            return LoadedGame(path, record)
        return self.move_aside(path, reason or "it is damaged")

    def move_aside(self, path: Path, reason: str) -> Unreadable:
        """Set a damaged save aside, unchanged, beside itself, and tell why."""
        aside = path.with_name(f"{path.stem}.corrupt-{file_stamp()}.toml")
        try:
            os.replace(path, aside)
        except OSError as exc:
            return self._tell(
                path,
                f"{path} is damaged ({reason}) and could not be moved aside: {describe_os_error(exc)}",
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
        path = folder / CURRENT
        read = self._read(path) if os.path.lexists(path) else None
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
                os.path.join(entry.path, CURRENT)
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
                f"cannot read the save folder {self.root}: {describe_os_error(exc)}"
            ) from None
        rooms = self.rooms_dir.name  # the live rooms' records: no player's folder
        return [
            Path(e.path)
            for e in entries
            if e.is_dir(follow_symlinks=False) and not e.name.startswith(".") and e.name != rooms
        ]

    def games(self, player: str | None = None, deck: str | None = None) -> Iterator[GameRecord]:
        """Every recorded game (finished or quit), oldest first within a player."""
        folders = (
            [self.player_dir(player, create=False)] if player is not None else self.player_folders()
        )
        for folder in folders:
            games = folder / GAMES
            if os.path.islink(games) or not os.path.isdir(games):
                continue
            with saving(f"cannot read the games in {games}"):
                entries = sorted(os.scandir(games), key=lambda e: e.name)
            for entry in entries:
                if (
                    not entry.name.endswith(".toml")
                    or entry.name.startswith(".")
                    or ".corrupt-" in entry.name
                ):
                    continue
                if entry.is_symlink():
                    continue
                loaded = self.load(Path(entry.path))
                if loaded is None:
                    continue
                record = loaded.record
                if player is not None and record.player != player:
                    continue
                if deck is not None and record.deck != deck:
                    continue
                yield record
