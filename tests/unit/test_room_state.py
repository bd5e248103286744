"""The room's pure state machine: phases, joins and rejoins at each step, scoring, ties."""

from __future__ import annotations

import pytest

from quiz.deckfile.read import load_deck
from quiz.game.play import points_for
from quiz.questions.plan import make_quiz
from quiz.room.players import check_room_name, new_code
from quiz.room.state import Room
from quiz.room.wire import RoomError
from tests.conftest import CHOICE_FORMS, FIXED
from tests.room_helpers import room_on

DECK = load_deck(FIXED)
QUESTIONS = make_quiz(DECK, 7, 3, kinds=CHOICE_FORMS)


def make_room(**kw) -> Room:  # type: ignore[no-untyped-def]
    return room_on(QUESTIONS, **kw)


def right(k: int) -> int:
    return QUESTIONS[k].answer


def wrong(k: int) -> int:
    return (QUESTIONS[k].answer + 1) % len(QUESTIONS[k].choices)


def test_code_is_six_random_digits() -> None:
    codes = {new_code() for _ in range(50)}
    assert all(len(c) == 6 and c.isdigit() for c in codes) and len(codes) > 40


def test_a_full_game_speed_scoring_uses_the_games_rule_and_streaks() -> None:
    room = make_room(timer=20)
    ann, _ = room.join("Ann")
    ben, _ = room.join("Ben")
    room.start(now=100.0)
    assert room.phase == "question" and room.index == 0
    a = room.answer(ann.token, 1, right(0), now=104.0)
    assert a.correct and a.points == points_for(True, 4.0, 20, 1) == 900
    room.answer(ben.token, 1, wrong(0), now=101.0)
    assert room.all_answered()
    room.close(now=105.0)
    assert room.phase == "reveal"
    room.advance(now=110.0)
    second = room.answer(ann.token, 2, right(1), now=110.0)
    assert second.points == 1000 + 100  # the streak bonus for a 2nd right answer in a row
    room.close(now=130.0)
    assert ben.answer_for(1) is not None and ben.answer_for(1).choice is None  # type: ignore[union-attr]
    room.advance(now=131.0)
    room.close(now=151.0)
    assert room.advance(now=152.0) is None and room.phase == "end"
    assert ann.game.finished and ann.game.mode == "live" and ann.game.seed == 7
    assert room.right_counts() == [1, 1, 0]


def test_accuracy_scoring_is_a_flat_1000_with_no_streak() -> None:
    room = make_room(timer=20, scoring="accuracy")
    ann, _ = room.join("Ann")
    room.start(0.0)
    assert room.answer(ann.token, 1, right(0), 19.0).points == 1000
    room.close(20.0)
    room.advance(21.0)
    assert room.answer(ann.token, 2, right(1), 39.0).points == 1000
    assert ann.game.score == 2000


def test_only_the_first_answer_counts_and_wrong_questions_are_refused() -> None:
    room = make_room(timer=20)
    ann, _ = room.join("Ann")
    with pytest.raises(RoomError) as early:
        room.answer(ann.token, 1, 0, 0.0)
    assert early.value.code == "not-open"
    room.start(0.0)
    room.answer(ann.token, 1, wrong(0), 1.0)
    with pytest.raises(RoomError) as twice:
        room.answer(ann.token, 1, right(0), 2.0)
    assert twice.value.code == "already-answered"
    assert not ann.game.answers[0].correct
    with pytest.raises(RoomError) as other:
        room.answer(ann.token, 2, 0, 2.0)
    assert other.value.code == "not-open"
    with pytest.raises(RoomError) as out_of_range:
        make_room_with_answer_out_of_range()
    assert out_of_range.value.code == "bad-message"


def make_room_with_answer_out_of_range() -> None:
    room = make_room()
    ann, _ = room.join("Ann")
    room.start(0.0)
    room.answer(ann.token, 1, 9, 1.0)


