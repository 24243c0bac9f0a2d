"""Building and running the till application: QApplication, the till's pieces (through
:mod:`pos_app.wiring`, the one wiring module), the op runners, the controller, the
sync link and the main window.
"""

from __future__ import annotations

import logging
import os
import sys
from dataclasses import dataclass
from pathlib import Path

from PySide6.QtWidgets import QApplication

from pos_app.till.manager import ManagerAccess
from pos_app.till.till import Clock, keep_out_of_gc_scans, local_now
from pos_app.ui.main_window import MainWindow
from pos_app.ui.ops import OpRunner
from pos_app.ui.pyside_guard import guard_bool_refcounts
from pos_app.ui.sync_link import SyncLink
from pos_app.ui.till_controller import TillController
from pos_app.wiring import TillRuntime, open_till

log = logging.getLogger(__name__)

DEFAULT_SIZE = (1280, 800)


@dataclass
class TillApp:
    """The running till screen of one data directory. :meth:`close` stops sync, waits
    for background work and closes the database. Main thread only."""

    runtime: TillRuntime
    access: ManagerAccess
    ops: OpRunner
    print_ops: OpRunner
    controller: TillController
    sync: SyncLink
    window: MainWindow

    def close(self) -> None:
        self.window.close()
        self.sync.stop()
        self.ops.close()
        self.print_ops.close()
        self.runtime.close()


def ensure_application(
    argv: list[str] | None = None, *, offscreen_if_headless: bool = False
) -> QApplication:
    """The QApplication (made once). ``offscreen_if_headless``: with no display on Linux,
    render offscreen (checks and screenshots; never the real till window, which would
    then run unseen). Guards against PySide6 6.12.0's refcount bug first."""
    guard_bool_refcounts()
    existing = QApplication.instance()
    if isinstance(existing, QApplication):
        return existing
    if (
        offscreen_if_headless
        and sys.platform.startswith("linux")
        and not os.environ.get("DISPLAY")
        and not os.environ.get("WAYLAND_DISPLAY")
    ):
        os.environ.setdefault("QT_QPA_PLATFORM", "offscreen")
    app = QApplication(argv if argv is not None else [sys.argv[0] if sys.argv else "pos-app"])
    app.setApplicationName("pos-app")
    return app


def open_till_app(
    data_dir: Path,
    *,
    clock: Clock = local_now,
    start_sync: bool = True,
    load_demo: bool = True,
    sync: SyncLink | None = None,
) -> TillApp:
    """Open ``data_dir`` (migrating it, loading the demo store on first start), build
    the window and start loading the ticket. Needs a QApplication. ``sync``: a ready
    link to use instead of the data directory's own (tests)."""
    runtime = open_till(data_dir, clock=clock, load_demo=load_demo)
    keep_out_of_gc_scans()  # the loaded price book: no GC stall mid-recalculation
    try:
        access = ManagerAccess(runtime.sessions, runtime.clock)
        ops = OpRunner("till-ops")
        print_ops = OpRunner("print-ops")
        controller = TillController(runtime, access, ops, print_ops)
        sync = sync if sync is not None else SyncLink.open(runtime)
        window = MainWindow(controller, sync)
    except BaseException:
        runtime.close()
        raise
    controller.start()
    if start_sync:
        sync.start()
    return TillApp(runtime, access, ops, print_ops, controller, sync, window)


def run_window(data_dir: Path, *, full_screen: bool = False) -> int:
    """``pos-app``: the till window on ``data_dir`` until it is closed."""
    app = ensure_application()
    till_app = open_till_app(data_dir)
    try:
        window = till_app.window
        window.resize(*DEFAULT_SIZE)
        if full_screen:
            window.showFullScreen()
        else:
            window.show()
        return int(app.exec())
    finally:
        till_app.close()
