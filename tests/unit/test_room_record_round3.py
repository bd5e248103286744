"""`quiz host --resume` judges a room's record again and never trusts it (issue 22, class 2).

Anyone with the saves folder can edit `rooms/*.json`. A resume re-derives every
verdict and every point with the room's own rules, checks that the record is
one a room could have written, and refuses any other with the file and the
field named, the file set aside unchanged.
"""

from __future__ import annotations

import json
import tempfile
from collections.abc import Callable
from pathlib import Path
from typing import Any

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from quiz.deckfile.read import load_deck
from quiz.questions.plan import make_quiz
from quiz.room import record as rec
from quiz.room.forms import planned_kinds
from quiz.room.state import Room
from quiz.room.wire import RoomError
from tests.conftest import CHOICE_FORMS, FIXED, Cli, run_quiz

DECK = load_deck(FIXED)
QUESTIONS = make_quiz(DECK, 7, 3, kinds=CHOICE_FORMS)
NAME = "20260101T000000Z-123456.json"


def right(k: int) -> int:
    return QUESTIONS[k].answer


def wrong(k: int) -> int:
    return (QUESTIONS[k].answer + 1) % len(QUESTIONS[k].choices)


def honest_room() -> Room:
    """Three players at question 2 of 3: Ann right twice (a streak), Ben wrong, Cy yet to answer."""
    room = Room(
        QUESTIONS,
        code="123456",
        seed=7,
        deck_id=DECK.id,
        deck_title=DECK.title,
        timer=20,
        kinds=planned_kinds(CHOICE_FORMS),
    )
    ann, _ = room.join("Ann")
    ben, _ = room.join("Ben")
    room.join("Cy")
    room.start(0.0)
    room.answer(ann.token, 1, right(0), 3.257)  # 919 points; 3.26 s, as recorded, gives 918
    room.answer(ben.token, 1, wrong(0), 1.0)
    room.close(20.0)
    room.advance(30.0)
    room.answer(ann.token, 2, right(1), 34.5)
    return room


GOOD = json.loads(json.dumps(honest_room().record()))


def edited(change: Callable[[dict[str, Any]], object]) -> dict[str, Any]:
    data = json.loads(json.dumps(GOOD))
    change(data)
    return data


def answer_of(data: dict[str, Any], player: str, question: int) -> dict[str, Any]:
    return next(a for a in data["answers"] if a["player"] == player and a["question"] == question)


def _extra_answer(data: dict[str, Any], **fields: object) -> None:
    data["answers"].append({**answer_of(data, "Ann", 1), **fields})


# Each tampered record, and the field its refusal must name.
TAMPERED: dict[str, tuple[Callable[[dict[str, Any]], object], str]] = {
    "a huge score on one answer": (
        lambda d: answer_of(d, "Ann", 1).update(points=999_999_999_999),
        "answers.0.points",
    ),
    "a negative score": (lambda d: answer_of(d, "Ben", 1).update(points=-500), "answers.2.points"),
    "points a wrong answer cannot have": (
        lambda d: answer_of(d, "Ben", 1).update(points=1000),
        "answers.2.points",
    ),
    "a speed bonus faster than the time": (
        lambda d: answer_of(d, "Ann", 1).update(points=1000),
        "answers.0.points",
    ),
    "a wrong answer marked right": (
        lambda d: answer_of(d, "Ben", 1).update(correct=True),
        "answers.2.correct",
    ),
    "an answer to a question not yet asked": (
        lambda d: _extra_answer(d, question=3, id=QUESTIONS[2].id, choice=right(2)),
        "answers.4.question",
    ),
    "question 1's answer again as questions 2 and 3": (
        lambda d: (
            _extra_answer(d, player="Ben", player_index=1, question=2),
            _extra_answer(d, player="Ben", player_index=1, question=3),
        ),
        "answers.4.id",
    ),
    "a second answer to question 1": (
        lambda d: _extra_answer(d, player="Ben", player_index=1, choice=right(0), correct=True),
        "answers.4.question",
    ),
    "a player's first question past the end": (
        lambda d: d["players"][2].update(first=99),
        "players.2.first",
    ),
    "a player's first question after their answer": (
        lambda d: d["players"][2].update(first=3),
        "answers.3.question",
    ),
    "a player's first question not yet asked": (
        lambda d: d["players"][2].update(first=4),
        "players.2.first",
    ),
    "a question open at question 0": (lambda d: d.update(question=0), "question"),
    "a lobby with questions asked": (lambda d: d.update(phase="lobby"), "question"),
    "an unknown phase": (lambda d: d.update(phase="paused"), "phase"),
    "two players with one token": (
        lambda d: d["players"][1].update(token_sha256=d["players"][0]["token_sha256"]),
        "players.1.token_sha256",
    ),
    "two players with one game": (
        lambda d: d["players"][2].update(game=d["players"][0]["game"]),
        "players.2.game",
    ),
    "a look-alike of another player's name": (
        lambda d: (
            [a.update(player="\u0410nn") for a in d["answers"] if a["player"] == "Ben"]
            + [d["players"][1].update(name="\u0410nn")]
        ),
        "players.1.name",
    ),
    "a time past the timer": (
        lambda d: answer_of(d, "Ben", 1).update(seconds=25.0),
        "answers.2.seconds",
    ),
    "a negative time": (lambda d: answer_of(d, "Ben", 1).update(seconds=-1.0), "answers.2.seconds"),
    "a choice out of range": (
        lambda d: answer_of(d, "Ben", 1).update(choice=len(QUESTIONS[0].choices)),
        "answers.2.choice",
    ),
    "a score field the answers do not give": (
        lambda d: d["players"][1].update(score=5000),
        "players.1.score",
    ),
    "an answer given to another player": (
        lambda d: answer_of(d, "Ben", 1).update(player_index=2),
        "answers.2.player_index",
    ),
    "an answer of nobody": (
        lambda d: answer_of(d, "Ben", 1).update(player="Zed", player_index=None),
        "answers.2.player",
    ),
    "a closed question left unanswered": (
        lambda d: d["answers"].remove(answer_of(d, "Ben", 1)),
        "players.1",
    ),
    "a count the questions do not have": (lambda d: d.update(count=2), "count"),
    "a deck id that is a path": (lambda d: d.update(deck="../secret"), "deck"),
}


