"""Member lookup at the till (which coupons can be redeemed now) and the receipt of a
closed sale (store header from the synced store record)."""

from __future__ import annotations

from decimal import Decimal

from pos_app.store.store_document import store_document_records
from pos_app.till.members import look_up_members
from pos_app.till.receipts import sale_receipt, store_header
from pos_app.wiring import TillRuntime
from tests.till.conftest import NOW


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
                        "status": "void",
                    },
                ]
            }
        ),
        None,
    )
    till = runtime.till
    till.reload_configuration()
    till.add_item("L1", "BURGER")
    till.redeem_coupon("E-USED")
    till.pay_card("8.00")
    closed = till.close()
    (card,) = look_up_members(runtime.sessions, till.book, "+1 555 010 0001")
    assert (card.member_id, card.name) == ("M-1001", "Ada Lovelace")
    reasons = {c.code: (c.usable, c.reason) for c in card.coupons}
    assert reasons == {
        "E-OK": (True, ""),
        "E-USED": (False, f"already redeemed (ticket {closed.closed_ticket_id})"),
        "E-VOID": (False, "status void"),
    }
    assert list(card.groups()) == ["MV-4"]
    assert card.coupons[0].name == "Member voucher 4.00"


def test_the_receipt_of_a_closed_sale(runtime: TillRuntime) -> None:
    """Header from the store record, lines and payments from the closed ticket."""
    till = runtime.till
    till.add_item("L1", "COLA", 2)
    till.pay_cash("5.00")
    change = till.close()
    header = store_header(runtime.sessions)
    assert (header.name, header.address_lines, header.store_id) == (
        "Demo Diner",
        ("1 Demo Street",),
        "DEMO-1",
    )
    receipt = sale_receipt(change, store=header, device_id="D1", closed_at=NOW)
    assert receipt.ticket_id == change.closed_ticket_id
    assert receipt.total == Decimal("3.00")
    assert [(p.method, p.change) for p in receipt.payments] == [("cash", Decimal("2.00"))]
