"""Typed, estimate and order questions in plain mode: what a player types and reads back."""

from __future__ import annotations

import io
from pathlib import Path

import pytest

from quiz.deckfile.read import load_deck
from quiz.game.play import Game
from quiz.plain.play import run_plain
from quiz.questions.generate import Generator
from quiz.questions.question import Question
from quiz.saves.folder import SaveFolder
from tests.conftest import FIXED

DECK = load_deck(FIXED)
BY_ID = {q.id: q for q in Generator(DECK, 1).all_questions()}
TEAM = BY_ID["fx-balcaen-current-team/typed-1"]  # Nitro Motorsports; Venturini is refused
KANSAS = BY_ID["fx-balcaen-kansas-eighth/estimate-1"]  # 8th, tolerance 4, 1st-40th
ORDER = BY_ID["fx-balcaen-kansas-eighth/order-values"]  # Talladega, Kansas, Daytona as shown


def play(tmp_path: Path, questions: list[Question], lines: str, timer: int | None = None) -> str:
    game = Game(questions, "Ann", DECK.id, DECK.title, 1, timer=timer, mode="plain")
    ticks = iter(float(t) for t in range(0, 1000, 2))  # each answer takes two seconds
    out = io.StringIO()
    run_plain(
        game, SaveFolder(tmp_path / "saves"), io.StringIO(lines), out, clock=lambda: next(ticks)
    )
    return out.getvalue()


def test_the_fixed_deck_gives_each_form_as_this_test_expects() -> None:
    assert TEAM.right == "Nitro Motorsports" and "Venturini Motorsports" in TEAM.refuse
    assert (KANSAS.value, KANSAS.tolerance, KANSAS.low, KANSAS.high) == (8, 4, 1, 40)
    assert ORDER.choices == (
        "Her race weekend at Talladega",
        "Her race weekend at Kansas",
        "Her race weekend at Daytona",
    )


@pytest.mark.parametrize(
    ("typed", "verdict"),
    [
        ("Nitro Motorsports", "\u2713 Right! You typed: Nitro Motorsports. +1000 points"),
        ("  nitro motorsport ", "\u2713 Right! You typed: nitro motorsport. +1000 points"),
        ("nitro", "\u2713 Right! You typed: nitro. +1000 points"),
        ("Venturini Motorsports", "\u2717 Wrong. You typed: Venturini Motorsports."),
        ("Nitro Racing", "\u2717 Wrong. You typed: Nitro Racing."),
    ],
)
def test_a_typed_answer_is_judged_by_its_words_not_its_case_or_small_typos(
    tmp_path: Path, typed: str, verdict: str
) -> None:
    out = play(tmp_path, [TEAM], typed + "\n")
    assert "Your answer (type the answer, q to quit): " in out
    assert verdict in out
    # Wrong, or right with a typo, another case or a variant: the answer as it is spelt.
    assert ("The answer is: Nitro Motorsports" in out) == (typed != "Nitro Motorsports")


def test_a_blank_typed_line_asks_again_and_markup_typed_is_shown_as_typed(tmp_path: Path) -> None:
    out = play(tmp_path, [TEAM], "   \n[b]Nitro[/b] \x1b[31m\n")
    assert "Type your answer in words." in out
    # Cleaned (no escape), not rendered: the brackets stay as typed.
    assert "You typed: [b]Nitro[/b] [31m." in out
    assert "\x1b" not in out


def test_invisible_characters_typed_are_not_kept(tmp_path: Path) -> None:
    out = play(tmp_path, [TEAM], "\u200b\ufeff\n Ni\u200btro\u2060 Motor\u00adsports\n")
    assert "Type your answer in words." in out  # only invisible characters: not an answer
    assert "You typed: Nitro Motorsports." in out


