"""Write a valid synthetic deck: `python bench/make_deck.py N OUT`.

N facts with realistic text sizes, several pools and every answer kind, for
benchmarks and stress tests. The output is deterministic for a given N.
"""

from __future__ import annotations

import random
import sys
from pathlib import Path

import tomli_w

WORDS = (
    "driver team season race track finish crash weekend points series pit stop "
    "engine qualifying lap restart caution green flag checkered podium title "
    "rookie veteran sponsor garage crew chief spotter fuel tyre wall barrier"
).split()


def sentence(rng: random.Random, low: int, high: int) -> str:
    words = [rng.choice(WORDS) for _ in range(rng.randint(low, high))]
    return " ".join(words).capitalize()


def make_deck(n: int) -> dict:
    rng = random.Random(n)
    pools = {
        name: [f"{name.title()} {i:03d} {rng.choice(WORDS).title()}" for i in range(40)]
        for name in ("tracks", "teams", "series", "shows")
    }
    facts = []
    for i in range(n):
        kind = ("pool", "ordinal", "integer", "year", "date", "quote", "text")[i % 7]
        wrong: list = []
        if kind == "pool":
            pool = ("tracks", "teams", "series", "shows")[i % 4]
            answer = {"kind": "pool", "pool": pool, "value": rng.choice(pools[pool])}
        elif kind == "ordinal":
            answer = {"kind": "ordinal", "value": rng.randint(1, 30), "max": 40}
        elif kind == "integer":
            answer = {"kind": "integer", "value": rng.randint(10, 5000), "min": 1, "unit": "laps"}
        elif kind == "year":
            answer = {"kind": "year", "value": rng.randint(1950, 2020), "max": 2025}
        elif kind == "date":
            answer = {
                "kind": "date",
                "value": f"{rng.randint(1990, 2024)}-{rng.randint(1, 12):02d}",
            }
        else:
            answer = {"kind": kind, "value": sentence(rng, 3, 6) + f" {i}"}
            wrong = [sentence(rng, 2, 5) + f" w{i}-{k}" for k in range(4)]
        fact = {
            "id": f"fact-{i:05d}",
            "statement": sentence(rng, 10, 18) + f" {i}.",
            "answer": answer,
            "questions": [sentence(rng, 8, 16) + f" {i}?"],
            "claim": sentence(rng, 6, 10) + " {answer} " + sentence(rng, 2, 5).lower() + ".",
            "explanation": sentence(rng, 15, 30) + ".",
            "source": "bench",
            "tags": ["bench", f"group-{i % 20}"],
            "difficulty": ("easy", "medium", "hard")[i % 3],
        }
        if wrong:
            fact["wrong"] = wrong
        if i % 5 == 0:
            fact["timeline"] = {"event": f"Event {i}", "step": i + 1}
        facts.append(fact)
    return {
        "id": f"bench-{n}",
        "title": f"Benchmark deck of {n} facts",
        "subject": "Benchmarks",
        "description": "A synthetic deck for measuring the validator and the generator.",
        "language": "en",
        "sources": [{"id": "bench", "title": "Synthetic facts", "publisher": "bench/make_deck.py"}],
        "pools": pools,
        "facts": facts,
    }


def main(argv: list[str]) -> int:
    if len(argv) != 2 or not argv[0].isdigit():
        print("usage: python bench/make_deck.py N OUT", file=sys.stderr)
        return 2
    out = Path(argv[1])
    out.parent.mkdir(parents=True, exist_ok=True)
    out.write_bytes(tomli_w.dumps(make_deck(int(argv[0]))).encode("utf-8"))
    return 0


if __name__ == "__main__":
    sys.exit(main(sys.argv[1:]))
