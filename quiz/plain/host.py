"""`quiz host --plain`: the room's events as lines, one Enter a step (screen readers, pipes)."""

from __future__ import annotations

import asyncio
import math
import os
import select
import threading
from collections import deque
from collections.abc import Callable
from typing import Any, TextIO

from quiz.plain.lines import LineReader, fd_of
from quiz.room.client import LETTERS, bar, movement
from quiz.room.forms import how_to_answer, tally
from quiz.room.homework import Homework, step_words, until_words
from quiz.room.state import Room
from quiz.room.steps import JUST_OPENED, JUST_REVEALED, boards, extra_said
from quiz.room.wire import RoomError
from quiz.text import clean, plural

AUTO_STEP = 5.0  # seconds a step waits once the host's input has ended
CLOSED = "Room closed."  # the last line when the host closes the room (Ctrl+C)
PACE = 1.0  # seconds between two progress lines (answers, joins) at most
OUTPUT_LINES = 5000  # lines kept for a slow reader of the host's output; past that, counted
DRAIN_SECONDS = 5.0  # at the end, how long the last lines may take to be read


class Output:
    """Lines to a stream the room never waits on (issue 22, class 7).

    A pipe read slowly, or never, blocks whoever writes to it: the plain host
    used to write from the room's event loop, so one slow reader froze the
    room for every player. The loop only appends here; a thread of its own
    writes the lines out with os.write (nothing waits in the stream's buffer,
    so Python's exit never blocks on it). Past `limit` lines behind, lines are
    counted, not kept, and one line says how many were left out.
    """

    def __init__(self, stream: TextIO, *, limit: int = OUTPUT_LINES) -> None:
        self.stream = stream
        self.limit = limit
        self.fd = fd_of(stream)
        self.encoding = getattr(stream, "encoding", None) or "utf-8"
        errors = getattr(stream, "errors", None) or "strict"
        self.errors = "replace" if errors == "strict" else errors
        self.broken = False
        self.left_out = 0
        self._lines: deque[str] = deque()
        self._busy = False
        self._ready = threading.Condition()
        if self.fd is not None:
            try:
                stream.flush()
            except (OSError, ValueError):
                self.broken = True
            threading.Thread(target=self._pump, daemon=True, name="quiz-output").start()

    def write(self, line: str) -> None:
        """Queue one line (no newline); never waits."""
        if self.broken:
            return
        if self.fd is None:
            try:
                self.stream.write(line + "\n")
                self.stream.flush()
            except (OSError, ValueError):
                self.broken = True  # a closed stdout: said once on stderr (quiz.cli.startup)
            return
        with self._ready:
            if len(self._lines) >= self.limit:
                self.left_out += 1
                return
            self._note_left_out()
            self._lines.append(line)
            self._ready.notify()

    def _note_left_out(self) -> None:
        if self.left_out:
            self._lines.append(
                f"({plural(self.left_out, 'line')} left out: this output was read too slowly)"
            )
            self.left_out = 0

    def _pump(self) -> None:
        assert self.fd is not None
        while True:
            with self._ready:
                while not self._lines:
                    self._ready.wait()
                text = "".join(line + "\n" for line in self._lines)
                self._lines.clear()
                self._busy = True
            try:
                self._write_all(text.encode(self.encoding, self.errors))
            except (OSError, LookupError, UnicodeError):
                with self._ready:
                    self.broken = True
                    self._lines.clear()
                    self._busy = False
                    self._ready.notify_all()
                return
            with self._ready:
                self._busy = False
                self._ready.notify_all()

    def _write_all(self, data: bytes) -> None:
        assert self.fd is not None
        view = memoryview(data)
        while view:
            try:
                view = view[os.write(self.fd, view) :]
            except BlockingIOError:  # someone made the descriptor non-blocking
                select.select([], [self.fd], [], 1.0)

    def drain(self, timeout: float) -> bool:
        """Wait (blocking) up to ``timeout`` seconds for every line to be written."""
        if self.fd is None:
            return True
        with self._ready:
            self._note_left_out()
            self._ready.notify()
            return self._ready.wait_for(
                lambda: self.broken or (not self._lines and not self._busy), timeout
            )


