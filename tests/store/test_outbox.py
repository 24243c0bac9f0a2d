"""The outbox: order, sequence numbers, idempotency keys, outcomes and pruning."""

from __future__ import annotations

import uuid
from collections.abc import Callable
from datetime import datetime, timedelta
from typing import Any

import pytest
from sqlalchemy import func, select
from sqlalchemy.orm import Session, sessionmaker

from pos_app.protocol.sync_api import EventResult
from pos_app.store.models.device import Device
from pos_app.store.models.outbox import OutboxEvent
from pos_app.store.outbox import OutboxError, enqueue_event, pending_count
from pos_app.store.sync_store import SyncStore
from pos_app.store.unit_of_work import UnitOfWork
from tests.store.conftest import NOW


class Clock:
    def __init__(self) -> None:
        self.now = NOW

    def __call__(self) -> datetime:
        return self.now


@pytest.fixture
def clock() -> Clock:
    return Clock()


@pytest.fixture
def store(sessions: sessionmaker[Session], clock: Clock) -> SyncStore:
    return SyncStore(sessions, clock)


def results(items: list[dict[str, Any]]) -> list[EventResult]:
    """The back office's results as the sync client reads them."""
    return [EventResult.model_validate(item) for item in items]


def make_events(sessions: sessionmaker[Session], count: int) -> list[str]:
    keys = []
    for i in range(count):
        with UnitOfWork(sessions) as uow:
            event = enqueue_event(uow.session, "ticket.closed", {"n": i}, NOW)
            keys.append(event.idempotency_key)
            uow.commit()
    return keys


def test_events_upload_in_the_order_they_were_made_in_batches(
    sessions: sessionmaker[Session], store: SyncStore
) -> None:
    """S4/S13: device_seq counts up by one; pending events come oldest first."""
    keys = make_events(sessions, 5)
    batch = store.pending_events(limit=3)
    assert [e["device_seq"] for e in batch] == [1, 2, 3]
    assert [e["idempotency_key"] for e in batch] == keys[:3]
    assert [e["payload"] for e in batch] == [{"n": 0}, {"n": 1}, {"n": 2}]
    assert set(batch[0]) == {
        "idempotency_key",
        "type",
        "version",
        "device_seq",
        "device_time",
        "payload",
    }
    assert batch[0]["device_time"].endswith("+00:00")


def test_idempotency_keys_are_unique_uuid4s(sessions: sessionmaker[Session]) -> None:
    """S3: each event gets its own UUID key when it is made."""
    keys = make_events(sessions, 20)
    assert len(set(keys)) == 20
    assert all(uuid.UUID(k).version == 4 for k in keys)


def test_a_rolled_back_event_does_not_use_up_a_sequence_number(
    sessions: sessionmaker[Session], store: SyncStore
) -> None:
    """S13: the sequence belongs to the transaction; a rollback gives the number back."""
    with UnitOfWork(sessions) as uow:
        enqueue_event(uow.session, "ticket.closed", {}, NOW)  # never committed
    make_events(sessions, 1)
    assert [e["device_seq"] for e in store.pending_events()] == [1]


def test_accepted_and_duplicate_acknowledge_and_leave_the_queue(
    sessions: sessionmaker[Session], store: SyncStore
) -> None:
    """S4: accepted and duplicate are acknowledgements; the event leaves the queue."""
    first, second, third = make_events(sessions, 3)
    store.record_outcomes(
        results(
            [
                {"idempotency_key": first, "outcome": "accepted"},
                {"idempotency_key": second, "outcome": "duplicate", "reason": None},
            ]
        )
    )
    assert [e["idempotency_key"] for e in store.pending_events()] == [third]
    with UnitOfWork(sessions) as uow:
        rows = uow.session.execute(select(OutboxEvent.idempotency_key, OutboxEvent.status))
        statuses = {key: status for key, status in rows}
    assert statuses == {first: "accepted", second: "duplicate", third: "pending"}


def test_a_rejected_event_is_parked_with_its_reason_and_the_rest_goes_on(
    sessions: sessionmaker[Session], store: SyncStore
) -> None:
    """S5: a 4xx for one event parks it as failed; it never blocks the queue."""
    first, second = make_events(sessions, 2)
    store.record_outcome(first, "rejected", "FOREIGN_STORE")
    assert [e["idempotency_key"] for e in store.pending_events()] == [second]
    counts = store.outbox_counts()
    assert (counts.pending, counts.failed) == (1, 1)
    with UnitOfWork(sessions) as uow:
        parked = uow.session.scalars(
            select(OutboxEvent).where(OutboxEvent.idempotency_key == first)
        ).one()
        assert (parked.status, parked.reason) == ("failed", "FOREIGN_STORE")
    store.requeue_failed(first)
    assert [e["idempotency_key"] for e in store.pending_events()] == [first, second]


