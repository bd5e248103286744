"""add-fact's check: the deck as it would be with the new fact, checked by
`quiz validate`'s own rules (`check_file`, and `check_all` for fact ids that must
be unique across decks), so every rule has one owner."""

from __future__ import annotations

import tempfile
from collections import Counter
from collections.abc import Sequence
from dataclasses import dataclass
from pathlib import Path
from typing import TYPE_CHECKING, Any

from quiz.authoring.validate import Checked, check_all, check_file
from quiz.deckfile.catalog import bundled_dir, deck_files
from quiz.plain.addfact_text import (
    FACT_FILE_HEADER,
    FACT_KEYS,
    SOURCE_KEYS,
    inline_padding,
    key_order,
    line_ending,
    render_table,
    separator,
    with_source,
)

if TYPE_CHECKING:
    from quiz.deckfile.problems import DeckSource, Problem

STRICT = "a warning: `quiz validate --strict` and CI fail on it"


@dataclass(frozen=True)
class Found:
    """One problem the new fact (or its new source) brings: the field it is at, if any."""

    field: str | None
    message: str
    severity: str

    def told(self) -> str:
        return self.message if self.severity == "error" else f"{self.message} ({STRICT})"


def other_decks(path: Path, folder: Path | None) -> list[Path]:
    """The decks whose fact ids a new fact's id must not take: the other decks in the
    deck's own folder and the bundled decks, as `quiz validate FOLDER` would check them."""
    own = (folder or path).resolve()
    out: list[Path] = []
    for place in dict.fromkeys([(folder or path).parent, bundled_dir()]):
        try:
            found = deck_files(place) if place.is_dir() else []
        except (OSError, ValueError):
            continue  # a folder too large to walk: validate says so when it is checked
        out.extend(deck for deck in found if deck.resolve() != own and deck not in out)
    return out


class Candidate:
    """The deck as it would be with the new fact, checked as `quiz validate --strict` checks it.

    A copy of the deck's files in a temporary folder gets the new text, and
    `check_file` (validate's own, every rule) runs on it; the problems the deck
    did not already have are the new fact's, each at the field on its line.
    With ``across``, `check_all` checks the copy after ``others`` (the decks
    its fact ids must not collide with), so a collision is the copy's.
    """

    def __init__(
        self,
        path: Path,
        folder: Path | None,
        data: dict[str, Any],
        source: DeckSource,
        others: Sequence[Path] = (),
    ) -> None:
        self._tmp = tempfile.TemporaryDirectory(prefix="quiz-add-fact-")
        root = Path(self._tmp.name)
        self.folder, self.path = folder, path
        self.others = list(others)
        self.main_text = source.parts[0].text  # the deck file, or a folder deck's deck.toml
        self.eol = line_ending(self.main_text)
        if folder is None:
            self.main = root / path.name
            self.checked = self.main
        else:
            self.checked = root / "deck"
            self.checked.mkdir()
            for part in source.parts:
                _write(self.checked / Path(part.display).name, part.text)
            self.main = self.checked / "deck.toml"
        _write(self.main, self.main_text)
        facts = data.get("facts", [])
        self.fact_order = key_order(facts if isinstance(facts, list) else [], FACT_KEYS)
        self.source_order = key_order(data.get("sources", []), SOURCE_KEYS)
        self.pad = inline_padding(source.text)
        self.source_ids = [s["id"] for s in data.get("sources", [])]
        self._fact_file: Path | None = None
        self.baseline = {False: Counter(self._key(p) for p in self._problems(False))}

    def close(self) -> None:
        self._tmp.cleanup()

    def _key(self, problem: Problem) -> tuple[str, str, str | None, str]:
        return (problem.path, problem.message, problem.fact, problem.severity)

    def _problems(self, across: bool) -> list[Problem]:
        checked: Checked
        if across and self.others:
            *_, checked = check_all([*self.others, self.checked])
        else:
            checked = check_file(self.checked, str(self.checked))
        return [p for p in checked.problems if p.severity != "note"]

    def _baseline(self, across: bool) -> Counter[tuple[str, str, str | None, str]]:
        if across not in self.baseline:
            self.baseline[across] = Counter(self._key(p) for p in self._problems(across))
        return self.baseline[across]

    def block(self, header: str, table: dict[str, Any], order: Sequence[str]) -> str:
        """A new table as text, in the deck's line ending."""
        return self.eol.join(render_table(header, table, order, self.pad)) + self.eol

    def texts(
        self, fact: dict[str, Any], source: dict[str, Any] | None
    ) -> tuple[str, str, int, tuple[int, int] | None]:
        """(deck file text, the new fact's file text, the fact's first line, the new source's lines).

        For a file deck both texts are the one file; for a folder deck the
        first is deck.toml, the second the fact's own file.
        """
        main = self.main_text
        span = None
        if source is not None:
            block = self.block("sources", source, self.source_order)
            main = with_source(main, source, block, self.eol)
            first = common_prefix_lines(self.main_text, main)
            span = (first, first + block.count("\n") + 1)
        fact_block = self.block("facts", fact, self.fact_order)
        if self.folder is None:
            head = main + separator(main, self.eol)
            return head + fact_block, head + fact_block, head.count("\n") + 1, span
        return main, FACT_FILE_HEADER + self.eol + fact_block, 2, span

    def check(
        self, fact: dict[str, Any], source: dict[str, Any] | None, across: bool = False
    ) -> list[Found]:
        """Every problem the deck with this fact (and source) has that the deck alone had not.

        ``across`` adds validate's rule across decks (a fact id another deck has).
        """
        baseline = self._baseline(across)
        main, fact_text, start, span = self.texts(fact, source)
        keys = render_table("facts", fact, self.fact_order, self.pad)[1:]
        keys = [line.split(" = ", 1)[0] for line in keys]
        _write(self.main, main)
        if self.folder is not None:
            if self._fact_file is not None:
                self._fact_file.unlink(missing_ok=True)
            self._fact_file = self.checked / f"{fact['id']}.toml"
            _write(self._fact_file, fact_text)
        fact_path = str(self.main if self.folder is None else self._fact_file)
        try:
            problems = self._problems(across)
        finally:
            _write(self.main, self.main_text)
            if self._fact_file is not None:
                self._fact_file.unlink(missing_ok=True)
                self._fact_file = None
        left = Counter(baseline)
        out = []
        for problem in problems:
            key = self._key(problem)
            if left[key] > 0:
                left[key] -= 1
                continue
            field = None
            if problem.path == fact_path and start < problem.line <= start + len(keys):
                field = keys[problem.line - start - 1]
            elif span is not None and problem.path == str(self.main):
                field = "source" if span[0] <= problem.line < span[1] else None
            # A message naming another file of the copy names the deck's own.
            message = problem.message.replace(str(self.checked), str(self.folder or self.path))
            out.append(Found(field, message, problem.severity))
        return out


def _write(path: Path, text: str) -> None:
    """``text`` as it is, its line endings untranslated."""
    path.write_text(text, encoding="utf-8", newline="")


def common_prefix_lines(old: str, new: str) -> int:
    """The line (1-based) where ``new`` first differs from ``old``."""
    k = 0
    while k < min(len(old), len(new)) and old[k] == new[k]:
        k += 1
    return old.count("\n", 0, k) + 1