class Paced:
    """Progress said at most once every `every` seconds, or at once when it matters.

    `tell(make, urgent)` says ``make()`` now if urgent or if the last line is
    old enough, and otherwise once it is (``make`` runs then, so the line says
    how things stand by that time; None says nothing).
    """

    def __init__(self, say: Callable[[str], None], every: float = PACE) -> None:
        self.say = say
        self.every = every
        self.last = -math.inf
        self._later: asyncio.TimerHandle | None = None

    def said(self) -> None:
        """A line that counts as progress was just said another way."""
        self.last = asyncio.get_running_loop().time()

    def tell(self, make: Callable[[], str | None], urgent: bool = False) -> None:
        loop = asyncio.get_running_loop()
        if urgent or loop.time() - self.last >= self.every:
            self.cancel()
            self._say(make)
        elif self._later is None:
            self._later = loop.call_at(self.last + self.every, self._fire, make)

    def _fire(self, make: Callable[[], str | None]) -> None:
        self._later = None
        self._say(make)

    def _say(self, make: Callable[[], str | None]) -> None:
        text = make()
        if text:
            self.say(text)
            self.said()

    def cancel(self) -> None:
        if self._later is not None:
            self._later.cancel()
            self._later = None


def question_lines(room: Room) -> list[str]:
    """The open question as the host shows it: the choices, or what players do to answer."""
    asked = room.questions[room.index]
    where = f" ({round_heading(room, room.round_of(room.index))})" if room.rounds else ""
    out = [f"Question {room.index + 1}/{room.count}{where}: {clean(asked.prompt)}"]
    for k, choice in enumerate(asked.choices):
        out.append(f"  {k + 1} {LETTERS[k].upper()}  {clean(choice)}")
    how = how_to_answer(asked)
    if how is not None:
        out.append(f"  {how}")
    return out


def reveal_lines(room: Room, leaderboard: str) -> list[str]:
    asked = room.questions[room.index]
    counted = tally(asked, room.answers_to())
    if counted is not None:
        # Counts only: a player's typed text is never on the projector.
        out = [f"Reveal {room.index + 1}/{room.count}: the answer is {clean(asked.right)}"]
        out.append(counted.line())
        closest = counted.closest_line()
        if closest is not None:
            out.append(closest)
    else:
        counts = room.choice_counts()
        total = sum(counts)
        out = [
            f"Reveal {room.index + 1}/{room.count}: the answer is {asked.answer + 1}) {clean(asked.right)}"
        ]
        for k, choice in enumerate(asked.choices):
            mark = "\u2713" if k == asked.answer else " "
            out.append(
                f" {mark} {k + 1} {LETTERS[k].upper()}  {bar(counts[k], total)} {counts[k]:>3}  {clean(choice)}"
            )
    out.append(f"Why: {clean(asked.explanation)}")
    out.append(f"Source: {clean(asked.source)}")
    own, overall = boards(room, leaderboard)
    if own is not None:
        out.append(f"{round_heading(room, own)}, top 5:")
        for s in room.round_standings(own)[:5]:
            out.append(f"  {s.place}. {clean(s.name)} {s.score}")
    if overall:
        out.append("Top 5:")
        for s in room.standings()[:5]:
            out.append(f"  {s.place}. {clean(s.name)} {s.score} ({movement(s.movement)})")
    out += team_lines(room)
    return out


def round_heading(room: Room, number: int) -> str:
    """ "Round 2 of 3: Speed" (the title only when it is not "Round 2")."""
    title = room.round_title(number)
    head = f"Round {number} of {room.round_count}"
    return f"{head}: {clean(title)}" if title and title != f"Round {number}" else head


def card_lines(room: Room) -> list[str]:
    """The title card up now: the round, its questions, the Enter that opens it."""
    number = room.card
    if number is None:
        return []
    span = room.round_range(number)
    return [
        "",
        round_heading(room, number),
        f"Questions {span.start + 1} to {span[-1] + 1}. Press Enter for its first question.",
    ]


