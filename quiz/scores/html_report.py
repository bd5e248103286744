"""`quiz report --format html`: one page a teacher looks at, and prints.

The figures come from the games `quiz.scores.report.games` selects, the same
games as the CSV and JSON report: per question, the share answered right and
how often each wrong answer was given, hardest first; per player, a ✓/≈/✗ for
each answer and their score; per team, where a hot-seat match or a live room had
teams (the players' total, their mean, the share right); per round, where a live room
had rounds (issue 26).

The page is self-contained: inline CSS and SVG bars, no script, nothing
fetched (a Content-Security-Policy says so to the browser too). Every text
from a save or a deck goes through `h`, the one function that makes it safe
in HTML; nothing else reaches the page but our own words and numbers.
"""

from __future__ import annotations

import html
from collections import Counter
from collections.abc import Iterable
from dataclasses import dataclass, field
from typing import TYPE_CHECKING

from quiz.text import clean, plural

if TYPE_CHECKING:
    from quiz.saves.records import GameRecord
    from quiz.scores.report import Decks

NO_ANSWER = "(no answer)"
BAR_WIDTH = 220  # pixels of a 100% bar


def h(text: object) -> str:
    """Save or deck text as HTML shows it: display-safe, then escaped (never markup)."""
    return html.escape(clean(str(text)), quote=True)


@dataclass
class QuestionFigures:
    """One question over the report's games."""

    id: str
    prompt: str
    right_answer: str
    asked: int = 0
    right: int = 0
    wrong: Counter[str] = field(default_factory=Counter)  # what was given, how often
    asked_as: set[int] = field(default_factory=set)  # its places in the games, 1 first

    @property
    def share(self) -> float:
        return self.right / self.asked if self.asked else 0.0


@dataclass
class PlayerFigures:
    """One player over the report's games: a mark per answer, by question id."""

    name: str
    games: int = 0
    score: int = 0
    right: int = 0
    answered: int = 0
    # Per question, each answer's mark: "right", "near" (part of the points: a close
    # estimate, a partly right order) or "wrong", as the game and the room said it.
    marks: dict[str, list[str]] = field(default_factory=dict)


@dataclass
class TeamFigures:
    """A team over the report's games: a team match's, or a live room's (issue 26)."""

    name: str
    players: list[str]
    score: int = 0  # the players' scores added up
    right: int = 0
    answered: int = 0

    @property
    def mean(self) -> float:
        """The mean of its players' scores (the hot-seat and the room's team rule)."""
        return self.score / len(self.players) if self.players else 0.0


@dataclass
class RoundFigures:
    """One round of the live rooms' games (issue 26): its answers, how many right, points."""

    number: int
    answered: int = 0
    right: int = 0
    points: int = 0
    players: set[str] = field(default_factory=set)


@dataclass
class Figures:
    """What the page shows, worked out from the games (and tested against them by hand)."""

    games: int
    questions: list[QuestionFigures]  # hardest first
    players: list[PlayerFigures]  # best score first
    teams: list[TeamFigures]
    rounds: list[RoundFigures]  # a live room's rounds, first to last (none: no rounds)
    decks: list[str] = field(default_factory=list)  # the decks' titles (or ids), as saved
    days: tuple[str, str] = ("", "")  # the first and last day a game was started


def figures(games: list[GameRecord], decks: Decks) -> Figures:
    """The report's figures. Rounds and a room's teams come from what a live room's game
    keeps (each answer's round, the game's team; issue 26): none in a save from before."""
    from quiz.scores.report import given

    questions: dict[str, QuestionFigures] = {}
    players: dict[str, PlayerFigures] = {}
    teams: dict[str, TeamFigures] = {}
    rounds: dict[int, RoundFigures] = {}
    for game in games:
        who = players.setdefault(game.player, PlayerFigures(game.player))
        who.games += 1
        who.score += game.score
        for place, answer in enumerate(game.answers, 1):
            q = questions.setdefault(
                answer.question, QuestionFigures(answer.question, answer.prompt, answer.right)
            )
            q.prompt = q.prompt or answer.prompt
            q.right_answer = q.right_answer or answer.right
            q.asked += 1
            q.asked_as.add(place)
            who.answered += 1
            near = not answer.correct and (answer.credit or 0) > 0
            mark = "right" if answer.correct else "near" if near else "wrong"
            who.marks.setdefault(answer.question, []).append(mark)
            if answer.round is not None:
                r = rounds.setdefault(answer.round, RoundFigures(answer.round))
                r.answered += 1
                r.right += answer.correct
                r.points += answer.points
                r.players.add(game.player)
            if answer.correct:
                q.right += 1
                who.right += 1
            else:
                q.wrong[given(answer, game, decks) or NO_ANSWER] += 1
        if game.match is not None:
            for team in game.match.teams:
                if game.player in team.players:
                    kept = teams.setdefault(team.name, TeamFigures(team.name, list(team.players)))
                    kept.score += game.score
                    kept.right += game.correct
                    kept.answered += len(game.answers)
        elif game.team:  # a live room's team: its players are the games that name it
            kept = teams.setdefault(game.team, TeamFigures(game.team, []))
            if game.player not in kept.players:
                kept.players.append(game.player)
            kept.score += game.score
            kept.right += game.correct
            kept.answered += len(game.answers)
    return Figures(
        len(games),
        sorted(questions.values(), key=lambda q: (q.share, -q.asked, q.id)),
        sorted(players.values(), key=lambda p: (-p.score, -p.right, p.name)),
        sorted(teams.values(), key=lambda t: (-t.score, t.name)),
        rounds=[rounds[n] for n in sorted(rounds)],
        decks=sorted({g.deck_title or g.deck for g in games}),
        days=(min(days), max(days)) if (days := [g.started[:10] for g in games]) else ("", ""),
    )


