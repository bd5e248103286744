"""Typed, estimate and order questions in the TUI, as a player meets them at 80x24.

Each game here is planned from the fixed test deck with ``kinds=`` so it asks
only the form under test; what is typed is built from the question itself
(its accepted answers, its listed wrong values, its number, its order).
"""

from __future__ import annotations

from quiz.game.play import Match
from quiz.questions.plan import make_quiz
from quiz.questions.question import Question
from quiz.session import start_game, start_match
from quiz.tui.app import QuizApp, make_app
from quiz.tui.screens.question import QuestionScreen
from quiz.tui.screens.results import ResultsScreen
from tests.conftest import wait_until
from tests.ui.conftest import DECK, screen_text

SIZE = (80, 24)


def forms_app(saves, clock, kind: str, *, count: int = 2, seed: int = 5, timer=None) -> QuizApp:  # type: ignore[no-untyped-def]
    """Ann's game of ``count`` questions of one form."""
    game = start_game(DECK, saves, "Ann", count=count, seed=seed, timer=timer)
    game.questions = make_quiz(DECK, seed, count, kinds=(kind,))
    assert all(q.kind == kind for q in game.questions)
    return make_app(deck=DECK, saves=saves, game=game, clock=clock)


def current(app: QuizApp) -> Question:
    assert app.game is not None
    return app.game.current


async def type_line(pilot, text: str) -> None:  # type: ignore[no-untyped-def]
    """Type ``text`` key by key, as a player does, then Enter."""
    await pilot.press(*text, "enter")
    await pilot.pause()


async def test_a_burst_of_keys_edits_the_answer_in_the_order_they_were_typed(saves, clock) -> None:  # type: ignore[no-untyped-def]
    from textual import events

    app = forms_app(saves, clock, "typed")
    async with app.run_test(size=SIZE) as pilot:
        await pilot.pause()
        # All at once, as a slow link or a fast typist delivers them: not key by key.
        for key, char in [("e", "e"), ("f", "f"), ("backspace", None), ("backspace", None),
                          ("g", "g"), ("h", "h"), ("left", None), ("x", "x")]:  # fmt: skip
            app.post_message(events.Key(key, char))
        await wait_until(pilot, lambda: "gxh" in screen_text(app), "the keys applied in order")
        assert "efgh" not in screen_text(app)


async def test_a_typed_answer_with_a_typo_is_right_and_q_1_and_question_mark_are_text(
    saves, clock
) -> None:  # type: ignore[no-untyped-def]
    app = forms_app(saves, clock, "typed")
    async with app.run_test(size=SIZE) as pilot:
        q = current(app)
        shown = screen_text(app)
        assert "Type your answer in words. Enter answers." in shown
        footer = lambda: "\u23ce Answer" in screen_text(app).splitlines()[-1]  # noqa: E731
        await wait_until(pilot, footer, "Enter answers, in the footer")
        # Keys that answer, quit or open the help elsewhere are letters here.
        await pilot.press("q", "1", "question_mark", "t")
        await pilot.pause()
        assert isinstance(app.screen, QuestionScreen) and app.game.answered == 0
        assert "q1?t" in screen_text(app)
        for _ in range(4):
            await pilot.press("backspace")
        right = max(q.accept, key=len)
        typo = right[:3] + right[4:]  # one letter dropped
        await type_line(pilot, typo)
        answer = app.game.answers[0]
        assert answer.correct and answer.text == typo
        shown = screen_text(app)
        assert "\u2713 Right!" in shown and f"+{answer.points} points" in shown
        assert f"You typed: {typo}" in shown and f"The answer: {q.right}" in shown
        assert "Source: " in shown


async def test_a_listed_wrong_value_is_wrong_and_an_empty_line_asks_again(saves, clock) -> None:  # type: ignore[no-untyped-def]
    app = forms_app(saves, clock, "typed")
    async with app.run_test(size=SIZE) as pilot:
        q = current(app)
        await type_line(pilot, "   ")
        assert app.game.answered == 0
        assert "Try again: Type your answer in words." in screen_text(app)
        for _ in range(3):
            await pilot.press("backspace")
        await type_line(pilot, q.refuse[0])
        assert not app.game.answers[0].correct and app.game.answers[0].points == 0
        shown = screen_text(app)
        assert "\u2717 Wrong." in shown and f"You typed: {q.refuse[0]}" in shown
        assert f"The answer: {q.right}" in shown and "Try again" not in shown


async def test_hostile_typed_text_is_shown_as_data_and_never_acts(saves, clock) -> None:  # type: ignore[no-untyped-def]
    app = forms_app(saves, clock, "typed", count=1)
    async with app.run_test(size=SIZE) as pilot:
        hostile = "[b]x[/b] [@click=app.quit] \x1b[2J\x1b]0;owned\x07"
        await pilot.press(*hostile, "enter")  # what a paste would bring
        await pilot.pause()
        answer = app.game.answers[0]
        assert "\x1b" not in (answer.text or "") and "\x07" not in (answer.text or "")
        shown = screen_text(app)
        assert "You typed: [b]x[/b] [@click=app.quit]" in shown
        assert "\x1b" not in shown
        # Clicking what was typed, where it is shown, does nothing.
        for y in range(10, 14):  # the feedback's lines
            await pilot.click(offset=(10, y))
        assert app.is_running and isinstance(app.screen, QuestionScreen)
        await pilot.press("enter")
        await wait_until(pilot, lambda: isinstance(app.screen, ResultsScreen), "the results")
        assert "[b]x[/b]" in screen_text(app)  # in the column "Your answer"


