"""The question screen: one question at a time, then the answer explained."""

from __future__ import annotations

from textual.app import ComposeResult
from textual.binding import Binding
from textual.containers import Vertical, VerticalScroll
from textual.content import Content
from textual.reactive import reactive
from textual.screen import Screen
from textual.timer import Timer
from textual.widgets import Footer, Label, ProgressBar, Static

from quiz.game import Answer, Game, Match
from quiz.text import clean
from quiz.tui.widgets.choices import ChoiceList
from quiz.tui.widgets.status import DeckBar


class QuestionScreen(Screen[Match]):
    """Asks the questions, player by player in a hot-seat match; dismisses with the match when it is over."""

    BINDINGS = [
        Binding("enter", "next", "Next", show=False, priority=False),
        Binding("space", "next", "Next", show=False),
        Binding("escape", "quit_game", "Quit"),
        Binding("q", "quit_game", "Quit", show=False),
    ]

    answered: reactive[bool] = reactive(False, init=False)

    def __init__(self, match: Match) -> None:
        super().__init__()
        self.match = match
        self.game: Game = match.current
        self._started = 0.0
        self._ticker: Timer | None = None

    def compose(self) -> ComposeResult:
        yield DeckBar(self.game.deck_title, self._who_and_code())
        with Vertical(id="scoreline"):
            yield Label(id="progress-label")
            yield ProgressBar(
                total=self.game.count, show_eta=False, show_percentage=False, id="progress"
            )
        with VerticalScroll(id="body"):
            yield Static(id="prompt", markup=False)
            yield ChoiceList(id="choices")
            yield Static(id="feedback", markup=False)
        yield Footer()

    def on_mount(self) -> None:
        self.show_question()
        if self.game.timer:
            self._ticker = self.set_interval(0.2, self._tick)

    # -- attributes down

    def _who_and_code(self) -> str:
        name = clean(self.game.player)[:40]
        who = name if self.match.solo else f"{name}'s turn"
        return f"{who} \u00b7 code {self.game.seed}"

    def show_question(self) -> None:
        self.game = game = self.match.current
        question = game.current
        self.query_one(DeckBar).context = self._who_and_code()
        self.answered = False
        self.query_one("#prompt", Static).update(Content(clean(question.prompt)))
        choices = self.query_one("#choices", ChoiceList)
        choices.ask(question.choices)
        choices.focus()
        feedback = self.query_one("#feedback", Static)
        feedback.update("")
        feedback.display = False
        self.query_one("#progress", ProgressBar).update(progress=game.index)
        self._started = self.app.clock()  # type: ignore[attr-defined]
        self._update_scoreline()

    def _update_scoreline(self) -> None:
        game = self.game
        parts = [
            f"Question {game.index if self.answered else game.index + 1}/{game.count}",
            f"Score {game.score}",
            f"Streak {game.streak}",
        ]
        if game.timer and not self.answered:
            left = max(0, game.timer - (self.app.clock() - self._started))  # type: ignore[attr-defined]
            parts.append(f"Time {left:.0f}s")
        self.query_one("#progress-label", Label).update(Content("   ".join(parts)))

    def _tick(self) -> None:
        if self.answered or self.match.finished:
            return
        self._update_scoreline()
        if self.app.clock() - self._started > (self.game.timer or 0):  # type: ignore[attr-defined]
            self._record(None)

    # -- messages up from the choice list

    def on_choice_list_picked(self, message: ChoiceList.Picked) -> None:
        message.stop()
        if not self.answered:
            self._record(message.index)

    def _record(self, choice: int | None) -> None:
        game = self.game
        question = game.current
        seconds = self.app.clock() - self._started  # type: ignore[attr-defined]
        result = game.answer(choice, seconds)
        self.answered = True
        choices = self.query_one("#choices", ChoiceList)
        choices.revealed = (question.answer, choice)
        choices.disabled = True
        self._show_feedback(result, question.right, question.explanation, question.source)
        self.query_one("#progress", ProgressBar).update(progress=game.index)
        self._update_scoreline()
        self.app.save_game(game)  # type: ignore[attr-defined]
        self.focus()

    def _show_feedback(self, result: Answer, right: str, explanation: str, source: str) -> None:
        if result.correct:
            verdict = Content.assemble(
                ("\u2713 Right!", "bold $success"), f"  +{result.points} points"
            )
        elif result.choice is None:
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
            more = f"{clean(self.match.current.player)[:40]}'s turn"
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
        feedback.display = True
        feedback.set_class(result.correct, "right")
        feedback.set_class(not result.correct, "wrong")
        self.query_one("#body", VerticalScroll).scroll_end(animate=False)

    # -- actions

    def action_next(self) -> None:
        if not self.answered:
            return
        if self.match.finished:
            if self._ticker is not None:
                self._ticker.stop()
            self.dismiss(self.match)
        else:
            self.show_question()

    def action_quit_game(self) -> None:
        self.app.action_request_quit()  # type: ignore[attr-defined]
