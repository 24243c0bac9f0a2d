"""Where the back office keeps its data: the database URL, the engine and sessions.

SQLite (the default, a file under the user data directory) and PostgreSQL are
both supported. On SQLite every transaction starts with ``BEGIN IMMEDIATE``, so
writers queue on the database lock instead of failing when a read turns into a
write, and savepoints behave as on PostgreSQL.
"""

from __future__ import annotations

import os
from pathlib import Path
from typing import Any

import platformdirs
from sqlalchemy import Engine, create_engine, event
from sqlalchemy.engine import URL, make_url
from sqlalchemy.orm import Session, sessionmaker
from sqlalchemy.pool import NullPool

APP_NAME = "pos-backoffice"
DATABASE_FILE = "backoffice.sqlite3"
DATABASE_URL_ENV = "POS_BACKOFFICE_DATABASE_URL"
SQLITE_BUSY_TIMEOUT_S = 30


def default_database_url() -> str:
    """``$POS_BACKOFFICE_DATABASE_URL``, else an SQLite file in the user data directory."""
    configured = os.environ.get(DATABASE_URL_ENV)
    if configured:
        return configured
    path = platformdirs.user_data_path(APP_NAME, appauthor=False) / DATABASE_FILE
    return f"sqlite:///{path}"


def create_database_engine(
    database_url: str, *, pooled: bool = True, pool_size: int | None = None
) -> Engine:
    """An engine for ``database_url``; SQLite gets WAL, foreign keys and immediate
    transactions. ``pool_size``: connections kept for a server's request threads."""
    url = make_url(database_url)
    options: dict[str, Any] = {} if pooled else {"poolclass": NullPool}
    if url.get_backend_name() != "sqlite":
        if pooled and pool_size is not None:
            options.update(pool_size=pool_size, max_overflow=4)
        return create_engine(url, pool_pre_ping=True, **options)
    _ensure_sqlite_directory(url)
    engine = create_engine(
        url,
        connect_args={"check_same_thread": False, "timeout": SQLITE_BUSY_TIMEOUT_S},
        **options,
    )

    @event.listens_for(engine, "connect")
    def _configure_sqlite(dbapi_connection: Any, _record: Any) -> None:
        dbapi_connection.isolation_level = None  # SQLAlchemy, not pysqlite, emits BEGIN
        cursor = dbapi_connection.cursor()
        cursor.execute("PRAGMA journal_mode=WAL")
        cursor.execute("PRAGMA synchronous=FULL")
        cursor.execute("PRAGMA foreign_keys=ON")
        cursor.execute(f"PRAGMA busy_timeout={SQLITE_BUSY_TIMEOUT_S * 1000}")
        cursor.close()

    @event.listens_for(engine, "begin")
    def _begin_immediate(connection: Any) -> None:
        connection.exec_driver_sql("BEGIN IMMEDIATE")

    return engine


def _ensure_sqlite_directory(url: URL) -> None:
    database = url.database
    if database and database != ":memory:" and not database.startswith("file:"):
        Path(database).expanduser().parent.mkdir(parents=True, exist_ok=True)


class Database:
    """An engine and its session factory; sessions keep loaded values after commit."""

    def __init__(self, database_url: str, *, pool_size: int | None = None) -> None:
        self.url = database_url
        self.engine = create_database_engine(database_url, pool_size=pool_size)
        self.sessions: sessionmaker[Session] = sessionmaker(self.engine, expire_on_commit=False)

    @property
    def dialect(self) -> str:
        return self.engine.dialect.name

    def dispose(self) -> None:
        self.engine.dispose()
