"""Fixtures for the till screen: a real Till on a demo-store data directory (through
pos_app.wiring, as the app builds it), the window registered with qtbot and shown
offscreen, and helpers that wait on the op runners' signals.

Every test here fails on a Qt warning (qutebrowser's habit); the offscreen platform's
"propagateSizeHints" notice is the one message ignored.
"""

from __future__ import annotations

import contextlib
import socket
import threading
from collections.abc import Callable, Iterator
from pathlib import Path
from typing import Any

import pytest
from PySide6.QtCore import Qt
from PySide6.QtWidgets import QPushButton, QWidget
from pytestqt.qtbot import QtBot

from pos_app.cli.window import open_till_app
from pos_app.store.store_document import store_document_records
from pos_app.ui.app import TillApp
from pos_app.ui.ops import OpRunner
from pos_app.ui.pyside_guard import guard_bool_refcounts
from pos_app.wiring import open_till
from scripts.till_screenshots import GROUP_PURCHASE_FIVE, HALF_PRICE_BURGER
from tests.helpers.device_clock import FakeClock  # re-exported to test modules
from tests.helpers.live_backoffice import LiveBackOffice, running_backoffice
from tests.helpers.permissions import grant_cashiers

# PySide6 6.12.0 frees True after a few hundred emits on Python 3.11 (pyside_guard).
guard_bool_refcounts()

UI_DIR = Path(__file__).resolve().parent
OFFSCREEN_NOTICE = "This plugin does not support propagateSizeHints"


def pytest_collection_modifyitems(items: list[pytest.Item]) -> None:
    """Qt warnings fail the UI tests (qt_log_level_fail), bar the offscreen notice."""
    for item in items:
        if UI_DIR in Path(str(item.fspath)).parents:
            item.add_marker(pytest.mark.qt_log_level_fail("WARNING"))
            item.add_marker(pytest.mark.qt_log_ignore(OFFSCREEN_NOTICE))


def settle(qtbot: QtBot, *runners: OpRunner) -> None:
    """Wait until every runner has delivered all its results (its ``idle`` signal).

    ``idle`` is emitted on the main thread at the moment ``busy`` turns False, so a
    runner found busy here has not emitted it yet: no race, no polling.
    """
    while True:
        busy = [r for r in runners if r.busy]
        if not busy:
            return
        with qtbot.waitSignal(busy[0].idle, timeout=15_000):
            pass


class Screen:
    """The till app under test with shortcuts for the common steps."""

    def __init__(self, qtbot: QtBot, app: TillApp) -> None:
        self.qtbot = qtbot
        self.app = app
        self.window = app.window
        self.controllers = app.controllers
        self.ticket = app.controllers.ticket
        self.manager = app.controllers.manager
        self.devices = app.controllers.devices

    def settle(self) -> None:
        settle(self.qtbot, self.app.ops, self.app.print_ops)

    def click(self, button: QPushButton | QWidget) -> None:
        """A real mouse click on a visible, enabled widget, then wait for the ops."""
        assert button.isVisible(), f"{button} is not visible"
        self.qtbot.mouseClick(button, Qt.MouseButton.LeftButton)
        self.settle()

    def do(self, action: Callable[[], Any]) -> None:
        action()
        self.settle()

    def tap_product(self, sku: str, times: int = 1) -> None:
        for _ in range(times):
            self.click(self.window.ring_up.products.show_product(sku))

    def type_on_numpad(self, text: str) -> None:
        for ch in text:
            self.qtbot.mouseClick(self.window.ring_up.numpad.keys[ch], Qt.MouseButton.LeftButton)

    def line_ids(self) -> list[str]:
        return self.window.ticket.ticket_view.ticket_model.line_ids()

    def select_row(self, line_id: str) -> None:
        """Tap the line's row in the ticket view."""
        view = self.window.ticket.ticket_view
        rect = view.row_rect(line_id)
        self.qtbot.mouseClick(view.viewport(), Qt.MouseButton.LeftButton, pos=rect.center())
        self.settle()
        assert self.ticket.selected == line_id

    def scan(self, code: str) -> None:
        """A barcode scanner in keyboard-wedge mode: the code's keys, then Enter."""
        field = self.window.counter.coupon_entry.field
        self.qtbot.keyClicks(field, code)
        self.qtbot.keyClick(field, Qt.Key.Key_Return)
        self.settle()

    def line(self, line_id: str) -> Any:
        change = self.ticket.change
        assert change is not None
        line = change.priced.line(line_id)
        assert line is not None
        return line


