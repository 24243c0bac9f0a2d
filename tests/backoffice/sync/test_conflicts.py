"""Conflicts (S6): a single-use code redeemed on two tickets; stored, reported, resolved."""

from __future__ import annotations

import threading
from typing import Any

import pytest
from fastapi.testclient import TestClient

from backoffice.database import Database
from backoffice.reports.sales import list_sales
from backoffice.sync.intake.upload import UploadIntake
from backoffice.trust.device_tokens import DeviceIdentity
from tests.backoffice.conftest import EnrolledTill, MovableClock, enroll
from tests.backoffice.factories import event, ticket_closed

ENTITLEMENT = {
    "code": "ENT-0001",
    "member_id": "M-1001",
    "coupon_code": "MV-4",
    "valid_from": "2026-11-01T00:00:00+00:00",
    "valid_to": "2026-12-31T00:00:00+00:00",
    "status": "active",
}


def _upload(client: TestClient, till: EnrolledTill, *events: Any) -> list[dict[str, Any]]:
    response = client.post("/api/v1/events", json={"events": list(events)}, headers=till.headers)
    assert response.status_code == 200, response.text
    results: list[dict[str, Any]] = response.json()["results"]
    return results


@pytest.fixture
def two_tills(
    client: TestClient, database: Database, clock: MovableClock, till: EnrolledTill
) -> tuple[EnrolledTill, EnrolledTill]:
    return till, enroll(client, database, "DEMO-1", "till-2", clock())


@pytest.fixture
def entitlement(client: TestClient, demo_chain: None, admin_headers: dict[str, str]) -> str:
    put = client.put("/api/v1/admin/entitlements/ENT-0001", json=ENTITLEMENT, headers=admin_headers)
    assert put.status_code == 201, put.text
    return "ENT-0001"


def test_entitlement_redeemed_at_two_tills_is_one_conflict(
    client: TestClient,
    database: Database,
    two_tills: tuple[EnrolledTill, EnrolledTill],
    entitlement: str,
    admin_headers: dict[str, str],
) -> None:
    """S6: the same entitlement redeemed offline at two tills: both sales kept, one conflict."""
    first, second = two_tills
    sale_1 = ticket_closed("DEMO-1", first.device_id, ticket_id="T-1", coupons=[entitlement])
    sale_2 = ticket_closed("DEMO-1", second.device_id, ticket_id="T-2", coupons=[entitlement])
    assert _upload(client, first, sale_1)[0]["outcome"] == "accepted"
    result = _upload(client, second, sale_2)[0]
    assert (result["outcome"], result["reason"]) == ("conflict", "COUPON_ALREADY_REDEEMED")
    assert result["conflict_key"] == sale_2["idempotency_key"]
    # the reply is read by a store manager: words, no ids (those stay in the conflict)
    # ... and the coupon by its name (the entitlement's coupon's), not its code
    assert result["detail"].startswith("Member voucher 4.00 was already redeemed at another till")
    assert "T-1" not in result["detail"] and first.device_id not in result["detail"]

    with database.sessions.begin() as session:
        sales = list_sales(session)
    assert [(s["id"], s["conflict"]) for s in sales] == [
        ("T-1", None),
        ("T-2", "COUPON_ALREADY_REDEEMED"),
    ]
    conflicts = client.get("/api/v1/admin/conflicts", headers=admin_headers).json()
    assert len(conflicts) == 1
    assert conflicts[0]["conflict_key"] == sale_2["idempotency_key"]
    assert conflicts[0]["device_id"] == second.device_id
    assert conflicts[0]["detail"]["codes"][0]["first_ticket_id"] == "T-1"
    assert conflicts[0]["resolved"] is False


def test_single_use_coupon_redeemed_twice_is_a_conflict(
    client: TestClient,
    two_tills: tuple[EnrolledTill, EnrolledTill],
    admin_headers: dict[str, str],
) -> None:
    """S6: a coupon with single_use redeemed on two tickets makes the second a conflict."""
    coupon = {
        "code": "ONCE-5",
        "name": "Five off, once",
        "kind": "cash_voucher",
        "sequence": 7,
        "face_value": "5.00",
        "single_use": True,
    }
    put = client.put("/api/v1/admin/coupons/ONCE-5", json=coupon, headers=admin_headers)
    assert put.status_code == 201, put.text
    first, second = two_tills
    one = _upload(client, first, ticket_closed("DEMO-1", first.device_id, coupons=["ONCE-5"]))
    two = _upload(client, second, ticket_closed("DEMO-1", second.device_id, coupons=["ONCE-5"]))
    assert (one[0]["outcome"], two[0]["outcome"]) == ("accepted", "conflict")
    assert two[0]["reason"] == "COUPON_ALREADY_REDEEMED"
    assert two[0]["detail"].startswith("Five off, once was already redeemed")  # by its name


