"""Assembling the till application over an open data directory: QApplication, the op
runners, the controllers, the sync link and the main window. Opening the data
directory is the wiring's (:mod:`pos_app.cli.window` does both).
"""

from __future__ import annotations

import logging
import os
import sys
from dataclasses import dataclass

from PySide6.QtCore import QTimer
from PySide6.QtWidgets import QApplication
from shiboken6 import isValid

from pos_app.till.runtime import TillRuntime
from pos_app.till.till import keep_out_of_gc_scans
from pos_app.ui.controllers.till_controllers import TillControllers, build_controllers
from pos_app.ui.keyboard import TouchInput
from pos_app.ui.main_window import MainWindow
from pos_app.ui.ops import OpRunner
from pos_app.ui.pyside_guard import guard_bool_refcounts
from pos_app.ui.sync_link import SyncLink

log = logging.getLogger(__name__)


@dataclass
class TillApp:
    """The running till screen of one data directory. :meth:`close` stops sync, waits
    for background work and closes the database. Main thread only."""

    runtime: TillRuntime
    ops: OpRunner
    print_ops: OpRunner
    controllers: TillControllers
    sync: SyncLink
    window: MainWindow
    touch: TouchInput

    def close(self) -> None:
        self.sync.stop()
        application = QApplication.instance()
        if application is not None and isValid(self.touch):
            application.removeEventFilter(self.touch)
        if isValid(self.window):  # a test harness may have deleted it already
            self.window.close()
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


# How often the window asks whether the timed backup is due (backup.json sets the due).
BACKUP_CHECK_MS = 60_000


def assemble_till_app(runtime: TillRuntime, sync: SyncLink, *, start_sync: bool = True) -> TillApp:
    """Build the window over an open ``runtime`` and start loading the ticket; on failure
    the runtime is closed. Needs a QApplication."""
    keep_out_of_gc_scans()  # the loaded price book: no GC stall mid-recalculation
    try:
        ops = OpRunner("till-ops")
        print_ops = OpRunner("print-ops")
        controllers = build_controllers(runtime, ops, print_ops)
        window = MainWindow(controllers, sync)
        touch = TouchInput(window)
        application = QApplication.instance()
        if application is not None:
            application.installEventFilter(touch)
        window.touch = touch
    except BaseException:
        runtime.close()
        raise
    controllers.start()
    if start_sync:
        sync.start()
        backups = QTimer(window)  # timed backups, enrolled or not (the window owns it)
        backups.setInterval(BACKUP_CHECK_MS)
        backups.timeout.connect(controllers.devices.back_up_if_due)
        backups.start()
    return TillApp(runtime, ops, print_ops, controllers, sync, window, touch)
