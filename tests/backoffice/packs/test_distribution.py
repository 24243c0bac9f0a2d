"""Campaign distribution with time travel (K3): one-time, recurring, reaching tills by sync."""

from __future__ import annotations

import threading
import time
from datetime import UTC, datetime, timedelta
from typing import Any

from fastapi.testclient import TestClient
from sqlalchemy import func, select

from backoffice.app import create_app
from backoffice.database import Database
from backoffice.models.packs import PackCoupon, PackIssuance
from backoffice.packs.scheduler import run_due_work
from tests.backoffice.conftest import AdminApi, EnrolledTill, MovableClock
from tests.backoffice.packs.conftest import campaign_pack, entitlements_of


def _distribute(api: AdminApi, pack_id: int, **body: Any) -> dict[str, Any]:
    body = {"audience": {"member_ids": ["M-1001"]}, **body}
    response = api("POST", f"/api/v1/admin/packs/{pack_id}/distributions", json=body)
    assert response.status_code == 201, response.text
    result: dict[str, Any] = response.json()
    return result


def _starts(entitlements: list[dict[str, Any]]) -> list[str]:
    return sorted({e["valid_from"] for e in entitlements})


def test_one_time_distribution_issues_once_to_each_member(
    api: AdminApi, database: Database
) -> None:
    """K3 one_time: each member gets the content once, as entitlements valid from issue (K2)."""
    pack = api.create(campaign_pack())
    result = _distribute(api, pack["id"], audience={"all_members": True})
    assert result["coupons_issued"] == 2 * result["members"]
    mine = entitlements_of(database, "M-1001")
    assert [e["coupon_code"] for e in mine] == ["CV-5", "CV-5"]
    assert {e["status"] for e in mine} == {"issued"}
    assert mine[0]["valid_from"] == "2026-11-21T12:00:00+00:00"
    assert mine[0]["valid_to"] == "2026-12-21T11:59:59.999999+00:00"
    assert len({e["code"] for e in entitlements_of(database)}) == 2 * result["members"]
    assert api.run_scheduler()["coupons_issued"] == 0, "a one-time pack has no later cycle"


def test_monthly_pack_started_on_the_31st(
    api: AdminApi, database: Database, clock: MovableClock
) -> None:
    """K3 monthly: 31 Dec, 31 Jan, 28 Feb, 31 Mar at 09:00 Paris, across the spring change."""
    body = campaign_pack(
        time_zone="Europe/Paris",
        content=[{"coupon_code": "MV-4", "quantity": 1, "validity_days": 10}],
        distribution={"method": "recurring", "period": "monthly", "cycles": 4},
    )
    pack = api.create(body)
    result = _distribute(api, pack["id"], starts_at="2026-12-31T09:00:00+01:00")
    assert result["coupons_issued"] == 0, "not due before its start"
    assert result["packs"][0]["next_due_at"] == "2026-12-31T08:00:00+00:00"

    clock.now = datetime(2026, 12, 31, 7, 59, tzinfo=UTC)
    assert api.run_scheduler()["coupons_issued"] == 0
    clock.now = datetime(2026, 12, 31, 8, 0, tzinfo=UTC)
    assert api.run_scheduler()["coupons_issued"] == 1

    clock.now = datetime(2027, 2, 28, 8, 0, tzinfo=UTC)  # two months on: Jan 31 and Feb 28
    assert api.run_scheduler()["cycles_issued"] == 2
    clock.now = datetime(2027, 6, 1, tzinfo=UTC)
    assert api.run_scheduler()["cycles_issued"] == 1, "only 4 cycles in all"
    assert api.run_scheduler()["cycles_issued"] == 0

    assert _starts(entitlements_of(database, "M-1001")) == [
        "2026-12-31T09:00:00+01:00",
        "2027-01-31T09:00:00+01:00",
        "2027-02-28T09:00:00+01:00",
        "2027-03-31T09:00:00+02:00",
    ]
    assert api.details(pack["id"])["statistics"]["coupons_issued"] == 4


