"""The live room: one host's screen, every player on their own device (issue 14).

`state` is the pure state machine, `protocol` the one wire protocol (a model
per frame each way), `driver` phases, timers and saves, `server` the aiohttp
transport, `record` the room's record, `client` what a player's client says.
None of them imports Textual; the line-mode host and player are in quiz.plain,
the Textual screens in quiz.tui.live.
"""

# When the host shows the top 5 (`quiz host --leaderboard`, the driver's rule).
# Here, in a module that imports nothing, so building the command line does
# not load the room. The scoring is the game's (quiz.game.play.Scoring).
LEADERBOARD = ("each", "round", "end", "off")