@pytest.mark.parametrize("what", list(TAMPERED))
def test_a_tampered_record_is_refused_naming_file_and_field_and_kept_aside(
    what: str, cli: Cli, tmp_path: Path
) -> None:
    change, field = TAMPERED[what]
    rooms = tmp_path / "saves" / "rooms"
    rooms.mkdir(parents=True)
    text = json.dumps(edited(change), indent=1)
    (rooms / NAME).write_text(text, encoding="utf-8")
    saves = str(tmp_path / "saves")
    result = cli("host", "--resume", "--saves", saves, "--deck", str(FIXED), "--plain")
    assert result.code == 1, result.out
    assert "Traceback" not in result.err and "Join at" not in result.out
    assert NAME in result.err and f": {field}: " in result.err, result.err
    # Set aside unchanged, never deleted nor rewritten; no other record made.
    kept = list(rooms.iterdir())
    assert len(kept) == 1 and kept[0].name.startswith(NAME + ".refused-")
    assert kept[0].read_text(encoding="utf-8") == text
    assert kept[0].name in result.err
    # The next resume finds no room to resume, rather than the same refusal again.
    again = cli("host", "--resume", "--saves", saves, "--deck", str(FIXED), "--plain")
    assert again.code == 1 and "no unfinished room" in again.err


def test_a_room_over_the_cap_is_refused_and_an_older_room_resumes_next(tmp_path: Path) -> None:
    path = tmp_path / NAME
    path.write_text(json.dumps(GOOD), encoding="utf-8")
    with pytest.raises(rec.RecordError, match=r": players: 3 players, more than the room's 2"):
        rec.restore(rec.read(path), QUESTIONS, DECK.title, path=path, max_players=2)
    assert not path.exists() and len(list(tmp_path.glob(NAME + ".refused-*"))) == 1
    # A newer record that is not a record at all is set aside; the room before it is found.
    older = tmp_path / "20250101T000000Z-654321.json"
    older.write_text(json.dumps({**GOOD, "code": "654321"}), encoding="utf-8")
    path.write_text('{"format": 1, "code": "12', encoding="utf-8")
    with pytest.raises(rec.RecordError, match=f"{NAME} is not a readable room record"):
        rec.latest(tmp_path)
    assert rec.latest(tmp_path) == older


def test_a_deck_that_is_not_bundled_names_the_field_and_leaves_the_record_in_place(
    cli: Cli, tmp_path: Path
) -> None:
    rooms = tmp_path / "saves" / "rooms"
    rooms.mkdir(parents=True)
    (rooms / NAME).write_text(json.dumps(GOOD), encoding="utf-8")
    result = cli("host", "--resume", "--saves", str(tmp_path / "saves"), "--plain")
    assert result.code == 1
    assert f"{NAME}: deck: " in result.err and "--deck PATH" in result.err
    assert [p.name for p in rooms.iterdir()] == [NAME]  # resumable with --deck: kept as it was


