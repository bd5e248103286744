"""The question screen: one question at a time, then the answer explained."""

from __future__ import annotations

from collections.abc import Callable, Sequence
from typing import TYPE_CHECKING

from textual import events
from textual.app import ComposeResult
from textual.binding import Binding
from textual.containers import Horizontal, Vertical, VerticalScroll
from textual.content import Content
from textual.message import Message
from textual.reactive import reactive
from textual.screen import Screen
from textual.timer import Timer
from textual.widgets import Label, ProgressBar, Static

from quiz.game.judge import (
    close_line,
    estimate_line,
    given_text,
    order_line,
    parse_answer,
    range_line,
    what_to_type,
)
from quiz.game.play import Answer, Game, Match, given_label
from quiz.questions.question import Question
from quiz.text import clean
from quiz.tui.widgets.choices import ChoiceList
from quiz.tui.widgets.footer import Footer
from quiz.tui.widgets.status import DeckBar, short

if TYPE_CHECKING:
    from textual.widgets import Input

    from quiz.tui.widgets.answer import AnswerInput, Hint
    from quiz.tui.widgets.order import OrderList

# Each binding's tooltip is its line in the help (quiz/tui/keys.py).
NEXT = "next question, after an answer"
QUIT = "quit the game (asks first; the game is kept)"
# The forms answered by typing a line, and the one answered by putting items in order.
TYPED_FORMS = ("typed", "estimate")
ORDER_HINT = "First at the top. Type the letters in order, or Space and Up/Down to move one."
# After time runs out, keys are let through only once this long has passed: a key
# pressed for the question as the timer ended (a letter, Space, Enter) must not
# skip the answer's reveal, answer the next question or open the quit dialog.
HOLD_SECONDS = 1.0


