"""The results screen: the score, then every question reviewed."""

from __future__ import annotations

from dataclasses import dataclass
from typing import Literal

from rich.text import Text
from textual.app import ComposeResult
from textual.binding import Binding
from textual.containers import Vertical
from textual.content import Content
from textual.screen import Screen
from textual.widgets import DataTable, Footer, Label, Static

from quiz.game.judge import given_text, tally
from quiz.game.play import Game, Match, shared_ranks
from quiz.saves.folder import SaveFolder
from quiz.session import review_mistakes, share_card
from quiz.text import clean, ordinal
from quiz.tui.notices import tell
from quiz.tui.screens.history import HistoryScreen
from quiz.tui.screens.leaderboard import LeaderboardScreen
from quiz.tui.screens.question import QUIT
from quiz.tui.widgets.status import DeckBar, short

REVIEW_RULE = (
    "A review round is practice: it is saved, but not counted in History or the Leaderboard."
)


# The help's line for the results' keys (quiz/tui/keys.py).
KEYS = "on the results: again, review, leaderboard, history, share"
# The columns the results' footer needs for every key and "f1 Help".
FOOTER_ROOM = 64

# What only the app can do once the results are shown; the results push their own
# sub-screens (leaderboard, history) and stay underneath them. "back": from one
# player's results in a hot-seat match, to the match's results.
Next = Literal["again", "review", "quit", "back"]


@dataclass(frozen=True)
class ReviewOf:
    """From the hot-seat results: a review round of this player's mistakes."""

    game: Game


def duration(seconds: float) -> str:
    minutes, secs = divmod(round(seconds), 60)
    return f"{minutes}m {secs:02d}s" if minutes else f"{secs}s"


