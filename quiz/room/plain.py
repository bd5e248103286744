"""Line mode for the room: `quiz host --plain` and `quiz join --plain`.

For screen readers, pipes and scripts. The host prints the join address and
`code NNNNNN`, then each event as a line, and reads one Enter per step the
host's screen would wait on. The player prints each question and reads one
answer a line (1-4 or a-d). Neither imports Textual.
"""

from __future__ import annotations

import asyncio
import io
import math
import os
import select
import threading
from collections import deque
from collections.abc import Callable
from typing import Any, TextIO
from urllib.parse import parse_qs, urlsplit, urlunsplit

from quiz.game import parse_choice
from quiz.room import frames
from quiz.room.frames import read as read_frame
from quiz.room.state import Room
from quiz.text import clean, read_line
from quiz.words import plural

DEFAULT_URL = "http://127.0.0.1:8765/"
LETTERS = "abcdefghij"
AUTO_STEP = 5.0  # seconds a step waits once the host's input has ended
PACE = 1.0  # seconds between two progress lines (answers, joins) at most
OUTPUT_LINES = 5000  # lines kept for a slow reader of the host's output; past that, counted
DRAIN_SECONDS = 5.0  # at the end, how long the last lines may take to be read


def bar(count: int, total: int, width: int = 20) -> str:
    filled = round(width * count / total) if total else 0
    return "\u2588" * filled + "\u00b7" * (width - filled)


def movement(move: int | None) -> str:
    if move is None:
        return "new"
    if move > 0:
        return f"\u2191{move}"
    if move < 0:
        return f"\u2193{-move}"
    return "="


class LineReader:
    """Lines of a text stream, read in a thread and handed to the event loop (None at the end)."""

    def __init__(self, stream: TextIO) -> None:
        self.queue: asyncio.Queue[str | None] = asyncio.Queue()
        loop = asyncio.get_running_loop()

        def pump() -> None:
            while True:
                try:
                    # Capped (quiz.text.read_line): an endless line costs time, never memory;
                    # a line too long comes as an empty answer.
                    line, _ = read_line(stream)
                except (OSError, ValueError):
                    line = ""
                try:
                    loop.call_soon_threadsafe(self.queue.put_nowait, line if line else None)
                except RuntimeError:
                    return  # the room is over and its loop closed: nobody is reading
                if not line:
                    return

        threading.Thread(target=pump, daemon=True, name="quiz-stdin").start()

    async def get(self) -> str | None:
        return await self.queue.get()

    def drop_waiting(self) -> tuple[int, bool]:
        """Throw away the lines already read and not yet taken: (how many, whether input ended).

        A line typed or piped before a question opens is not an answer to it.
        """
        dropped, ended = 0, False
        while not self.queue.empty():
            if self.queue.get_nowait() is None:
                ended = True
            else:
                dropped += 1
        if ended:
            self.queue.put_nowait(None)  # the end stays for whoever reads next
        return dropped, ended


# --- the host's output ------------------------------------------------------------------


def _fd_of(stream: TextIO) -> int | None:
    """The file descriptor under a real text file (a terminal, a pipe), else None."""
    if not isinstance(stream, io.TextIOWrapper):
        return None  # a StringIO, or a stand-in for a closed stream: writing never waits
    try:
        fd = stream.fileno()
        os.fstat(fd)
    except (OSError, ValueError):
        return None
    return fd


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
        self.fd = _fd_of(stream)
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
                self.broken = True  # a closed stdout: said once on stderr (quiz.startup)
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


# --- the host --------------------------------------------------------------------------


def reveal_lines(room: Room, leaderboard: str) -> list[str]:
    asked = room.questions[room.index]
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
    if leaderboard == "each":
        out.append("Top 5:")
        for s in room.standings()[:5]:
            out.append(f"  {s.place}. {clean(s.name)} {s.score} ({movement(s.movement)})")
    return out


