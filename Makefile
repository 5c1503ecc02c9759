# Thin wrappers around the project's commands; each target sets up .venv first.
PYTHON ?= python3
VENV ?= .venv
BIN := $(VENV)/bin

.PHONY: setup run chat test test-future check lint bench eval clean

$(BIN)/.installed: pyproject.toml
	$(PYTHON) -m venv $(VENV)
	$(BIN)/pip install --quiet --upgrade pip
	$(BIN)/pip install --quiet -e ".[dev]"
	touch $@

setup: $(BIN)/.installed  ## create .venv and install the bot with its dev tools

run: setup  ## run the bot (needs TELEGRAM_BOT_TOKEN; SQLite under ./data by default)
	$(BIN)/nssf-bot run

chat: setup  ## try the bot in the terminal, no token needed
	$(BIN)/nssf-bot chat

test: setup  ## the test suite (SQLite; also PostgreSQL when TEST_DATABASE_URL is set)
	$(BIN)/pytest

test-future: setup  ## the suite with the clock two years ahead (libfaketime; SQLite only)
	TEST_DATABASE_URL= faketime -f +730d $(BIN)/pytest -q

check: setup  ## content check, lint, types
	$(BIN)/nssf-bot faq check
	$(BIN)/ruff check .
	$(BIN)/ruff format --check .
	$(BIN)/mypy

eval: setup  ## matching accuracy on the shared dev questions
	$(BIN)/nssf-bot eval ../shared/faq-dev-questions.tsv

bench: setup  ## benchmarks (figures go in the README)
	$(BIN)/python benchmarks/bench_matcher.py
	$(BIN)/python benchmarks/bench_updates.py
	$(BIN)/python benchmarks/bench_delivery.py

clean:
	rm -rf $(VENV) .pytest_cache .mypy_cache .ruff_cache
