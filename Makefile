# The README's commands. Each target creates or reuses .venv/ and installs what it needs.
PYTHON ?= python3
VENV := .venv
BIN := $(VENV)/bin
STAMP := $(VENV)/.installed
DEMO_DIR ?= var/demo
DEMO_END ?= $(shell date -u +%Y-%m-%d)
DEMO_PORT ?= 8000

.PHONY: demo test test-all bench lint install clean i18n

$(STAMP): pyproject.toml
	test -x $(BIN)/python || $(PYTHON) -m venv $(VENV)
	$(BIN)/python -m pip install --quiet --upgrade pip
	$(BIN)/python -m pip install --quiet -e '.[dev]'
	$(BIN)/python -m compileall -q src/aftersales
	touch $(STAMP)

install: $(STAMP)

demo: $(STAMP)
	$(BIN)/aftersales db upgrade
	$(BIN)/aftersales demo generate $(DEMO_DIR) --end-date $(DEMO_END)
	$(BIN)/aftersales demo import $(DEMO_DIR)
	$(BIN)/aftersales summary
	$(BIN)/aftersales demo owner
	$(BIN)/aftersales demo plans --as-of $(DEMO_END)
	$(BIN)/aftersales serve --host 127.0.0.1 --port $(DEMO_PORT)

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

# Extract the user-facing strings and merge them into the zh_CN catalog (translate the new ones).
LOCALE_DIR := src/aftersales/web/locale
i18n: $(STAMP)
	$(BIN)/pybabel extract -F babel.cfg -k N_ -k _ -k gettext -k ngettext:1,2 --no-location --sort-output --project aftersales -o $(LOCALE_DIR)/messages.pot .
	if test -f $(LOCALE_DIR)/zh_CN/LC_MESSAGES/messages.po; then \
		$(BIN)/pybabel update --no-fuzzy-matching -l zh_CN -i $(LOCALE_DIR)/messages.pot -o $(LOCALE_DIR)/zh_CN/LC_MESSAGES/messages.po; \
	else \
		$(BIN)/pybabel init -l zh_CN -i $(LOCALE_DIR)/messages.pot -o $(LOCALE_DIR)/zh_CN/LC_MESSAGES/messages.po; \
	fi

clean:
	rm -rf $(VENV) var .pytest_cache .mypy_cache .ruff_cache
