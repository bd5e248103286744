"""The live room's Textual screens: the host's and a player's."""
