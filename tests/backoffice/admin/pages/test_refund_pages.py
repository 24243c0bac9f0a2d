"""Refunding a whole pack purchase (issue 21, item 2; COUPON-PACK-RULES K4, K5, K14):
from the member's page, the pack's records and `pos-backoffice packs refund`, all one
path: refused in words when a coupon was used; otherwise the coupons are withdrawn from
the tills, the unit goes back to the inventory, the member's limits count it no more and
a refund record keeps who and why; the automatic refund of expired packs runs through
it once. On SQLite and PostgreSQL."""

from __future__ import annotations

from datetime import timedelta

import pytest
from sqlalchemy import select

from backoffice.cli.main import main
from backoffice.database import Database
from backoffice.models.packs import CouponPack, PackPurchase, PackRefund
from backoffice.packs.refunds import REFUND_GRACE
from tests.backoffice.admin.pages.conftest import ADMIN_EMAIL, PageClient
from tests.backoffice.conftest import AdminApi, MovableClock, enroll
from tests.backoffice.factories import ticket_closed
from tests.backoffice.packs.conftest import entitlements_of, paid_pack


@pytest.fixture
def api(pages: PageClient, admin_headers: dict[str, str]) -> AdminApi:
    return AdminApi(pages.client, admin_headers)


def _purchase_id(database: Database, order_id: str) -> int:
    with database.sessions.begin() as session:
        found = session.scalar(select(PackPurchase.id).where(PackPurchase.order_id == order_id))
        assert found is not None
        return found


def test_refund_from_the_member_page_withdraws_frees_and_recounts(
    pages: PageClient, api: AdminApi, database: Database
) -> None:
    """K4/K14: the coupons are revoked for every till, the unit is back in the inventory,
    the total limit of 1 lets the member buy again, and the record says who and why."""
    pack = api.create(paid_pack(inventory=1, limits={"total": 1}))
    assert api.buy(pack["id"], order_id="O-1").status_code == 201
    assert api.buy(pack["id"], member_id="M-1002").status_code == 409, "sold out"
    purchase_id = _purchase_id(database, "O-1")
    path = f"/admin/members/M-1001/purchases/{purchase_id}/refund"
    no_reason = pages.post(path, {"reason": "  "})
    assert no_reason.status_code == 422 and "Say why the pack is refunded" in no_reason.text
    done = pages.post(path, {"reason": "Bought the wrong pack"})
    assert done.status_code == 303
    page = pages.get("/admin/members/M-1001").text
    assert "9.90 USD refunded" in page and "by ada@example.com: Bought the wrong pack" in page
    assert "Withdrawn (refunded)" in page
    assert {e["status"] for e in entitlements_of(database, "M-1001")} == {"revoked"}
    with database.sessions.begin() as session:
        assert session.get(CouponPack, pack["id"]).sold_count == 0  # type: ignore[union-attr]
        (refund,) = session.scalars(select(PackRefund)).all()
        assert (refund.refunded_by, refund.note) == (
            "admin:ada@example.com",
            "Bought the wrong pack",
        )
    again = pages.post(path, {"reason": "twice"})
    assert again.status_code == 409 and "already refunded" in again.text
    assert api.buy(pack["id"], order_id="O-2").status_code == 201, "limit and unit are free"


def test_a_pack_with_a_used_coupon_is_refused_naming_it(
    pages: PageClient, api: AdminApi, database: Database, clock: MovableClock
) -> None:
    """K5: only a whole pack with no coupon used; the refusal says which, where, when."""
    till = enroll(pages.client, database, "DEMO-1", "till-1", clock())
    pack = api.create(paid_pack(name="Tea lover"))
    code = api.buy(pack["id"], order_id="O-9").json()["coupons"][0]["code"]
    closed = ticket_closed(till.store_id, till.device_id, coupons=[code])
    closed["payload"]["number"] = "D1-01-000123"
    pages.client.post("/api/v1/events", json={"events": [closed]}, headers=till.headers)
    purchase_id = _purchase_id(database, "O-9")
    refused = pages.post(
        f"/admin/packs/{pack['id']}/purchases/{purchase_id}/refund", {"reason": "asked"}
    )
    assert refused.status_code == 409
    assert "5.00 cash voucher" in refused.text and "ticket D1-01-000123" in refused.text
    assert "at Demo Diner" in refused.text
    with database.sessions.begin() as session:
        assert session.scalars(select(PackRefund)).all() == []