def test_timer_expiry_by_the_injected_clock() -> None:
    room = make_room(timer=20)
    ann, _ = room.join("Ann")
    room.start(50.0)
    assert room.seconds_left(60.0) == 10.0 and not room.expired(69.9)
    assert room.expired(70.0)
    with pytest.raises(RoomError) as late:
        room.answer(ann.token, 1, right(0), 70.5)
    assert late.value.code == "not-open"
    room.close(70.5)
    assert ann.game.answers[0].choice is None and ann.game.score == 0


def test_untimed_questions_never_expire() -> None:
    room = make_room(timer=None)
    ann, _ = room.join("Ann")
    room.start(0.0)
    assert not room.expired(10_000.0)
    assert room.answer(ann.token, 1, right(0), 500.0).points == 1000


def test_names_unique_regardless_of_case_and_checked() -> None:
    room = make_room()
    room.join("Ann")
    for name, code in (
        ("ANN", "name-taken"),
        ("", "bad-name"),
        ("\u200b", "bad-name"),
        ("x" * 1000, "bad-name"),
        # Names that would pass for Ann's on every screen (issue 11, class 5).
        ("Ann\u200b", "bad-name"),
        ("A\u00adnn", "bad-name"),
        ("Ann\ufe0f", "bad-name"),
        ("\u202eAnn", "bad-name"),
        ("A\nnn", "bad-name"),
        ("\U000e0041Ann", "bad-name"),
        ("\x1b]2;PWNED\x07Ann", "bad-name"),
        ("\u0410nn", "name-taken"),  # Cyrillic A
        ("\uff21nn", "name-taken"),  # full-width A
    ):
        with pytest.raises(RoomError) as err:
            room.join(name)
        assert err.value.code == code, name
    player, _ = room.join("[bold]Cy[/bold] <b>")
    assert player.name == "[bold]Cy[/bold] <b>"  # markup kept as text, shown literally
    assert room.join("Anń")[0].name == "Anń"  # a real accent is another name
    assert check_room_name("  Dee ") == "Dee"


def test_every_joiner_s_name_is_taken_at_once_and_freed_when_removed() -> None:
    # Each join adds to the room's name lookup in place (a 3,000-player room): the
    # name of whoever joined last is already refused in any look-alike form.
    room = make_room(max_players=100)
    for k in range(40):
        room.join(f"Player {k}")
        for alike in (f"PLAYER {k}", f"\uff30layer {k}", f"player {k}"):
            with pytest.raises(RoomError) as err:
                room.join(alike)
            assert err.value.code == "name-taken", alike
    assert room.by_name("player 7") is not None and room.active_count() == 40
    room.remove("Player 7")
    assert room.by_name("Player 7") is None and room.active_count() == 39
    assert room.join("PLAYER 7")[0].name == "PLAYER 7"
    with pytest.raises(RoomError):
        room.join("player 39")


@pytest.mark.parametrize("phase", ["lobby", "question", "reveal", "end"])
def test_leave_and_rejoin_with_the_token_at_each_step_keeps_everything(phase: str) -> None:
    room = make_room(timer=20)
    ann, _ = room.join("Ann")
    room.join("Ben")
    if phase != "lobby":
        room.start(0.0)
        room.answer(ann.token, 1, right(0), 2.0)
    if phase in ("reveal", "end"):
        room.close(20.0)
    if phase == "end":
        for _ in range(2):
            room.advance(21.0)
            room.close(41.0)
        room.advance(42.0)
    score = ann.game.score
    room.leave(ann.token)
    assert not ann.connected
    with pytest.raises(RoomError) as taken:
        room.join("ann")  # the same name without the token
    assert taken.value.code in ("name-taken", "not-open")
    back, rejoined = room.join("anything", token=ann.token)
    assert back is ann and rejoined and back.connected and back.game.score == score
    if phase == "question":
        assert back.answer_for(0) is not None  # the locked-in answer is kept