def team_lines(room: Room) -> list[str]:
    """The teams' standings: the mean of their players' scores, best first."""
    if not room.teams:
        return []
    rows = [
        f"{t.place}. {clean(t.name)} {round(t.score)} ({plural(t.players, 'player')})"
        for t in room.team_standings()
    ]
    return ["Teams: " + ", ".join(rows)]


def end_lines(room: Room) -> list[str]:
    out = team_lines(room)
    out.append("The end. Podium:")
    for s in room.podium():
        out.append(f"  {s.place}. {clean(s.name)} {s.score}")
    out.append("Ranking:")
    for s in room.standings():
        out.append(f"  {s.place}. {clean(s.name)} {s.score} ({s.correct} right)")
    out.append(  # out of the players present for each question, as the host's screen says
        "Right answers per question: "
        + ", ".join(f"Q{k + 1} {n}/{m}" for k, (n, m) in enumerate(room.per_question()))
    )
    return out


def _joined_line(names: list[str], back: int, players: int) -> str | None:
    """What changed in the lobby since the last line: who joined, how many came back."""
    out = []
    if names:
        shown = ", ".join(clean(n) for n in names[:3])
        if len(names) > 3:
            shown += f" and {len(names) - 3} more"
        out.append(f"Joined: {shown} ({plural(players, 'player')})")
    if back == 1:
        out.append("A player is back.")
    elif back:
        out.append(f"{back} players are back.")
    return "\n".join(out) or None


def extra_command(server: Any, line: str) -> str | None:
    """A lobby line `x NAME [TIMES]`: extra time for a player (TIMES 1-4; none: 1x, 1.5x,
    2x in turn); what to say back, or None when the line is not one (a step)."""
    words = line.strip().split()
    if not words or words[0].lower() != "x":
        return None
    if len(words) < 2:
        return "x NAME 2 gives a player 2x the time; x NAME goes 1x, 1.5x, 2x in turn."
    times: float | None = None
    who = " ".join(words[1:])
    if len(words) > 2:
        try:
            times = float(words[-1].removesuffix("x"))
            who = " ".join(words[1:-1])
        except ValueError:
            times = None
    try:
        player = server.set_extra(who, times)
    except RoomError as exc:
        return exc.message[:1].upper() + exc.message[1:] + "."
    if player is None:
        if times is None:
            return f"No player called {clean(who)} in the room; x {clean(who)} 2 gives them 2x when they join."
        return extra_said(who, times) + " (when they join)"
    if player.extra_next is not None:  # the game is on: from their next question
        return extra_said(player.name, player.extra_next, later=True)
    return extra_said(player.name, player.extra)


def resume_command(server: Any) -> str:
    """The command that finishes a room whose games are not all saved."""
    import shlex

    named = getattr(server.saves, "named", "") if server.saves is not None else ""
    return "quiz host --resume" + (f" --saves {shlex.quote(named)}" if named else "")


def closing_line(server: Any, saved: bool) -> str:
    """What the host is told last when it closes the room before the end."""
    room: Room = server.room
    if not saved:
        return f"{CLOSED} Its record could not be saved: {server.save_error}"
    if room.phase in ("question", "reveal") or server.save_failures:
        return f"{CLOSED} `{resume_command(server)}` carries on from here."
    return CLOSED