def test_cli_refund(
    api: AdminApi, database_url: str, database: Database, capsys: pytest.CaptureFixture[str]
) -> None:
    """`pos-backoffice packs refund SALE --reason R`: the same path; bad input exits 2."""
    pack = api.create(paid_pack())
    api.buy(pack["id"], order_id="O-CLI")
    db = ("--database-url", database_url)
    assert main(["packs", "refund", "O-CLI", "--reason", "customer asked", *db]) == 0
    assert "refunded 9.90 USD for sale O-CLI; 1 coupon(s) withdrawn" in capsys.readouterr().out
    assert main(["packs", "refund", "O-CLI", "--reason", "again", *db]) == 2
    assert "already refunded" in capsys.readouterr().err
    assert main(["packs", "refund", "NOPE", "--reason", "x", *db]) == 2
    assert "there is no pack purchase 'NOPE'" in capsys.readouterr().err


def test_automatic_refund_runs_through_the_same_path_once(
    pages: PageClient, api: AdminApi, database: Database, clock: MovableClock
) -> None:
    """K5: expired unused, refunded once by the scheduler: unit back, record kept."""
    pack = api.create(paid_pack(auto_refund=True, inventory=5))
    api.buy(pack["id"], order_id="O-A")
    clock.advance(timedelta(days=30) + REFUND_GRACE)
    assert len(api.run_scheduler()["refunded"]) == 1
    assert api.run_scheduler()["refunded"] == []
    with database.sessions.begin() as session:
        assert session.get(CouponPack, pack["id"]).sold_count == 0  # type: ignore[union-attr]
        (refund,) = session.scalars(select(PackRefund)).all()
        assert refund.reason == "expired_unused"
    assert pages.sign_in(ADMIN_EMAIL).status_code == 303  # a month later: a new session
    assert "expired unused, refunded automatically" in pages.get("/admin/members/M-1001").text
    assert {e["status"] for e in entitlements_of(database)} == {"expired"}


def test_a_withdrawn_coupon_presented_offline_is_a_conflict(
    pages: PageClient, api: AdminApi, database: Database, clock: MovableClock
) -> None:
    """S6/K14: a till offline took a coupon of a pack refunded meanwhile: the sale is kept,
    the coupon stays withdrawn (not redeemed), and a COUPON_WITHDRAWN conflict is listed."""
    till = enroll(pages.client, database, "DEMO-1", "till-1", clock())
    pack = api.create(paid_pack())
    code = api.buy(pack["id"], order_id="O-OFF").json()["coupons"][0]["code"]
    purchase_id = _purchase_id(database, "O-OFF")
    done = pages.post(f"/admin/members/M-1001/purchases/{purchase_id}/refund", {"reason": "asked"})
    assert done.status_code == 303
    closed = ticket_closed(till.store_id, till.device_id, coupons=[code])
    closed["payload"]["number"] = "D1-01-000777"
    upload = pages.client.post("/api/v1/events", json={"events": [closed]}, headers=till.headers)
    (result,) = upload.json()["results"]
    assert result["outcome"] == "conflict" and result["reason"] == "COUPON_WITHDRAWN"
    assert "5.00 cash voucher had been withdrawn: its coupon pack was refunded" in result["detail"]
    conflicts = api("GET", "/api/v1/admin/conflicts").json()
    assert [c["reason"] for c in conflicts] == ["COUPON_WITHDRAWN"]
    late = pages.get("/admin/members/M-1001").text
    assert "Withdrawn coupons taken offline" in late
    assert "Demo Diner, ticket D1-01-000777" in late and "Waiting for the store manager" in late
    assert {e["status"] for e in entitlements_of(database, "M-1001")} == {"revoked"}


def test_refund_from_the_pack_records(pages: PageClient, api: AdminApi, database: Database) -> None:
    """K10/K14: the pack's purchase records refund a purchase and show it refunded with
    the amount and currency; a purchase of another pack is not refunded from here."""
    pack = api.create(paid_pack(name="Tea lover"))
    other = api.create(paid_pack(name="Other pack"))
    api.buy(pack["id"], order_id="O-P")
    api.buy(other["id"], order_id="O-Q")
    wrong = pages.post(
        f"/admin/packs/{pack['id']}/purchases/{_purchase_id(database, 'O-Q')}/refund",
        {"reason": "asked"},
    )
    assert wrong.status_code == 422 and "not on this page" in wrong.text
    done = pages.post(
        f"/admin/packs/{pack['id']}/purchases/{_purchase_id(database, 'O-P')}/refund",
        {"reason": "asked"},
    )
    assert done.status_code == 303
    details = pages.get(f"/admin/packs/{pack['id']}").text
    assert "Refunded (9.90 USD refunded)" in details
    with database.sessions.begin() as session:
        assert len(session.scalars(select(PackRefund)).all()) == 1
