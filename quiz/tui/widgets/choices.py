"""The answer list: keys 1-4 and a-d (t and f for true/false), arrows with Enter, or a click.

It posts `ChoiceList.Picked` up to its screen and never reaches into it; the
screen sets `revealed` down once the answer is known, and the list redraws
its options with ✓ and ✗ marks.
"""

from __future__ import annotations

from collections.abc import Sequence

from textual.binding import Binding
from textual.content import Content
from textual.message import Message
from textual.reactive import reactive
from textual.widgets import OptionList
from textual.widgets.option_list import Option

from quiz.questions.question import is_true_false
from quiz.text import clean

KEYS = "1234"

LETTERS = "abcd"
# Each binding's tooltip is its line in the help (quiz/tui/keys.py).
ANSWER = "answer at once"
TRUE_FALSE = "answer a true/false question"


class ChoiceList(OptionList):
    """The choices of one question."""

    DEFAULT_CSS = """
    ChoiceList {
        height: auto;
        max-height: 12;
        padding: 0 1;
    }
    ChoiceList > .option-list--option {
        padding: 0 1;
    }
    """

    BINDINGS = [
        *(
            Binding(key, f"pick({i})", f"Answer {i + 1}", show=False, tooltip=ANSWER)
            for i, key in enumerate(KEYS)
        ),
        *(
            Binding(key, f"pick({i})", f"Answer {key.upper()}", show=False, tooltip=ANSWER)
            for i, key in enumerate(LETTERS)
        ),
        Binding("t", "pick_word('True')", "True", tooltip=TRUE_FALSE),
        Binding("f", "pick_word('False')", "False", tooltip=TRUE_FALSE),
    ]

    class Picked(Message):
        """The player picked a choice (0-based index)."""

        def __init__(self, index: int) -> None:
            super().__init__()
            self.index = index

    # (right index, picked index or None) once answered; None while open.
    revealed: reactive[tuple[int, int | None] | None] = reactive(None, init=False)

    def __init__(self, choices: Sequence[str] = (), *, id: str | None = None) -> None:
        self.choice_texts = [clean(c) for c in choices]
        super().__init__(*self._choice_options(None), id=id, markup=False)

    def ask(self, choices: Sequence[str]) -> None:
        """Show a new question's choices, open for an answer."""
        self.choice_texts = [clean(c) for c in choices]
        self.set_reactive(ChoiceList.revealed, None)
        self.set_options(self._choice_options(None))
        self.disabled = False
        self.highlighted = 0
        self.refresh_bindings()

    def _choice_options(self, revealed: tuple[int, int | None] | None) -> list[Option]:
        options = []
        for index, text in enumerate(self.choice_texts):
            mark = "  "
            if revealed is not None:
                right, picked = revealed
                if index == right:
                    mark = "\u2713 "
                elif index == picked:
                    mark = "\u2717 "
            label = Content.assemble(
                (mark, "bold"),
                (f"{KEYS[index] if index < 4 else index + 1} ", "bold"),
                (f"{LETTERS[index].upper() if index < 4 else ' '}  ", "dim"),
                Content(text),
            )
            options.append(Option(label, id=f"choice-{index}"))
        return options

    def on_mount(self) -> None:
        self.highlighted = 0

    def action_pick(self, index: int) -> None:
        if self.revealed is None and index < len(self.choice_texts):
            self.post_message(self.Picked(index))

    def action_pick_word(self, word: str) -> None:
        """t and f answer a true/false question."""
        if self.revealed is None and word in self.choice_texts:
            self.post_message(self.Picked(self.choice_texts.index(word)))

    def check_action(self, action: str, parameters: tuple[object, ...]) -> bool | None:
        """t and f show in the footer, and work, only on a true/false question."""
        if action == "pick_word":
            return self.revealed is None and is_true_false(self.choice_texts)
        return True

    def on_option_list_option_selected(self, event: OptionList.OptionSelected) -> None:
        event.stop()
        if self.revealed is None:
            self.post_message(self.Picked(event.option_index))

    def watch_revealed(self, revealed: tuple[int, int | None] | None) -> None:
        self.refresh_bindings()
        for index, option in enumerate(self._choice_options(revealed)):
            self.replace_option_prompt_at_index(index, option.prompt)
