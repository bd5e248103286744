"""What a room's clients say and where they connect: the words both `quiz join`s share."""

from __future__ import annotations

import asyncio
import math
from typing import Any
from urllib.parse import parse_qs, urlsplit, urlunsplit

from quiz.game.judge import estimate_line, given_text, tally
from quiz.questions.question import UNCHOSEN, Question
from quiz.room.wire import REPLACED
from quiz.text import clean, plural

DEFAULT_URL = "http://127.0.0.1:8765/"
LETTERS = "abcdefghij"


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


FATAL = (
    "bad-code", "name-taken", "bad-name", "full", "locked", "removed", "replaced", "bad-team",
)  # fmt: skip
# Fatal even once playing: the seat is gone, or taken by the same player elsewhere.
ENDS_PLAY = ("removed", "replaced")
HOST_CLOSED = "The host closed the room."
# A question sent without its text (`quiz host --show-question-on-devices off`, issue 26):
# the page's ON_SCREEN in quiz/web/room.js says the same.
ON_HOST_SCREEN = "The question is on the host's screen."
# What a player is told on joining, by the room's phase in its welcome (the page's WAIT
# in quiz/web/room.js says the same): a late joiner is never told to wait for a start.
WAITING = {
    "lobby": "Waiting for the host to start.",
    "question": "The game is on: a question is open, and it comes up now.",
    "reveal": "The game is on: you play from the next question, when the host moves on.",
    "end": "The game is over.",
}
# Between tries to rejoin a room that went away, as the player page waits: at once, then
# every second for ten seconds, then every 3 s. A welcome starts the count again.
RETRY_DELAYS = (0.25, 1.0, 1.0, 1.0, 1.0, 1.0, 1.0, 1.0, 1.0, 1.0, 2.0, 3.0)


def retry_delay(tries: int) -> float:
    """Seconds before try number ``tries`` (0: the first) to reach the room again."""
    return RETRY_DELAYS[min(max(tries, 0), len(RETRY_DELAYS) - 1)]


def waiting(frame: dict[str, Any]) -> str:
    """What a welcome tells the player about where the room is. Self-paced homework has
    no start to wait for: its own line (`homework_line`) says how it goes."""
    if frame.get("self_paced") and str(frame.get("phase", "lobby")) != "end":
        return "Your questions come one after another, at your own pace."
    return WAITING.get(str(frame.get("phase", "lobby")), WAITING["lobby"])


