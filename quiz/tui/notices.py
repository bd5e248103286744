"""One way to tell the player something, from the app or from any screen."""

from __future__ import annotations

from typing import Any

from textual.app import App
from textual.notifications import SeverityLevel
from textual.widget import Widget

from quiz.text import clean


def tell(
    where: App[Any] | Widget,
    message: str,
    severity: SeverityLevel = "information",
    title: str = "",
) -> None:
    """A notification. Its text often holds names and paths: data, never markup."""
    where.notify(
        clean(message, allow_newlines=True),
        title=title,
        severity=severity,
        timeout=8,
        markup=False,
    )
