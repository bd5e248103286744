"""The game as a pure state machine: questions, answers, scoring, streaks.

Front ends measure time and pass it in; nothing here reads a clock, a
keyboard or a file, so every rule can be tested directly.
"""

from __future__ import annotations

import uuid
from collections.abc import Callable, Mapping, Sequence
from dataclasses import dataclass, field
from datetime import UTC, datetime
from typing import Literal

from quiz.game.judge import verdict
from quiz.model import GameMode
from quiz.questions.question import Question
from quiz.text import plural

# How right answers score: "speed" is Kahoot's (faster scores more, streaks add a
# bonus); "accuracy" is a flat 1000 a right answer. A setting of the game.
Scoring = Literal["speed", "accuracy"]

FIXED_POINTS = 1000
STREAK_STEP = 100
STREAK_MAX = 500


def streak_bonus(streak: int) -> int:
    """Kahoot's answer-streak bonus: 100 for a 2nd right answer in a row, up to 500."""
    return min(STREAK_STEP * max(streak - 1, 0), STREAK_MAX)


def points_for(correct: bool, seconds: float, timer: int | None, streak: int) -> int:
    """Points for one answer; ``streak`` counts this answer if it is right.

    With a timer of T seconds, a right answer after t seconds scores
    round(1000 * (1 - t / (2 * T))), so between 500 and 1000. Without a
    timer it scores a fixed 1000. Either way the streak bonus is added. A
    wrong answer, or no answer in time, scores 0.
    """
    return points_breakdown(correct, seconds, timer, streak).total


@dataclass(frozen=True)
class Points:
    """One answer's points, part by part, as the front ends show them."""

    base: int
    speed: int
    streak: int
    # A near estimate or a partly right order: its share of the points ("2/3") and what
    # a right answer would have earned then (base and speed); "" and 0 otherwise.
    share: str = ""
    whole: int = 0

    @property
    def total(self) -> int:
        return self.base + self.speed + self.streak

    def words(self) -> str:
        """The parts as every front end says them: "500 base + 250 speed + 100 streak"
        (the base always, the bonuses when there are any); a share of the points as the
        share it is, "2/3 of the 1000 a right answer earns"."""
        if self.share:
            return f"{self.share} of the {self.whole} a right answer earns"
        parts = [f"{self.base} base"]
        if self.speed:
            parts.append(f"{self.speed} speed")
        if self.streak:
            parts.append(f"{self.streak} streak")
        return " + ".join(parts)


