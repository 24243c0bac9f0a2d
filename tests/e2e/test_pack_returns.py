"""A coupon pack returned at a real till, synced to a real back office on 127.0.0.1
(issue 21, item 2; COUPON-PACK-RULES K4, K14): a manager refunds the whole pack, the
back office applies the refund request through its one refund path (coupons withdrawn
at every till, the unit back, the member's limit free again), and a pack with a coupon
used is refused in words."""

from __future__ import annotations

import pytest

from pos_app.engine import AddItem, Close, Redeem
from pos_app.till.commands import PayCash, ReturnPackLine
from pos_app.till.errors import TillCode, TillRefusal
from pos_app.till.manager import Actor
from tests.e2e.conftest import EnrollTill
from tests.e2e.test_pack_sales import (
    ADA,
    create_pack,
    entitlement_status,
    pack_sales,
    sell_pack,
)
from tests.e2e.tills import EnrolledTill, run_command
from tests.helpers.live_backoffice import LiveBackOffice

pytestmark = pytest.mark.slow  # starts servers or processes


def _manager(till: EnrolledTill) -> Actor:
    access = till.runtime.access
    access.set_pin("Mia", "1357", by=None)
    return Actor(access.verify_pin("Mia", "1357"))


def test_a_returned_pack_is_refunded_everywhere(
    backoffice: LiveBackOffice, enroll: EnrollTill
) -> None:
    """K14/K4: the return needs a manager; synced, the back office marks the sale and the
    purchase refunded with who and why, withdraws the coupons at the other till, gives
    the unit back, and Ada (limit: one in all) may buy the pack again."""
    pack_id = create_pack(backoffice, inventory=5, limits={"total": 1})
    seller, other = enroll("till-1"), enroll("till-2")
    seller.sync()
    closed = sell_pack(seller, pack_id, ADA)
    (sold,) = closed.packs_sold
    seller.sync()
    other.sync()
    codes = [c.code for c in sold.coupons]
    assert {entitlement_status(other, code) for code in codes} == {"issued"}
    assert backoffice.admin("GET", f"/packs/{pack_id}")["sold"] == 1
    till = seller.runtime.till
    command = ReturnPackLine(closed.number, sold.line_id, "cash", "bought the wrong pack")
    with pytest.raises(TillRefusal) as cashier:
        till.handle(command)
    assert cashier.value.code == TillCode.MANAGER_REQUIRED
    mia = _manager(seller)
    till.handle(command, mia)
    assert all(code not in till.book.coupons for code in codes), "not redeemable here"
    with pytest.raises(TillRefusal) as twice:
        till.handle(command, mia)
    assert "already refunded" in twice.value.message
    status = seller.sync()
    assert (status.pending_events, status.open_conflicts, status.failed_events) == (0, 0, 0)

    (sale,) = pack_sales(backoffice)
    assert sale["status"] == "refunded"
    details = backoffice.admin("GET", f"/packs/{pack_id}")
    assert details["sold"] == 0, "the unit is back in the inventory"
    (purchase,) = details["records"]["purchases"]
    assert purchase["status"] == "refunded" and purchase["refund"]["amount"] == "10.00"
    other.sync()
    assert {entitlement_status(other, code) for code in codes} == {"revoked"}
    seller.sync()
    sell_pack(seller, pack_id, ADA)  # K4: the refunded pack counts no more
    assert seller.sync().open_conflicts == 0
    assert [s["status"] for s in pack_sales(backoffice)] == ["refunded", "accepted"]


def test_a_pack_with_a_coupon_used_is_not_returned(
    backoffice: LiveBackOffice, enroll: EnrollTill
) -> None:
    """K5/K14: only a whole pack with no coupon used: the refusal names the coupon and
    the ticket it was used on; nothing is written or sent."""
    pack_id = create_pack(backoffice)
    seller = enroll("till-1")
    seller.sync()
    closed = sell_pack(seller, pack_id, ADA)
    (sold,) = closed.packs_sold
    till = seller.runtime.till
    till.handle(AddItem(None, "BURGER"))
    till.handle(Redeem(sold.coupons[0].code))
    till.handle(PayCash(str(till.amount_due)))
    used_on = till.handle(Close()).number
    seller.sync()
    with pytest.raises(TillRefusal) as refused:
        till.handle(ReturnPackLine(closed.number, sold.line_id, "cash"), _manager(seller))
    assert refused.value.code == TillCode.PACK_COUPON_USED
    assert f"was used on ticket {used_on}" in refused.value.message
    assert "Member voucher" in refused.value.message
    assert seller.sync().pending_events == 0
    assert [s["status"] for s in pack_sales(backoffice)] == ["accepted"]


def test_a_pack_refunded_at_the_back_office_is_not_paid_back_again_at_the_till(
    backoffice: LiveBackOffice, enroll: EnrollTill
) -> None:
    """K14: `pos-backoffice packs refund` refunds the till's sale; once the till has
    synced, a return of that pack is refused: the money went back once."""
    pack_id = create_pack(backoffice)
    seller = enroll("till-1")
    seller.sync()
    closed = sell_pack(seller, pack_id, ADA)
    (sold,) = closed.packs_sold
    seller.sync()
    done = run_command(
        "pos-backoffice",
        "packs",
        "refund",
        sold.sale_id,
        "--reason",
        "asked on the phone",
        "--database-url",
        backoffice.database_url,
    )
    assert done.returncode == 0, done.stderr
    seller.sync()
    assert all(entitlement_status(seller, c.code) == "revoked" for c in sold.coupons)
    with pytest.raises(TillRefusal) as refused:
        seller.runtime.till.handle(
            ReturnPackLine(closed.number, sold.line_id, "cash"), _manager(seller)
        )
    assert "already refunded by the back office" in refused.value.message
