"""The answer line for questions without choices (typed, estimate) and the hint under it.

The input only collects a line: Enter posts Textual's `Input.Submitted` up to
the screen, which asks `quiz.game.judge.parse_answer` what it is and, for a
line that is not an answer, sets the retry words down on the `Hint`. Keys
typed here are text: they never reach the screen's or the app's bindings
(q, ?, 1-4), only Enter, Esc and the app's Ctrl+ keys do.
"""

from __future__ import annotations

from textual import events
from textual.binding import Binding
from textual.content import Content
from textual.widgets import Input, Static

from quiz.game.judge import MAX_TYPED
from quiz.text import clean

# Each binding's tooltip is its line in the help (quiz/tui/keys.py).
SUBMIT = "a typed or number question: answer"


class AnswerInput(Input):
    """Where a player types an answer or a number; cut at `MAX_TYPED` characters as it is typed."""

    DEFAULT_CSS = """
    AnswerInput {
        margin: 0 0 0 0;
        border: round $primary 50%;
        background: $surface;
    }
    AnswerInput:focus {
        border: round $primary;
    }
    AnswerInput:disabled {
        opacity: 100%;
        border: round $panel;
    }
    """

    BINDINGS = [Binding("enter", "submit", "Answer", tooltip=SUBMIT)]

    def __init__(self, *, id: str | None = None) -> None:
        super().__init__(max_length=MAX_TYPED, select_on_focus=False, id=id)

    async def _on_key(self, event: events.Key) -> None:
        # Textual runs a widget's bindings only once its key has bubbled up to the
        # app, after the printable keys behind it went in: in a burst of keys ("ab",
        # Backspace, "c", as a slow link or a fast typist sends them) Backspace would
        # delete the "c". The line's own keys (Backspace, arrows, Enter) run here, in order.
        bindings = self._bindings.key_to_bindings.get(event.key)
        if bindings and not self.disabled:
            event.stop()
            event.prevent_default()
            await self.run_action(bindings[0].action)
            return
        await super()._on_key(event)

    def ask(self, placeholder: str) -> None:
        """Empty and open for a new question."""
        self.value = ""
        self.placeholder = clean(placeholder)
        self.disabled = False


class Hint(Static):
    """One line under an answer: what to type, or, after a line that is not an answer, the retry words."""

    DEFAULT_CSS = """
    Hint {
        color: $text-muted;
        padding: 0 1;
        width: 1fr;
    }
    Hint.-retry {
        color: $warning;
        text-style: bold;
    }
    """

    def __init__(self, *, id: str | None = None) -> None:
        super().__init__(markup=False, id=id)

    def say(self, text: str, *, retry: bool = False) -> None:
        """Show ``text`` as data; ``retry``: the last line was not an answer."""
        self.update(Content(clean(text)))
        self.set_class(retry, "-retry")
