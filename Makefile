# Two commands do all set-up on a fresh machine: `make demo` and `make test`.
PYTHON ?= python3
VENV := .venv
BIN := $(VENV)/bin
STAMP := $(VENV)/.installed-stamp

.PHONY: demo test lint typecheck unit system-deps serve bench clean

$(STAMP): pyproject.toml
	$(PYTHON) -m venv $(VENV)
	$(BIN)/pip install -q --upgrade pip
	$(BIN)/pip install -q -e '.[dev]'
	touch $(STAMP)

system-deps:
	scripts/system-deps

## demo: install, seed the demo store (SQLite) if empty, serve web + API on http://127.0.0.1:8000
demo: $(STAMP)
	$(BIN)/nichely demo --host 127.0.0.1 --port 8000

## test: lint, type-check, then the whole suite on SQLite and PostgreSQL, browser tests included
test: $(STAMP) system-deps lint typecheck
	NICHELY_TEST_POSTGRES_URL=$$(scripts/pg-test-server) $(BIN)/pytest -n 2 -q -p no:cacheprovider

lint: $(STAMP)
	$(BIN)/ruff check src tests benchmarks

typecheck: $(STAMP)
	$(BIN)/mypy src

serve: $(STAMP)
	$(BIN)/nichely serve

clean:
	rm -rf $(VENV) nichely.db nichely.db-wal nichely.db-shm media
