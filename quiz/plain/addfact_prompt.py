"""add-fact's lines in and out: `Prompt` (every line shown made display-safe, every
line read capped) and the check of every enumerated field (`one_of`, "did you mean")."""

from __future__ import annotations

import difflib
from collections.abc import Callable, Sequence
from typing import TextIO

from quiz.text import LINE_MAX, clean, read_line

SHOWN_CHOICES = 12


class Aborted(Exception):
    """Input ended before the fact was complete; nothing is written."""


class Prompt:
    """The dialogue's lines: every line shown is made display-safe, every line read capped."""

    def __init__(self, stdin: TextIO, stdout: TextIO) -> None:
        self.stdin, self.stdout = stdin, stdout

    def say(self, line: str) -> None:
        self.stdout.write(clean(line, allow_newlines=True) + "\n")
        self.stdout.flush()

    def ask(
        self,
        label: str,
        check: Callable[[str], str | None] | None = None,
        default: str | None = None,
        optional: bool = False,
    ) -> str:
        """Ask until the answer passes ``check``; raise Aborted at the end of input."""
        while True:
            hint = (
                f" [{default}]" if default else (" (optional, Enter to skip)" if optional else "")
            )
            self.stdout.write(clean(f"{label}{hint}: "))
            self.stdout.flush()
            line, too_long = read_line(self.stdin)
            if not line:
                raise Aborted
            if too_long:
                self.say(f"  is longer than {LINE_MAX} characters; no field needs that much")
                continue
            if any("\ud800" <= char <= "\udfff" for char in line):
                # Bytes stdin could not decode (quiz/cli/startup.py keeps them as surrogates).
                encoding = getattr(self.stdin, "encoding", None) or "UTF-8"
                self.say(f"  is not {encoding} text (the terminal sent other bytes); type it again")
                continue
            value = line.rstrip("\n").strip() or (default or "")
            if not value and optional:
                return ""
            problem = "must not be empty" if not value else (check(value) if check else None)
            if problem is None:
                return value
            self.say(f"  {problem}")


def did_you_mean(value: str, allowed: Sequence[str]) -> str | None:
    """The allowed value ``value`` is most likely a typo of (case aside), or None."""
    lowered = {choice.lower(): choice for choice in allowed}
    if value.lower() in lowered:
        return lowered[value.lower()]
    close = difflib.get_close_matches(value.lower(), list(lowered), n=1, cutoff=0.6)
    return lowered[close[0]] if close else None


def one_of(allowed: Sequence[str], what: str) -> Callable[[str], str | None]:
    """The check of every enumerated field: ``value`` must be one of ``allowed``.

    A typo gets "did you mean ...?" (answer kinds, pools, pool values, sources,
    difficulties, yes/no alike).
    """

    def check(value: str) -> str | None:
        if value in allowed:
            return None
        guess = did_you_mean(value, allowed)
        shown = ", ".join(allowed[:SHOWN_CHOICES]) + (
            ", ..." if len(allowed) > SHOWN_CHOICES else ""
        )
        hint = f"; did you mean '{guess}'?" if guess else ""
        return f"'{value}' is not {what}{hint} (one of: {shown})"

    return check
