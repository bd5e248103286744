"""The help modal's rows, built from the BINDINGS that hold the keys (one home for the key list).

A binding shows in the help when it has a ``tooltip``: that is its line in the
help (and its tooltip in the footer). Bindings with the same tooltip share a
line: ``1``..``4`` and ``a``..``d`` become "1-4 or a-d". Keys that are not ours
to bind (a widget's own cursor keys, the mouse, Textual's command palette) are
given as ``Builtin`` rows where they belong.
"""

from __future__ import annotations

from collections.abc import Iterable, Sequence
from dataclasses import dataclass

from textual.binding import Binding, BindingType

from quiz.tui.screens.question import QuestionScreen
from quiz.tui.screens.results import ResultsScreen
from quiz.tui.screens.start import StartScreen
from quiz.tui.widgets.answer import AnswerInput
from quiz.tui.widgets.choices import ChoiceList
from quiz.tui.widgets.order import OrderList

NAMES = {
    "escape": "Esc",
    "enter": "Enter",
    "space": "Space",
    "question_mark": "?",
    "up": "Up",
    "down": "Down",
}


@dataclass(frozen=True)
class Builtin:
    """A help line for keys a widget or Textual binds itself."""

    label: str
    what: str
    keys: tuple[str, ...] = ()


def key_name(key: str) -> str:
    """How a key is written for people: "ctrl+q" is "Ctrl+Q", "escape" is "Esc"."""
    if key in NAMES:
        return NAMES[key]
    if "+" in key:
        return "+".join(p.upper() if len(p) == 1 else p.capitalize() for p in key.split("+"))
    if len(key) > 1 and key[0] == "f" and key[1:].isdigit():
        return key.upper()
    return key


def _bindings(source: type) -> list[Binding]:
    found: list[Binding] = []
    for item in getattr(source, "BINDINGS", []):
        found.extend(_expand(item))
    return found


def _expand(item: BindingType) -> list[Binding]:
    if isinstance(item, Binding):
        return [
            Binding(k.strip(), item.action, item.description, tooltip=item.tooltip)
            for k in item.key.split(",")
        ]
    return []  # a bare tuple has no tooltip: never in the help


def _runs(keys: Sequence[str]) -> list[str]:
    """Consecutive single characters collapse: 1 2 3 4 -> "1-4"."""
    out: list[str] = []
    start = 0
    for i in range(1, len(keys) + 1):
        if i < len(keys) and len(keys[i]) == 1 == len(keys[i - 1]):
            if ord(keys[i]) == ord(keys[i - 1]) + 1:
                continue
        run = keys[start:i]
        if len(run) > 2:
            out.append(f"{run[0]}-{run[-1]}")
        else:
            out.extend(run)
        start = i
    return out


def help_rows(sources: Iterable[type | Builtin]) -> list[tuple[str, str]]:
    """(keys, what) lines, in the order the sources give them."""
    # tooltip -> (keys, the actions of the source that wrote the line first)
    rows: dict[str, tuple[list[str], set[str]]] = {}
    order: list[tuple[str, str] | str] = []
    owners: dict[str, type] = {}
    for source in sources:
        if isinstance(source, Builtin):
            order.append((source.label, source.what))
            continue
        for binding in _bindings(source):
            if not binding.tooltip:
                continue
            if binding.tooltip not in rows:
                rows[binding.tooltip] = ([], set())
                order.append(binding.tooltip)
                owners[binding.tooltip] = source
            keys, actions = rows[binding.tooltip]
            if binding.key not in keys:
                keys.append(binding.key)
            if owners[binding.tooltip] is source:
                actions.add(binding.action.split("(")[0])
    lines: list[tuple[str, str]] = []
    for entry in order:
        if isinstance(entry, tuple):
            lines.append(entry)
            continue
        keys, actions = rows[entry]
        # One action: its keys are alternatives ("Esc or q"); several: a key each ("p r l h s").
        joiner = " or " if len(actions) == 1 else " "
        parts = _runs(keys) if len(actions) == 1 else keys
        lines.append((joiner.join(key_name(k) for k in parts), entry))
    return lines


def all_keys(sources: Iterable[type | Builtin]) -> set[str]:
    """Every key the help speaks of, written for people (for the README's Keys table)."""
    keys: set[str] = set()
    for source in sources:
        if isinstance(source, Builtin):
            keys.update(key_name(k) for k in source.keys)
        else:
            keys.update(key_name(b.key) for b in _bindings(source) if b.tooltip)
    return keys


def help_sources(app: type) -> list[type | Builtin]:
    """Where the help's keys come from, in the order a game meets them; ``app`` is the app's class."""
    return [
        StartScreen,
        ChoiceList,
        Builtin("Up/Down, Enter", "move through the choices, then answer", ("up", "down", "enter")),
        Builtin("Mouse click", "answer"),
        AnswerInput,
        OrderList,
        QuestionScreen,
        ResultsScreen,
        Builtin("Up/Down", "on the results: each question's explanation", ("up", "down")),
        app,
        Builtin("Ctrl+P", "command palette: help, leaderboard, theme, quit", ("ctrl+p",)),
    ]