def end_lines(room: Room) -> list[str]:
    out = ["The end. Podium:"]
    for s in room.podium():
        out.append(f"  {s.place}. {clean(s.name)} {s.score}")
    out.append("Ranking:")
    for s in room.standings():
        out.append(f"  {s.place}. {clean(s.name)} {s.score} ({s.correct} right)")
    rights = room.right_counts()
    out.append(
        "Right answers per question: " + ", ".join(f"Q{k + 1} {n}" for k, n in enumerate(rights))
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


def resume_command(server: Any) -> str:
    """The command that finishes a room whose games are not all saved."""
    import shlex

    named = getattr(server.saves, "named", "") if server.saves is not None else ""
    return "quiz host --resume" + (f" --saves {shlex.quote(named)}" if named else "")


async def run_host(
    server: Any,
    stdin: TextIO,
    stdout: TextIO | Output,
    interactive: bool,
    *,
    drain: float = DRAIN_SECONDS,
) -> int:
    """The host in line mode, the server already started. Returns an exit code.

    Nothing here waits on the host's output (`Output`), and progress (answers,
    joins) comes at most once a second and at each quarter (`Paced`), so a
    screen reader hears a few lines a question and a slow pipe slows no one.
    """
    room: Room = server.room
    out = stdout if isinstance(stdout, Output) else Output(stdout)

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
        return _joined_line(names, back, len(room.active))

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
            names = room.names()
            if names:
                news["names"].append(names[-1])
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
            asked = room.questions[room.index]
            say()
            say(f"Question {room.index + 1}/{room.count}: {clean(asked.prompt)}")
            for k, choice in enumerate(asked.choices):
                say(f"  {k + 1} {LETTERS[k].upper()}  {clean(choice)}")
            timer = f"{room.timer} seconds" if room.timer else "no timer: Enter closes it"
            total = room.answered_count()[1]
            say(f"answered 0/{total} ({timer})")
            news["told"], news["quarter"] = (0, total), 0
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
        elif event == "end":
            for line in end_lines(room):
                say(line)
            tell_saves()
        elif event == "save-error":
            if room.phase != "end":
                say(f"Could not save: {server.save_error}; trying again.")
        elif event == "saved":
            say("Saving works again.")

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
        f"{clean(room.deck_title)}: {room.count} questions, seed {room.seed}, "
        f"timer {f'{room.timer} s' if room.timer else 'off'}, scoring {room.scoring}."
    )
    if room.phase == "lobby":
        say("Press Enter to start once players are in.")
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
                await asyncio.sleep(AUTO_STEP)
            else:
                line = await reader.get()
                if line is None:
                    ended = True
                    say(
                        f"End of input: the room goes on by itself, {AUTO_STEP:.0f} seconds a step."
                    )
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
            elif room.phase == "question":
                await server.close_question()
            elif room.phase == "reveal":
                await server.advance()
        # Games a bad folder kept from being saved: told, and tried again on Enter.
        while server.save_failures and not ended:
            say("Press Enter to try saving them again.")
            if await reader.get() is None:
                break
            await server.save_games()
            tell_saves()
        return 1 if server.save_failures else 0
    finally:
        answers.cancel()
        lobby.cancel()
        if on_event in server.listeners:
            server.listeners.remove(on_event)
        await asyncio.to_thread(out.drain, drain)


# --- the player -------------------------------------------------------------------------


def ws_url(url: str) -> tuple[str, str, str | None]:
    """(page URL, WebSocket URL, code from ?code=) of what the player typed."""
    if "://" not in url:
        url = "http://" + url
    parts = urlsplit(url)
    scheme = {"http": "ws", "https": "wss", "ws": "ws", "wss": "wss"}.get(parts.scheme)
    if scheme is None or not parts.netloc:
        raise ValueError(f"'{url}' is not a room address like {DEFAULT_URL}")
    code = parse_qs(parts.query).get("code", [None])[0]
    base = parts.path if parts.path.endswith("/") else parts.path.rsplit("/", 1)[0] + "/"
    page = urlunsplit(
        (parts.scheme if scheme != parts.scheme else "http", parts.netloc, base, "", "")
    )
    return page, urlunsplit((scheme, parts.netloc, base + "ws", "", "")), code


FATAL = ("bad-code", "name-taken", "bad-name", "full", "locked", "removed")


