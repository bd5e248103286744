"""The room's record, field by field: what `quiz host --resume` accepts, each within bounds.

One pydantic model per part (the room, a player, an answer, extra time, a
round), bounded as a game save is: anyone with the saves folder can edit the
file, and what it holds becomes players' games. That the fields fit together
is quiz.room.restore's to check.
"""

from __future__ import annotations

from datetime import UTC, datetime
from typing import Annotated, Literal

from pydantic import AfterValidator, BaseModel, ConfigDict, Field

from quiz.deckfile.schema import Slug
from quiz.game.play import Scoring
from quiz.room.players import EXTRA_MAX, EXTRA_MIN
from quiz.room.roster import TEAMS_MAX, TeamMode
from quiz.room.wire import ITEMS_MAX, TYPED_MAX, VALUE_MAX, Phase
from quiz.saves.folder import MAX_SAVE_BYTES
from quiz.saves.records import MAX_SECONDS, Long, Short, Signed

MAX_QUESTIONS = 100_000
MAX_RECORD_BYTES = MAX_SAVE_BYTES * 128  # a room of 10,000 players and 50 questions fits (84 MB)
MAX_PLAYERS = 40_000  # --max-players allows 10,000 at once (spread); removed players stay
# The forms a room planned before its record kept them (issue 25): make_quiz's default then.
OLD_KINDS = ("multiple", "boolean", "timeline")
Kind = Literal["multiple", "boolean", "timeline", "typed", "estimate", "order"]  # KINDS


class _Model(BaseModel):
    # Bounded as a game save is (quiz.saves.records): anyone with the saves folder can
    # edit this file, and what it holds becomes players' games and their saves.
    model_config = ConfigDict(extra="ignore", strict=True, frozen=True, allow_inf_nan=False)


QuestionNumber = Annotated[int, Field(ge=1, le=MAX_QUESTIONS)]


class PlayerRecord(_Model):
    name: Short
    token_sha256: Annotated[str, Field(pattern=r"^[0-9a-f]{64}$")]
    first: QuestionNumber
    removed: bool = False
    game: Annotated[str, Field(min_length=1, max_length=64, pattern=r"^[A-Za-z0-9_-]+$")]
    score: Signed | None = None  # written for people; checked against the answers
    team: Short | None = None  # issue 26: one of the record's `teams`
    # Issue 26, a self-paced room: where the player is (their question, 1-based, and its
    # step) and how long their open question had run.
    at: QuestionNumber | None = None
    step: Literal["question", "reveal", "done"] | None = None
    elapsed: Annotated[float, Field(ge=0, le=MAX_SECONDS)] = 0.0
    extra: Annotated[float, Field(ge=EXTRA_MIN, le=EXTRA_MAX)] = 1.0  # issue 26: extra time
    # Extra time the host set during the game: it applies from the player's next question.
    extra_next: Annotated[float, Field(ge=EXTRA_MIN, le=EXTRA_MAX)] | None = None


class AnswerRecord(_Model):
    player: Short
    player_index: Annotated[int, Field(ge=0, lt=MAX_PLAYERS)] | None = None  # absent: by name
    question: QuestionNumber
    id: Short
    choice: Annotated[int, Field(ge=0, le=25)] | None = None
    # Issue 25: what was given to a question without choices, and a part's share.
    text: Annotated[str, Field(max_length=TYPED_MAX)] | None = None
    value: Annotated[int, Field(ge=-VALUE_MAX, le=VALUE_MAX)] | None = None
    order: (
        Annotated[list[Annotated[int, Field(ge=0, lt=ITEMS_MAX)]], Field(max_length=ITEMS_MAX)]
        | None
    ) = None
    credit: Annotated[float, Field(ge=0, le=1)] | None = None
    correct: bool
    seconds: Annotated[float, Field(ge=0, le=MAX_SECONDS)]
    points: Signed
    round: QuestionNumber | None = None  # issue 26: the round of `question` (checked)
    # The player's own limit for this question when their extra time changed after it.
    limit: Annotated[int, Field(ge=1, le=MAX_SECONDS)] | None = None


