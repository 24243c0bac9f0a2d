"""UI benchmark: a tap on a product button to the ticket view repainted with the new
line, on a ticket that already has 100 lines. Runs offscreen.

    .venv/bin/python bench/ui.py [--taps 100] [--lines 100]

Each tap is a real QTest mouse click on a product button. The time runs until the
ticket view's viewport has painted after its model gained the row (the till op on the
worker thread, the result's trip back to the main thread, the model update, the
repaint). Between taps the benchmark waits for the screen to go idle (the buttons'
live refresh included), as a cashier's taps are that far apart. Prints p50 and p99, and
the parts: the till op on its thread and the UI thread's own share.
"""

from __future__ import annotations

import argparse
import os
import statistics
import sys
import tempfile
import time
from pathlib import Path

os.environ.setdefault("QT_QPA_PLATFORM", "offscreen")
sys.path.insert(0, str(Path(__file__).resolve().parents[1]))

from PySide6.QtCore import QEventLoop, QObject, Qt, QTimer
from PySide6.QtTest import QTest
from PySide6.QtWidgets import QPushButton

from pos_app.cli.window import open_till_app
from pos_app.engine import AddItem
from pos_app.till.commands import TillCommand
from pos_app.till.manager import CASHIER, Actor
from pos_app.till.till import TicketChange
from pos_app.ui.app import TillApp, ensure_application
from pos_app.ui.driver import settle, wait_for
from pos_app.wiring import open_till

SKUS = ("BURGER", "FRIES", "SOUP", "TEA", "LATTE", "CAKE", "SALAD", "WRAP", "COOKIE", "WINE")
TAP_SKU = "ONIONRINGS"
TIMEOUT_MS = 10_000


class RepaintWatch(QObject):
    """Ends a wait when the ticket view paints after its model gained a row."""

    def __init__(self, app: TillApp) -> None:
        super().__init__()
        self.view = app.window.ticket.ticket_view
        self.model = self.view.ticket_model
        self.loop: QEventLoop | None = None
        self.rows_at = 0.0
        self.painted_at = 0.0
        self.model.rowsInserted.connect(self._rows_inserted)
        self.view.repainted.connect(self._repainted)

    def _rows_inserted(self) -> None:
        self.rows_at = time.perf_counter()

    def _repainted(self) -> None:
        if self.rows_at and not self.painted_at:
            self.painted_at = time.perf_counter()
            if self.loop is not None:
                self.loop.quit()  # exec() returns once this paint is done

    def tap(self, button: QPushButton) -> tuple[float, float]:
        """Click, wait for the repaint; returns (start, repainted) perf_counter times."""
        self.rows_at = self.painted_at = 0.0
        self.loop = QEventLoop()
        timeout = QTimer()
        timeout.setSingleShot(True)
        timeout.timeout.connect(self.loop.quit)
        timeout.start(TIMEOUT_MS)
        start = time.perf_counter()
        QTest.mouseClick(button, Qt.MouseButton.LeftButton)
        if not self.painted_at:
            self.loop.exec()
        timeout.stop()
        self.loop = None
        if not self.painted_at:
            raise RuntimeError(f"no repaint within {TIMEOUT_MS} ms of the tap")
        return start, self.painted_at


def percentile(values: list[float], p: float) -> float:
    ordered = sorted(values)
    index = min(len(ordered) - 1, max(0, round(p / 100 * (len(ordered) - 1))))
    return ordered[index]


def run(taps: int, lines: int, size: tuple[int, int]) -> int:
    ensure_application()
    with tempfile.TemporaryDirectory(prefix="pos-app-bench-") as scratch:
        data_dir = Path(scratch) / "till"
        runtime = open_till(data_dir)  # the 100-line ticket, rung up before the screen
        try:
            for i in range(lines):
                runtime.till.handle(AddItem(f"B{i + 1}", SKUS[i % len(SKUS)]))
        finally:
            runtime.close()
        app = open_till_app(data_dir, start_sync=False)
        try:
            return measure(app, taps, lines, size)
        finally:
            app.close()


def measure(app: TillApp, taps: int, lines: int, size: tuple[int, int]) -> int:
    window = app.window
    window.resize(*size)
    window.show()
    wait_for(lambda: app.controllers.ticket.change is not None, "the ticket to load")
    settle(app.ops, app.print_ops)
    assert window.ticket.ticket_view.ticket_model.rowCount() == lines
    add_ops: list[float] = []  # Till.handle on the op thread: engine + database
    till = app.runtime.till
    handle = till.handle

    def timed_handle(command: TillCommand, actor: Actor = CASHIER) -> TicketChange:
        started = time.perf_counter()
        try:
            return handle(command, actor)
        finally:
            add_ops.append((time.perf_counter() - started) * 1000)

    till.handle = timed_handle  # type: ignore[method-assign]
    # The UI thread's share of an update: from the first signal of the command's result
    # (``succeeded``) to the end of the last screen's redraw from ``changed`` (this
    # marker is connected after every panel's slot).
    ticket = app.controllers.ticket
    ui_seconds: list[float] = []
    delivered: list[float] = []
    ticket.succeeded.connect(lambda _outcome: delivered.append(time.perf_counter()))

    def redrawn(_change: object) -> None:
        if delivered:
            ui_seconds.append(time.perf_counter() - delivered.pop())

    ticket.changed.connect(redrawn)
    watch = RepaintWatch(app)
    button = window.ring_up.products.show_product(TAP_SKU)
    settle(app.ops)
    results: list[float] = []
    for _ in range(taps):
        start, repainted = watch.tap(button)
        results.append((repainted - start) * 1000)
        settle(app.ops)  # the live button refresh; a cashier's next tap comes later
    rows = window.ticket.ticket_view.ticket_model.rowCount()
    assert rows == lines + taps, rows
    ui_ms = [s * 1000 for s in ui_seconds]
    print(f"UI bench: tap on a product → ticket repainted, {lines}-line ticket, {taps} taps,")
    print(f"  window {size[0]}x{size[1]}, Qt platform {os.environ['QT_QPA_PLATFORM']}")
    print(
        f"  tap → repainted ticket   p50 {percentile(results, 50):6.1f} ms"
        f"   p99 {percentile(results, 99):6.1f} ms   max {max(results):6.1f} ms"
    )
    print(
        f"  till op (worker thread)  p50 {percentile(add_ops, 50):6.1f} ms"
        f"   p99 {percentile(add_ops, 99):6.1f} ms"
    )
    print(
        f"  UI thread per update     p50 {percentile(ui_ms, 50):6.1f} ms"
        f"   p99 {percentile(ui_ms, 99):6.1f} ms   mean {statistics.fmean(ui_ms):.1f} ms"
    )
    return 0


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0] if __doc__ else None)
    parser.add_argument("--taps", type=int, default=100)
    parser.add_argument("--lines", type=int, default=100)
    parser.add_argument("--size", default="1024x768", help="window size, WxH")
    args = parser.parse_args(argv)
    width, height = (int(x) for x in args.size.lower().split("x"))
    return run(args.taps, args.lines, (width, height))


if __name__ == "__main__":
    sys.exit(main())
