"""The till's file (issue 18): a data directory that ever held a sale or an enrollment
never starts fresh, a damaged database is refused (never written), and every I/O
failure reads as one plain message naming the file.

The history marker (``till-history.json``) sits beside the database. It is written at
the till's first ticket number, at enrollment, and at any start that finds history in
the database. With the marker there, a missing or empty database is refused: the till
says which file and what to do (restore a backup with ``pos-app db restore``, or
rebuild from the back office with ``pos-app db recover``) instead of starting a fresh
demo till that would give its numbers again.

Before the database is opened for writing, ``PRAGMA quick_check`` reads it on a
read-only connection: a file with damaged pages, or one that is not a database, is
refused. :class:`TillFileError` carries the message; :func:`file_error_of` turns a
SQLite error (read-only, disk full, locked, I/O, damaged, wrong schema) into one.
"""

from __future__ import annotations

import json
import os
import sqlite3
from datetime import UTC, datetime
from pathlib import Path
from typing import Any

from sqlalchemy.exc import DBAPIError

HISTORY_MARKER = "till-history.json"

WHAT_TO_DO = (
    "restore a backup (`pos-app db restore` lists them), or rebuild what the back office"
    " holds (`pos-app db recover`)"
)


class TillFileError(Exception):
    """The till's database cannot be used as it is; the message names the file and what
    to do. Nothing was written."""

    def __init__(self, path: Path, message: str) -> None:
        super().__init__(message)
        self.path = path


def marker_path(database: Path) -> Path:
    """Where the history marker of ``database`` is kept: beside it."""
    return database.with_name(HISTORY_MARKER)


def mark_history(database: Path, why: str, now: datetime | None = None) -> None:
    """Write the history marker if it is not there yet (durably: written, synced,
    then renamed into place)."""
    marker = marker_path(database)
    if marker.exists() or not database.parent.is_dir():
        return
    moment = (now or datetime.now(UTC)).isoformat(timespec="seconds")
    body = {"database": database.name, "since": moment, "first": why}
    scratch = marker.with_name(marker.name + ".tmp")
    with scratch.open("w", encoding="utf-8") as handle:
        json.dump(body, handle)
        handle.flush()
        os.fsync(handle.fileno())
    os.replace(scratch, marker)


def mark_history_of(connection: Any, why: str) -> None:
    """:func:`mark_history` for the main database of the sqlite3 ``connection``."""
    for _, name, file in connection.execute("PRAGMA database_list").fetchall():
        if name == "main" and file:
            mark_history(Path(file), why)


def history_since(database: Path) -> str | None:
    """When the data directory first held a sale or an enrollment; None without one."""
    marker = marker_path(database)
    if not marker.exists():
        return None
    try:
        since = json.loads(marker.read_text(encoding="utf-8")).get("since")
    except (OSError, ValueError, AttributeError):
        since = None
    return str(since) if since else "an earlier day"


def check_database_file(database: Path) -> None:
    """Refuse ``database`` before it is opened for writing: missing or empty when the
    data directory has history, damaged (``PRAGMA quick_check``), or unreadable."""
    since = history_since(database)
    size = database.stat().st_size if database.exists() else None
    if since is not None and not size:
        state = "missing" if size is None else "empty"
        raise TillFileError(
            database,
            f"The till's database {database} is {state}, but this till has held sales or"
            f" been enrolled since {since[:10]}: it will not start fresh (its ticket"
            f" numbers would repeat). To go on, {WHAT_TO_DO}.",
        )
    if not size:
        return
    try:
        connection = sqlite3.connect(f"{database.as_uri()}?mode=ro", uri=True)
    except sqlite3.Error as exc:
        raise plain_error(database, exc) from None
    try:
        rows = connection.execute("PRAGMA quick_check").fetchall()
        has_device = connection.execute(
            "SELECT count(*) FROM sqlite_master WHERE type = 'table' AND name = 'device'"
        ).fetchone()[0]
    except sqlite3.Error as exc:
        raise plain_error(database, exc) from None
    finally:
        connection.close()
    if rows != [("ok",)]:
        found = "; ".join(str(row[0]) for row in rows[:3])
        raise TillFileError(database, _damaged(database, found))
    if since is not None and not has_device:
        raise TillFileError(
            database,
            f"The till's database {database} holds no till (no tables), but this till has"
            f" held sales or been enrolled since {since[:10]}: it will not start fresh."
            f" To go on, {WHAT_TO_DO}.",
        )


def _damaged(database: Path, found: str) -> str:
    return (
        f"The till's database {database} is damaged ({found}). The till does not write to"
        f" a damaged file. To go on, {WHAT_TO_DO}."
    )


def file_error_of(exc: BaseException, database: Path) -> TillFileError | None:
    """The plain :class:`TillFileError` for a SQLite error on ``database`` (raw or
    wrapped by SQLAlchemy); None for any other exception (a constraint, a bug)."""
    raw = exc.orig if isinstance(exc, DBAPIError) else exc
    if isinstance(raw, sqlite3.OperationalError | sqlite3.DatabaseError) and not isinstance(
        raw, sqlite3.IntegrityError | sqlite3.ProgrammingError | sqlite3.InterfaceError
    ):
        return plain_error(database, raw)
    return None


def plain_error(database: Path, exc: sqlite3.Error) -> TillFileError:
    """One sentence for a SQLite error on ``database``: what happened, that nothing
    was saved, and what to do."""
    said = str(exc).strip() or type(exc).__name__
    text = said.lower()
    if "readonly" in text or "read-only" in text:
        what = (
            f"The till cannot write to its database {database}: the file or its folder is"
            " read-only. Nothing was saved. Give the till write access to it, then try again."
        )
    elif "disk is full" in text or "database or disk is full" in text:
        what = (
            f"The disk holding the till's database {database} is full. Nothing was saved."
            " Free some space, then try again."
        )
    elif "locked" in text or "busy" in text:
        what = (
            f"The till's database {database} is locked by another program (a second till"
            " or sync process on the same folder?). Nothing was saved; try again in a moment."
        )
    elif "no such table" in text or "no such column" in text:
        what = (
            f"The till's database {database} does not have the layout this version of the"
            f" till expects ({said}). Run `pos-app db upgrade`, or {WHAT_TO_DO}."
        )
    elif "malformed" in text or "not a database" in text or "corrupt" in text:
        what = _damaged(database, said)
    else:
        what = (
            f"The till cannot read or write its database {database} ({said}). Nothing was"
            " saved. Check the disk and the file, then try again."
        )
    return TillFileError(database, what)
