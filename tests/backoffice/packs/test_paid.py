"""Paid packs (K4): the mall purchase API and its rules; automatic refund (K5)."""

from __future__ import annotations

from datetime import UTC, datetime, timedelta
from typing import Any

from fastapi.testclient import TestClient

from backoffice.database import Database
from backoffice.packs.purchase import MALL_ROLE
from backoffice.packs.refunds import REFUND_GRACE
from backoffice.trust.admin_tokens import issue_admin_token
from tests.backoffice.conftest import AdminApi, EnrolledTill, MovableClock
from tests.backoffice.factories import ticket_closed
from tests.backoffice.packs.conftest import entitlements_of, paid_pack


def _refused(response: Any, status: int, code: str, field: str) -> None:
    assert response.status_code == status, response.text
    (error,) = response.json()["detail"]
    assert (error["type"], error["field"]) == (code, field), error
    assert error["msg"].startswith(f"{field}:")


def test_a_purchase_issues_the_content_at_once(api: AdminApi, database: Database) -> None:
    """K4: a paid pack's content is issued once, at purchase, to the buyer; redirect returned."""
    pack = api.create(paid_pack(redirect_url="https://example.com/thanks"))
    response = api.buy(pack["id"], order_id="ORDER-1")
    assert response.status_code == 201, response.text
    bought = response.json()
    assert bought["price"] == "9.90" and bought["currency"] == "USD"
    assert bought["redirect_url"] == "https://example.com/thanks"
    (coupon,) = bought["coupons"]
    (entitlement,) = entitlements_of(database, "M-1001")
    assert entitlement["code"] == coupon["code"] and entitlement["coupon_code"] == "CV-5"
    assert (entitlement["pack_id"], entitlement["pack_name"]) == (
        str(pack["id"]),
        "Milk tea lover's pack",
    )
    details = api.details(pack["id"])
    assert details["sold"] == 1 and details["statistics"]["packs_sold"] == 1
    assert details["records"]["purchases"][0]["order_id"] == "ORDER-1"


def test_the_same_order_is_bought_once(api: AdminApi, database: Database) -> None:
    """K4: an order id sent again returns the first purchase and sells nothing more."""
    pack = api.create(paid_pack(inventory=5))
    first = api.buy(pack["id"], order_id="ORDER-1")
    again = api.buy(pack["id"], order_id="ORDER-1")
    assert again.status_code == 200 and again.json()["repeated"] is True
    assert again.json()["purchase_id"] == first.json()["purchase_id"]
    assert again.json()["coupons"] == first.json()["coupons"]
    assert api.details(pack["id"])["sold"] == 1
    assert len(entitlements_of(database)) == 1


def test_inventory_is_never_oversold(api: AdminApi) -> None:
    """K4 inventory: with N = 2, the third purchase is refused as sold out."""
    pack = api.create(paid_pack(inventory=2))
    assert api.buy(pack["id"]).status_code == 201
    assert api.buy(pack["id"], member_id="M-1002").status_code == 201
    _refused(api.buy(pack["id"]), 409, "SOLD_OUT", "inventory")
    assert api.details(pack["id"])["sold"] == 2


def test_total_limit_per_member(api: AdminApi) -> None:
    """K4: a member buys at most `limits.total` times; another member is not affected."""
    pack = api.create(paid_pack(limits={"total": 2}))
    assert api.buy(pack["id"]).status_code == 201
    assert api.buy(pack["id"]).status_code == 201
    _refused(api.buy(pack["id"]), 409, "LIMIT_TOTAL_REACHED", "limits.total")
    assert api.buy(pack["id"], member_id="M-1002").status_code == 201


def test_daily_limit_counts_the_local_day(api: AdminApi, clock: MovableClock) -> None:
    """K4: `limits.daily` counts purchases per local day: Paris midnight resets it."""
    pack = api.create(paid_pack(time_zone="Europe/Paris", limits={"daily": 1, "total": 5}))
    clock.now = datetime(2026, 11, 21, 22, 30, tzinfo=UTC)  # 23:30 in Paris
    assert api.buy(pack["id"]).status_code == 201
    clock.now = datetime(2026, 11, 21, 22, 59, tzinfo=UTC)
    _refused(api.buy(pack["id"]), 409, "LIMIT_DAILY_REACHED", "limits.daily")
    clock.now = datetime(2026, 11, 21, 23, 0, tzinfo=UTC)  # 00:00 on the 22nd in Paris
    assert api.buy(pack["id"]).status_code == 201


def test_sales_period_is_inclusive_local_dates(api: AdminApi, clock: MovableClock) -> None:
    """K4: the sales period is its first and last local date, both inclusive."""
    period = {"first_day": "2026-11-22", "last_day": "2026-11-22"}
    pack = api.create(paid_pack(time_zone="America/New_York", sales_period=period))
    clock.now = datetime(2026, 11, 22, 4, 59, tzinfo=UTC)  # 23:59 on the 21st in New York
    _refused(api.buy(pack["id"]), 409, "OUTSIDE_SALES_PERIOD", "sales_period")
    clock.now = datetime(2026, 11, 22, 5, 0, tzinfo=UTC)
    assert api.buy(pack["id"]).status_code == 201
    clock.now = datetime(2026, 11, 23, 4, 59, tzinfo=UTC)  # 23:59 on the 22nd
    assert api.buy(pack["id"]).status_code == 201
    clock.now = datetime(2026, 11, 23, 5, 0, tzinfo=UTC)
    _refused(api.buy(pack["id"]), 409, "OUTSIDE_SALES_PERIOD", "sales_period")


