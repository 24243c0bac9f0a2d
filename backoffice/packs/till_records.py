"""What the tills learn of coupon packs through the change log (S7; COUPON-PACK-RULES
K12): a ``pack`` record for every published paid pack, and a ``pack_purchase`` record for
every purchase, over which a till counts a member's total and daily limits.

Both are chain-wide: a member's limits count across every store, and each till checks
its own store against the pack's list. A pack that is no longer published (archived)
becomes a tombstone. The data is the protocol's (:mod:`pos_app.protocol.pack_records`);
the caller holds the pack's row lock, and the change log is locked after it.
"""

from __future__ import annotations

from datetime import datetime
from typing import Any

from sqlalchemy.orm import Session

from backoffice.chain.change_log import delete_record, put_record, record_is_live
from backoffice.models.packs import CouponPack, PackPurchase
from backoffice.packs.definition import PackType
from backoffice.packs.issuance import ACTIVE
from pos_app.protocol.records import RecordKind, checked_data

PACK = RecordKind.PACK.value
PACK_PURCHASE = RecordKind.PACK_PURCHASE.value


def pack_record_data(pack: CouponPack) -> dict[str, Any] | None:
    """The ``pack`` record of ``pack``, or None when tills must not have one (a campaign
    pack, a draft, an archived pack)."""
    if pack.pack_type != PackType.paid or pack.status != ACTIVE:
        return None
    assert pack.price is not None and pack.sales_first_day and pack.sales_last_day
    limits = {
        key: value
        for key, value in (("total", pack.limit_total), ("daily", pack.limit_daily))
        if value is not None
    }
    data: dict[str, Any] = {
        "id": str(pack.id),
        "name": pack.name,
        "price": str(pack.price),
        "time_zone": pack.time_zone,
        "channels": list(pack.channels),
        "sales_period": {
            "first_day": pack.sales_first_day.isoformat(),
            "last_day": pack.sales_last_day.isoformat(),
        },
        "stores": list(pack.store_ids),
        "inventory": pack.inventory_limit,
        "limits": limits,
        "content": [dict(entry) for entry in pack.content],
    }
    if pack.description:
        data["description"] = pack.description
    return checked_data(RecordKind.PACK, str(pack.id), data)


def publish_pack_record(session: Session, pack: CouponPack, *, now: datetime, actor: str) -> None:
    """Bring the tills' ``pack`` record in line with ``pack``: written, or a tombstone."""
    data = pack_record_data(pack)
    record_id = str(pack.id)
    if data is not None:
        put_record(session, PACK, record_id, data, store_id=None, now=now, actor=actor)
    elif record_is_live(session, PACK, record_id):
        delete_record(session, PACK, record_id, now=now, actor=actor)


def publish_purchase_record(
    session: Session, purchase: PackPurchase, *, now: datetime, actor: str
) -> None:
    """The ``pack_purchase`` record of ``purchase`` (new, or its status changed)."""
    data = checked_data(
        RecordKind.PACK_PURCHASE,
        purchase.order_id,
        {
            "id": purchase.order_id,
            "pack_id": str(purchase.pack_id),
            "member_id": purchase.member_id,
            "local_date": purchase.local_date.isoformat(),
            "status": purchase.status,
        },
    )
    put_record(session, PACK_PURCHASE, purchase.order_id, data, store_id=None, now=now, actor=actor)