# --- what a player is told: one wording for `quiz join --plain` and the `quiz join` screen

HOST_CLOSED = "The host closed the room."
GOING_AWAY = 1001  # the close code quiz.room.server's stop() ends every socket with

# When a room's error frame has no message of its own: never its internal code.
REFUSALS = {
    "bad-code": "no room with that code here; check the code",
    "name-taken": "someone in the room already has that name",
    "bad-name": "that name cannot be used",
    "full": "the room is full",
    "locked": "the host has locked the room",
    "removed": "the host removed you from this room",
}


def closed_by_host(close_code: int | None) -> bool:
    """Whether the room's socket ended because the host closed the room (q, Ctrl+C).

    A host that quits closes every socket with 1001 (going away). A computer
    that goes away (kill -9, a lost network) sends no close frame at all: the
    socket just ends, and the player rejoins by itself.
    """
    return close_code == GOING_AWAY


def no_room(page: str) -> str:
    """Nothing answered at the room's address."""
    return f"No room is answering at {page} (is `quiz host` running?)"


def connect_failure(exc: BaseException, page: str) -> str | None:
    """What a failed connection to ``page`` tells the player; None for a room that is busy (503)."""
    import aiohttp

    if isinstance(exc, aiohttp.WSServerHandshakeError):
        if exc.status == 503:
            return None  # its sockets are all taken for now: a flood is dropped within seconds
        return f"There is no room at {page} (the server answered HTTP {exc.status})"
    return no_room(page)


def refusal(frame: dict[str, Any], joined: bool) -> tuple[str, bool]:
    """A room's error frame as the player reads it, and whether it ends this try to play."""
    code = str(frame.get("code"))
    message = clean(str(frame.get("message", ""))) or REFUSALS.get(code, "the room said no")
    return message, code in FATAL and (not joined or code == "removed")


def chosen(frame: dict[str, Any], mine: int | None, answered: bool) -> tuple[int | None, bool]:
    """(the player's choice or None, whether they answered) at a reveal.

    A room that names the player's `choice` (null: no answer) is believed;
    otherwise the client goes by the pick the room confirmed (``mine``) and
    by whether the room said this question was answered (from another device,
    say). A right answer with no pick known was the answer itself.
    """
    correct = bool(frame.get("correct"))
    if "choice" in frame:
        told = frame["choice"]
        pick = told if isinstance(told, int) else None
        return pick, correct or pick is not None
    pick = mine if mine is not None else int(frame.get("answer", 0)) if correct else None
    return pick, correct or pick is not None or answered


def verdict(correct: bool, answered: bool, timed: bool) -> str:
    """The reveal's first word, as the page says it: right, wrong, or no answer (time's up)."""
    if correct:
        return "\u2713 Right!"
    if answered:
        return "\u2717 Wrong."
    return "Time's up." if timed else "No answer."


def lettered(index: int, choices: list[str]) -> str:
    """``B: text`` for choice ``index`` (just ``B`` when the question was never shown)."""
    letter = LETTERS[index].upper() if 0 <= index < len(LETTERS) else str(index + 1)
    text = clean(choices[index]) if 0 <= index < len(choices) else ""
    return f"{letter}: {text}" if text else letter


def picks_line(answer: int, pick: int | None, answered: bool, choices: list[str]) -> str:
    """ "The answer is B: <text>. You chose C: <text>." (or "You did not answer.")."""
    line = f"The answer is {lettered(answer, choices)}."
    if pick is not None:
        line += f" You chose {lettered(pick, choices)}."
    elif not answered:
        line += " You did not answer."
    return line  # answered from another device: the room did not say what


