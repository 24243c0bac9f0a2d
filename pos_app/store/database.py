"""Building a SQLAlchemy engine on the till's SQLite file, with its pragmas, and the
plain statements of the hot paths.

Every connection gets ``journal_mode=WAL``, ``foreign_keys=ON``, a busy timeout and
``synchronous=FULL`` (S1: a commit that closes a ticket or redeems a coupon reaches
the disk before it returns; FULL is kept for every commit: in WAL mode it costs one
fsync of the log per commit, which is cheap at a till's write rate, and it means no
commit ever needs to know whether it is one of those). Transactions start with
``BEGIN IMMEDIATE``: the till and its sync daemon write from different threads, and
taking the write lock up front means a transaction never finds, half-way, that
another one wrote under it.

Every transaction is a :class:`~pos_app.store.unit_of_work.UnitOfWork`. Hot paths
(closing a ticket, saving the open ticket, outbox events, sync batches) run their few
statements straight on its sqlite3 connection (:class:`DirectStatement`): SQLAlchemy's
per-statement and per-session costs are many times SQLite's own work for a till-sized
write.

Only :mod:`pos_app.wiring` builds engines; nothing here runs at import time.
"""

from __future__ import annotations

from collections.abc import Iterable, Sequence
from pathlib import Path
from typing import Any, Protocol

from sqlalchemy import Engine, create_engine, event
from sqlalchemy.dialects.sqlite.pysqlite import SQLiteDialect_pysqlite
from sqlalchemy.engine import Connection
from sqlalchemy.orm import Session, sessionmaker
from sqlalchemy.pool import PoolProxiedConnection
from sqlalchemy.types import TypeEngine

DATABASE_FILE = "till.sqlite3"
BUSY_TIMEOUT_MS = 5000
# The dialect of every till engine: the bind processing of :class:`DirectStatement`.
_DIALECT = SQLiteDialect_pysqlite()


def database_path(data_dir: Path) -> Path:
    """Where a data directory keeps the till's database."""
    return data_dir / DATABASE_FILE


def create_till_engine(path: Path) -> Engine:
    """An engine on the SQLite file at ``path`` with the till's pragmas on every
    connection and real (immediate) transactions."""
    engine = create_engine(f"sqlite:///{path}")
    event.listen(engine, "connect", _on_connect)
    event.listen(engine, "begin", _on_begin)
    return engine


def create_session_factory(engine: Engine) -> sessionmaker[Session]:
    """Sessions on ``engine``; objects stay readable after commit."""
    return sessionmaker(engine, expire_on_commit=False)


def engine_of(sessions: sessionmaker[Session]) -> Engine:
    """The engine a session factory binds its sessions to."""
    bind = sessions.kw.get("bind")
    if not isinstance(bind, Engine):
        raise TypeError("the session factory is not bound to an engine")
    return bind


def begin_on_driver(engine: Engine) -> tuple[PoolProxiedConnection, Any]:
    """A pooled connection of ``engine`` and its sqlite3 connection, in a write
    transaction (``BEGIN IMMEDIATE``) begun without an ORM session: the caller commits
    or rolls back on the sqlite3 connection, then closes the pooled one (back to the
    pool, which rolls back anything left open)."""
    pooled = engine.raw_connection()
    try:
        connection = _driver(pooled)
        connection.execute("BEGIN IMMEDIATE")
    except BaseException:
        pooled.close()
        raise
    return pooled, connection


def session_driver(session: Session) -> Any:
    """The sqlite3 connection under ``session``'s transaction (begun if it was not).
    Statements run on it belong to that transaction: they commit or roll back with
    the session. The session's pending objects are not flushed first."""
    return _driver(session.connection().connection)


class Transaction(Protocol):
    """What a repository reads and writes in: one transaction's sqlite3 connection
    (plain statements) and its ORM session (see
    :class:`~pos_app.store.unit_of_work.UnitOfWork`)."""

    @property
    def connection(self) -> Any: ...

    @property
    def session(self) -> Session: ...


class DirectStatement:
    """A statement run on the sqlite3 connection of a unit of work's transaction, with
    ``?`` parameters. Each parameter goes through the
    bind processing of the type given for it (Money, Instant, Boolean ...; None: as is),
    so values are stored exactly as the ORM would store them."""

    def __init__(self, sql: str, types: Sequence[TypeEngine[Any] | None]) -> None:
        self.sql = sql
        self._width = len(types)
        self._processors = tuple(
            (i, processor)
            for i, t in enumerate(types)
            if t is not None and (processor := t.bind_processor(_DIALECT)) is not None
        )

    @classmethod
    def insert(cls, model: Any, columns: Sequence[str]) -> DirectStatement:
        """``INSERT INTO <model's table> (<columns>) VALUES (?, ...)``."""
        table = model.__table__
        return cls(
            f"INSERT INTO {table.name} ({', '.join(columns)}) "
            f"VALUES ({', '.join('?' * len(columns))})",
            [table.c[name].type for name in columns],
        )

    def execute(self, connection: Any, params: Sequence[Any] = ()) -> Any:
        """Run once on the sqlite3 ``connection``; returns the cursor (fetch all it
        returns)."""
        return connection.execute(self.sql, self._bind(params))

    def execute_many(self, connection: Any, rows: Iterable[Sequence[Any]]) -> int:
        """Run once per row of parameters; returns how many rows were changed."""
        bound = [self._bind(row) for row in rows]
        if not bound:
            return 0
        return int(connection.executemany(self.sql, bound).rowcount)

    def _bind(self, params: Sequence[Any]) -> Sequence[Any]:
        if len(params) != self._width:
            raise ValueError(f"{self.sql}: {len(params)} parameters for {self._width}")
        if not self._processors:
            return params
        values = list(params)
        for i, processor in self._processors:
            values[i] = processor(values[i])
        return values


def _on_connect(dbapi_connection: Any, _record: Any) -> None:
    # Let SQLAlchemy's "begin" event issue BEGIN itself (pysqlite's own transaction
    # handling would start transactions late and skip SELECTs).
    dbapi_connection.isolation_level = None
    cursor = dbapi_connection.cursor()
    try:
        cursor.execute("PRAGMA journal_mode=WAL")
        cursor.execute("PRAGMA foreign_keys=ON")
        cursor.execute(f"PRAGMA busy_timeout={BUSY_TIMEOUT_MS}")
        cursor.execute("PRAGMA synchronous=FULL")
    finally:
        cursor.close()


def _on_begin(connection: Connection) -> None:
    # Straight on the driver: the same statement as exec_driver_sql, without
    # SQLAlchemy's statement machinery on every transaction.
    _driver(connection.connection).execute("BEGIN IMMEDIATE")


def _driver(pooled: PoolProxiedConnection) -> Any:
    driver = pooled.driver_connection
    if driver is None:
        raise RuntimeError("the pooled connection is closed")
    return driver