async def test_an_estimate_exact_near_far_and_not_a_number(saves, clock) -> None:  # type: ignore[no-untyped-def]
    app = forms_app(saves, clock, "estimate", count=3)
    async with app.run_test(size=SIZE) as pilot:
        q = current(app)
        assert q.value is not None and q.tolerance >= 1
        await type_line(pilot, "about")
        assert app.game.answered == 0 and "Try again: Type a number, like" in screen_text(app)
        for _ in range(5):
            await pilot.press("backspace")
        await type_line(pilot, str(q.value - 1))
        near = app.game.answers[0]
        assert not near.correct and 0 < (near.credit or 0) < 1 and near.points > 0
        shown = screen_text(app)
        assert "\u2248 Close: 1 " in shown and f"+{near.points} points" in shown
        assert f"The answer: {q.right}" in shown
        await pilot.press("enter")
        await pilot.pause()
        q = current(app)
        assert q.value is not None
        await type_line(pilot, q.right)  # as shown: "6th", "2024"
        assert app.game.answers[1].correct
        assert "\u2713 Right!" in screen_text(app)
        await pilot.press("enter")
        await pilot.pause()
        q = current(app)
        assert q.value is not None
        await type_line(pilot, str(q.value + q.tolerance + 1))
        assert app.game.answers[2].points == 0
        assert "\u2717 Wrong." in screen_text(app)
        await pilot.press("enter")
        await wait_until(pilot, lambda: isinstance(app.screen, ResultsScreen), "the results")
        # The near answer is counted, not hidden under "1/3 correct" (newcomer N4).
        assert "1/3 correct, 1 close" in screen_text(app)


async def test_time_runs_out_on_a_typed_question_and_on_an_order(saves, clock) -> None:  # type: ignore[no-untyped-def]
    for kind in ("typed", "order"):
        app = forms_app(saves, clock, kind, count=1, timer=10)
        async with app.run_test(size=SIZE) as pilot:
            await pilot.press("b")  # half typed, or one item placed: not an answer
            clock.advance(11)
            await wait_until(pilot, lambda a=app: "Time's up." in screen_text(a), "time's up")
            answer = app.game.answers[0]
            assert answer.timed_out and answer.points == 0
            assert "The answer: " in screen_text(app)


async def test_an_order_by_letters_or_by_numbers(saves, clock) -> None:  # type: ignore[no-untyped-def]
    for keys in ("letters", "numbers"):
        app = forms_app(saves, clock, "order", count=1, seed=4)
        async with app.run_test(size=SIZE) as pilot:
            q = current(app)
            # Numbers place the items as their letters do, as in plain mode: "2" is B.
            typed = [chr(ord("a") + k) if keys == "letters" else str(k + 1) for k in q.order]
            await pilot.press(*typed[:-1])  # the last one falls into place
            await pilot.pause()
            assert app.game.answered == 0  # placed, not yet answered
            await pilot.press("enter")
            await pilot.pause()
            assert app.game.answers[0].correct, keys
            assert app.game.answers[0].order == q.order
            shown = screen_text(app)
            assert "\u2713 Right!" in shown
            assert f"The answer: {' '.join(chr(ord('A') + k) for k in q.order)}" in shown


async def test_an_order_moved_with_space_and_down_earns_its_pairs(saves, clock) -> None:  # type: ignore[no-untyped-def]
    app = forms_app(saves, clock, "order", count=1)
    async with app.run_test(size=SIZE) as pilot:
        q = current(app)
        # The right order, then the first two swapped: with Space and Down, from the top.
        await pilot.press(*"".join(chr(ord("a") + k) for k in q.order)[:-1])
        await pilot.press("home", "space", "down", "space", "enter")
        await pilot.pause()
        answer = app.game.answers[0]
        swapped = (q.order[1], q.order[0], *q.order[2:])
        assert answer.order == swapped and not answer.correct
        pairs = len(q.order) * (len(q.order) - 1) // 2
        shown = screen_text(app)
        assert f"\u2248 Close: {pairs - 1} of {pairs} pairs in order." in shown
        assert f"+{answer.points} points" in shown
        assert 0 < (answer.credit or 0) < 1


async def test_shift_arrows_move_an_item(saves, clock) -> None:  # type: ignore[no-untyped-def]
    app = forms_app(saves, clock, "order", count=1)
    async with app.run_test(size=SIZE) as pilot:
        q = current(app)
        await pilot.press("shift+down", "shift+down", "enter")
        await pilot.pause()
        n = len(q.choices)
        assert app.game.answers[0].order == (1, 2, 0, *range(3, n))


