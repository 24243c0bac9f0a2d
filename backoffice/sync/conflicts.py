"""Conflicts the back office found (S6): recorded with the event, resolved by a follow-up."""

from __future__ import annotations

from datetime import datetime
from typing import Any

from sqlalchemy import select
from sqlalchemy.orm import Session

from backoffice.clock import iso_time
from backoffice.models.conflicts import Conflict
from backoffice.trust.device_tokens import DeviceIdentity
from pos_app.protocol.payloads import ConflictResolved


def record_conflict(
    session: Session,
    *,
    conflict_key: str,
    reason: str,
    event_id: int,
    device: DeviceIdentity,
    detail: dict[str, Any],
    now: datetime,
) -> Conflict:
    """Keep a conflict for the store manager; ``conflict_key`` is the event's idempotency key."""
    conflict = Conflict(
        conflict_key=conflict_key,
        reason=reason,
        event_id=event_id,
        store_id=device.store_id,
        device_id=device.device_id,
        detail=detail,
        detected_at=now,
    )
    session.add(conflict)
    return conflict


def resolve_conflict(
    session: Session, follow_up: ConflictResolved, device: DeviceIdentity, now: datetime
) -> bool:
    """Mark this store's conflict resolved; False if it has none by that key (kept as audit)."""
    conflict = session.scalar(
        select(Conflict).where(
            Conflict.conflict_key == follow_up.conflict_key,
            Conflict.store_id == device.store_id,
        )
    )
    if conflict is None:
        return False
    conflict.resolved_at = now
    conflict.resolution = follow_up.resolution
    conflict.resolution_note = follow_up.note
    conflict.resolved_by = follow_up.manager
    return True


def list_conflicts(
    session: Session, *, store_id: str | None = None, unresolved_only: bool = False
) -> list[dict[str, Any]]:
    """Conflicts in the order they were found, as the admin API shows them."""
    query = select(Conflict).order_by(Conflict.id)
    if store_id is not None:
        query = query.where(Conflict.store_id == store_id)
    if unresolved_only:
        query = query.where(Conflict.resolved_at.is_(None))
    return [
        {
            "conflict_key": conflict.conflict_key,
            "reason": conflict.reason,
            "store_id": conflict.store_id,
            "device_id": conflict.device_id,
            "detail": conflict.detail,
            "detected_at": iso_time(conflict.detected_at),
            "resolved": conflict.resolved_at is not None,
            "resolved_at": iso_time(conflict.resolved_at) if conflict.resolved_at else None,
            "resolution": conflict.resolution,
            "resolution_note": conflict.resolution_note,
            "resolved_by": conflict.resolved_by,
        }
        for conflict in session.scalars(query)
    ]