async def run_host(
    server: Any,
    stdin: TextIO,
    stdout: TextIO | Output,
    interactive: bool,
    *,
    drain: float = DRAIN_SECONDS,
    auto_step: float = AUTO_STEP,
) -> int:
    """The host in line mode, the server already started. Returns an exit code.

    Nothing here waits on the host's output (`Output`), and progress (answers,
    joins) comes at most once a second and at each quarter (`Paced`), so a
    screen reader hears a few lines a question and a slow pipe slows no one.
    Once the input has ended, each step waits ``auto_step`` seconds. Cancelled
    (the host's Ctrl+C, quiz.cli.live), it keeps the room's record and says
    `CLOSED` as its last line, then lets the cancellation go on.
    """
    room: Room = server.room
    out = stdout if isinstance(stdout, Output) else Output(stdout)
    if getattr(server, "homework", None) is not None:
        return await run_homework(server, stdin, out, interactive, drain=drain)

    def say(text: str = "") -> None:
        for line in text.split("\n"):
            out.write(clean(line))

    changed = asyncio.Event()
    answers = Paced(say)
    lobby = Paced(say)
    news: dict[str, Any] = {"names": [], "back": 0, "told": (-1, 0), "quarter": 0}

    def lobby_news() -> str | None:
        names, back = news["names"], news["back"]
        news["names"], news["back"] = [], 0
        return _joined_line(names, back, room.active_count())

    def answer_news() -> str | None:
        if room.phase != "question":
            return None
        count = room.answered_count()
        if count == news["told"]:
            return None
        news["told"] = count
        return f"answered {count[0]}/{count[1]}"

    def on_event(event: str) -> None:
        changed.set()
        if event == "join":
            players = room.active
            if players:
                last = players[-1]
                mark = f" \u00b7 {last.extra:g}x time" if last.extra != 1 else ""
                news["names"].append(last.name + mark)
                lobby.tell(lobby_news)
        elif event == "rejoin":
            news["back"] += 1
            lobby.tell(lobby_news)
        elif event == "remove":
            say(f"Removed. Players: {len(room.names())}")
        elif event == "question":
            answers.cancel()
            lobby.cancel()  # who joined, before the question rather than in the middle of it
            joined = lobby_news()
            if joined:
                say(joined)
            say()
            for line in question_lines(room):
                say(line)
            timer = plural(room.timer, "second") if room.timer else "no timer: Enter closes it"
            extra = [p for p in room.extra_players() if p.plays(room.index)] if room.timer else []
            if extra:  # issue 26: whose own time is longer
                timer += (
                    "; extra time: "
                    + ", ".join(f"{clean(p.name)} {room.limit_of(p)} s" for p in extra[:5])
                    + (f" and {len(extra) - 5} more" if len(extra) > 5 else "")
                )
            done, total = room.answered_count()  # some, on a question opened again
            say(f"answered {done}/{total} ({timer})")
            news["told"], news["quarter"] = (done, total), 0
            answers.said()
        elif event == "answered":
            done, total = room.answered_count()
            quarter = 4 * done // total if total else 4
            urgent = quarter > news["quarter"] or done >= total
            news["quarter"] = max(news["quarter"], quarter)
            answers.tell(answer_news, urgent)
        elif event == "reveal":
            answers.cancel()
            for line in reveal_lines(room, server.leaderboard):
                say(line)
            say(
                "Press Enter to go on."
                if room.index + 1 < room.count
                else "Press Enter for the podium."
            )
        elif event == "round":
            for line in card_lines(room):
                say(line)
        elif event == "end":
            for line in end_lines(room):
                say(line)
            tell_saves()
        elif event == "save-error":
            if room.phase != "end":
                say(f"Could not save: {server.save_error}; trying again.")
        elif event == "saved":
            say("Saving works again.")
        elif event == "transport" and server.transport_news:
            say(server.transport_news)  # a room spread over processes: an edge, the broker

    def tell_saves() -> None:
        if server.saves is None:
            return
        if server.save_failures:
            say(f"Could not save {plural(len(server.save_failures), 'player game')}:")
            for failure in server.save_failures:
                say(f"  {failure}")
            say(
                f"Saved {plural(len(server.saved_games), 'other game')}. The room's record "
                f"is kept: `{resume_command(server)}` saves the rest later."
            )
        elif server.save_error:
            say(f"Could not save: {server.save_error}")
        else:
            say(f"Saved {plural(len(server.saved_games), 'player game')} and the room's record.")

    server.listeners.append(on_event)
    for url in server.urls():
        say(f"Join at {url}")
    say(f"code {room.code}")
    say(
        f"{clean(room.deck_title)}: {plural(room.count, 'question')}, seed {room.seed}, "
        f"timer {f'{room.timer} s' if room.timer else 'off'}, scoring {room.scoring}."
    )
    if room.rounds:
        say(
            f"{plural(room.round_count, 'round')}: "
            + ", ".join(clean(r.title) for r in room.rounds)
        )
    if room.teams:
        how = "players pick one" if room.team_mode == "pick" else "the room shares players out"
        say(f"Teams: {', '.join(clean(t) for t in room.teams)} ({how}).")
    if room.extra_time:
        say(
            "Extra time when they join: "
            + ", ".join(f"{clean(n)} {t:g}x" for n, t in room.extra_time.values())
            + "."
        )
    if room.phase == "lobby":
        say("Press Enter to start once players are in. `x NAME 2` gives a player 2x the time.")
    else:
        say(f"Resumed at question {room.index + 1}/{room.count}; players rejoin by themselves.")
        if room.phase == "reveal":
            say("Press Enter to go on.")

    def waiting_on_host() -> bool:
        if room.phase == "lobby":
            return bool(room.active)
        if room.phase == "question":
            return room.timer is None
        return True

    reader = LineReader(stdin)
    ended = False
    try:
        while True:
            if room.phase == "end":
                break
            if ended:
                while not waiting_on_host():
                    changed.clear()
                    await changed.wait()
                await asyncio.sleep(auto_step)
            else:
                line = await reader.get()
                if line is None:
                    ended = True
                    say(f"End of input: the room goes on by itself, {auto_step:g} seconds a step.")
                    continue
                if (told := extra_command(server, line)) is not None:  # not a step
                    say(told)
                    continue
                if not waiting_on_host():
                    if interactive:
                        say(
                            "Nobody has joined yet."
                            if room.phase == "lobby"
                            else "The question closes by itself when everyone has answered or time is up."
                        )
                        continue
                    while not waiting_on_host():
                        changed.clear()
                        await changed.wait()
            if room.phase == "lobby":
                await server.begin()
            # At a terminal, an Enter in a step's first second is the second of a
            # double press and is ignored; from a pipe, each line is its step's.
            elif room.phase == "question":
                if not interactive:
                    await server.close_question()
                elif not await server.host_close():
                    say(JUST_OPENED)
            elif room.phase == "reveal":
                if not interactive:
                    await server.advance()
                elif not await server.host_advance():
                    say(JUST_REVEALED)
        # Games a bad folder kept from being saved: told, and tried again on Enter.
        while server.save_failures and not ended:
            say("Press Enter to try saving them again.")
            if await reader.get() is None:
                break
            await server.save_games()
            tell_saves()
        return 1 if server.save_failures else 0
    except asyncio.CancelledError:
        say(closing_line(server, await server.save_record()))
        raise
    finally:
        answers.cancel()
        lobby.cancel()
        if on_event in server.listeners:
            server.listeners.remove(on_event)
        await asyncio.to_thread(out.drain, drain)