def open_screen(
    qtbot: QtBot,
    data_dir: Path,
    clock: FakeClock,
    size: tuple[int, int],
    *,
    trusting: bool = True,
) -> Screen:
    """The till window at ``size``; ``trusting``: a manager has granted cashiers every
    guarded action (present, price, discount, void) first, through the till."""
    if trusting:
        runtime = open_till(data_dir, clock=clock)
        try:
            grant_cashiers(runtime.till)
        finally:
            runtime.close()
    app = open_till_app(data_dir, clock=clock, start_sync=False)
    qtbot.add_widget(app.window)
    screen = Screen(qtbot, app)
    app.window.resize(*size)
    app.window.show()
    screen.settle()
    return screen


@pytest.fixture
def screen(qtbot: QtBot, data_dir: Path, clock: FakeClock) -> Iterator[Screen]:
    """The till window at 1024×768 on a fresh demo-store data directory, loaded."""
    opened = open_screen(qtbot, data_dir, clock, (1024, 768))
    yield opened
    opened.settle()
    opened.app.close()


@pytest.fixture
def strict_screen(qtbot: QtBot, data_dir: Path, clock: FakeClock) -> Iterator[Screen]:
    """The till window at 1024×768 as a new till has it: no manager yet, and every
    guarded action needing one."""
    opened = open_screen(qtbot, data_dir, clock, (1024, 768), trusting=False)
    yield opened
    opened.settle()
    opened.app.close()


def add_entitlements(screen: Screen, entitlements: list[dict[str, Any]]) -> None:
    """Member coupons arriving as a sync page would, then the till re-reads them."""
    screen.app.runtime.sync_store.apply_changes_page(
        store_document_records({"entitlements": entitlements}), None
    )
    screen.do(screen.ticket.reload_configuration)


def add_half_price_burger(screen: Screen) -> None:
    """A 5.00 group purchase for a burger at half price (the screenshot's): it replaces
    a 6.00 promotion and raises the bill by 1.00 (R7, seed §5.1), so the till asks
    first. The promotion and the coupon arrive as a sync page would, then re-read."""
    doc = {"promotions": [HALF_PRICE_BURGER], "coupons": [GROUP_PURCHASE_FIVE]}
    screen.app.runtime.sync_store.apply_changes_page(store_document_records(doc), None)
    screen.do(screen.ticket.reload_configuration)


class PrinterServer:
    """A receipt printer on 127.0.0.1: accepts connections and keeps each one's bytes."""

    def __init__(self) -> None:
        self._sock = socket.create_server(("127.0.0.1", 0))
        self.port = int(self._sock.getsockname()[1])
        self.jobs: list[bytes] = []
        self._stopping = False
        self._lock = threading.Condition()
        self._thread = threading.Thread(target=self._serve, daemon=True)
        self._thread.start()

    def _serve(self) -> None:
        while True:
            try:
                conn, _ = self._sock.accept()
            except OSError:
                return
            if self._stopping:
                conn.close()
                return
            chunks = []
            with conn:
                while data := conn.recv(65536):
                    chunks.append(data)
            with self._lock:
                self.jobs.append(b"".join(chunks))
                self._lock.notify_all()

    def wait_for_jobs(self, count: int, timeout: float = 10.0) -> list[bytes]:
        """Block until ``count`` print jobs have arrived whole (the printer's side of
        the connection closed); AssertionError if not in time."""
        with self._lock:
            arrived = self._lock.wait_for(lambda: len(self.jobs) >= count, timeout)
            assert arrived, f"{len(self.jobs)} of {count} print jobs arrived"
            return list(self.jobs)

    def close(self) -> None:
        """Stop serving: wake the accepting thread with one last connection."""
        if self._thread.is_alive():
            self._stopping = True
            with contextlib.suppress(OSError):
                socket.create_connection(("127.0.0.1", self.port), timeout=1).close()
            self._thread.join(5)
        self._sock.close()


@pytest.fixture
def printer_server() -> Iterator[PrinterServer]:
    server = PrinterServer()
    yield server
    server.close()


@pytest.fixture
def backoffice(tmp_path: Path) -> Iterator[LiveBackOffice]:
    """A back office running on 127.0.0.1 with the demo chain (store DEMO-1)."""
    with running_backoffice(tmp_path / "backoffice") as office:
        yield office
