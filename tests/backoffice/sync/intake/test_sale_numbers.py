"""A till's ticket number holds one sale (issue 18): a second sale under a number the
back office already holds for that till is stored all the same, answered ``conflict``
(TICKET_NUMBER_REUSED) and listed with the other conflicts; nothing is dropped. On
SQLite and PostgreSQL."""

from __future__ import annotations

from typing import Any

from fastapi.testclient import TestClient

from backoffice.database import Database
from backoffice.reports.sales import list_sales
from tests.backoffice.conftest import EnrolledTill, MovableClock, enroll
from tests.backoffice.factories import event, ticket_payload


def _sale(till: EnrolledTill, ticket_id: str, number: str | None, seq: int = 1) -> Any:
    payload = ticket_payload(till.store_id, till.device_id, ticket_id=ticket_id)
    if number is not None:
        payload["number"] = number
    return event("ticket.closed", payload, seq=seq)


def _upload(client: TestClient, till: EnrolledTill, *events: Any) -> list[dict[str, Any]]:
    response = client.post("/api/v1/events", json={"events": list(events)}, headers=till.headers)
    assert response.status_code == 200, response.text
    results: list[dict[str, Any]] = response.json()["results"]
    return results


def test_a_second_sale_under_a_number_is_a_listed_conflict(
    client: TestClient, database: Database, till: EnrolledTill, admin_headers: dict[str, str]
) -> None:
    first = _sale(till, "T-1", "D1-01-000001")
    again = _sale(till, "T-2", "D1-01-000001", seq=2)
    assert _upload(client, till, first)[0]["outcome"] == "accepted"
    result = _upload(client, till, again)[0]
    assert (result["outcome"], result["reason"]) == ("conflict", "TICKET_NUMBER_REUSED")
    assert result["conflict_key"] == again["idempotency_key"]
    assert result["detail"].startswith("Ticket number D1-01-000001 was already used")
    assert "T-1" not in result["detail"] and till.device_id not in result["detail"]
    with database.sessions.begin() as session:
        sales = list_sales(session)
    assert [(s["id"], s["conflict"]) for s in sales] == [
        ("T-1", None),
        ("T-2", "TICKET_NUMBER_REUSED"),
    ]
    conflicts = client.get("/api/v1/admin/conflicts", headers=admin_headers).json()
    assert [c["reason"] for c in conflicts] == ["TICKET_NUMBER_REUSED"]
    assert conflicts[0]["detail"]["number_reused"]["first_ticket_id"] == "T-1"
    # the same sale sent again under a new key stays a duplicate, never a conflict
    resent = _upload(client, till, _sale(till, "T-1", "D1-01-000001", seq=3))[0]
    assert resent["outcome"] == "duplicate"


def test_two_sales_under_one_number_in_one_upload(
    client: TestClient, database: Database, till: EnrolledTill
) -> None:
    results = _upload(
        client,
        till,
        _sale(till, "T-1", "D1-01-000007"),
        _sale(till, "T-2", "D1-01-000007", seq=2),
        _sale(till, "T-3", "D1-01-000008", seq=3),
    )
    assert [r["outcome"] for r in results] == ["accepted", "conflict", "accepted"]
    with database.sessions.begin() as session:
        assert len(list_sales(session)) == 3


def test_numbers_are_per_store_and_a_sale_without_one_is_accepted(
    client: TestClient, database: Database, till: EnrolledTill, clock: MovableClock
) -> None:
    other_store = enroll(client, database, "OTHER-1", "till-9", clock())
    assert _upload(client, till, _sale(till, "T-1", "D1-01-000001"))[0]["outcome"] == "accepted"
    mine = _sale(other_store, "T-1", "D1-01-000001")
    assert _upload(client, other_store, mine)[0]["outcome"] == "accepted"
    unnumbered = [_sale(till, f"T-{n}", None, seq=n) for n in (5, 6)]
    assert [r["outcome"] for r in _upload(client, till, *unnumbered)] == ["accepted"] * 2
