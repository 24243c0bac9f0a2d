# Two commands for a new user: `make run` and `make test`. Both create .venv first.
PYTHON ?= python3
VENV := .venv
BIN := $(VENV)/bin
STAMP := $(VENV)/.installed-stamp
SCENARIOS ?= ../shared/scenarios/public

.PHONY: setup run test lint typecheck pytest scenarios bench bench-ui smoke screenshots clean

$(STAMP): pyproject.toml
	test -x $(BIN)/python || $(PYTHON) -m venv $(VENV)
	$(BIN)/python -m pip install --quiet --upgrade pip
	$(BIN)/python -m pip install --quiet -e '.[dev]'
	touch $(STAMP)

setup: $(STAMP)

run: setup
	$(BIN)/pos-app

lint: setup
	$(BIN)/ruff check pos_app backoffice tests bench
	$(BIN)/ruff format --check pos_app backoffice tests bench
	$(BIN)/lint-imports

typecheck: setup
	$(BIN)/mypy

pytest: setup
	QT_QPA_PLATFORM=offscreen $(BIN)/pytest

scenarios: setup
	@if [ -d $(SCENARIOS) ]; then $(BIN)/pos-app scenario check $(SCENARIOS)/*.json; \
	else echo "no scenarios at $(SCENARIOS)"; fi

test: lint typecheck pytest

bench: setup
	$(BIN)/python bench/engine.py
	$(BIN)/python bench/sync.py

bench-ui: setup
	QT_QPA_PLATFORM=offscreen $(BIN)/python bench/ui.py

smoke: setup
	QT_QPA_PLATFORM=offscreen $(BIN)/pos-app --smoke

screenshots: setup
	QT_QPA_PLATFORM=offscreen $(BIN)/pos-app screenshots docs/screenshots

clean:
	rm -rf $(VENV) .mypy_cache .pytest_cache .ruff_cache .hypothesis *.egg-info
