"""The one base of every error quiz explains to its user.

`quiz.cli.main` catches `QuizError` once and prints it as clean located lines
with exit code 1: a bad deck, a damaged save, a session that cannot start.
Anything else that escapes is a bug, and shows its traceback.
"""

from __future__ import annotations


class QuizError(Exception):
    """An error whose message is written for the user (one or more lines)."""

    # Whether the command line puts "quiz: " before the message. Located
    # problems (`PATH:LINE: ...`) are complete lines already.
    prefixed = True

    def for_user(self) -> str:
        """The message as the command line prints it (made display-safe by `show`)."""
        return f"quiz: {self}" if self.prefixed else str(self)
