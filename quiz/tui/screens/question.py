"""The question screen: one question at a time, then the answer explained."""

from __future__ import annotations

from collections.abc import Callable

from textual.app import ComposeResult
from textual.binding import Binding
from textual.containers import Horizontal, Vertical, VerticalScroll
from textual.content import Content
from textual.message import Message
from textual.reactive import reactive
from textual.screen import Screen
from textual.timer import Timer
from textual.widgets import Label, ProgressBar, Static

from quiz.game.play import Answer, Game, Match
from quiz.text import clean
from quiz.tui.widgets.choices import ChoiceList
from quiz.tui.widgets.footer import Footer
from quiz.tui.widgets.status import DeckBar, short

# Each binding's tooltip is its line in the help (quiz/tui/keys.py).
NEXT = "next question, after an answer"
QUIT = "quit the game (asks first; the game is kept)"


class QuestionScreen(Screen[None]):
    """Asks the questions, player by player in a hot-seat match; posts `Over` when it is over."""

    BINDINGS = [
        Binding("enter", "next", "Next", priority=False, tooltip=NEXT),
        Binding("space", "next", "Next", show=False, tooltip=NEXT),
        Binding("escape", "app.request_quit", "Quit", tooltip=QUIT),
        Binding("q", "app.request_quit", "Quit", show=False, tooltip=QUIT),
    ]

    class Answered(Message):
        """A question was answered (or timed out): the app saves the game."""

        def __init__(self, game: Game) -> None:
            super().__init__()
            self.game = game

    class Over(Message):
        """The match is over: the app shows the results."""

        def __init__(self, screen: QuestionScreen, match: Match) -> None:
            super().__init__()
            self.screen = screen
            self.match = match

    # The choices take the keys from the start: Textual's default would focus the
    # first focusable widget (the scrolling body), and _open then moves focus
    # again, restyling twice before the first frame.
    AUTO_FOCUS = "#choices"

    answered: reactive[bool] = reactive(False, init=False)

    def __init__(self, match: Match, clock: Callable[[], float]) -> None:
        super().__init__()
        self.match = match
        self.clock = clock
        self.game: Game = match.current
        self._started = 0.0
        self._paused_at: float | None = None
        self._ticker: Timer | None = None
        self._scoreline = ""  # the score line as last shown
        self._over = False  # Over was posted

    def compose(self) -> ComposeResult:
        # The first question is composed with the screen, so the first frame shows it
        # whole; show_question puts each later one in the same widgets.
        game = self.game
        self._scoreline = self._scoreline_text(game.timer)
        yield DeckBar(game.deck_title, self._who_and_code())
        with Vertical(id="scoreline"):
            label = Label(Content(self._scoreline), id="progress-label")
            if self.game.timer:  # the countdown beside the score line
                with Horizontal(id="scoreline-top"):
                    yield label
                    yield ProgressBar(
                        total=self.game.timer,
                        show_eta=False,
                        show_percentage=False,
                        id="countdown",
                    )
            else:
                yield label
            yield ProgressBar(
                total=self.game.count, show_eta=False, show_percentage=False, id="progress"
            )
        with VerticalScroll(id="body"):
            yield Static(Content(clean(game.current.prompt)), id="prompt", markup=False)
            yield ChoiceList(game.current.choices, id="choices")
            feedback = Static(id="feedback", markup=False)
            feedback.display = False  # until the question is answered (watch_answered)
            yield feedback
        yield Footer()

    def on_mount(self) -> None:
        self._open()
        if self.game.timer:
            self._ticker = self.set_interval(0.2, self._tick)

    # -- attributes down

    def _who_and_code(self) -> str:
        name = short(self.game.player, 40)
        who = name if self.match.solo else f"{name}'s turn"
        team = next((t for t, ms in self.match.teams.items() if self.game.player in ms), None)
        if team is not None:
            who = f"Team {short(team, 30)} \u00b7 {who}"
        if self.game.mode == "review":
            who = f"Review round \u00b7 {who}"
        return f"{who} \u00b7 code {self.game.seed}"

    def show_question(self) -> None:
        self.game = game = self.match.current
        question = game.current
        self.query_one(DeckBar).context = self._who_and_code()
        self.answered = False
        self.query_one("#prompt", Static).update(Content(clean(question.prompt)))
        self.query_one("#choices", ChoiceList).ask(question.choices)
        self._open()

    def _open(self) -> None:
        """The question on screen is open: its choices take the keys and its clock starts."""
        self.query_one("#choices", ChoiceList).focus()
        self.query_one("#progress", ProgressBar).update(progress=self.game.index)
        self._started = self.clock()
        self._update_scoreline()

    def _scoreline_text(self, left: float | None) -> str:
        """The score line; ``left`` is the timer's seconds left, None once answered."""
        game = self.game
        word = "Review" if game.mode == "review" else "Question"
        parts = [
            f"{word} {game.index if self.answered else game.index + 1}/{game.count}",
            f"Score {game.score}",
            f"Streak {game.streak}",
        ]
        if game.timer and left is not None:
            parts.append(f"Time {left:.0f}s")
        return "   ".join(parts)

    def _update_scoreline(self) -> None:
        game = self.game
        left: float | None = None
        if game.timer:
            left = 0 if self.answered else max(0, game.timer - (self.clock() - self._started))
            self.query_one("#countdown", ProgressBar).update(progress=left)
        text = self._scoreline_text(None if self.answered else left)
        if text != self._scoreline:  # the timer ticks 5 times a second; the text changes once
            self._scoreline = text
            self.query_one("#progress-label", Label).update(Content(text))

    def _tick(self) -> None:
        if self.answered or self.match.finished or self._paused_at is not None:
            return
        self._update_scoreline()
        if self.game.time_up(self.clock() - self._started):
            self._record(None)

    def watch_answered(self, answered: bool) -> None:
        """Answered: the choices lock, the feedback shows and Next appears; a new question undoes it."""
        self.refresh_bindings()
        self.query_one("#choices", ChoiceList).disabled = answered
        feedback = self.query_one("#feedback", Static)
        feedback.display = answered
        if answered:
            self.focus()
        else:
            feedback.update("")

    # -- messages up from the choice list

    def on_choice_list_picked(self, message: ChoiceList.Picked) -> None:
        message.stop()
        if not self.answered:
            self._record(message.index)

    def _record(self, choice: int | None) -> None:
        game = self.game
        question = game.current
        result = game.answer(choice, self.clock() - self._started)
        self.answered = True
        self.query_one("#choices", ChoiceList).revealed = (question.answer, choice)
        self._show_feedback(result, question.right, question.explanation, question.source)
        self.query_one("#progress", ProgressBar).update(progress=game.index)
        self._update_scoreline()
        self.post_message(self.Answered(game))

    def _show_feedback(self, result: Answer, right: str, explanation: str, source: str) -> None:
        """The game's verdict on the answer, as it judged it: this screen only shows it."""
        if result.correct:
            points = result.breakdown
            parts = [f"{points.base} base"] if points else []
            if points and points.speed:
                parts.append(f"{points.speed} speed")
            if points and points.streak:
                parts.append(f"{points.streak} streak")
            verdict = Content.assemble(
                ("\u2713 Right!", "bold $success"),
                f"  +{result.points} points",
                (f" ({' + '.join(parts)})" if parts else "", "$text-muted"),
            )
        elif result.timed_out:
            verdict = Content.assemble(
                ("\u2717 Time's up.", "bold $error"), "  The answer is: ", (clean(right), "bold")
            )
        else:
            verdict = Content.assemble(
                ("\u2717 Wrong.", "bold $error"), "  The answer is: ", (clean(right), "bold")
            )
        if self.match.finished:
            more = "See your results"
        elif self.match.solo:
            more = "Next question"
        else:
            more = f"{short(self.match.current.player, 40)}'s turn"
        feedback = self.query_one("#feedback", Static)
        feedback.update(
            Content("\n").join(
                [
                    verdict,
                    Content(clean(explanation, allow_newlines=True)),
                    Content.assemble(("Source: ", "italic"), Content(clean(source))).stylize(
                        "$text-muted"
                    ),
                    Content.assemble(("Enter", "bold"), " or ", ("Space", "bold"), f": {more}"),
                ]
            )
        )
        feedback.set_class(result.correct, "right")
        feedback.set_class(not result.correct, "wrong")
        # After the next layout, so the end is where the feedback's last line now is;
        # and once more after the layout after that: the scrollbar that appears
        # narrows the text, which may wrap onto more lines (60x20 at the limits).
        body = self.query_one("#body", VerticalScroll)

        def to_end() -> None:
            body.scroll_end(animate=False)
            self.call_after_refresh(body.scroll_end, animate=False)

        self.call_after_refresh(to_end)

    # -- the timer stops while another screen (help, the quit dialog) is on top

    def on_screen_suspend(self) -> None:
        if self._paused_at is None:
            self._paused_at = self.clock()

    def on_screen_resume(self) -> None:
        if self._paused_at is not None:
            if not self.answered:
                self._started += self.clock() - self._paused_at
            self._paused_at = None
            if self.is_mounted and not self.match.finished:
                self._update_scoreline()

    # -- actions

    def check_action(self, action: str, parameters: tuple[object, ...]) -> bool | None:
        """Next shows in the footer only once the question is answered."""
        if action == "next":
            return self.answered
        return True

    def action_next(self) -> None:
        if not self.answered:
            return
        if self.match.finished:
            if self._over:  # a second Enter before the results are up
                return
            self._over = True
            if self._ticker is not None:
                self._ticker.stop()
            self.post_message(self.Over(self, self.match))
        else:
            self.show_question()