def test_joining_during_a_reveal_plays_from_the_next_question() -> None:
    # Joining during a question plays it (tests/unit/test_room_round3_ux.py).
    room = make_room(timer=20)
    ann, _ = room.join("Ann")
    room.start(0.0)
    room.answer(ann.token, 1, right(0), 3.0)
    room.close(4.0)
    late, _ = room.join("Late")
    assert late.first == 1 and late.game.count == 2
    with pytest.raises(RoomError) as now:
        room.answer(late.token, 1, right(0), 4.5)
    assert now.value.code == "not-open"
    room.advance(5.0)
    assert room.answered_count() == (0, 2)
    assert room.answer(late.token, 2, right(1), 6.0).correct
    assert late.game.questions[0].id == QUESTIONS[1].id


def test_the_question_closes_when_every_connected_player_answered() -> None:
    room = make_room(timer=20)
    ann, _ = room.join("Ann")
    ben, _ = room.join("Ben")
    room.start(0.0)
    room.answer(ann.token, 1, right(0), 1.0)
    assert not room.all_answered()
    room.leave(ben.token)
    assert room.all_answered()
    room.leave(ann.token)
    assert not room.all_answered()  # nobody connected: wait for the timer or the host


def test_remove_frees_the_name_and_the_token_stops_working() -> None:
    room = make_room()
    ann, _ = room.join("Ann")
    room.remove("ann")
    with pytest.raises(RoomError) as gone:
        room.join("Ann", token=ann.token)
    assert gone.value.code == "removed"
    again, rejoined = room.join("Ann")
    assert again is not ann and not rejoined
    assert room.names() == ["Ann"]


def test_lock_refuses_new_players_but_not_rejoins() -> None:
    room = make_room()
    ann, _ = room.join("Ann")
    room.locked = True
    with pytest.raises(RoomError) as locked:
        room.join("Ben")
    assert locked.value.code == "locked"
    assert room.join("Ann", token=ann.token)[1]


def test_full_room() -> None:
    room = make_room(max_players=1)
    room.join("Ann")
    with pytest.raises(RoomError) as full:
        room.join("Ben")
    assert full.value.code == "full"


def test_ties_share_places_and_movement_is_counted() -> None:
    room = make_room(timer=None, scoring="accuracy")
    ann, _ = room.join("Ann")
    ben, _ = room.join("Ben")
    cy, _ = room.join("Cy")
    room.start(0.0)
    room.answer(ann.token, 1, right(0), 1.0)
    room.answer(ben.token, 1, right(0), 1.0)
    room.answer(cy.token, 1, wrong(0), 1.0)
    room.close(2.0)
    places = [(s.name, s.place, s.movement) for s in room.standings()]
    assert places == [("Ann", 1, None), ("Ben", 1, None), ("Cy", 3, None)]
    room.advance(3.0)
    room.answer(cy.token, 2, right(1), 4.0)
    room.answer(ann.token, 2, wrong(1), 4.0)
    room.answer(ben.token, 2, wrong(1), 4.0)
    room.close(5.0)
    places = [(s.name, s.place, s.movement) for s in room.standings()]
    assert places == [("Ann", 1, 0), ("Ben", 1, 0), ("Cy", 1, 2)]
    assert [s.name for s in room.podium()] == ["Ann", "Ben", "Cy"]


def test_the_rooms_record_holds_every_answer_and_no_token() -> None:
    room = make_room(timer=20)
    ann, _ = room.join("Ann")
    room.start(0.0)
    room.answer(ann.token, 1, right(0), 2.0)
    room.close(3.0)
    record = room.record()
    assert record["code"] == "123456" and record["seed"] == 7
    assert record["players"][0]["name"] == "Ann"
    assert ann.token not in str(record)
    assert record["answers"] == [
        {
            "player": "Ann",
            "player_index": 0,
            "question": 1,
            "id": QUESTIONS[0].id,
            "correct": True,
            "seconds": 2.0,
            "points": 950,
            "choice": right(0),
        }
    ]


def test_the_room_asks_the_same_questions_as_preview(cli) -> None:  # type: ignore[no-untyped-def]
    import json

    out = cli(
        "preview", "--deck", str(FIXED), "--seed", "7", "--count", "3", "--format", "json"
    ).out
    assert [q["id"] for q in json.loads(out)] == [q.id for q in make_room().questions]