def points_breakdown(
    credit: float, seconds: float, timer: int | None, streak: int, scoring: Scoring = "speed"
) -> Points:
    """The parts of `points_for`: a right answer's base, its speed bonus and its streak bonus.

    Timed, the base is 500 and the speed bonus up to 500 more (all of it for an
    instant answer, none at the buzzer); untimed, the base is 1000 and there is
    no speed bonus. Scored for accuracy, a right answer is 1000 and nothing more.

    ``credit`` is the share of the points earned (True/1 for a right answer,
    False/0 for a wrong one): a near estimate or a partly right order earns that
    share of the base and of the speed bonus, rounded, and no streak bonus (only
    a right answer makes a streak).
    """
    credit = min(max(float(credit), 0.0), 1.0)
    if credit == 0.0:
        return Points(0, 0, 0)
    bonus = streak_bonus(streak) if credit == 1.0 else 0
    if scoring == "accuracy":
        return Points(round(FIXED_POINTS * credit), 0, 0)
    if timer is None:
        return Points(round(FIXED_POINTS * credit), 0, bonus)
    t = min(max(seconds, 0.0), float(timer))
    total = round(1000 * (1 - t / (2 * timer)) * credit)
    base = round(FIXED_POINTS // 2 * credit)
    return Points(base, total - base, bonus)


def share_breakdown(
    credit: float, seconds: float, timer: int | None, streak: int, scoring: Scoring = "speed"
) -> Points:
    """`points_breakdown`, and for a share of the points (a near estimate, a partly right
    order) the share and what a right answer would have earned then, so it is said as
    that share: "2/3 of the 1000 a right answer earns", not "667 base"."""
    from dataclasses import replace
    from fractions import Fraction

    parts = points_breakdown(credit, seconds, timer, streak, scoring)
    if not 0.0 < credit < 1.0:
        return parts
    whole = points_breakdown(1.0, seconds, timer, 0, scoring)
    share = Fraction(credit).limit_denominator(60)
    return replace(
        parts, share=f"{share.numerator}/{share.denominator}", whole=whole.base + whole.speed
    )


def now_utc() -> str:
    return datetime.now(UTC).replace(microsecond=0).isoformat().replace("+00:00", "Z")


@dataclass(frozen=True)
class Answer:
    """One answered question and the game's verdict on it, as front ends show it and saves keep it.

    ``seconds`` are kept to the hundredth, and the verdict is judged on them, so
    a save reads back as it was judged. ``timed_out``: the timer had run out
    (an answer after it, or none). ``breakdown``: the points part by part; None
    only for answers read back from a save, which keeps the total.
    """

    question: str
    fact: str
    choice: int | None  # None: no answer (in time, or before the question closed)
    correct: bool
    seconds: float
    points: int
    timed_out: bool = False
    breakdown: Points | None = None
    # What was given to a question that has no choices (issue 25's forms):
    text: str | None = None  # typed: the player's text, cleaned
    value: int | None = None  # estimate: the number given
    # order: the items' indexes as the player put them, first to last
    order: tuple[int, ...] | None = None
    # The share of the question's points earned: 1 for a right answer, 0 for a wrong
    # one, between for a near estimate or a partly right order. None: read back from
    # a save that did not keep it (then 1 if correct, else 0).
    credit: float | None = None

    @property
    def near(self) -> bool:
        """A close answer: not right, but it earned part of the points (a near estimate,
        a partly right order)."""
        return not self.correct and (self.credit or 0.0) > 0.0

    @property
    def mark(self) -> str:
        """The answer's symbol, as every screen and the share card show it: ✓ right,
        ≈ close, ✗ wrong (or not answered)."""
        return "\u2713" if self.correct else "\u2248" if self.near else "\u2717"


# What a player gave to a question without choices, in the words every front end says
# it while answering, in the reveal and in the end summary ("You said: 8th").
GIVEN_LABELS = {"typed": "You typed", "estimate": "You said", "order": "Your order"}


def given_label(kind: str) -> str:
    """ "You typed" / "You said" / "Your order" for the forms without choices, else "You chose"."""
    return GIVEN_LABELS.get(kind, "You chose")


@dataclass(frozen=True)
class MatchInfo:
    """What a hot-seat or team game remembers of its match, so the match can be resumed."""

    id: str
    players: tuple[str, ...]  # in turn order
    teams: tuple[tuple[str, tuple[str, ...]], ...] = ()


@dataclass
class Game:
    """One player's game: the questions in order, and the answers so far."""

    questions: Sequence[Question]
    player: str
    deck_id: str
    deck_title: str
    seed: int
    timer: int | None = None
    mode: GameMode = "tui"
    review: bool = False  # a review round: practice, saved but never ranked (quiz.scores.counting)
    scoring: Scoring = "speed"
    id: str = field(default_factory=lambda: uuid.uuid4().hex)
    started: str = field(default_factory=now_utc)
    finished_at: str | None = None
    answers: list[Answer] = field(default_factory=list)
    match: MatchInfo | None = None  # set for each game of a hot-seat or team match
    deck_ref: str = ""  # the deck file the player named, when it is not a bundled deck
    # A live room's game (issue 26): the player's team ("" for none), and the round
    # (1-based) of each of its questions (empty: a game without rounds).
    team: str = ""
    rounds: tuple[int, ...] = ()

    @property
    def count(self) -> int:
        return len(self.questions)

    @property
    def index(self) -> int:
        """0-based index of the current question."""
        return len(self.answers)

    @property
    def finished(self) -> bool:
        return len(self.answers) >= len(self.questions)

    @property
    def current(self) -> Question:
        return self.questions[self.index]

    @property
    def score(self) -> int:
        return sum(a.points for a in self.answers)

    @property
    def correct(self) -> int:
        return sum(a.correct for a in self.answers)

    @property
    def close(self) -> int:
        """Answers that earned part of the points: a near estimate, a partly right order."""
        return sum(a.near for a in self.answers)

    @property
    def answered(self) -> int:
        return len(self.answers)

    @property
    def streak(self) -> int:
        """Right answers in a row, ending with the last answer."""
        run = 0
        for answer in reversed(self.answers):
            if not answer.correct:
                break
            run += 1
        return run

    @property
    def best_streak(self) -> int:
        best = run = 0
        for answer in self.answers:
            run = run + 1 if answer.correct else 0
            best = max(best, run)
        return best

    @property
    def seconds(self) -> float:
        return sum(a.seconds for a in self.answers)

    def time_up(self, seconds: float) -> bool:
        """The timer has run out ``seconds`` into a question, judged as `answer` judges."""
        return self.timer is not None and round(max(seconds, 0.0), 2) > self.timer

    def answer(
        self,
        choice: int | None,
        seconds: float,
        *,
        text: str | None = None,
        value: int | None = None,
        order: Sequence[int] | None = None,
    ) -> Answer:
        """Answer the current question: a choice index, or for the forms without
        choices the ``text`` typed, the ``value`` given or the ``order`` of the
        items (nothing at all: time ran out)."""
        if self.finished:
            raise ValueError("the game is over")
        question = self.current
        given = verdict(question, choice, text=text, value=value, order=order)
        kept = round(max(seconds, 0.0), 2)
        nothing = choice is None and text is None and value is None and order is None
        timed_out = self.timer is not None and (nothing or self.time_up(kept))
        credit = 0.0 if timed_out else given.credit
        correct = given.correct and not timed_out
        streak = self.streak + 1 if correct else 0
        parts = share_breakdown(credit, kept, self.timer, streak, self.scoring)
        result = Answer(
            question=question.id,
            fact=question.fact,
            choice=choice,
            correct=correct,
            seconds=kept,
            points=parts.total,
            timed_out=timed_out,
            breakdown=parts,
            text=text,
            value=value,
            order=tuple(order) if order is not None else None,
            credit=credit,
        )
        self.answers.append(result)
        if self.finished:
            self.finished_at = now_utc()
        return result

    def answer_for(self, question_index: int) -> Answer | None:
        return self.answers[question_index] if question_index < len(self.answers) else None


MAX_PLAYERS = 8


@dataclass
class Match:
    """Several players on one screen, taking turns: one Game each.

    Turns go round the players in order, one question each. A team's score is
    the mean of its members' scores, as Kahoot's team mode has it.
    """

    games: list[Game]
    teams: dict[str, list[str]] = field(default_factory=dict)

    @property
    def solo(self) -> bool:
        return len(self.games) == 1

    @property
    def finished(self) -> bool:
        return all(game.finished for game in self.games)

    @property
    def current(self) -> Game:
        """Whose turn it is: the first player with the fewest answers who has questions left."""
        waiting = [game for game in self.games if not game.finished]
        if not waiting:
            return self.games[-1]
        return min(waiting, key=lambda game: game.answered)

    def standings(self) -> list[Game]:
        """Players, best first: score, then right answers, then turn order."""
        order = {id(game): k for k, game in enumerate(self.games)}
        return sorted(self.games, key=lambda g: (-g.score, -g.correct, order[id(g)]))

    def team_scores(self) -> list[tuple[str, float]]:
        """Teams, best first, each with the mean score of its members."""
        return team_means(self.teams, {game.player: game.score for game in self.games})

    def headline(self, show: Callable[[str], str]) -> str:
        """Who won, as the results say it: the best team when there are teams, else the
        best player; ties say so ("Ann and Ben tie with 1 point"). ``show`` makes each
        name safe (and short) for the front end."""
        names, score = self.winners()
        top = [show(n) for n in names]
        points = plural(round(score), "point")
        if self.team_scores():
            if len(top) == 1:
                return f"Team {top[0]} wins with {points}"
            return f"Teams {', '.join(top[:-1])} and {top[-1]} tie with {points}"
        if len(top) == 1:
            return f"{top[0]} wins with {points}"
        return f"{', '.join(top[:-1])} and {top[-1]} tie with {points}"

    def winners(self) -> tuple[list[str], float]:
        """Who won (the best teams when there are teams, else the best players, several when
        they tie) and their score: the one rule the headline and the results' layout use."""
        teams = self.team_scores()
        if teams:
            return [t for t, score in teams if score == teams[0][1]], teams[0][1]
        standings = self.standings()
        return [g.player for g in standings if g.score == standings[0].score], standings[0].score


def team_means(
    teams: Mapping[str, Sequence[str]], scores: Mapping[str, float]
) -> list[tuple[str, float]]:
    """Teams, best first, each with the mean of its members' ``scores`` (a team of none is left out).

    The one team rule: hot-seat matches (`Match.team_scores`) and the live room use it.
    """
    means = [
        (team, sum(scores.get(p, 0) for p in members) / len(members))
        for team, members in teams.items()
        if members
    ]
    return sorted(means, key=lambda item: -item[1])


def parse_team(text: str) -> tuple[str, list[str]]:
    """ "Red=Ann,Ben" -> ("Red", ["Ann", "Ben"]); ValueError with a clear message otherwise."""
    name, sep, members = text.partition("=")
    players = [m.strip() for m in members.split(",") if m.strip()]
    if not sep or not name.strip() or not players:
        raise ValueError(f"'{text}' is not a team; write it as \"Red=Ann,Ben\"")
    joined = next((p for p in players if "=" in p), None)
    if joined is not None:  # "Red=Ann=Ben": one '=' ends the team's name, never a player's
        raise ValueError(
            f"'{text}' is not a team: the player name '{joined}' holds '='; "
            'write it as "Red=Ann,Ben"'
        )
    return name.strip(), players


def shared_ranks(scores: Sequence[float]) -> list[int]:
    """Ranks for scores sorted best first, ties sharing a rank: 500, 500, 300 -> 1, 1, 3."""
    ranks: list[int] = []
    for k, score in enumerate(scores):
        ranks.append(ranks[-1] if k and score == scores[k - 1] else k + 1)
    return ranks
