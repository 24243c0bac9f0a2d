"""Building a SQLAlchemy engine on the till's SQLite file, with its pragmas.

Every connection gets ``journal_mode=WAL``, ``foreign_keys=ON``, a busy timeout and
``synchronous=FULL`` (S1: a commit that closes a ticket or redeems a coupon reaches
the disk before it returns; FULL is kept for every commit, which is simplest and cheap
at a till's write rate). Transactions start with ``BEGIN IMMEDIATE``: the till and its
sync daemon write from different threads, and taking the write lock up front means a
transaction never finds, half-way, that another one wrote under it.

Only :mod:`pos_app.wiring` calls these; nothing here runs at import time.
"""

from __future__ import annotations

from pathlib import Path
from typing import Any

from sqlalchemy import Engine, create_engine, event
from sqlalchemy.engine import Connection
from sqlalchemy.orm import Session, sessionmaker

DATABASE_FILE = "till.sqlite3"
BUSY_TIMEOUT_MS = 5000


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
    connection.exec_driver_sql("BEGIN IMMEDIATE")