def letters(order: Sequence[int]) -> str:
    """An order as the items' letters, as the order list labels them: "B C A D"."""
    return " ".join(chr(ord("A") + k) for k in order)


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

    # The answer widget (the choices, the answer line or the order list, whichever
    # has the class) takes the keys from the start: Textual's default would focus
    # the first focusable widget (the scrolling body), and _open then moves focus
    # again, restyling twice before the first frame.
    AUTO_FOCUS = ".asking"

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
        self._hold_until = 0.0  # keys wait until then (time ran out: HOLD_SECONDS)
        # The forms this match asks: the input and the order list are built only if it
        # asks them (their widgets load with them, not before the first question).
        kinds = {q.kind for g in match.games for q in g.questions}
        self._typing = any(kind in TYPED_FORMS for kind in kinds)
        self._ordering = "order" in kinds

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
            question = game.current
            yield Static(Content(clean(question.prompt)), id="prompt", markup=False)
            choices = ChoiceList(() if question.unchosen else question.choices, id="choices")
            choices.display = not question.unchosen
            choices.set_class(choices.display, "asking")
            yield choices
            if self._typing or self._ordering:
                from quiz.tui.widgets.answer import AnswerInput, Hint

                if self._typing:
                    line = AnswerInput(id="typed")
                    line.display = question.kind in TYPED_FORMS
                    line.set_class(line.display, "asking")
                    yield line
                if self._ordering:
                    from quiz.tui.widgets.order import OrderList

                    items = OrderList(id="order")
                    items.display = question.kind == "order"
                    items.set_class(items.display, "asking")
                    yield items
                hint = Hint(id="hint")
                hint.display = question.unchosen
                yield hint
            feedback = Static(id="feedback", markup=False)
            feedback.display = False  # until the question is answered (watch_answered)
            yield feedback
        yield Footer()

    def on_mount(self) -> None:
        self._ask(self.game.current)
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
        if self.game.review:
            who = f"Review round \u00b7 {who}"
        return f"{who} \u00b7 code {self.game.seed}"

    def show_question(self) -> None:
        self.game = game = self.match.current
        question = game.current
        self.query_one(DeckBar).context = self._who_and_code()
        self.answered = False
        self.query_one("#prompt", Static).update(Content(clean(question.prompt)))
        self._ask(question)
        self._open()

    @staticmethod
    def _answer_widget_id(question: Question) -> str:
        """The widget that takes the answer to ``question``."""
        if question.kind in TYPED_FORMS:
            return "typed"
        return "order" if question.kind == "order" else "choices"

    def _ask(self, question: Question) -> None:
        """Show the widget that takes this question's answer, open, and hide the others."""
        choices = self.query_one("#choices", ChoiceList)
        choices.display = not question.unchosen
        choices.set_class(choices.display, "asking")
        if not question.unchosen:
            choices.ask(question.choices)
        if self._typing:
            line = self._typed_input()
            line.display = question.kind in TYPED_FORMS
            line.set_class(line.display, "asking")
            if line.display:
                line.ask("Your answer" if question.kind == "typed" else "A number")
        if self._ordering:
            items = self._order_list()
            items.display = question.kind == "order"
            items.set_class(items.display, "asking")
            if items.display:
                items.ask(question.choices)
        if self._typing or self._ordering:
            hint = self._hint()
            hint.display = question.unchosen
            hint.say(self._hint_text(question))

    @staticmethod
    def _hint_text(question: Question) -> str:
        """The line under an open answer: what to type (and an estimate's range), then Enter."""
        if question.kind == "order":
            return f"{ORDER_HINT} Enter answers."
        # An estimate's range says what to type ("A number from 1st to 40th."); two
        # lines at 60 columns with what a near answer earns.
        words = [range_line(question) or what_to_type(question), close_line(question)]
        return " ".join([*filter(None, words), "Enter answers."])

    def _typed_input(self) -> AnswerInput:
        from quiz.tui.widgets.answer import AnswerInput

        return self.query_one("#typed", AnswerInput)

    def _order_list(self) -> OrderList:
        from quiz.tui.widgets.order import OrderList

        return self.query_one("#order", OrderList)

    def _hint(self) -> Hint:
        from quiz.tui.widgets.answer import Hint

        return self.query_one("#hint", Hint)

    def _open(self) -> None:
        """The question on screen is open: its answer widget takes the keys and its clock starts."""
        self.query_one(f"#{self._answer_widget_id(self.game.current)}").focus()
        self.query_one("#progress", ProgressBar).update(progress=self.game.index)
        self._started = self.clock()
        self._update_scoreline()

    def _scoreline_text(self, left: float | None) -> str:
        """The score line; ``left`` is the timer's seconds left, None once answered."""
        game = self.game
        word = "Review" if game.review else "Question"
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
            self._hold_until = self.clock() + HOLD_SECONDS
            self._record(None)

    def on_key(self, event: events.Key) -> None:
        """Keys pressed as time ran out are dropped, not taken as Next or quit."""
        if self.clock() < self._hold_until:
            event.stop()
            event.prevent_default()

    def watch_answered(self, answered: bool) -> None:
        """Answered: the choices lock, the feedback shows and Next appears; a new question undoes it."""
        self.refresh_bindings()
        self.query_one("#choices", ChoiceList).disabled = answered
        if self._typing:
            self._typed_input().disabled = answered
        if self._ordering:
            self._order_list().disabled = answered
        if answered and (self._typing or self._ordering):
            self._hint().display = False
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

    # -- messages up from the answer line and the order list

    def on_input_submitted(self, message: Input.Submitted) -> None:
        """A line typed: the answer if it is one, else the retry words and the question stays open."""
        message.stop()
        if self.answered or self.game.current.kind not in TYPED_FORMS:
            return
        given = parse_answer(self.game.current, message.value)
        if isinstance(given, str):
            self._hint().say(f"Try again: {given}", retry=True)
            return
        self._record(None, text=given.text, value=given.value)

    def on_order_list_ordered(self, message: OrderList.Ordered) -> None:
        message.stop()
        if not self.answered and self.game.current.kind == "order":
            self._record(None, order=message.order)

    def _record(
        self,
        choice: int | None,
        *,
        text: str | None = None,
        value: int | None = None,
        order: tuple[int, ...] | None = None,
    ) -> None:
        """Answer the question: what parse_answer (or a choice, or an order) gave; nothing: time ran out."""
        game = self.game
        question = game.current
        result = game.answer(
            choice, self.clock() - self._started, text=text, value=value, order=order
        )
        self.answered = True
        if question.kind == "order":
            self._order_list().revealed = tuple(question.order)
        elif not question.unchosen:
            self.query_one("#choices", ChoiceList).revealed = (question.answer, choice)
        self._show_feedback(result, question)
        self.query_one("#progress", ProgressBar).update(progress=game.index)
        self._update_scoreline()
        self.post_message(self.Answered(game))

    @staticmethod
    def _points(result: Answer) -> Content:
        """``  +750 points (500 base + 250 speed)``: what an answer earned, part by part."""
        parts = f" ({result.breakdown.words()})" if result.breakdown else ""
        return Content.assemble(f"  +{result.points} points", (parts, "$text-muted"))

    def _verdict(self, result: Answer, question: Question) -> list[Content]:
        """The verdict's lines: Right, Close (a near estimate, a partly right order), Wrong,
        Time's up or No answer; for the forms without choices, what was given and the answer."""
        right = clean(question.right)
        gave = given_text(question, result.text, result.value, result.order, result.choice)
        if question.kind == "order":
            # The items are on screen above, each with its letter and a mark: letters
            # say the two orders in a line each, where the texts took three at 60 columns.
            right = letters(question.order)
            gave = letters(result.order) if result.order is not None else ""
        credit = result.credit or 0.0
        if not question.unchosen:
            if result.correct:
                return [Content.assemble(("\u2713 Right!", "bold $success"), self._points(result))]
            word = "\u2717 Time's up." if result.timed_out else "\u2717 Wrong."
            return [Content.assemble((word, "bold $error"), "  The answer is: ", (right, "bold"))]
        how = ""  # how near an estimate or an order came
        if result.value is not None:
            how = estimate_line(question, result.value)
        elif result.order is not None:
            how = order_line(question, result.order)
        if result.correct:
            first = Content.assemble(("\u2713 Right!", "bold $success"), self._points(result))
        elif result.timed_out:
            first = Content.assemble(("\u2717 Time's up.", "bold $error"))
        elif not gave:
            first = Content.assemble(("\u2717 No answer.", "bold $error"))
        elif credit > 0:
            # "≈ Close: 1 place off." / "≈ Close: 2 of 3 pairs in order.": symbol and word.
            first = Content.assemble(
                (f"\u2248 Close: {how}", "bold $warning"), self._points(result)
            )
        else:
            first = Content.assemble(("\u2717 Wrong.", "bold $error"), f" {how}" if how else "")
        lines = [first]
        if gave:
            lines.append(Content.assemble(f"{given_label(question.kind)}: ", Content(clean(gave))))
        lines.append(Content.assemble("The answer: ", (right, "bold")))
        return lines

    def _show_feedback(self, result: Answer, question: Question) -> None:
        """The game's verdict on the answer, as it judged it: this screen only shows it."""
        explanation, source = question.explanation, question.source
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
                    *self._verdict(result, question),
                    Content(clean(explanation, allow_newlines=True)),
                    Content.assemble(("Source: ", "italic"), Content(clean(source))).stylize(
                        "$text-muted"
                    ),
                    Content.assemble(("Enter", "bold"), " or ", ("Space", "bold"), f": {more}"),
                ]
            )
        )
        near = not result.correct and (result.credit or 0.0) > 0
        feedback.set_class(result.correct, "right")
        feedback.set_class(near, "near")
        feedback.set_class(not result.correct and not near, "wrong")
        # After the next layout, so the end is where the feedback's last line now is;
        # and once more after the layout after that: the scrollbar that appears
        # narrows the text, which may wrap onto more lines (60x20 at the limits).

        self.call_after_refresh(self._feedback_to_end)

    def _feedback_to_end(self) -> None:
        """Scroll the answered question's body so its last line (Enter: next) shows."""
        body = self.query_one("#body", VerticalScroll)
        body.scroll_end(animate=False)
        self.call_after_refresh(body.scroll_end, animate=False)

    def on_resize(self, event: events.Resize) -> None:
        # Made smaller with the feedback showing, the last line would fall below the edge.
        if self.answered and self.is_mounted:
            self.call_after_refresh(self._feedback_to_end)

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
