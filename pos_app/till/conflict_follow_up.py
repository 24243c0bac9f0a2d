"""A store manager's recorded follow-up of a sync conflict (S6): the conflict resolved,
audited and reported (``conflict.resolved``), in the caller's transaction."""

from __future__ import annotations

from datetime import datetime

from sqlalchemy import select
from sqlalchemy.orm import Session

from pos_app.protocol.events import EventType
from pos_app.store.audit_log import record_audit
from pos_app.store.models.outbox import Conflict
from pos_app.store.outbox import enqueue_event
from pos_app.till.errors import TillCode, TillRefusal

CONFLICT_RESOLVED = "conflict.resolved"  # the audit-log action


def open_conflict(session: Session, conflict_key: str) -> Conflict:
    """The conflict ``conflict_key``, still open; refused if unknown or resolved."""
    conflict = session.scalars(
        select(Conflict).where(Conflict.conflict_key == conflict_key)
    ).one_or_none()
    if conflict is None:
        raise TillRefusal(TillCode.UNKNOWN_CONFLICT, f"No conflict {conflict_key}")
    if conflict.resolved_at is not None:
        raise TillRefusal(TillCode.ALREADY_RESOLVED, f"Conflict {conflict_key} is already resolved")
    return conflict


def record_follow_up(
    session: Session,
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
    conflict = open_conflict(session, conflict_key)
    conflict.resolved_at = now
    conflict.resolution = resolution
    conflict.note = note
    conflict.manager = manager
    record_audit(
        session,
        now,
        manager,
        CONFLICT_RESOLVED,
        conflict_key,
        {"resolution": resolution, "note": note, "reason": conflict.reason},
    )
    enqueue_event(
        session,
        EventType.CONFLICT_RESOLVED,
        {
            "store_id": store_id,
            "conflict_key": conflict_key,
            "resolution": resolution,
            "note": note,
            "manager": manager,
        },
        now,
    )
