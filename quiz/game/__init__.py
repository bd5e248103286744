"""Scoring, and the game and match state machines (pure, clock passed in)."""
