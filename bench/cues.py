"""Can the answers be guessed? The cue player over seeded games of the bundled deck.

    python bench/cues.py [--games 500] [--count 10] [--deck PATH]

Prints a Markdown table for bench/README.md: the cue player's score against
blind chance, the giveaway rate, where the right answer lands, how often the
longest choice is right, the kind shares, and the time to plan one game.
The cue player takes a giveaway when one was on screen (a word only one choice
has, shown earlier in the game or by the deck's own text), else a choice that
echoes the question, else an odd first word, else the clearly longest choice,
else guesses. The test-wise player also reads for meaning (number places learned
across games, story order, synonyms, the odd register, absolutes in true/false).
Goals (issues 13 and 21): both within 5 points of chance, giveaways at most 2%.
"""

from __future__ import annotations

import argparse
import platform
import sys
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))

from quiz.authoring.audit import audit, passes  # noqa: E402
from quiz.deckfile.read import load_deck  # noqa: E402
from quiz.questions.plan import make_quiz  # noqa: E402


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--games", type=int, default=500)
    parser.add_argument("--count", type=int, default=10)
    parser.add_argument("--deck", default=str(ROOT / "questions" / "amber-balcaen.toml"))
    args = parser.parse_args()
    deck = load_deck(args.deck)
    report = audit(deck, games=args.games, count=args.count)
    start = time.perf_counter()
    for seed in range(50):
        make_quiz(deck, seed, args.count)
    per_game = (time.perf_counter() - start) / 50 * 1000
    longest = report["longest"]
    assert isinstance(longest, dict)
    print(
        f"{time.strftime('%Y-%m-%d')}, {platform.machine()}, Python {platform.python_version()}, "
        f"deck {deck.id}, {args.games} seeded games of {args.count}"
    )
    print()
    print("| what | figure |")
    print("| --- | ---: |")
    print(f"| cue player's score | {report['cue_score']}% |")
    print(f"| blind chance | {report['chance']}% |")
    print(f"| cue player over chance | {report['cue_gap']:+} points |")
    print(f"| test-wise player's score | {report['wise_score']}% |")
    print(f"| test-wise player over chance | {report['wise_gap']:+} points |")
    print(f"| giveaways | {report['giveaway_rate']}% of questions |")
    positions = report["positions"]
    assert isinstance(positions, dict)
    print(
        "| right answer's position (A/B/C/D) | "
        + " / ".join(f"{v}%" for v in positions.values())
        + " |"
    )
    print(
        f"| longest choice is right | {longest['rate']}% of {longest['questions']} "
        f"(chance {longest['chance']}%) |"
    )
    kinds = report["kinds"]
    assert isinstance(kinds, dict)
    print("| kinds | " + ", ".join(f"{k} {v}%" for k, v in kinds.items()) + " |")
    print(f"| plan one game | {per_game:.1f} ms |")
    print()
    print("within the goal" if passes(report) else "OUTSIDE the goal")
    return 0 if passes(report) else 1


if __name__ == "__main__":
    raise SystemExit(main())
