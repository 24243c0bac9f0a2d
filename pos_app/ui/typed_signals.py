"""Qt signals that say what they carry.

PySide6 passes any Python object through ``Signal(SomeClass)`` as a ``PyObject`` and
forgets the class: nothing checks a payload against it. :func:`typed_signal` makes the
same signal and remembers the class, so :func:`declared_signals` can list each signal
of a controller with its payload type (the tests check every payload emitted against
it, and that no controller signal is left untyped).
"""

from __future__ import annotations

from PySide6.QtCore import QObject, Signal

_PAYLOADS: dict[int, type] = {}  # id() of a class-level Signal -> its payload type


def typed_signal(payload: type) -> Signal:
    """``Signal(payload)`` (one argument, an instance of ``payload``), remembered."""
    signal = Signal(payload)
    _PAYLOADS[id(signal)] = payload  # class attributes: alive as long as their class
    return signal


def declared_signals(owner: type[QObject]) -> dict[str, type | None]:
    """Every signal ``owner`` and its bases declare (Qt's own left out), by name: its
    payload type, or None for a signal not made by :func:`typed_signal`."""
    found: dict[str, type | None] = {}
    for klass in reversed(owner.__mro__):
        if klass.__module__.startswith(("PySide6", "shiboken6", "builtins")):
            continue
        for name, value in vars(klass).items():
            if isinstance(value, Signal):
                found[name] = _PAYLOADS.get(id(value))
    return found
