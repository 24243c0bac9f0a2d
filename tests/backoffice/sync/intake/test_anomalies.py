"""The back office checks what it stores (issue 18, item 3): a ``ticket.closed`` whose
sums do not add up, whose currency is not its store's, whose till is not the token's, or
whose item or coupon the chain does not know is stored as received, answered
``accepted`` (S4: nothing is dropped, the till did its part), held with its reasons in
words, and left out of the sales report until an administrator accepts it. On SQLite
and PostgreSQL."""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

import pytest
from fastapi.testclient import TestClient
from sqlalchemy import func, select

from backoffice.database import Database
from backoffice.models.anomalies import SaleAnomaly
from backoffice.models.sales import SaleTicket
from backoffice.reports.anomalies import AnomalyError, accept_anomaly, list_anomalies
from backoffice.reports.sales import list_sales
from tests.backoffice.conftest import EnrolledTill, MovableClock, enroll
from tests.backoffice.factories import event, ticket_payload

Change = Callable[[dict[str, Any]], None]


def _upload(client: TestClient, till: EnrolledTill, payload: dict[str, Any]) -> dict[str, Any]:
    response = client.post(
        "/api/v1/events", json={"events": [event("ticket.closed", payload)]}, headers=till.headers
    )
    assert response.status_code == 200, response.text
    result: dict[str, Any] = response.json()["results"][0]
    return result


def _anomalies(database: Database) -> list[dict[str, Any]]:
    with database.sessions.begin() as session:
        return list_anomalies(session)


def _sales(database: Database) -> list[str]:
    with database.sessions.begin() as session:
        return [sale["id"] for sale in list_sales(session)]


def _stored(database: Database) -> int:
    with database.sessions.begin() as session:
        return int(session.scalar(select(func.count()).select_from(SaleTicket)) or 0)


def _set(path: str, value: Any) -> Change:
    def change(payload: dict[str, Any]) -> None:
        target: Any = payload
        *parents, last = path.split(".")
        for part in parents:
            target = target[int(part)] if part.isdigit() else target[part]
        target[int(last) if last.isdigit() else last] = value

    return change


BROKEN: dict[str, tuple[Change, str, str]] = {
    "a total far above its lines": (
        _set("total", "999999.00"),
        "TOTAL_MISMATCH",
        "The total says USD 999999.00, but the lines add up to USD 15.50.",
    ),
    "a negative line net": (
        _set("lines.1.net", "-0.50"),
        "NEGATIVE_LINE",
        "Cola: its net, USD -0.50, is below zero.",
    ),
    "a gross that is not price times quantity": (
        _set("lines.0.qty", 2),
        "LINE_GROSS_MISMATCH",
        "Classic burger: 2 × USD 12.00 is USD 24.00, not USD 12.00.",
    ),
    "a promotion listed for more than its lines show": (
        _set("promotions", {"P-TEST": "5.00"}),
        "DISCOUNT_MISMATCH",
        "The promotion P-TEST is listed at USD 5.00, but its lines show USD 0.50.",
    ),
    "a payment of 0.01 for 15.50": (
        _set("payments", [{"method": "card", "amount": "0.01"}]),
        "UNDERPAID",
        "The payments cover USD 0.01 of the USD 15.50 due.",
    ),
    "a currency the store does not sell in": (
        _set("currency", "XXX"),
        "WRONG_CURRENCY",
        "Rung up in XXX, but Demo Diner sells in USD.",
    ),
    "an item the catalog does not have": (
        _set("lines.0.sku", "NO-SUCH-ITEM"),
        "UNKNOWN_ITEM",
        "Classic burger: item NO-SUCH-ITEM is not in the catalog.",
    ),
    "a coupon the chain never issued": (
        lambda p: p.update(ticket_payload("DEMO-1", p["device_id"], coupons=["FAKE-1"])),
        "UNKNOWN_COUPON",
        "Coupon FAKE-1 is not a coupon the chain issued.",
    ),
}


