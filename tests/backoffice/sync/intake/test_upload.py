"""Upload (S3-S5, S13): per-event outcomes, idempotency, whole-request errors."""

from __future__ import annotations

import json
import threading
import uuid
from collections.abc import Iterator
from typing import Any

import pytest
from fastapi.testclient import TestClient
from sqlalchemy import func, select

from backoffice.database import Database
from backoffice.models.intake import ReceivedEvent
from backoffice.models.sales import SaleTicket
from backoffice.sync.intake.upload import UploadIntake
from backoffice.trust.device_tokens import DeviceIdentity
from pos_app.protocol.outcomes import Outcome
from tests.backoffice.conftest import EnrolledTill, MovableClock
from tests.backoffice.factories import event, ticket_closed


def _upload(client: TestClient, till: EnrolledTill, events: list[Any]) -> list[dict[str, Any]]:
    response = client.post("/api/v1/events", json={"events": events}, headers=till.headers)
    assert response.status_code == 200, response.text
    results: list[dict[str, Any]] = response.json()["results"]
    return results


def _count(database: Database, model: type[Any]) -> int:
    with database.sessions.begin() as session:
        return int(session.scalar(select(func.count()).select_from(model)) or 0)


def test_mixed_batch_gets_one_result_per_event_in_order(
    client: TestClient, database: Database, till: EnrolledTill
) -> None:
    """S3/S4/S5: accepted, duplicate, key reused and rejected side by side, in order."""
    first = ticket_closed("DEMO-1", till.device_id, seq=1)
    assert _upload(client, till, [first])[0]["outcome"] == "accepted"

    reused = ticket_closed("DEMO-1", till.device_id, seq=2, key=first["idempotency_key"])
    fresh = ticket_closed("DEMO-1", till.device_id, seq=3)
    malformed = ticket_closed("DEMO-1", till.device_id, seq=4)
    malformed["payload"]["lines"][0]["unit_price"] = 12.0  # money must be a string
    unknown_type = event("ticket.voided", {"store_id": "DEMO-1"}, seq=5)
    unknown_version = event("ticket.closed", {"store_id": "DEMO-1"}, seq=6, version=99)
    results = _upload(
        client, till, [first, reused, fresh, malformed, unknown_type, unknown_version]
    )

    assert [r["idempotency_key"] for r in results] == [
        e["idempotency_key"]
        for e in (first, reused, fresh, malformed, unknown_type, unknown_version)
    ]
    assert [(r["outcome"], r["reason"]) for r in results] == [
        ("duplicate", None),
        ("rejected", "IDEMPOTENCY_KEY_REUSED"),
        ("accepted", None),
        ("rejected", "MALFORMED_EVENT"),
        ("rejected", "UNKNOWN_EVENT_TYPE"),
        ("rejected", "UNKNOWN_EVENT_VERSION"),
    ]
    assert results[0]["first_outcome"] == "accepted"
    assert "payload.lines[0].unit_price" in results[3]["detail"]
    assert _count(database, SaleTicket) == 2


def test_duplicate_returns_the_first_outcome(client: TestClient, till: EnrolledTill) -> None:
    """S3: a resend gets `duplicate` with the first outcome, even a rejection."""
    bad = event("ticket.voided", {"store_id": "DEMO-1"})
    assert _upload(client, till, [bad])[0]["reason"] == "UNKNOWN_EVENT_TYPE"
    again = _upload(client, till, [bad])[0]
    assert (again["outcome"], again["first_outcome"], again["reason"]) == (
        "duplicate",
        "rejected",
        "UNKNOWN_EVENT_TYPE",
    )


def test_same_key_twice_in_one_batch(
    client: TestClient, database: Database, till: EnrolledTill
) -> None:
    """S3: the second copy of an event in the same batch is a duplicate; one sale stored."""
    sale = ticket_closed("DEMO-1", till.device_id)
    results = _upload(client, till, [sale, sale])
    assert [r["outcome"] for r in results] == ["accepted", "duplicate"]
    assert _count(database, SaleTicket) == 1


@pytest.mark.parametrize(
    ("mutate", "field"),
    [
        (lambda e: e.pop("idempotency_key"), "idempotency_key"),
        (lambda e: e.update(idempotency_key="not-a-uuid"), "idempotency_key"),
        (lambda e: e.update(device_seq="17"), "device_seq"),
        (lambda e: e.update(device_time="2026-11-21T12:00:00"), "device_time"),
        (lambda e: e["payload"].pop("ticket_id"), "payload.ticket_id"),
        (lambda e: e["payload"].update(total=15.5), "payload.total"),
        (lambda e: e["payload"]["lines"][1].update(qty="1"), "payload.lines[1].qty"),
    ],
)
def test_malformed_event_is_rejected_naming_the_field(
    client: TestClient, till: EnrolledTill, mutate: Any, field: str
) -> None:
    """S5: a malformed event is rejected alone (reason MALFORMED_EVENT, detail names the field)."""
    bad = ticket_closed("DEMO-1", till.device_id, seq=1)
    mutate(bad)
    good = ticket_closed("DEMO-1", till.device_id, seq=2)
    results = _upload(client, till, [bad, good])
    assert (results[0]["outcome"], results[0]["reason"]) == ("rejected", "MALFORMED_EVENT")
    assert results[0]["detail"].startswith(field + ":"), results[0]["detail"]
    assert results[1]["outcome"] == "accepted"


