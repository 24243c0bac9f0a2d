"""Removing a record an administrator no longer wants: deleted when nothing uses it (the
tills get a tombstone), archived when something does (:mod:`.record_uses`): then it
stays on the tills, so the packs, members' coupons, sales and tills that refer to it keep
working, and the back office marks it archived and says where it is used. Saving an
archived record again brings it back.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime

from sqlalchemy.orm import Session

from backoffice.chain.change_log import (
    RecordNotFound,
    RecordState,
    delete_record,
    find_record,
    lock_change_log,
)
from backoffice.chain.record_uses import uses_of


@dataclass(frozen=True)
class Removal:
    """What removing a record did: ``archived`` (with ``uses``) or deleted."""

    state: RecordState
    archived: bool
    uses: list[str]


def remove_record(
    session: Session, kind: str, record_id: str, *, now: datetime, actor: str
) -> Removal:
    """Delete the ``kind`` record ``record_id``, or archive it when something uses it."""
    lock_change_log(session)
    record = find_record(session, kind, record_id, fresh=True)
    if record is None:
        raise RecordNotFound(f"no {kind} {record_id!r}")
    uses = [] if record.deleted else uses_of(session, kind, record_id)
    if not uses:
        return Removal(delete_record(session, kind, record_id, now=now, actor=actor), False, [])
    if record.archived_at is None:
        record.archived_at = now
        record.archived_by = actor
    return Removal(RecordState.of(record), True, uses)
