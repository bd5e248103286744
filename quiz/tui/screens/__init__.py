"""One screen per phase: start, question, results, leaderboard, history, help."""
