"""``ticket.refunded`` and ``shift.closed`` at the back office (SQLite and PostgreSQL):
each return and each day stored once, a return shown against its sale, a returned
entitlement active again, a malformed one rejected naming the field."""

from __future__ import annotations

from datetime import UTC, datetime
from typing import Any

import pytest
from fastapi.testclient import TestClient
from sqlalchemy import func, select

from backoffice.chain.change_log import find_record, put_record
from backoffice.database import Database
from backoffice.models.sales import RedeemedCode
from backoffice.models.shifts import SaleRefund, ShiftClosing
from backoffice.reports.sales import list_sales
from backoffice.reports.shifts import list_shifts
from tests.backoffice.conftest import EnrolledTill
from tests.backoffice.factories import event, ticket_closed


def refund_event(
    device_id: str,
    refund_of: str,
    *,
    refund_id: str = "R-1",
    restored: list[str] | None = None,
    seq: int = 2,
) -> dict[str, Any]:
    return event(
        "ticket.refunded",
        {
            "refund_id": refund_id,
            "number": "D1-01-000002",
            "store_id": "DEMO-1",
            "device_id": device_id,
            "refund_of": refund_of,
            "refund_of_number": "D1-01-000001",
            "refunded_at": "2026-11-21T13:00:00+00:00",
            "business_day": "2026-11-21",
            "currency": "USD",
            "method": "cash",
            "amount": "12.00",
            "tax": "1.09",
            "lines": [
                {
                    "line_id": "L1",
                    "sku": "BURGER",
                    "qty": 1,
                    "amount": "12.00",
                    "tax": "1.09",
                    "tax_rate": "10",
                }
            ],
            "restored_codes": restored or [],
        },
        seq=seq,
    )


def shift_event(device_id: str, *, seq: int = 3) -> dict[str, Any]:
    return event(
        "shift.closed",
        {
            "shift_id": f"{device_id}:1",
            "store_id": "DEMO-1",
            "device_id": device_id,
            "business_day": "2026-11-21",
            "opened_at": "2026-11-21T08:00:00+00:00",
            "closed_at": "2026-11-21T22:00:00+00:00",
            "currency": "USD",
            "sales": "15.50",
            "returns": "12.00",
            "net": "3.50",
            "report": {"kind": "Z", "tickets": 1},
        },
        seq=seq,
    )


def upload(client: TestClient, till: EnrolledTill, events: list[Any]) -> list[dict[str, Any]]:
    response = client.post("/api/v1/events", json={"events": events}, headers=till.headers)
    assert response.status_code == 200, response.text
    results: list[dict[str, Any]] = response.json()["results"]
    return results


def count(database: Database, model: type[Any]) -> int:
    with database.sessions.begin() as session:
        return int(session.scalar(select(func.count()).select_from(model)) or 0)


def test_a_return_is_stored_once_and_shown_against_its_sale(
    client: TestClient, database: Database, till: EnrolledTill
) -> None:
    """A return and the day: accepted; sent again (new keys): duplicates, stored once;
    `sales` lists the return under its sale, `shifts` the day."""
    sale = ticket_closed("DEMO-1", till.device_id, ticket_id="T-1", seq=1)
    sale["payload"]["number"] = "D1-01-000001"
    first = upload(
        client, till, [sale, refund_event(till.device_id, "T-1"), shift_event(till.device_id)]
    )
    assert [r["outcome"] for r in first] == ["accepted", "accepted", "accepted"]
    again = upload(
        client,
        till,
        [refund_event(till.device_id, "T-1", seq=4), shift_event(till.device_id, seq=5)],
    )
    assert [(r["outcome"], r["reason"]) for r in again] == [
        ("duplicate", "REFUND_ALREADY_RECEIVED"),
        ("duplicate", "SHIFT_ALREADY_RECEIVED"),
    ]
    assert count(database, SaleRefund) == 1 and count(database, ShiftClosing) == 1
    with database.sessions.begin() as session:
        (listed,) = list_sales(session)
        shifts = list_shifts(session)
    assert listed["number"] == "D1-01-000001" and listed["refunded"] == "12.00"
    (returned,) = listed["refunds"]
    assert (returned["number"], returned["method"], returned["amount"]) == (
        "D1-01-000002",
        "cash",
        "12.00",
    )
    assert [(s["business_day"], s["net"]) for s in shifts] == [("2026-11-21", "3.50")]


def test_a_returned_entitlement_is_active_again(
    client: TestClient, database: Database, till: EnrolledTill
) -> None:
    """A sale spends a member's entitlement; its return gives it back: the claim goes
    and the entitlement is active again in the change log, for every till."""
    with database.sessions.begin() as session:  # a member's coupon, as the admin API adds one
        put_record(
            session,
            "entitlement",
            "ENT-RET-1",
            {"code": "ENT-RET-1", "member_id": "M-1001", "coupon_code": "MV-4", "status": "active"},
            store_id=None,
            now=datetime.now(UTC),
            actor="test",
        )
    sale = ticket_closed("DEMO-1", till.device_id, ticket_id="T-9", coupons=["ENT-RET-1"])
    assert upload(client, till, [sale])[0]["outcome"] == "accepted"
    with database.sessions.begin() as session:
        assert session.get(RedeemedCode, "ENT-RET-1") is not None
        spent = find_record(session, "entitlement", "ENT-RET-1")
        assert spent is not None and spent.data["status"] == "redeemed"
    result = upload(client, till, [refund_event(till.device_id, "T-9", restored=["ENT-RET-1"])])
    assert result[0]["outcome"] == "accepted"
    with database.sessions.begin() as session:
        assert session.get(RedeemedCode, "ENT-RET-1") is None
        back = find_record(session, "entitlement", "ENT-RET-1")
        assert back is not None and back.data["status"] == "active"


@pytest.mark.parametrize(
    ("mutate", "field"),
    [
        (lambda p: p.update(method="cheque"), "payload.method"),
        (lambda p: p.update(amount=12.0), "payload.amount"),
        (lambda p: p.update(lines=[]), "payload.lines"),
        (lambda p: p["lines"][0].update(qty=0), "payload.lines[0].qty"),
    ],
)
def test_a_malformed_return_is_rejected_naming_the_field(
    client: TestClient, database: Database, till: EnrolledTill, mutate: Any, field: str
) -> None:
    """S5/S15: a bad return is rejected alone, naming the field; nothing stored."""
    bad = refund_event(till.device_id, "T-1")
    mutate(bad["payload"])
    (result,) = upload(client, till, [bad])
    assert (result["outcome"], result["reason"]) == ("rejected", "MALFORMED_EVENT")
    assert result["detail"].startswith(field), result["detail"]
    assert count(database, SaleRefund) == 0