def test_the_back_offices_words_are_kept_with_a_parked_event_and_a_conflict(
    sessions: sessionmaker[Session], store: SyncStore
) -> None:
    """Issue 18 item 6: a result's ``detail`` travels with its reason code, so a parked
    event and a conflict can say why in words; the parked events are listed in order."""
    first, second, third = make_events(sessions, 3)
    store.record_outcomes(
        results(
            [
                {
                    "idempotency_key": first,
                    "outcome": "rejected",
                    "reason": "MALFORMED_EVENT",
                    "detail": "payload.total: must be a decimal string",
                },
                {"idempotency_key": second, "outcome": "rejected", "reason": "FOREIGN_STORE"},
                {
                    "idempotency_key": third,
                    "outcome": "conflict",
                    "reason": "TICKET_NUMBER_REUSED",
                    "detail": "Ticket number D1-01-000001 was already used",
                },
            ]
        )
    )
    parked = store.parked_events()
    assert [(p.idempotency_key, p.reason) for p in parked] == [
        (first, "MALFORMED_EVENT: payload.total: must be a decimal string"),
        (second, "FOREIGN_STORE"),
    ]
    assert parked[0].payload == {"n": 0} and parked[0].type == "ticket.closed"
    (conflict,) = store.conflicts()
    assert conflict.reason == "TICKET_NUMBER_REUSED: Ticket number D1-01-000001 was already used"


def test_a_conflict_is_stored_for_the_manager(
    sessions: sessionmaker[Session], store: SyncStore
) -> None:
    """S6: a conflict outcome acknowledges the event and records a conflict to resolve."""
    (key,) = make_events(sessions, 1)
    store.record_outcome(key, "conflict", "COUPON_ALREADY_REDEEMED")
    store.record_outcome(key, "conflict", "COUPON_ALREADY_REDEEMED")  # a resend: one conflict
    (conflict,) = store.conflicts()
    assert (conflict.conflict_key, conflict.reason) == (key, "COUPON_ALREADY_REDEEMED")
    assert conflict.event_type == "ticket.closed"
    assert store.outbox_counts().open_conflicts == 1
    assert store.pending_events() == []


def test_an_unknown_key_or_outcome_is_an_error(
    sessions: sessionmaker[Session], store: SyncStore
) -> None:
    """S4: outcomes must name an event the outbox holds, with a known outcome."""
    (key,) = make_events(sessions, 1)
    with pytest.raises(OutboxError):
        store.record_outcome(str(uuid.uuid4()), "accepted")
    with pytest.raises(OutboxError):
        store.record_outcome(key, "maybe")


def test_pruning_deletes_only_acknowledged_events_older_than_the_limit(
    sessions: sessionmaker[Session], store: SyncStore, clock: Clock
) -> None:
    """S2: unacknowledged and failed events are never pruned; acknowledged ones after N days."""
    old_ok, old_failed, recent_ok, waiting, old_conflict = make_events(sessions, 5)
    store.record_outcome(old_ok, "accepted")
    store.record_outcome(old_failed, "rejected", "bad")
    store.record_outcome(old_conflict, "conflict", "PACK_LIMIT_EXCEEDED")
    clock.now = NOW + timedelta(days=20)
    store.record_outcome(recent_ok, "duplicate")
    clock.now = NOW + timedelta(days=31)
    assert store.prune_acknowledged(older_than_days=30) == 1
    with UnitOfWork(sessions) as uow:
        left = set(uow.session.scalars(select(OutboxEvent.idempotency_key)))
    assert left == {old_failed, recent_ok, waiting, old_conflict}


def test_a_duplicate_of_a_lost_conflict_answer_still_records_the_conflict(
    sessions: sessionmaker[Session], store: SyncStore
) -> None:
    """S3/S6: a resend answered duplicate with first_outcome conflict stores the conflict."""
    first, second = make_events(sessions, 2)
    store.record_outcomes(
        results(
            [
                {
                    "idempotency_key": first,
                    "outcome": "duplicate",
                    "first_outcome": "conflict",
                    "reason": "COUPON_ALREADY_REDEEMED",
                },
                {"idempotency_key": second, "outcome": "duplicate", "first_outcome": "accepted"},
            ]
        )
    )
    (conflict,) = store.conflicts()
    assert (conflict.conflict_key, conflict.reason) == (first, "COUPON_ALREADY_REDEEMED")
    assert store.pending_events() == []


