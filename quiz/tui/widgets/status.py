"""The bar at the top of every screen: the deck's title and where you are."""

from __future__ import annotations

from textual.app import ComposeResult
from textual.content import Content
from textual.reactive import reactive
from textual.widget import Widget
from textual.widgets import Label

from quiz.text import clean


def short(text: str, limit: int) -> str:
    """Deck or player text made safe and cut to ``limit`` characters, with an ellipsis if cut."""
    text = clean(text)
    return text if len(text) <= limit else text[: limit - 1].rstrip() + "\u2026"


class DeckBar(Widget):
    """Deck title on the left, screen context on the right. Deck text is never markup."""

    DEFAULT_CSS = """
    DeckBar {
        dock: top;
        height: 1;
        background: $panel;
        color: $foreground;
        layout: horizontal;
    }
    DeckBar > Label {
        text-wrap: nowrap;
        text-overflow: ellipsis;
    }
    DeckBar > #deck-title {
        width: 1fr;
        text-style: bold;
        padding: 0 1;
    }
    DeckBar > #deck-context {
        width: auto;
        padding: 0 1;
        color: $text-muted;
    }
    """

    context: reactive[str] = reactive("")

    def __init__(self, title: str, context: str = "") -> None:
        super().__init__()
        self.deck_title = clean(title)
        self.set_reactive(DeckBar.context, context)

    def compose(self) -> ComposeResult:
        yield Label(Content(self.deck_title), id="deck-title")
        yield Label(Content(self.context), id="deck-context")

    def watch_context(self, context: str) -> None:
        if self.is_mounted:
            self.query_one("#deck-context", Label).update(Content(context))
