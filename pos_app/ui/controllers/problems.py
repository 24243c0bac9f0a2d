"""What the person at the till must read when something is refused or fails: a stable
code and a message, worked out from an op's exception through one table."""

from __future__ import annotations

import logging
from collections.abc import Callable
from dataclasses import dataclass
from typing import Any

from pos_app.engine import Refusal
from pos_app.printing import PrinterError
from pos_app.store.backups import BackupError
from pos_app.store.till_file import TillFileError
from pos_app.till.back_office import ConnectRefused
from pos_app.till.errors import TillRefusal
from pos_app.ui.printer_settings import PrinterSettingsError

log = logging.getLogger(__name__)

INTERNAL = "INTERNAL"
NO_PRINTER = "NO_PRINTER"
NO_LINE = "NO_LINE"
INVALID = "INVALID"
BACKUP = "BACKUP"
DATABASE = "DATABASE"  # the till's database file failed (read-only, full, locked, damaged)
NOT_CONNECTED = "NOT_CONNECTED"


@dataclass(frozen=True)
class Problem:
    """Something the person at the till must read: a stable code and a message."""

    code: str
    message: str


def _refusal(exc: Refusal | TillRefusal) -> Problem:
    return Problem(exc.code.value, exc.message)


def _printer(exc: PrinterError) -> Problem:
    return Problem(exc.code, str(exc))


def _printer_settings(exc: PrinterSettingsError) -> Problem:
    return Problem("PRINTER_SETTINGS", str(exc))


def _database(exc: TillFileError) -> Problem:
    return Problem(DATABASE, str(exc))


def _backup(exc: BackupError) -> Problem:
    return Problem(BACKUP, f"The backup failed: {exc}")


def _not_connected(exc: ConnectRefused) -> Problem:
    return Problem(NOT_CONNECTED, str(exc))


# An exception class -> its problem; a subclass takes its nearest base's entry.
PROBLEMS: dict[type[BaseException], Callable[[Any], Problem]] = {
    Refusal: _refusal,
    TillRefusal: _refusal,
    PrinterError: _printer,
    PrinterSettingsError: _printer_settings,
    TillFileError: _database,
    BackupError: _backup,
    ConnectRefused: _not_connected,
}


def problem_of(exc: BaseException) -> Problem:
    """The cashier-facing form of an op's exception; anything unexpected is logged."""
    for kind in type(exc).__mro__:
        explain = PROBLEMS.get(kind)
        if explain is not None:
            return explain(exc)
    log.error("unexpected error in a till op", exc_info=(type(exc), exc, exc.__traceback__))
    return Problem(INTERNAL, f"Something went wrong ({type(exc).__name__}: {exc})")
