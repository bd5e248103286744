"""Start, resume and review games, and the unfinished-game offer: a plan for any front end.

Shared by the command line, plain mode, the full screen and `quiz serve`, so
each applies one policy; no command-line parsing lives here. Its modules, in
the order they build on each other:

- commands: the `quiz play ... --resume` command quiz prints to resume a game;
- start: player names, seeds, new games and hot-seat matches, the unfinished
  game kept in the history;
- review: review rounds (the Leitner pile, a game's mistakes);
- resume: a saved game or match back in play, its deck found by its id;
- unfinished: a player's unfinished game, and the offer made before a new
  game would shelve it;
- plan: what a front end asked for, turned into a match.
"""

from quiz.session.commands import game_resume_command, quiz_command, resume_command
from quiz.session.plan import Choice, Offer, Request, begin, offer
from quiz.session.resume import DeckLookup, resume_game, resume_match
from quiz.session.review import (
    LEITNER_RIGHTS,
    questions_by_id,
    review_mistakes,
    review_pile,
    start_review,
)
from quiz.session.start import (
    MAX_COUNT,
    NAME_MAX,
    SessionError,
    check_name,
    daily_seed,
    new_seed,
    save_folder,
    share_card,
    short_deck_notice,
    shortfall,
    start_game,
    start_match,
)
from quiz.session.unfinished import Unfinished, unfinished_game

__all__ = [
    "LEITNER_RIGHTS",
    "MAX_COUNT",
    "NAME_MAX",
    "Choice",
    "DeckLookup",
    "Offer",
    "Request",
    "SessionError",
    "Unfinished",
    "begin",
    "check_name",
    "daily_seed",
    "game_resume_command",
    "new_seed",
    "offer",
    "questions_by_id",
    "quiz_command",
    "resume_command",
    "resume_game",
    "resume_match",
    "review_mistakes",
    "review_pile",
    "save_folder",
    "share_card",
    "short_deck_notice",
    "shortfall",
    "start_game",
    "start_match",
    "start_review",
    "unfinished_game",
]
