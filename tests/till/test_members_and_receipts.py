"""Member lookup at the till (which coupons can be redeemed now) and the receipt of a
closed sale (store header from the synced store record)."""

from __future__ import annotations

from decimal import Decimal

from pos_app.engine import AddItem, Close, Redeem
from pos_app.store.store_document import store_document_records
from pos_app.till.commands import PayCard, PayCash
from pos_app.till.members import NOT_FROM_A_PACK, look_up_members
from pos_app.till.receipts import sale_receipt, store_header
from pos_app.till.runtime import TillRuntime
from tests.helpers.device_clock import NOW


def test_a_members_coupons_say_whether_they_can_be_redeemed(runtime: TillRuntime) -> None:
    """Active and unused: usable. Inactive, unknown to the till, or already taken on a
    closed ticket here: not, with the reason."""
    runtime.sync_store.apply_changes_page(
        store_document_records(
            {
                "entitlements": [
                    {"code": "E-OK", "member_id": "M-1001", "coupon_code": "MV-4"},
                    {"code": "E-USED", "member_id": "M-1001", "coupon_code": "MV-4"},
                    {
                        "code": "E-VOID",
                        "member_id": "M-1001",
                        "coupon_code": "MV-4",
                        "status": "revoked",
                    },
                ]
            }
        ),
        None,
    )
    till = runtime.till
    till.reload_configuration()
    till.handle(AddItem("L1", "BURGER"))
    till.handle(Redeem("E-USED"))
    till.handle(PayCard("8.00"))
    closed = till.handle(Close())
    (card,) = look_up_members(runtime.database, till.book, "+1 555 010 0001", till.pricing_time())
    assert (card.member_id, card.name) == ("M-1001", "Ada Lovelace")
    reasons = {c.code: (c.usable, c.reason) for c in card.coupons}
    assert reasons == {
        "E-OK": (True, ""),
        "E-USED": (False, f"already redeemed (ticket {closed.number})"),
        "E-VOID": (False, "withdrawn by the back office"),
    }
    (loose,) = card.packs  # none came from a pack
    assert (loose.pack_id, loose.name, loose.usable) == (None, NOT_FROM_A_PACK, 1)
    assert card.coupons[0].name == "Member voucher 4.00"


def test_a_members_coupons_are_grouped_by_pack(runtime: TillRuntime) -> None:
    """K: the till shows a member's packs (by name) and each pack's coupons with code,
    coupon name, validity and status; coupons not from a pack come last, on their own."""
    runtime.sync_store.apply_changes_page(
        store_document_records(
            {
                "entitlements": [
                    {
                        "code": "PK-W2",
                        "member_id": "M-1001",
                        "coupon_code": "MV-4",
                        "valid_to": "2026-12-21T12:00:00+00:00",
                        "pack_id": "7",
                        "pack_name": "Welcome pack",
                    },
                    {
                        "code": "PK-W1",
                        "member_id": "M-1001",
                        "coupon_code": "MD-10",
                        "status": "redeemed",
                        "pack_id": "7",
                        "pack_name": "Welcome pack",
                    },
                    {
                        "code": "PK-L1",
                        "member_id": "M-1001",
                        "coupon_code": "MV-4",
                        "pack_id": "3",
                        "pack_name": "Lunch pack",
                    },
                    {"code": "PK-X1", "member_id": "M-1001", "coupon_code": "MV-4", "pack_id": "9"},
                    {"code": "E-LOOSE", "member_id": "M-1001", "coupon_code": "MV-4"},
                ]
            }
        ),
        None,
    )
    till = runtime.till
    till.reload_configuration()
    (card,) = look_up_members(runtime.database, till.book, "5550100001", till.pricing_time())
    packs = [(p.pack_id, p.name, [c.code for c in p.coupons]) for p in card.packs]
    assert packs == [
        ("3", "Lunch pack", ["PK-L1"]),
        ("9", "Pack 9", ["PK-X1"]),  # a pack without a name is still a pack
        ("7", "Welcome pack", ["PK-W1", "PK-W2"]),  # by coupon name: MD-10's, then MV-4's
        (None, NOT_FROM_A_PACK, ["E-LOOSE"]),
    ]
    welcome = card.packs[2]
    assert welcome.usable == 1
    spent, voucher = welcome.coupons
    assert (spent.status, spent.usable, spent.reason) == ("redeemed", False, "already redeemed")
    assert (voucher.name, voucher.status, voucher.usable) == ("Member voucher 4.00", "active", True)
    assert voucher.valid_to == "2026-12-21T12:00:00+00:00"
    assert (voucher.pack_id, voucher.pack_name) == ("7", "Welcome pack")
    assert [c.code for c in card.coupons] == ["PK-L1", "PK-X1", "PK-W1", "PK-W2", "E-LOOSE"]


def test_the_receipt_of_a_closed_sale(runtime: TillRuntime) -> None:
    """Header from the store record, lines and payments from the closed ticket."""
    till = runtime.till
    till.handle(AddItem("L1", "COLA", 2))
    till.handle(PayCash("5.00"))
    change = till.handle(Close())
    header = store_header(runtime.database)
    assert (header.name, header.address_lines, header.store_id) == (
        "Demo Diner",
        ("1 Demo Street",),
        "DEMO-1",
    )
    receipt = sale_receipt(change, store=header, device_id="D1", closed_at=NOW)
    assert receipt.ticket_id == change.closed_ticket_id
    assert receipt.total == Decimal("3.00")
    assert [(p.method, p.change) for p in receipt.payments] == [("cash", Decimal("2.00"))]
