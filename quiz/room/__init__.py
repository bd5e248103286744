"""The live room: one host's screen, every player on their own device (issue 14).

`state` is the pure state machine, `protocol` the validated wire frames,
`server` the aiohttp server, `plain` the line-mode host and player. None of
them imports Textual; the host's and player's Textual screens live in quiz.tui.
"""

# The host's choices (`quiz host --scoring/--leaderboard`, the state machine's
# rules). Here, in a module that imports nothing, so building the command line
# for `quiz play` does not load the room.
SCORING = ("speed", "accuracy")
LEADERBOARD = ("each", "end", "off")
