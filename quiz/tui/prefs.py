"""What the full screen remembers: the start screen's last choices, and the theme.

The last choices live in the save folder (`SaveFolder.start_choices`), shared
by everyone who plays from it; on a shared screen (`quiz serve`) never a
player's name. The theme is the user's own, in their config folder, never in
the shared saves folder. Remembering is a convenience: a file that cannot be
read or written is passed over, and the game goes on.
"""

from __future__ import annotations

from pathlib import Path
from typing import TYPE_CHECKING, Any

from quiz.disk.files import atomic_write, read_nofollow
from quiz.errors import QuizError
from quiz.saves.folder import SaveFolder

if TYPE_CHECKING:
    from quiz.tui.screens.start import StartChoice

MAX_BYTES = 64 * 1024


def settings_path() -> Path:
    """Where the theme is kept: the user's config folder."""
    from platformdirs import user_config_path

    return user_config_path("quiz", appauthor=False) / "tui.toml"


def _read(path: Path) -> dict[str, Any]:
    """A small TOML file as a table; {} when it is missing, too big or not TOML."""
    import tomllib  # ~5 ms: only for the start screen or a settings file, not the first question

    try:
        data = tomllib.loads(read_nofollow(path, MAX_BYTES).decode("utf-8"))
    except (OSError, ValueError, QuizError):
        return {}
    return data if isinstance(data, dict) else {}


def _write(path: Path, data: dict[str, Any]) -> None:
    import tomli_w

    try:
        path.parent.mkdir(parents=True, exist_ok=True)
        atomic_write(path, tomli_w.dumps(data))
    except (OSError, QuizError):  # a SaveError too
        pass


def last_choices(saves: SaveFolder, *, shared: bool) -> dict[str, Any]:
    """The start screen's last choices in this folder; on a shared screen, without the name."""
    data = _read(saves.start_choices)
    if shared:
        data.pop("player", None)
    return data


def remember_choices(saves: SaveFolder, choice: StartChoice, *, shared: bool) -> None:
    """Keep the start screen's choices for next time (a shared screen keeps no name)."""
    data: dict[str, Any] = {
        "player": choice.player,
        "deck": choice.deck,
        "count": choice.count,
        "timer": choice.timer or 0,
    }
    if shared:
        del data["player"]
    try:
        saves.ensure()
    except QuizError:
        return
    _write(saves.start_choices, data)


def saved_theme(settings: Path | None) -> str | None:
    """The theme chosen last time, if any."""
    if settings is None:
        return None
    theme = _read(settings).get("theme")
    return theme if isinstance(theme, str) else None


def save_theme(settings: Path | None, theme: str) -> None:
    """Keep the theme for next time (nowhere when there is no settings file)."""
    if settings is not None:
        _write(settings, {"theme": theme})
