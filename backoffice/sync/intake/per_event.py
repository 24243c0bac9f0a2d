"""Events stored one at a time (S3-S6): every event type but ``ticket.closed``, every
rejection, and every key an upload names twice.

Each event goes in a savepoint of its own. A key stored before gets the answer
:func:`~backoffice.sync.intake.repeats.repeat_result` gives. Otherwise the event's row
claims its key (``received_events.idempotency_key`` is unique), then the event's handler
decides (or its rejection stands), and the row keeps the outcome. Two uploads racing
with one key meet at the unique constraint: the loser's savepoint is rolled back and it
tries again, finding the winner's row.
"""

from __future__ import annotations

import logging
from collections.abc import Callable, Sequence
from datetime import datetime
from typing import Any

from sqlalchemy import select
from sqlalchemy.exc import IntegrityError
from sqlalchemy.orm import Session

from backoffice.models.intake import ReceivedEvent
from backoffice.sync.intake.checks import CheckedEvent
from backoffice.sync.intake.repeats import repeat_result
from backoffice.sync.intake.verdict import EventResult, IntakeOutcome, Verdict
from backoffice.trust.device_tokens import DeviceIdentity
from pos_app.protocol.outcomes import Outcome

log = logging.getLogger(__name__)

RACE_RETRIES = 3

EventHandler = Callable[[Session, ReceivedEvent, Any, DeviceIdentity, datetime], Verdict]
"""What one event of a type does once its row is stored: its verdict."""

RunHandler = Callable[[Session, DeviceIdentity, Sequence[CheckedEvent], datetime], IntakeOutcome]
"""What a run of checked events of one type (distinct keys, in upload order) does."""


def one_by_one(handler: EventHandler) -> RunHandler:
    """The run handler that stores each event of a run on its own, through ``handler``."""

    def receive_run(
        session: Session, device: DeviceIdentity, run: Sequence[CheckedEvent], now: datetime
    ) -> IntakeOutcome:
        return IntakeOutcome([receive_one(session, device, event, now, handler) for event in run])

    return receive_run


def receive_one(
    session: Session,
    device: DeviceIdentity,
    event: CheckedEvent,
    now: datetime,
    handler: EventHandler | None = None,
) -> EventResult:
    """One event inside ``session``'s transaction: a repeat's answer, its rejection, or
    what ``handler`` decides. A race with another upload of the same key (a unique
    violation) rolls back only this event's savepoint, and it is tried again."""
    for attempt in range(RACE_RETRIES):
        try:
            with session.begin_nested():
                return _receive_once(session, device, event, now, handler)
        except IntegrityError:
            if attempt == RACE_RETRIES - 1:
                raise
            log.info("event %s: raced with another upload of the same key; retrying", event.key)
    raise AssertionError("unreachable")


def _receive_once(
    session: Session,
    device: DeviceIdentity,
    event: CheckedEvent,
    now: datetime,
    handler: EventHandler | None,
) -> EventResult:
    first = session.scalar(select(ReceivedEvent).where(ReceivedEvent.idempotency_key == event.key))
    if first is not None:
        return repeat_result(first, event.fingerprint, device)
    row = ReceivedEvent(
        idempotency_key=event.key,
        payload_hash=event.fingerprint,
        device_id=device.device_id,
        store_id=device.store_id,
        received_at=now,
        outcome=Outcome.REJECTED.value,
        body=event.body,
    )
    if event.header is not None:
        row.event_type = event.header.type
        row.event_version = event.header.version
        row.device_seq = event.header.device_seq
        row.device_time = event.header.device_time
    session.add(row)
    session.flush()  # claims the key now: a racing duplicate waits here or fails
    verdict = event.rejection
    if verdict is None:
        assert handler is not None, f"event {event.key} passed its checks but has no handler"
        verdict = handler(session, row, event.payload, device, now)
    row.outcome = verdict.outcome.value
    row.reason = verdict.reason
    row.detail = verdict.detail
    if verdict.outcome is Outcome.REJECTED:
        log.info(
            "event %s from device %s rejected: %s", event.key, device.device_id, verdict.detail
        )
    elif verdict.outcome is Outcome.CONFLICT:
        log.warning("event %s from device %s: %s", event.key, device.device_id, verdict.detail)
    return EventResult(
        idempotency_key=event.key,
        outcome=verdict.outcome,
        reason=verdict.reason,
        detail=verdict.detail,
        conflict_key=event.key if verdict.outcome is Outcome.CONFLICT else None,
    )
