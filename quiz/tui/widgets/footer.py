"""Textual's footer, recomposed only when what it shows has changed.

Textual's Footer rebuilds all its keys (a widget each, with their styles) on
every bindings update: focus moving, a screen mounting, a binding refreshed.
Before the first question is on screen that happened about twenty times, for
the same few keys, and it was the largest single cost of the first frame that
the floor app in bench/ does not pay. This one compares what it would show
with what it shows, and rebuilds only on a difference. It looks the same.
"""

from __future__ import annotations

from typing import Any

from textual.app import ComposeResult
from textual.widgets import Footer as TextualFooter


class Footer(TextualFooter):
    """The key bar at the bottom of a screen."""

    _shown: Any = None

    def _what_it_shows(self) -> Any:
        """Everything compose() reads to build the keys, as a comparable value."""
        if not self._bindings_ready or not self.is_attached:
            return None
        active = self.screen.active_bindings
        keys = tuple(
            (binding.key, binding.action, binding.description, binding.group, enabled, tooltip)
            for (_, binding, enabled, tooltip) in active.values()
            if binding.show
        )
        palette = None
        if self.show_command_palette and self.app.ENABLE_COMMAND_PALETTE:
            found = active.get(self.app.COMMAND_PALETTE_BINDING)
            if found is not None:
                _, binding, enabled, tooltip = found
                palette = (binding.key, binding.description, enabled, binding.tooltip)
        return keys, palette

    def compose(self) -> ComposeResult:
        self._shown = self._what_it_shows()
        yield from super().compose()

    async def recompose(self) -> None:
        if self._shown is not None and self._what_it_shows() == self._shown:
            return
        await super().recompose()
