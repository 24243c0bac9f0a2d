"""Coupon packs sold at real tills against a real back office on 127.0.0.1
(COUPON-PACK-RULES K12-K15): offline sales and their coupons, quotas shared by tills,
a member's limit reached at two offline tills, and the online reservation."""

from __future__ import annotations

import json
from typing import Any

import pytest
import requests
from sqlalchemy import select

from pos_app.engine import AddItem, Close, Redeem, Refusal, SellPack
from pos_app.store.models.members import Entitlement
from pos_app.store.unit_of_work import UnitOfWork
from pos_app.sync.errors import BackOfficeUnavailable
from pos_app.till.commands import PayCash, RefundPackSale
from pos_app.till.errors import TillCode, TillRefusal
from pos_app.till.manager import Actor
from pos_app.till.till import TicketChange
from tests.e2e.conftest import EnrollTill
from tests.e2e.tills import EnrolledTill, run_command
from tests.helpers.fault_proxy import Fault, FaultProxy
from tests.helpers.live_backoffice import LiveBackOffice

pytestmark = pytest.mark.slow  # starts servers or processes

ADA, GRACE = "M-1001", "M-1002"
ALWAYS = {"first_day": "2020-01-01", "last_day": "2099-12-31"}  # the server's real clock


def create_pack(office: LiveBackOffice, **settings: Any) -> str:
    """A paid pack sold with orders at DEMO-1: 10.00 for two member vouchers (MV-4)."""
    body = {
        "type": "paid",
        "name": "Tea lover's pack",
        "content": [
            {"coupon_code": "MV-4", "quantity": 2, "effective": "immediate", "validity_days": 30}
        ],
        "channels": ["with_order"],
        "sales_period": ALWAYS,
        "price": "10.00",
        "stores": ["DEMO-1"],
        **settings,
    }
    return str(office.admin("POST", "/packs", body)["id"])


def sell_pack(till: EnrolledTill, pack_id: str, member: str) -> TicketChange:
    """The pack alone on a ticket, sold to ``member``, paid cash, closed."""
    runtime_till = till.runtime.till
    runtime_till.handle(SellPack(pack_id, member_id=member))
    runtime_till.handle(PayCash(str(runtime_till.amount_due)))
    closed = runtime_till.handle(Close())
    assert closed.packs_sold
    return closed


def units_left(till: EnrolledTill) -> int | None:
    (pack,) = till.runtime.till.packs_on_sale()
    return pack.units_left


def pack_sales(office: LiveBackOffice) -> list[dict[str, Any]]:
    """`pos-backoffice packs sales --json`: every pack sale the tills uploaded."""
    done = run_command(
        "pos-backoffice", "packs", "sales", "--json", "--database-url", office.database_url
    )
    assert done.returncode == 0, done.stderr
    sales: list[dict[str, Any]] = json.loads(done.stdout)
    return sales


def entitlement_status(till: EnrolledTill, code: str) -> str | None:
    with UnitOfWork(till.runtime.database.sessions) as uow:
        return uow.session.scalar(select(Entitlement.status).where(Entitlement.code == code))


def test_an_offline_sale_and_its_coupons_reach_the_back_office_once(
    backoffice: LiveBackOffice, proxy: FaultProxy, enroll: EnrollTill
) -> None:
    """K12, K13, K15: online, a sale reserves its unit from the back office; offline, the
    till sells from its quota and redeems one of the pack's coupons on the next ticket;
    back online, the back office holds each sale once and the coupons as entitlements
    (one redeemed), and another till downloads them."""
    pack_id = create_pack(backoffice, inventory=20, limits={"daily": 1})
    seller = enroll("till-1", url=proxy.url)
    seller.sync()
    quota = units_left(seller)
    assert quota == 10
    sell_pack(seller, pack_id, GRACE)  # online: the unit comes from the back office
    assert units_left(seller) == quota
    proxy.set_fault(Fault.REFUSE)

    first, second = sell_pack(seller, pack_id, ADA).packs_sold[0].coupons
    assert units_left(seller) == quota - 1
    till = seller.runtime.till
    till.handle(AddItem(None, "BURGER"))
    till.handle(Redeem(first.code))  # K15: usable at once, offline
    till.handle(PayCash(str(till.amount_due)))
    till.handle(Close())
    with pytest.raises(BackOfficeUnavailable):
        seller.sync()
    proxy.heal()
    status = seller.sync()
    assert (status.pending_events, status.open_conflicts, status.failed_events) == (0, 0, 0)
    seller.sync()  # again: nothing is sent or stored twice

    online, sale = pack_sales(backoffice)
    assert online["member_id"] == GRACE
    assert (sale["status"], sale["member_id"], sale["price"]) == ("accepted", ADA, "10.00")
    assert sale["codes"] == [first.code, second.code]
    details = backoffice.admin("GET", f"/packs/{pack_id}")
    assert details["sold"] == 2
    assert {p["channel"] for p in details["records"]["purchases"]} == {"with_order"}

    other = enroll("till-2")
    other.sync()
    assert entitlement_status(other, first.code) == "redeemed"
    assert entitlement_status(other, second.code) == "issued"
    assert second.code in other.runtime.till.book.coupons
    assert first.code not in other.runtime.till.book.coupons
    other.runtime.till.handle(AddItem(None, "BURGER"))
    other.runtime.till.handle(Redeem(second.code))


