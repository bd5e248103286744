"""The deck file format, in the order of the data's path.

- `limits`: the format's vocabulary (numeric limits, answer kinds,
  difficulties, the date and claim rules); of quiz, it imports only
  quiz.model's Literal types.
- `locate`: the line of every key in a TOML text (beside `limits`: neither
  imports the other).
- `problems`: `Problem`, `DeckError` and `DeckSource` (path in the data ->
  file and line).
- `messages`: the schema's errors in a contributor's words, and the text
  rules they explain (no pydantic).
- `schema`: the pydantic schema (the edge).
- `screen`: a deck's data through the schema: its errors as located
  problems, and what passed.
- `references`: the checks across keys (ids that must exist or be unique,
  min..max, a tolerance, the timeline).
- `read`: reading files and folder decks, the parsed-deck cache, building a deck.
- `catalog`: finding decks, and the one bundled-deck lookup (a name or a
  save's deck id -> a file).

Each module imports only those listed above it (an import-linter layers
contract in pyproject.toml). This file imports nothing, so a leaf costs only
itself: plain play with a cached deck never loads pydantic.
"""