GOING_AWAY = 1001  # the close code quiz.room.server's stop() ends every socket with
# When a room's error frame has no message of its own: never its internal code.
REFUSALS = {
    "bad-code": "no room with that code here; check the code",
    "name-taken": "someone in the room already has that name",
    "bad-name": "that name cannot be used",
    "full": "the room is full",
    "locked": "the host has locked the room",
    "removed": "the host removed you from this room",
    "replaced": REPLACED,
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
        if exc.status in _REDIRECTS:
            return f"The server at {page} sends players elsewhere (HTTP {exc.status}); quiz join never follows"
        return f"There is no room at {page} (the server answered HTTP {exc.status})"
    return no_room(page)


def refusal(frame: dict[str, Any], joined: bool) -> tuple[str, bool]:
    """A room's error frame as the player reads it, and whether it ends this try to play."""
    code = str(frame.get("code"))
    message = clean(str(frame.get("message", ""))) or REFUSALS.get(code, "the room said no")
    return message, code in FATAL and (not joined or code in ENDS_PLAY)


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


def verdict(correct: bool, answered: bool, timed: bool, credit: float | None = None) -> str:
    """The reveal's first word, as the page says it: right, close (part of the points),
    wrong, or no answer (time's up)."""
    if correct:
        return "\u2713 Right!"
    if credit:
        return "\u2248 Close."
    if answered:
        return "\u2717 Wrong."
    return "Time's up." if timed else "No answer."


def points_line(frame: dict[str, Any]) -> str:
    """A reveal's points with their parts, as the terminal says them: "+750 points (500 base +
    250 speed)" (a room before issue 26 sends no parts)."""
    points = frame.get("points") or 0
    parts = clean(str(frame.get("breakdown") or ""))
    return f"+{plural(int(points), 'point')}" + (f" ({parts})" if parts else "")


def round_line(frame: dict[str, Any]) -> str:
    """A round's title card (or a question's round) on one line: "Round 2 of 3: Speed"."""
    number, rounds = frame.get("round"), frame.get("rounds")
    title = clean(str(frame.get("title") or ""))
    head = f"Round {number} of {rounds}"
    return f"{head}: {title}" if title and title != f"Round {number}" else head


def board_title(frame: dict[str, Any]) -> str:
    """What a leaderboard frame is: the game's top 5, or a round's ("Round 1 top 5")."""
    number = frame.get("round")
    return f"Round {number} top 5" if isinstance(number, int) else "Top 5"


def teams_line(frame: dict[str, Any], mine: str | None = None) -> str:
    """A teams frame on one line, best first, ``mine`` marked: "1. Red 1200 (you), 2. Blue 900"."""
    out = []
    for t in frame.get("teams", []):
        name = clean(str(t.get("name")))
        you = " (your team)" if mine is not None and name == clean(mine) else ""
        out.append(f"{t.get('place')}. {name} {t.get('score')}{you}")
    return ", ".join(out)


def top_line(frame: dict[str, Any]) -> str:
    """A leaderboard frame on one line, each with the place the room gave (ties share one)."""
    out = []
    for t in frame.get("top", []):
        place = t.get("place")
        out.append(
            (f"{place}. " if isinstance(place, int) else "")
            + f"{clean(str(t.get('name')))} {t.get('score')}"
        )
    return ", ".join(out)


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


# --- the time said aloud (issue 26 item 4: `quiz join --plain` for screen readers) -----


def time_mark(left: int) -> bool:
    """Whether ``left`` seconds to go is said: each whole minute, every 10 s in the last
    minute, every second in the last 10 s; never every second before that."""
    return left >= 1 and (left <= 10 or (left < 60 and left % 10 == 0) or left % 60 == 0)


def announcements_due(seconds: float, t0: float, t1: float) -> list[int]:
    """The seconds-to-go said between ``t0`` (not included) and ``t1`` seconds after a
    question of ``seconds`` opened, in order; the opening itself is not one (the question
    says its seconds)."""
    return [
        left
        for left in range(math.ceil(seconds) - 1, 0, -1)
        if time_mark(left) and t0 < seconds - left <= t1
    ]


def next_announcement(seconds: float, t: float) -> float | None:
    """When (seconds after the question opened) the next time after ``t`` is said; None: no more."""
    due = announcements_due(seconds, t, seconds)
    return seconds - due[0] if due else None


def time_words(left: int) -> str:
    """ "1 minute left.", "2 minutes left.", "30 seconds left.", "1 second left." """
    if left >= 60 and left % 60 == 0:
        return f"{plural(left // 60, 'minute')} left."
    return f"{plural(left, 'second')} left."


# --- typed, estimate and order questions (issue 25) -----------------------------------


def stand_in(frame: dict[str, Any]) -> Question:
    """A question frame as a stand-in `Question`: what the judge's parsers and words need.

    The room never sends the answer, so the stand-in holds none: it is only for
    reading what the player types (`quiz.game.judge.parse_answer`) and wording the reveal.
    """
    kind = str(frame.get("kind") or "multiple")
    texts = frame.get("items") if kind == "order" else frame.get("choices")
    return Question(
        id="",
        fact="",
        kind=kind,
        prompt=clean(str(frame.get("prompt", ""))),
        choices=tuple(clean(str(t)) for t in texts or ()),
        answer=-1,
        explanation="",
        source="",
        difficulty="",
        low=frame.get("low"),
        high=frame.get("high"),
        unit=clean(str(frame.get("unit") or "")),
        tolerance=_tolerance(frame.get("tolerance")),
    )


def _tolerance(value: object) -> int:
    """An estimate's tolerance from a question frame: a whole number from 0, else 0."""
    return value if isinstance(value, int) and not isinstance(value, bool) and value > 0 else 0


def shown_range(question: Question) -> str:
    """ "A number from 1st to 40th." when the room gives an estimate's range, else ""."""
    if question.kind != "estimate" or question.low is None or question.high is None:
        return ""
    return f"A number from {number_text(question, question.low)} to {number_text(question, question.high)}."


def number_text(question: Question, value: int) -> str:
    """A number as the estimate shows it: "8th" for a place, "2024" for a year, "1,234" else."""
    return given_text(question, None, value, None, None)


def unchosen_lines(frame: dict[str, Any], question: Question | None) -> tuple[str, str]:
    """A typed, estimate or order reveal in words: what the player gave and how close,
    then the answer. ``question``: the stand-in of the question as it was asked, if seen.

    "You said: 8th. 2 places off." / "Your order: A \u2192 C \u2192 B. 2 of 3 pairs in order."
    / "You did not answer."; "The answer is: 6th."
    """
    kind = str(frame.get("kind"))
    given = frame.get("given")
    said = {"typed": "You typed", "estimate": "You said", "order": "Your order"}.get(
        kind, "You gave"
    )
    yours = f"{said}: {clean(str(given))}." if given else "You did not answer."
    close = how_close(frame, question) if given else ""
    answer = f"The answer is: {clean(str(frame.get('answer_text', '')))}."
    return (f"{yours} {close}" if close else yours), answer


def how_close(frame: dict[str, Any], question: Question | None) -> str:
    """ "2 places off." / "Exact." for an estimate, "2 of 3 pairs in order." for an order; else ""."""
    kind = frame.get("kind")
    off = frame.get("off")
    if kind == "estimate" and isinstance(off, int):
        unit = question.unit if question is not None else ""
        return estimate_line(Question("", "", kind, "", (), -1, "", "", "", unit=unit), abs(off))
    if kind == "order":
        right = frame.get("order")
        items = (
            len(right)
            if isinstance(right, list) and right
            else len(question.choices)
            if question
            else 0
        )
        pairs = items * (items - 1) // 2
        credit = frame.get("credit")
        if pairs and isinstance(credit, (int, float)):
            # The share of pairs in order (quiz.game.judge.order_credit), back to a count.
            return f"{round(credit * pairs)} of {plural(pairs, 'pair')} in order."
    return ""


def is_unchosen(kind: object) -> bool:
    """A form with no choices to pick from: typed, estimate or order."""
    return kind in UNCHOSEN


# --- self-paced homework (issue 26) ---------------------------------------------------

NEXT_KEYS = ("", "n", "next")  # what `quiz join` takes, after a reveal, for the next question now


def homework_line(frame: dict[str, Any]) -> str:
    """What a self-paced room's welcome tells the player: their pace, and when it closes."""
    from datetime import datetime

    when = ""
    try:
        if frame.get("until"):
            when = (
                f" until {datetime.fromisoformat(str(frame['until'])).astimezone():%Y-%m-%d %H:%M}"
            )
    except ValueError:
        when = ""
    return f"Self-paced homework{when}: your questions come one after another, at your own pace."


def done_line(frame: dict[str, Any]) -> str:
    """A self-paced player's result before the homework closes (an `end` whose `final` is false)."""
    return (
        f"All done: place {frame.get('rank')} so far, score {frame.get('score')}, "
        f"{end_tally(frame)}. "
        "The results come when the homework closes."
    )


HANDSHAKE_SECONDS = 10.0  # a room that has not finished its handshake by then is not there
_REDIRECTS = frozenset({301, 302, 303, 307, 308})


async def _refuse_redirects(request: Any, handler: Any) -> Any:
    """A room never redirects: following one would hand the code and name to another server."""
    import aiohttp

    response = await handler(request)
    if response.status in _REDIRECTS:
        response.release()
        raise aiohttp.WSServerHandshakeError(
            response.request_info,
            response.history,
            status=response.status,
            message="a redirect",
            headers=response.headers,
        )
    return response


def session(handshake: float = HANDSHAKE_SECONDS) -> Any:
    """The HTTP session `quiz join` (plain and TUI) reaches a room with: no redirects
    followed, and no wait past ``handshake`` seconds for a connection or a byte."""
    import aiohttp

    timeout = aiohttp.ClientTimeout(total=None, connect=handshake, sock_read=handshake)
    return aiohttp.ClientSession(timeout=timeout, middlewares=(_refuse_redirects,))


async def connect(http: Any, url: str, handshake: float = HANDSHAKE_SECONDS) -> Any:
    """The room's WebSocket, its whole handshake within ``handshake`` seconds (a server
    that drips its headers a byte at a time too): TimeoutError, an OSError, past it."""
    async with asyncio.timeout(handshake):
        return await http.ws_connect(url, heartbeat=20.0)


def end_tally(frame: dict[str, Any]) -> str:
    """An end frame's count as every results screen says it: "0/2 right, 2 close"."""

    def number(key: str) -> int:
        value = frame.get(key)
        return value if isinstance(value, int) and not isinstance(value, bool) else 0

    return tally(number("correct"), number("count"), number("close"), word="right")