@pytest.mark.parametrize(
    ("given", "verdict"),
    [
        ("8th", "\u2713 Right! You said: 8th. Exact. +1000 points"),
        ("10", "\u2248 Close. You said: 10th. 2 places off. +600 points"),  # 1000 * 3/5
        ("4", "\u2248 Close. You said: 4th. 4 places off. +200 points"),  # 1000 * 1/5
        ("13", "\u2717 Wrong. You said: 13th. 5 places off. The answer is: 8th"),
    ],
)
def test_an_estimate_scores_less_the_further_off_it_is(
    tmp_path: Path, given: str, verdict: str
) -> None:
    out = play(tmp_path, [KANSAS], f"eight\n{given}\n")
    # The range and what a near answer earns (tolerance 4: 1000 * (5 - off) / 5).
    assert "(A number from 1st to 40th. Up to 4 places off earns part of the points.)" in out
    assert "Type a number, like 3rd." in out  # "eight" is asked again
    assert verdict in out


@pytest.mark.parametrize(
    ("given", "verdict"),
    [
        ("bac", "\u2713 Right! Your order: Her race weekend at Kansas \u2192"),
        ("2 1 3", "\u2713 Right! Your order:"),
        ("abc", "\u2248 Close."),  # Talladega before Kansas is the one pair out of order
        ("cab", "\u2717 Wrong."),  # Daytona first, Kansas last: no pair in order
    ],
)
def test_an_order_scores_each_pair_put_in_order(tmp_path: Path, given: str, verdict: str) -> None:
    out = play(tmp_path, [ORDER], f"a\nabd\n{given}\n")
    assert "  a) Her race weekend at Talladega" in out
    assert out.count("Type the 3 letters (or numbers) in your order") == 2
    assert verdict in out
    if given == "abc":
        # 1000 * 2/3, said as that share, not "(667 base)" (newcomer N4 item 10)
        assert "2 of 3 pairs in order. +667 points (2/3 of the 1000 a right answer earns)" in out
    if given == "cab":
        assert "0 of 3 pairs in order." in out


def test_a_near_answer_breaks_a_streak_and_earns_no_streak_bonus(tmp_path: Path) -> None:
    out = play(tmp_path, [TEAM, KANSAS, TEAM], "nitro\n9\nnitro\n")
    assert "+1000 points (1000 base)" in out
    # No streak bonus on a near answer; its points said as the share they are (newcomer N4).
    assert "1 place off. +800 points (4/5 of the 1000 a right answer earns)." in out
    assert out.count("Streak 0") == 2  # before the first question and after the near one


def test_a_typed_answer_after_the_timer_is_times_up(tmp_path: Path) -> None:
    game = Game([TEAM], "Ann", DECK.id, DECK.title, 1, timer=5, mode="plain")
    ticks = iter([0.0, 9.0])
    out = io.StringIO()
    run_plain(
        game, SaveFolder(tmp_path / "s"), io.StringIO("nitro\n"), out, clock=lambda: next(ticks)
    )
    assert (
        "\u2717 Time's up: over 5 seconds. You typed: nitro. The answer is: Nitro Motorsports"
        in (out.getvalue())
    )
    assert game.score == 0


def test_the_review_at_the_end_shows_what_was_typed_said_and_ordered(tmp_path: Path) -> None:
    out = play(tmp_path, [TEAM, KANSAS, ORDER], "nitro\n10\ncab\n")
    review = out[out.index("Your answers:") :]
    assert "1. \u2713 right:" in review and "You typed: nitro." in review
    # In the words said while answering (newcomer, issue 25): not "You chose: 10th".
    assert "2. \u2248 close:" in review and "You said: 10th." in review
    assert "3. \u2717 wrong:" in review
    assert "Your order: Her race weekend at Daytona \u2192 Her race weekend at Talladega" in review
    assert "You chose" not in review
    # The share card marks the close answer as the screens do: ≈, not ✗.
    assert "\u2713\u2248\u2717 1/3" in review


def test_the_save_keeps_what_was_given_as_the_player_saw_it(tmp_path: Path) -> None:
    import tomllib

    play(tmp_path, [TEAM, KANSAS, ORDER], "nitro\n10\ncab\n")
    (saved,) = (tmp_path / "saves").rglob("games/*.toml")
    answers = tomllib.loads(saved.read_text(encoding="utf-8"))["answers"]
    assert [a["chosen"] for a in answers] == [
        "nitro",
        "10th",
        "Her race weekend at Daytona \u2192 Her race weekend at Talladega"
        " \u2192 Her race weekend at Kansas",
    ]
    assert answers[0]["text"] == "nitro" and answers[1]["value"] == 10
    assert answers[1]["credit"] == 0.6 and answers[2]["order"] == [2, 0, 1]


