"""Coupon packs on a till without a back office: the ``pack`` records a download would
bring and the supplies (quota, code block) ``pack-supplies`` would grant, applied through
the till's own sync store exactly as a sync applies them."""

from __future__ import annotations

from datetime import UTC, datetime
from typing import Any

from pos_app.protocol.pack_codes import block_prefix
from pos_app.protocol.pack_supplies import Allotment, CodeBlock, PackSupplies
from pos_app.protocol.records import RECORD_VERSION
from pos_app.till.runtime import TillRuntime

TEA_PACK_ID = "7"
BLOCK_RESERVED_AT = datetime(2026, 11, 20, 9, 0, tzinfo=UTC)


def pack_data(pack_id: str = TEA_PACK_ID, **overrides: Any) -> dict[str, Any]:
    """A paid pack sold with orders at DEMO-1 in November-December 2026 for 10.00: two
    MV-4 member vouchers valid 30 days from the sale; unlimited, no member limits."""
    return {
        "id": pack_id,
        "name": "Tea lover's pack",
        "price": "10.00",
        "time_zone": "UTC",
        "channels": ["with_order", "mall"],
        "sales_period": {"first_day": "2026-11-01", "last_day": "2026-12-31"},
        "stores": ["DEMO-1"],
        "inventory": None,
        "limits": {},
        "content": [
            {"coupon_code": "MV-4", "quantity": 2, "effective": "immediate", "validity_days": 30}
        ],
        **overrides,
    }


def record(kind: str, record_id: str, data: dict[str, Any], *, deleted: bool = False) -> Any:
    """A change record as ``GET /api/v1/changes`` sends it."""
    return {
        "kind": kind,
        "version": RECORD_VERSION,
        "id": record_id,
        "deleted": deleted,
        "data": {} if deleted else data,
    }


def confirmed_purchase(
    purchase_id: str, member_id: str, local_date: str, pack_id: str = TEA_PACK_ID
) -> Any:
    """A ``pack_purchase`` record: a purchase the back office confirmed."""
    return record(
        "pack_purchase",
        purchase_id,
        {
            "id": purchase_id,
            "pack_id": pack_id,
            "member_id": member_id,
            "local_date": local_date,
            "status": "paid",
        },
    )


def stock_till(
    runtime: TillRuntime,
    *packs: dict[str, Any],
    granted: dict[str, int] | None = None,
    blocks: tuple[int, ...] = (1,),
    block_size: int = 1000,
) -> None:
    """Give the till ``packs`` (default: the tea pack), its quota of each limited one
    (``granted``) and code blocks numbered ``blocks``, then let it re-read them."""
    chosen = packs or (pack_data(),)
    runtime.sync_store.apply_changes_page([record("pack", p["id"], p) for p in chosen], None)
    runtime.sync_store.apply_pack_supplies(
        PackSupplies(
            allotments=[
                Allotment(pack_id=pack_id, granted=units)
                for pack_id, units in (granted or {}).items()
            ],
            code_blocks=[
                CodeBlock(prefix=block_prefix(n), size=block_size, reserved_at=BLOCK_RESERVED_AT)
                for n in blocks
            ],
        )
    )
    runtime.till.reload_configuration()
