"""The order list: put three or four items in order, first at the top, then Enter.

Up/Down choose an item; Shift+Up/Down move it, or Space picks it up and
Up/Down carry it until Space puts it down. Typing the items' letters in order
(``cadb``) puts them in that order as they are typed, each marked placed (•) and
counted below ("2 of 3 placed"), so a letter that keeps the order shown still
shows it was taken; the last item is placed with the one before it. Each item keeps its
letter wherever it moves. Enter posts `OrderList.Ordered` up to the screen
with the items' indexes from first to last; the screen sets `revealed` down
(the right order) and each place is marked ✓ or ✗.
"""

from __future__ import annotations

from collections.abc import Sequence

from textual.binding import Binding
from textual.content import Content
from textual.message import Message
from textual.reactive import reactive
from textual.widgets import OptionList
from textual.widgets.option_list import Option

from quiz.text import clean

LETTERS = "abcd"
# Each binding's tooltip is its line in the help (quiz/tui/keys.py).
MOVE = "order: move the item up or down"
HOLD = "order: pick up an item (Up/Down carry it)"
TYPE = "order: the letters (or numbers), first to last"
ANSWER = "order: answer with this order"


class OrderList(OptionList):
    """The items of one order question, in the order the player has put them."""

    DEFAULT_CSS = """
    OrderList {
        height: auto;
        max-height: 8;
        padding: 0 1;
        border: round $primary 50%;
        background: $surface;
    }
    OrderList:focus {
        border: round $primary;
    }
    OrderList:disabled {
        opacity: 100%;
        border: round $panel;
    }
    OrderList > .option-list--option {
        padding: 0 1;
    }
    """

    BINDINGS = [
        Binding("shift+up", "move(-1)", "Move up", show=False, tooltip=MOVE),
        Binding("shift+down", "move(1)", "Move down", show=False, tooltip=MOVE),
        Binding("space", "hold", "Move", tooltip=HOLD),
        *(
            Binding(key, f"place({i})", key.upper(), show=False, tooltip=TYPE)
            for i, key in enumerate(LETTERS)
        ),
        # The items' numbers work as their letters, as in `quiz play --plain` ("312").
        *(
            Binding(str(i + 1), f"place({i})", str(i + 1), show=False, tooltip=TYPE)
            for i in range(len(LETTERS))
        ),
        Binding("enter", "answer", "Answer", tooltip=ANSWER),
    ]

    class Ordered(Message):
        """The player gave this order: the items' indexes, first to last."""

        def __init__(self, order: tuple[int, ...]) -> None:
            super().__init__()
            self.order = order

    # The right order once answered; None while open.
    revealed: reactive[tuple[int, ...] | None] = reactive(None, init=False)
    holding: reactive[bool] = reactive(False, init=False)

    def __init__(self, items: Sequence[str] = (), *, id: str | None = None) -> None:
        self.items = [clean(item) for item in items]
        self.current = list(range(len(self.items)))
        self._typed: list[int] = []  # items placed by typing their letters, in order
        self._placed: list[int] = []  # the items shown as placed (all, once typing is done)
        super().__init__(id=id, markup=False)
        self.add_options(self._item_options())

    def ask(self, items: Sequence[str]) -> None:
        """Show a new question's items in the order given, open for an answer."""
        self.items = [clean(item) for item in items]
        self.current = list(range(len(self.items)))
        self._typed = []
        self._placed = []
        self.set_reactive(OrderList.revealed, None)
        self.set_reactive(OrderList.holding, False)
        self.set_options(self._item_options())
        self.disabled = False
        self.highlighted = 0
        self.refresh_bindings()

    @property
    def order(self) -> tuple[int, ...]:
        """The items' indexes as shown, first to last."""
        return tuple(self.current)

    def _item_options(self) -> list[Option]:
        options = []
        held = self.highlighted if self.holding else None
        for place, item in enumerate(self.current):
            mark = "  "
            if self.revealed is not None:
                right = place < len(self.revealed) and self.revealed[place] == item
                mark = "\u2713 " if right else "\u2717 "
            elif place == held:
                mark = "\u2195 "  # carried by Up/Down
            elif item in self._placed:
                mark = "\u2022 "  # placed by typing its letter
            letter = LETTERS[item].upper() if item < len(LETTERS) else str(item + 1)
            label = Content.assemble(
                (mark, "bold"),
                (f"{place + 1}. ", "dim"),
                (f"{letter}  ", "bold"),
                Content(self.items[item]),
            )
            options.append(Option(label, id=f"item-{place}"))
        return options

    def _redraw(self) -> None:
        for index, option in enumerate(self._item_options()):
            self.replace_option_prompt_at_index(index, option.prompt)
        placed = len(self._placed) if self.revealed is None else 0
        self.border_subtitle = (
            ""
            if not placed
            else f"{placed} of {len(self.items)} placed"
            + (": Enter answers" if placed == len(self.items) else "")
        )

    def on_mount(self) -> None:
        self.highlighted = 0

    # -- keys

    def action_move(self, step: int) -> None:
        """Move the chosen item one place up (-1) or down (1)."""
        here = self.highlighted
        if self.revealed is not None or here is None:
            return
        there = here + step
        if not 0 <= there < len(self.current):
            return
        self._typed = []
        self._placed = []
        self.current[here], self.current[there] = self.current[there], self.current[here]
        self.highlighted = there
        self._redraw()

    def action_hold(self) -> None:
        if self.revealed is None:
            self.holding = not self.holding

    def watch_holding(self) -> None:
        self._redraw()

    def action_cursor_up(self) -> None:
        if self.holding:
            self.action_move(-1)
        else:
            super().action_cursor_up()

    def action_cursor_down(self) -> None:
        if self.holding:
            self.action_move(1)
        else:
            super().action_cursor_down()

    def action_place(self, item: int) -> None:
        """A letter typed: that item comes next after the ones typed before it."""
        if self.revealed is not None or item >= len(self.items) or item in self._typed:
            return
        self._typed.append(item)
        rest = [k for k in self.current if k not in self._typed]
        self.current = [*self._typed, *rest]
        self._placed = list(self._typed)
        if len(self._typed) >= len(self.items) - 1:
            self._placed = list(self.current)  # the last one is where it must be
            self._typed = []  # typing starts over
        self.holding = False
        self.highlighted = self.current.index(item)
        self._redraw()

    def action_answer(self) -> None:
        if self.revealed is None:
            self.holding = False
            self.post_message(self.Ordered(self.order))

    def check_action(self, action: str, parameters: tuple[object, ...]) -> bool | None:
        """Only the letters of this question's items work, and nothing once answered."""
        if self.revealed is not None and action in ("move", "hold", "place", "answer"):
            return False
        if action == "place":
            index = parameters[0] if parameters else 0
            return isinstance(index, int) and index < len(self.items)
        return True

    def on_option_list_option_selected(self, event: OptionList.OptionSelected) -> None:
        event.stop()  # a click chooses an item; only Enter answers

    def watch_revealed(self) -> None:
        self.refresh_bindings()
        self._redraw()
