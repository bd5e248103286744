"""What the plain host says: the question, the reveal, the boards, the end, its commands.

Each function turns the room into the lines `quiz host --plain` prints; the
host-paced room's loop (quiz.plain.host) and self-paced homework's
(quiz.plain.homework) say them.
"""

from __future__ import annotations

from typing import Any

from quiz.room.client import LETTERS, bar, movement
from quiz.room.forms import how_to_answer, tally
from quiz.room.state import Room
from quiz.room.steps import boards, extra_said
from quiz.room.wire import RoomError
from quiz.text import clean, plural

CLOSED = "Room closed."  # the last line when the host closes the room (Ctrl+C)


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


def joined_line(names: list[str], back: int, players: int) -> str | None:
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


def opening_lines(server: Any) -> list[str]:
    """How a plain host's room opens: where to join, its code, and what it plays."""
    room: Room = server.room
    return [
        *(f"Join at {url}" for url in server.urls()),
        f"code {room.code}",
        f"{clean(room.deck_title)}: {plural(room.count, 'question')}, seed {room.seed}, "
        f"timer {f'{room.timer} s' if room.timer else 'off'}, scoring {room.scoring}.",
    ]


def unsaved_lines(server: Any) -> list[str]:
    """The players' games that could not be saved at the end, one line each."""
    failures = server.save_failures
    return [
        f"Could not save {plural(len(failures), 'player game')}:",
        *(f"  {f}" for f in failures),
    ]


def saved_line(server: Any) -> str:
    """What the host is told when every game and the room's record are saved."""
    return f"Saved {plural(len(server.saved_games), 'player game')} and the room's record."
