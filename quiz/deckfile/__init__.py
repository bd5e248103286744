"""The deck file format, in the order of the data's path.

- `limits`: the format's vocabulary (numeric limits, answer kinds,
  difficulties, the date and claim rules); of quiz, it imports only
  quiz.model's Literal types.
- `locate`: the line of every key in a TOML text (beside `limits`: neither
  imports the other).
- `problems`: `Problem`, `DeckError` and `DeckSource` (path in the data ->
  file and line).
- `schema`: the pydantic schema (the edge), and its errors as problems.
- `read`: reading files and folder decks, the parsed-deck cache, the
  cross-reference checks, and finding decks.

Each module imports only those listed above it (an import-linter layers
contract in pyproject.toml). This file imports nothing, so a leaf costs only
itself: plain play with a cached deck never loads pydantic.
"""
