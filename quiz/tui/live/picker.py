"""The host's pick of a player mid-game, for extra time from their next question (issue 26)."""

from __future__ import annotations

from textual.app import ComposeResult
from textual.binding import Binding
from textual.containers import Vertical
from textual.content import Content
from textual.screen import ModalScreen
from textual.widgets import OptionList, Static
from textual.widgets.option_list import Option

from quiz.tui.live.marks import name


class ExtraPicker(ModalScreen[str | None]):
    """`x` mid-game: the room's players, to pick one whose extra time changes from their
    next question (Enter cycles 1x, 1.5x, 2x as in the lobby; Esc closes)."""

    DEFAULT_CSS = """
    ExtraPicker { align: center middle; }
    #x-box { width: 60; max-width: 90%; height: auto; max-height: 90%;
             border: round $primary; background: $surface; padding: 0 1; }
    #x-title { height: auto; }
    #x-names { height: auto; max-height: 14; min-height: 3; }
    #x-close { height: 1; color: $text-muted; }
    """
    BINDINGS = [Binding("escape", "close", "Close"), Binding("x", "close", "Close", show=False)]

    def __init__(self, players: list[tuple[str, str]], highlight: str | None) -> None:
        super().__init__()
        self.players = players  # (name, what their time is now)
        self.highlight = highlight

    def compose(self) -> ComposeResult:
        with Vertical(id="x-box"):
            yield Static(
                Content("Extra time from their next question: pick a player."), id="x-title"
            )
            yield OptionList(
                *(Option(Content(f"{name(who)}{mark}")) for who, mark in self.players),
                id="x-names",
            )
            yield Static(Content("Enter: 1x, 1.5x, 2x.  Esc closes."), id="x-close")

    def on_mount(self) -> None:
        names = self.query_one("#x-names", OptionList)
        names.focus()
        picked = [who for who, _ in self.players]
        if self.highlight in picked:
            names.highlighted = picked.index(self.highlight)

    def on_option_list_option_selected(self, event: OptionList.OptionSelected) -> None:
        self.dismiss(self.players[event.option_index][0])

    def action_close(self) -> None:
        self.dismiss(None)