def test_the_real_command_exits_1_on_a_forged_score(tmp_path: Path) -> None:
    rooms = tmp_path / "saves" / "rooms"
    rooms.mkdir(parents=True)
    change, _ = TAMPERED["a huge score on one answer"]
    (rooms / NAME).write_text(json.dumps(edited(change)), encoding="utf-8")
    result = run_quiz(
        "host", "--resume", "--saves", str(tmp_path / "saves"), "--deck", str(FIXED), "--plain"
    )
    assert result.code == 1 and "Traceback" not in result.err
    assert f"{NAME}: answers.0.points: 999999999999, but the rules give" in result.err
    assert [p.name.split(".refused-")[0] for p in rooms.iterdir()] == [NAME]


def test_an_honest_record_resumes_with_the_scores_and_streak_the_rules_give() -> None:
    room = rec.restore(rec.RoomRecord.model_validate(GOOD), QUESTIONS, DECK.title)
    assert [(s.name, s.score) for s in room.standings()] == [
        (s.name, s.score) for s in honest_room().standings()
    ]
    ann = room.by_name("Ann")
    assert ann is not None and ann.game.streak == 2  # the next right answer gets its bonus
    assert room.record() == GOOD


# -- properties: a record the room writes resumes as it was; a forged point never counts

Step = tuple[str, int, int, float]
steps = st.lists(
    st.tuples(
        st.sampled_from(["join", "answer", "answer", "answer", "close", "advance", "remove"]),
        st.integers(0, 4),
        st.integers(0, 3),
        st.floats(0, 12, allow_nan=False),
    ),
    max_size=30,
)
PROPS = settings(max_examples=60, deadline=None, suppress_health_check=[HealthCheck.too_slow])
NAMES = ["Ann", "Ben", "Cy", "Dee", "Ann"]  # a removed Ann's name may be taken again


def play(plan: list[Step], timer: int | None, scoring: str) -> Room:
    """A room of Ann and Ben driven by a random plan, stopped short of its end (an ended room
    is not resumed)."""
    room = Room(
        QUESTIONS, code="123456", seed=7, deck_id=DECK.id, deck_title="t", timer=timer,
        scoring=scoring,
    )  # fmt: skip
    for name in NAMES[:2]:
        room.join(name)
    if plan:  # an empty plan stays in the lobby
        room.start(0.0)
    now = 0.0
    for what, who, choice, dt in plan:
        now += dt
        try:
            if what == "join":
                room.join(NAMES[who])
            elif what == "remove":
                room.remove(NAMES[who])
            elif what == "answer":
                players = room.active
                if players:
                    player = players[who % len(players)]
                    room.answer(player.token, room.index + 1, choice, now)
            elif what == "close":
                room.close(now)
            elif what == "advance" and room.index + 1 < room.count:
                room.advance(now)
        except RoomError:
            pass
    return room


def resumed(data: dict[str, Any]) -> Room:
    with tempfile.TemporaryDirectory() as folder:
        path = Path(folder) / NAME
        path.write_text(json.dumps(data), encoding="utf-8")
        return rec.restore(rec.read(path), QUESTIONS, "t", path=path)


@PROPS
@given(steps, st.sampled_from([None, 5, 20]), st.sampled_from(["speed", "accuracy"]))
def test_any_record_the_room_writes_resumes_to_the_same_scores(
    plan: list[Step], timer: int | None, scoring: str
) -> None:
    room = play(plan, timer, scoring)
    data = json.loads(json.dumps(room.record()))  # as the server writes and reads it
    again = resumed(data)
    assert [(s.name, s.score, s.correct, s.place) for s in again.standings()] == [
        (s.name, s.score, s.correct, s.place) for s in room.standings()
    ]
    assert (again.phase, again.index) == (room.phase, room.index)
    assert again.record() == data


@PROPS
@given(
    steps,
    st.sampled_from([None, 5, 20]),
    st.sampled_from(["speed", "accuracy"]),
    st.integers(0, 10**6),
    # Up to the range check's own bound: past it, the score's range refuses the record first.
    st.integers(-2, 2) | st.integers(-(10**12), 10**12 - 10**6),
)
def test_a_forged_point_is_refused_or_is_one_the_rules_give(
    plan: list[Step], timer: int | None, scoring: str, pick: int, change: int
) -> None:
    room = play(plan, timer, scoring)
    data = json.loads(json.dumps(room.record()))
    if not data["answers"] or not change:
        return
    k = pick % len(data["answers"])
    answer = data["answers"][k]
    honest = answer["points"]
    answer["points"] = forged = honest + change
    data["players"][answer["player_index"]]["score"] += change  # a forger who adds up
    try:
        again = resumed(data)
    except rec.RecordError as exc:
        assert f": answers.{k}.points: {forged}, but the rules give " in str(exc)
        return
    # Only what the rules give for a time that rounds to the recorded one (1/100 s):
    # a timed speed game's right answer, one point either way.
    assert scoring == "speed" and timer is not None and answer["correct"]
    assert abs(forged - honest) <= 1
    total = sum(p.game.score for p in again.players.values())
    assert total == sum(p.game.score for p in room.players.values()) + change
