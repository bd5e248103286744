"""The results screen: the score, then every question reviewed."""

from __future__ import annotations

from rich.text import Text
from textual.app import ComposeResult
from textual.binding import Binding
from textual.containers import Vertical
from textual.content import Content
from textual.screen import Screen
from textual.widgets import DataTable, Footer, Label, Static

from quiz.game import Game, Match
from quiz.session import share_card
from quiz.text import clean
from quiz.tui.widgets.status import DeckBar


def duration(seconds: float) -> str:
    minutes, secs = divmod(round(seconds), 60)
    return f"{minutes}m {secs:02d}s" if minutes else f"{secs}s"


class ResultsScreen(Screen[str]):
    """Dismisses with what to do next: "again", "review", "leaderboard" or "quit"."""

    BINDINGS = [
        Binding("p", "choose('again')", "Again"),
        Binding("r", "choose('review')", "Review"),
        Binding("l", "choose('leaderboard')", "Leaderboard"),
        Binding("h", "choose('history')", "History"),
        Binding("s", "share", "Share"),
        Binding("q", "choose('quit')", "Quit"),
        Binding("escape", "choose('quit')", "Quit", show=False),
    ]

    def __init__(self, game: Game) -> None:
        super().__init__()
        self.game = game

    def compose(self) -> ComposeResult:
        game = self.game
        yield DeckBar(
            game.deck_title, f"Results \u00b7 {clean(game.player)} \u00b7 code {game.seed}"
        )
        with Vertical(id="summary"):
            yield Label(Content(f"{game.correct}/{game.count} correct"), id="correct-count")
            yield Label(
                Content(
                    f"Score {game.score}   Best streak {game.best_streak}   Time {duration(game.seconds)}"
                ),
                id="score-line",
            )
        yield Static(Content("Review"), id="review-title")
        yield DataTable(id="review", cursor_type="row", zebra_stripes=True)
        yield Footer()

    def on_mount(self) -> None:
        table = self.query_one("#review", DataTable)
        # Fixed widths from the screen width, and rows that wrap, so the whole
        # question shows at 80 columns without scrolling sideways.
        room = max(self.app.size.width - 4 - 10 - 2 - 1 - 2, 30)
        question_width = room // 2
        answer_width = (room - question_width) // 2
        table.add_column(Text("#"), key="n", width=2)
        table.add_column(Text(""), key="mark", width=1)
        table.add_column(Text("Question"), key="question", width=question_width)
        table.add_column(Text("Your answer"), key="yours", width=answer_width)
        table.add_column(Text("Right answer"), key="right", width=answer_width)
        for index, question in enumerate(self.game.questions):
            answer = self.game.answer_for(index)
            if answer is None:
                mark, yours = Text("-"), Text("not answered")
            else:
                mark = Text("\u2713" if answer.correct else "\u2717")
                yours = Text(
                    clean(question.choices[answer.choice])
                    if answer.choice is not None
                    else "no answer (time)"
                )
            table.add_row(
                Text(str(index + 1)),
                mark,
                Text(clean(question.prompt)),
                yours,
                Text(clean(question.right)),
                key=str(index),
                height=None,
            )
        table.focus()
        if not self.game.answers or all(a.correct for a in self.game.answers):
            self.query_one("#review", DataTable).border_subtitle = "All right!"

    def action_share(self) -> None:
        """Copy a spoiler-free summary to the clipboard, to paste into a chat."""
        card = share_card(self.game)
        self.app.copy_to_clipboard(card)
        self.app.tell(card, title="Copied to the clipboard")  # type: ignore[attr-defined]

    def action_choose(self, what: str) -> None:
        self.dismiss(what)


class MatchResultsScreen(Screen[str]):
    """Hot-seat results: the players compared, and a podium when there are teams."""

    BINDINGS = [
        Binding("p", "choose('again')", "Play again"),
        Binding("l", "choose('leaderboard')", "Leaderboard"),
        Binding("q", "choose('quit')", "Quit"),
        Binding("escape", "choose('quit')", "Quit", show=False),
    ]

    def __init__(self, match: Match) -> None:
        super().__init__()
        self.match = match

    def compose(self) -> ComposeResult:
        first = self.match.games[0]
        yield DeckBar(
            first.deck_title,
            f"Results \u00b7 {len(self.match.games)} players \u00b7 code {first.seed}",
        )
        standings = self.match.standings()
        top = [g for g in standings if g.score == standings[0].score]
        if len(top) == 1:
            headline = f"{clean(top[0].player)[:40]} wins with {top[0].score} points"
        else:
            names = (
                ", ".join(clean(g.player)[:20] for g in top[:-1])
                + f" and {clean(top[-1].player)[:20]}"
            )
            headline = f"{names} tie with {top[0].score} points"
        with Vertical(id="summary"):
            yield Label(Content(headline), id="correct-count")
            if self.match.teams:
                podium = "   ".join(
                    f"{place} {clean(team)[:20]} ({score:.0f})"
                    for place, (team, score) in zip(
                        ("1st", "2nd", "3rd"), self.match.team_scores(), strict=False
                    )
                )
                yield Label(Content(f"Teams (mean score): {podium}"), id="podium")
        yield Static(Content("Players"), id="review-title")
        yield DataTable(id="review", cursor_type="row", zebra_stripes=True)
        yield Footer()

    def on_mount(self) -> None:
        table = self.query_one("#review", DataTable)
        for label, key, width in (
            ("#", "rank", 2),
            ("Player", "player", 30),
            ("Right", "right", 7),
            ("Score", "score", 6),
            ("Best streak", "streak", 11),
        ):
            table.add_column(Text(label), key=key, width=width)
        for rank, game in enumerate(self.match.standings(), 1):
            table.add_row(
                Text(str(rank)),
                Text(clean(game.player)),
                Text(f"{game.correct}/{game.count}"),
                Text(str(game.score)),
                Text(str(game.best_streak)),
            )
        table.focus()

    def action_choose(self, what: str) -> None:
        self.dismiss(what)