# --- self-paced homework (quiz.room.homework) ------------------------------------------

END_WORD = "end"  # what the plain host types to close self-paced homework now


def grid_lines(room: Homework) -> list[str]:
    """Where every player is and how they are doing, one line each (the host's grid)."""
    rows = room.grid()
    out = [f"Where everyone is ({room.done_count()} of {plural(len(rows), 'player')} done):"]
    for row in rows:
        team = f" [{clean(row.team)}]" if row.team else ""
        away = "" if row.connected else " (away)"
        out.append(
            f"  {clean(row.name)}{team}{away}: {step_words(row, room.count)}, "
            f"{plural(row.score, 'point')}, {row.correct} of {row.answered} right"
        )
    if not rows:
        out.append("  nobody yet")
    return out


def progress_line(room: Homework, names: list[str]) -> str | None:
    """What changed since the last line: each player who moved on (or how many, past three)."""
    if not names:
        return None
    if len(names) > 3:
        steps: dict[str, int] = {}
        for row in room.grid():
            key = "done" if row.step == "done" else f"Q{row.at}"
            steps[key] = steps.get(key, 0) + 1
        where = ", ".join(f"{k} {n}" for k, n in steps.items())
        return f"{plural(len(names), 'player')} moved on; now {where}"
    rows = {row.name: row for row in room.grid()}
    out = []
    for name in names:
        found = rows.get(name)
        if found is not None:
            out.append(
                f"{clean(found.name)}: {step_words(found, room.count)}, "
                f"{plural(found.score, 'point')}, {found.correct} right"
            )
    return "\n".join(out) or None


