"""Upload intake (S3-S6, S13): each event in its own transaction, exactly once in effect.

The idempotency key is unique in ``received_events``: the first time a key is
seen its event is checked, handled and stored with its outcome; a resend with
the same content gets ``duplicate`` and that first outcome; the same key with
other content is ``rejected`` (IDEMPOTENCY_KEY_REUSED) and logged. Two uploads
racing with one key meet at the unique constraint: the loser's transaction is
rolled back and retried, and then finds the winner's row.
"""

from __future__ import annotations

import hashlib
import json
import logging
from collections.abc import Callable, Sequence
from datetime import datetime
from typing import Any, Protocol

from pydantic import BaseModel, ValidationError
from sqlalchemy import select
from sqlalchemy.exc import IntegrityError
from sqlalchemy.orm import Session, sessionmaker

from backoffice.clock import Clock
from backoffice.models.intake import ReceivedEvent
from backoffice.sync.conflicts import resolve_conflict
from backoffice.sync.intake.pack_sales import (
    ACCEPTED_EXCEPTION,
    accept_held_sale,
    lock_packs_sold_in,
    record_pack_refund,
    record_pack_sale,
)
from backoffice.sync.intake.sales_orm import record_sale
from backoffice.sync.intake.shifts import record_refund, record_shift
from backoffice.sync.intake.verdict import EventResult, Verdict
from backoffice.trust.device_tokens import DeviceIdentity
from pos_app.protocol.bounds import json_problem
from pos_app.protocol.events import EventType
from pos_app.protocol.outcomes import Outcome, RejectReason
from pos_app.protocol.payloads import (
    IDEMPOTENCY_KEY,
    KNOWN_TYPES,
    PAYLOADS,
    ConflictResolved,
    EventHeader,
    PackRefunded,
    PackSold,
    ShiftClosed,
    TicketClosed,
    TicketRefunded,
    describe_validation_error,
)

log = logging.getLogger(__name__)

RACE_RETRIES = 3

Handler = Callable[[Session, ReceivedEvent, Any, DeviceIdentity, datetime], Verdict]


def _handle_ticket_closed(
    session: Session, event: ReceivedEvent, payload: Any, device: DeviceIdentity, now: datetime
) -> Verdict:
    assert isinstance(payload, TicketClosed)
    return record_sale(session, event, payload, device, now)


def _handle_override_changed(
    _session: Session, _event: ReceivedEvent, _payload: Any, _device: DeviceIdentity, _now: datetime
) -> Verdict:
    return Verdict.accepted()  # the stored event is the audit record (R12)


def _handle_conflict_resolved(
    session: Session, _event: ReceivedEvent, payload: Any, device: DeviceIdentity, now: datetime
) -> Verdict:
    assert isinstance(payload, ConflictResolved)
    resolve_conflict(session, payload, device, now)
    if payload.resolution == ACCEPTED_EXCEPTION:  # a pack sold past a limit stays sold (K14)
        accept_held_sale(session, payload.conflict_key, device, now)
    return Verdict.accepted()


def _handle_ticket_refunded(
    session: Session, event: ReceivedEvent, payload: Any, device: DeviceIdentity, now: datetime
) -> Verdict:
    assert isinstance(payload, TicketRefunded)
    return record_refund(session, event, payload, device, now)


def _handle_shift_closed(
    session: Session, event: ReceivedEvent, payload: Any, device: DeviceIdentity, now: datetime
) -> Verdict:
    assert isinstance(payload, ShiftClosed)
    return record_shift(session, event, payload, device, now)


def _handle_pack_sold(
    session: Session, event: ReceivedEvent, payload: Any, device: DeviceIdentity, now: datetime
) -> Verdict:
    assert isinstance(payload, PackSold)
    return record_pack_sale(session, event, payload, device, now)


def _handle_pack_refunded(
    session: Session, _event: ReceivedEvent, payload: Any, device: DeviceIdentity, now: datetime
) -> Verdict:
    assert isinstance(payload, PackRefunded)
    return record_pack_refund(session, payload, device, now)