def test_channel_store_and_member_are_checked(api: AdminApi) -> None:
    """K4: only on its channels, at its stores, to a known member; by phone works too."""
    till_only = api.create(paid_pack(channels=["with_order"]))
    _refused(api.buy(till_only["id"]), 409, "CHANNEL_NOT_OFFERED", "channel")
    pack = api.create(paid_pack())
    _refused(api.buy(pack["id"], store_id="OTHER-1"), 409, "STORE_NOT_AVAILABLE", "store_id")
    _refused(api.buy(pack["id"], member_id="M-404"), 422, "value_error", "member_id")
    by_phone = api.buy(pack["id"], member_id=None, phone="+1 555 010 0002")
    assert by_phone.status_code == 201 and by_phone.json()["member_id"] == "M-1002"


def test_archived_draft_and_campaign_packs_are_not_sold(api: AdminApi) -> None:
    """K8: an archived pack cannot be sold; nor can a draft (K7) or a campaign pack (K3)."""
    pack = api.create(paid_pack())
    assert api("POST", f"/api/v1/admin/packs/{pack['id']}/archive").status_code == 200
    _refused(api.buy(pack["id"]), 409, "PACK_ARCHIVED", "status")
    draft = api.create(paid_pack(), draft="true")
    _refused(api.buy(draft["id"]), 409, "PACK_DRAFT", "status")
    campaign = api.create(
        {
            "type": "campaign",
            "name": "Free",
            "content": [{"coupon_code": "CV-5", "quantity": 1, "validity_days": 1}],
            "distribution": {"method": "one_time"},
        }
    )
    _refused(api.buy(campaign["id"]), 409, "NOT_FOR_SALE", "type")


def test_a_mall_token_buys_but_cannot_manage(
    api: AdminApi, database: Database, till: EnrolledTill
) -> None:
    """K1/K4: a `mall` token may buy; it cannot manage packs; a device token cannot buy."""
    with database.sessions.begin() as session:
        token = issue_admin_token(session, "mall", datetime.now(UTC), role=MALL_ROLE)
    mall = {"Authorization": f"Bearer {token}"}
    pack = api.create(paid_pack())
    path = f"/api/v1/mall/packs/{pack['id']}/purchases"
    body = {"member_id": "M-1001", "store_id": "DEMO-1"}
    assert api("POST", path, json=body, headers=mall).status_code == 201
    assert api("POST", path, json=body, headers=till.headers).status_code == 403
    assert api("POST", path, json=body, headers={}).status_code == 401
    assert api("GET", "/api/v1/admin/packs", headers=mall).status_code == 403


def test_expired_unused_pack_is_refunded_once(
    api: AdminApi, database: Database, clock: MovableClock
) -> None:
    """K5: every coupon expired, none redeemed: refunded in full, once, recorded."""
    pack = api.create(paid_pack(auto_refund=True))
    api.buy(pack["id"], order_id="O-1")
    clock.advance(timedelta(days=30) + REFUND_GRACE - timedelta(seconds=1))
    assert api.run_scheduler()["refunded"] == [], "not before the grace period has passed"
    clock.advance(timedelta(seconds=1))
    assert len(api.run_scheduler()["refunded"]) == 1
    assert api.run_scheduler()["refunded"] == [], "refunded once"
    details = api.details(pack["id"])
    (purchase,) = details["records"]["purchases"]
    assert purchase["status"] == "refunded"
    assert purchase["refund"]["amount"] == "9.90"
    assert details["statistics"]["refunded_amount"] == "9.90"
    assert {e["status"] for e in entitlements_of(database)} == {"expired"}


def test_a_pack_with_a_redeemed_coupon_is_not_refunded(
    api: AdminApi, client: TestClient, till: EnrolledTill, clock: MovableClock
) -> None:
    """K5: a purchase whose coupon a till redeemed is never refunded automatically."""
    pack = api.create(paid_pack(auto_refund=True))
    used = api.buy(pack["id"]).json()["coupons"][0]["code"]
    api.buy(pack["id"], member_id="M-1002")
    upload = client.post(
        "/api/v1/events",
        json={"events": [ticket_closed(till.store_id, till.device_id, coupons=[used])]},
        headers=till.headers,
    )
    assert upload.json()["results"][0]["outcome"] == "accepted", upload.text
    assert api.details(pack["id"])["statistics"]["coupons_redeemed"] == 1
    clock.advance(timedelta(days=30) + REFUND_GRACE)
    report = api.run_scheduler()
    assert len(report["refunded"]) == 1 and len(report["used"]) == 1
    statuses = {
        p["member_id"]: p["status"] for p in api.details(pack["id"])["records"]["purchases"]
    }
    assert statuses == {"M-1001": "used", "M-1002": "refunded"}


def test_no_refund_without_the_promise(api: AdminApi, clock: MovableClock) -> None:
    """K5: a pack without automatic refund is never refunded."""
    pack = api.create(paid_pack(auto_refund=False))
    api.buy(pack["id"])
    clock.advance(timedelta(days=400))
    assert api.run_scheduler()["refunded"] == []