async def test_hot_seat_players_take_turns_on_typed_questions(saves, clock) -> None:  # type: ignore[no-untyped-def]
    match: Match = start_match(DECK, saves, ["Ann", "Ben"], count=1, seed=5)
    for game in match.games:
        game.questions = make_quiz(DECK, 5, 1, kinds=("typed",))
    app = make_app(deck=DECK, saves=saves, match=match, clock=clock)
    async with app.run_test(size=SIZE) as pilot:
        q = current(app)
        await type_line(pilot, q.right)
        await pilot.press("enter")
        await pilot.pause()
        assert "Ben's turn" in screen_text(app)
        assert "You typed" not in screen_text(app)  # Ben's line is empty and open
        await type_line(pilot, "no idea")
        assert [g.answers[0].correct for g in match.games] == [True, False]


async def test_a_review_round_asks_a_wrong_typed_question_again(saves, clock) -> None:  # type: ignore[no-untyped-def]
    app = forms_app(saves, clock, "typed", count=1)
    async with app.run_test(size=SIZE) as pilot:
        q = current(app)
        await type_line(pilot, "no idea")
        await pilot.press("enter")
        await wait_until(pilot, lambda: isinstance(app.screen, ResultsScreen), "the results")
        assert "no idea" in screen_text(app)  # the results show what was typed
        await pilot.press("r")
        await pilot.pause()
        assert isinstance(app.screen, QuestionScreen) and app.game.review
        assert current(app).id == q.id
        await type_line(pilot, q.right)
        assert app.game.answers[0].correct


async def test_a_start_note_is_gone_before_the_first_reveal(saves, clock) -> None:  # type: ignore[no-untyped-def]
    """Newcomer N4: "the deck can give 2 questions ..." sat over half the first reveal."""
    note = "the deck can give 2 questions without giving answers away, not 9: playing 2"
    for player, size in (("Ann", (80, 24)), ("Ben", (60, 20))):
        game = start_game(DECK, saves, player, count=2, seed=5)
        app = make_app(deck=DECK, saves=saves, game=game, clock=clock, notices=(note,))
        async with app.run_test(size=size) as pilot:
            await pilot.pause()
            assert [n.message for n in app._notifications] == [note]  # told at the start
            await pilot.press(str(current(app).answer + 1))
            await wait_until(pilot, lambda app=app: not app._notifications, "the note gone")
            assert "Right" in screen_text(app)


async def test_letters_that_keep_the_order_shown_still_show_they_were_taken(saves, clock) -> None:  # type: ignore[no-untyped-def]
    # Newcomer, issue 25: typing "a", "b" on A B C changed nothing on screen.
    app = forms_app(saves, clock, "order", count=1)
    async with app.run_test(size=SIZE) as pilot:
        n = len(current(app).choices)
        before = screen_text(app)
        assert "placed" not in before
        await pilot.press("a")
        await wait_until(pilot, lambda: f"1 of {n} placed" in screen_text(app), "a placed")
        assert "\u2022 1. A" in screen_text(app) and "\u2022 2. B" not in screen_text(app)
        await pilot.press(*"bcd"[: n - 2])  # the last one falls into place
        done = f"{n} of {n} placed: Enter answers"
        await wait_until(pilot, lambda: done in screen_text(app), "all placed")
        shown = screen_text(app)
        assert all(f"\u2022 {k + 1}. {chr(ord('A') + k)}" in shown for k in range(n))
        assert app.game is not None and app.game.answered == 0
        await pilot.press("shift+down")  # moved by hand: no longer the typed order
        await wait_until(pilot, lambda: "placed" not in screen_text(app), "marks gone")


async def test_the_results_keep_words_whole_at_60x20_and_widen_after_a_resize(saves, clock) -> None:  # type: ignore[no-untyped-def]
    # Newcomer, issue 25: "Motorsport / s" at 60x20, and narrow columns kept at 80x24.
    from textual.widgets import DataTable

    app = forms_app(saves, clock, "typed", count=2)
    async with app.run_test(size=(60, 20)) as pilot:
        rights = []
        for _ in range(2):
            q = current(app)
            rights.append(q.right)
            await type_line(pilot, q.right)
            await pilot.press("enter")
            await pilot.pause()
        await wait_until(pilot, lambda: isinstance(app.screen, ResultsScreen), "the results")
        table = app.screen.query_one("#review", DataTable)
        await wait_until(pilot, lambda: table.row_count == 2, "the review's rows")
        shown = screen_text(app)
        words = {w for right in rights for w in right.split()}
        assert any(len(w) > 10 for w in words)  # a word wider than the old 10-column answers
        assert all(w in shown for w in words), (words, shown)
        narrow = table.columns["question"].width
        await pilot.resize_terminal(80, 24)
        await wait_until(
            pilot, lambda: table.columns["question"].width > narrow, "wider columns at 80x24"
        )
        assert table.row_count == 2 and all(w in screen_text(app) for w in words)
