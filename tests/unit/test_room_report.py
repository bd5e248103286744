"""Rounds and teams kept in a live room's saves and shown by `quiz report` (issue 26 items 1
and 2): each answer's round, the player's team, the CSV and JSON columns, the page's per-round
and per-team figures, and a save from before that has neither."""

from __future__ import annotations

import csv
import io
import json
import re
import tomllib
from pathlib import Path

from quiz.deckfile.read import load_deck
from quiz.questions.plan import make_quiz
from quiz.room.driver import RoomDriver
from quiz.room.roster import plan_rounds
from quiz.saves.folder import SaveFolder
from tests.conftest import CHOICE_FORMS, FIXED, Cli
from tests.room_helpers import room_on
from tests.saves_helpers import save_games

DECK = load_deck(FIXED)
QUESTIONS = make_quiz(DECK, 7, 3, kinds=CHOICE_FORMS)


async def play_room(saves: SaveFolder) -> None:
    """Two rounds (Q1-Q2, Q3), teams Red and Blue, 1000 a right answer: Ann (Red) right
    on all three, Ben (Blue) right on Q1 only."""
    room = room_on(
        QUESTIONS,
        timer=None,
        scoring="accuracy",
        rounds=plan_rounds([2, 1], ["Warm-up", "Final"]),
        teams=("Red", "Blue"),
    )
    ann, _ = room.join("Ann", team="Red")
    ben, _ = room.join("Ben", team="Blue")
    driver = RoomDriver(room, saves, leaderboard="round", clock=lambda: 0.0)
    while room.phase != "end":
        if room.phase == "question":
            k = room.index
            right, wrong = QUESTIONS[k].answer, (QUESTIONS[k].answer + 1) % 2
            room.answer(ann.token, k + 1, right, 0.0)
            room.answer(ben.token, k + 1, right if k == 0 else wrong, 0.0)
            await driver.close_question()
        elif room.phase == "lobby":
            await driver.begin()
        else:
            await driver.advance()
    assert not driver.save_failures


async def test_a_room_s_saves_keep_rounds_and_teams_and_the_report_shows_them(
    cli: Cli, tmp_path: Path
) -> None:
    saves = SaveFolder(tmp_path / "saves")
    await play_room(saves)
    save_games(saves, "Cy", 1, count=2)  # a solo game, saved before rounds were kept
    files = {p.parent.parent.name.split("-")[0]: p for p in saves.root.glob("*/games/*.toml")}
    ann = tomllib.loads(files["ann"].read_text(encoding="utf-8"))
    assert ann["team"] == "Red" and [a["round"] for a in ann["answers"]] == [1, 1, 2]
    solo = tomllib.loads(files["cy"].read_text(encoding="utf-8"))
    assert "team" not in solo and all("round" not in a for a in solo["answers"])

    base = ("report", "--saves", str(saves.root))
    table = list(csv.DictReader(io.StringIO(cli(*base, "--format", "csv").out)))
    got = sorted((r["player"], r["round"], r["team"], r["points"]) for r in table)
    assert got == [
        ("Ann", "1", "Red", "1000"),
        ("Ann", "1", "Red", "1000"),
        ("Ann", "2", "Red", "1000"),
        ("Ben", "1", "Blue", "0"),
        ("Ben", "1", "Blue", "1000"),
        ("Ben", "2", "Blue", "0"),
        ("Cy", "", "", "1000"),
        ("Cy", "", "", "1100"),  # its streak bonus
    ]
    rows = json.loads(cli(*base, "--format", "json").out)
    assert {(r["player"], r["round"], r["team"]) for r in rows if r["player"] == "Cy"} == {
        ("Cy", None, "")
    }

    page = cli(*base, "--format", "html").out
    rounds = page[page.index("Rounds</h2>") :]
    cells = [re.sub(r"<[^>]+>", " ", r).split() for r in re.findall(r"<tr>(.*?)</tr>", rounds)]
    # Round, players, right, share, points, mean per player.
    assert cells[1:] == [
        ["Round", "1", "2", "3/4", "75%", "3000", "1500"],
        ["Round", "2", "2", "1/2", "50%", "1000", "500"],
    ]
    teams = page[page.index("Teams</h2>") : page.index("Rounds</h2>")]
    cells = [re.sub(r"<[^>]+>", " ", r).split() for r in re.findall(r"<tr>(.*?)</tr>", teams)]
    # Team, score, mean, right, players.
    assert cells[1:] == [
        ["Red", "3000", "3000", "100%", "Ann"],
        ["Blue", "1000", "1000", "33%", "Ben"],
    ]
