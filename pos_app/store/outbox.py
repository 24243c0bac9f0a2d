"""The outbox: events made by the till, kept until the back office acknowledges them.

Events are written in the same transaction as the change they report (S1), numbered
by a per-device sequence (S13), keyed by a UUID made with the event (S3), uploaded in
that order (S4), and never deleted before acknowledged (S2).

Writing an event, counting the queue, reading a batch and recording a batch's
outcomes are on the paths of every ticket close and every sync, so they run as a few
plain statements on the session's sqlite3 connection (:mod:`pos_app.store.database`);
the number of pending events is read from a tally kept by triggers (:class:`OutboxTally`),
not counted.
"""

from __future__ import annotations

import itertools
import json
import uuid
from collections.abc import Iterable, Mapping, Sequence
from dataclasses import dataclass
from datetime import datetime, timedelta
from typing import Any

from sqlalchemy import delete, func, select
from sqlalchemy.orm import Session

from pos_app.protocol.events import EVENT_VERSION
from pos_app.protocol.outcomes import Outcome
from pos_app.protocol.payloads import EventPayload, event_type_of, payload_text, wire_instant
from pos_app.store.database import DirectStatement, Transaction, session_driver
from pos_app.store.models.device import Device
from pos_app.store.models.outbox import Conflict, OutboxEvent, OutboxTally

# An event waits (pending), is parked after a rejection (failed), or carries the back
# office's outcome (the protocol's Outcome, but "rejected" is stored as failed).
PENDING = "pending"
ACCEPTED = Outcome.ACCEPTED.value
DUPLICATE = Outcome.DUPLICATE.value
CONFLICT = Outcome.CONFLICT.value
FAILED = "failed"
REJECTED = Outcome.REJECTED.value
ACKNOWLEDGED = (ACCEPTED, DUPLICATE, CONFLICT)
OUTCOMES = tuple(outcome.value for outcome in Outcome)


class OutboxError(LookupError):
    """An outcome for an event the outbox does not hold, or an unknown outcome."""


@dataclass(frozen=True)
class OutboxCounts:
    """The outbox at a glance (S11): events waiting, parked as failed, open conflicts."""

    pending: int
    failed: int
    open_conflicts: int


@dataclass(frozen=True)
class ParkedEvent:
    """An event the back office rejected, parked with its reason (S5): its place in
    the queue, type, when it was made, the reason (``CODE`` or ``CODE: detail``) and
    its payload."""

    device_seq: int
    idempotency_key: str
    type: str
    device_time: str
    reason: str
    payload: dict[str, Any]


@dataclass(frozen=True)
class QueuedEvent:
    """An event just added to the outbox: its sequence number and idempotency key."""

    device_seq: int
    idempotency_key: str


@dataclass(frozen=True)
class EventOutcome:
    """The back office's answer for one event (an :class:`Outcome`) with its reason."""

    idempotency_key: str
    outcome: str
    reason: str | None = None


_EVENTS = OutboxEvent.__tablename__
_INSTANT = OutboxEvent.__table__.c.acknowledged_at.type

# The event takes the number after the device's last one, which the device row records
# in the same statement, in the caller's transaction (immediate: no writer between).
_NEXT_SEQ = DirectStatement(
    f"UPDATE {Device.__tablename__} SET last_seq = last_seq + 1 WHERE id = 1 RETURNING last_seq",
    [],
)
_INSERT_EVENT = DirectStatement.insert(
    OutboxEvent,
    (
        "device_seq",
        "idempotency_key",
        "type",
        "version",
        "device_time",
        "created_at",
        "payload",
        "status",
    ),
)
_PENDING_BATCH = DirectStatement(
    "SELECT idempotency_key, type, version, device_seq, device_time, payload "
    f"FROM {_EVENTS} WHERE status = ? ORDER BY device_seq LIMIT ?",
    [None, None],
)
_TALLY = DirectStatement(f"SELECT pending FROM {OutboxTally.__tablename__} WHERE id = 1", [])
_ACKNOWLEDGE = DirectStatement(
    f"UPDATE {_EVENTS} SET status = ?, acknowledged_at = ?, reason = ? WHERE idempotency_key = ?",
    [None, _INSTANT, None, None],
)
_PARK = DirectStatement(
    f"UPDATE {_EVENTS} SET status = '{FAILED}', reason = ? WHERE idempotency_key = ?",
    [None, None],
)
_ADD_CONFLICT = DirectStatement(
    f"INSERT INTO {Conflict.__tablename__} "
    "(conflict_key, event_type, reason, payload, reported_at) "
    f"SELECT idempotency_key, type, ?, payload, ? FROM {_EVENTS} WHERE idempotency_key = ? "
    "ON CONFLICT (conflict_key) DO NOTHING",
    [None, _INSTANT, None],
)


def device_time_text(moment: datetime) -> str:
    """An instant as the protocol writes it: ISO 8601 with the local offset, seconds."""
    return wire_instant(moment).isoformat()


class Outbox:
    """The outbox in one unit of work: events written on its sqlite3 connection, in the
    transaction of the change they report (S1)."""

    def __init__(self, transaction: Transaction) -> None:
        self._transaction = transaction

    def add(self, payload: EventPayload, device_time: datetime) -> QueuedEvent:
        """Queue ``payload`` as an event of its type (:func:`event_type_of`), with a fresh
        idempotency key and the next device sequence number (S3, S13): a rollback gives
        the number back."""
        return write_event(
            self._transaction.connection,
            event_type_of(payload),
            payload_text(payload),
            device_time,
        )

    def pending_count(self) -> int:
        """Events waiting for the back office, this transaction's writes counted."""
        return pending_total(self._transaction.connection)