def test_weekly_pack_across_the_autumn_change(
    api: AdminApi, database: Database, clock: MovableClock
) -> None:
    """K3 weekly: 10:00 Paris each week; after the October change that is an hour later in UTC."""
    body = campaign_pack(
        time_zone="Europe/Paris",
        distribution={"method": "recurring", "period": "weekly", "cycles": 3},
        content=[{"coupon_code": "CV-5", "quantity": 1, "validity_days": 1}],
    )
    clock.now = datetime(2026, 10, 19, 12, 0, tzinfo=UTC)
    pack = api.create(body)
    _distribute(api, pack["id"], starts_at="2026-10-20T10:00:00+02:00")
    clock.now = datetime(2026, 10, 20, 8, 0, tzinfo=UTC)
    assert api.run_scheduler()["cycles_issued"] == 1
    clock.now = datetime(2026, 10, 27, 8, 59, tzinfo=UTC)  # 09:59 CET: not yet
    assert api.run_scheduler()["cycles_issued"] == 0
    clock.now = datetime(2026, 10, 27, 9, 0, tzinfo=UTC)  # 10:00 CET
    assert api.run_scheduler()["cycles_issued"] == 1
    clock.advance(timedelta(days=30))
    assert api.run_scheduler()["cycles_issued"] == 1
    mine = entitlements_of(database, "M-1001")
    assert _starts(mine) == [
        "2026-10-20T10:00:00+02:00",
        "2026-10-27T10:00:00+01:00",
        "2026-11-03T10:00:00+01:00",
    ]
    week_two = next(e for e in mine if e["valid_from"].startswith("2026-10-27"))
    assert week_two["valid_to"] == "2026-10-28T09:59:59.999999+01:00"


def test_first_distribution_different_from_the_rest(
    api: AdminApi, database: Database, clock: MovableClock
) -> None:
    """K3: cycle 0 takes the first content, later cycles the subsequent one, valid from their
    own distribution time (K2 after_hours)."""
    body = campaign_pack(
        distribution={"method": "recurring", "period": "daily", "cycles": 3},
        content=[{"coupon_code": "CV-5", "quantity": 1, "validity_days": 1}],
        subsequent_content=[
            {
                "coupon_code": "MV-4",
                "quantity": 2,
                "effective": "after_hours",
                "delay": 2,
                "validity_days": 1,
            }
        ],
    )
    pack = api.create(body)
    assert api.details(pack["id"])["first_same_as_subsequent"] is False
    _distribute(api, pack["id"])
    clock.advance(timedelta(days=2))
    assert api.run_scheduler()["coupons_issued"] == 4
    mine = entitlements_of(database, "M-1001")
    assert [(e["coupon_code"], e["valid_from"]) for e in mine] == [
        ("CV-5", "2026-11-21T12:00:00+00:00"),
        ("MV-4", "2026-11-22T14:00:00+00:00"),
        ("MV-4", "2026-11-22T14:00:00+00:00"),
        ("MV-4", "2026-11-23T14:00:00+00:00"),
        ("MV-4", "2026-11-23T14:00:00+00:00"),
    ]


def test_entitlements_reach_the_till_through_the_change_log(
    api: AdminApi, client: TestClient, till: EnrolledTill
) -> None:
    """K3 and the sync protocol: issued coupons are entitlement records a till pulls,
    each naming its pack (``pack_id``, ``pack_name``) so the till can show the packs."""
    pack = api.create(campaign_pack())
    before = client.get("/api/v1/changes", headers=till.headers).json()["cursor"]
    _distribute(api, pack["id"])
    page = client.get(f"/api/v1/changes?cursor={before}", headers=till.headers).json()
    records = [r for r in page["records"] if r["kind"] == "entitlement"]
    assert len(records) == 2
    assert {r["data"]["member_id"] for r in records} == {"M-1001"}
    assert {r["data"]["pack_id"] for r in records} == {str(pack["id"])}
    assert {r["data"]["pack_name"] for r in records} == {"Welcome pack"}
    assert all(r["id"] == r["data"]["code"] for r in records)


