"""A record something uses is archived, not deleted (issue 18 item 4): a coupon a live
pack or a member's coupon holds, a store a pack sells in or a till is enrolled at stays
on the tills, and the administrator is told in words where it is used; a record nothing
uses is deleted as before. On SQLite and PostgreSQL."""

from __future__ import annotations

from typing import Any

from tests.backoffice.conftest import AdminApi, EnrolledTill
from tests.backoffice.packs.conftest import paid_pack


def _till_records(api: AdminApi, till: EnrolledTill) -> dict[tuple[str, str], Any]:
    changes = api("GET", "/api/v1/changes", headers=till.headers).json()
    return {(r["kind"], r["id"]): r for r in changes["records"]}


def test_a_coupon_a_live_pack_holds_is_archived_and_stays_on_the_tills(
    api: AdminApi, till: EnrolledTill
) -> None:
    """Deleting CV-5, which the "Tea lover" pack issues, archives it: the answer names the
    pack, the record is still live (no tombstone), a till still has it."""
    api.create(paid_pack(name="Tea lover"))
    removed = api("DELETE", "/api/v1/admin/coupons/CV-5")
    assert removed.status_code == 200, removed.text
    body = removed.json()
    assert body["deleted"] is False and body["archived_at"] is not None
    assert "coupon pack “Tea lover”" in body["used_by"]
    shown = api("GET", "/api/v1/admin/coupons/CV-5").json()
    assert shown["archived_at"] is not None and shown["used_by"] == body["used_by"]
    assert not _till_records(api, till)[("coupon", "CV-5")]["deleted"]
    listed = api("GET", "/api/v1/admin/coupons", params={"search": "CV-5"}).json()
    assert [row["archived"] for row in listed["coupons"]] == [True]


def test_a_store_with_a_till_is_archived_and_an_unused_coupon_deleted(
    api: AdminApi, till: EnrolledTill
) -> None:
    """A store a till is enrolled at is archived; a coupon nothing uses is deleted."""
    store = api("DELETE", "/api/v1/admin/stores/DEMO-1").json()
    assert store["archived_at"] is not None and "1 enrolled till" in store["used_by"]
    unused = api("DELETE", "/api/v1/admin/coupons/MV-4").json()
    assert unused["deleted"] is True and unused["used_by"] == []
    assert ("coupon", "MV-4") not in _till_records(api, till)
