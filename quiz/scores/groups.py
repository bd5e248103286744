"""What one game contributes to the score summary, and a player folder's summary in memory.

Pure: no file is read or written here (quiz.scores.files keeps these on disk,
quiz.scores.cache keeps them in step with the game files). Which games count
is quiz.scores.counting's rule; the review pile's rule is `leitner_step`.
"""

from __future__ import annotations

import hashlib
import time
from dataclasses import dataclass, field
from typing import TYPE_CHECKING, Any

from quiz.scores.counting import counting

if TYPE_CHECKING:
    from quiz.saves.records import GameRecord

HISTORY_ROWS = 200  # the history table shows the last 200 games; the sparkline all scores


def leitner_step(streaks: dict[str, int], question: str, correct: bool) -> None:
    """The review pile's one rule, for one answer: a wrong answer puts the question
    in (0 right since), and each right answer after that counts one more."""
    if not correct:
        streaks[question] = 0
    elif question in streaks:
        streaks[question] += 1


@dataclass(frozen=True)
class Entry:
    """The parts of one game file the summary uses."""

    name: str
    player: str
    deck: str
    status: str
    mode: str
    when: str  # finished, or started when not finished
    score: int
    correct: int
    answered: int
    count: int
    best_streak: int
    answers: tuple[tuple[str, bool], ...]

    @property
    def key(self) -> tuple[str, str]:
        """Games are taken oldest first: by time, then by file name (as the readers sort)."""
        return (self.when, self.name)

    @classmethod
    def from_record(cls, name: str, record: GameRecord) -> Entry:
        return cls(
            name,
            record.player,
            record.deck,
            record.status,
            record.mode,
            record.finished or record.started,
            record.score,
            record.correct,
            record.answered,
            record.count,
            record.best_streak,
            tuple((a.question, a.correct) for a in record.answers),
        )

    @classmethod
    def from_dict(cls, name: str, record: dict[str, Any]) -> Entry:
        """From the record just written by saves.game_record (no need to read it back)."""
        return cls(
            name,
            record["player"],
            record["deck"],
            record["status"],
            record["mode"],
            record.get("finished") or record["started"],
            record["score"],
            record["correct"],
            record["answered"],
            record["count"],
            record["best_streak"],
            tuple((a["question"], a["correct"]) for a in record["answers"]),
        )


@dataclass
class Group:
    """One player on one deck, as kept in one folder."""

    player: str
    deck: str
    games: int = 0  # finished games that count on the leaderboard (not review)
    answered: int = 0
    correct: int = 0
    best_score: int = 0
    last_played: str = ""
    last_when: str = ""
    last_name: str = ""
    # detail.toml: question id -> right answers since its last wrong one, in
    # the order the questions were first answered wrong (the pile's order).
    review: dict[str, int] = field(default_factory=dict)
    # History counts what the leaderboard counts: review rounds are practice.
    scores: list[int] = field(default_factory=list)  # finished games but reviews, oldest first
    rows: list[list[Any]] = field(default_factory=list)  # the last HISTORY_ROWS of them
    reviews: int = 0  # finished review rounds, left out of the history (it says how many)

    def in_order(self, entry: Entry) -> bool:
        return entry.key > (self.last_when, self.last_name)

    def add(self, entry: Entry) -> None:
        self.last_when, self.last_name = entry.key
        for question, correct in entry.answers:
            leitner_step(self.review, question, correct)
        kind = counting(entry.status, entry.mode)
        if kind == "practice":
            self.reviews += 1
        if kind != "scored":
            return
        self.scores.append(entry.score)
        self.rows.append(
            [entry.when[:16], entry.score, entry.correct, entry.count, entry.best_streak]
        )
        del self.rows[:-HISTORY_ROWS]
        self.games += 1
        self.answered += entry.answered
        self.correct += entry.correct
        self.best_score = max(self.best_score, entry.score)
        self.last_played = max(self.last_played, entry.when)


@dataclass
class Stamp:
    """Which game files a summary covers: their names and each one's identity (see cache.game_files)."""

    mtime_ns: int
    count: int
    newest: str
    digest: str
    written_ns: int = 0

    @classmethod
    def of(cls, mtime_ns: int, files: dict[str, str]) -> Stamp:
        names = list(files)
        return cls(mtime_ns, len(names), names[-1] if names else "", digest(files))

    def covers(self, files: dict[str, str]) -> bool:
        """Whether these files (name -> identity) are exactly the ones summarised, unchanged."""
        return self.count == len(files) and self.digest == digest(files)

    def same_files(self, other: Stamp) -> bool:
        """Whether ``other`` (taken now) covers exactly the files this one does, unchanged."""
        return self.count == other.count and self.digest == other.digest


def digest(files: dict[str, str]) -> str:
    """A digest of a set of files that does not depend on their order (a sum of hashes).

    Each file counts by its name and its identity (size, times, inode): a file
    edited in place changes the digest even when its name does not. Order-free,
    so "the summarised files plus these new ones" can be checked without keeping
    the names: whatever order the new names sort in.
    """
    total = 0
    for name, identity in files.items():
        digest = hashlib.sha1(f"{name}\0{identity}".encode("utf-8", "surrogateescape")).digest()
        total += int.from_bytes(digest, "big")
    return f"{total % (1 << 160):040x}"


def newer_names(names: list[str], stamp: Stamp, known: dict[str, Entry]) -> list[list[str]]:
    """Guesses at the files added since ``stamp`` was written, surest first.

    First: the files just written, and those sorting after the newest name
    summarised. Then also those named (by the UTC time they were written)
    after the summary was written and not in the future: a crash's leftover,
    a shelved unfinished game. Each guess is checked against the digest.
    """
    from datetime import UTC, datetime

    def when(ns: int) -> str:
        return datetime.fromtimestamp(ns / 1e9, UTC).strftime("%Y%m%dT%H%M%S%fZ")

    first = [n for n in names if n in known or n > stamp.newest]
    written, now = when(stamp.written_ns), when(time.time_ns())
    taken = set(first)
    recent = [
        n
        for n in names
        if n not in taken and n[:8].isdigit() and n[8:9] == "T" and written < n[:22] <= now
    ]
    return [first, sorted(first + recent)] if recent else [first]


@dataclass
class FolderSummary:
    stamp: Stamp
    generation: int = 0
    groups: dict[tuple[str, str], Group] = field(default_factory=dict)
    detail: bool = True  # whether review/scores/rows are loaded

    def add(self, entry: Entry) -> bool:
        """Add a game newer than those summarised; False when it is not newer (rebuild)."""
        group = self.groups.get((entry.player, entry.deck))
        if group is None:
            group = self.groups[(entry.player, entry.deck)] = Group(entry.player, entry.deck)
        if not group.in_order(entry):
            return False
        group.add(entry)
        return True


def build(entries: list[Entry], stamp: Stamp) -> FolderSummary:
    """The summary of these games, from nothing: the reference the incremental path must equal."""
    summary = FolderSummary(stamp)
    for entry in sorted(entries, key=lambda e: e.key):
        summary.add(entry)
    return summary
