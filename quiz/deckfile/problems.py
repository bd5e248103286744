"""Located problems with a deck, and where a deck's data came from.

`Problem` is one `PATH:LINE: [fact-id] message`; `DeckError` carries a list of
them; `DeckSource` maps a path in the parsed data, such as
("facts", 7, "answer"), to the file and line a contributor has to edit.
"""

from __future__ import annotations

import functools
import os
from dataclasses import dataclass
from typing import Literal

from quiz.errors import QuizError
from quiz.text import clean

Severity = Literal["error", "warning", "note"]
"""A note is no fault: it says what could not be checked yet, because of the errors."""

# --- problems -----------------------------------------------------------------


@dataclass(frozen=True)
class Problem:
    """One located thing wrong with a deck: `PATH:LINE: [fact-id] message`."""

    path: str
    line: int
    message: str
    fact: str | None = None
    severity: Severity = "error"
    column: int | None = None

    def github(self) -> str:
        """A GitHub workflow annotation, so the problem shows on the PR's own line."""

        def escape(text: str, prop: bool = False) -> str:
            text = text.replace("%", "%25").replace("\r", "%0D").replace("\n", "%0A")
            return text.replace(":", "%3A").replace(",", "%2C") if prop else text

        fact = f"[{clean(self.fact)}] " if self.fact else ""
        col = f",col={self.column}" if self.column else ""
        path, message = clean(repository_path(self.path)), clean(self.message)
        level = "notice" if self.severity == "note" else self.severity
        return (
            f"::{level} file={escape(path, True)},line={self.line}{col}::{escape(fact + message)}"
        )

    def __str__(self) -> str:
        # Paths, key names and quoted values come from strangers: the one
        # display-safe function makes every located message safe to print.
        where = f"{clean(self.path)}:{self.line}:"
        fact = f" [{clean(self.fact)}]" if self.fact else ""
        note = "" if self.severity == "error" else f" {self.severity}:"
        return f"{where}{fact}{note} {clean(self.message)}"


def repository_path(path: str) -> str:
    """``path`` from the root of the git repository holding it, as GitHub annotations need.

    `quiz validate` names the bundled decks by their absolute path when no path
    is given; an annotation with one lands on no line of the pull request. A
    path in no repository is named from the current folder if it is below it,
    else kept as it is.
    """
    absolute = os.path.abspath(path)
    root = _repository_root(os.path.dirname(absolute), os.environ.get("GITHUB_WORKSPACE", ""))
    if root is None and absolute.startswith(os.getcwd() + os.sep):
        root = os.getcwd()  # no repository above it: from where quiz was run
    return os.path.relpath(absolute, root) if root else path


@functools.lru_cache(maxsize=64)
def _repository_root(folder: str, workspace: str) -> str | None:
    """The checkout GitHub Actions runs in, else the nearest folder above holding .git."""
    if workspace and (folder + os.sep).startswith(os.path.abspath(workspace) + os.sep):
        return os.path.abspath(workspace)
    while True:
        if os.path.exists(os.path.join(folder, ".git")):
            return folder
        parent = os.path.dirname(folder)
        if parent == folder:
            return None
        folder = parent


class DeckError(QuizError):
    """A deck could not be loaded; ``problems`` says where and why."""

    prefixed = False  # each line is a located `PATH:LINE: message`

    def __init__(self, problems: list[Problem]) -> None:
        super().__init__("\n".join(str(p) for p in problems))
        self.problems = problems


# --- where a deck's data came from ------------------------------------------------


@dataclass
class Part:
    """One file of a deck, and which of the deck's facts it holds."""

    display: str
    text: str
    start: int = 0
    count: int = 0


class DeckSource:
    """Maps a path in a deck's data, such as ("facts", 7, "answer"), to a file and line.

    A deck is one file, or a folder: deck.toml plus fact files, whose facts
    are appended in file-name order. Problems always point at the file and
    line a contributor has to edit.
    """

    def __init__(self, parts: list[Part], display: str | None = None) -> None:
        self.parts = parts
        self.display = display or parts[0].display
        self._found: dict[int, dict[tuple[str | int, ...], int]] = {}

    @classmethod
    def single(cls, text: str, display: str) -> DeckSource:
        return cls([Part(display, text, 0, 1 << 30)])

    @property
    def text(self) -> str:
        """Every file's text, for hashing."""
        return "\0".join(part.text for part in self.parts)

    def where(self, path: tuple[str | int, ...]) -> tuple[str, int]:
        """The file and line of ``path`` (or of its nearest located ancestor)."""
        index, local = 0, path
        if len(path) >= 2 and path[0] == "facts" and isinstance(path[1], int):
            for k, part in enumerate(self.parts):
                if part.start <= path[1] < part.start + part.count:
                    index, local = k, ("facts", path[1] - part.start, *path[2:])
                    break
        # Here, not at the top: a deck that loads without a problem never needs it.
        from quiz.deckfile.locate import line_of, locate

        part = self.parts[index]
        if index not in self._found:
            self._found[index] = locate(part.text)
        return part.display, line_of(self._found[index], local)

    def problem(
        self,
        path: tuple[str | int, ...],
        message: str,
        fact: str | None = None,
        severity: Severity = "error",
    ) -> Problem:
        display, line = self.where(path)
        return Problem(display, line, message, fact, severity)
