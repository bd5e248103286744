"""Load on a live room: N simulated players against a real `quiz host --plain` process.

    python bench/live_load.py N [--questions Q] [--timer T] [--workers W] [--edges E]

The room runs as its own process (so its CPU time and memory are its own);
the players are WebSocket clients (aiohttp) spread over W worker processes.
With ``--edges E`` the room is `quiz host --workers E` (issue 28): an owner, E
edge processes sharing the port and a local NATS server; its CPU and memory
are then the whole tree's (owner, edges, broker), the owner's beside.
They join, answer every question at a random moment inside the timer, and
the script reports:

- the time for all N to join;
- from a question being sent to each player receiving it (p50, p95, max);
- the same for the reveal (from the last answer sent);
- the room process's CPU time, its memory before and after the joins, and its peak;
- answers sent before the deadline against answers the room counted;
- the room's CPU for each question (from opening it to the reveal reaching everyone).

Beside the players, unless `--no-hostile`, one more process attacks the room
from the last join to the end: flooders that send junk frames as fast as they can (and reconnect
when the room closes them), WebSockets that never join (reopened when the room
closes them after 10 s), and TCP connections that never finish their headers
(reopened when dropped).

Every clock is CLOCK_MONOTONIC, shared by all processes on the machine. This
is a bench, not a test: it asserts nothing, it measures.
"""

from __future__ import annotations

import argparse
import asyncio
import gc
import json
import multiprocessing as mp
import os
import random
import re
import signal
import subprocess
import sys
import tempfile
import threading
import time
from pathlib import Path
from typing import Any

ROOT = Path(__file__).resolve().parent.parent


def free_port() -> int:
    import socket

    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return int(sock.getsockname()[1])


def proc_stats(pid: int) -> dict[str, float]:
    """CPU seconds, resident and peak memory (KB) of a process, from /proc."""
    status = Path(f"/proc/{pid}/status").read_text()
    rss = int(re.search(r"VmRSS:\s+(\d+)", status).group(1))  # type: ignore[union-attr]
    hwm = int(re.search(r"VmHWM:\s+(\d+)", status).group(1))  # type: ignore[union-attr]
    fields = Path(f"/proc/{pid}/stat").read_text().rsplit(")", 1)[1].split()
    ticks = os.sysconf("SC_CLK_TCK")
    cpu = (int(fields[11]) + int(fields[12])) / ticks
    return {"rss_kb": rss, "peak_kb": hwm, "cpu_s": cpu}


def tree(pid: int) -> list[int]:
    """``pid`` and every process below it (the owner's edges and broker)."""
    out = [pid]
    try:
        kids = Path(f"/proc/{pid}/task/{pid}/children").read_text().split()
    except OSError:
        return out
    for kid in kids:
        out += tree(int(kid))
    return out


def tree_stats(pid: int) -> dict[str, float]:
    """`proc_stats` summed over ``pid`` and its descendants (peak: the sum of each one's)."""
    total = {"rss_kb": 0.0, "peak_kb": 0.0, "cpu_s": 0.0}
    for each in tree(pid):
        try:
            stats = proc_stats(each)
        except (OSError, AttributeError):
            continue  # ended meanwhile
        for key in total:
            total[key] += stats[key]
    return total


# --- players (in worker processes) ------------------------------------------------------


def given_for(frame: dict[str, Any], rng: random.Random) -> dict[str, object]:
    """A bot's answer in the field the question's kind takes: a choice, a word, a number
    inside the range shown, or the items in a random order."""
    kind = frame.get("kind", "multiple")
    if kind == "typed":
        return {"text": rng.choice(["Dover", "nitro", "The Social", "a guess"])}
    if kind == "estimate":
        low, high = frame.get("low") or 1, frame.get("high") or 40
        return {"value": rng.randint(low, high)}
    if kind == "order":
        items = list(range(len(frame["items"])))
        rng.shuffle(items)
        return {"order": items}
    return {"choice": rng.randrange(len(frame["choices"]))}


