"""The command line's argument types: each checks one flag's text and says what is wrong in words (argparse makes it a usage error, exit 2)."""

from __future__ import annotations

import argparse
import datetime as dt

NOT_GIVEN = object()  # --timer's default, told apart from "--timer off" (None)


def count(text: str) -> int:
    try:
        value = int(text)
    except ValueError:
        raise argparse.ArgumentTypeError(f"'{text}' is not a whole number") from None
    from quiz.session import MAX_COUNT

    if not 1 <= value <= MAX_COUNT:
        raise argparse.ArgumentTypeError(f"must be between 1 and {MAX_COUNT}")
    return value


def count_help() -> str:
    from quiz.session import MAX_COUNT  # the limit count checks

    return f"number of questions, 1-{MAX_COUNT} (default 10)"


def seed(text: str) -> int:
    try:
        value = int(text)
    except ValueError:
        raise argparse.ArgumentTypeError(f"'{text}' is not a whole number") from None
    if not 0 <= value < 2**63:
        raise argparse.ArgumentTypeError("must be between 0 and 2**63-1")
    return value


def timer(text: str) -> int | None:
    if text.lower() == "off":
        return None
    try:
        value = int(text)
    except ValueError:
        raise argparse.ArgumentTypeError(f"'{text}' is not a number of seconds or 'off'") from None
    if not 5 <= value <= 600:
        raise argparse.ArgumentTypeError("must be between 5 and 600 seconds, or 'off'")
    return value


def port(text: str) -> int:
    if not (text.isascii() and text.isdigit() and len(text) <= 6) or not 1 <= int(text) <= 65535:
        raise argparse.ArgumentTypeError(f"'{text}' is not a port number (1-65535)")
    return int(text)


def host(text: str) -> str:
    """--host: a host name or an IP address, nothing a browser page or a terminal could misread."""
    import ipaddress
    import re

    try:
        return str(ipaddress.ip_address(text))
    except ValueError:
        pass
    if re.fullmatch(r"[A-Za-z0-9](?:[A-Za-z0-9.-]{0,251}[A-Za-z0-9])?", text) is None:
        raise argparse.ArgumentTypeError(f"'{text}' is not a host name or an IP address")
    return text


def players(text: str) -> int:
    if not (text.isascii() and text.isdigit() and len(text) <= 6) or not 1 <= int(text) <= 500:
        raise argparse.ArgumentTypeError(f"'{text}' is not a number of players (1-500)")
    return int(text)


def date(text: str) -> str:
    try:
        return dt.date.fromisoformat(text).isoformat()
    except ValueError:
        raise argparse.ArgumentTypeError(f"'{text}' is not a date like 2026-09-01") from None


def kinds_arg(text: str) -> tuple[str, ...]:
    """--kinds: a comma list of question forms from `KINDS`, in the order given, each once."""
    from quiz.questions.question import KINDS

    names = [part.strip().lower() for part in text.split(",") if part.strip()]
    unknown = [name for name in names if name not in KINDS]
    if unknown or not names:
        from quiz.text import clean

        what = f"unknown kind '{clean(unknown[0])}'" if unknown else "no kind given"
        raise argparse.ArgumentTypeError(f"{what}; the kinds are {','.join(KINDS)}")
    return tuple(dict.fromkeys(names))


def saves_option(parser: argparse.ArgumentParser) -> None:
    """`--saves DIR`, as every command that reads or writes the save folder takes it."""
    parser.add_argument(
        "--saves", metavar="DIR", help="the save folder (default: saves/ or $QUIZ_SAVES)"
    )


def force_option(parser: argparse.ArgumentParser) -> None:
    """`--force`: the one way to let a command replace the existing file its --out names."""
    parser.add_argument(
        "--force", action="store_true", help="replace --out if it is an existing regular file"
    )
