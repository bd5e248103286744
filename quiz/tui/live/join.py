"""`quiz join`: a player in a terminal, for a live room. Keys 1-4 / a-d, as in `quiz play`;
a typed answer, a number or an order's letters (cab) in an answer line, read as
`quiz play` reads them (quiz.game.judge.parse_answer).

The socket lives in a worker in Textual's event loop; each frame from the
room updates the one screen. A dropped connection rejoins with the token.
"""

from __future__ import annotations

import asyncio
import math
import time
from typing import Any

from textual import on, work
from textual.app import App, ComposeResult
from textual.binding import Binding
from textual.containers import Vertical, VerticalScroll
from textual.content import Content
from textual.widgets import Button, ContentSwitcher, Footer, Input, Label, Static

from quiz.game.judge import Given, close_line, parse_answer, what_to_type
from quiz.questions.question import Question
from quiz.room import protocol, tokens
from quiz.room.client import (
    HOST_CLOSED,
    ON_HOST_SCREEN,
    board_title,
    chosen,
    closed_by_host,
    connect,
    connect_failure,
    done_line,
    end_tally,
    homework_line,
    picks_line,
    points_line,
    refusal,
    retry_delay,
    round_line,
    shown_range,
    stand_in,
    teams_line,
    top_line,
    unchosen_lines,
    verdict,
    waiting,
    ws_url,
)
from quiz.room.client import session as client_session
from quiz.room.protocol import read as read_frame
from quiz.text import clean, plural
from quiz.tui.widgets.answer import AnswerInput, Hint
from quiz.tui.widgets.choices import ChoiceList

RETRY_SECONDS = 300.0  # a host restarting with --resume takes a while


