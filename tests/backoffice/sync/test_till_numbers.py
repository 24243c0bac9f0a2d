"""``GET /api/v1/till-numbers`` (issue 18): the highest ticket number the back office
holds from the calling till (by sequence, not by text), its till number and how many
of its sales it holds; another till's numbers never count. SQLite and PostgreSQL."""

from __future__ import annotations

from typing import Any

from fastapi.testclient import TestClient

from backoffice.database import Database
from tests.backoffice.conftest import EnrolledTill, MovableClock, enroll
from tests.backoffice.factories import event, ticket_payload


def _sale(till: EnrolledTill, ticket_id: str, number: str, seq: int) -> Any:
    payload = ticket_payload(till.store_id, till.device_id, ticket_id=ticket_id)
    payload["number"] = number
    return event("ticket.closed", payload, seq=seq)


def test_the_highest_number_held_for_the_till(
    client: TestClient, database: Database, till: EnrolledTill, clock: MovableClock
) -> None:
    other = enroll(client, database, "DEMO-1", "till-2", clock())
    mine = [("T-1", "D1-01-000009"), ("T-2", "D1-01-1000000"), ("T-3", "D1-01-000010")]
    sales = [_sale(till, t, n, seq) for seq, (t, n) in enumerate(mine, start=1)]
    response = client.post("/api/v1/events", json={"events": sales}, headers=till.headers)
    assert response.status_code == 200, response.text
    theirs = _sale(other, "T-9", "D1-02-2000000", 1)
    client.post("/api/v1/events", json={"events": [theirs]}, headers=other.headers)
    body = client.get("/api/v1/till-numbers", headers=till.headers).json()
    assert body == {
        "till_number": 1,
        "last_ticket_number": "D1-01-1000000",
        "last_sequence": 1_000_000,
        "sales_held": 3,
        "z_reports": 0,
    }
    fresh = enroll(client, database, "DEMO-1", "till-3", clock())
    empty = client.get("/api/v1/till-numbers", headers=fresh.headers).json()
    assert (empty["last_ticket_number"], empty["last_sequence"], empty["till_number"]) == (
        None,
        0,
        3,
    )
    assert client.get("/api/v1/till-numbers").status_code == 401
