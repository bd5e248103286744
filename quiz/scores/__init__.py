"""Derived from saves, never the truth: which games count, the summary cache, queries, report, stats."""
