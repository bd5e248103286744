"""What every command writes: display-safe messages on stderr, exact data on stdout, the exit codes for a problem (1) and a usage error (2)."""

from __future__ import annotations

import json
import os
import sys
from typing import TextIO

from quiz.errors import QuizError


def show(message: object, file: TextIO | None = None) -> None:
    """Print a message that may quote a deck, a save or a file name: made display-safe."""
    from quiz.text import clean

    print(clean(message, allow_newlines=True), file=file or sys.stderr)


class OutputEncodingError(QuizError):
    """Data for another program cannot be written in standard output's encoding."""


def write_data(text: str, *, out_flag: bool = False) -> None:
    """Data for another program on stdout (an export, a report, JSON): exactly, or not at all.

    Text for people is written as its encoding can (quiz/cli/startup.py); a file
    format must never come out with a '?' for a letter, so an encoding that
    cannot write it is a clear error before anything is written.
    """
    encoding = getattr(sys.stdout, "encoding", None) or "utf-8"
    try:
        text.encode(encoding)
    except UnicodeEncodeError as exc:
        from quiz.text import describe_char

        instead = ", or write a file with --out FILE" if out_flag else ""
        raise OutputEncodingError(
            f"standard output's encoding, {encoding}, cannot write "
            f"{describe_char(exc.object[exc.start])}, so nothing was written; "
            f"set PYTHONIOENCODING=utf-8{instead}"
        ) from None
    except LookupError:
        pass  # an encoding Python does not know: the write itself will say
    sys.stdout.write(text)


def write_json(data: object) -> None:
    """JSON on stdout, through `write_data`."""
    write_data(json.dumps(data, ensure_ascii=False, indent=2) + "\n")


def tell_stderr(notice: str) -> None:
    """A notice from the saves or a session, as one `quiz: ...` line on stderr."""
    show(f"quiz: {notice}")


def fail(message: str) -> int:
    """Print one clear line to stderr and return exit code 1."""
    show(f"quiz: {message}")
    return 1


def usage(message: str) -> int:
    """A usage error found after parsing: exit code 2, like argparse's own."""
    show(f"quiz: error: {message}")
    return 2


def quiet_closed_stdout() -> None:
    """After output went away (`| head`), keep Python's exit flush from complaining."""
    try:
        sys.stdout.flush()
    except (OSError, ValueError):
        devnull = os.open(os.devnull, os.O_WRONLY)
        try:
            os.dup2(devnull, sys.stdout.fileno())
        except (OSError, ValueError):
            pass