def test_an_entitlement_record_may_name_its_pack(
    api: AdminApi, client: TestClient, till: EnrolledTill
) -> None:
    """The entitlement kind takes optional string ``pack_id`` and ``pack_name``: with
    them, without them, never as anything but strings."""
    base = {"member_id": "M-1001", "coupon_code": "CV-5", "status": "active"}
    before = client.get("/api/v1/changes", headers=till.headers).json()["cursor"]
    plain = api("PUT", "/api/v1/admin/entitlements/E-PLAIN", json=base)
    assert plain.status_code == 201, plain.text
    named = {**base, "pack_id": "P-7", "pack_name": "Lunch pack"}
    packed = api("PUT", "/api/v1/admin/entitlements/E-PACK", json=named)
    assert packed.status_code == 201, packed.text
    for field, value in (("pack_id", 7), ("pack_name", ["Lunch"]), ("pack_id", "")):
        bad = api("PUT", "/api/v1/admin/entitlements/E-BAD", json={**base, field: value})
        assert bad.status_code == 422, (field, value)
        assert field in bad.text
    page = client.get(f"/api/v1/changes?cursor={before}", headers=till.headers).json()
    data = {r["id"]: r["data"] for r in page["records"] if r["kind"] == "entitlement"}
    assert set(data) == {"E-PLAIN", "E-PACK"}
    assert "pack_id" not in data["E-PLAIN"] and "pack_name" not in data["E-PLAIN"]
    assert (data["E-PACK"]["pack_id"], data["E-PACK"]["pack_name"]) == ("P-7", "Lunch pack")


def test_a_repeated_distribution_key_issues_nothing_more(api: AdminApi) -> None:
    """K3: the same request sent twice (same key) distributes once."""
    pack = api.create(campaign_pack())
    first = _distribute(api, pack["id"], key="nov-campaign")
    again = api(
        "POST",
        f"/api/v1/admin/packs/{pack['id']}/distributions",
        json={"audience": {"member_ids": ["M-1001"]}, "key": "nov-campaign"},
    )
    assert again.status_code == 200 and again.json()["repeated"] is True
    assert again.json()["distribution_id"] == first["distribution_id"]
    assert api.details(pack["id"])["statistics"]["coupons_issued"] == 2


def test_distribution_refusals_name_the_field(api: AdminApi) -> None:
    """K3: unknown members, a start in the past, a paid pack: refused naming the field."""
    pack = api.create(campaign_pack())
    path = f"/api/v1/admin/packs/{pack['id']}/distributions"
    unknown = api("POST", path, json={"audience": {"member_ids": ["M-1001", "M-404"]}})
    assert unknown.status_code == 422
    assert unknown.json()["detail"][0]["field"] == "audience.member_ids[1]"
    past = api(
        "POST",
        path,
        json={"audience": {"all_members": True}, "starts_at": "2026-11-01T00:00:00+00:00"},
    )
    assert past.status_code == 422 and past.json()["detail"][0]["field"] == "starts_at"
    assert api.details(pack["id"])["statistics"]["packs_issued"] == 0


def test_scheduler_run_twice_at_once_issues_each_cycle_once(
    api: AdminApi, database: Database, clock: MovableClock
) -> None:
    """K3 idempotency: two scheduler passes racing issue every cycle exactly once."""
    pack = api.create(
        campaign_pack(distribution={"method": "recurring", "period": "daily", "cycles": 5})
    )
    _distribute(api, pack["id"], audience={"all_members": True})
    later = clock.now + timedelta(days=10)
    barrier = threading.Barrier(3)
    reports: list[Any] = []

    def run() -> None:
        barrier.wait()
        reports.append(run_due_work(database, later))

    threads = [threading.Thread(target=run) for _ in range(3)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join(60)
    with database.sessions.begin() as session:
        issuances = session.scalar(select(func.count(PackIssuance.id)))
        coupons = session.scalar(select(func.count(PackCoupon.code)))
    members = api.details(pack["id"])["statistics"]["packs_issued"]
    assert issuances == 5 * members
    assert coupons == 2 * 5 * members == len(entitlements_of(database))
    assert sum(report.cycles_issued for report in reports) == 4 * members  # cycle 0 at once


def test_the_server_runs_the_scheduler_itself(
    database_url: str, demo_chain: None, admin_headers: dict[str, str], database: Database
) -> None:
    """K3: inside the server a scheduler thread issues due cycles without being asked."""
    clock = MovableClock(datetime(2026, 11, 21, 12, 0, tzinfo=UTC))
    app = create_app(database_url, clock=clock, pack_scheduler_interval=0.05)
    with TestClient(app) as client:
        api = AdminApi(client, admin_headers)
        pack = api.create(
            campaign_pack(distribution={"method": "recurring", "period": "daily", "cycles": 3})
        )
        _distribute(api, pack["id"])
        clock.advance(timedelta(days=2))
        deadline = time.monotonic() + 10
        while len(entitlements_of(database)) < 6 and time.monotonic() < deadline:
            time.sleep(0.05)
    assert len(entitlements_of(database)) == 6
