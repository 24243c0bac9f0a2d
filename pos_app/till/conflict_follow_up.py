"""A store manager's recorded follow-up of a sync conflict (S6): the conflict resolved,
audited and reported (``conflict.resolved``), in the caller's unit of work."""

from __future__ import annotations

from datetime import datetime

from pos_app.protocol.payloads import ConflictResolved
from pos_app.store.conflicts import ConflictView
from pos_app.store.unit_of_work import UnitOfWork
from pos_app.till.errors import TillCode, TillRefusal

CONFLICT_RESOLVED = "conflict.resolved"  # the audit-log action


def open_conflict(uow: UnitOfWork, conflict_key: str) -> ConflictView:
    """The conflict ``conflict_key``, still open; refused if unknown or resolved."""
    conflict = uow.conflicts.get(conflict_key)
    if conflict is None:
        raise TillRefusal(TillCode.UNKNOWN_CONFLICT, f"No conflict {conflict_key}")
    if conflict.resolved:
        raise TillRefusal(TillCode.ALREADY_RESOLVED, f"Conflict {conflict_key} is already resolved")
    return conflict


def record_follow_up(
    uow: UnitOfWork,
    conflict_key: str,
    resolution: str,
    note: str,
    *,
    manager: str,
    store_id: str,
    now: datetime,
) -> None:
    """Resolve the open conflict ``conflict_key`` with ``resolution``, audit it and queue
    ``conflict.resolved`` for the back office; the caller commits."""
    if not isinstance(resolution, str) or not resolution.strip():
        raise TillRefusal(TillCode.MANAGER_REQUIRED, "A resolution is required")
    conflict = open_conflict(uow, conflict_key)
    uow.conflicts.resolve(conflict_key, resolution, note, manager, now)
    uow.audit.record(
        now,
        manager,
        CONFLICT_RESOLVED,
        conflict_key,
        {"resolution": resolution, "note": note, "reason": conflict.reason},
    )
    uow.outbox.add(
        ConflictResolved(
            store_id=store_id,
            conflict_key=conflict_key,
            resolution=resolution,
            note=note,
            manager=manager,
        ),
        now,
    )
