"""`quiz host --plain`: the room's events as lines, one Enter a step (screen readers, pipes)."""

from __future__ import annotations

import asyncio
from typing import Any, TextIO

from quiz.plain.homework import run_homework
from quiz.plain.host_lines import (
    card_lines,
    closing_line,
    end_lines,
    extra_command,
    joined_line,
    opening_lines,
    question_lines,
    resume_command,
    reveal_lines,
    saved_line,
    unsaved_lines,
)
from quiz.plain.host_output import DRAIN_SECONDS, Output, Paced
from quiz.plain.lines import LineReader
from quiz.room.state import Room
from quiz.room.steps import JUST_OPENED, JUST_REVEALED
from quiz.text import clean, plural

AUTO_STEP = 5.0  # seconds a step waits once the host's input has ended


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
        return joined_line(names, back, room.active_count())

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
            for line in unsaved_lines(server):
                say(line)
            say(
                f"Saved {plural(len(server.saved_games), 'other game')}. The room's record "
                f"is kept: `{resume_command(server)}` saves the rest later."
            )
        elif server.save_error:
            say(f"Could not save: {server.save_error}")
        else:
            say(saved_line(server))

    server.listeners.append(on_event)
    for text in opening_lines(server):
        say(text)
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
