"""The start screen: who is playing, which deck, how many questions, and the timer."""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass, replace

from textual import on
from textual.app import ComposeResult
from textual.binding import Binding
from textual.containers import Horizontal, Vertical, VerticalScroll
from textual.content import Content
from textual.screen import Screen
from textual.widgets import Button, Footer, Input, Label, Select

from quiz.errors import QuizError
from quiz.saves.folder import SaveFolder
from quiz.session import MAX_COUNT, Request, check_name, offer
from quiz.tui.widgets.status import DeckBar, short

TIMERS = [
    ("Off", 0),
    ("10 seconds", 10),
    ("20 seconds", 20),
    ("30 seconds", 30),
    ("60 seconds", 60),
]


@dataclass(frozen=True)
class StartChoice:
    """What the player chose on the start screen."""

    player: str
    deck: str
    count: int
    timer: int | None
    resume: bool = False


class StartScreen(Screen[StartChoice]):
    """Dismisses with a StartChoice once the player presses Start (or Resume)."""

    CSS_PATH = "start.tcss"  # read early by QuizApp._read_later_css

    BINDINGS = [
        # The tooltip is its line in the help (quiz/tui/keys.py).
        Binding(
            "ctrl+l", "leaderboard", "Leaderboard", tooltip="on the start screen: the leaderboard"
        ),
        Binding("escape", "app.quit", "Quit"),
    ]

    def __init__(
        self,
        deck_title: str,
        decks: list[tuple[str, str]],
        last: dict[str, object],
        *,
        saves: SaveFolder,
        deck_id: str,
        has_game: Callable[[str], bool],
    ) -> None:
        """``has_game(name)``: whether that player has a game in progress (Resume)."""
        super().__init__()
        self.deck_title = deck_title
        self.saves = saves
        self.deck_id = deck_id
        self.has_game = has_game
        self.decks = decks
        self.last = last

    def compose(self) -> ComposeResult:
        last = self.last
        deck = self._first_deck()
        timers = list(TIMERS)
        timer = last.get("timer")
        if isinstance(timer, int) and timer > 0 and timer not in [t for _, t in timers]:
            timers.append((f"{timer} seconds", timer))  # from --timer
        if timer not in [t for _, t in timers]:
            timer = 0
        player = str(last.get("player", ""))
        yield DeckBar(self.deck_title, "New game")
        with VerticalScroll(id="start-form"):
            yield Label(Content("Your name"), classes="field-label")
            yield Input(
                value=player,
                placeholder="Type your name",
                id="player",
                max_length=300,
            )
            if player:
                # A shared computer: say whose name this is, so nobody plays in another's saves.
                yield Label(
                    Content.assemble(
                        "The last player here was ",
                        (short(player, 40), "bold"),
                        ". Not you? Type your own name.",
                    ),
                    id="player-note",
                )
            yield Label(Content("Deck"), classes="field-label")
            yield Select(
                [(Content(title), deck_id) for deck_id, title in self.decks],
                value=deck,
                allow_blank=False,
                id="deck",
            )
            with Horizontal(id="start-row"):
                with Vertical():
                    yield Label(Content("Questions"), classes="field-label")
                    yield Input(
                        value=str(last.get("count", 10)), type="integer", id="count", max_length=4
                    )
                with Vertical():
                    yield Label(Content("Timer"), classes="field-label")
                    yield Select(
                        [(Content(label), value) for label, value in timers],
                        value=timer,
                        allow_blank=False,
                        id="timer",
                    )
            yield Label(Content(""), id="start-error")
            with Horizontal(id="start-buttons"):
                yield Button(Content("Start"), variant="primary", id="start")
                yield Button(Content("Resume"), id="resume", disabled=True)
                yield Button(Content("Leaderboard"), id="open-leaderboard")
        yield Footer()

    def _first_deck(self) -> str:
        """The deck chosen last time when it is listed, else the first listed."""
        deck_ids = [d for d, _ in self.decks]
        wanted = self.last.get("deck")
        return wanted if isinstance(wanted, str) and wanted in deck_ids else deck_ids[0]

    def show_decks(self, decks: list[tuple[str, str]]) -> None:
        """More decks to offer (the bundled ones, read in a worker); the one chosen stays chosen.

        The deck remembered from last time is chosen once it is listed, unless
        the player has chosen another meanwhile.
        """
        found = self.query("#deck")
        if not found:
            self.decks = decks
            return  # the screen is closing (the app quit at once): nothing to show them in
        select = found.first(Select)
        untouched = select.value == self._first_deck()
        chosen = select.value
        self.decks = decks
        select.set_options([(Content(title), deck_id) for deck_id, title in decks])
        select.value = self._first_deck() if untouched else chosen

    def on_mount(self) -> None:
        self.query_one("#player", Input).focus()
        self._check_resume()

    @on(Input.Changed, "#player")
    def _player_changed(self) -> None:
        self._check_resume()

    def _check_resume(self) -> None:
        name = self.query_one("#player", Input).value.strip()
        has = bool(name) and self.has_game(name)
        self.query_one("#resume", Button).disabled = not has

    def on_input_submitted(self, event: Input.Submitted) -> None:
        self._submit(resume=False)

    @on(Button.Pressed, "#open-leaderboard")
    def _leaderboard_pressed(self) -> None:
        self.action_leaderboard()

    @on(Button.Pressed, "#start")
    def _start_pressed(self) -> None:
        self._submit(resume=False)

    @on(Button.Pressed, "#resume")
    def _resume_pressed(self) -> None:
        self._submit(resume=True)

    def _submit(self, resume: bool) -> None:
        error = self.query_one("#start-error", Label)
        name = self.query_one("#player", Input).value
        try:
            name = check_name(name)
        except ValueError as exc:
            error.update(Content(str(exc).replace(" with --player NAME", "")))
            self.query_one("#player", Input).focus()
            return
        count_text = self.query_one("#count", Input).value.strip()
        if not count_text.isdigit() or not 1 <= int(count_text) <= MAX_COUNT:
            error.update(Content(f"The number of questions must be between 1 and {MAX_COUNT}."))
            self.query_one("#count", Input).focus()
            return
        timer = self.query_one("#timer", Select).value
        deck = self.query_one("#deck", Select).value
        choice = StartChoice(
            player=name,
            deck=str(deck),
            count=int(count_text),
            timer=int(timer) or None if isinstance(timer, int) else None,
            resume=resume,
        )
        try:
            # The one unfinished-game policy (quiz.session.plan): asked only when answers would be lost.
            asked = None if resume else offer(self.saves, Request((name,)))
        except QuizError as exc:  # PlayerBusy: another window plays this name
            error.update(Content(str(exc)))
            return
        if asked is None:
            self.dismiss(choice)
            return
        # A new game would end the unfinished one: offer to resume it first.
        from quiz.tui.screens.modals import ConfirmNewGame

        def chosen(what: str | None) -> None:
            if what not in ("resume", "new"):
                return
            try:  # the session's rule: only a game of just this player resumes here
                request = asked.answered(Request((name,)), "resume" if what == "resume" else "new")
            except QuizError as exc:
                error.update(Content(str(exc)))
                return
            self.dismiss(replace(choice, resume=request.resume))

        self.app.push_screen(ConfirmNewGame(short(name, 40)), chosen)

    def action_leaderboard(self) -> None:
        from quiz.tui.screens.leaderboard import LeaderboardScreen  # DataTable: loads when shown

        self.app.push_screen(LeaderboardScreen(self.saves, self.deck_id, self.deck_title))