HANDLERS: dict[str, Handler] = {
    EventType.TICKET_CLOSED: _handle_ticket_closed,
    EventType.OVERRIDE_CHANGED: _handle_override_changed,
    EventType.CONFLICT_RESOLVED: _handle_conflict_resolved,
    EventType.TICKET_REFUNDED: _handle_ticket_refunded,
    EventType.SHIFT_CLOSED: _handle_shift_closed,
    EventType.PACK_SOLD: _handle_pack_sold,
    EventType.PACK_REFUNDED: _handle_pack_refunded,
}


def payload_fingerprint(event: dict[str, Any]) -> str:
    """SHA-256 of the event without its key, in canonical JSON: what "same payload" means."""
    return fingerprint_and_canonical(event)[0]


def fingerprint_and_canonical(event: dict[str, Any]) -> tuple[str, str]:
    """:func:`payload_fingerprint` and the canonical JSON text it hashes."""
    content = {name: value for name, value in event.items() if name != "idempotency_key"}
    canonical = json.dumps(content, sort_keys=True, separators=(",", ":"), ensure_ascii=False)
    # surrogatepass: a lone surrogate (rejected, S15) still has a fingerprint.
    return hashlib.sha256(canonical.encode("utf-8", "surrogatepass")).hexdigest(), canonical


def storable_body(event: dict[str, Any]) -> dict[str, Any]:
    """The event as it is kept: itself, or, when it holds text no database can store (a
    NUL, a lone surrogate, S15), its JSON text with every such character escaped."""
    if json_problem(event) is None:
        return event
    return {"unstorable_event": json.dumps(event, ensure_ascii=True, default=str)}


class EventIntake:
    """Receives one device's uploaded events, in order. A batch is committed in one
    transaction, each event in a savepoint of its own; the replies leave only after
    the commit, so a lost connection loses nothing (S3, S5)."""

    def __init__(self, sessions: sessionmaker[Session], clock: Clock) -> None:
        self._sessions = sessions
        self._clock = clock

    def receive_all(self, device: DeviceIdentity, events: Sequence[object]) -> list[EventResult]:
        """One result per event, in order (S4), all committed together."""
        with self._sessions.begin() as session:
            lock_packs_sold_in(session, events)  # packs before the change log: no deadlock
            return [self.receive_in(session, device, event) for event in events]

    def receive(self, device: DeviceIdentity, event: object) -> EventResult:
        """The outcome of one event, committed on its own."""
        with self._sessions.begin() as session:
            lock_packs_sold_in(session, [event])
            return self.receive_in(session, device, event)

    def receive_in(self, session: Session, device: DeviceIdentity, event: object) -> EventResult:
        """One event inside ``session``'s transaction; an unusable key is rejected
        without being stored. A race with another upload of the same key (a unique
        violation) rolls back only this event's savepoint, and it is tried again."""
        if not isinstance(event, dict):
            return EventResult(
                None, Outcome.REJECTED, RejectReason.MALFORMED_EVENT, "event: must be an object"
            )
        key = event.get("idempotency_key")
        key_problem = _key_problem(key)
        if key_problem is not None or not isinstance(key, str):
            return EventResult(
                key if isinstance(key, str) else None,
                Outcome.REJECTED,
                RejectReason.MALFORMED_EVENT,
                key_problem,
            )
        fingerprint = payload_fingerprint(event)
        for attempt in range(RACE_RETRIES):
            try:
                with session.begin_nested():
                    return self._receive_once(session, device, key, fingerprint, event)
            except IntegrityError:
                if attempt == RACE_RETRIES - 1:
                    raise
                log.info("event %s: raced with another upload of the same key; retrying", key)
        raise AssertionError("unreachable")

    def _receive_once(
        self,
        session: Session,
        device: DeviceIdentity,
        key: str,
        fingerprint: str,
        event: dict[str, Any],
    ) -> EventResult:
        first = session.scalar(select(ReceivedEvent).where(ReceivedEvent.idempotency_key == key))
        if first is not None:
            return repeat_result(first, fingerprint, device)
        now = self._clock()
        row = ReceivedEvent(
            idempotency_key=key,
            payload_hash=fingerprint,
            device_id=device.device_id,
            store_id=device.store_id,
            received_at=now,
            outcome=Outcome.REJECTED.value,
            body=storable_body(event),
        )
        verdict, header, payload = check_event(event, device)
        if header is not None:
            row.event_type = header.type
            row.event_version = header.version
            row.device_seq = header.device_seq
            row.device_time = header.device_time
        session.add(row)
        session.flush()  # claims the key now: a racing duplicate waits here or fails
        if verdict is None:
            assert header is not None
            verdict = HANDLERS[header.type](session, row, payload, device, now)
        row.outcome = verdict.outcome.value
        row.reason = verdict.reason
        row.detail = verdict.detail
        if verdict.outcome is Outcome.REJECTED:
            log.info("event %s from device %s rejected: %s", key, device.device_id, verdict.detail)
        elif verdict.outcome is Outcome.CONFLICT:
            log.warning("event %s from device %s: %s", key, device.device_id, verdict.detail)
        return EventResult(
            idempotency_key=key,
            outcome=verdict.outcome,
            reason=verdict.reason,
            detail=verdict.detail,
            conflict_key=key if verdict.outcome is Outcome.CONFLICT else None,
        )


