"""`quiz join --plain`: one player in line mode, each question printed, one answer a line."""

from __future__ import annotations

import asyncio
from typing import Any, TextIO

from quiz.game.judge import parse_answer
from quiz.plain.lines import LineReader
from quiz.plain.play import ask_lines, choice_hint
from quiz.questions.question import Question
from quiz.room import protocol, tokens
from quiz.room.client import (
    HANDSHAKE_SECONDS,
    HOST_CLOSED,
    LETTERS,
    NEXT_KEYS,
    ON_HOST_SCREEN,
    announcements_due,
    board_title,
    chosen,
    closed_by_host,
    connect,
    connect_failure,
    done_line,
    end_tally,
    homework_line,
    next_announcement,
    no_room,
    picks_line,
    points_line,
    refusal,
    retry_delay,
    round_line,
    stand_in,
    teams_line,
    time_words,
    top_line,
    unchosen_lines,
    verdict,
    waiting,
    ws_url,
)
from quiz.room.client import session as client_session
from quiz.room.protocol import read as read_frame
from quiz.text import clean, plural


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
        team: str | None = None,
        handshake_seconds: float = HANDSHAKE_SECONDS,
    ) -> None:
        self.handshake_seconds = handshake_seconds
        self.team = team  # `quiz join --team`: the team asked for, by name or number
        self.on_team: str | None = None  # the team the room put this player on
        self.teams: list[str] = []  # self-paced homework: the teams to pick from
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
        # The last question shown, as a stand-in (quiz.room.client.stand_in): how its answer is read.
        self.question: Question | None = None
        self.sent: tuple[int, int] | None = None  # (question, choice) sent, not yet confirmed
        self.picked: tuple[int, int] | None = None  # (question, choice) the room confirmed
        self.answered = 0  # the last question the room says this player answered
        self.prompting = False  # a prompt is on the screen, its line not typed yet
        self.prompt = ""  # that prompt's words, said again after a line said over it
        # The time left said aloud at thresholds while a question waits for this player.
        self.countdown: asyncio.Task[None] | None = None
        self.tries = (
            0  # tries to reach the room since the last welcome (quiz.room.client.retry_delay)
        )
        self.self_paced = False  # self-paced homework: Enter or n after a reveal, the next now
        self.kept: str | None = None  # the token an earlier `quiz join` kept (quiz.room.tokens)
        self.room_url = ""

    def say(self, text: str = "", end: str = "\n") -> None:
        # The one door to this player's terminal: what the room, the URL or an
        # error says is data (a line at a time, so clean() keeps no newline).
        self.stdout.write(clean(text) + end)
        self.stdout.flush()

    async def ask(self, prompt: str) -> str | None:
        assert self.reader is not None
        self.say(prompt, end="")
        self.prompt = prompt
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
        if not self.code or not self.name:
            # Nothing to ask for when no room is there: say so first (newcomer N4).
            refused = await room_missing(page)
            if refused is not None:
                self.say(refused)
                return 1
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
        # A token kept by an earlier `quiz join` with this name and code (quiz.room.tokens).
        self.room_url = url
        self.kept, note = tokens.take(url, self.code, self.name)
        if note:
            self.say(f"quiz: {note}")
        loop = asyncio.get_running_loop()
        give_up = loop.time() + self.retry_seconds
        busy = False
        async with client_session(self.handshake_seconds) as session:
            while True:
                closed: int | None = None
                try:
                    async with await connect(session, url, self.handshake_seconds) as ws:
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
                        await asyncio.sleep(retry_delay(self.tries))
                        self.tries += 1
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
                await asyncio.sleep(retry_delay(self.tries))
                self.tries += 1

    async def _play(self, ws: Any) -> int | None:
        import aiohttp

        try:
            token = self.token or self.kept
            await ws.send_str(protocol.join(self.code, self.name, token, self.team))
            async for msg in ws:
                if msg.type != aiohttp.WSMsgType.TEXT:
                    break
                frame = read_frame(msg.data)  # checked, bounded, display-safe (quiz.room.protocol)
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
            self.tries = 0
            back = self.token is not None or (
                self.kept is not None and self.kept == frame.get("token")
            )
            if self.token != frame.get("token"):
                self.picked, self.answered = None, 0
            self.token = str(frame.get("token"))
            if self.kept != self.token and self.code and self.name:
                # Kept for the next `quiz join` with this name and code: back with the score.
                if note := tokens.keep(self.room_url, self.code, self.name, self.token):
                    self.say(f"quiz: {note}")
                self.kept = self.token
            self.name = str(frame.get("name"))
            if back:
                self.say(f"Back in the room as {clean(self.name)}.")
            else:
                self.say(
                    f"Joined as {clean(self.name)} ({frame.get('players')} in the room). "
                    + waiting(frame)
                )
            self.self_paced = bool(frame.get("self_paced"))
            if self.self_paced and not back:
                self.say(homework_line(frame))
            teams = [clean(str(t)) for t in frame.get("teams") or []]
            if frame.get("team"):
                self.on_team = str(frame.get("team"))
                self.say(f"Your team: {clean(self.on_team)}.")
            elif teams and frame.get("pick") and frame.get("phase") == "lobby":
                # Teams to pick, as the phone's buttons ask: in homework the first
                # question follows the pick; in a paced room whoever has not picked
                # when the game starts is put on the smallest team.
                self.teams = teams
                self._stop_asking()
                self.pending = asyncio.ensure_future(self._pick(ws))
            elif teams:
                self.say(
                    f"Teams: {', '.join(teams)}. You are put on one when the game starts "
                    "(or join with --team NAME)."
                )
        elif kind == "team":
            self.on_team = str(frame.get("team"))
            self.say(f"Your team: {clean(self.on_team)}.")
        elif kind == "round":
            self.say()
            self.say(round_line(frame))
        elif kind == "teams":
            self.say("Teams: " + teams_line(frame, self.on_team))
        elif kind == "lobby":
            names = [clean(str(n)) for n in frame.get("players", [])]
            self.say(f"Players ({len(names)}): {', '.join(names)}")
        elif kind == "question":
            self._stop_asking()
            number = int(frame.get("question", 0))
            choices = [clean(str(c)) for c in frame.get("choices", [])]
            seconds = frame.get("seconds")
            self.asked = (number, choices, seconds is not None)
            self.question = question = stand_in(frame)
            self.say()
            timer = f"   {seconds} seconds" if seconds else ""
            self.say(f"Question {number}/{frame.get('count')}{timer}")
            self.say(question.prompt or ON_HOST_SCREEN)
            if (
                question.unchosen
            ):  # the items to order, an estimate's range: as `quiz play` shows them
                lines, hint = ask_lines(question)
            else:
                lines = [f"  {k + 1} {LETTERS[k].upper()}  {c}" for k, c in enumerate(choices)]
                hint = choice_hint(len(choices), question.true_false)
            for line in lines:
                self.say(line)
            self._drop_early_lines()
            self.pending = asyncio.ensure_future(self._answer(ws, number, question, hint))
            if isinstance(seconds, int) and seconds > 0 and not self.input_ended:
                self.countdown = asyncio.ensure_future(self._count_down(seconds))
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
            if self.self_paced and not self.input_ended:
                self.pending = asyncio.ensure_future(self._next(ws))
        elif kind == "leaderboard":
            self.say(f"{board_title(frame)}: {top_line(frame)}")
        elif kind == "end" and frame.get("final") is False:
            self._stop_asking()
            self.say()
            self.say(done_line(frame))  # the results follow when the homework closes
        elif kind == "end":
            if self.code and self.name:
                tokens.forget(self.room_url, self.code, self.name)  # the game is over
            podium = ", ".join(
                f"{t.get('place')}. {clean(str(t.get('name')))} {t.get('score')}"
                for t in frame.get("podium", [])
            )
            self.say()
            self.say(
                f"Game over: place {frame.get('rank')}, score {frame.get('score')}, "
                f"{end_tally(frame)}."
            )
            self.say(f"Podium: {podium}")
            return 0
        elif kind == "error":
            message, fatal = refusal(frame, joined=self.token is not None)
            if fatal:
                self.say(f"quiz: {message}")
                return 1
            self.say(f"Room: {message}")
            if frame.get("code") == "bad-team" and self.teams and self.on_team is None:
                self.pending = asyncio.ensure_future(self._pick(ws))  # ask again
        return None

    def _reveal(self, frame: dict[str, Any]) -> None:
        number = int(frame.get("question", 0))
        asked = self.asked if self.asked is not None and self.asked[0] == number else None
        choices, timed = (asked[1], asked[2]) if asked is not None else ([], False)
        mine = self.picked[1] if self.picked is not None and self.picked[0] == number else None
        standing = (
            f"{points_line(frame)}. "  # the parts too, as on the phone and the screen
            f"Score {frame.get('score')}, place {frame.get('rank')} of {frame.get('players')}."
        )
        if frame.get("kind") in ("typed", "estimate", "order"):
            shown = self.question if self.question is not None and asked is not None else None
            answered = frame.get("given") is not None or bool(frame.get("correct"))
            said = verdict(bool(frame.get("correct")), answered, timed, frame.get("credit"))
            yours, answer = unchosen_lines(frame, shown)
            self.say(f"{said} {standing}")
            self.say(f"{yours} {answer}")
        else:
            pick, answered = chosen(frame, mine, self.answered == number)
            self.say(f"{verdict(bool(frame.get('correct')), answered, timed)} {standing}")
            self.say(picks_line(int(frame.get("answer") or 0), pick, answered, choices))
        self.say(f"Why: {clean(str(frame.get('explanation', '')))}")
        self.say(f"Source: {clean(str(frame.get('source', '')))}")

    async def _count_down(self, seconds: int) -> None:
        """The time left, said at thresholds (once a minute, every 10 s in the last minute,
        every second in the last 10 s: `announcements_due`), until the answer is locked in."""
        loop = asyncio.get_running_loop()
        opened = loop.time()
        said = 0.0
        while (due := next_announcement(seconds, said)) is not None:
            await asyncio.sleep(max(0.0, opened + due - loop.time()))
            now = loop.time() - opened
            marks = announcements_due(seconds, said, now)
            said = now
            if marks:  # only the latest, if the loop was late: never a burst of old times
                self._over_prompt(time_words(marks[-1]))

    def _over_prompt(self, line: str) -> None:
        """A line said while the prompt waits: on a line of its own, then the prompt again."""
        if self.prompting:
            self.say()
            self.say(line)
            self.say(self.prompt, end="")
        else:
            self.say(line)

    def _stop_asking(self) -> None:
        """No more answer to this question: its prompt ends its line before anything else is said."""
        if self.countdown is not None:
            self.countdown.cancel()
            self.countdown = None
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

    async def _next(self, ws: Any) -> None:
        """Self-paced: Enter (or n) for the next question now; it comes by itself soon anyway."""
        while True:
            line = await self.ask("Enter or n: the next question now (it comes by itself): ")
            if line is None:
                return
            if line.lower() in NEXT_KEYS:
                await ws.send_str(protocol.next_question())
                return
            self.say("Press Enter or n for the next question.")

    async def _pick(self, ws: Any) -> None:
        """A room with teams to pick (`--teams N`): the player picks theirs by number or name."""
        listed = ", ".join(f"{k + 1} {t}" for k, t in enumerate(self.teams))
        self.say(f"Teams: {listed}.")
        while True:
            line = await self.ask(f"Your team (1-{len(self.teams)} or its name): ")
            if line is None:
                self.say("End of input: no team picked (join with --team NAME).")
                return
            if line:
                await ws.send_str(protocol.pick_team(line))
                return

    async def _answer(self, ws: Any, number: int, question: Question, hint: str) -> None:
        if self.input_ended:
            return
        while True:
            line = await self.ask(f"Your answer ({hint}): ")
            if line is None:
                self.say("End of input: no more answers.")
                return
            # Read as `quiz play --plain` reads it (quiz.game.judge): t/f on a true/false too.
            given = parse_answer(question, line)
            if isinstance(given, str):
                self.say(given if question.unchosen else f"Type {hint}.")
                continue
            if given.choice is not None:
                self.sent = (number, given.choice)
            await ws.send_str(
                protocol.answer(
                    number, given.choice, text=given.text, value=given.value, order=given.order
                )
            )
            return


async def room_missing(page: str, seconds: float = 5.0) -> str | None:
    """Why there is no room to join at ``page`` (its HTTP page, asked once), else None.

    Before the player is asked for a code or a name: a room that is not there is
    said at once, in the words a failed join uses (quiz.room.client.no_room).
    """
    import aiohttp

    try:
        async with (
            aiohttp.ClientSession(timeout=aiohttp.ClientTimeout(total=seconds)) as session,
            session.get(page, allow_redirects=False) as response,
        ):
            status = response.status
    except (aiohttp.ClientError, OSError, TimeoutError):
        return no_room(page)
    if status >= 400 and status != 503:  # 503: a room whose sockets are all taken for now
        return f"There is no room at {page} (the server answered HTTP {status})"
    return None
