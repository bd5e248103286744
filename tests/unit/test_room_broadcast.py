"""The broadcast path's shortcuts give what the plain path gave, frame for frame."""

from __future__ import annotations

import asyncio
import json
from typing import Any

from quiz.deckfile.read import load_deck
from quiz.questions.plan import make_quiz
from quiz.room import protocol as p
from quiz.room.forms import credit_of, given
from quiz.room.listening import Connection
from quiz.room.server import RoomServer
from quiz.room.state import Room
from tests.conftest import CHOICE_FORMS, FIXED

DECK = load_deck(FIXED)
QUESTIONS = make_quiz(DECK, 7, 3, kinds=CHOICE_FORMS)


def test_reveal_texts_are_the_reveal_frames_byte_for_byte() -> None:
    for asked in QUESTIONS:
        text = p.reveal_texts(2, asked, 1000)
        for correct, points, score, rank in [(True, 950, 2900, 1), (False, 0, 0, 1000)]:
            expected = p.dump(p.reveal(2, asked, correct, points, score, rank, 1000))
            assert text(correct, points, score, rank) == expected
            assert text(correct, points, score, rank, 2) == p.dump(
                p.reveal(2, asked, correct, points, score, rank, 1000, 2)
            )
            assert json.loads(expected)["explanation"] == asked.explanation


class Socket:
    """A player's socket; a slow one waits until `release` is set before taking a frame."""

    def __init__(self, release: asyncio.Event | None = None) -> None:
        self.release = release
        self.frames: list[dict[str, Any]] = []
        self.closed = False

    async def send_str(self, text: str) -> None:
        if self.release is not None:
            await self.release.wait()
        self.frames.append(json.loads(text))


async def test_a_slow_socket_holds_up_no_one_and_every_player_gets_their_own_reveal() -> None:
    room = Room(
        QUESTIONS, code="123456", seed=7, deck_id=DECK.id, deck_title=DECK.title, timer=None
    )
    server = RoomServer(room, None, port=0)
    release = asyncio.Event()
    sockets = {}
    for k in range(5):
        player, _ = room.join(f"player {k}")
        ws = Socket(release if k == 0 else None)
        sockets[player.name] = ws
        server.sockets[player.token] = Connection(ws, "127.0.0.1", token=player.token)  # type: ignore[arg-type]
    begin = asyncio.ensure_future(server.begin())
    async with asyncio.timeout(5):
        while sum(len(ws.frames) for ws in sockets.values()) < 4:
            await asyncio.sleep(0)
    # The slow player's question is still waiting; everyone else has theirs.
    assert [len(ws.frames) for ws in sockets.values()] == [0, 1, 1, 1, 1]
    assert not begin.done()
    release.set()
    async with asyncio.timeout(5):
        await begin
    assert all(ws.frames[-1]["type"] == "question" for ws in sockets.values())

    right = QUESTIONS[0].answer
    tokens = {pl.name: t for t, pl in room.players.items()}
    room.answer(tokens["player 1"], 1, right, 1.0)
    room.answer(tokens["player 2"], 1, (right + 1) % len(QUESTIONS[0].choices), 1.0)
    await server.close_question()
    for name, ws in sockets.items():
        reveal = next(f for f in ws.frames if f["type"] == "reveal")
        player = room.players[tokens[name]]
        answer = player.answer_for(0)
        expected = p.reveal(
            1,
            QUESTIONS[0],
            bool(answer and answer.correct),
            answer.points if answer else 0,
            player.game.score,
            room.rank_of(tokens[name]),
            5,
            answer.choice if answer else None,
            given(QUESTIONS[0], answer),
            credit_of(answer) if answer else None,
            breakdown=answer.breakdown.words()
            if answer and answer.breakdown and answer.points
            else "",
            timed_out=bool(answer and answer.timed_out and answer.choice is None),
        )
        assert reveal == json.loads(p.dump(expected))
    assert [f["type"] for f in sockets["player 1"].frames] == ["question", "reveal", "leaderboard"]
    first = next(f for f in sockets["player 1"].frames if f["type"] == "reveal")
    assert first["rank"] == 1
    assert "base" in first["breakdown"]
    assert next(f for f in sockets["player 2"].frames if f["type"] == "reveal")["breakdown"] == ""
