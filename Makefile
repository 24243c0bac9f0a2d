# Two commands for a new user: `make run` and `make test`. Both create .venv first.
PYTHON ?= python3
VENV := .venv
BIN := $(VENV)/bin
STAMP := $(VENV)/.installed-stamp
SCENARIOS ?= ../shared/scenarios/public

.PHONY: setup run test lint typecheck pytest browser scenarios bench bench-ui smoke screenshots clean
SUDO := $(shell [ "$$(id -u)" = 0 ] || echo sudo)

$(STAMP): pyproject.toml
	test -x $(BIN)/python || $(PYTHON) -m venv $(VENV)
	$(BIN)/python -m pip install --quiet --upgrade pip
	$(BIN)/python -m pip install --quiet -e '.[dev]'
	touch $(STAMP)

setup: $(STAMP)

run: setup
	$(BIN)/pos-app

lint: setup
	$(BIN)/ruff check pos_app backoffice tests bench scripts
	$(BIN)/ruff format --check pos_app backoffice tests bench scripts
	$(BIN)/lint-imports

typecheck: setup
	$(BIN)/mypy

# The admin pages' browser tests and screenshots drive Debian's chromium (Playwright
# launches it; it downloads no browser of its own).
browser:
	command -v chromium >/dev/null || ($(SUDO) apt-get update -qq && $(SUDO) apt-get install -y -qq chromium)

pytest: setup browser
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

screenshots: setup browser
	QT_QPA_PLATFORM=offscreen $(BIN)/pos-app screenshots docs/screenshots
	$(BIN)/python scripts/admin_screenshots.py docs/screenshots

clean:
	rm -rf $(VENV) .mypy_cache .pytest_cache .ruff_cache .hypothesis *.egg-info
