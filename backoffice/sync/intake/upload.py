"""One upload received in one transaction on one connection: the intake's one path
(S3-S6, S15).

Every event is checked once (:mod:`~backoffice.sync.intake.checks`). Consecutive events
of one type that passed their checks make a run, handed to that type's handler
(:data:`~backoffice.sync.intake.handlers.HANDLERS`: ``ticket.closed`` runs are stored
set-based). A rejected event, and a key the upload already named, are stored or
answered on their own in their place (:mod:`~backoffice.sync.intake.per_event`), so the
order of the upload is the order of effect.

The whole batch is first tried inside one savepoint. If the database refuses a
statement (a value no check foresaw), that savepoint is rolled back and the batch is
received again event by event, each in a savepoint of its own, along the same path: the
event the database refuses is ``rejected`` naming what the database said, and the rest
are stored (S15). A deadlock with another upload retries the batch; no input makes the
upload a 5xx. The entitlements an upload spent are marked redeemed after its commit
(:func:`UploadIntake.publish`), never under the upload's own transaction.
"""

from __future__ import annotations

import json
import logging
from collections.abc import Sequence
from datetime import datetime

from sqlalchemy.exc import DBAPIError
from sqlalchemy.orm import Session

from backoffice.clock import Clock
from backoffice.database import Database
from backoffice.models.intake import ReceivedEvent
from backoffice.sync.intake.checks import CheckedEvent, check_upload_event, payload_fingerprint
from backoffice.sync.intake.handlers import HANDLERS
from backoffice.sync.intake.pack_sales import lock_packs_sold_in
from backoffice.sync.intake.per_event import receive_one
from backoffice.sync.intake.verdict import EventResult, IntakeOutcome
from backoffice.sync.redemptions import publish_redemptions
from backoffice.trust.device_tokens import DeviceIdentity
from pos_app.protocol.outcomes import Outcome, RejectReason

log = logging.getLogger(__name__)

DEADLOCK_RETRIES = 3
RETRYABLE_SQLSTATES = frozenset({"40P01", "40001"})  # deadlock, serialization failure


class UploadIntake:
    """Receives a device's uploaded events, in order: exactly once in effect (S3), one
    result per event (S4), one bad event never holding back the others (S5, S15)."""

    def __init__(self, database: Database, clock: Clock) -> None:
        self._database = database
        self._clock = clock

    def receive(
        self, session: Session, device: DeviceIdentity, events: Sequence[object], now: datetime
    ) -> IntakeOutcome:
        """Results for ``events`` in order, inside the caller's transaction; the caller
        commits, then calls :meth:`publish`."""
        lock_packs_sold_in(session, events)  # packs before the change log: no deadlock
        for attempt in range(DEADLOCK_RETRIES):
            try:
                with session.begin_nested():
                    return _receive_in_order(session, device, events, now)
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
        received = IntakeOutcome([])
        for event in events:
            alone = _receive_isolated(session, device, event, now)
            received.results.extend(alone.results)
            received.spent_entitlements.extend(alone.spent_entitlements)
        return received

    def publish(self, received: IntakeOutcome, device: DeviceIdentity, now: datetime) -> None:
        """After the upload's commit: the entitlements it spent become ``redeemed`` in the
        change log, for every till (a failure leaves them to the chores, S6, S7)."""
        publish_redemptions(
            self._database, received.spent_entitlements, now, f"device:{device.device_id}"
        )

    def receive_events(self, device: DeviceIdentity, events: Sequence[object]) -> IntakeOutcome:
        """:meth:`receive` in a transaction of its own, committed, then :meth:`publish`."""
        now = self._clock()
        with self._database.sessions.begin() as session:
            received = self.receive(session, device, events, now)
        self.publish(received, device, now)
        return received

    def receive_event(self, device: DeviceIdentity, event: object) -> EventResult:
        """One event's result, received as an upload of its own."""
        return self.receive_events(device, [event]).results[0]


def _receive_in_order(
    session: Session, device: DeviceIdentity, events: Sequence[object], now: datetime
) -> IntakeOutcome:
    """Every event checked once, runs of one type to their handler, the rest on their own."""
    results: list[EventResult | None] = [None] * len(events)
    spent: list[str] = []
    seen: set[str] = set()
    run: list[tuple[int, CheckedEvent]] = []

    def hand_over_run() -> None:
        if not run:
            return
        event_type = run[0][1].event_type
        assert event_type is not None
        received = HANDLERS[event_type](session, device, [event for _, event in run], now)
        for (index, _), result in zip(run, received.results, strict=True):
            results[index] = result
        spent.extend(received.spent_entitlements)
        run.clear()

    for index, raw in enumerate(events):
        checked = check_upload_event(raw, device)
        if isinstance(checked, EventResult):  # no usable key: answered, never stored
            hand_over_run()
            results[index] = checked
            continue
        if checked.event_type is None or checked.key in seen:  # a rejection or a repeat
            hand_over_run()
            seen.add(checked.key)
            results[index] = receive_one(session, device, checked, now)
            continue
        seen.add(checked.key)
        if run and run[0][1].event_type != checked.event_type:
            hand_over_run()
        run.append((index, checked))
    hand_over_run()
    return IntakeOutcome([result for result in results if result is not None], spent)


def _receive_isolated(
    session: Session, device: DeviceIdentity, event: object, now: datetime
) -> IntakeOutcome:
    try:
        with session.begin_nested():
            return _receive_in_order(session, device, [event], now)
    except DBAPIError as error:
        return IntakeOutcome([_refused_by_storage(session, device, event, error, now)])


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


def _sqlstate(error: DBAPIError) -> str | None:
    code = getattr(error.orig, "sqlstate", None) or getattr(error.orig, "pgcode", None)
    return code if isinstance(code, str) else None


def _first_line(error: DBAPIError) -> str:
    text = str(error.orig).strip() or type(error.orig).__name__
    return text.splitlines()[0][:300]