def test_kinds_on_the_command_line_picks_the_forms_a_game_asks(cli, tmp_path: Path) -> None:  # type: ignore[no-untyped-def]
    saves = str(tmp_path / "saves")
    args = ("play", "--plain", "--deck", str(FIXED), "--player", "Ann", "--seed", "3")
    result = cli(
        *args, "--count", "4", "--kinds", "typed,estimate", "--saves", saves, stdin="20\n" * 4
    )
    assert result.code == 0, result.err
    asked = result.out.count("Your answer (type the answer") + result.out.count("(a number, q")
    assert asked == 4 and "Question 4/4" in result.out
    assert "1)" not in result.out  # no choices at all
    unknown = cli(*args, "--kinds", "typed,essay", "--saves", saves)
    assert unknown.code == 2 and "unknown kind 'essay'" in unknown.err
    again = cli(
        "play", "--plain", "--player", "Ann", "--resume", "--kinds", "typed", "--saves", saves
    )
    assert again.code == 2 and "leave out --kinds" in again.err


@pytest.mark.all_forms
def test_without_kinds_a_game_mixes_every_form_the_deck_has(cli) -> None:  # type: ignore[no-untyped-def]
    import json

    seen: set[str] = set()
    for seed in range(1, 7):
        result = cli("preview", "--seed", str(seed), "--count", "10", "--format", "json")
        assert result.code == 0, result.err
        seen |= {q["kind"] for q in json.loads(result.out)}
    assert {"typed", "estimate", "order", "multiple", "boolean"} <= seen


def test_a_wrong_value_that_reads_as_an_accepted_one_is_never_refused() -> None:
    """'Beatles' among the wrong values of 'The Beatles': compared as typed answers are,
    they are one answer, so the right answer typed is never judged wrong."""
    from dataclasses import replace as swap

    from quiz.game.judge import RIGHT, verdict
    from quiz.model import TextAnswer

    fact = next(f for f in DECK.facts if f.id == "fx-balcaen-current-team")
    odd = swap(fact, answer=TextAnswer("The Beatles"), wrong=("Beatles!", "Rolling Stones"))
    deck = swap(DECK, facts=(odd,))
    question = Generator(deck, 1).build(odd, f"{odd.id}/typed-1")
    assert question is not None and question.refuse == ("Rolling Stones",)
    assert verdict(question, text="beatles") == RIGHT


def test_an_estimate_outside_the_range_shown_is_asked_again(tmp_path: Path) -> None:
    out = play(tmp_path, [KANSAS], "99\n0\n9\n")
    assert out.count("Type a number from 1st to 40th.") == 2
    assert "You said: 9th. 1 place off." in out


def test_the_results_count_the_near_answers_beside_the_right_ones(tmp_path: Path) -> None:
    out = play(tmp_path, [KANSAS, ORDER, TEAM], "10\nabc\nnitro\n")
    assert "1/3 correct, 2 close" in out  # newcomer N4: "0/2 correct" hid two near answers


def test_a_share_of_the_points_is_said_as_that_share_of_a_right_answer_then() -> None:
    from quiz.game.play import share_breakdown

    # Timed, 5 of 20 seconds: a right answer earns 875 then; 2 of 3 pairs earn 2/3 of it.
    parts = share_breakdown(2 / 3, 5.0, 20, 3)
    assert (parts.total, parts.streak) == (583, 0)
    assert parts.words() == "2/3 of the 875 a right answer earns"
    assert share_breakdown(1.0, 5.0, 20, 2).words() == "500 base + 375 speed + 100 streak"


def test_an_order_may_leave_out_the_last_letter_as_the_tui_fills_it_in(tmp_path: Path) -> None:
    right = "".join(chr(ord("a") + k) for k in ORDER.order)
    out = play(tmp_path, [ORDER], f"{right[:-1]}\n")
    assert "Your answer (the 3 letters in order, first to last; the last may be left out, q" in out
    assert "\u2713 Right! Your order:" in out  # newcomer N4: plain asked for all three
