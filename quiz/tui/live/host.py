"""`quiz host`: the host's screen for a live room, with the room's server in the same process.

The server (quiz.room.server) runs in Textual's own event loop and calls back
after every change; this screen only shows the room and passes the host's
keys on. Player names are data: shown as Content, never parsed as markup.
"""

from __future__ import annotations

import time
from collections.abc import Callable
from typing import Any

from textual import events
from textual.app import App, ComposeResult
from textual.binding import Binding
from textual.containers import Horizontal, Vertical, VerticalScroll
from textual.content import Content
from textual.geometry import Size
from textual.widgets import ContentSwitcher, Footer, OptionList, Static
from textual.widgets.option_list import Option

from quiz.questions.question import Question
from quiz.room.client import LETTERS, bar, movement
from quiz.room.forms import how_to_answer, tally
from quiz.room.homework import Homework, step_short, until_words
from quiz.room.net import start_failure
from quiz.room.steps import JUST_OPENED, JUST_REVEALED, boards, extra_said
from quiz.room.wire import RoomError
from quiz.text import clean, ordinal, plural
from quiz.tui.live.marks import NAME_SHOWN, chip, extra_mark, name, qr_text
from quiz.tui.live.picker import ExtraPicker


def texts(*ids: str) -> ComposeResult:
    """A Static for each id, of plain text: what the room shows is data, never markup."""
    for id_ in ids:
        yield Static(id=id_, markup=False)