def test_a_sale_that_adds_up_is_clean_revenue(
    client: TestClient, database: Database, till: EnrolledTill
) -> None:
    """The control: the same ticket unbroken is accepted, listed, and holds nothing."""
    payload = ticket_payload("DEMO-1", till.device_id)
    assert _upload(client, till, payload)["outcome"] == "accepted"
    assert _anomalies(database) == []
    assert _sales(database) == [payload["ticket_id"]]


@pytest.mark.parametrize("case", sorted(BROKEN))
def test_a_sale_that_does_not_add_up_is_stored_held_and_kept_out_of_revenue(
    client: TestClient, database: Database, till: EnrolledTill, case: str
) -> None:
    change, code, text = BROKEN[case]
    payload = ticket_payload("DEMO-1", till.device_id)
    change(payload)
    result = _upload(client, till, payload)
    assert result["outcome"] == "accepted"  # nothing dropped: the till is done with it
    assert _stored(database) == 1
    [held] = _anomalies(database)
    assert code in held["reason_codes"]
    assert text in held["reasons"]
    assert held["state"] == "held"
    assert held["store"] == "Demo Diner"
    assert held["till"] == "till-1"
    assert _sales(database) == []  # counted nowhere as clean revenue


def test_a_sale_claiming_another_till_is_held_naming_both_tills(
    client: TestClient, database: Database, till: EnrolledTill, clock: MovableClock
) -> None:
    other = enroll(client, database, "DEMO-1", "till-2", clock())
    payload = ticket_payload("DEMO-1", other.device_id)
    assert _upload(client, till, payload)["outcome"] == "accepted"
    [held] = _anomalies(database)
    assert held["reason_codes"] == ["WRONG_TILL"]
    assert held["reasons"] == [
        "Sent by till “till-1”, but it says it was rung up on another till (“till-2”)."
    ]


def test_every_reason_is_kept_and_a_resend_holds_nothing_twice(
    client: TestClient, database: Database, till: EnrolledTill
) -> None:
    payload = ticket_payload("DEMO-1", till.device_id, total="-3.00")
    sent = event("ticket.closed", payload)
    for _ in range(2):
        response = client.post("/api/v1/events", json={"events": [sent]}, headers=till.headers)
        assert response.status_code == 200
    [held] = _anomalies(database)
    assert held["reason_codes"] == ["TOTAL_MISMATCH", "NEGATIVE_TOTAL", "PAYMENT_MISMATCH"]
    assert held["total_shown"] == "USD -3.00"


def test_an_accepted_anomaly_counts_as_revenue_and_keeps_who_and_when(
    client: TestClient, database: Database, till: EnrolledTill, clock: MovableClock
) -> None:
    payload = ticket_payload("DEMO-1", till.device_id, total="999999.00")
    _upload(client, till, payload)
    [held] = _anomalies(database)
    with database.sessions.begin() as session:
        number = accept_anomaly(session, held["id"], "admin:ada@example.com", clock())
    assert number == payload["ticket_id"]
    [accepted] = _anomalies(database)
    assert accepted["state"] == "accepted"
    assert accepted["accepted_by"] == "admin:ada@example.com"
    assert accepted["accepted_at"] == "2026-11-21T12:00:00+00:00"
    assert _sales(database) == [payload["ticket_id"]]
    with (
        pytest.raises(AnomalyError, match=r"already accepted by admin:ada@example\.com"),
        database.sessions.begin() as session,
    ):
        accept_anomaly(session, held["id"], "admin:bob@example.com", clock())
    with (
        pytest.raises(AnomalyError, match="no anomaly 999"),
        database.sessions.begin() as session,
    ):
        accept_anomaly(session, 999, "admin:bob@example.com", clock())
    with database.sessions.begin() as session:
        assert session.scalar(select(SaleAnomaly.accepted_by)) == "admin:ada@example.com"