class Player:
    """`quiz join --plain`: one player in line mode, answers read from a stream."""

    def __init__(
        self,
        url: str,
        code: str | None,
        name: str | None,
        stdin: TextIO,
        stdout: TextIO,
        *,
        retry_seconds: float = 300.0,
    ) -> None:
        self.url = url
        self.code = code
        self.name = name
        self.stdin = stdin
        self.stdout = stdout
        self.token: str | None = None
        self.retry_seconds = retry_seconds
        self.reader: LineReader | None = None
        self.input_ended = False
        self.pending: asyncio.Task[None] | None = None
        # The last question shown (number, choices, timed): a reveal names its choices.
        self.asked: tuple[int, list[str], bool] | None = None
        self.sent: tuple[int, int] | None = None  # (question, choice) sent, not yet confirmed
        self.picked: tuple[int, int] | None = None  # (question, choice) the room confirmed
        self.answered = 0  # the last question the room says this player answered
        self.prompting = False  # a prompt is on the screen, its line not typed yet

    def say(self, text: str = "", end: str = "\n") -> None:
        # The one door to this player's terminal: what the room, the URL or an
        # error says is data (a line at a time, so clean() keeps no newline).
        self.stdout.write(clean(text) + end)
        self.stdout.flush()

    async def ask(self, prompt: str) -> str | None:
        assert self.reader is not None
        self.say(prompt, end="")
        self.prompting = True
        line = await self.reader.get()
        self.prompting = False
        if line is None:
            self.input_ended = True
            self.say()
            return None
        return line.strip()

    async def run(self) -> int:
        import aiohttp

        self.reader = LineReader(self.stdin)
        try:
            page, url, from_url = ws_url(self.url)
        except ValueError as exc:
            self.say(f"quiz: {exc}")
            return 1
        self.code = self.code or from_url
        if not self.code:
            self.code = await self.ask("Room code: ")
            if not self.code:
                self.say("quiz: no room code given; use --code CODE")
                return 1
        if not self.name:
            self.name = await self.ask("Your name: ")
            if not self.name:
                self.say("quiz: no name given; use --name NAME")
                return 1
        delay = 0.5
        loop = asyncio.get_running_loop()
        give_up = loop.time() + self.retry_seconds
        busy = False
        async with aiohttp.ClientSession() as session:
            while True:
                closed: int | None = None
                try:
                    async with session.ws_connect(url, heartbeat=20.0) as ws:
                        delay = 0.5
                        result = await self._play(ws)
                        closed = ws.close_code
                        if result is not None:
                            return result
                except (aiohttp.ClientError, OSError) as exc:
                    message = connect_failure(exc, page)
                    if message is None and loop.time() <= give_up:
                        if not busy:
                            self.say("The room has too many connections; trying again...")
                        busy = True
                        await asyncio.sleep(delay)
                        delay = min(delay * 2, 5.0)
                        continue
                    if self.token is None:
                        self.say(message or "The room stayed too busy to join.")
                        return 1
                if closed_by_host(closed):
                    self.say(HOST_CLOSED)
                    return 0
                if closed is not None:  # the room was there: the time to wait counts from now
                    give_up = loop.time() + self.retry_seconds
                if self.token is None or loop.time() > give_up:
                    self.say("quiz: lost the connection to the room")
                    return 1
                self.say("Connection lost; rejoining...")
                await asyncio.sleep(delay)
                delay = min(delay * 2, 5.0)

    async def _play(self, ws: Any) -> int | None:
        import aiohttp

        try:
            await ws.send_str(frames.join(self.code, self.name, self.token))
            async for msg in ws:
                if msg.type != aiohttp.WSMsgType.TEXT:
                    break
                frame = read_frame(msg.data)  # checked, bounded, display-safe (quiz.room.frames)
                if frame is None:
                    continue
                code = await self._on(ws, frame)
                if code is not None:
                    return code
            return None
        finally:
            self._stop_asking()

    async def _on(self, ws: Any, frame: dict[str, Any]) -> int | None:
        kind = frame.get("type")
        if kind == "welcome":
            back = self.token is not None
            if self.token != frame.get("token"):
                self.picked, self.answered = None, 0
            self.token = str(frame.get("token"))
            self.name = str(frame.get("name"))
            if back:
                self.say(f"Back in the room as {clean(self.name)}.")
            else:
                self.say(
                    f"Joined as {clean(self.name)} ({frame.get('players')} in the room). "
                    "Waiting for the host to start."
                )
        elif kind == "lobby":
            names = [clean(str(n)) for n in frame.get("players", [])]
            self.say(f"Players ({len(names)}): {', '.join(names)}")
        elif kind == "question":
            self._stop_asking()
            number = int(frame.get("question", 0))
            choices = [clean(str(c)) for c in frame.get("choices", [])]
            seconds = frame.get("seconds")
            self.asked = (number, choices, seconds is not None)
            self.say()
            timer = f"   {seconds} seconds" if seconds else ""
            self.say(f"Question {number}/{frame.get('count')}{timer}")
            self.say(clean(str(frame.get("prompt", ""))))
            for k, choice in enumerate(choices):
                self.say(f"  {k + 1} {LETTERS[k].upper()}  {choice}")
            self._drop_early_lines()
            self.pending = asyncio.ensure_future(self._answer(ws, number, len(choices)))
        elif kind == "answered":
            self.answered = int(frame.get("question", 0))
            if self.sent is not None and self.sent[0] == self.answered:
                self.picked = self.sent
            if self.asked and self.asked[0] == self.answered:
                self._stop_asking()  # answered before a drop, or from another device
            self.say("Locked in.")
        elif kind == "reveal":
            self._stop_asking()
            self._reveal(frame)
        elif kind == "leaderboard":
            top = [f"{clean(str(t.get('name')))} {t.get('score')}" for t in frame.get("top", [])]
            self.say("Top 5: " + ", ".join(top))
        elif kind == "end":
            podium = ", ".join(
                f"{t.get('place')}. {clean(str(t.get('name')))} {t.get('score')}"
                for t in frame.get("podium", [])
            )
            self.say()
            self.say(
                f"Game over: place {frame.get('rank')}, score {frame.get('score')}, "
                f"{frame.get('correct')}/{frame.get('count')} right."
            )
            self.say(f"Podium: {podium}")
            return 0
        elif kind == "error":
            message, fatal = refusal(frame, joined=self.token is not None)
            if fatal:
                self.say(f"quiz: {message}")
                return 1
            self.say(f"Room: {message}")
        return None

    def _reveal(self, frame: dict[str, Any]) -> None:
        number = int(frame.get("question", 0))
        asked = self.asked if self.asked is not None and self.asked[0] == number else None
        choices, timed = (asked[1], asked[2]) if asked is not None else ([], False)
        mine = self.picked[1] if self.picked is not None and self.picked[0] == number else None
        pick, answered = chosen(frame, mine, self.answered == number)
        self.say(
            f"{verdict(bool(frame.get('correct')), answered, timed)} +{frame.get('points')} points. "
            f"Score {frame.get('score')}, place {frame.get('rank')} of {frame.get('players')}."
        )
        self.say(picks_line(int(frame.get("answer", 0)), pick, answered, choices))
        self.say(f"Why: {clean(str(frame.get('explanation', '')))}")
        self.say(f"Source: {clean(str(frame.get('source', '')))}")

    def _stop_asking(self) -> None:
        """No more answer to this question: its prompt ends its line before anything else is said."""
        if self.pending is not None:
            self.pending.cancel()
            self.pending = None
        if self.prompting:
            self.prompting = False
            self.say()

    def _drop_early_lines(self) -> None:
        """Lines typed or piped before this question opened are not answers to it."""
        assert self.reader is not None
        dropped, ended = self.reader.drop_waiting()
        if dropped:
            self.say(f"({plural(dropped, 'line')} typed before the question opened: not taken.)")
        if ended and not self.input_ended:
            self.input_ended = True
            self.say("End of input: no more answers.")

    async def _answer(self, ws: Any, number: int, choices: int) -> None:
        if self.input_ended:
            return
        hint = f"1-{choices} or {LETTERS[0]}-{LETTERS[choices - 1]}"
        while True:
            line = await self.ask(f"Your answer ({hint}): ")
            if line is None:
                self.say("End of input: no more answers.")
                return
            choice = parse_choice(line, choices)
            if choice is not None:
                self.sent = (number, choice)
                await ws.send_str(frames.answer(number, choice))
                return
            self.say(f"Type {hint}.")
