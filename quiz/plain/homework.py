"""`quiz host --plain` for self-paced homework: who joins and moves on, the grid, `end`."""

from __future__ import annotations

import asyncio
from typing import Any, TextIO

from quiz.plain.host_lines import (
    closing_line,
    end_lines,
    extra_command,
    opening_lines,
    saved_line,
    unsaved_lines,
)
from quiz.plain.host_output import DRAIN_SECONDS, Output, Paced
from quiz.plain.lines import LineReader
from quiz.room.homework import Homework, step_words, until_words
from quiz.text import clean, plural

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
                for line in unsaved_lines(server) if server.save_failures else [saved_line(server)]:
                    say(line)
            ended.set()
        elif event == "save-error":
            say(f"Could not save: {server.save_error}; trying again.")

    server.listeners.append(on_event)
    for text in opening_lines(server):
        say(text)
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
