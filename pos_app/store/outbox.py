"""The outbox: events made by the till, kept until the back office acknowledges them.

Events are written in the same transaction as the change they report (S1), numbered
by a per-device sequence (S13), keyed by a UUID made with the event (S3), uploaded in
that order (S4), and never deleted before acknowledged (S2).
"""

from __future__ import annotations

import json
import uuid
from collections.abc import Mapping
from dataclasses import dataclass
from datetime import datetime, timedelta
from typing import Any

from sqlalchemy import delete, func, select, update
from sqlalchemy.orm import Session

from pos_app.store.models.device import Device
from pos_app.store.models.outbox import Conflict, OutboxEvent

EVENT_VERSION = 1
PENDING = "pending"
ACCEPTED = "accepted"
DUPLICATE = "duplicate"
CONFLICT = "conflict"
FAILED = "failed"
ACKNOWLEDGED = (ACCEPTED, DUPLICATE, CONFLICT)
OUTCOMES = ("accepted", "duplicate", "conflict", "rejected")


class OutboxError(LookupError):
    """An outcome for an event the outbox does not hold, or an unknown outcome."""


@dataclass(frozen=True)
class OutboxCounts:
    """The outbox at a glance (S11): events waiting, parked as failed, open conflicts."""

    pending: int
    failed: int
    open_conflicts: int


def device_time_text(moment: datetime) -> str:
    """An instant as the protocol writes it: ISO 8601 with the local offset, seconds."""
    return moment.astimezone().isoformat(timespec="seconds")


def enqueue_event(
    session: Session,
    event_type: str,
    payload: Mapping[str, Any],
    device_time: datetime,
    *,
    version: int = EVENT_VERSION,
) -> OutboxEvent:
    """Add an event with a fresh idempotency key and the next device sequence number.
    The caller commits it together with the change it reports (S1)."""
    seq = session.execute(
        update(Device)
        .where(Device.id == 1)
        .values(last_seq=Device.last_seq + 1)
        .returning(Device.last_seq)
        .execution_options(synchronize_session=False)
    ).scalar_one_or_none()
    if seq is None:
        raise OutboxError("the till has no device identity yet; it cannot make events")
    event = OutboxEvent(
        device_seq=seq,
        idempotency_key=str(uuid.uuid4()),
        type=event_type,
        version=version,
        device_time=device_time_text(device_time),
        created_at=device_time,
        payload=json.dumps(payload, separators=(",", ":"), sort_keys=True),
        status=PENDING,
    )
    session.add(event)
    session.flush()
    return event


def event_envelope(event: OutboxEvent) -> dict[str, Any]:
    """The event as uploaded: ``POST /api/v1/events`` body entry."""
    return {
        "idempotency_key": event.idempotency_key,
        "type": event.type,
        "version": event.version,
        "device_seq": event.device_seq,
        "device_time": event.device_time,
        "payload": json.loads(event.payload),
    }


def pending_events(session: Session, limit: int = 500) -> list[OutboxEvent]:
    """Events not yet acknowledged nor parked, oldest first (S4)."""
    query = (
        select(OutboxEvent)
        .where(OutboxEvent.status == PENDING)
        .order_by(OutboxEvent.device_seq)
        .limit(limit)
    )
    return list(session.scalars(query))


def record_outcome(
    session: Session, idempotency_key: str, outcome: str, reason: str | None, now: datetime
) -> OutboxEvent:
    """Record the back office's outcome for one event: ``accepted`` and ``duplicate``
    acknowledge it; ``conflict`` acknowledges it and stores a conflict for the manager
    (S6); ``rejected`` parks it as failed with the reason (S5)."""
    event = session.scalars(
        select(OutboxEvent).where(OutboxEvent.idempotency_key == idempotency_key)
    ).one_or_none()
    if event is None:
        raise OutboxError(f"no outbox event with idempotency key {idempotency_key!r}")
    if outcome in (ACCEPTED, DUPLICATE):
        event.status = outcome
        event.acknowledged_at = now
        event.reason = reason
    elif outcome == CONFLICT:
        event.status = CONFLICT
        event.acknowledged_at = now
        event.reason = reason
        existing = session.scalars(
            select(Conflict).where(Conflict.conflict_key == idempotency_key)
        ).one_or_none()
        if existing is None:
            session.add(
                Conflict(
                    conflict_key=idempotency_key,
                    event_type=event.type,
                    reason=reason or "conflict",
                    payload=event.payload,
                    reported_at=now,
                )
            )
    elif outcome == "rejected":
        event.status = FAILED
        event.reason = reason or "rejected"
    else:
        raise OutboxError(f"unknown outcome {outcome!r}; expected one of {', '.join(OUTCOMES)}")
    session.flush()
    return event


def requeue_failed(session: Session, idempotency_key: str) -> None:
    """Put a parked (failed) event back in the queue, e.g. after a fix on the server."""
    event = session.scalars(
        select(OutboxEvent).where(
            OutboxEvent.idempotency_key == idempotency_key, OutboxEvent.status == FAILED
        )
    ).one_or_none()
    if event is None:
        raise OutboxError(f"no failed outbox event with idempotency key {idempotency_key!r}")
    event.status = PENDING
    session.flush()


def prune_acknowledged(session: Session, older_than: timedelta, now: datetime) -> int:
    """Delete acknowledged events acknowledged before ``now - older_than`` (S2); events
    of an unresolved conflict stay. Returns how many were deleted."""
    open_conflicts = select(Conflict.conflict_key).where(Conflict.resolved_at.is_(None))
    cutoff = now - older_than
    result = session.execute(
        delete(OutboxEvent)
        .where(
            OutboxEvent.status.in_(ACKNOWLEDGED),
            OutboxEvent.acknowledged_at.is_not(None),
            OutboxEvent.acknowledged_at < cutoff,
            OutboxEvent.idempotency_key.not_in(open_conflicts),
        )
        .execution_options(synchronize_session=False)
    )
    return int(getattr(result, "rowcount", 0) or 0)


def pending_count(session: Session) -> int:
    return int(session.scalar(select(func.count()).where(OutboxEvent.status == PENDING)) or 0)


def outbox_counts(session: Session) -> OutboxCounts:
    failed = session.scalar(select(func.count()).where(OutboxEvent.status == FAILED)) or 0
    conflicts = session.scalar(select(func.count()).where(Conflict.resolved_at.is_(None))) or 0
    return OutboxCounts(pending_count(session), int(failed), int(conflicts))


def list_conflicts(session: Session, *, open_only: bool = True) -> list[Conflict]:
    """Conflicts for the store manager, oldest first (S6)."""
    query = select(Conflict).order_by(Conflict.id)
    if open_only:
        query = query.where(Conflict.resolved_at.is_(None))
    return list(session.scalars(query))
