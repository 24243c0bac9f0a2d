"""Snapshot bootstrap and compaction (S16): a till with no cursor gets its store's live
records, then follows the log; a compacted log expires old cursors (410)."""

from __future__ import annotations

from datetime import timedelta
from typing import Any

from fastapi.testclient import TestClient
from sqlalchemy import func, select

from backoffice.database import Database
from backoffice.models.records import ChangeLogEntry
from backoffice.sync.change_feed import compact
from tests.backoffice.conftest import EnrolledTill, MovableClock

PROMOTION = {
    "id": "P-SNAP",
    "name": "Snapshot special",
    "type": "special_price",
    "sequence": 50,
    "auto_execute": True,
    "price": "5.00",
    "items": ["SALAD"],
}


def _pull(client: TestClient, till: EnrolledTill, cursor: str = "", limit: int = 500) -> Any:
    """Every page from ``cursor``: (records, pages, final cursor)."""
    records: list[dict[str, Any]] = []
    pages: list[dict[str, Any]] = []
    while True:
        response = client.get(
            "/api/v1/changes", params={"cursor": cursor, "limit": limit}, headers=till.headers
        )
        assert response.status_code == 200, response.text
        page = response.json()
        pages.append(page)
        records += page["records"]
        cursor = page["cursor"]
        if not page["has_more"]:
            return records, pages, cursor


def _edit_many_times(client: TestClient, headers: dict[str, str], times: int) -> None:
    for n in range(times):
        body = {**PROMOTION, "price": f"{5 + n}.00"}
        assert client.put("/api/v1/admin/promotions/P-SNAP", json=body, headers=headers).is_success


def test_first_download_is_the_live_records_not_the_history(
    client: TestClient, till: EnrolledTill, admin_headers: dict[str, str]
) -> None:
    """S16: a record edited 20 times and one deleted come down once and not at all."""
    _edit_many_times(client, admin_headers, 20)
    assert client.delete("/api/v1/admin/coupons/CV-5", headers=admin_headers).is_success
    records, pages, _ = _pull(client, till, limit=7)
    ids = [(r["kind"], r["id"]) for r in records]
    assert ids.count(("promotion", "P-SNAP")) == 1
    assert ("coupon", "CV-5") not in ids
    assert all(not r["deleted"] for r in records)
    latest = next(r for r in records if r["id"] == "P-SNAP")
    assert latest["data"]["price"] == "24.00"
    assert all(page["snapshot"] for page in pages)
    assert [page["snapshot_complete"] for page in pages] == [False] * (len(pages) - 1) + [True]


def test_changes_during_a_snapshot_come_after_it_from_the_log(
    client: TestClient, till: EnrolledTill, admin_headers: dict[str, str]
) -> None:
    """S16: what changes while a till pages through its snapshot reaches it from the log,
    so snapshot and log together leave exactly the server's records."""
    first = client.get("/api/v1/changes?limit=5", headers=till.headers).json()
    assert first["snapshot"] and first["has_more"]
    _edit_many_times(client, admin_headers, 2)
    assert client.delete("/api/v1/admin/items/COLA", headers=admin_headers).is_success
    rest, pages, cursor = _pull(client, till, first["cursor"])
    seen: dict[tuple[str, str], dict[str, Any] | None] = {}
    for record in first["records"] + rest:
        seen[(record["kind"], record["id"])] = None if record["deleted"] else record["data"]
    assert seen[("promotion", "P-SNAP")] == {**PROMOTION, "price": "6.00"}
    assert seen[("item", "COLA")] is None
    assert pages[-1]["snapshot"] is False  # the log after the snapshot's position
    assert _pull(client, till, cursor)[0] == []


def test_compaction_drops_superseded_entries_and_old_tombstones(
    client: TestClient,
    database: Database,
    clock: MovableClock,
    till: EnrolledTill,
    admin_headers: dict[str, str],
) -> None:
    """S16: past the retention window superseded entries and tombstones are dropped; the
    latest entry of every live record stays; a newer cursor still reads on."""
    _edit_many_times(client, admin_headers, 5)
    assert client.delete("/api/v1/admin/coupons/CV-5", headers=admin_headers).is_success
    _, _, newest = _pull(client, till)
    with database.sessions.begin() as session:
        before = int(session.scalar(select(func.count()).select_from(ChangeLogEntry)) or 0)
    clock.advance(timedelta(days=31))
    done = compact(database.sessions, clock(), timedelta(days=30))
    assert done.dropped == 4 + 1 + 1  # 4 superseded edits, CV-5's put and its tombstone
    with database.sessions.begin() as session:
        after = int(session.scalar(select(func.count()).select_from(ChangeLogEntry)) or 0)
    assert after == before - done.dropped
    fresh, _, _ = _pull(client, till)
    assert ("coupon", "CV-5") not in {(r["kind"], r["id"]) for r in fresh}
    assert compact(database.sessions, clock(), timedelta(days=30)).dropped == 0
    assert _pull(client, till, newest)[0] == []


def test_a_cursor_older_than_the_window_is_410(
    client: TestClient,
    database: Database,
    clock: MovableClock,
    till: EnrolledTill,
    admin_headers: dict[str, str],
) -> None:
    """S16: a cursor below what compaction dropped is refused with 410 and the window;
    the till starts again with no cursor."""
    _, _, old_cursor = _pull(client, till)
    _edit_many_times(client, admin_headers, 3)
    clock.advance(timedelta(days=31))
    compact(database.sessions, clock(), timedelta(days=30))
    expired = client.get("/api/v1/changes", params={"cursor": old_cursor}, headers=till.headers)
    assert expired.status_code == 410
    assert expired.json()["reason"] == "CURSOR_EXPIRED"
    assert expired.json()["retention_seconds"] == 30 * 86400
    again, _, _ = _pull(client, till)
    assert ("promotion", "P-SNAP") in {(r["kind"], r["id"]) for r in again}


def test_the_ping_and_every_page_tell_the_retention_window(
    client: TestClient, till: EnrolledTill
) -> None:
    """S16: tills are told the retention window."""
    assert client.get("/api/v1/ping", headers=till.headers).json()["retention_seconds"] == 2592000
    page = client.get("/api/v1/changes", headers=till.headers).json()
    assert page["retention_seconds"] == 2592000
