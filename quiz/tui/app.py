"""The Textual app and its factory. Screens come and go; the game lives in the core."""

from __future__ import annotations

import threading
import time
from collections.abc import Callable, Iterable, Sequence
from dataclasses import replace
from pathlib import Path
from typing import TYPE_CHECKING, Any

from textual import events, work
from textual.app import App, SystemCommand
from textual.binding import Binding
from textual.geometry import Size
from textual.message import Message
from textual.notifications import SeverityLevel
from textual.screen import Screen

from quiz.deckfile.catalog import bundled, bundled_dir, deck_files
from quiz.deckfile.read import load_deck
from quiz.errors import QuizError
from quiz.game.play import Game, Match
from quiz.model import Deck
from quiz.saves.folder import SaveError, SaveFolder
from quiz.session import DeckLookup, Request, begin, review_mistakes, start_game, start_match
from quiz.text import clean
from quiz.tui import prefs
from quiz.tui.notices import tell
from quiz.tui.screens.question import QuestionScreen

if TYPE_CHECKING:
    from quiz.tui.screens.results import Next, ReviewOf
    from quiz.tui.screens.start import StartChoice


# Only the question screen is needed for the first frame; the others (and the
# widgets they use: DataTable, Sparkline, Input, Select) load when first shown.

# Notices from a worker within this many seconds of each other are one notification,
# of at most this many lines.
NOTICE_GATHER = 0.3
NOTICES_SHOWN = 3
# Each binding's tooltip is its line in the help (quiz/tui/keys.py).
HELP = "this help"
QUIT = "quit (asks first mid-game; the game is kept)"
# The smallest terminal every screen is laid out for; below it, one screen says so
# (screens.modals.TooSmall). `quiz serve` fits its page to it (quiz/serve.py).
MIN_WIDTH, MIN_HEIGHT = 60, 20


