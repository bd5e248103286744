"""For contributors: validate, audit, import and export of decks."""
