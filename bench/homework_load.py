"""Self-paced homework through the real server: N players (default 200) on 127.0.0.1, each
answering as fast as it reads and sending Next after each reveal, then the host ends it.

    .venv/bin/python bench/homework_load.py [PLAYERS] [QUESTIONS]

Prints the wall and CPU time, and the p50/p95 time from a player's Next to their next
question (their own step: it is not a broadcast). Nothing here is asserted in the suite.
"""

from __future__ import annotations

import asyncio
import itertools
import json
import statistics
import sys
import time
from pathlib import Path

import aiohttp

sys.path.insert(0, str(Path(__file__).resolve().parent.parent))

from quiz.deckfile.catalog import bundled_deck  # noqa: E402
from quiz.deckfile.read import load_deck  # noqa: E402
from quiz.questions.plan import make_quiz  # noqa: E402
from quiz.room import protocol as p  # noqa: E402
from quiz.room.homework import Homework  # noqa: E402
from quiz.room.server import RoomServer  # noqa: E402


async def main(players: int, count: int) -> None:
    deck = load_deck(bundled_deck("amber-balcaen"))
    questions = make_quiz(deck, 7, count, kinds=("multiple", "boolean"))
    right = [q.answer for q in questions]
    tokens = itertools.count()
    room = Homework(
        questions,
        code="123456",
        seed=7,
        deck_id=deck.id,
        deck_title=deck.title,
        timer=None,
        max_players=players,
        token_factory=lambda: f"t{next(tokens)}",
    )
    server = RoomServer(room, None, port=0)
    await server.start()
    steps: list[float] = []
    finals = 0

    async def play(session: aiohttp.ClientSession, k: int) -> None:
        nonlocal finals
        ws = await session.ws_connect(f"http://127.0.0.1:{server.port}/ws")
        await ws.send_str(p.join("123456", f"P{k}"))
        asked = 0.0
        async for msg in ws:
            frame = json.loads(msg.data)
            if frame["type"] == "question":
                if asked:
                    steps.append(time.perf_counter() - asked)
                n = frame["question"]
                await ws.send_str(p.answer(n, right[n - 1] if k % 2 == 0 else 1 - right[n - 1] % 2))
            elif frame["type"] == "reveal":
                asked = time.perf_counter()
                await ws.send_str(p.next_question())
            elif frame["type"] == "end" and frame["final"]:
                finals += 1
                await ws.close()

    wall, cpu = time.perf_counter(), time.process_time()
    async with aiohttp.ClientSession(connector=aiohttp.TCPConnector(limit=0)) as session:
        tasks = [asyncio.ensure_future(play(session, k)) for k in range(players)]
        while room.done_count() < players:
            await asyncio.sleep(0.01)
        await server.end_homework()
        await asyncio.gather(*tasks)
    wall, cpu = time.perf_counter() - wall, time.process_time() - cpu
    await server.stop()
    cuts = statistics.quantiles(steps, n=20)
    print(
        f"{players} players x {count} questions: {wall:.2f} s wall, {cpu:.2f} s CPU "
        f"(server and clients in one process); Next to next question p50 "
        f"{statistics.median(steps) * 1000:.1f} ms, p95 {cuts[18] * 1000:.1f} ms; "
        f"{finals} results"
    )


if __name__ == "__main__":
    asyncio.run(
        main(
            int(sys.argv[1]) if len(sys.argv) > 1 else 200,
            int(sys.argv[2]) if len(sys.argv) > 2 else 3,
        )
    )