async def run_homework(
    server: Any, stdin: TextIO, out: Output, interactive: bool, *, drain: float = DRAIN_SECONDS
) -> int:
    """The host of self-paced homework in line mode: who joins and moves on (at most a line
    a second), the grid on Enter, `end` to close it now; the results when it closes."""
    room: Homework = server.room

    def say(text: str = "") -> None:
        for line in text.split("\n"):
            out.write(clean(line))

    moved: list[str] = []
    news = Paced(say)
    last: dict[str, tuple[int, str]] = {}
    ended = asyncio.Event()

    def progress() -> str | None:
        names = list(dict.fromkeys(moved))
        moved.clear()
        return progress_line(room, names)

    def on_event(event: str) -> None:
        if event in ("join", "rejoin", "progress"):
            for row in room.grid():
                now = (row.at, row.step)
                if row.answered == 0 and row.step == "question":
                    last[row.name] = now  # just started: "Joined" says so
                    continue
                if last.get(row.name) != now:
                    last[row.name] = now
                    moved.append(row.name)
            if event == "join":
                say(f"Joined: {clean(room.names()[-1])} ({plural(room.active_count(), 'player')})")
            news.tell(progress)
        elif event == "end":
            news.cancel()
            say()
            say("The homework is closed.")
            for line in end_lines(room):
                say(line)
            if server.saves is not None:
                if server.save_failures:
                    say(f"Could not save {plural(len(server.save_failures), 'player game')}:")
                    for failure in server.save_failures:
                        say(f"  {failure}")
                else:
                    say(
                        f"Saved {plural(len(server.saved_games), 'player game')} and the room's record."
                    )
            ended.set()
        elif event == "save-error":
            say(f"Could not save: {server.save_error}; trying again.")

    server.listeners.append(on_event)
    for url in server.urls():
        say(f"Join at {url}")
    say(f"code {room.code}")
    say(
        f"{clean(room.deck_title)}: {plural(room.count, 'question')}, seed {room.seed}, "
        f"timer {f'{room.timer} s' if room.timer else 'off'}, scoring {room.scoring}."
    )
    say(
        f"Self-paced homework {until_words(room.until)}: each player starts on joining and "
        "goes at their own pace."
    )
    if room.teams:
        how = "players pick theirs" if room.team_mode == "pick" else "players are shared out"
        say(f"Teams: {', '.join(clean(t) for t in room.teams)} ({how}).")
    if room.active:
        say(f"Resumed: {plural(room.active_count(), 'player')}; they rejoin by themselves.")
    if room.phase == "end":  # resumed past its deadline: closed at once, its games saved
        on_event("end")
    else:
        say(f"Press Enter to see where everyone is; type {END_WORD} and Enter to close it now.")
    reader = LineReader(stdin)
    input_ended = False
    try:
        while room.phase != "end":
            line_task = asyncio.ensure_future(reader.get())
            end_task = asyncio.ensure_future(ended.wait())
            done, _ = await asyncio.wait({line_task, end_task}, return_when=asyncio.FIRST_COMPLETED)
            if line_task not in done:
                line_task.cancel()
                break
            end_task.cancel()
            line = line_task.result()
            if line is None:
                input_ended = True
                say(
                    "End of input: the homework stays open "
                    f"{until_words(room.until)} (Ctrl+C closes the room)."
                )
                await ended.wait()
                break
            if line.strip().lower() == END_WORD:
                await server.end_homework()
            elif (told := extra_command(server, line)) is not None:  # x NAME 2
                say(told)
            else:
                for text in grid_lines(room):
                    say(text)
        # The results stay up for players who come back with their token, until the
        # input ends or Ctrl+C closes the room.
        if not input_ended:
            say("The results stay up for players coming back; Ctrl+C closes the room.")
            while await reader.get() is not None:
                for text in grid_lines(room):
                    say(text)
        return 1 if server.save_failures else 0
    except asyncio.CancelledError:
        say(closing_line(server, await server.save_record()))
        raise
    finally:
        news.cancel()
        if on_event in server.listeners:
            server.listeners.remove(on_event)
        await asyncio.to_thread(out.drain, drain)
