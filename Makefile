# Quick start: `make play` and `make test`. Both create .venv when needed.
PYTHON ?= $(shell for p in python3.13 python3.12 python3.11 python3; do \
	command -v $$p >/dev/null 2>&1 && $$p -c 'import sys; sys.exit(sys.version_info < (3, 11))' 2>/dev/null && { echo $$p; break; }; done)
VENV := .venv
BIN := $(VENV)/bin
STAMP := $(VENV)/.installed
PLAY_STAMP := $(VENV)/.installed-play

.PHONY: play test test-browser fuzz bench clean

$(STAMP): pyproject.toml
	@test -n "$(PYTHON)" || { echo "quiz needs Python 3.11 or newer on PATH" >&2; exit 1; }
	@test -x $(BIN)/python || $(PYTHON) -m venv $(VENV)
	$(BIN)/python -m pip install --quiet --upgrade pip
	$(BIN)/python -m pip install --quiet -e '.[test]'
	@touch $(STAMP)

# Playing needs only quiz and its dependencies; the test tools come with `make test`.
$(PLAY_STAMP): pyproject.toml
	@test -n "$(PYTHON)" || { echo "quiz needs Python 3.11 or newer on PATH" >&2; exit 1; }
	@test -x $(BIN)/python || $(PYTHON) -m venv $(VENV)
	$(BIN)/python -m pip install --quiet --upgrade pip
	$(BIN)/python -m pip install --quiet -e .
	@touch $(PLAY_STAMP)

# `exec`: the shell make starts becomes the game, so nothing stands between it
# and the terminal (closing the terminal hangs the game up, and it saves and exits).
play: $(PLAY_STAMP)
	exec $(BIN)/quiz play

# mypy (one process, ~6-10 s from a cold cache) checks types while pytest runs,
# whose two workers leave a core idle part of the time; its report follows
# pytest's, and either failing fails `make test`. --dist worksteal: a worker
# that runs out of tests takes some of the other's, so no long test ends alone.
# Bytecode: where the machine sets PYTHONDONTWRITEBYTECODE (this one does), every
# xdist worker and every `quiz` a test starts compiled quiz/ again, and pytest
# rewrote every test module's asserts again (~9 s of CPU a run, measured). pytest and what
# it starts write it to .venv/pycache instead, never beside the sources (which
# that setting usually keeps clean), and reuse it in every later process and run.
test: $(STAMP)
	$(BIN)/ruff check quiz tests bench
	$(BIN)/ruff format --check quiz tests bench
	$(BIN)/lint-imports --no-cache
	@$(BIN)/mypy >$(VENV)/mypy.out 2>&1 & mypy=$$!; \
	echo "$(BIN)/python -m pytest -n auto --dist worksteal -q  (with $(BIN)/mypy alongside)"; \
	PYTHONPYCACHEPREFIX="$(CURDIR)/$(VENV)/pycache" PYTHONDONTWRITEBYTECODE= \
		$(BIN)/python -m pytest -n auto --dist worksteal -q; tests=$$?; \
	wait $$mypy; types=$$?; \
	echo "$(BIN)/mypy:"; cat $(VENV)/mypy.out; \
	if [ $$tests -ne 0 ]; then exit $$tests; fi; exit $$types

# The browser test: Debian's chromium (installed when missing and apt-get is
# there) driven by Playwright. Without chromium it says so and skips.
test-browser: $(STAMP)
	@command -v chromium >/dev/null 2>&1 || { \
		if command -v apt-get >/dev/null 2>&1 && [ "$$(id -u)" = 0 ]; then \
			echo "Installing Debian's chromium for the browser test..."; \
			(apt-get update -qq && DEBIAN_FRONTEND=noninteractive apt-get install -y -qq chromium) >/dev/null \
				|| echo "Could not install chromium; the browser test will be skipped."; \
		else \
			echo "chromium is not installed and cannot be installed here (needs root and apt-get); the browser test will be skipped."; \
		fi; }
	$(BIN)/python -m pip install --quiet -e '.[test,browser]'
	$(BIN)/python -m pytest -m browser -rs -q tests/browser

# A long fuzzing run (the suite runs a short one).
fuzz: $(STAMP)
	QUIZ_FUZZ_EXAMPLES=$${QUIZ_FUZZ_EXAMPLES:-3000} QUIZ_SERVE_SESSIONS=$${QUIZ_SERVE_SESSIONS:-50} \
		QUIZ_SUMMARY_EXAMPLES=$${QUIZ_SUMMARY_EXAMPLES:-200} \
		$(BIN)/python -m pytest -q -p no:xdist tests/unit/test_fuzz.py tests/unit/test_hostile_serve.py \
		tests/unit/test_summary.py

bench: $(STAMP)
	$(BIN)/python bench/run.py

clean:
	rm -rf $(VENV) build dist *.egg-info .pytest_cache .hypothesis
