"""A live room's results: players ranked, the choices each question drew, who got it right.

What a reveal and the end screens show, worked out from the players' games;
cached by the room's `version`, so a reveal that asks several times ranks once.
"""

from __future__ import annotations

from quiz.game.play import (
    Answer,
    shared_ranks,
)
from quiz.room.roster import Roster, Standing


class Results(Roster):
    """The room's rankings and counts (the phases that fill them are `quiz.room.state`'s)."""

    def ranked(self) -> list[Standing]:
        """Players by score (cached until the next change: a reveal asks several times)."""
        if self._ranked_cache is not None and self._ranked_cache[0] == self.version:
            return self._ranked_cache[1]
        ranked = self._rank()
        self._ranked_cache = (self.version, ranked)
        return ranked

    def _rank(self) -> list[Standing]:
        # Each score and count is summed once (a reveal ranks 1,000 players).
        keyed = sorted(
            ((p.game.score, p.game.correct, p) for p in self.active),
            key=lambda t: (-t[0], -t[1], t[2].name.casefold()),
        )
        # Ties share a place by the one rule every leaderboard uses (1, 1, 3).
        places = shared_ranks([score for score, _, _ in keyed])
        return [
            Standing(p.name, score, correct, place, None, p.token)
            for place, (score, correct, p) in zip(places, keyed, strict=True)
        ]

    def standings(self) -> list[Standing]:
        """Every player, best first; ties share a place; movement since the previous reveal."""
        out = []
        for s in self.ranked():
            before = self.previous_ranks.get(s.token)
            move = None if before is None else before - s.place
            out.append(Standing(s.name, s.score, s.correct, s.place, move, s.token))
        return out

    def rank_of(self, token: str) -> int:
        """A player's place; after a reveal, from the ranks worked out once when it closed."""
        if self.phase in ("reveal", "end") and token in self.last_ranks:
            return self.last_ranks[token]
        return next((s.place for s in self.ranked() if s.token == token), 0)

    def podium(self) -> list[Standing]:
        return [s for s in self.standings() if s.place <= 3]

    def choice_counts(self, index: int | None = None) -> list[int]:
        """How many chose each answer of a question (the current one by default)."""
        index = self.index if index is None else index
        counts = [0] * len(self.questions[index].choices)
        for p in self.players.values():
            answer = p.answer_for(index)
            if answer is not None and answer.choice is not None:
                counts[answer.choice] += 1
        return counts

    def answers_to(self, index: int | None = None) -> list[tuple[str, Answer]]:
        """Each player's answer to a question (the current one by default), by name."""
        index = self.index if index is None else index
        return [(p.name, a) for p in self.active if (a := p.answer_for(index)) is not None]

    def right_counts(self) -> list[int]:
        """How many got each question right, question by question."""
        out = []
        for index in range(self.count):
            out.append(
                sum(1 for p in self.active if (a := p.answer_for(index)) is not None and a.correct)
            )
        return out

    def present_counts(self) -> list[int]:
        """How many players each question had: those in the room before it closed.

        The denominator of `right_counts` (Q1 2/2, not 2/7 when five joined
        later): a player plays every question from the one open when they came
        in; a removed player counts nowhere, as in `right_counts`.
        """
        out = [0] * self.count
        for p in self.active:
            if p.first < self.count:
                out[p.first] += 1
        for index in range(1, self.count):
            out[index] += out[index - 1]
        return out

    def per_question(self) -> list[tuple[int, int]]:
        """(right, present) for each question, as the end screens show "Q1 2/2"."""
        return list(zip(self.right_counts(), self.present_counts(), strict=True))
