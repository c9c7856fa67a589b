# The README's commands. Each target creates or reuses .venv/ and installs what it needs.
PYTHON ?= python3
VENV := .venv
BIN := $(VENV)/bin
STAMP := $(VENV)/.installed
DEMO_DIR ?= var/demo
DEMO_END ?= $(shell date -u +%Y-%m-%d)

.PHONY: demo test test-all bench lint install clean

$(STAMP): pyproject.toml
	test -x $(BIN)/python || $(PYTHON) -m venv $(VENV)
	$(BIN)/python -m pip install --quiet --upgrade pip
	$(BIN)/python -m pip install --quiet -e '.[dev]'
	touch $(STAMP)

install: $(STAMP)

demo: $(STAMP)
	$(BIN)/aftersales db upgrade
	$(BIN)/aftersales demo generate $(DEMO_DIR) --end-date $(DEMO_END)
	$(BIN)/aftersales demo import $(DEMO_DIR)
	$(BIN)/aftersales summary

test: $(STAMP)
	$(BIN)/pytest -m "not slow" $(PYTEST_ARGS)

test-all: $(STAMP)
	$(BIN)/pytest $(PYTEST_ARGS)

bench: $(STAMP)
	$(BIN)/python bench/run.py $(BENCH_ARGS)

lint: $(STAMP)
	$(BIN)/ruff check src tests bench
	$(BIN)/ruff format --check src tests bench
	$(BIN)/mypy
	$(BIN)/python -m aftersales.db.check_migrations

clean:
	rm -rf $(VENV) var .pytest_cache .mypy_cache .ruff_cache