class QuizApp(App[int]):
    """The quiz in a terminal (or a browser, through textual-serve)."""

    # The question screen's rules; each other screen names its own file (in
    # screens/) in its CSS_PATH, and _read_later_css reads those once the first
    # screen is up.
    CSS_PATH = "app.tcss"
    ENABLE_COMMAND_PALETTE = True
    BINDINGS = [
        Binding("f1", "help", "Help", tooltip=HELP),
        Binding("question_mark", "help", "Help", show=False, tooltip=HELP),
        Binding("ctrl+q", "request_quit", "Quit", priority=True, show=False, tooltip=QUIT),
        # Ctrl+C quits as in any terminal program; mid-game it asks first, and the game is kept.
        Binding("ctrl+c", "request_quit", "Quit", priority=True, show=False, tooltip=QUIT),
    ]

    def __init__(
        self,
        deck: Deck,
        saves: SaveFolder,
        *,
        match: Match | None = None,
        count: int | None = None,
        seed: int | None = None,
        timer: int | None = None,
        kinds: tuple[str, ...] | None = None,
        clock: Callable[[], float] = time.monotonic,
        shared: bool = False,
        settings: Path | None = None,
        notices: Sequence[str] = (),
        on_ready: Callable[[], None] | None = None,
    ) -> None:
        super().__init__()
        self.on_ready = on_ready  # called once the first screen is drawn
        self.deck = deck
        # The saves' notices become notifications, from whichever thread raised them.
        self.saves = saves.telling(self._saves_notice)
        self.start_notices = tuple(notices)  # what starting the given match raised (cli.cmd_play)
        self.match = match
        self.count = count
        self.seed = seed
        self.timer = timer
        self.kinds = kinds  # the question forms new games may ask (None: the planner's default)
        self.clock = clock
        # Shared (`quiz serve`): strangers take turns, so a name is never remembered.
        self.shared = shared
        self.settings = settings
        # Decks by id, as a resume finds a save's deck: the one given, then the bundled ones.
        self.decks = DeckLookup(known=[deck])
        self._bundled: list[str] | None = None  # their ids, once the worker has read them
        self._normal_count = count
        self._save_lock = threading.Lock()
        # Worker notices that arrive together become one notification (_show_notices).
        self._arrived: list[tuple[str, SeverityLevel]] = []
        # Told once the app has begun to close: the CLI prints them after it (stderr).
        self.undelivered: list[str] = []
        # The last save that failed, if the game was quit before a save succeeded again.
        self.unsaved: str | None = None
        self._save_seq = 0
        self._saved_seq = 0
        self._too_small = False  # the TooSmall screen is on the stack (_fit)
        # The hot-seat match a player's review round came from: its results come back after.
        self._after_review: Match | None = None

    # -- start-up

    @property
    def game(self) -> Game | None:
        """The game being played (in a hot-seat match, the current player's)."""
        return self.match.current if self.match is not None else None

    def get_default_screen(self) -> Screen[Any]:
        """A game given at launch is the first screen itself, not pushed over a blank one.

        Pushing it over Textual's default screen cost a second layout and a
        resize of the new screen before the question could be drawn: about a
        third of the time to the first question (bench/README.md).
        """
        if self.match is not None:
            return QuestionScreen(self.match, self.clock)
        return super().get_default_screen()

    def on_mount(self) -> None:
        self._restore_theme()
        self.title = clean(self.deck.title)
        if self.match is not None:
            for notice in self.start_notices:
                self.tell(notice)
            self._begin(self.match)  # its screen is the default screen
        else:
            self.show_start()
        if self.on_ready is not None:  # the start is over once the first screen is drawn
            self.screen.call_after_refresh(self.on_ready)
        self.screen.call_after_refresh(self._read_later_css)
        self.screen_change_signal.subscribe(self, lambda _: self._fit())
        self._fit()

    # -- the terminal's size

    def on_resize(self, event: events.Resize) -> None:
        self._fit(event.size)

    def _fit(self, size: Size | None = None) -> None:
        """Below MIN_WIDTH x MIN_HEIGHT, TooSmall over every other screen until the terminal grows.

        Run on every resize and every change of screen, so a screen pushed while
        the terminal is small (the results, a notice's screen) goes under it too.
        Only the quit dialog may show over it: Ctrl+Q still asks first.
        """
        size = size or self.size
        small = size.width < MIN_WIDTH or size.height < MIN_HEIGHT
        if not small and not self._too_small:
            return
        from quiz.tui.screens.modals import ConfirmQuit, TooSmall

        top = self.screen
        if small and not isinstance(top, (TooSmall, ConfirmQuit)):
            self._read_later_css()  # its style, even before the first screen was drawn
            self._too_small = True
            self.push_screen(TooSmall(MIN_WIDTH, MIN_HEIGHT))
        elif not small and isinstance(top, TooSmall):
            self._too_small = False
            self.pop_screen()

    def _read_later_css(self) -> None:
        """Read the other screens' style files, once the first screen is drawn.

        A screen's CSS_PATH is read by Textual the first time the screen is
        shown, and then it re-parses every rule and restyles every open screen:
        a 20-100 ms stall on first opening help, the results or the leaderboard
        (bench/README.md, fourth look). Read here, while the player reads the
        first question, a file costs only its own parse (Textual keeps the parse
        of the others), restyles nothing (its rules match only its own screen),
        and is already known when its screen is shown.
        """
        # Every file beside the screens, resolved as Textual resolves a CSS_PATH,
        # so Textual knows it when the screen that names it is shown.
        for path in sorted((Path(__file__).parent / "screens").resolve().glob("*.tcss")):
            if not self.stylesheet.has_source(str(path)):
                self.stylesheet.read(path)

    def show_start(self) -> None:
        from quiz.tui.screens.start import StartScreen

        self._read_later_css()  # no question to show first: the start screen needs its styles

        last = prefs.last_choices(self.saves, shared=self.shared)
        # Flags given on the command line win over what was remembered.
        if self.count is not None:
            last["count"] = self.count
        if self.timer is not None:
            last["timer"] = self.timer
        self.push_screen(
            StartScreen(
                self.deck.title,
                self._deck_choices(),
                last,
                saves=self.saves,
                deck_id=self.deck.id,
                has_game=self.has_game_in_progress,
            ),
            self._on_start,
        )
        if self._bundled is None:
            self._read_bundled()  # the start screen draws first; the list grows when they are read

    def _deck_choices(self) -> list[tuple[str, str]]:
        """The deck given, then the bundled decks read so far: each once, by its id, never its file."""
        ids = dict.fromkeys([self.deck.id, *(self._bundled or [])])
        return [(deck_id, self.decks.decks[deck_id].title) for deck_id in ids]

    class DecksRead(Message):
        """The bundled decks, read in a worker: each deck that loads."""

        def __init__(self, decks: list[Deck]) -> None:
            super().__init__()
            self.decks = decks

    @work(thread=True, exclusive=True, group="decks")
    def _read_bundled(self) -> None:
        try:
            paths = deck_files(bundled_dir())
        except ValueError:
            paths = []
        decks = []
        for path in paths:
            try:
                decks.append(load_deck(path, use_cache=True))
            except QuizError:  # a DeckError (its base: a deck that loads never imports it)
                continue
        self.post_message(self.DecksRead(decks))

    def on_quiz_app_decks_read(self, message: DecksRead) -> None:
        from quiz.tui.screens.start import StartScreen

        for deck in message.decks:
            self.decks.decks.setdefault(deck.id, deck)
        self._bundled = [deck.id for deck in message.decks]
        for screen in self.screen_stack:
            if isinstance(screen, StartScreen):
                screen.show_decks(self._deck_choices())

    def _on_start(self, choice: StartChoice | None) -> None:
        if choice is None:
            self.exit(0)
            return
        prefs.remember_choices(self.saves, choice, shared=self.shared)
        try:
            request = Request(
                (choice.player,),
                deck=None if choice.resume else self.deck_by_id(choice.deck),
                count=choice.count,
                seed=self.seed,
                timer=choice.timer,
                resume=choice.resume,
                kinds=self.kinds,
            )
            match = begin(self.saves, request, self.decks)
        except QuizError as exc:  # SessionError, SaveError, DeckError
            self.tell(str(exc), "error")
            self.show_start()
            return
        self.deck = self.deck_by_id(match.games[0].deck_id)
        self.play(match)

    def deck_by_id(self, deck_id: str) -> Deck:
        """A deck by its id: one read already, else the bundled deck (a DeckError when none)."""
        if deck_id not in self.decks.decks:
            self.decks.decks[deck_id] = bundled(deck_id)[1]
        return self.decks.decks[deck_id]

    # -- the game

    def play(self, match: Match | Game) -> None:
        self._begin(match)
        assert self.match is not None
        self.push_screen(QuestionScreen(self.match, self.clock))

    def _begin(self, match: Match | Game) -> None:
        self.match = match if isinstance(match, Match) else Match([match])
        first = self.match.games[0]
        if not first.review:
            self._normal_count = first.count

    def on_question_screen_over(self, message: QuestionScreen.Over) -> None:
        """The results replace a pushed question screen; the first one stays under them."""
        message.stop()
        if message.screen not in self.screen_stack:
            return
        # Help or the palette may have opened over it before this message arrived.
        while self.screen is not message.screen:
            self.pop_screen()
        if len(self.screen_stack) > 1:
            self.pop_screen()
        self._on_game_over(message.match)

    def _on_game_over(self, match: Match) -> None:
        from quiz.tui.screens.results import MatchResultsScreen, PlayerResultsScreen, ResultsScreen

        if not match.solo:
            self.push_screen(MatchResultsScreen(match, self.saves), self._on_match_results)
        elif self._after_review is not None:
            # A hot-seat player's review round: Esc goes back to the match's results.
            self.push_screen(PlayerResultsScreen(match.games[0], self.saves), self._on_results)
        else:
            self.push_screen(ResultsScreen(match.games[0], self.saves), self._on_results)

    def _on_match_results(self, what: Next | ReviewOf | None) -> None:
        match = self.match
        assert match is not None
        first = match.games[0]
        if what is not None and not isinstance(what, str):  # ReviewOf: one player's review round
            review = review_mistakes(what.game)
            assert review is not None  # the results offer it only when there were mistakes
            self._after_review = match
            self.play(review)
        elif what == "again":
            players = [g.player for g in match.games]
            self.play(
                start_match(
                    self.deck_by_id(first.deck_id),
                    self.saves,
                    players,
                    count=first.count,
                    timer=first.timer,
                    teams=match.teams,
                    kinds=self.kinds,
                )
            )
        else:
            self.exit(0)

    def _on_results(self, what: Next | None) -> None:
        game = self.game
        assert game is not None
        if what == "back" and self._after_review is not None:
            # From a hot-seat player's review round, back to the match's results.
            match, self._after_review = self._after_review, None
            self.match = match
            self._on_game_over(match)
        elif what == "again":
            # After a review round, play again means a normal game, not the review once more.
            count = self._normal_count if game.review else game.count
            self.play(
                start_game(
                    self.deck_by_id(game.deck_id),
                    self.saves,
                    game.player,
                    count=count,
                    timer=game.timer,
                    kinds=self.kinds,
                )
            )
        elif what == "review":
            review = review_mistakes(game)
            # The results screen offers a review only when there were mistakes.
            assert review is not None
            self.play(review)
        else:
            self.exit(0)

    def on_question_screen_answered(self, message: QuestionScreen.Answered) -> None:
        if message.game.answered == 1:
            # A start note ("the deck can give 2 questions ...") would sit over the right half
            # of the first reveal at 80x24: it has had the first question's time to be read.
            self.clear_notifications()
        self.save_game(message.game)

    def save_game(self, game: Game) -> None:
        """Save after every answer, in a thread, so a keypress never waits on the disk."""
        self._save_seq += 1
        self._save_in_thread(replace(game, answers=list(game.answers)), self._save_seq)

    @work(thread=True, group="saves")
    def _save_in_thread(self, game: Game, seq: int) -> None:
        self._write(game, seq)

    def _write(self, game: Game, seq: int) -> None:
        # Saves may finish out of order; an older snapshot never overwrites a newer one.
        with self._save_lock:
            if seq <= self._saved_seq:
                return
            try:
                if game.finished:
                    self.saves.save_finished(game)
                else:
                    self.saves.save_progress(game)
            except SaveError as exc:
                self.unsaved = str(exc)
                self._notify_any_thread(f"Could not save: {exc}", "error")
            else:
                self._saved_seq = seq
                self.unsaved = None

    def tell(self, message: str, severity: SeverityLevel = "information", title: str = "") -> None:
        """A notification. Its text often holds names and paths: data, never markup."""
        tell(self, message, severity, title)

    class Notice(Message):
        """Something to tell the player, raised in a worker thread (a save, the leaderboard's read)."""

        def __init__(self, text: str, severity: SeverityLevel) -> None:
            super().__init__()
            self.text = text
            self.severity: SeverityLevel = severity

    def on_quiz_app_notice(self, message: Notice) -> None:
        # A read of many folders (the leaderboard's first read) can raise one notice
        # per player: gathered for a moment, they become one notification.
        self._arrived.append((message.text, message.severity))
        if len(self._arrived) == 1:
            self.set_timer(NOTICE_GATHER, self._show_notices)

    def _show_notices(self) -> None:
        arrived, self._arrived = self._arrived, []
        order: list[SeverityLevel] = ["information", "warning", "error"]
        severity = max((s for _, s in arrived), key=order.index)
        texts = [t for t, _ in arrived]
        if len(texts) > NOTICES_SHOWN:
            more = len(texts) - NOTICES_SHOWN + 1
            texts = [*texts[: NOTICES_SHOWN - 1], f"... and {more} more like these"]
        self.tell("\n".join(texts), severity)

    def _notify_any_thread(self, message: str, severity: SeverityLevel) -> None:
        # From a worker, a message (post_message is thread-safe and never waits):
        # a save holding its locks never blocks on the UI thread.
        if threading.current_thread() is threading.main_thread():
            self.tell(message, severity)
        elif not self.post_message(self.Notice(message, severity)):
            self.undelivered.append(message)  # closing: printed after (cli.cmd_play)

    def _saves_notice(self, notice: str) -> None:
        """Where the saves' notices go, from any thread.

        On the UI thread (starting a game) a note, told at once; from a worker
        (a save, the leaderboard's or history's read) a warning, posted to the UI thread.
        """
        main = threading.current_thread() is threading.main_thread()
        self._notify_any_thread(notice, "information" if main else "warning")

    def has_game_in_progress(self, player: str) -> bool:
        return self.saves.has_current(player)  # a folder of quiz before, not moved yet, too

    # -- the theme, remembered per user (quiz.tui.prefs: never in the shared saves folder)

    def _restore_theme(self) -> None:
        theme = prefs.saved_theme(self.settings)
        if theme is not None and theme in self.available_themes:
            self.theme = theme
        self._theme_restored = True

    def watch_theme(self, theme: str) -> None:
        if getattr(self, "_theme_restored", False):
            prefs.save_theme(self.settings, theme)

    # -- actions

    def action_help(self) -> None:
        from quiz.tui.keys import help_rows, help_sources
        from quiz.tui.screens.modals import HelpScreen

        if not isinstance(self.screen, HelpScreen):
            self.push_screen(HelpScreen(help_rows(help_sources(type(self)))))

    def action_leaderboard(self) -> None:
        from quiz.tui.screens.leaderboard import LeaderboardScreen

        deck = self.game.deck_id if self.game else self.deck.id
        title = self.game.deck_title if self.game else self.deck.title
        self.push_screen(LeaderboardScreen(self.saves, deck, title))

    def action_request_quit(self) -> None:
        """Quit; mid-game, ask first. The game in progress is kept either way."""
        from quiz.tui.screens.modals import ConfirmQuit

        # Mid-game means an unfinished match, whatever screen is on top (help, the palette...).
        match = self.match
        if match is None or match.finished:
            self.exit(0)
            return
        if isinstance(self.screen, ConfirmQuit):
            return

        def confirmed(yes: bool | None) -> None:
            if yes:
                self.keep_game_and_exit()

        self.push_screen(ConfirmQuit(), confirmed)

    async def action_quit(self) -> None:
        """The palette's Quit (and any other route to quit) asks first mid-game too."""
        self.action_request_quit()

    def keep_game_and_exit(self) -> None:
        unfinished = [g for g in (self.match.games if self.match else []) if not g.finished]
        for game in unfinished:
            self._save_seq += 1
            self._write(replace(game, answers=list(game.answers)), self._save_seq)
        # The CLI prints the resume command once the terminal is back (quiz.cli.play.tell_resume),
        # or, if this last save failed, why the game could not be kept.
        self.exit(0, return_code=1 if self.unsaved is not None else 0)

    def get_system_commands(self, screen: Screen[Any]) -> Iterable[SystemCommand]:
        """The palette: only what means something in this game, in its words.

        Not Textual's own list: its "Keys" panel, "Maximize" and "Screenshot" are
        for developers, and its Quit said "as soon as possible" though ours asks first.
        """
        from quiz.tui.screens.leaderboard import LeaderboardScreen  # DataTable: loads when shown

        yield SystemCommand("Help", "Every key, in one place (F1)", self.action_help)
        if not isinstance(screen, LeaderboardScreen):
            yield SystemCommand(
                "Leaderboard", "The best games on this deck", self.action_leaderboard
            )
        yield SystemCommand(
            "Theme", "Change the colours (kept for next time)", self.action_change_theme
        )
        yield SystemCommand(
            "Quit", "Stop playing (asks first mid-game; the game is kept)", self.action_request_quit
        )