async def play_many(
    url: str, code: str, names: list[str], timer: float, questions: int, out: Any, go: Any
) -> None:
    import aiohttp

    got_question: list[list[float]] = [[] for _ in range(questions)]
    got_reveal: list[list[float]] = [[] for _ in range(questions)]
    sent: list[float] = []
    sent_in_time = 0
    acks = 0
    welcomed = 0
    all_welcomed = asyncio.Event()
    revealed = [0] * questions
    rng = random.Random(len(names))

    async def player(session: aiohttp.ClientSession, name: str) -> None:
        nonlocal welcomed, sent_in_time, acks
        async with session.ws_connect(url, heartbeat=None, max_msg_size=0) as ws:
            await ws.send_str(json.dumps({"type": "join", "code": code, "name": name}))
            opened = 0.0
            pending: asyncio.Task[None] | None = None
            async for msg in ws:
                now = time.monotonic()
                frame = json.loads(msg.data)
                kind = frame["type"]
                if kind == "welcome":
                    welcomed += 1
                    if welcomed == len(names):
                        all_welcomed.set()
                elif kind == "question":
                    q = frame["question"] - 1
                    got_question[q].append(now)
                    opened = now
                    delay = rng.uniform(0.05, timer * 0.6)
                    reply = given_for(frame, rng)

                    async def answer(
                        q: int = q,
                        delay: float = delay,
                        given: dict[str, object] = reply,
                        opened: float = opened,
                    ) -> None:
                        nonlocal sent_in_time
                        await asyncio.sleep(delay)
                        t = time.monotonic()
                        await ws.send_str(
                            json.dumps({"type": "answer", "question": q + 1, **given})
                        )
                        sent.append(t)
                        if t - opened < timer:
                            sent_in_time += 1

                    pending = asyncio.ensure_future(answer())
                elif kind == "answered":
                    acks += 1
                elif kind == "reveal":
                    q = frame["question"] - 1
                    got_reveal[q].append(now)
                    revealed[q] += 1
                    if revealed[q] == len(names):
                        out.put(("revealed", q))
                elif kind == "end":
                    break
            if pending is not None:
                pending.cancel()

    connector = aiohttp.TCPConnector(limit=0)
    async with aiohttp.ClientSession(connector=connector) as session:
        started = time.monotonic()
        tasks = [asyncio.ensure_future(player(session, n)) for n in names]
        await all_welcomed.wait()
        # The load generator's own collector stays off from the joins to the end: its
        # first collections after them (30-43 ms of CPU in each process, 110-165 ms of
        # wall time on 2 shared cores) came as the first question arrived and were timed
        # as the room's latency (bench/README.md, "3,000 players, the first question").
        gc.disable()
        out.put(("joined", started, time.monotonic()))
        await asyncio.gather(*tasks)
    out.put(
        (
            "done",
            {
                "question": got_question,
                "reveal": got_reveal,
                "sent": sent,
                "sent_in_time": sent_in_time,
                "acks": acks,
            },
        )
    )


def worker(
    url: str, code: str, names: list[str], timer: float, questions: int, out: Any, go: Any
) -> None:
    raise_file_limit()
    asyncio.run(play_many(url, code, names, timer, questions, out, go))


def raise_file_limit() -> None:
    """This process's soft limit on open files up to its hard one (750+ sockets a worker)."""
    import resource

    soft, hard = resource.getrlimit(resource.RLIMIT_NOFILE)
    if soft != hard:
        resource.setrlimit(resource.RLIMIT_NOFILE, (hard, hard))


FLOODERS = 2
IDLE = 10  # with the flooders, within the room's margin of sockets (20 at least)
HALF_OPEN = 50


async def attack(url: str, port: int, stop: Any, out: Any) -> None:
    """Flood, idle WebSockets and half-open TCP connections until ``stop`` is set."""
    import aiohttp

    counts = {"flood_frames": 0, "flood_closed": 0, "idle_closed": 0, "half_open_dropped": 0}

    async def flooder(session: aiohttp.ClientSession) -> None:
        junk = json.dumps({"type": "answer", "question": 1, "choice": "x" * 100})
        while not stop.is_set():
            try:
                async with session.ws_connect(url, heartbeat=None) as ws:
                    while not ws.closed and not stop.is_set():
                        await ws.send_str(junk)
                        counts["flood_frames"] += 1
                        await asyncio.sleep(0.001)
                counts["flood_closed"] += 1
            except (aiohttp.ClientError, ConnectionError, RuntimeError):
                await asyncio.sleep(0.5)

    async def idle(session: aiohttp.ClientSession) -> None:
        while not stop.is_set():
            try:
                async with session.ws_connect(url, heartbeat=None) as ws:
                    async for _ in ws:
                        pass
                counts["idle_closed"] += 1
            except (aiohttp.ClientError, ConnectionError):
                await asyncio.sleep(1.0)

    async def half_open() -> None:
        while not stop.is_set():
            try:
                reader, writer = await asyncio.open_connection("127.0.0.1", port)
                writer.write(b"GET / HTTP/1.1\r\nHost: 127.0.0.1\r\nX-Slow: ")
                await reader.read()  # until the room drops it
                writer.close()
                counts["half_open_dropped"] += 1
            except OSError:
                await asyncio.sleep(1.0)

    async def stopper() -> None:
        while not stop.is_set():
            await asyncio.sleep(0.2)

    async with aiohttp.ClientSession(connector=aiohttp.TCPConnector(limit=0)) as session:
        tasks = [asyncio.ensure_future(flooder(session)) for _ in range(FLOODERS)]
        tasks += [asyncio.ensure_future(idle(session)) for _ in range(IDLE)]
        tasks += [asyncio.ensure_future(half_open()) for _ in range(HALF_OPEN)]
        await stopper()
        for task in tasks:
            task.cancel()
        await asyncio.gather(*tasks, return_exceptions=True)
    out.put(("hostile", counts))


