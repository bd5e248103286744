"""`quiz host`'s room keeps what its lobby built out of the collector's sweeps for the game
(issue 26: no full collection of 3,000 players' objects mid-game), and gives it back at the end."""

from __future__ import annotations

import gc

from quiz.room.server import RoomServer
from tests.room_helpers import room_on
from tests.unit.test_room_homework import QUESTIONS


async def test_the_lobby_is_frozen_for_the_game_and_thawed_at_the_end() -> None:
    gc.unfreeze()
    room = room_on(QUESTIONS[:1], timer=None)
    server = RoomServer(room, None, port=0)
    server.freeze_gc = True
    try:
        room.join("Ann")
        await server.begin()
        assert gc.get_freeze_count() > 0
        await server.close_question()
        await server.advance()
        assert room.phase == "end" and gc.get_freeze_count() == 0
    finally:
        gc.unfreeze()


async def test_a_room_in_a_process_that_holds_other_things_leaves_the_collector_alone() -> None:
    gc.unfreeze()
    room = room_on(QUESTIONS[:1], timer=None)
    server = RoomServer(room, None, port=0)
    room.join("Ann")
    await server.begin()
    assert gc.get_freeze_count() == 0
