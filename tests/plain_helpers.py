"""Playing a plain game from piped lines, one way for every test.

`plain_game` (the fixture in tests/conftest.py) runs `quiz play --plain` in this
process with the lines piped in; `keys_for` gives the keys that answer a seeded
game right (or wrong), as a player who knows the deck would type them.
"""

from __future__ import annotations

from collections.abc import Callable, Iterable, Sequence
from pathlib import Path

from tests.conftest import Cli, Result

# `plain_game(*lines, player="Ann", seed=None, count=None, deck=None, saves=None,
# args=(), stdin=None) -> Result`: the `plain_game` fixture's type.
PlainGame = Callable[..., Result]


def keys_for(
    seed: int, count: int, *, deck: str | Path | None = None, right: bool = True
) -> list[str]:
    """The keys (1-4) that answer each question of a seeded game of ``deck``
    (the bundled one by default) right, or each one wrong with ``right=False``."""
    from quiz.cli.decks import open_deck
    from quiz.questions.plan import make_quiz

    questions = make_quiz(open_deck(None if deck is None else str(deck)), seed, count)
    return [str(q.answer + 1 if right else (q.answer + 1) % len(q.choices) + 1) for q in questions]


def piped(lines: Iterable[str]) -> str:
    """What a pipe holds when a player types ``lines``, each ended by Enter."""
    return "".join(f"{line}\n" for line in lines)


def play_plain(
    cli: Cli,
    default_saves: Path,
    *lines: str,
    player: str | Sequence[str] | None = "Ann",
    seed: int | None = None,
    count: int | None = None,
    deck: str | Path | None = None,
    saves: str | Path | None = None,
    args: Sequence[str] = (),
    stdin: str | None = None,
) -> Result:
    """`quiz play --plain` with ``lines`` piped in (or ``stdin`` as it is).

    ``player``: a name, several (a hot-seat game) or None (``args`` names them);
    ``seed``, ``count`` and ``deck`` as the command takes them; ``saves``
    (``default_saves`` if not given); ``args``: any other arguments.
    """
    command = ["play", "--plain"]
    if deck is not None:
        command += ["--deck", str(deck)]
    names = [player] if isinstance(player, str) else list(player or ())
    for name in names:
        command += ["--player", name]
    if seed is not None:
        command += ["--seed", str(seed)]
    if count is not None:
        command += ["--count", str(count)]
    command += ["--saves", str(default_saves if saves is None else saves), *args]
    return cli(*command, stdin=piped(lines) if stdin is None else stdin)
