"""Download by cursor (S7): pages in change order, tombstones, store scoping."""

from __future__ import annotations

from typing import Any

from fastapi.testclient import TestClient

from backoffice.database import Database
from tests.backoffice.conftest import EnrolledTill, MovableClock, enroll

DEMO_RECORDS = 1 + 16 + 8 + 6 + 2  # store, items, promotions, coupons, members


def _pull_all(client: TestClient, till: EnrolledTill, cursor: str = "", limit: int = 500) -> Any:
    """Every page from ``cursor``; returns (records, final cursor, number of pages)."""
    records: list[dict[str, Any]] = []
    pages = 0
    while True:
        response = client.get(
            "/api/v1/changes", params={"cursor": cursor, "limit": limit}, headers=till.headers
        )
        assert response.status_code == 200, response.text
        page = response.json()
        pages += 1
        records += page["records"]
        cursor = page["cursor"]
        if not page["has_more"]:
            return records, cursor, pages


def test_pages_by_cursor_in_change_order(client: TestClient, till: EnrolledTill) -> None:
    """S7: pages of `limit` come in change order; the server's cursor resumes exactly."""
    records, cursor, pages = _pull_all(client, till, limit=5)
    assert len(records) == DEMO_RECORDS
    assert pages == -(-DEMO_RECORDS // 5)
    assert records[0] == {
        "kind": "store",
        "version": 1,
        "id": "DEMO-1",
        "deleted": False,
        "data": {
            "id": "DEMO-1",
            "name": "Demo Diner",
            "address": "1 Demo Street",
            "currency": "USD",
        },
    }
    assert [r["kind"] for r in records[1:17]] == ["item"] * 16
    assert len({(r["kind"], r["id"]) for r in records}) == DEMO_RECORDS
    again = client.get("/api/v1/changes", params={"cursor": cursor}, headers=till.headers).json()
    assert again["records"] == [] and again["has_more"] is False
    assert again["cursor"] == cursor and again["snapshot"] is False


def test_first_page_has_more(client: TestClient, till: EnrolledTill) -> None:
    """S7: a full page says has_more; no cursor (or "") means from the start."""
    page = client.get("/api/v1/changes?limit=3", headers=till.headers).json()
    assert len(page["records"]) == 3 and page["has_more"] is True
    same = client.get("/api/v1/changes?cursor=&limit=3", headers=till.headers).json()
    assert same == page


def test_admin_change_reaches_the_till_after_its_cursor(
    client: TestClient, till: EnrolledTill, admin_headers: dict[str, str]
) -> None:
    """S7: the back office changes a promotion; the till's next pull brings just that."""
    _, cursor, _ = _pull_all(client, till)
    changed = {
        "id": "SALAD-DAY",
        "name": "Salad special",
        "type": "special_price",
        "sequence": 5,
        "auto_execute": True,
        "price": "5.50",
        "items": ["SALAD"],
    }
    put = client.put("/api/v1/admin/promotions/SALAD-DAY", json=changed, headers=admin_headers)
    assert put.status_code == 200, put.text
    records, _, _ = _pull_all(client, till, cursor)
    assert records == [
        {"kind": "promotion", "version": 1, "id": "SALAD-DAY", "deleted": False, "data": changed}
    ]


def test_delete_sends_a_tombstone(
    client: TestClient, till: EnrolledTill, admin_headers: dict[str, str]
) -> None:
    """S7: a deleted record comes down as a tombstone (deleted, data {})."""
    _, cursor, _ = _pull_all(client, till)
    assert client.delete("/api/v1/admin/coupons/CV-5", headers=admin_headers).status_code == 200
    records, cursor, _ = _pull_all(client, till, cursor)
    assert records == [{"kind": "coupon", "version": 1, "id": "CV-5", "deleted": True, "data": {}}]
    # Deleting again changes nothing, so nothing more comes down.
    assert client.delete("/api/v1/admin/coupons/CV-5", headers=admin_headers).status_code == 200
    assert _pull_all(client, till, cursor)[0] == []


def test_only_own_store_and_chain_wide_records(
    client: TestClient,
    database: Database,
    clock: MovableClock,
    till: EnrolledTill,
    admin_headers: dict[str, str],
) -> None:
    """S7/S12: a device gets its store's records and chain-wide ones, never another store's."""
    other = enroll(client, database, "OTHER-1", "other-till", clock())
    member = {"id": "M-9", "name": "Local hero", "phone": "+15550109999"}
    put = client.put(
        "/api/v1/admin/members/M-9?store_id=OTHER-1", json=member, headers=admin_headers
    )
    assert put.status_code == 201, put.text
    demo_ids = {(r["kind"], r["id"]) for r in _pull_all(client, till)[0]}
    other_ids = {(r["kind"], r["id"]) for r in _pull_all(client, other)[0]}
    assert ("member", "M-9") in other_ids and ("member", "M-9") not in demo_ids
    assert ("store", "OTHER-1") in other_ids and ("store", "OTHER-1") not in demo_ids
    assert ("store", "DEMO-1") in demo_ids and ("store", "DEMO-1") not in other_ids
    assert ("item", "BURGER") in demo_ids and ("item", "BURGER") in other_ids


def test_moving_a_record_to_another_store_tombstones_it_for_the_first(
    client: TestClient, till: EnrolledTill, admin_headers: dict[str, str]
) -> None:
    """S7: a chain-wide record made store-specific elsewhere is removed from this store."""
    _, cursor, _ = _pull_all(client, till)
    member = {"id": "M-1001", "name": "Ada Lovelace", "phone": "+15550100001"}
    put = client.put(
        "/api/v1/admin/members/M-1001?store_id=OTHER-1", json=member, headers=admin_headers
    )
    assert put.status_code == 200, put.text
    records, _, _ = _pull_all(client, till, cursor)
    assert records == [
        {"kind": "member", "version": 1, "id": "M-1001", "deleted": True, "data": {}}
    ]


def test_cursor_not_issued_by_the_server_is_400(client: TestClient, till: EnrolledTill) -> None:
    """S7: the cursor is the server's; anything else is refused with 400."""
    for bad in ("abc", "-1", "2026-11-21T12:00:00", "1180591620717411303424", "s1.x", "٣"):
        response = client.get("/api/v1/changes", params={"cursor": bad}, headers=till.headers)
        assert response.status_code == 400, bad


def test_limit_outside_1_to_1000_is_refused(client: TestClient, till: EnrolledTill) -> None:
    """S7: limit is 1-1000."""
    assert client.get("/api/v1/changes?limit=0", headers=till.headers).status_code == 422
    assert client.get("/api/v1/changes?limit=1001", headers=till.headers).status_code == 422