def hostile(url: str, port: int, stop: Any, out: Any) -> None:
    asyncio.run(attack(url, port, stop, out))


# --- the room and the conductor ---------------------------------------------------------


def pct(values: list[float], p: float) -> float:
    ordered = sorted(values)
    return ordered[min(len(ordered) - 1, int(round(p / 100 * (len(ordered) - 1))))]


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("players", type=int)
    parser.add_argument("--questions", type=int, default=5)
    parser.add_argument("--timer", type=int, default=10)
    parser.add_argument("--workers", type=int, default=4)
    parser.add_argument(
        "--think",
        type=float,
        default=1.0,
        help="seconds the host looks at each reveal before pressing Enter (default 1)",
    )
    parser.add_argument("--port", type=int, default=0, help="the room's port (default: a free one)")
    parser.add_argument(
        "--profile", metavar="FILE", help="run the room under cProfile and write its stats to FILE"
    )
    parser.add_argument(
        "--no-hostile", action="store_true", help="no flooders, idle or half-open sockets beside"
    )
    parser.add_argument(
        "--edges",
        type=int,
        default=0,
        metavar="E",
        help="the room over E edge processes and a NATS broker (quiz host --workers E)",
    )
    args = parser.parse_args()
    n, q_count = args.players, args.questions
    saves = Path(tempfile.mkdtemp(prefix="quiz-live-load-"))
    load_at_start = " ".join(f"{x:.1f}" for x in os.getloadavg())
    port = args.port or free_port()
    profile = ["-m", "cProfile", "-o", args.profile] if args.profile else []
    host = subprocess.Popen(
        [
            sys.executable,
            *profile,
            "-m",
            "quiz",
            "host",
            "--plain",
            "--port",
            str(port),
            "--saves",
            str(saves),
            "--max-players",
            str(n),
            "--count",
            str(q_count),
            "--timer",
            str(args.timer),
            "--seed",
            "1",
            *(["--workers", str(args.edges)] if args.edges else []),
        ],
        cwd=ROOT,
        stdin=subprocess.PIPE,
        stdout=subprocess.PIPE,
        stderr=subprocess.STDOUT,
        text=True,
    )
    assert host.stdout is not None and host.stdin is not None
    code = ""
    while not code:
        line = host.stdout.readline()
        if not line:
            print("the room did not start", file=sys.stderr)
            return 1
        if m := re.match(r"^code (\d{6})$", line.strip()):
            code = m.group(1)
    tail: list[str] = []
    threading.Thread(target=lambda: [tail.append(x) for x in host.stdout], daemon=True).start()  # type: ignore[union-attr]
    time.sleep(0.5)
    stats = tree_stats if args.edges else proc_stats
    before = stats(host.pid)
    url = f"http://127.0.0.1:{port}/ws"
    out: Any = mp.Queue()
    go: Any = mp.Event()
    names = [f"player {k:05d}" for k in range(n)]
    shares = [names[k :: args.workers] for k in range(args.workers) if names[k :: args.workers]]
    procs = [
        mp.Process(target=worker, args=(url, code, share, args.timer, q_count, out, go))
        for share in shares
    ]
    for proc in procs:
        proc.start()
    print(f"{n} players joining from {len(procs)} processes...", file=sys.stderr)
    joins = []
    attacked: dict[str, int] = {}
    while len(joins) < len(procs):
        item = out.get()
        if item[0] == "joined":
            joins.append(item)
    join_seconds = max(j[2] for j in joins) - min(j[1] for j in joins)
    stop_attack: Any = mp.Event()
    attacker = None
    if not args.no_hostile:  # from now to the end: the whole game
        attacker = mp.Process(target=hostile, args=(url, port, stop_attack, out))
        attacker.start()
        time.sleep(1.0)
    joined = stats(host.pid)
    asked: list[float] = []
    results: list[dict[str, Any]] = []
    revealed_workers = [0] * q_count
    cpu_per_question: list[float] = []
    for q in range(q_count):
        print(f"question {q + 1}...", file=sys.stderr)
        time.sleep(args.think)  # the host looks at the lobby, then each reveal
        cpu_before = stats(host.pid)["cpu_s"]
        asked.append(time.monotonic())
        host.stdin.write("\n")
        host.stdin.flush()
        while revealed_workers[q] < len(procs):
            item = out.get()
            if item[0] == "revealed":
                revealed_workers[item[1]] += 1
            elif item[0] == "done":
                results.append(item[1])
        cpu_per_question.append(stats(host.pid)["cpu_s"] - cpu_before)
    time.sleep(args.think)
    host.stdin.write("\n")
    host.stdin.flush()
    while len(results) < len(procs):
        item = out.get()
        if item[0] == "done":
            results.append(item[1])
    for proc in procs:
        proc.join()
    after = stats(host.pid)
    owner = proc_stats(host.pid)
    if attacker is not None:
        stop_attack.set()
        while not attacked:
            item = out.get()
            if item[0] == "hostile":
                attacked = item[1]
        attacker.join()
    host.stdin.close()
    if args.profile:  # SIGINT ends the room the way cProfile can still write its stats
        host.send_signal(signal.SIGINT)
    else:
        host.terminate()
    host.wait(timeout=30)

    per_question: list[str] = []
    question_lat: list[float] = []
    reveal_lat: list[float] = []
    for q in range(q_count):
        got_q = [t for r in results for t in r["question"][q]]
        question_lat += [t - asked[q] for t in got_q]
        first_q = min(got_q)
        last_reveal = max(t for r in results for t in r["reveal"][q])
        last_sent = max(t for r in results for t in r["sent"] if first_q <= t <= last_reveal)
        these = [t - last_sent for r in results for t in r["reveal"][q]]
        reveal_lat += these
        per_question.append(
            f"Q{q + 1} question p95 {pct([t - asked[q] for t in got_q], 95) * 1000:.0f} ms,"
            f" reveal p95 {pct(these, 95) * 1000:.0f} ms"
        )
    sent_in_time = sum(r["sent_in_time"] for r in results)
    record = json.loads(next((saves / "rooms").glob("*.json")).read_text(encoding="utf-8"))
    # An answer of any form: a choice, typed text, a number or an order.
    given = ("choice", "text", "value", "order")
    counted = sum(1 for a in record["answers"] if any(a.get(k) is not None for k in given))

    def ms(values: list[float]) -> str:
        return f"p50 {pct(values, 50) * 1000:.0f} ms, p95 {pct(values, 95) * 1000:.0f} ms, max {max(values) * 1000:.0f} ms"

    growth = (joined["rss_kb"] - before["rss_kb"]) / n
    print(
        f"players: {n}, questions: {q_count}, timer {args.timer} s, {len(procs)} client processes, "
        f"the host looks {args.think:g} s at each screen; load average {load_at_start} at the start,"
        f" {' '.join(f'{x:.1f}' for x in os.getloadavg())} at the end"
    )
    if args.edges:
        print(
            f"the room: quiz host --workers {args.edges} (owner, {args.edges} edges, NATS); "
            f"the owner alone: CPU {owner['cpu_s']:.2f} s, peak {owner['peak_kb'] / 1024:.1f} MB"
        )
    print(f"all joined in {join_seconds:.2f} s")
    print(f"question sent -> received: {ms(question_lat)}")
    print(f"reveal (after the last answer) -> received: {ms(reveal_lat)}")
    print(
        f"room process: CPU {after['cpu_s']:.2f} s; memory {before['rss_kb'] / 1024:.1f} MB before joins, "
        f"{joined['rss_kb'] / 1024:.1f} MB with everyone in ({growth:.1f} KB a player), peak {after['peak_kb'] / 1024:.1f} MB"
    )
    print("per question: " + "; ".join(per_question))
    print(
        "room CPU a question (open to every reveal received): "
        + ", ".join(f"{c:.2f} s" for c in cpu_per_question)
    )
    print(f"answers sent before the deadline: {sent_in_time}; counted by the room: {counted}")
    if attacked:
        print(
            f"beside them: {FLOODERS} flooders ({attacked['flood_frames']} junk frames, closed "
            f"{attacked['flood_closed']} times), {IDLE} sockets that never join (closed "
            f"{attacked['idle_closed']} times), {HALF_OPEN} half-open connections (dropped "
            f"{attacked['half_open_dropped']} times)"
        )
    return 0


if __name__ == "__main__":
    sys.exit(main())
