# Two commands for a new user: `make run` and `make test`. Both create .venv first, from
# the committed lock file (uv.lock), exactly: a pinned uv (in .uv) runs `uv sync --locked`.
PYTHON ?= python3
UV_VERSION := 0.13.9
UV := .uv/bin/uv
VENV := .venv
BIN := $(VENV)/bin
STAMP := $(VENV)/.installed-stamp
SCENARIOS ?= ../shared/scenarios/public
export UV_PYTHON_DOWNLOADS := never

.PHONY: setup lock run test bundle lint typecheck pytest browser desktop-libs scenarios bench bench-ui soak smoke screenshots clean
SUDO := $(shell [ "$$(id -u)" = 0 ] || echo sudo)

$(UV):
	$(PYTHON) -m venv .uv
	.uv/bin/python -m pip install --quiet "uv==$(UV_VERSION)"

$(STAMP): uv.lock pyproject.toml packaging/*/pyproject.toml | $(UV)
	$(UV) sync --locked --python $(PYTHON)
	touch $(STAMP)

# After changing a dependency in a pyproject.toml: resolve again and commit uv.lock.
lock: | $(UV)
	$(UV) lock --python $(PYTHON)

setup: $(STAMP)

# Qt's xcb platform plugin (the till's window on an X server) loads these Debian
# libraries; a fresh Debian machine lacks some of them. `make run` installs what is
# missing, as `make test` does (tests/packaging/test_desktop_libs.py checks them).
QT_XCB_LIBS := libxcb-cursor0 libxcb-icccm4 libxcb-keysyms1 libxcb-image0 libxcb-randr0 \
	libxcb-render-util0 libxcb-shape0 libxcb-xinerama0 libxcb-xkb1 libxcb-xfixes0 \
	libxcb-sync1 libxcb-shm0 libxkbcommon-x11-0 libegl1 libgl1 libfontconfig1 libdbus-1-3

desktop-libs:
	@missing=$$(for lib in $(QT_XCB_LIBS); do dpkg -s $$lib >/dev/null 2>&1 || echo $$lib; done); \
	if [ -n "$$missing" ]; then \
		echo "installing Qt's window libraries:" $$missing; \
		$(SUDO) apt-get update -qq && $(SUDO) apt-get install -y -qq $$missing; \
	fi

run: setup desktop-libs
	$(BIN)/pos-app

lint: setup
	$(BIN)/ruff check pos_app backoffice migrations tests bench scripts packaging
	$(BIN)/ruff format --check pos_app backoffice migrations tests bench scripts packaging
	$(BIN)/lint-imports

typecheck: setup
	$(BIN)/mypy

# The admin pages' browser tests and screenshots drive Debian's chromium (Playwright
# launches it; it downloads no browser of its own).
browser:
	command -v chromium >/dev/null || ($(SUDO) apt-get update -qq && $(SUDO) apt-get install -y -qq chromium)

# Two workers (one per core here), a test file's tests on one worker: module fixtures
# (servers, the browser, the bundle) start once.
pytest: setup browser desktop-libs
	QT_QPA_PLATFORM=offscreen $(BIN)/pytest -n auto --dist loadfile

scenarios: setup
	@if [ -d $(SCENARIOS) ]; then $(BIN)/pos-app scenario check $(SCENARIOS)/*.json; \
	else echo "no scenarios at $(SCENARIOS)"; fi

test: lint typecheck pytest

# bench/intake.py and bench/bootstrap.py need the PostgreSQL server ($$POS_BACKOFFICE_TEST_PG).
bench: setup
	$(BIN)/python bench/engine.py
	$(BIN)/python bench/sync.py
	$(BIN)/python -m bench.intake
	$(BIN)/python -m bench.bootstrap

bench-ui: setup
	QT_QPA_PLATFORM=offscreen $(BIN)/python bench/ui.py

# The chain soak (minutes; not part of `make test`, which runs a one-day version):
# two back-office servers on PostgreSQL, three tills, random cashier and admin actions,
# kill -9 at random; prints the counts and every broken invariant. SOAK_DAYS=20 by default.
SOAK_DAYS ?= 20
SOAK_STEPS ?= 40
soak: setup
	$(BIN)/python -m tests.soak.soak_run --days $(SOAK_DAYS) --steps $(SOAK_STEPS)

# The till as a one-folder desktop application: dist/pos-app/pos-app (PyInstaller).
bundle: setup
	$(BIN)/pyinstaller --noconfirm --log-level WARN --distpath dist --workpath build/pyinstaller packaging/pos-app.spec
	QT_QPA_PLATFORM=offscreen dist/pos-app/pos-app --smoke

smoke: setup
	QT_QPA_PLATFORM=offscreen $(BIN)/pos-app --smoke

screenshots: setup browser
	QT_QPA_PLATFORM=offscreen $(BIN)/python scripts/till_screenshots.py docs/screenshots
	$(BIN)/python scripts/admin_screenshots.py docs/screenshots

clean:
	rm -rf $(VENV) .uv .mypy_cache .pytest_cache .ruff_cache .hypothesis build dist