def _key_problem(key: object) -> str | None:
    if key is None:
        return "idempotency_key: is required"
    try:
        IDEMPOTENCY_KEY.validate_python(key)
    except ValidationError as exc:
        return describe_validation_error(exc, "idempotency_key")
    return None


def check_event(
    event: dict[str, Any], device: DeviceIdentity, *, known_clean: bool = False
) -> tuple[Verdict | None, EventHeader | None, BaseModel | None]:
    """A rejection, or None with the parsed header and payload for the handler.
    ``known_clean``: the caller already found no unstorable text in the event (S15)."""
    unstorable = None if known_clean else json_problem(event)
    if unstorable is not None:
        where, problem = unstorable
        return Verdict.rejected(RejectReason.MALFORMED_EVENT, f"{where}: {problem}"), None, None
    try:
        header = EventHeader.model_validate(event)
    except ValidationError as exc:
        return (
            Verdict.rejected(RejectReason.MALFORMED_EVENT, describe_validation_error(exc)),
            None,
            None,
        )
    if header.type not in KNOWN_TYPES:
        detail = f"type: unknown event type {header.type!r}"
        return Verdict.rejected(RejectReason.UNKNOWN_EVENT_TYPE, detail), header, None
    model = PAYLOADS.get((header.type, header.version))
    if model is None:
        detail = f"version: {header.type} version {header.version} is not known here"
        return Verdict.rejected(RejectReason.UNKNOWN_EVENT_VERSION, detail), header, None
    store_id = header.payload.get("store_id")
    if isinstance(store_id, str) and store_id != device.store_id:
        detail = f"payload.store_id: this device acts for store {device.store_id}, not {store_id}"
        return Verdict.rejected(RejectReason.FOREIGN_STORE, detail), header, None
    try:
        payload = model.model_validate(header.payload)
    except ValidationError as exc:
        detail = describe_validation_error(exc, "payload")
        return Verdict.rejected(RejectReason.MALFORMED_EVENT, detail), header, None
    return None, header, payload


class StoredEvent(Protocol):
    """What :func:`repeat_result` reads of a stored event (an ORM row or a Core row)."""

    idempotency_key: str
    store_id: str
    payload_hash: str
    received_at: datetime
    outcome: str
    reason: str | None
    detail: str | None


def repeat_result(first: StoredEvent, fingerprint: str, device: DeviceIdentity) -> EventResult:
    """The answer to a key seen before: its first outcome, or a refusal (S3)."""
    key = first.idempotency_key
    if first.store_id != device.store_id:
        return EventResult(
            key,
            Outcome.REJECTED,
            RejectReason.FOREIGN_STORE,
            "idempotency_key: this key belongs to another store's event",
        )
    if first.payload_hash != fingerprint:
        log.warning(
            "idempotency key %s reused by device %s with a different payload (first seen %s)",
            key,
            device.device_id,
            first.received_at.isoformat(),
        )
        return EventResult(
            key,
            Outcome.REJECTED,
            RejectReason.IDEMPOTENCY_KEY_REUSED,
            f"idempotency_key: first seen at {first.received_at.isoformat()} with another payload",
        )
    first_outcome = Outcome(first.outcome)
    return EventResult(
        key,
        Outcome.DUPLICATE,
        reason=first.reason,
        detail=first.detail,
        first_outcome=first_outcome,
        conflict_key=key if first_outcome is Outcome.CONFLICT else None,
    )
