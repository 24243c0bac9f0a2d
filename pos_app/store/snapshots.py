"""A snapshot download's bookkeeping (S16): which records it sent, and the sweep at its end.

A till that starts from a snapshot (a new till, or one whose cursor fell behind the
back office's retention window) may hold records the back office deleted meanwhile;
the snapshot sends no tombstones for them. Each snapshot page notes the records it
holds (in the page's transaction); the last page removes every synced record the
snapshot did not note, so the till ends with exactly the back office's records.
"""

from __future__ import annotations

from collections.abc import Mapping, Sequence

from sqlalchemy import delete, select
from sqlalchemy.dialects.sqlite import insert as sqlite_insert
from sqlalchemy.orm import Session

from pos_app.store.changes import record_tables
from pos_app.store.models.staff import StaffMember
from pos_app.store.models.sync_state import SnapshotKey
from pos_app.store.staff_records import LOCAL


def begin_snapshot(session: Session) -> None:
    """Forget what an unfinished snapshot noted: a new one starts."""
    session.execute(delete(SnapshotKey))


def note_records(session: Session, records: Sequence[object]) -> None:
    """Note the (kind, id) of every record of a snapshot page, applied or kept aside."""
    keys = {
        (str(record["kind"]), str(record["id"]))
        for record in records
        if isinstance(record, Mapping) and "kind" in record and "id" in record
    }
    if keys:
        session.execute(
            sqlite_insert(SnapshotKey).on_conflict_do_nothing(),
            [{"kind": kind, "record_id": record_id} for kind, record_id in sorted(keys)],
        )


def finish_snapshot(session: Session) -> int:
    """Remove every synced record the snapshot did not send (staff added at this till
    stay: they are this till's own); how many were removed."""
    removed = 0
    for kind, model in record_tables().items():
        (key,) = model.__table__.primary_key.columns
        sent = select(SnapshotKey.record_id).where(SnapshotKey.kind == kind)
        unsent = delete(model).where(key.not_in(sent))
        if model is StaffMember:  # people added at this till were never the back office's
            unsent = unsent.where(StaffMember.source != LOCAL)
        result = session.execute(unsent)
        removed += int(getattr(result, "rowcount", 0) or 0)
    session.execute(delete(SnapshotKey))
    return removed
