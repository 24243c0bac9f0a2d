"""Records and the change log the tills page through (S7): put, delete, read by cursor.

Every change appends a :class:`ChangeLogEntry` whose ``seq`` is the cursor.
Writers take the change-log lock first (a transaction-scoped advisory lock on
PostgreSQL; SQLite's ``BEGIN IMMEDIATE`` already serialises writers), so
entries commit in ``seq`` order and a device that has read up to ``seq`` N
never later finds an entry below N appear. Moving a record to another store
writes a tombstone for the old store's devices first.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime
from typing import Any

from sqlalchemy import or_, select, text
from sqlalchemy.orm import Session

from backoffice.models.records import ChangeLogEntry, Record
from pos_app.protocol.records import RECORD_VERSION

CHANGE_LOG_LOCK_KEY = 0x5053_0001  # an arbitrary, fixed pg_advisory_xact_lock key
MAX_PAGE_SIZE = 1000


class RecordNotFound(LookupError):
    """No record of that kind and id exists."""


class BadCursor(ValueError):
    """A cursor this server never issued."""


@dataclass(frozen=True)
class RecordState:
    """A record as the admin API shows it."""

    kind: str
    id: str
    store_id: str | None
    version: int
    revision: int
    deleted: bool
    data: dict[str, Any]
    seq: int
    archived_at: datetime | None = None

    @classmethod
    def of(cls, record: Record) -> RecordState:
        return cls(
            kind=record.kind,
            id=record.record_id,
            store_id=record.store_id,
            version=record.version,
            revision=record.revision,
            deleted=record.deleted,
            data=dict(record.data),
            seq=record.last_seq,
            archived_at=record.archived_at,
        )


@dataclass(frozen=True)
class ChangePage:
    """One page of changes for a device: records in change order, the next cursor."""

    records: list[dict[str, Any]]
    cursor: str
    has_more: bool


def lock_change_log(session: Session) -> None:
    """Serialise change-log writers until this transaction ends."""
    if session.get_bind().dialect.name == "postgresql":
        session.execute(text("SELECT pg_advisory_xact_lock(:key)"), {"key": CHANGE_LOG_LOCK_KEY})


def find_record(
    session: Session, kind: str, record_id: str, *, fresh: bool = False
) -> Record | None:
    """The record of ``kind`` and ``record_id``, deleted or not; ``fresh`` reloads it."""
    return session.get(Record, (kind, record_id), populate_existing=fresh)


def record_is_live(session: Session, kind: str, record_id: str) -> bool:
    """Whether a record of ``kind`` and ``record_id`` exists and is not deleted."""
    record = find_record(session, kind, record_id)
    return record is not None and not record.deleted


def put_record(
    session: Session,
    kind: str,
    record_id: str,
    data: dict[str, Any],
    *,
    store_id: str | None,
    now: datetime,
    actor: str,
) -> tuple[RecordState, bool]:
    """Create or replace a record; returns its state and whether it was created.

    Putting the same data in the same scope again changes nothing and logs nothing.
    """
    lock_change_log(session)
    record = find_record(session, kind, record_id, fresh=True)
    if record is None:
        entry = _append(session, kind, record_id, store_id, data, now=now, actor=actor)
        record = Record(
            kind=kind,
            record_id=record_id,
            store_id=store_id,
            version=RECORD_VERSION,
            revision=1,
            data=data,
            deleted=False,
            last_seq=entry.seq,
            updated_at=now,
        )
        session.add(record)
        return RecordState.of(record), True
    if not record.deleted and record.store_id == store_id and record.data == data:
        return RecordState.of(record), False
    if not record.deleted and record.store_id != store_id:
        _append(session, kind, record_id, record.store_id, None, now=now, actor=actor)
    entry = _append(session, kind, record_id, store_id, data, now=now, actor=actor)
    created = record.deleted
    record.store_id = store_id
    record.version = RECORD_VERSION
    record.revision += 1
    record.data = data
    record.deleted = False
    record.archived_at = None  # saved again: back in use
    record.archived_by = None
    record.last_seq = entry.seq
    record.updated_at = now
    return RecordState.of(record), created


def delete_record(
    session: Session, kind: str, record_id: str, *, now: datetime, actor: str
) -> RecordState:
    """Delete (or archive) a record: its devices get a tombstone. Deleting twice is a no-op."""
    lock_change_log(session)
    record = find_record(session, kind, record_id, fresh=True)
    if record is None:
        raise RecordNotFound(f"no {kind} {record_id!r}")
    if record.deleted:
        return RecordState.of(record)
    entry = _append(session, kind, record_id, record.store_id, None, now=now, actor=actor)
    record.deleted = True
    record.revision += 1
    record.last_seq = entry.seq
    record.updated_at = now
    return RecordState.of(record)


def _append(
    session: Session,
    kind: str,
    record_id: str,
    store_id: str | None,
    data: dict[str, Any] | None,
    *,
    now: datetime,
    actor: str,
) -> ChangeLogEntry:
    entry = ChangeLogEntry(
        kind=kind,
        record_id=record_id,
        store_id=store_id,
        version=RECORD_VERSION,
        deleted=data is None,
        data={} if data is None else data,
        changed_at=now,
        changed_by=actor,
    )
    session.add(entry)
    session.flush()
    return entry


def parse_cursor(cursor: str | None) -> int:
    """The change-log position a cursor names; missing or ``""`` is the start."""
    if cursor is None or cursor == "":
        return 0
    if not cursor.isascii() or not cursor.isdigit():
        raise BadCursor(f"cursor {cursor!r} was not issued by this server")
    return int(cursor)


def read_changes(session: Session, store_id: str, after: int, limit: int) -> ChangePage:
    """Up to ``limit`` changes after ``after`` that concern ``store_id`` (its own or chain-wide)."""
    limit = max(1, min(limit, MAX_PAGE_SIZE))
    rows = session.scalars(
        select(ChangeLogEntry)
        .where(
            ChangeLogEntry.seq > after,
            or_(ChangeLogEntry.store_id.is_(None), ChangeLogEntry.store_id == store_id),
        )
        .order_by(ChangeLogEntry.seq)
        .limit(limit + 1)
    ).all()
    page = rows[:limit]
    return ChangePage(
        records=[
            {
                "kind": entry.kind,
                "version": entry.version,
                "id": entry.record_id,
                "deleted": entry.deleted,
                "data": entry.data,
            }
            for entry in page
        ],
        cursor=str(page[-1].seq if page else after),
        has_more=len(rows) > limit,
    )