def make_app(
    *,
    deck: Deck,
    saves: SaveFolder,
    match: Match | None = None,
    game: Game | None = None,
    count: int | None = None,
    seed: int | None = None,
    timer: int | None = None,
    kinds: tuple[str, ...] | None = None,
    clock: Callable[[], float] = time.monotonic,
    shared: bool = False,
    settings: Path | None = None,
    notices: Sequence[str] = (),
    on_ready: Callable[[], None] | None = None,
) -> QuizApp:
    """Build the app the same way for the CLI, the tests and `quiz serve`.

    Give a ``match`` (one game per player) or a single ``game``; with neither,
    the app opens on the start screen. ``shared`` (`quiz serve`, through `quiz
    play --shared`) means strangers share the screen, so no name is remembered.
    ``settings`` is where the theme is kept (default: the user's config folder). ``notices``: what starting the ``match`` raised, told
    as the first question shows. ``on_ready``: called once the first screen is drawn.
    """
    if match is None and game is not None:
        match = Match([game])
    if settings is None:
        settings = prefs.settings_path()
    return QuizApp(
        deck,
        saves,
        match=match,
        count=count,
        seed=seed,
        timer=timer,
        kinds=kinds,
        clock=clock,
        shared=shared,
        settings=settings,
        notices=notices,
        on_ready=on_ready,
    )
