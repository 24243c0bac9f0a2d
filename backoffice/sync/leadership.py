"""Which server process runs the chores (S17): exactly one at a time.

On PostgreSQL the leader holds a session-level advisory lock on a connection of its
own; if the process dies, its connection closes and the lock is free for another
process at its next try. On SQLite the leader holds an exclusive ``flock`` on a lock
file beside the database (where there is no ``flock``, an SQLite back office is one
process and leads). Every other process tries again at each interval.
"""

from __future__ import annotations

import contextlib
import logging
import os
from pathlib import Path
from typing import IO

from sqlalchemy import Connection, text
from sqlalchemy.engine import make_url
from sqlalchemy.exc import DBAPIError

from backoffice.database import Database

try:  # POSIX file locks; elsewhere an SQLite back office runs as one process
    import fcntl
except ImportError:  # pragma: no cover - Windows
    fcntl = None  # type: ignore[assignment]

log = logging.getLogger(__name__)

CHORES_LOCK_KEY = 0x5053_0002  # an arbitrary, fixed pg_advisory_lock key


class Leadership:
    """Try to become (or stay) the one process that runs the chores. Not thread-safe:
    one thread (the chores thread) calls it."""

    def __init__(self, database: Database, key: int = CHORES_LOCK_KEY) -> None:
        self._database = database
        self._key = key
        self._connection: Connection | None = None
        self._lock_file: IO[bytes] | None = None

    @property
    def held(self) -> bool:
        return self._connection is not None or self._lock_file is not None

    def try_lead(self) -> bool:
        """Whether this process leads now (acquiring the lock if it is free)."""
        if self._database.dialect == "postgresql":
            return self._try_postgres()
        return self._try_file()

    def release(self) -> None:
        if self._connection is not None:
            # The connection goes back to the pool, its session going on: unlock first
            # (and, if that fails, drop the connection, which ends the session and the lock).
            try:
                self._connection.execute(
                    text("SELECT pg_advisory_unlock(:key)"), {"key": self._key}
                )
                self._connection.commit()
                with contextlib.suppress(DBAPIError):
                    self._connection.close()
                self._connection = None
            except DBAPIError:
                self._drop_connection()
        if self._lock_file is not None:
            self._lock_file.close()
            self._lock_file = None

    def _drop_connection(self) -> None:
        """Close the connection for good (not back to the pool): its session ends, and
        with it any lock it held."""
        if self._connection is not None:
            with contextlib.suppress(Exception):
                self._connection.invalidate()
                self._connection.close()
            self._connection = None

    def _try_postgres(self) -> bool:
        if self._connection is not None:
            try:
                self._connection.execute(text("SELECT 1"))
                self._connection.commit()
                return True
            except DBAPIError:
                log.warning("lost the connection that held the chores lock")
                self._drop_connection()
        connection = self._database.engine.connect()
        try:
            got = connection.scalar(text("SELECT pg_try_advisory_lock(:key)"), {"key": self._key})
            connection.commit()
        except DBAPIError:
            connection.close()
            return False
        if not got:
            connection.close()
            return False
        self._connection = connection
        log.info("this process (pid %s) runs the scheduler and the chores", os.getpid())
        return True

    def _try_file(self) -> bool:
        if self._lock_file is not None:
            return True
        database = make_url(self._database.url).database
        if not database or database == ":memory:" or database.startswith("file:") or not fcntl:
            self._lock_file = open(os.devnull, "rb")  # noqa: SIM115 - one process only
            return True
        path = Path(database).expanduser().with_name(Path(database).name + ".chores.lock")
        handle = open(path, "ab")  # noqa: SIM115 - held while this process leads
        try:
            fcntl.flock(handle.fileno(), fcntl.LOCK_EX | fcntl.LOCK_NB)
        except OSError:
            handle.close()
            return False
        self._lock_file = handle
        log.info("this process (pid %s) runs the scheduler and the chores", os.getpid())
        return True