class HostApp(App[int]):
    """The host's screen: lobby, question, reveal, end."""

    CSS_PATH = "host.tcss"
    TITLE = "quiz host"
    BINDINGS = [
        Binding("enter", "go", "Start/next", priority=True),
        Binding("l", "lock", "Lock"),
        Binding("delete", "remove", "Remove"),
        Binding("x", "extra_time", "Extra time"),
        Binding("e", "end_homework", "End homework"),
        Binding("ctrl+q", "quit_room", "Quit", priority=True),
        Binding("ctrl+c", "quit_room", "Quit", priority=True, show=False),
    ]

    def __init__(self, server: Any, *, start_server: bool = True) -> None:
        super().__init__()
        self.server = server
        self.room = server.room
        self.start_server = start_server
        self.failure: str | None = None
        self.message = ""
        self._confirm_quit = False
        self._rows: list[str] = []  # the lobby's rows as shown (`_show_names`)
        self.clock: Callable[[], float] = server.clock or time.monotonic
        # Self-paced homework (quiz.room.homework): the lobby's list is the live grid.
        self.homework: Homework | None = getattr(server, "homework", None)
        self._dirty = False  # the grid changed since it was last drawn
        self._confirm_end = False
        self._extra_picked: str | None = None  # the last player given extra time mid-game

    # -- layout

    def compose(self) -> ComposeResult:
        yield Static(id="bar", markup=False)
        with ContentSwitcher(initial="lobby", id="views"):
            with Horizontal(id="lobby"):
                yield Static(id="qr", markup=False)
                with Vertical(id="lobby-side"):
                    yield from texts("address", "count")
                    yield OptionList(id="names", markup=False)
            with VerticalScroll(id="question"):
                yield from texts("q-head", "q-prompt", "q-choices")
            with VerticalScroll(id="reveal"):
                yield from texts("r-answer", "r-bars", "r-why", "r-board")
            with VerticalScroll(id="round"):
                yield from texts("c-title", "c-info")
            with VerticalScroll(id="end"):
                yield from texts("e-teams", "e-podium", "e-ranking", "e-rights")
        yield Static(id="hint", markup=False)
        yield Footer()

    async def on_mount(self) -> None:
        if self.start_server:
            try:
                await self.server.start()
            except OSError as exc:
                self.failure = start_failure(self.server.host, self.server.port, exc)
                self.exit(1)
                return
        self.server.listeners.append(self.on_room_event)
        self._draw_qr()
        self.set_interval(0.25, self._tick)
        self.show()

    def _draw_qr(self, size: Size | None = None) -> None:
        """A projector-sized terminal gets a QR code a phone can read from the back of the room."""
        width, height = size or self.size
        large = width >= 130 and height >= 38
        data = f"{self.server.url}?code={self.room.code}"
        self.query_one("#qr", Static).update(qr_text(data, large=large))

    def on_resize(self, event: events.Resize) -> None:
        # The event's size: this handler runs before the app takes the new size as its own.
        if self.query("#qr"):  # a resize can come before the lobby is composed
            self._draw_qr(event.size)

    def on_room_event(self, event: str) -> None:
        if self.homework is not None and event != "end" and event != "save-error":
            self._dirty = True  # drawn on the next tick: 200 players move on every few seconds
            return
        if event == "save-error":
            self.message = f"Could not save: {self.server.save_error}"
        elif event == "transport":  # a room spread over processes: an edge, the broker
            self.message = self.server.transport_news or ""
        elif (event, self.message) in (("reveal", JUST_OPENED), ("question", JUST_REVEALED)):
            self.message = ""
        if event == "answered" and self.room.phase == "question":
            self._show_question_head()  # cheap: a room of 1,000 answers in seconds
            return
        self.show()

    def _tick(self) -> None:
        if self.homework is not None:
            if self._dirty and self.room.phase != "end":
                self._dirty = False
                self.show()
            return
        if self.room.phase == "question":
            self._show_question_head()

    # -- what each phase shows

    def show(self) -> None:
        phase = self.room.phase
        if self.room.card is not None:
            phase = "round"  # a round's title card, in the lobby or after a reveal
        if self.homework is not None and phase != "end":
            phase = "lobby"  # the address and the code beside the live grid
        self.query_one(ContentSwitcher).current = phase
        self.query_one("#bar", Static).update(
            # The code first: a narrow screen cuts the deck's title, never the code.
            Content.assemble(
                ("quiz host", "bold"),
                "  ",
                (f"code {self.room.code}", "bold"),
                "  \u00b7  ",
                clean(self.room.deck_title),
            )
        )
        getattr(self, f"_show_{phase}")()
        self.query_one("#hint", Static).update(Content(self._hint()))
        self.refresh_bindings()

    def check_action(self, action: str, parameters: tuple[object, ...]) -> bool | None:
        """The footer shows only the keys that do something now: removing is for the lobby."""
        if action == "go" and isinstance(self.screen, ExtraPicker):
            return False  # Enter picks a player there, never moves the game on
        if action == "end_homework":
            return self.homework is not None and self.room.phase != "end"
        if action == "go" and self.homework is not None:
            return False  # players start on joining, and move on by themselves
        if action == "extra_time" and self.homework is not None:
            return bool(self.room.phase != "end")  # on the grid: from the player's next question
        if action == "extra_time":  # mid-game, from the player's next question
            return bool(self.room.phase in ("lobby", "question", "reveal"))
        if action == "remove":
            return bool(self.room.phase == "lobby")
        if action in ("go", "lock"):
            return bool(self.room.phase != "end")
        return True

    def _hint(self) -> str:
        phase = self.room.phase
        if self.message:
            return self.message
        if self.homework is not None and phase != "end":
            return (
                "Players start on joining and go at their own pace. "
                "E ends the homework now: the results go to everyone."
            )
        if self.room.card is not None:
            return "Enter: the round's first question."
        if phase == "lobby":
            return (
                "Enter starts the game."
                if self.room.active
                else "Waiting for players. Enter starts once one has joined."
            )
        if phase == "question":
            return (
                "Enter closes the question."
                if self.room.timer is None
                else "The question closes when everyone has answered or time is up."
            )
        if phase == "reveal" and (due := self.room.card_due()) is not None:
            return f"Enter: round {due}'s title card."
        if phase == "reveal":
            last = self.room.index + 1 >= self.room.count
            return "Enter shows the podium." if last else "Enter: the next question."
        return "Ctrl+Q closes the room."

    def _show_round(self) -> None:
        room = self.room
        number = room.card
        assert number is not None
        span = room.round_range(number)
        title = room.round_title(number)
        self.query_one("#c-title", Static).update(
            Content.assemble(
                (f"Round {number} of {room.round_count}", "bold reverse"),
                "\n\n",
                (clean(title), "bold $accent"),
            )
        )
        lines = [Content(f"Questions {span.start + 1} to {span[-1] + 1}")]
        if room.teams and room.phase != "lobby":
            lines += [Content(""), self._teams()]
        self.query_one("#c-info", Static).update(Content("\n").join(lines))

    def _teams(self) -> Content:
        rows = [Content.styled("Teams", "bold underline")]
        for t in self.room.team_standings():
            rows.append(
                Content.assemble(
                    (f"{t.place:>2}. ", "bold"),
                    f"{name(t.name):<{NAME_SHOWN}} ",
                    (f"{round(t.score):>6}", "bold"),
                    f"  {plural(t.players, 'player')}",
                )
            )
        return Content("\n").join(rows)

    def _show_lobby(self) -> None:
        urls = self.server.urls()
        lines = [Content.styled("Join at", "bold")]
        lines += [Content.styled(u, "bold $accent") for u in urls]
        lines += [
            Content(""),
            Content.styled(f"code {self.room.code}", "bold reverse"),
            Content(f"or scan the code: it has {urls[0]}?code={self.room.code}"),
        ]
        if self.server.host in ("0.0.0.0", "::"):
            lines.append(Content.styled("Anyone on this network can join.", "$warning"))
        self.query_one("#address", Static).update(Content("\n").join(lines))
        if self.homework is not None:
            self._show_grid(self.homework)
            return
        players = self.room.active
        state = "locked" if self.room.locked else "open"
        pending = ", ".join(f"{name(n)} {t:g}x" for n, t in self.room.extra_time.values())
        self.query_one("#count", Static).update(
            Content.assemble(
                (plural(len(players), "player"), "bold"),
                f" \u00b7 room {state}",
                f"\nExtra time when they join: {pending}" if pending else "",
            )
        )
        self._show_names(
            [
                name(p.name)
                + (f"  \u00b7 {name(p.team)}" if p.team else "")
                + extra_mark(p.extra)
                + ("" if p.connected else "  (away)")
                for p in players
            ]
        )

    def _show_grid(self, hw: Homework) -> None:
        """Each player: the question they are on, their score and right answers, away or not."""
        rows = hw.grid()
        self.query_one("#count", Static).update(
            Content.assemble(
                (plural(len(rows), "player"), "bold"),
                f" \u00b7 {hw.done_count()} done \u00b7 {until_words(hw.until)}",
                " \u00b7 locked" if hw.locked else "",
            )
        )
        self._show_names(
            [
                f"{name(r.name)}"
                + (f" \u00b7 {name(r.team)}" if r.team else "")
                + f"  {step_short(r, hw.count)}  {r.score}  {r.correct} right"
                + extra_mark(r.extra)
                + ("" if r.connected else "  (away)")
                for r in rows
            ]
        )

    def _show_names(self, rows: list[str]) -> None:
        """The lobby's list: a join adds its row, a player away or back changes theirs.

        Only a removal (the list shrinks) builds the list again: a room of
        1,000 joining would otherwise rebuild 1,000 rows on every join.
        """
        names = self.query_one("#names", OptionList)
        shown = self._rows
        if len(rows) < len(shown):
            highlighted = names.highlighted
            names.set_options([Option(Content(row), id=f"p{k}") for k, row in enumerate(rows)])
            if rows:
                names.highlighted = min(highlighted or 0, len(rows) - 1)
        else:
            for k, (row, was) in enumerate(zip(rows, shown, strict=False)):
                if row != was:
                    names.replace_option_prompt_at_index(k, Content(row))
            if len(rows) > len(shown):
                names.add_options(
                    Option(Content(row), id=f"p{k}")
                    for k, row in enumerate(rows[len(shown) :], start=len(shown))
                )
                if names.highlighted is None:
                    names.highlighted = 0
        self._rows = rows

    def _show_question_head(self) -> None:
        room = self.room
        done, total = room.answered_count()
        left = room.seconds_left(self.clock())
        parts: list[Any] = [(f"Question {room.index + 1}/{room.count}", "bold"), "   "]
        if room.rounds:
            parts[1:1] = [f"  Round {room.round_of(room.index)} of {room.round_count}"]
        more = room.closes_in(self.clock())
        if left is not None and not left and more:  # the timer is over; extra time is not
            secs = int(more + 0.999)
            parts += [(f"Extra time {secs:>2} s ", "bold $warning"), "   "]
        elif left is not None:
            secs = int(left + 0.999)
            parts += [(f"Time {secs:>2} s ", "bold"), bar(secs, room.timer or 1, 10), "   "]
        parts.append((f"answered {done}/{total}", "bold"))
        self.query_one("#q-head", Static).update(Content.assemble(*parts))

    def _show_question(self) -> None:
        room = self.room
        asked = room.questions[room.index]
        self._show_question_head()
        self.query_one("#q-prompt", Static).update(Content(clean(asked.prompt)))
        how = how_to_answer(asked)
        if how is None:
            shown = Content("\n").join(
                Content.assemble(chip(k), "  ", clean(c)) for k, c in enumerate(asked.choices)
            )
        else:
            # An order's items with the letters players tap them by; what players do.
            items = [
                Content.assemble((f" {LETTERS[k]} ", "bold reverse"), "  ", clean(c))
                for k, c in enumerate(asked.choices)
            ]
            shown = Content("\n").join([*items, Content(""), Content.styled(how, "italic")])
        self.query_one("#q-choices", Static).update(shown)

    def _show_reveal(self) -> None:
        room = self.room
        asked = room.questions[room.index]
        counted = tally(asked, room.answers_to())
        self.query_one("#r-answer", Static).update(
            Content.assemble(
                (f"Question {room.index + 1}/{room.count}  ", "bold"),
                "The answer: ",
                chip(asked.answer) if counted is None else "",
                " " if counted is None else "",
                (clean(asked.right), "bold $success"),
            )
        )
        if counted is not None:
            # Counts only: a player's typed text is never on the projector.
            closest = counted.closest_line()
            lines = [Content.styled(counted.line(), "bold")]
            if closest is not None:
                lines.append(Content(closest))
            self.query_one("#r-bars", Static).update(Content("\n").join(lines))
        else:
            self._show_bars(asked)
        self._show_reveal_rest(asked)

    def _show_bars(self, asked: Question) -> None:
        counts = self.room.choice_counts()
        total = sum(counts)
        self.query_one("#r-bars", Static).update(
            Content("\n").join(
                Content.assemble(
                    ("\u2713 " if k == asked.answer else "  ", "bold $success"),
                    chip(k),
                    " ",
                    bar(counts[k], total, 16),
                    (f" {counts[k]:>3}  ", "bold"),
                    clean(c),
                )
                for k, c in enumerate(asked.choices)
            )
        )

    def _show_reveal_rest(self, asked: Question) -> None:
        self.query_one("#r-why", Static).update(
            Content.assemble(
                clean(asked.explanation),
                "\n",
                (f"Source: {clean(asked.source)}", "italic $text-muted"),
            )
        )
        board = self.query_one("#r-board", Static)
        own, overall = boards(self.room, self.server.leaderboard)
        shown = []
        if own is not None:
            title = self.room.round_title(own)
            named = f": {clean(title)}" if title and title != f"Round {own}" else ""
            shown.append(self._board(5, own, f"Round {own}{named}, top 5"))
        if overall:
            shown.append(self._board(5))
        if self.room.teams:
            shown.append(self._teams())
        board.display = bool(shown)
        board.update(Content("\n\n").join(shown))

    def _board(self, top: int, round_number: int | None = None, title: str = "Top 5") -> Content:
        rows = [Content.styled(title, "bold underline")]
        standings = (
            self.room.standings()
            if round_number is None
            else self.room.round_standings(round_number)
        )
        for s in standings[:top]:
            rows.append(
                Content.assemble(
                    (f"{s.place:>2}. ", "bold"),
                    f"{name(s.name):<{NAME_SHOWN}} ",
                    (f"{s.score:>6}", "bold"),
                    f"  {movement(s.movement)}" if round_number is None else "",
                )
            )
        return Content("\n").join(rows)

    def _show_end(self) -> None:
        room = self.room
        podium = [Content.styled("Podium", "bold underline")]
        for s in room.podium():
            podium.append(
                Content.assemble(
                    (f" {ordinal(s.place)} ", "bold reverse"),
                    "  ",
                    (name(s.name), "bold"),
                    f"  {s.score}",
                )
            )
        self.query_one("#e-podium", Static).update(Content("\n").join(podium))
        teams = self.query_one("#e-teams", Static)
        teams.display = bool(room.teams)
        if room.teams:
            teams.update(self._teams())
        ranking = [Content.styled("Ranking", "bold underline")]
        for s in room.standings():
            ranking.append(
                Content(
                    f"{s.place:>3}. {name(s.name):<{NAME_SHOWN}} {s.score:>6}  {s.correct} right"
                )
            )
        self.query_one("#e-ranking", Static).update(Content("\n").join(ranking))
        self.query_one("#e-rights", Static).update(
            Content.assemble(
                ("Right answers per question  ", "bold"),
                # Out of the players each question had: a late joiner never asked Q1.
                "  ".join(f"Q{k + 1} {n}/{m}" for k, (n, m) in enumerate(room.per_question())),
                "\n",
                (
                    ""
                    if self.server.saves is None
                    else f"Saved {plural(len(self.server.saved_games), 'game')} and the room's record."
                    if not self.server.save_error
                    else f"Could not save: {self.server.save_error}"
                ),
            )
        )

    # -- the host's keys

    async def action_end_homework(self) -> None:
        """E: close the homework now (E twice: the results go to every player)."""
        if self.homework is None or self.room.phase == "end":
            return
        if not self._confirm_end:
            self._confirm_end = True
            self.message = "E again ends the homework now: what is left counts as no answer."
            self.show()
            return
        self._confirm_end = False
        self.message = ""
        await self.server.end_homework()
        self.show()

    async def action_go(self) -> None:
        if self.homework is not None:
            return
        self.message = ""
        self._confirm_quit = False
        phase = self.room.phase
        try:
            if phase == "lobby":
                await self.server.begin()
            elif phase == "question" and self.room.timer is None:
                if not await self.server.host_close():
                    self.message = JUST_OPENED
            elif phase == "reveal":
                if not await self.server.host_advance():
                    self.message = JUST_REVEALED
        except RoomError as exc:
            self.message = exc.message
        self.show()

    def action_lock(self) -> None:
        self.server.set_locked(not self.room.locked)
        self.message = (
            "The room is locked: no one new can join." if self.room.locked else "The room is open."
        )
        self.show()

    async def action_remove(self) -> None:
        if self.room.phase != "lobby":
            return
        names = self.query_one("#names", OptionList)
        index = names.highlighted
        players = self.room.active
        if index is None or not 0 <= index < len(players):
            return
        who = players[index].name
        await self.server.remove(who)
        self.message = f"Removed {name(who)}; the name is free again."
        self.show()

    def action_extra_time(self) -> None:
        """`x` on the highlighted player: 1x, 1.5x, 2x the timer, then back to 1x (on the
        homework's grid: from their next question). Mid-game, a picker of the room's players
        (the list is the lobby's only), the change applying from their next question."""
        phase = self.room.phase
        if phase in ("question", "reveal") and self.homework is None:
            players = [
                (p.name, extra_mark(p.extra if p.extra_next is None else p.extra_next))
                for p in self.room.active
            ]
            if players:
                self.push_screen(ExtraPicker(players, self._extra_picked), self._extra_for)
            return
        if phase != "lobby" and (self.homework is None or phase == "end"):
            return
        index = self.query_one("#names", OptionList).highlighted
        players = self.room.active
        if index is None or not 0 <= index < len(players):
            return
        self._extra_for(players[index].name)

    def _extra_for(self, who: str | None) -> None:
        """Cycle ``who``'s extra time (the room's rule) and say what it is now."""
        if who is None or self.room.phase == "end":
            return
        self._extra_picked = who
        later = self.room.phase != "lobby"
        try:
            player = self.server.set_extra(who, None)
        except RoomError as exc:
            self.message = exc.message
        else:
            if player is not None and (player.extra_next is not None or later):
                times = player.extra if player.extra_next is None else player.extra_next
                self.message = extra_said(name(player.name), times, later=True)
            elif player is not None:
                self.message = extra_said(name(player.name), player.extra)
        self.show()

    async def action_quit_room(self) -> None:
        if self.room.phase in ("question", "reveal") and not self._confirm_quit:
            self._confirm_quit = True
            self.message = "Ctrl+Q again closes the room; quiz host --resume carries on."
            self.show()
            return
        await self.server.save_record()
        if self.start_server:
            await self.server.stop()
        self.exit(0)
