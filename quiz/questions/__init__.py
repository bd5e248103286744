"""Facts -> questions: ids, wording, wrong answers, the generator, the game planner."""
