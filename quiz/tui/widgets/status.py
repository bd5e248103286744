"""The bar at the top of every screen: the deck's title and where you are."""

from __future__ import annotations

from textual.content import Content
from textual.reactive import reactive
from textual.widget import Widget

from quiz.text import clean


def short(text: str, limit: int) -> str:
    """Deck or player text made safe and cut to ``limit`` characters, with an ellipsis if cut."""
    text = clean(text)
    return text if len(text) <= limit else text[: limit - 1].rstrip() + "\u2026"


class DeckBar(Widget):
    """Deck title on the left, screen context on the right. Deck text is never markup.

    One widget drawing one line, not a row of two labels: it is on every
    screen, and three widgets (with their styles) cost about 1% of the work
    to the first question (bench/README.md, fourth look). The title gives way
    first, cut with an ellipsis; a context wider than the bar is cut at its
    end, on its one line.
    """

    COMPONENT_CLASSES = {"deck-bar--context"}
    DEFAULT_CSS = """
    DeckBar {
        dock: top;
        height: 1;
        background: $panel;
        color: $foreground;
        text-wrap: nowrap;
        text-overflow: ellipsis;
    }
    DeckBar > .deck-bar--context {
        color: $text-muted;
    }
    """

    context: reactive[str] = reactive("")

    def __init__(self, title: str, context: str = "") -> None:
        super().__init__()
        self.deck_title = clean(title)
        self.set_reactive(DeckBar.context, context)

    def render(self) -> Content:
        context = Content(self.context)  # data, never markup
        # A cell of padding at each end and on each side of the gap between them.
        room = self.size.width - context.cell_length - 4
        muted = self.get_visual_style("deck-bar--context")
        if room < 2:  # not even "A…" would fit: the context alone
            return Content.assemble(" ", (context.plain, muted), " ")
        title = Content.styled(self.deck_title, "bold").truncate(room, ellipsis=True, pad=True)
        return Content.assemble(" ", title, "  ", (context.plain, muted), " ")
