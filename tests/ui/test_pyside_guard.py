"""The guard against PySide6 6.12.0's lost references to None and True (on CPython
3.11 they would be freed after a few hundred emits and abort the till)."""

from __future__ import annotations

import sys

from PySide6.QtCore import QObject, Signal

from pos_app.ui.pyside_guard import guard_bool_refcounts


class Pinger(QObject):
    ping = Signal(int)


def test_many_emits_and_void_calls_leave_none_and_true_alive() -> None:
    """After the guard (a no-op on a sound PySide6), thousands of emits and void calls
    leave None and True with plenty of references."""
    guard_bool_refcounts()
    pinger = Pinger()
    for i in range(5000):
        pinger.ping.emit(i)
        pinger.setObjectName("pinger")
    assert sys.getrefcount(True) > 100
    assert sys.getrefcount(None) > 100
