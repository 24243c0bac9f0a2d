"""One upload, received in one transaction on one connection (S3-S6, S15).

Every event is checked once. Runs of ``ticket.closed`` events that pass their checks
are stored set-based (:mod:`backoffice.sync.intake.sales`); any other event (another type, a
rejection, a key already seen in this upload) goes through the event-by-event intake
(:class:`backoffice.sync.intake.events.EventIntake`) in its place, so the order of the
upload is the order of effect.

The whole batch is first tried inside one savepoint. If the database refuses a
statement (a value no check foresaw), that savepoint is rolled back and the batch is
received again event by event, each in a savepoint of its own: the event the database
refuses is ``rejected`` naming what the database said, and the rest are stored (S15).
A deadlock with another upload retries the batch; no input makes the upload a 5xx.
"""

from __future__ import annotations

import json
import logging
from collections.abc import Sequence
from dataclasses import dataclass, field
from datetime import datetime

from sqlalchemy.exc import DBAPIError
from sqlalchemy.orm import Session

from backoffice.models.intake import ReceivedEvent
from backoffice.sync.intake.events import (
    EventIntake,
    check_event,
    fingerprint_and_canonical,
    payload_fingerprint,
)
from backoffice.sync.intake.pack_sales import lock_packs_sold_in
from backoffice.sync.intake.sales import CheckedSale, store_sales
from backoffice.sync.intake.verdict import EventResult
from backoffice.trust.device_tokens import DeviceIdentity
from pos_app.protocol.bounds import suspect_json
from pos_app.protocol.events import EventType
from pos_app.protocol.outcomes import Outcome, RejectReason
from pos_app.protocol.payloads import IDEMPOTENCY_KEY, TicketClosed

log = logging.getLogger(__name__)

DEADLOCK_RETRIES = 3
RETRYABLE_SQLSTATES = frozenset({"40P01", "40001"})  # deadlock, serialization failure


@dataclass
class BatchOutcome:
    """One result per event, in order, and the entitlement codes the batch spent."""

    results: list[EventResult]
    spent_entitlements: list[str] = field(default_factory=list)


class BatchIntake:
    """Receives one device's upload inside the caller's transaction."""

    def __init__(self, intake: EventIntake) -> None:
        self._intake = intake

    def receive(
        self, session: Session, device: DeviceIdentity, events: Sequence[object], now: datetime
    ) -> BatchOutcome:
        """Results for ``events`` in order; the caller commits."""
        lock_packs_sold_in(session, events)  # packs before the change log: no deadlock
        for attempt in range(DEADLOCK_RETRIES):
            try:
                with session.begin_nested():
                    return self._receive_fast(session, device, events, now)
            except DBAPIError as error:
                if _sqlstate(error) in RETRYABLE_SQLSTATES and attempt < DEADLOCK_RETRIES - 1:
                    log.info("upload from device %s met another upload; retrying", device.device_id)
                    continue
                log.warning(
                    "upload from device %s: the database refused a statement (%s);"
                    " receiving its %d event(s) one by one",
                    device.device_id,
                    _first_line(error),
                    len(events),
                )
                break
        return BatchOutcome(
            [self._receive_isolated(session, device, event, now) for event in events]
        )

    def _receive_fast(
        self, session: Session, device: DeviceIdentity, events: Sequence[object], now: datetime
    ) -> BatchOutcome:
        results: list[EventResult | None] = [None] * len(events)
        spent: list[str] = []
        seen: set[str] = set()
        run: list[tuple[int, CheckedSale]] = []

        def flush() -> None:
            if not run:
                return
            stored = store_sales(session.connection(), device, [sale for _, sale in run], now)
            for index, sale in run:
                results[index] = stored.results[sale.key]
            spent.extend(stored.spent_entitlements)
            run.clear()

        for index, event in enumerate(events):
            sale = _checked_sale(event, device)
            if sale is not None and sale.key not in seen:
                seen.add(sale.key)
                run.append((index, sale))
                continue
            flush()
            if isinstance(event, dict) and isinstance(event.get("idempotency_key"), str):
                seen.add(event["idempotency_key"])
            session.flush()
            results[index] = self._intake.receive_in(session, device, event)
        flush()
        return BatchOutcome([result for result in results if result is not None], spent)

    def _receive_isolated(
        self, session: Session, device: DeviceIdentity, event: object, now: datetime
    ) -> EventResult:
        try:
            with session.begin_nested():
                return self._intake.receive_in(session, device, event)
        except DBAPIError as error:
            return _refused_by_storage(session, device, event, error, now)


def _refused_by_storage(
    session: Session, device: DeviceIdentity, event: object, error: DBAPIError, now: datetime
) -> EventResult:
    """Reject an event the database refused, and keep that outcome when possible."""
    assert isinstance(event, dict)  # anything else is rejected before any statement
    key = str(event["idempotency_key"])
    detail = f"event: the database cannot store it ({_first_line(error)})"
    log.warning("event %s from device %s rejected: %s", key, device.device_id, detail)
    try:
        with session.begin_nested():
            session.add(
                ReceivedEvent(
                    idempotency_key=key,
                    payload_hash=payload_fingerprint(event),
                    device_id=device.device_id,
                    store_id=device.store_id,
                    received_at=now,
                    outcome=Outcome.REJECTED.value,
                    reason=RejectReason.MALFORMED_EVENT.value,
                    detail=detail,
                    body={"unstorable_event": json.dumps(event, default=str)[:10_000]},
                )
            )
            session.flush()
    except DBAPIError:
        log.warning("event %s: its rejection could not be stored either", key)
    return EventResult(key, Outcome.REJECTED, RejectReason.MALFORMED_EVENT.value, detail)


def _checked_sale(event: object, device: DeviceIdentity) -> CheckedSale | None:
    """The event as a sale to store set-based, or None for the event-by-event path."""
    if not isinstance(event, dict) or event.get("type") != EventType.TICKET_CLOSED:
        return None
    key = event.get("idempotency_key")
    if not isinstance(key, str):
        return None
    try:
        IDEMPOTENCY_KEY.validate_python(key)
    except ValueError:
        return None
    fingerprint, canonical = fingerprint_and_canonical(event)
    clean = not suspect_json(canonical)  # the key itself is a checked UUID
    verdict, header, payload = check_event(event, device, known_clean=clean)
    if verdict is not None or header is None or not isinstance(payload, TicketClosed):
        return None
    return CheckedSale(key, fingerprint, header, payload, event)


def _sqlstate(error: DBAPIError) -> str | None:
    code = getattr(error.orig, "sqlstate", None) or getattr(error.orig, "pgcode", None)
    return code if isinstance(code, str) else None


def _first_line(error: DBAPIError) -> str:
    text = str(error.orig).strip() or type(error.orig).__name__
    return text.splitlines()[0][:300]