class ExtraRecord(_Model):
    """Extra time asked for a player not in the room yet (`--extra-time`)."""

    name: Short
    times: Annotated[float, Field(ge=EXTRA_MIN, le=EXTRA_MAX)]


class RoundRecord(_Model):
    title: Short
    count: QuestionNumber


FUTURE_SLACK_SECONDS = 86_400  # a clock set a day ahead on the host's machine is still a clock


def _a_past_moment(text: str) -> str:
    """A room's start as it writes one (`now_utc`): a real moment with its offset, not ahead
    of now (``9999-99-99T99:99:99Z`` is no moment, 2999 has not come)."""
    if not text:
        return text
    try:
        moment = datetime.fromisoformat(text)
    except ValueError:
        raise ValueError(f"'{text}' is not a date and time") from None
    if moment.tzinfo is None:
        raise ValueError(f"'{text}' has no offset from UTC")
    if (moment - datetime.now(UTC)).total_seconds() > FUTURE_SLACK_SECONDS:
        raise ValueError(f"'{text}' has not come yet")
    return text


class RoomRecord(_Model):
    format: Literal[1]
    code: Annotated[str, Field(pattern=r"^[0-9]{6}$")]
    seed: Annotated[int, Field(ge=0, le=2**63)]
    deck: Slug  # a deck's id, as the deck format has it: never a path
    deck_title: Long = ""
    count: QuestionNumber
    timer: Annotated[int, Field(ge=0, le=3600)] = 0
    scoring: Scoring = "speed"
    started: Annotated[
        str, Field(max_length=40, pattern=r"^[0-9T:.+Z-]*$"), AfterValidator(_a_past_moment)
    ] = ""
    phase: Phase
    question: Annotated[int, Field(ge=0, le=MAX_QUESTIONS)]
    questions: Annotated[list[Short], Field(max_length=MAX_QUESTIONS)]
    # Added in issue 25 (absent: `OLD_KINDS`): the forms the questions were planned with.
    kinds: Annotated[list[Kind], Field(min_length=1, max_length=len(OLD_KINDS) * 2)] | None = None
    players: Annotated[list[PlayerRecord], Field(max_length=MAX_PLAYERS)] = []
    answers: list[AnswerRecord] = []
    # Added in issue 23 (absent in older records): how long the open question had
    # run, and how many players each question asked so far had (checked).
    elapsed: Annotated[float, Field(ge=0, le=MAX_SECONDS)] = 0.0
    present: Annotated[
        list[Annotated[int, Field(ge=0, le=MAX_PLAYERS)]], Field(max_length=MAX_QUESTIONS)
    ] = []
    # Added in issue 24 (absent in older records): how the room was opened, so
    # `quiz host --resume` listens where it did (players' pages rejoin that
    # address); a flag given again wins. The host is only ever an address.
    host: (
        Annotated[str, Field(min_length=1, max_length=253, pattern=r"^[A-Za-z0-9.:%_-]+$")] | None
    ) = None
    port: Annotated[int, Field(ge=1, le=65535)] | None = None
    max_players: Annotated[int, Field(ge=1, le=10_000)] | None = None  # --max-players' range
    leaderboard: Literal["each", "round", "end", "off"] | None = None
    show_question: bool | None = None  # issue 26: --show-question-on-devices (absent: on)
    # Issue 26 (absent: one round, no teams): the rounds' titles and sizes, the teams.
    rounds: Annotated[list[RoundRecord], Field(max_length=MAX_QUESTIONS)] | None = None
    teams: Annotated[list[Short], Field(min_length=2, max_length=TEAMS_MAX)] | None = None
    team_mode: TeamMode = "pick"
    # Issue 26: self-paced homework, and when it closes (ISO 8601 with its offset).
    self_paced: bool = False
    until: Annotated[str, Field(max_length=40, pattern=r"^[0-9T:.+Z-]*$")] | None = None
    extra_time: Annotated[list[ExtraRecord], Field(max_length=MAX_PLAYERS)] = []
