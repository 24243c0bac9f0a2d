"""A store's ticket is one sale (S3): the same ticket under another key is a duplicate."""

from __future__ import annotations

import json
import threading
import uuid
from typing import Any

import pytest
from alembic import command
from fastapi.testclient import TestClient
from sqlalchemy import create_engine, func, select, text

from backoffice.cli.main import main
from backoffice.database import Database
from backoffice.migrate import alembic_config, upgrade_database
from backoffice.models.intake import ReceivedEvent
from backoffice.models.sales import SaleTicket
from backoffice.sync.intake.upload import UploadIntake
from backoffice.trust.device_tokens import DeviceIdentity
from pos_app.protocol.outcomes import Outcome
from tests.backoffice.conftest import EnrolledTill, MovableClock, enroll
from tests.backoffice.factories import ticket_closed


def _upload(client: TestClient, till: EnrolledTill, *events: Any) -> list[dict[str, Any]]:
    response = client.post("/api/v1/events", json={"events": list(events)}, headers=till.headers)
    assert response.status_code == 200, response.text
    results: list[dict[str, Any]] = response.json()["results"]
    return results


def _count(database: Database, model: type[Any]) -> int:
    with database.sessions.begin() as session:
        return int(session.scalar(select(func.count()).select_from(model)) or 0)


def test_same_ticket_under_another_key_is_stored_once(
    client: TestClient, database: Database, till: EnrolledTill
) -> None:
    """S3: a ticket already received under another key is `duplicate`, TICKET_ALREADY_RECEIVED."""
    first = ticket_closed("DEMO-1", till.device_id, ticket_id="T-ONCE", seq=1)
    again = ticket_closed("DEMO-1", till.device_id, ticket_id="T-ONCE", seq=2)
    assert _upload(client, till, first)[0]["outcome"] == "accepted"

    (result,) = _upload(client, till, again)
    assert (result["outcome"], result["reason"]) == ("duplicate", "TICKET_ALREADY_RECEIVED")
    assert "payload.ticket_id" in result["detail"]
    assert first["idempotency_key"] in result["detail"]
    assert _count(database, SaleTicket) == 1

    (resent,) = _upload(client, till, again)  # its own key, sent again: the same answer
    assert (resent["outcome"], resent["first_outcome"], resent["reason"]) == (
        "duplicate",
        "duplicate",
        "TICKET_ALREADY_RECEIVED",
    )
    assert _count(database, SaleTicket) == 1
    assert _count(database, ReceivedEvent) == 2


def test_same_ticket_id_in_another_store_is_another_sale(
    client: TestClient, database: Database, till: EnrolledTill, clock: MovableClock
) -> None:
    """S3/S12: ticket ids are per store: OTHER-1's T-1 is not DEMO-1's T-1."""
    other = enroll(client, database, "OTHER-1", "other-till", clock())
    ours = ticket_closed("DEMO-1", till.device_id, ticket_id="T-1")
    theirs = ticket_closed("OTHER-1", other.device_id, ticket_id="T-1")
    assert _upload(client, till, ours)[0]["outcome"] == "accepted"
    assert _upload(client, other, theirs)[0]["outcome"] == "accepted"
    assert _count(database, SaleTicket) == 2


def test_racing_uploads_of_one_ticket_store_one_sale(
    database: Database, till: EnrolledTill, clock: MovableClock
) -> None:
    """S3: one ticket sent at once under several keys is accepted once, the rest duplicates."""
    device = DeviceIdentity(till.device_id, "DEMO-1", "till-1")
    copies = [
        ticket_closed("DEMO-1", till.device_id, ticket_id="T-RACE", seq=n, coupons=["CV-5"])
        for n in range(1, 7)
    ]
    barrier = threading.Barrier(len(copies))
    results: list[tuple[Outcome, str | None]] = []
    errors: list[BaseException] = []

    def upload(sale: dict[str, Any]) -> None:
        try:
            barrier.wait()
            result = UploadIntake(database, clock).receive_event(device, sale)
            results.append((result.outcome, result.reason))
        except BaseException as exc:  # reported below, with the thread's failure
            errors.append(exc)

    threads = [threading.Thread(target=upload, args=(sale,)) for sale in copies]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()
    assert errors == []
    assert sorted(results) == sorted(
        [(Outcome.ACCEPTED, None)] + [(Outcome.DUPLICATE, "TICKET_ALREADY_RECEIVED")] * 5
    )
    assert _count(database, SaleTicket) == 1
    assert _count(database, ReceivedEvent) == 6


def test_sales_json_lists_each_lines_adjustments(
    database_url: str,
    client: TestClient,
    till: EnrolledTill,
    capsys: pytest.CaptureFixture[str],
) -> None:
    """S4: `sales --json` gives each line's adjustments (stage, kind, source, rule, amount)."""
    sale = ticket_closed("DEMO-1", till.device_id, ticket_id="T-ADJ")
    _upload(client, till, sale)
    capsys.readouterr()
    assert main(["sales", "--json", "--database-url", database_url]) == 0
    (listed,) = json.loads(capsys.readouterr().out)
    sent = sale["payload"]["lines"]
    assert [line["adjustments"] for line in listed["lines"]] == [
        line["adjustments"] for line in sent
    ]
    assert listed["lines"][1]["adjustments"] == [
        {"stage": 3, "kind": "promotion", "source": "P-TEST", "rule": "R4", "amount": "0.50"}
    ]


def test_upgrade_refuses_tickets_already_stored_twice(empty_database_url: str) -> None:
    """Migration 0002 stops and names the tickets when a store's ticket is stored twice."""
    command.upgrade(alembic_config(empty_database_url), "0001")
    engine = create_engine(empty_database_url)
    now = "2026-11-21 12:00:00"
    try:
        with engine.begin() as connection:
            connection.execute(
                text(
                    "INSERT INTO devices (device_id, store_id, name, token_hash, enrolled_at)"
                    " VALUES ('D-1', 'DEMO-1', 'till-1', 'h', :now)"
                ),
                {"now": now},
            )
            for event_id in (1, 2):
                connection.execute(
                    text(
                        "INSERT INTO received_events (id, idempotency_key, payload_hash,"
                        " device_id, store_id, received_at, outcome, body) VALUES"
                        " (:id, :key, 'h', 'D-1', 'DEMO-1', :now, 'accepted', '{}')"
                    ),
                    {"id": event_id, "key": str(uuid.uuid4()), "now": now},
                )
                connection.execute(
                    text(
                        "INSERT INTO sale_tickets (event_id, ticket_id, store_id, device_id,"
                        " currency, total, opened_at, closed_at, received_at) VALUES"
                        " (:id, 'T-TWICE', 'DEMO-1', 'D-1', 'USD', '1.00', :now, :now, :now)"
                    ),
                    {"id": event_id, "now": now},
                )
    finally:
        engine.dispose()
    with pytest.raises(RuntimeError, match=r"DEMO-1/T-TWICE x2"):
        upgrade_database(empty_database_url)