class ResultsScreen(Screen[Next]):
    """Dismisses with what to do next: play "again", "review" the mistakes, or "quit"."""

    CSS_PATH = "results.tcss"  # read early by QuizApp._read_later_css

    BINDINGS = [
        Binding("p", "again", "Again", tooltip=KEYS),
        Binding("r", "review", "Review", tooltip=KEYS),
        Binding("l", "leaderboard", "Leaderboard", tooltip=KEYS),
        Binding("h", "history", "History", tooltip=KEYS),
        Binding("s", "share", "Share", tooltip=KEYS),
        Binding("q", "quit_game", "Quit", tooltip=QUIT),
        Binding("escape", "quit_game", "Quit", show=False, tooltip=QUIT),
        # Below FOOTER_ROOM columns this F1, hidden, stands for the app's: the other keys
        # fill the footer (F1 still opens the help). No tooltip: the app's help line stands.
        Binding("f1", "help", "Help", show=False),
    ]

    def __init__(self, game: Game, saves: SaveFolder) -> None:
        super().__init__()
        self.game = game
        self.saves = saves
        self._laid_out_for = 0  # the screen width the review's columns were made for

    def compose(self) -> ComposeResult:
        game = self.game
        review = game.review
        yield DeckBar(
            game.deck_title,
            f"{'Review round' if review else 'Results'} \u00b7 {short(game.player, 40)}"
            f" \u00b7 code {game.seed}",
        )
        with Vertical(id="summary"):
            yield Label(Content(tally(game.correct, game.count, game.close)), id="correct-count")
            if review:
                yield Label(Content(REVIEW_RULE), id="review-rule")
            yield Label(
                Content(
                    f"Score {game.score}   Best streak {game.best_streak}   Time {duration(game.seconds)}"
                ),
                id="score-line",
            )
        yield Static(Content("Review"), id="review-title")
        yield DataTable(id="review", cursor_type="row", zebra_stripes=True)
        yield Static(Content(""), id="review-detail")
        yield Footer(compact=True)

    def on_mount(self) -> None:
        self._fill_table()
        table = self.query_one("#review", DataTable)
        table.focus()
        if not self.game.answers or all(a.correct for a in self.game.answers):
            table.border_subtitle = "All right!"
        self._explain(0)

    def _rows(self) -> list[tuple[Text, Text, Text, Text, Text]]:
        """The review's rows: number, mark, question, your answer, the right answer."""
        rows = []
        for index, question in enumerate(self.game.questions):
            answer = self.game.answer_for(index)
            if answer is None:
                mark, yours = Text("-"), Text("not answered")
            else:
                mark = Text(answer.mark)
                # What was chosen, typed, estimated or put in order (judge.given_text).
                given = given_text(question, answer.text, answer.value, answer.order, answer.choice)
                yours = Text(clean(given) if given else "no answer (time)")
            rows.append(
                (
                    Text(str(index + 1)),
                    mark,
                    Text(clean(question.prompt)),
                    yours,
                    Text(clean(question.right)),
                )
            )
        return rows

    def _fill_table(self) -> None:
        """The review's columns for the screen's width (again after a resize), and its rows."""
        width = self.app.size.width
        if width == self._laid_out_for:
            return
        self._laid_out_for = width
        table = self.query_one("#review", DataTable)
        row = table.cursor_row
        table.clear(columns=True)
        rows = self._rows()
        # Fixed widths from the screen width (content is capped at 100 columns),
        # and rows that wrap, so the whole question shows without scrolling sideways.
        room = max(min(width, 100) - 4 - 10 - 2 - 1 - 2, 30)
        question_width = room // 2
        answer_width = (room - question_width) // 2
        # The answers' columns are as wide as their longest word, so a word is never
        # broken mid-word ("Motorsport / s" at 60 columns), taking it from the question.
        longest = max((len(w) for r in rows for t in r[3:] for w in t.plain.split()), default=0)
        if longest > answer_width:
            answer_width = min(longest, room // 3)
            question_width = room - 2 * answer_width
        table.add_column(Text("#"), key="n", width=2)
        table.add_column(Text(""), key="mark", width=1)
        table.add_column(Text("Question"), key="question", width=question_width)
        wide = answer_width >= len("Right answer")
        table.add_column(Text("Your answer" if wide else "Yours"), key="yours", width=answer_width)
        table.add_column(Text("Right answer" if wide else "Right"), key="right", width=answer_width)
        for index, cells in enumerate(rows):
            table.add_row(*cells, key=str(index), height=None)
        if 0 < row < len(rows):
            table.move_cursor(row=row)

    def on_resize(self) -> None:
        self._fill_table()  # the columns follow the width (a game ended at 60, then widened)
        # Below 70 columns the keys need the room the palette's hint takes (Ctrl+P still works).
        self.query_one(Footer).show_command_palette = self.size.width >= 70
        self.refresh_bindings()  # F1 in the footer or not (check_action)

    def check_action(self, action: str, parameters: tuple[object, ...]) -> bool | None:
        if action == "help":
            return self.app.size.width < FOOTER_ROOM
        return True

    async def action_help(self) -> None:
        await self.app.run_action("help")

    def on_data_table_row_highlighted(self, event: DataTable.RowHighlighted) -> None:
        event.stop()
        self._explain(event.cursor_row)

    def _explain(self, index: int) -> None:
        """Under the table: why the highlighted question's answer is right."""
        if not 0 <= index < len(self.game.questions):
            return
        question = self.game.questions[index]
        self.query_one("#review-detail", Static).update(
            Content.assemble(
                (f"{index + 1}. ", "bold"),
                Content(clean(question.explanation, allow_newlines=True)),
            )
        )

    def action_share(self) -> None:
        """Copy a spoiler-free summary to the clipboard, to paste into a chat."""
        card = share_card(self.game)
        self.app.copy_to_clipboard(card)
        tell(self, card, title="Copied to the clipboard")

    def action_again(self) -> None:
        self.dismiss("again")

    def action_review(self) -> None:
        if review_mistakes(self.game) is None:
            tell(self, "No mistakes to review: every answer was right.")
            return
        self.dismiss("review")

    def action_leaderboard(self) -> None:
        self.app.push_screen(LeaderboardScreen(self.saves, self.game.deck_id, self.game.deck_title))

    def action_history(self) -> None:
        game = self.game
        self.app.push_screen(HistoryScreen(self.saves, game.player, game.deck_id, game.deck_title))

    def action_quit_game(self) -> None:
        self.dismiss("quit")


class PlayerResultsScreen(ResultsScreen):
    """One player's answers in a hot-seat match, opened from the match's results.

    The same review as a solo game's, and ``r`` for this player's review round;
    Esc goes back to the match (which is where the players play again).
    """

    BINDINGS = [
        Binding("q", "back", "Back"),
        Binding("escape", "back", "Back", show=False),
    ]

    def check_action(self, action: str, parameters: tuple[object, ...]) -> bool | None:
        # Without Again there is room for the app's F1 at 60 columns.
        return action not in ("again", "quit_game", "help")

    def action_back(self) -> None:
        self.dismiss("back")


# Under the players' table: what Enter and r do there.
MATCH_NOTE = "Players. Enter: a player's answers; r: a review round of their mistakes."


class MatchResultsScreen(Screen[Next | ReviewOf]):
    """Hot-seat results: the players compared, and a podium when there are teams.

    Dismisses with "again", "quit", or ReviewOf(a player's game); each player's
    answers (PlayerResultsScreen) and the leaderboard open on top of it.
    """

    CSS_PATH = "results.tcss"  # read early by QuizApp._read_later_css

    BINDINGS = [
        Binding("p", "again", "Play again", tooltip=KEYS),
        Binding("r", "review", "Review", tooltip=KEYS),
        Binding("l", "leaderboard", "Leaderboard", tooltip=KEYS),
        Binding("q", "quit_game", "Quit", tooltip=QUIT),
        Binding("escape", "quit_game", "Quit", show=False, tooltip=QUIT),
    ]

    def __init__(self, match: Match, saves: SaveFolder) -> None:
        super().__init__()
        self.match = match
        self.saves = saves

    def compose(self) -> ComposeResult:
        first = self.match.games[0]
        yield DeckBar(
            first.deck_title,
            f"Results \u00b7 {len(self.match.games)} players \u00b7 code {first.seed}",
        )
        teams = self.match.team_scores()
        # Names cut to fit: one winner 30 cells (a player 40), each of a tie 20.
        wide = (30 if teams else 40) if len(self.match.winners()[0]) == 1 else 20
        headline = self.match.headline(lambda name: short(name, wide))
        with Vertical(id="summary"):
            yield Label(Content(headline), id="correct-count")
            if teams:
                places = shared_ranks([score for _, score in teams])
                # One team a line, so a place never wraps away from its team.
                width = max(len(short(team, 20)) for team, _ in teams)
                lines = [Content("Teams, by the mean score of their players:")] + [
                    Content.assemble(
                        (f"  {ordinal(place):>4}  ", "bold"),
                        short(team, 20).ljust(width),
                        f"  {score:.0f}",
                    )
                    for place, (team, score) in zip(places, teams, strict=True)
                ]
                yield Label(Content("\n").join(lines), id="podium")
        yield Static(Content(MATCH_NOTE), id="review-title")
        yield DataTable(id="review", cursor_type="row", zebra_stripes=True)
        yield Footer(compact=True)

    def on_mount(self) -> None:
        table = self.query_one("#review", DataTable)
        # The name takes what the other columns leave (each has 2 columns of padding), up to 30.
        name_width = min(30, max(10, min(self.app.size.width, 100) - 4 - 26 - 10 - 1))
        for label, key, width in (
            ("#", "rank", 2),
            ("Player", "player", name_width),
            ("Right", "right", 7),
            ("Score", "score", 6),
            ("Best streak", "streak", 11),
        ):
            table.add_column(Text(label), key=key, width=width)
        standings = self.match.standings()
        # Tied scores share a rank; the order within a tie is turn order.
        for rank, game in zip(shared_ranks([g.score for g in standings]), standings, strict=True):
            team = next((t for t, ms in self.match.teams.items() if game.player in ms), None)
            table.add_row(
                Text(str(rank)),
                Text(short(game.player + (f" ({team})" if team else ""), name_width)),
                Text(f"{game.correct}/{game.count}"),
                Text(str(game.score)),
                Text(str(game.best_streak)),
                key=str(self.match.games.index(game)),
            )
        table.focus()

    def on_resize(self) -> None:
        # As on a game's results: below 70 columns the keys need the palette hint's room.
        self.query_one(Footer).show_command_palette = self.size.width >= 70

    def _chosen(self) -> Game:
        """The player whose row is highlighted."""
        table = self.query_one("#review", DataTable)
        row = table.coordinate_to_cell_key(table.cursor_coordinate).row_key
        return self.match.games[int(row.value or 0)]

    def on_data_table_row_selected(self, event: DataTable.RowSelected) -> None:
        event.stop()
        game = self._chosen()

        def back(what: Next | None) -> None:
            if what == "review":  # PlayerResultsScreen checked there are mistakes
                self.dismiss(ReviewOf(game))

        self.app.push_screen(PlayerResultsScreen(game, self.saves), back)

    def action_review(self) -> None:
        game = self._chosen()
        if review_mistakes(game) is None:
            tell(
                self, f"No mistakes to review: every answer of {short(game.player, 40)} was right."
            )
            return
        self.dismiss(ReviewOf(game))

    def action_again(self) -> None:
        self.dismiss("again")

    def action_leaderboard(self) -> None:
        first = self.match.games[0]
        self.app.push_screen(LeaderboardScreen(self.saves, first.deck_id, first.deck_title))

    def action_quit_game(self) -> None:
        self.dismiss("quit")