def test_reusable_coupon_twice_is_no_conflict(
    client: TestClient, two_tills: tuple[EnrolledTill, EnrolledTill]
) -> None:
    """S6: an ordinary coupon (no single_use) may be redeemed on many tickets."""
    first, second = two_tills
    one = _upload(client, first, ticket_closed("DEMO-1", first.device_id, coupons=["CV-5"]))
    two = _upload(client, second, ticket_closed("DEMO-1", second.device_id, coupons=["CV-5"]))
    assert [one[0]["outcome"], two[0]["outcome"]] == ["accepted", "accepted"]


def test_duplicate_of_a_conflict_reports_the_conflict_again(
    client: TestClient, two_tills: tuple[EnrolledTill, EnrolledTill], entitlement: str
) -> None:
    """S3/S6: a resend of the conflicting event is a duplicate whose first outcome is conflict."""
    first, second = two_tills
    _upload(client, first, ticket_closed("DEMO-1", first.device_id, coupons=[entitlement]))
    clash = ticket_closed("DEMO-1", second.device_id, coupons=[entitlement])
    _upload(client, second, clash)
    again = _upload(client, second, clash)[0]
    assert (again["outcome"], again["first_outcome"], again["reason"]) == (
        "duplicate",
        "conflict",
        "COUPON_ALREADY_REDEEMED",
    )
    assert again["conflict_key"] == clash["idempotency_key"]


def test_same_ticket_under_a_new_key_is_not_a_second_redemption(
    client: TestClient, till: EnrolledTill, entitlement: str
) -> None:
    """S6/S3: the code's own ticket under another key is a duplicate sale, not a clash."""
    once = ticket_closed("DEMO-1", till.device_id, ticket_id="T-9", coupons=[entitlement])
    twice = ticket_closed("DEMO-1", till.device_id, ticket_id="T-9", coupons=[entitlement])
    results = _upload(client, till, once, twice)
    assert [(r["outcome"], r["reason"]) for r in results] == [
        ("accepted", None),
        ("duplicate", "TICKET_ALREADY_RECEIVED"),
    ]


def test_redeemed_entitlement_comes_down_as_redeemed(
    client: TestClient, till: EnrolledTill, entitlement: str
) -> None:
    """S7/S6: once redeemed, the entitlement's status goes down to every till as redeemed."""
    cursor = client.get("/api/v1/changes?limit=1000", headers=till.headers).json()["cursor"]
    _upload(client, till, ticket_closed("DEMO-1", till.device_id, coupons=[entitlement]))
    page = client.get("/api/v1/changes", params={"cursor": cursor}, headers=till.headers).json()
    assert [(r["kind"], r["id"], r["data"]["status"]) for r in page["records"]] == [
        ("entitlement", entitlement, "redeemed")
    ]


def test_conflict_resolved_event_closes_the_conflict(
    client: TestClient,
    two_tills: tuple[EnrolledTill, EnrolledTill],
    entitlement: str,
    admin_headers: dict[str, str],
) -> None:
    """S6: the till's conflict.resolved follow-up is recorded on the conflict."""
    first, second = two_tills
    _upload(client, first, ticket_closed("DEMO-1", first.device_id, coupons=[entitlement]))
    clash = ticket_closed("DEMO-1", second.device_id, coupons=[entitlement])
    conflict_key = _upload(client, second, clash)[0]["conflict_key"]
    follow_up = event(
        "conflict.resolved",
        {
            "store_id": "DEMO-1",
            "conflict_key": conflict_key,
            "resolution": "collected payment",
            "note": "customer paid the 1.00",
            "manager": "Mia",
        },
        seq=2,
    )
    assert _upload(client, second, follow_up)[0]["outcome"] == "accepted"
    open_ones = client.get("/api/v1/admin/conflicts?unresolved=true", headers=admin_headers)
    assert open_ones.json() == []
    (conflict,) = client.get("/api/v1/admin/conflicts", headers=admin_headers).json()
    assert conflict["resolved"] is True
    assert conflict["resolution"] == "collected payment"
    assert conflict["resolved_by"] == "Mia"


def test_racing_redemptions_make_exactly_one_conflict(
    database: Database,
    clock: MovableClock,
    two_tills: tuple[EnrolledTill, EnrolledTill],
    entitlement: str,
) -> None:
    """S6: two tills uploading the same entitlement at the same instant: one wins, one clashes."""
    barrier = threading.Barrier(2)
    outcomes: list[str] = []
    errors: list[BaseException] = []

    def upload(till: EnrolledTill) -> None:
        try:
            device = DeviceIdentity(till.device_id, "DEMO-1", till.device_id)
            sale = ticket_closed("DEMO-1", till.device_id, coupons=[entitlement])
            barrier.wait()
            outcomes.append(UploadIntake(database, clock).receive_event(device, sale).outcome)
        except BaseException as exc:  # reported below
            errors.append(exc)

    threads = [threading.Thread(target=upload, args=(t,)) for t in two_tills]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()
    assert errors == []
    assert sorted(outcomes) == ["accepted", "conflict"]
    with database.sessions.begin() as session:
        assert len(list_sales(session)) == 2
