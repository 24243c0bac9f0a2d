"""A guard against a reference-count bug in PySide6 6.12.0 on CPython 3.11.

There, wrapped calls return ``None`` and ``True`` without taking a reference: every
``SignalInstance.emit()`` takes one reference away from ``True``, and every call of a
void method (``setText``, ``processEvents``, ``QTimer.singleShot``...) one away from
``None``. On CPython before 3.12 these are ordinary objects with a few hundred
(``True``) or a few thousand (``None``) references, so after minutes of use the
interpreter aborts with "bool_dealloc: deallocating True or False" or "none_dealloc".
PySide6 6.11.3 does not have the bug; CPython 3.12+ makes these objects immortal, so
there it is harmless. Pin ``PySide6-Essentials!=6.12.0`` (the project's venv runs
6.11.3); this guard is the safety net if 6.12.0 is installed anyway.

:func:`guard_bool_refcounts` probes the running PySide6 (it does not trust a version
number) and, only when calls are seen to lose references on CPython < 3.12, does what
3.12 does: it raises the reference counts of ``None``, ``True`` and ``False`` once by
2**40, so no realistic number of calls can bring them to zero. Call it once, before the
application starts (``pos_app.ui.app.ensure_application`` does).
"""

from __future__ import annotations

import ctypes
import logging
import sys

from PySide6.QtCore import QObject, Signal

log = logging.getLogger(__name__)

HEADROOM = 1 << 40
_PROBE_EMITS = 16
_guarded = False


def _pyside_version() -> str:
    import PySide6

    return str(PySide6.__version__)


class _Probe(QObject):
    ping = Signal(int)


def calls_lose_references() -> bool:
    """Whether ``emit()`` takes references away from ``True``, or a void method away
    from ``None``, in this PySide6 (the probe gives back what it took)."""
    probe = _Probe()
    before_true, before_none = sys.getrefcount(True), sys.getrefcount(None)
    for i in range(_PROBE_EMITS):
        probe.ping.emit(i)
        probe.setObjectName(f"probe-{i}")
    lost_true = before_true - sys.getrefcount(True)
    lost_none = before_none - sys.getrefcount(None)
    for value, lost in ((True, lost_true), (None, lost_none)):
        if lost > 0:
            _add_references(value, lost)
    return lost_true >= _PROBE_EMITS or lost_none >= _PROBE_EMITS


def _add_references(obj: object, count: int) -> None:
    # CPython (release build, < 3.12): ob_refcnt is the object's first field.
    ctypes.c_ssize_t.from_address(id(obj)).value += count


def guard_bool_refcounts() -> bool:
    """Make ``None``, ``True`` and ``False`` effectively immortal if, and only if, the
    running PySide6 loses references to them; returns whether it did."""
    global _guarded
    if _guarded:
        return True
    if sys.version_info >= (3, 12) or sys.implementation.name != "cpython":
        return False
    if hasattr(sys, "gettotalrefcount"):  # a debug build lays objects out differently
        return False
    if not calls_lose_references():
        return False
    for value in (None, True, False):
        _add_references(value, HEADROOM)
    _guarded = True
    log.warning(
        "PySide6 %s loses references to None/True on each call: None, True and False"
        " made immortal (install PySide6-Essentials 6.11.3 or a fixed release)",
        _pyside_version(),
    )
    return True
