"""The save folder: the one game-record schema, the folder's layout (the only code that knows its paths)."""
