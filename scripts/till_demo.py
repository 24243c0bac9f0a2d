"""The demo day the till's screenshots show: a manager, member coupons for Ada
Lovelace, the tea lover's pack with its quota and codes, and two conflicts."""

from __future__ import annotations

from datetime import datetime

from pos_app.engine import AddItem, Close, Redeem, SellPack
from pos_app.protocol.events import EventType
from pos_app.protocol.pack_codes import block_prefix
from pos_app.protocol.pack_supplies import Allotment, CodeBlock, PackSupplies
from pos_app.protocol.records import RECORD_VERSION
from pos_app.store.store_document import store_document_records
from pos_app.till.clock import aware
from pos_app.till.commands import PayCash, SetPermission
from pos_app.till.manager import GUARDED_ACTIONS, Actor
from pos_app.till.runtime import TillRuntime

DEMO_MANAGER = ("Grace", "2468")
SHOT_TIME = datetime(2026, 11, 21, 12, 30)
WELCOME_PACK = {"pack_id": "7", "pack_name": "Welcome pack"}
DEMO_ENTITLEMENTS = [
    {"code": "MV-ADA-1", "member_id": "M-1001", "coupon_code": "MV-4", "status": "active"}
    | WELCOME_PACK,
    {"code": "MV-ADA-2", "member_id": "M-1001", "coupon_code": "MV-4", "status": "active"}
    | WELCOME_PACK,
    {
        "code": "MD-ADA-1",
        "member_id": "M-1001",
        "coupon_code": "MD-10",
        "status": "active",
        "valid_to": "2026-12-31",
    },
    {"code": "MV-ADA-0", "member_id": "M-1001", "coupon_code": "MV-4", "status": "redeemed"}
    | WELCOME_PACK,
    {
        "code": "MV-ADA-3",
        "member_id": "M-1001",
        "coupon_code": "MV-4",
        "status": "active",
        "valid_from": "2026-12-01",
    }
    | WELCOME_PACK,
]
TEA_PACK_ID = "12"
TEA_PACK = {
    "id": TEA_PACK_ID,
    "name": "Tea lover's pack",
    "price": "10.00",
    "time_zone": "UTC",
    "channels": ["with_order", "mall"],
    "sales_period": {"first_day": "2026-11-01", "last_day": "2026-12-31"},
    "stores": ["DEMO-1"],
    "inventory": 500,
    "limits": {"daily": 1},
    "content": [
        {"coupon_code": "MV-4", "quantity": 2, "effective": "immediate", "validity_days": 30},
        {
            "coupon_code": "MD-10",
            "quantity": 1,
            "effective": "after_days",
            "delay": 1,
            "validity_days": 14,
        },
    ],
}
DEMO_BLOCK = 4711

HALF_PRICE_BURGER = {
    "id": "BURGER-HALF",
    "name": "Burger half price",
    "type": "percent_off",
    "sequence": 20,
    "auto_execute": True,
    "percent": "50",
    "items": ["BURGER"],
}
GROUP_PURCHASE_FIVE = {
    "code": "GP-BURGER-5",
    "name": "Group purchase: a burger for 5.00",
    "kind": "group_purchase",
    "sequence": 9,
    "items": ["BURGER"],
    "face_value": "5.00",
}


def demo_clock() -> datetime:
    return aware(SHOT_TIME)


def prepare_demo(runtime: TillRuntime) -> None:
    """Give a demo data directory (opened at :func:`demo_clock`) a manager, member
    coupons and one open conflict."""
    runtime.access.set_pin(*DEMO_MANAGER, by=None)
    manager = Actor(runtime.access.verify_pin(*DEMO_MANAGER))
    for action in GUARDED_ACTIONS:  # the demo store's manager trusts its cashiers
        runtime.till.handle(SetPermission(action, True), manager)
    runtime.access.end_session(manager.manager)
    runtime.sync_store.apply_changes_page(
        store_document_records({"entitlements": DEMO_ENTITLEMENTS}), None
    )
    till = runtime.new_till()
    for command in (AddItem(None, "BURGER"), Redeem("MV-ADA-1"), PayCash("10.00"), Close()):
        till.handle(command)
    (event,) = runtime.sync_store.pending_events(1)
    runtime.sync_store.record_outcome(
        str(event["idempotency_key"]),
        "conflict",
        "COUPON_ALREADY_REDEEMED: Member voucher 4.00 was already redeemed at another store"
        " on 2026-11-21 11:05 UTC",
    )
    stock_tea_pack(runtime)
    till = runtime.new_till()
    till.handle(SellPack(TEA_PACK_ID, member_id="M-1002"))
    till.handle(PayCash("10.00"))
    till.handle(Close())
    for pending in runtime.sync_store.pending_events(10):
        sold = pending["type"] == EventType.PACK_SOLD
        runtime.sync_store.record_outcome(
            str(pending["idempotency_key"]),
            "conflict" if sold else "accepted",
            "PACK_LIMIT_EXCEEDED" if sold else None,
        )


def stock_tea_pack(runtime: TillRuntime) -> None:
    """The tea lover's pack, five units of it and a block of codes, as a sync brings them."""
    record = {
        "kind": "pack",
        "version": RECORD_VERSION,
        "id": TEA_PACK_ID,
        "deleted": False,
        "data": TEA_PACK,
    }
    runtime.sync_store.apply_changes_page([record], None)
    runtime.sync_store.apply_pack_supplies(
        PackSupplies(
            allotments=[Allotment(pack_id=TEA_PACK_ID, granted=5)],
            code_blocks=[
                CodeBlock(prefix=block_prefix(DEMO_BLOCK), size=1000, reserved_at=demo_clock())
            ],
        )
    )