def enqueue_event(
    session: Session,
    event_type: str,
    payload: Mapping[str, Any],
    device_time: datetime,
    *,
    version: int = EVENT_VERSION,
) -> QueuedEvent:
    """Add an event from a plain ``payload`` mapping in ``session``'s transaction (the
    till's own events go through :class:`Outbox` as protocol models). The caller commits
    it together with the change it reports (S1): a rollback gives the number back (S13,
    no gap)."""
    text = json.dumps(payload, separators=(",", ":"), sort_keys=True)
    return write_event(session_driver(session), event_type, text, device_time, version=version)


def write_event(
    connection: Any,
    event_type: str,
    payload: str,
    device_time: datetime,
    *,
    version: int = EVENT_VERSION,
) -> QueuedEvent:
    """Write one event (its ``payload`` as JSON text) on a sqlite3 connection in a write
    transaction: the device's next sequence number, a fresh idempotency key."""
    taken = _NEXT_SEQ.execute(connection).fetchall()  # run to its end: the statement is done
    if not taken:
        raise OutboxError("the till has no device identity yet; it cannot make events")
    seq = int(taken[0][0])
    key = str(uuid.uuid4())
    _INSERT_EVENT.execute(
        connection,
        (
            seq,
            key,
            event_type,
            version,
            device_time_text(device_time),
            device_time,
            payload,
            PENDING,
        ),
    )
    return QueuedEvent(seq, key)


def pending_envelopes(session: Session, limit: int = 500) -> list[dict[str, Any]]:
    """Events not yet acknowledged nor parked, oldest first (S4), each as uploaded:
    the ``POST /api/v1/events`` body entry."""
    rows = _PENDING_BATCH.execute(session_driver(session), (PENDING, limit)).fetchall()
    return [
        {
            "idempotency_key": key,
            "type": event_type,
            "version": version,
            "device_seq": seq,
            "device_time": device_time,
            "payload": json.loads(payload),
        }
        for key, event_type, version, seq, device_time, payload in rows
    ]


def record_outcomes(session: Session, outcomes: Iterable[EventOutcome], now: datetime) -> None:
    """Record the back office's outcomes, in order: ``accepted`` and ``duplicate``
    acknowledge an event; ``conflict`` acknowledges it and stores a conflict for the
    manager (S6), once; ``rejected`` parks it as failed with the reason (S5). One
    statement per run of equal outcomes. An unknown outcome or key raises
    :class:`OutboxError` (the caller's transaction then writes nothing)."""
    outcomes = list(outcomes)
    connection = session_driver(session)
    for outcome in outcomes:
        if outcome.outcome not in OUTCOMES:
            raise OutboxError(
                f"unknown outcome {outcome.outcome!r}; expected one of {', '.join(OUTCOMES)}"
            )
    for kind, group in itertools.groupby(outcomes, key=lambda o: o.outcome):
        run = list(group)
        if kind == REJECTED:
            changed = _PARK.execute_many(
                connection, [(o.reason or REJECTED, o.idempotency_key) for o in run]
            )
        else:
            changed = _ACKNOWLEDGE.execute_many(
                connection, [(kind, now, o.reason, o.idempotency_key) for o in run]
            )
        if changed != len(run):
            _raise_unknown(session, [o.idempotency_key for o in run])
        if kind == CONFLICT:
            _ADD_CONFLICT.execute_many(
                connection, [(o.reason or CONFLICT, now, o.idempotency_key) for o in run]
            )


def record_outcome(
    session: Session, idempotency_key: str, outcome: str, reason: str | None, now: datetime
) -> None:
    """Record one event's outcome (see :func:`record_outcomes`)."""
    record_outcomes(session, [EventOutcome(idempotency_key, outcome, reason)], now)


def _raise_unknown(session: Session, keys: Sequence[str]) -> None:
    known = set(
        session.scalars(
            select(OutboxEvent.idempotency_key).where(OutboxEvent.idempotency_key.in_(set(keys)))
        )
    )
    missing = next((key for key in keys if key not in known), None)
    raise OutboxError(f"no outbox event with idempotency key {missing!r}")


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


def parked_events(session: Session) -> list[ParkedEvent]:
    """Every parked (failed) event, oldest first."""
    rows = session.scalars(
        select(OutboxEvent).where(OutboxEvent.status == FAILED).order_by(OutboxEvent.device_seq)
    )
    return [
        ParkedEvent(
            e.device_seq,
            e.idempotency_key,
            e.type,
            e.device_time,
            e.reason or REJECTED,
            json.loads(e.payload),
        )
        for e in rows
    ]


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
    """Events waiting for the back office, in ``session``'s transaction."""
    session.flush()
    return pending_total(session_driver(session))


def pending_total(connection: Any) -> int:
    """Events waiting for the back office, on a sqlite3 connection: read from the tally
    the triggers keep (constant time), counted only if the tally row is missing."""
    row = _TALLY.execute(connection).fetchone()
    if row is None:
        row = connection.execute(
            f"SELECT count(*) FROM {_EVENTS} WHERE status = ?", (PENDING,)
        ).fetchone()
    return int(row[0])


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
