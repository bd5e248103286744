"""One player's history: a sparkline of scores over time, and the games as a table."""

from __future__ import annotations

from typing import TYPE_CHECKING

from rich.text import Text
from textual import work
from textual.app import ComposeResult
from textual.binding import Binding
from textual.content import Content
from textual.screen import Screen
from textual.widgets import DataTable, Footer, Sparkline, Static

if TYPE_CHECKING:
    from quiz.saves.folder import SaveFolder
    from quiz.scores.summary import History
from quiz.text import clean
from quiz.tui.widgets.status import DeckBar, short


class HistoryScreen(Screen[None]):
    """Scores over time for one player on one deck."""

    CSS_PATH = "tables.tcss"  # read early by QuizApp._read_later_css

    BINDINGS = [Binding("escape", "back", "Back"), Binding("q", "back", "Back", show=False)]

    def __init__(self, saves: SaveFolder, player: str, deck_id: str, deck_title: str) -> None:
        super().__init__()
        self.saves = saves
        self.player = player
        self.deck_id = deck_id
        self.deck_title = deck_title

    def compose(self) -> ComposeResult:
        yield DeckBar(self.deck_title, f"History \u00b7 {short(self.player, 30)}")
        yield Static(Content("Loading..."), id="history-note")
        yield Sparkline([], id="history-spark")
        yield DataTable(id="history", cursor_type="row", zebra_stripes=True)
        yield Footer()

    def on_mount(self) -> None:
        table = self.query_one("#history", DataTable)
        for label, key, width in (
            ("Finished", "when", 16),
            ("Score", "score", 6),
            ("Right", "right", 6),
            ("Streak", "streak", 6),
        ):
            table.add_column(Text(label), key=key, width=width)
        self.load()

    @work(thread=True, exclusive=True, group="history")
    def load(self) -> None:
        from quiz.scores.summary import history

        found = history(self.saves, self.player, self.deck_id)
        self.app.call_from_thread(self.show, found)

    def show(self, found: History) -> None:
        scores = found.scores
        reviews = found.reviews
        spark = self.query_one("#history-spark", Sparkline)
        spark.data = scores
        # One score, or only zeros, makes no trend: a full-height bar would say more than it knows.
        spark.display = len(scores) > 1 and max(scores) > 0
        note = self.query_one("#history-note", Static)
        practice = (
            f" {reviews} review round{'s' if reviews != 1 else ''} (practice) not counted."
            if reviews
            else ""
        )
        if scores:
            games_word = "game" if len(scores) == 1 else "games"
            note.update(
                Content(
                    f"{len(scores)} {games_word}. Best {max(scores)}, last {scores[-1]}, "
                    f"average {round(sum(scores) / len(scores))}.{practice}"
                    + (" Scores over time:" if spark.display else "")
                )
            )
        else:
            note.update(Content(f"No finished games yet.{practice}"))
        table = self.query_one("#history", DataTable)
        for when, score, correct, count, streak in reversed(found.rows):
            table.add_row(
                Text(clean(when).replace("T", " ")),
                Text(str(score)),
                Text(f"{correct}/{count}"),
                Text(str(streak)),
            )

    def action_back(self) -> None:
        self.dismiss(None)
