"""Reusable widgets of the quiz TUI."""