CSS = """\
:root { --right: #2e7d32; --wrong: #c62828; --near: #b26a00; --ink: #1b1b1b; --muted: #5f6368; }
* { box-sizing: border-box; }
body { font: 15px/1.4 system-ui, -apple-system, "Segoe UI", Roboto, sans-serif;
  color: var(--ink); background: #fff; margin: 0 auto; padding: 24px; max-width: 1100px; }
h1 { font-size: 24px; margin: 0 0 4px; }
h2 { font-size: 18px; margin: 28px 0 8px; border-bottom: 2px solid #ddd; padding-bottom: 4px; }
.lead { color: var(--muted); margin: 0 0 8px; }
.question { border: 1px solid #ddd; border-radius: 6px; padding: 10px 12px; margin: 0 0 10px; }
.question h3 { font-size: 15px; margin: 0 0 6px; }
.question h3 .n { color: var(--muted); margin-right: 6px; }
.share { font-weight: 600; }
table { border-collapse: collapse; }
table.bars { width: 100%; max-width: 780px; table-layout: fixed; }
table.bars col.label { width: auto; } table.bars col.bar { width: 232px; }
table.bars col.count { width: 120px; }
table.bars td { padding: 2px 8px 2px 0; vertical-align: middle; overflow-wrap: anywhere; }
table.bars td.count { color: var(--muted); white-space: nowrap; }
.mark-right { color: var(--right); } .mark-wrong { color: var(--wrong); }
.mark-near { color: var(--near); }
table.grid th, table.grid td { border: 1px solid #ddd; padding: 3px 6px; text-align: center; }
table.grid td.name, table.grid th.name { text-align: left; max-width: 240px;
  min-width: 7em; overflow-wrap: anywhere; }
table.grid td.marks { white-space: nowrap; font-weight: 600; }
table.grid th.q { font-size: 12px; color: var(--muted); }
.seam { color: var(--muted); font-style: italic; }
@page { size: A4; margin: 14mm 12mm; }
@media print {
  body { padding: 0 2px; max-width: none; font-size: 11pt; }
  table.grid { font-size: 9pt; }
  table.grid th, table.grid td { padding: 2px 3px; }
  table.grid th.q, table.grid td.marks { padding: 2px 1px; }
  table.grid th.q { font-size: 7pt; }
  h2 { break-after: avoid; page-break-after: avoid; }
  .question, table.grid tr { break-inside: avoid; page-break-inside: avoid; }
  section.players { break-before: page; page-break-before: always; }
  svg rect { print-color-adjust: exact; -webkit-print-color-adjust: exact; }
}
"""


def _bar(share: float, colour: str) -> str:
    width = round(max(0.0, min(1.0, share)) * BAR_WIDTH)
    return (
        f'<svg width="{BAR_WIDTH}" height="14" viewBox="0 0 {BAR_WIDTH} 14" '
        f'role="img" aria-label="{round(share * 100)}%">'
        f'<rect x="0" y="0" width="{BAR_WIDTH}" height="14" fill="#eee"/>'
        f'<rect x="0" y="0" width="{width}" height="14" fill="{colour}"/></svg>'
    )


def _percent(part: int, whole: int) -> str:
    return f"{round(100 * part / whole)}%" if whole else "-"


def _question(number: int, q: QuestionFigures) -> str:
    rows = [
        '<tr><td class="label"><span class="mark-right">✓</span> '
        f"{h(q.right_answer) or 'right'}</td>"
        f"<td>{_bar(q.share, 'var(--right)')}</td>"
        f'<td class="count">{q.right} of {q.asked} ({_percent(q.right, q.asked)})</td></tr>'
    ]
    for given, count in sorted(q.wrong.items(), key=lambda item: (-item[1], item[0])):
        rows.append(
            f'<tr><td class="label"><span class="mark-wrong">✗</span> {h(given)}</td>'
            f"<td>{_bar(count / q.asked, 'var(--wrong)')}</td>"
            f'<td class="count">{count} ({_percent(count, q.asked)})</td></tr>'
        )
    return (
        f'<div class="question" id="q{number}"><h3><span class="n">Q{number}</span>'
        f"{h(q.prompt) or h(q.id)}</h3>"
        f'<p class="lead"><span class="share">{_percent(q.right, q.asked)} right</span>, '
        f"{plural(q.asked, 'answer')}{_asked_as(q)}</p>"
        '<table class="bars"><colgroup><col class="label"><col class="bar"><col class="count">'
        f"</colgroup>{''.join(rows)}</table></div>"
    )


