"""Driving the till screen from code (the smoke run, screenshots, the UI benchmark):
wait for a condition while Qt keeps processing events. Tests use pytest-qt instead."""

from __future__ import annotations

import time
from collections.abc import Callable

from PySide6.QtCore import QCoreApplication, QEventLoop

from pos_app.ui.ops import OpRunner


class DriveTimeout(RuntimeError):
    """A condition the script waited for did not come true in time (names it)."""


def wait_for(condition: Callable[[], bool], what: str, timeout: float = 15.0) -> None:
    """Process events until ``condition()`` holds; DriveTimeout naming ``what`` if not."""
    deadline = time.monotonic() + timeout
    while not condition():
        if time.monotonic() > deadline:
            raise DriveTimeout(f"timed out after {timeout:.0f} s waiting for {what}")
        QCoreApplication.processEvents(QEventLoop.ProcessEventsFlag.AllEvents, 20)
        if not condition():
            time.sleep(0.001)


def settle(*runners: OpRunner, timeout: float = 15.0) -> None:
    """Wait until every runner's queue is empty and its results are delivered."""
    wait_for(lambda: not any(r.busy for r in runners), "background ops to finish", timeout)
    QCoreApplication.processEvents()
