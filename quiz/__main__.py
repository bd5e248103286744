"""`python -m quiz` runs the `quiz` command."""

import sys

from quiz.cli.main import main

sys.exit(main())
