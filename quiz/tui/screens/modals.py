"""Small screens over the game: help, confirming a quit, and a terminal too small to play in."""

from __future__ import annotations

from textual import on
from textual.app import ComposeResult
from textual.binding import Binding
from textual.containers import Grid, Vertical, VerticalScroll
from textual.content import Content
from textual.screen import ModalScreen, Screen
from textual.widgets import Button, Label, Static


class HelpScreen(ModalScreen[None]):
    """Every key, in one place: ``rows`` of (keys, what), built from the bindings (quiz/tui/keys.py)."""

    CSS_PATH = "modals.tcss"  # read early by QuizApp._read_later_css

    BINDINGS = [
        Binding("escape", "close", "Close"),
        Binding("f1", "close", "Close", show=False),
        Binding("question_mark", "close", "Close", show=False),
        Binding("q", "close", "Close", show=False),
    ]

    def __init__(self, rows: list[tuple[str, str]]) -> None:
        super().__init__()
        self.rows = rows

    def compose(self) -> ComposeResult:
        with Vertical(id="help-box"):
            yield Label(Content("Keys"), id="help-title")
            # Two columns, so a long description wraps under itself; scrolls when the terminal is short.
            with VerticalScroll(id="help-scroll"), Grid(id="help-keys"):
                for key, what in self.rows:
                    yield Static(Content.styled(key, "bold"), classes="help-key")
                    yield Static(Content(what), classes="help-what")
            yield Label(Content("Esc closes this help."), id="help-close")

    def action_close(self) -> None:
        self.dismiss(None)


class ConfirmQuit(ModalScreen[bool]):
    """Quit mid-game? The game in progress is kept either way."""

    CSS_PATH = "modals.tcss"  # read early by QuizApp._read_later_css

    BINDINGS = [
        Binding("y", "answer(True)", "Yes"),
        Binding("n", "answer(False)", "No"),
        Binding("escape", "answer(False)", "No", show=False),
    ]

    def compose(self) -> ComposeResult:
        with Grid(id="confirm-box"):
            yield Label(
                Content("Quit this game? It is saved, and you can resume it later with --resume."),
                id="confirm-question",
            )
            yield Button(Content("Yes, quit (y)"), variant="error", id="yes")
            yield Button(Content("No, play on (n)"), variant="primary", id="no")

    def on_mount(self) -> None:
        self.query_one("#no", Button).focus()

    @on(Button.Pressed, "#yes")
    def _yes(self) -> None:
        self.dismiss(True)

    @on(Button.Pressed, "#no")
    def _no(self) -> None:
        self.dismiss(False)

    def action_answer(self, yes: bool) -> None:
        self.dismiss(yes)


class ConfirmNewGame(ModalScreen[str | None]):
    """The player has an unfinished game: resume it, or end it and start anew? Esc goes back."""

    CSS_PATH = "modals.tcss"  # read early by QuizApp._read_later_css

    BINDINGS = [
        Binding("r", "answer('resume')", "Resume it"),
        Binding("n", "answer('new')", "New game"),
        Binding("escape", "answer(None)", "Back", show=False),
    ]

    def __init__(self, player: str) -> None:
        super().__init__()
        self.player = player

    def compose(self) -> ComposeResult:
        with Grid(id="confirm-box"):
            yield Label(
                Content.assemble(
                    (self.player, "bold"),
                    " has an unfinished game. Resume it? A new game ends it,"
                    " and it stays in the history as unfinished.",
                ),
                id="confirm-question",
            )
            yield Button(Content("Resume it (r)"), variant="primary", id="resume-it")
            yield Button(Content("New game (n)"), id="new-game")

    def on_mount(self) -> None:
        self.query_one("#resume-it", Button).focus()

    @on(Button.Pressed, "#resume-it")
    def _resume_it(self) -> None:
        self.dismiss("resume")

    @on(Button.Pressed, "#new-game")
    def _new_game(self) -> None:
        self.dismiss("new")

    def action_answer(self, what: str | None) -> None:
        self.dismiss(what)


class TooSmall(Screen[None]):
    """Below the smallest size every screen is laid out for: says so, and waits for a resize.

    The app pushes it over whatever is shown and pops it once the terminal is
    big enough (QuizApp._fit); the game underneath waits, its timer stopped.
    """

    CSS_PATH = "modals.tcss"

    def __init__(self, width: int, height: int) -> None:
        super().__init__()
        self.need = (width, height)

    def compose(self) -> ComposeResult:
        yield Static(id="too-small")

    def on_mount(self) -> None:
        self._say()

    def on_resize(self) -> None:
        self._say()

    def _say(self) -> None:
        width, height = self.need
        size = self.app.size
        self.query_one("#too-small", Static).update(
            Content.assemble(
                (f"The terminal is too small: quiz needs {width}x{height}", "bold"),
                f"\nIt is {size.width}x{size.height}. Make the window bigger,"
                " and the game goes on where it was.",
                ("\nCtrl+Q", "bold"),
                " quits.",
            )
        )
