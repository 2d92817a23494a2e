# One command to try the bot, one to test it. Both create ./.venv on first use.
PY ?= python3
VENV := .venv
BIN := $(VENV)/bin
STAMP := $(VENV)/.installed

.PHONY: chat test serve clean

$(STAMP): pyproject.toml
	$(PY) -m venv $(VENV)
	$(BIN)/pip install -q --upgrade pip
	$(BIN)/pip install -q -e '.[dev]'
	touch $(STAMP)

## Chat with the bot in this terminal on the embedded default (SQLite + in-process state).
chat: $(STAMP)
	$(BIN)/inspector-bot chat --user $${USER:-inspector}

## Run the test suite (PostgreSQL/Redis tests are skipped with a reason when the servers are absent).
test: $(STAMP)
	$(BIN)/pytest -q -rs

serve: $(STAMP)
	$(BIN)/inspector-bot serve

clean:
	rm -rf $(VENV) data .pytest_cache
