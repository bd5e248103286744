"""The leaderboard: the best games per deck, read from the saves."""

from __future__ import annotations

from typing import Any

from rich.text import Text
from textual import work
from textual.app import ComposeResult
from textual.binding import Binding
from textual.content import Content
from textual.screen import Screen
from textual.widgets import DataTable, Footer, Static

from quiz.saves.folder import SaveFolder
from quiz.scores import summary
from quiz.text import clean
from quiz.tui.screens.history import HistoryScreen
from quiz.tui.widgets.status import DeckBar, short


class LeaderboardScreen(Screen[None]):
    """Players ranked by their best score on this deck."""

    CSS_PATH = "tables.tcss"  # read early by QuizApp._read_later_css

    BINDINGS = [
        Binding("escape", "back", "Back"),
        Binding("q", "back", "Back", show=False),
    ]

    def __init__(self, saves: SaveFolder, deck_id: str, deck_title: str) -> None:
        super().__init__()
        self.saves = saves
        self.deck_id = deck_id
        self.deck_title = deck_title

    def compose(self) -> ComposeResult:
        yield DeckBar(self.deck_title, "Leaderboard")
        yield Static(Content("Loading the saves..."), id="leaderboard-note")
        yield DataTable(id="leaderboard", cursor_type="row", zebra_stripes=True)
        yield Footer()

    def on_mount(self) -> None:
        table = self.query_one("#leaderboard", DataTable)
        # The name takes what the other columns leave (each has 2 columns of padding), up to 30.
        self.name_width = min(30, max(10, min(self.app.size.width, 100) - 4 - 30 - 12 - 1))
        columns = (
            ("#", "rank", 3),
            ("Player", "player", self.name_width),
            ("Best", "best", 6),
            ("Games", "games", 5),
            ("Right", "right", 5),
            ("Last played", "last", 11),
        )
        for label, key, width in columns:
            table.add_column(Text(label), key=key, width=width)
        table.focus()
        self.load_rows()

    @work(thread=True, exclusive=True, group="leaderboard")
    def load_rows(self) -> None:
        rows = summary.leaderboard(self.saves, deck=self.deck_id)
        self.app.call_from_thread(self.show_rows, rows)

    def show_rows(self, rows: list[dict[str, Any]]) -> None:
        table = self.query_one("#leaderboard", DataTable)
        note = self.query_one("#leaderboard-note", Static)
        table.clear()
        for rank, row in enumerate(rows, 1):
            answered = row["answered"] or 1
            table.add_row(
                Text(str(rank)),
                Text(short(row["player"], self.name_width)),
                Text(str(row["best_score"])),
                Text(str(row["games"])),
                Text(f"{round(100 * row['correct'] / answered)}%"),
                Text(clean(row["last_played"])[:10]),
                key=row["player"],
            )
        note.update(
            Content(
                f"{len(rows)} player{'s' if len(rows) != 1 else ''}. Enter: a player's history."
                " Review rounds are practice and not counted."
                if rows
                else "No finished games yet on this deck."
            )
        )

    def on_data_table_row_selected(self, event: DataTable.RowSelected) -> None:
        event.stop()
        if event.row_key.value is not None:
            self.app.push_screen(
                HistoryScreen(self.saves, event.row_key.value, self.deck_id, self.deck_title)
            )

    def action_back(self) -> None:
        self.dismiss(None)