class JoinApp(App[int]):
    """One player's view of a live room."""

    TITLE = "quiz join"
    CSS = """
    #bar { height: 1; background: $primary; padding: 0 1; }
    #views { height: 1fr; }
    #form { padding: 1 2; height: auto; }
    #form Input { width: 40; margin-bottom: 1; }
    #body { padding: 0 2; }
    #status { height: auto; margin: 1 0; }
    #prompt { text-style: bold; margin-bottom: 1; }
    #after { height: auto; margin-top: 1; }
    #teams { height: auto; margin-top: 1; }
    #items { height: auto; margin-bottom: 1; }
    #answer { width: 1fr; max-width: 60; }
    """
    BINDINGS = [
        Binding("ctrl+q", "quit", "Quit", priority=True),
        Binding("ctrl+c", "quit", "Quit", priority=True, show=False),
        Binding("n,enter", "next", "Next question"),  # self-paced, at a reveal
    ]

    def __init__(
        self, url: str, *, code: str | None = None, name: str | None = None, team: str | None = None
    ) -> None:
        super().__init__()
        self.team = team  # the team asked for (`quiz join --team`); then the one the room says
        self.page, self.ws_url, from_url = ws_url(url)
        self.code = code or from_url
        self.player = name
        self.token: str | None = None
        self.failure: str | None = None
        self.ws: Any = None
        self.number = 0
        self.choices: list[str] = []
        self.timed = False
        self.tries = 0  # tries to rejoin since the last welcome
        self.sent: tuple[int, int] | None = None  # (question, choice) sent, not yet confirmed
        self.picked: tuple[int, int] | None = None  # (question, choice) the room confirmed
        self.answered = 0  # the last question the room says this player answered
        # The last few questions asked (prompt, choices), by number: a reveal repeats its
        # question even when the connection came back after the question had closed.
        self.asked: dict[int, tuple[str, list[str]]] = {}
        # The open (or last) question as a stand-in (quiz.room.client.stand_in), by number.
        self.question: tuple[int, Question] | None = None
        self.self_paced = False  # self-paced homework: n or Enter at a reveal, the next now
        self.at_reveal = False
        # The open question's heading and when its time is up (self.clock's seconds), so the
        # time left counts down as on the phone and the projector; None: untimed or closed.
        self.clock = time.monotonic
        self.heading: tuple[str, str] = ("", "")
        self.deadline: float | None = None
        self.shown_left: int | None = None
        self.team_choices: list[str] = []  # self-paced homework: the teams to pick from
        self.kept: str | None = None  # the token an earlier `quiz join` kept (quiz.room.tokens)

    def compose(self) -> ComposeResult:
        yield Static(Content(clean(f"quiz join \u00b7 {self.page}")), id="bar", markup=False)
        with ContentSwitcher(initial="form", id="views"):
            with Vertical(id="form"):
                yield Label("Room code")
                yield Input(value=self.code or "", max_length=6, id="code", restrict=r"[0-9]*")
                yield Label("Your name")
                yield Input(value=self.player or "", max_length=40, id="name")
                yield Button("Join", id="join", variant="primary")
                yield Static(id="form-error", markup=False)
            with VerticalScroll(id="body"):
                yield Static(id="status", markup=False)
                yield Static(id="prompt", markup=False)
                yield ChoiceList(id="choices")
                yield Static(id="items", markup=False)
                yield AnswerInput(id="answer")
                yield Hint(id="hint")
                yield Static(id="after", markup=False)
                yield Static(id="teams", markup=False)
        yield Footer()

    def on_mount(self) -> None:
        self.set_interval(0.25, self._tick)
        self._answer_line(False)
        self.query_one("#choices").display = False
        if self.code and self.player:
            self.start()
        else:
            self.query_one("#code" if not self.code else "#name", Input).focus()

    # -- joining

    @on(Input.Submitted, "#code")
    def _code_entered(self) -> None:
        self.query_one("#name", Input).focus()

    @on(Input.Submitted, "#name")
    @on(Button.Pressed, "#join")
    def _join_from_form(self) -> None:
        self.code = self.query_one("#code", Input).value.strip()
        self.player = self.query_one("#name", Input).value.strip()
        if not self.code or not self.player:
            self.query_one("#form-error", Static).update("Type the room code and your name.")
            return
        self.start()

    def start(self) -> None:
        # A token kept by an earlier `quiz join` with this name and code (quiz.room.tokens).
        self.kept, note = tokens.take(self.ws_url, self.code or "", self.player or "")
        if note:
            self.notify(f"quiz: {note}", severity="warning", markup=False)
        self.query_one(ContentSwitcher).current = "body"
        self._status(f"Joining room {self.code}\u2026")
        self.connect()

    def _status(self, text: str | Content) -> None:
        self.query_one("#status", Static).update(
            text if isinstance(text, Content) else Content(clean(text))
        )

    @work(exclusive=True)
    async def connect(self) -> None:
        import aiohttp

        loop = asyncio.get_running_loop()
        give_up = loop.time() + RETRY_SECONDS
        async with client_session() as session:
            while True:
                closed: int | None = None
                busy = False
                try:
                    async with await connect(session, self.ws_url) as ws:
                        self.ws = ws
                        await ws.send_str(
                            protocol.join(
                                self.code, self.player, self.token or self.kept, self.team
                            )
                        )
                        async for msg in ws:
                            if msg.type != aiohttp.WSMsgType.TEXT:
                                break
                            frame = read_frame(
                                msg.data
                            )  # checked, bounded, display-safe (quiz.room.protocol)
                            if frame is None:
                                continue
                            if self.on_frame(frame):
                                return
                        closed = ws.close_code
                except (aiohttp.ClientError, OSError) as exc:
                    message = connect_failure(exc, self.page)
                    if self.token is None and (message is not None or loop.time() > give_up):
                        self._back_to_form(message or "The room stayed too busy to join.")
                        return
                    busy = message is None
                finally:
                    self.ws = None
                if closed_by_host(closed):
                    self._room_closed()
                    return
                if self.tries == 0:  # the five minutes count from this drop, not from the start
                    give_up = loop.time() + RETRY_SECONDS
                if busy and self.token is None:
                    self._status("The room has too many connections; trying again\u2026")
                elif self.token is None or loop.time() > give_up:
                    self._status("Lost the connection to the room. Ctrl+Q quits.")
                    return
                else:
                    self._away()
                await asyncio.sleep(retry_delay(self.tries))
                self.tries += 1

    def _show_heading(self) -> None:
        """The open question's heading with the time left: "Question 1/4 · 12 seconds"."""
        left = None if self.deadline is None else max(0, math.ceil(self.deadline - self.clock()))
        self.shown_left = left
        timer = f" \u00b7 {plural(left, 'second')}" if left is not None else ""
        self._status(Content.assemble((self.heading[0], "bold"), timer, self.heading[1]))

    def _tick(self) -> None:
        """Count the open question's time down, once a second as it changes."""
        if self.deadline is None or self.ws is None:
            return
        left = max(0, math.ceil(self.deadline - self.clock()))
        if left != self.shown_left:
            self._show_heading()

    def _away(self) -> None:
        """The room cannot be reached: say so, and take the choices out of reach until it is back."""
        self._status(
            Content.assemble(("Connection lost. ", "bold $error"), "Rejoining by itself\u2026")
        )
        self.query_one("#choices", ChoiceList).disabled = True
        self.query_one("#answer", AnswerInput).disabled = True

    def _answer_line(self, shown: bool, items: bool = False) -> None:
        """Show or hide the answer line (typed, estimate, order), its hint and an order's items."""
        self.query_one("#answer").display = shown
        self.query_one("#hint").display = shown
        self.query_one("#items").display = items

    def _room_closed(self) -> None:
        """The host closed the room: nothing to rejoin, so say so and stop trying."""
        self.deadline = None
        self.query_one("#choices").display = False
        self._answer_line(False)
        self.query_one("#prompt", Static).update(Content.styled(HOST_CLOSED, "bold"))
        self._status(Content(""))
        self.query_one("#after", Static).update(Content("Ctrl+Q quits."))

    def _back_to_form(self, message: str) -> None:
        """Back to the form with what went wrong; quitting now says it again and exits 1."""
        self.failure = message
        self.query_one(ContentSwitcher).current = "form"
        self.query_one("#form-error", Static).update(Content(clean(message)))

    # -- frames from the room

    def on_frame(self, frame: dict[str, Any]) -> bool:
        """Show one frame; True when the game is over for this player."""
        kind = frame.get("type")
        after = self.query_one("#after", Static)
        if kind == "welcome":
            self.tries = 0
            self.failure = None
            if self.token != frame.get("token"):
                self.picked, self.answered = None, 0
            self.token = str(frame.get("token"))
            if self.kept != self.token and self.code and self.player:
                # Kept for the next `quiz join` with this name and code: back with the score.
                if note := tokens.keep(self.ws_url, self.code, self.player, self.token):
                    self.notify(f"quiz: {note}", severity="warning", markup=False)
                self.kept = self.token
            self.player = str(frame.get("name"))
            self.self_paced = bool(frame.get("self_paced"))
            if frame.get("team"):
                self.team = str(frame.get("team"))
            self._show_bar()
            self._status(
                Content.assemble(("You're in! ", "bold"), f"{waiting(frame)} Watch the big screen.")
                if self.number == 0
                else Content.styled("Back in the room.", "bold")
            )
            if self.self_paced and self.number == 0:
                self._status(Content.assemble(("You're in! ", "bold"), homework_line(frame)))
            teams = [clean(str(t)) for t in frame.get("teams") or []]
            if self.self_paced and frame.get("pick") and not frame.get("team") and teams:
                # Homework with teams to pick: the first question follows the pick.
                self.team_choices = teams
                self.query_one("#prompt", Static).update(Content.styled("Pick your team", "bold"))
                choices = self.query_one("#choices", ChoiceList)
                choices.display = True
                choices.ask(teams)
                choices.focus()
                after.update(Content("Arrows and Enter, or 1-4: your first question follows."))
        elif kind == "lobby":
            names = [clean(str(n)) for n in frame.get("players", [])]
            if self.number == 0:
                after.update(Content(f"{len(names)} in the room: {', '.join(names)}"))
        elif kind == "question":
            self._at_reveal(False)
            self.number = int(frame.get("question", 0))
            self.choices = [str(c) for c in frame.get("choices", [])]
            seconds = frame.get("seconds")
            self.timed = seconds is not None
            self.asked[self.number] = (str(frame.get("prompt", "")), self.choices)
            for old in [n for n in self.asked if n < self.number - 2]:
                del self.asked[old]
            self.heading = (
                f"Question {self.number}/{frame.get('count')}",
                f" \u00b7 {round_line({**frame, 'title': ''})}"
                if (frame.get("rounds") or 1) > 1
                else "",
            )
            # From the seconds this player has left (a rejoin mid-question gets fewer).
            self.deadline = self.clock() + int(seconds) if seconds else None
            self.shown_left = None
            self._show_heading()
            self.query_one("#teams", Static).update(Content(""))
            prompt = clean(str(frame.get("prompt", "")))
            self.query_one("#prompt", Static).update(
                Content(prompt) if prompt else Content.styled(ON_HOST_SCREEN, "italic")
            )
            question = stand_in(frame)
            self.question = (self.number, question)
            choices = self.query_one("#choices", ChoiceList)
            choices.display = not question.unchosen
            if question.unchosen:
                self._ask_unchosen(question)
                after.update(Content(""))
            else:
                self._answer_line(False)
                choices.ask(self.choices)
                choices.focus()
                after.update(Content("Keys 1-4 or a-d, or arrows and Enter."))
        elif kind == "answered":
            self.answered = int(frame.get("question", 0))
            if self.sent is not None and self.sent[0] == self.answered:
                self.picked = self.sent
            choices = self.query_one("#choices", ChoiceList)
            choices.disabled = True
            self.query_one("#answer", AnswerInput).disabled = True
            if self.picked is not None and self.picked[0] == self.number:
                choices.highlighted = self.picked[1]
            after.update(Content.assemble(("Locked in. ", "bold"), "Waiting for the others\u2026"))
        elif kind == "reveal":
            self.deadline = None
            self._reveal(frame)
            self._at_reveal(self.self_paced)
        elif kind == "leaderboard":
            self._status(Content.assemble((f"{board_title(frame)}: ", "bold"), top_line(frame)))
        elif kind == "round":
            self.deadline = None
            self.query_one("#choices").display = False
            self._answer_line(False)
            self.query_one("#prompt", Static).update(Content.styled(round_line(frame), "bold"))
            after.update(Content("Watch the big screen: the round's first question comes next."))
        elif kind == "team":
            self.team = str(frame.get("team"))
            self.team_choices = []
            self._show_bar()
        elif kind == "teams":
            # A line of its own: in a paced team room it follows each reveal, which stays.
            self.query_one("#teams", Static).update(
                Content.assemble(("Teams: ", "bold"), teams_line(frame, self.team))
            )
        elif kind == "end" and frame.get("final") is False:
            self.deadline = None
            self._at_reveal(False)
            self.query_one("#choices").display = False
            self._answer_line(False)
            self.query_one("#prompt", Static).update(Content.styled("All done!", "bold"))
            self._status(Content(done_line(frame)))
            after.update(Content("Stay for the results, or Ctrl+Q: your answers are kept."))
        elif kind == "end":
            self.deadline = None
            tokens.forget(self.ws_url, self.code or "", self.player or "")  # the game is over
            self._at_reveal(False)
            self.query_one("#choices").display = False
            self._answer_line(False)
            self.query_one("#prompt", Static).update(Content.styled("Game over", "bold"))
            podium = "\n".join(
                f"  {t.get('place')}. {clean(str(t.get('name')))}  {t.get('score')}"
                for t in frame.get("podium", [])
            )
            self._status(
                Content.assemble(
                    (f"Place {frame.get('rank')}", "bold"),
                    f" \u00b7 score {frame.get('score')} \u00b7 {end_tally(frame)}",
                )
            )
            after.update(Content(f"Podium\n{podium}\n\nCtrl+Q quits."))
            return True
        elif kind == "error":
            message, fatal = refusal(frame, joined=self.token is not None)
            if fatal:
                self.token = None
                self._back_to_form(message)
                return True
            self.notify(message, severity="warning", markup=False)
        return False

    def _show_bar(self) -> None:
        team = f" \u00b7 {clean(self.team)}" if self.team else ""
        self.query_one("#bar", Static).update(
            Content(f"quiz join \u00b7 {clean(self.player or '')}{team} \u00b7 room {self.code}")
        )

    def _reveal(self, frame: dict[str, Any]) -> None:
        """The verdict, the question again with the player's pick and the answer, and why."""
        if frame.get("kind") in ("typed", "estimate", "order"):
            self._reveal_unchosen(frame)
            return
        self._answer_line(False)
        number = int(frame.get("question", 0))
        answer = int(frame.get("answer") or 0)
        choices = self.query_one("#choices", ChoiceList)
        known = self.asked.get(number)
        if known is not None and number != self.number:  # back after the question closed
            self.number, self.choices = number, known[1]
            self.query_one("#prompt", Static).update(Content(clean(known[0])))
            choices.display = True
            choices.ask(self.choices)
        shown = known is not None  # else joined during the reveal: no question to repeat
        mine = self.picked[1] if self.picked is not None and self.picked[0] == number else None
        pick, answered = chosen(frame, mine, self.answered == number)
        if shown:
            choices.revealed = (answer, pick)
            choices.disabled = True
        else:
            self.query_one("#prompt", Static).update(Content(""))
            choices.display = False
        correct = bool(frame.get("correct"))
        said = verdict(correct, answered, self.timed)
        style = "bold $success" if correct else "bold $error" if answered else "bold $warning"

        lines = [
            Content.assemble((said, style), f"  {points_line(frame)}"),
            Content(picks_line(answer, pick, answered, self.choices if shown else [])),
            *self._standing(frame),
            *self._next_lines(),
        ]
        self.query_one("#after", Static).update(Content("\n").join(lines))
        self._read_reveal()

    def _read_reveal(self) -> None:
        """The reveal can be longer than a small terminal (an order's at 60x20): the keys
        scroll it (Up/Down, PageUp/PageDown, Home/End), as the answer line had the focus."""
        self.query_one("#body", VerticalScroll).focus()

    def _next_lines(self) -> list[Content]:
        """Self-paced: how to go on from a reveal."""
        if not self.self_paced:
            return []
        return [
            Content(""),
            Content.assemble(
                ("n or Enter: ", "bold"), "the next question now (it comes by itself soon)."
            ),
        ]

    def _at_reveal(self, on: bool) -> None:
        self.at_reveal = on
        self.refresh_bindings()

    def check_action(self, action: str, parameters: tuple[object, ...]) -> bool | None:
        """Next is for a self-paced player at a reveal only."""
        if action == "next":
            return self.self_paced and self.at_reveal
        return True

    def action_next(self) -> None:
        if self.ws is None or not (self.self_paced and self.at_reveal):
            return
        self._at_reveal(False)
        self.run_worker(self.ws.send_str(protocol.next_question()))

    @staticmethod
    def _standing(frame: dict[str, Any]) -> list[Content]:
        """A reveal's last lines: score and place, why, and the source."""
        return [
            Content(
                f"Score {frame.get('score')} \u00b7 place {frame.get('rank')} of {frame.get('players')}"
            ),
            Content(clean(str(frame.get("explanation", "")))),
            Content.styled(f"Source: {clean(str(frame.get('source', '')))}", "italic $text-muted"),
        ]

    def _reveal_unchosen(self, frame: dict[str, Any]) -> None:
        """A typed, estimate or order reveal: what the player gave, how close, the answer."""
        number = int(frame.get("question", 0))
        known = self.question[1] if self.question and self.question[0] == number else None
        self.query_one("#choices").display = False
        self._answer_line(False, items=known is not None and known.kind == "order")
        if known is None:  # joined during the reveal: no question to repeat
            self.query_one("#prompt", Static).update(Content(""))
        else:
            self.query_one("#prompt", Static).update(Content(known.prompt))
        correct = bool(frame.get("correct"))
        answered = correct or frame.get("given") is not None
        credit = frame.get("credit")
        said = verdict(correct, answered, self.timed, credit)
        style = (
            "bold $success"
            if correct
            else "bold $warning"
            if credit or not answered
            else "bold $error"
        )
        yours, answer = unchosen_lines(frame, known)
        lines = [
            Content.assemble((said, style), f"  {points_line(frame)}"),
            Content(yours),
            Content(answer),
            *self._standing(frame),
            *self._next_lines(),
        ]
        self.query_one("#after", Static).update(Content("\n").join(lines))
        self._read_reveal()

    # -- answering

    def _ask_unchosen(self, question: Question) -> None:
        """Open the answer line for a typed answer, a number or an order's letters."""
        items = self.query_one("#items", Static)
        if question.kind == "order":
            items.update(
                Content(
                    "\n".join(
                        f"{chr(ord('a') + k)}) {text}" for k, text in enumerate(question.choices)
                    )
                )
            )
        self._answer_line(True, items=question.kind == "order")
        line = self.query_one("#answer", AnswerInput)
        placeholder = {"typed": "Your answer", "estimate": "A number"}.get(
            question.kind, "The letters in your order"
        )
        line.ask(placeholder)
        line.disabled = self.ws is None
        words = " ".join(
            w for w in (what_to_type(question), shown_range(question), close_line(question)) if w
        )
        self.query_one("#hint", Hint).say(f"{words} Enter answers.")
        line.focus()

    @on(Input.Submitted, "#answer")
    def _answer_typed(self, event: Input.Submitted) -> None:
        event.stop()
        if self.ws is None or self.question is None or self.question[0] != self.number:
            return
        question = self.question[1]
        given = parse_answer(question, event.value)
        if isinstance(given, str):
            self.query_one("#hint", Hint).say(f"Try again: {given}", retry=True)
            return
        self._send(given)

    def _send(self, given: Given) -> None:
        assert self.ws is not None
        self.query_one("#answer", AnswerInput).disabled = True
        frame = protocol.answer(
            self.number, given.choice, text=given.text, value=given.value, order=given.order
        )
        self.run_worker(self.ws.send_str(frame))

    def on_choice_list_picked(self, message: ChoiceList.Picked) -> None:
        message.stop()
        if self.ws is None:
            return
        if self.team_choices and self.number == 0:  # self-paced: the team, before question 1
            if 0 <= message.index < len(self.team_choices):
                self.query_one("#choices", ChoiceList).disabled = True
                team = self.team_choices[message.index]
                self.run_worker(self.ws.send_str(protocol.pick_team(team)))
            return
        choices = self.query_one("#choices", ChoiceList)
        choices.highlighted = message.index
        choices.disabled = True
        self.sent = (self.number, message.index)
        self.run_worker(self.ws.send_str(protocol.answer(self.number, message.index)))