def pending_in_table(sessions: sessionmaker[Session]) -> int:
    with UnitOfWork(sessions) as uow:
        query = select(func.count()).where(OutboxEvent.status == "pending")
        return int(uow.session.scalar(query) or 0)


def test_the_pending_tally_follows_every_change_of_the_queue(
    sessions: sessionmaker[Session], store: SyncStore, clock: Clock
) -> None:
    """S11: the pending count is read from a tally the triggers keep, never counted; it
    matches the queue after events are made, acknowledged, parked, requeued, pruned and
    after a rolled-back event."""

    def both() -> tuple[int, int]:
        return store.outbox_counts().pending, pending_in_table(sessions)

    assert both() == (0, 0)
    keys = make_events(sessions, 6)
    assert both() == (6, 6)
    with UnitOfWork(sessions) as uow:
        enqueue_event(uow.session, "ticket.closed", {}, NOW)
        assert pending_count(uow.session) == 7  # inside the transaction
    assert both() == (6, 6)  # rolled back with it
    store.record_outcomes(
        results(
            [
                {"idempotency_key": keys[0], "outcome": "accepted"},
                {"idempotency_key": keys[1], "outcome": "duplicate"},
                {"idempotency_key": keys[2], "outcome": "rejected", "reason": "bad"},
                {"idempotency_key": keys[3], "outcome": "conflict", "reason": "PACK_LIMIT"},
            ]
        )
    )
    assert both() == (2, 2)
    store.record_outcome(keys[0], "duplicate")  # acknowledged again: no change
    assert both() == (2, 2)
    store.requeue_failed(keys[2])
    assert both() == (3, 3)
    clock.now = NOW + timedelta(days=40)
    assert store.prune_acknowledged(older_than_days=30) == 2
    assert both() == (3, 3)


def test_a_batch_of_outcomes_is_recorded_in_order(
    sessions: sessionmaker[Session], store: SyncStore
) -> None:
    """S4-S6: mixed outcomes of one batch, each run recorded at once, in order: the
    statuses, reasons and acknowledgement times are those of one-by-one recording."""
    keys = make_events(sessions, 6)
    outcomes = ["accepted", "accepted", "conflict", "rejected", "rejected", "duplicate"]
    store.record_outcomes(
        results(
            [
                {"idempotency_key": key, "outcome": outcome, "reason": f"r{n}"}
                for n, (key, outcome) in enumerate(zip(keys, outcomes, strict=True))
            ]
        )
    )
    with UnitOfWork(sessions) as uow:
        rows = uow.session.execute(
            select(OutboxEvent.status, OutboxEvent.reason, OutboxEvent.acknowledged_at).order_by(
                OutboxEvent.device_seq
            )
        ).all()
    assert [tuple(row) for row in rows] == [
        ("accepted", "r0", NOW),
        ("accepted", "r1", NOW),
        ("conflict", "r2", NOW),
        ("failed", "r3", None),
        ("failed", "r4", None),
        ("duplicate", "r5", NOW),
    ]
    (conflict,) = store.conflicts()
    assert (conflict.conflict_key, conflict.reason) == (keys[2], "r2")


def test_an_unknown_key_in_a_batch_records_nothing_of_it(
    sessions: sessionmaker[Session], store: SyncStore, snapshot: Callable[[], object]
) -> None:
    """S2/S4: a batch naming an event the outbox does not hold is refused whole."""
    first, second = make_events(sessions, 2)
    before = snapshot()
    unknown = str(uuid.uuid4())
    with pytest.raises(OutboxError, match=unknown):
        store.record_outcomes(
            results(
                [
                    {"idempotency_key": first, "outcome": "accepted"},
                    {"idempotency_key": unknown, "outcome": "accepted"},
                    {"idempotency_key": second, "outcome": "accepted"},
                ]
            )
        )
    assert snapshot() == before
    assert [e["idempotency_key"] for e in store.pending_events()] == [first, second]


def test_enqueue_returns_the_number_and_key_it_gave(sessions: sessionmaker[Session]) -> None:
    """S3/S13: the event made is the one written, with the device's next number."""
    with UnitOfWork(sessions) as uow:
        made = [enqueue_event(uow.session, "ticket.closed", {"n": n}, NOW) for n in range(3)]
        uow.commit()
    with UnitOfWork(sessions) as uow:
        rows = uow.session.execute(
            select(OutboxEvent.device_seq, OutboxEvent.idempotency_key).order_by(
                OutboxEvent.device_seq
            )
        ).all()
        device = uow.session.get(Device, 1)
        assert device is not None and device.last_seq == 3
    assert [(e.device_seq, e.idempotency_key) for e in made] == [tuple(row) for row in rows]
    assert [e.device_seq for e in made] == [1, 2, 3]