def test_two_offline_tills_never_sell_past_the_inventory(
    backoffice: LiveBackOffice, proxy: FaultProxy, enroll: EnrollTill
) -> None:
    """K13: three units, two tills: their quotas (2 and 1) hold every unit, so online the
    back office has none to reserve and the first till sells one of its own; offline
    the two sell the rest and no more; back online all three are accepted and the pack
    is sold out."""
    pack_id = create_pack(backoffice, inventory=3)
    first, second = enroll("till-1", url=proxy.url), enroll("till-2", url=proxy.url)
    first.sync()
    second.sync()
    assert (units_left(first), units_left(second)) == (2, 1)
    sell_pack(first, pack_id, GRACE)
    assert units_left(first) == 1
    proxy.set_fault(Fault.REFUSE)
    sold = 1
    for till in (first, second):
        for member in (ADA, GRACE, ADA):
            try:
                sell_pack(till, pack_id, member)
                sold += 1
            except TillRefusal as refusal:
                assert refusal.code == TillCode.PACK_SOLD_OUT
                assert "sold out at this till while it is offline" in refusal.message
    assert sold == 3
    proxy.heal()
    first.sync()
    second.sync()
    assert [s["status"] for s in pack_sales(backoffice)] == ["accepted"] * 3
    assert backoffice.admin("GET", f"/packs/{pack_id}")["sold"] == 3
    assert backoffice.conflicts() == []


def test_a_daily_limit_reached_at_two_offline_tills_is_a_conflict_refunded(
    backoffice: LiveBackOffice, proxy: FaultProxy, enroll: EnrollTill
) -> None:
    """K14: Ada buys her one pack of the day at two offline tills: the second sale is a
    PACK_LIMIT_EXCEEDED conflict, on that till and at the back office; its coupons are
    withdrawn everywhere; the manager refunds it with a recorded reversal; nothing is
    deleted. Online, the back office's reservation refuses a third sale at once."""
    pack_id = create_pack(backoffice, limits={"daily": 1}, channels=["with_order", "mall"])
    first, second = enroll("till-1", url=proxy.url), enroll("till-2", url=proxy.url)
    first.sync()
    second.sync()
    proxy.set_fault(Fault.REFUSE)
    sell_pack(first, pack_id, ADA)
    late = sell_pack(second, pack_id, ADA).packs_sold[0]
    proxy.heal()
    first.sync()
    status = second.sync()
    assert status.open_conflicts == 1
    (conflict,) = second.runtime.sync_store.conflicts()
    code, _, words = conflict.reason.partition(": ")  # the code, then the back office's words
    assert code == "PACK_LIMIT_EXCEEDED" and conflict.event_type == "pack.sold"
    assert "daily limit is 1" in words
    (at_office,) = backoffice.conflicts()
    assert at_office["conflict_key"] == conflict.conflict_key
    assert at_office["detail"]["member_name"] == "Ada Lovelace"
    for code in (c.code for c in late.coupons):  # withdrawn, here and at the other till
        assert code not in second.runtime.till.book.coupons
        first.sync()
        assert entitlement_status(first, code) == "revoked"

    access = second.runtime.access
    access.set_pin("Mia", "1357", by=None)
    mia = Actor(access.verify_pin("Mia", "1357"))
    second.runtime.till.handle(RefundPackSale(conflict.conflict_key, "cash", "10.00 back"), mia)
    assert second.sync().open_conflicts == 0
    sales = pack_sales(backoffice)
    assert [(s["status"], s["resolution"]) for s in sales] == [
        ("accepted", None),
        ("refunded", "refunded"),
    ]
    assert sales[1]["refund"]["amount"] == "10.00" and sales[1]["refund"]["by"] == "Mia"
    (resolved,) = backoffice.conflicts()
    assert (resolved["resolved"], resolved["resolution"]) == (True, "refunded")

    with pytest.raises(Refusal):
        second.runtime.till.handle(Redeem(late.coupons[0].code))

    bought = requests.post(  # Grace buys today's pack online, unknown to the till yet
        f"{backoffice.url}/api/v1/mall/packs/{pack_id}/purchases",
        json={"member_id": GRACE, "store_id": "DEMO-1"},
        headers={"Authorization": f"Bearer {backoffice.admin_token()}"},
        timeout=10,
    )
    assert bought.status_code == 201, bought.text
    with pytest.raises(TillRefusal) as refused:  # online: the back office says no at once
        second.runtime.till.handle(SellPack(pack_id, member_id=GRACE))
    assert refused.value.code == TillCode.PACK_LIMIT_DAILY
    assert refused.value.message == (
        "Grace Hopper has already bought Tea lover's pack today (at another till or online):"
        " the limit is 1 a day"
    )
    assert second.runtime.till.state.is_empty  # nothing rung up
