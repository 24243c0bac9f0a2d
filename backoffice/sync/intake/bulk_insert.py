"""Many rows in one statement, on PostgreSQL and SQLite (the intake's hot path, issue 10).

On PostgreSQL the rows travel as one JSON document and are inserted with
``INSERT ... SELECT ... FROM json_populate_recordset(NULL::table, :rows)``: one short
statement, parsed once, one parameter encoded by the C JSON encoder, whatever the
number of rows (a multi-row ``VALUES`` list would be a new, long statement for every
batch size, and ``executemany`` one execution per row). On SQLite, SQLAlchemy's
"insertmanyvalues" does the same job. The columns' own types prepare the values, so
a row goes in exactly as the ORM would write it.
"""

from __future__ import annotations

import json
from collections.abc import Callable, Mapping, Sequence
from datetime import date, datetime
from typing import Any

from sqlalchemy import Column, Connection, Row, text
from sqlalchemy.dialects import sqlite
from sqlalchemy.sql.schema import Table
from sqlalchemy.types import TypeDecorator, TypeEngine


def insert_rows(
    connection: Connection,
    table: Table,
    rows: Sequence[Mapping[str, Any]],
    *,
    ignore_conflicts: bool = False,
    returning: Sequence[Column[Any]] = (),
) -> list[Row[Any]]:
    """Insert ``rows`` (every row with the same keys); with ``ignore_conflicts`` a row
    that would break a unique constraint is skipped. Returns the ``returning`` columns
    of the rows inserted (in no particular order)."""
    if not rows:
        return []
    if connection.dialect.name == "postgresql":
        return _insert_recordset(connection, table, rows, ignore_conflicts, returning)
    statement: Any = sqlite.insert(table) if ignore_conflicts else table.insert()
    if ignore_conflicts:
        statement = statement.on_conflict_do_nothing()
    if returning:
        return list(connection.execute(statement.returning(*returning), list(rows)))
    connection.execute(statement, list(rows))
    return []


def _insert_recordset(
    connection: Connection,
    table: Table,
    rows: Sequence[Mapping[str, Any]],
    ignore_conflicts: bool,
    returning: Sequence[Column[Any]],
) -> list[Row[Any]]:
    dialect = connection.dialect
    quote = dialect.identifier_preparer.quote
    names = list(rows[0])
    prepare = {name: _preparer(table.c[name].type, dialect) for name in names}
    document = json.dumps(
        [{name: prepare[name](row[name]) for name in names} for row in rows],
        separators=(",", ":"),
    )
    columns = ", ".join(quote(name) for name in names)
    sql = (
        f"INSERT INTO {quote(table.name)} ({columns}) SELECT {columns}"
        f" FROM json_populate_recordset(NULL::{quote(table.name)}, CAST(:rows AS json))"
    )
    if ignore_conflicts:
        sql += " ON CONFLICT DO NOTHING"
    if returning:
        sql += " RETURNING " + ", ".join(quote(column.name) for column in returning)
        return list(connection.execute(text(sql), {"rows": document}))
    connection.execute(text(sql), {"rows": document})
    return []


def _preparer(column_type: TypeEngine[Any], dialect: Any) -> Callable[[Any], Any]:
    """How a value of the column goes into the JSON document: as the column's type binds
    it (a UTC instant, a money string), times as ISO text, JSON as itself."""
    if not isinstance(column_type, TypeDecorator):
        return _as_json_value
    bind = column_type.process_bind_param

    def prepare(value: Any) -> Any:
        return _as_json_value(bind(value, dialect))

    return prepare


def _as_json_value(value: Any) -> Any:
    return value.isoformat() if isinstance(value, datetime | date) else value