def _asked_as(q: QuestionFigures) -> str:
    """Where the games asked it, as the projector and the phones numbered it: the report's
    own numbers go hardest first."""
    if len(q.asked_as) == 1:
        return f"; question {next(iter(q.asked_as))} in the game"
    return ""


MARKS = {
    "right": '<span class="mark-right">✓</span>',
    "near": '<span class="mark-near" title="part of the points">≈</span>',
    "wrong": '<span class="mark-wrong">✗</span>',
}


def _players(fig: Figures) -> str:
    head = "".join(
        f'<th class="q" title="{h(q.prompt)}">Q{n}</th>' for n, q in enumerate(fig.questions, 1)
    )
    body = []
    for p in fig.players:
        cells = []
        for q in fig.questions:
            marks = p.marks.get(q.id, [])
            cells.append('<td class="marks">' + "".join(MARKS[mark] for mark in marks) + "</td>")
        body.append(
            f'<tr><td class="name">{h(p.name)}</td><td>{p.score}</td>'
            f"<td>{p.right}/{p.answered}</td><td>{p.games}</td>{''.join(cells)}</tr>"
        )
    return _grid(
        '<th class="name">Player</th><th>Score</th><th>Right</th><th>Games</th>' + head, body
    )


def _grid(head: str, rows: Iterable[str]) -> str:
    """A table of the report: its header cells (already escaped) and its rows."""
    return (
        f'<table class="grid"><thead><tr>{head}</tr></thead><tbody>{"".join(rows)}</tbody></table>'
    )


def _teams(fig: Figures) -> str:
    return _grid(
        '<th class="name">Team</th><th>Score</th><th>Mean</th><th>Right</th>'
        '<th class="name">Players</th>',
        (
            f'<tr><td class="name">{h(t.name)}</td><td>{t.score}</td><td>{round(t.mean)}</td>'
            f"<td>{_percent(t.right, t.answered)}</td>"
            f'<td class="name">{", ".join(h(p) for p in t.players)}</td></tr>'
            for t in fig.teams
        ),
    )


def _rounds(fig: Figures) -> str:
    return _grid(
        "<th>Round</th><th>Players</th><th>Right</th><th>Share</th><th>Points</th>"
        "<th>Mean per player</th>",
        (
            f'<tr><td class="round">Round {r.number}</td><td>{len(r.players)}</td>'
            f"<td>{r.right}/{r.answered}</td><td>{_percent(r.right, r.answered)}</td>"
            f"<td>{r.points}</td><td>{round(r.points / len(r.players)) if r.players else 0}</td></tr>"
            for r in fig.rounds
        ),
    )


def page(fig: Figures, scope: list[str]) -> str:
    """The whole page. ``scope`` says what it covers ("deck fixed-comeback", "since ..."),
    as data: each part is escaped with `h`."""
    what = "; ".join(h(s) for s in scope) or "every game"
    parts = [
        "<!DOCTYPE html>",
        '<html lang="en"><head><meta charset="utf-8">',
        '<meta http-equiv="Content-Security-Policy" '
        "content=\"default-src 'none'; style-src 'unsafe-inline'\">",
        '<meta name="viewport" content="width=device-width, initial-scale=1">',
        "<title>quiz report</title>",
        f"<style>{CSS}</style></head><body>",
        "<h1>Quiz report</h1>",
        f'<p class="lead">{what}: {plural(fig.games, "game")}, '
        f"{plural(len(fig.players), 'player')}, {plural(len(fig.questions), 'question')}</p>",
    ]
    if fig.days[0]:
        first, last = fig.days
        parts.append(
            f'<p class="lead">Played {h(first)}{"" if first == last else " to " + h(last)}</p>'
        )
    if fig.decks:
        parts.append(
            f'<p class="lead">{"Deck" if len(fig.decks) == 1 else "Decks"}: '
            f"{'; '.join(h(d) for d in fig.decks)}</p>"
        )
    if not fig.games:
        parts.append("<p>No games to report.</p>")
    else:
        parts.append("<section><h2>Questions, hardest first</h2>")
        parts.extend(_question(n, q) for n, q in enumerate(fig.questions, 1))
        parts.append('</section><section class="players"><h2>Players</h2>')
        parts.append(_players(fig))
        parts.append("</section>")
        if fig.teams:
            parts.append(f"<section><h2>Teams</h2>{_teams(fig)}</section>")
        if fig.rounds:
            parts.append(f"<section><h2>Rounds</h2>{_rounds(fig)}</section>")
    parts.append("</body></html>\n")
    return "\n".join(parts)
