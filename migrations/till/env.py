"""Alembic environment of the till database.

The till runs migrations from code (:mod:`pos_app.store.migrate`), handing over its own
connection in ``config.attributes["connection"]`` so the till's pragmas apply. For a
developer's plain ``alembic`` run, ``sqlalchemy.url`` in the configuration is used.
"""

from __future__ import annotations

from typing import Any, Literal

from alembic import context
from sqlalchemy import create_engine
from sqlalchemy.engine import Connection

from pos_app.store._all_models import Base
from pos_app.store.column_types import INSTANT_LENGTH, MONEY_LENGTH, Instant, Money

target_metadata = Base.metadata


def render_item(type_: str, obj: Any, autogen_context: Any) -> str | Literal[False]:
    """Write the till's column types as the plain strings they are stored as, so
    migrations never import application code."""
    if type_ == "type" and isinstance(obj, Money):
        return f"sa.String(length={MONEY_LENGTH})"
    if type_ == "type" and isinstance(obj, Instant):
        return f"sa.String(length={INSTANT_LENGTH})"
    return False


def _run(connection: Connection) -> None:
    context.configure(
        connection=connection,
        target_metadata=target_metadata,
        render_as_batch=True,
        render_item=render_item,
        compare_type=True,
        transactional_ddl=True,
    )
    with context.begin_transaction():
        context.run_migrations()


def run_migrations_online() -> None:
    connection = context.config.attributes.get("connection")
    if connection is not None:
        _run(connection)
        return
    url = context.config.get_main_option("sqlalchemy.url")
    if not url:
        raise RuntimeError("set sqlalchemy.url or pass a connection to run migrations")
    engine = create_engine(url)
    with engine.begin() as own_connection:
        _run(own_connection)
    engine.dispose()


if context.is_offline_mode():
    raise RuntimeError("offline (SQL script) migrations are not supported for the till")
run_migrations_online()