def test_event_that_is_not_an_object_is_rejected_alone(
    client: TestClient, till: EnrolledTill
) -> None:
    """S5: even a non-object event does not block the rest of the batch."""
    results = _upload(client, till, ["junk", ticket_closed("DEMO-1", till.device_id)])
    assert [(r["outcome"], r["idempotency_key"] is None) for r in results] == [
        ("rejected", True),
        ("accepted", False),
    ]


def test_other_event_types_are_accepted(client: TestClient, till: EnrolledTill) -> None:
    """S6/R12: override.changed and conflict.resolved are accepted and kept for audit."""
    override = event(
        "override.changed",
        {
            "store_id": "DEMO-1",
            "promotion_id": "DESSERT-10",
            "auto_execute": True,
            "manager": "Mia",
            "changed_at": "2026-11-21T12:00:00+00:00",
        },
    )
    resolved = event(
        "conflict.resolved",
        {
            "store_id": "DEMO-1",
            "conflict_key": str(uuid.uuid4()),
            "resolution": "refunded",
            "note": "",
            "manager": "Mia",
        },
    )
    assert [r["outcome"] for r in _upload(client, till, [override, resolved])] == [
        "accepted",
        "accepted",
    ]


def test_server_records_its_own_receive_time_and_device_clock(
    client: TestClient, database: Database, till: EnrolledTill, clock: MovableClock
) -> None:
    """S13: device time and sequence are kept beside the server's receive time."""
    sale = ticket_closed("DEMO-1", till.device_id, seq=17)
    sale["device_time"] = "2026-11-21T11:50:00+00:00"
    response = client.post("/api/v1/events", json={"events": [sale]}, headers=till.headers)
    assert response.json()["server_time"] == "2026-11-21T12:00:00+00:00"
    with database.sessions.begin() as session:
        row = session.scalars(select(ReceivedEvent)).one()
        assert row.device_seq == 17
        assert row.device_time is not None
        assert row.device_time.isoformat() == "2026-11-21T11:50:00+00:00"
        assert row.received_at == clock()
        assert row.device_id == till.device_id


@pytest.mark.parametrize(
    "body",
    [
        b"{not json",
        b"[]",
        b'{"events": []}',
        b'{"events": {}}',
        b'{"version": 2, "events": [{}]}',
        json.dumps({"events": [{}] * 501}).encode(),
    ],
    ids=["bad-json", "not-an-object", "no-events", "events-not-a-list", "version-2", "501-events"],
)
def test_malformed_envelope_is_400(client: TestClient, till: EnrolledTill, body: bytes) -> None:
    """S5: a malformed envelope or unknown envelope version refuses the whole request (400)."""
    response = client.post(
        "/api/v1/events",
        content=body,
        headers={**till.headers, "Content-Type": "application/json"},
    )
    assert response.status_code == 400, response.text


def test_body_over_5_mib_is_413(client: TestClient, till: EnrolledTill) -> None:
    """S5: a body larger than 5 MiB is refused with 413 before it is read."""
    sale = ticket_closed("DEMO-1", till.device_id)
    sale["payload"]["note"] = "x" * (5 * 1024 * 1024)
    response = client.post("/api/v1/events", json={"events": [sale]}, headers=till.headers)
    assert response.status_code == 413


def test_chunked_body_over_5_mib_is_413(client: TestClient, till: EnrolledTill) -> None:
    """S5: a body without Content-Length is counted as it arrives and refused past 5 MiB."""

    def chunks() -> Iterator[bytes]:
        yield b'{"events": [{"payload": "'
        for _ in range(6):
            yield b"x" * (1024 * 1024)
        yield b'"}]}'

    response = client.post(
        "/api/v1/events",
        content=chunks(),
        headers={**till.headers, "Content-Type": "application/json"},
    )
    assert response.status_code == 413


def test_concurrent_duplicate_uploads_store_one_event(
    database: Database, till: EnrolledTill, clock: MovableClock
) -> None:
    """S3: the same event uploaded at once by several threads is accepted exactly once."""
    device = DeviceIdentity(till.device_id, "DEMO-1", "till-1")
    sale = ticket_closed("DEMO-1", till.device_id, coupons=["CV-5"])
    barrier = threading.Barrier(6)
    outcomes: list[Outcome] = []
    errors: list[BaseException] = []

    def upload() -> None:
        try:
            barrier.wait()
            result = UploadIntake(database, clock).receive_event(device, sale)
            outcomes.append(result.outcome)
        except BaseException as exc:  # reported below, with the thread's failure
            errors.append(exc)

    threads = [threading.Thread(target=upload) for _ in range(6)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()
    assert errors == []
    assert sorted(outcomes) == sorted([Outcome.ACCEPTED] + [Outcome.DUPLICATE] * 5)
    assert _count(database, ReceivedEvent) == 1
    assert _count(database, SaleTicket) == 1
