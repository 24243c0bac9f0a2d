"""Coupon packs sold at the tills (COUPON-PACK-RULES K12-K15), as `pos-backoffice packs
sales` lists them: each sale's outcome, its codes, and its conflict's resolution."""

from __future__ import annotations

from typing import Any

from sqlalchemy import select
from sqlalchemy.orm import Session

from backoffice.models.conflicts import Conflict
from backoffice.models.pack_sales import TillPackSale


def till_pack_sales(session: Session, *, store_id: str | None = None) -> list[dict[str, Any]]:
    """Every pack sale the tills uploaded, in arrival order, as ``packs sales --json``
    lists it (names beside ids; the conflict's resolution when there is one)."""
    query = select(TillPackSale).order_by(TillPackSale.id)
    if store_id is not None:
        query = query.where(TillPackSale.store_id == store_id)
    sales = []
    for sale in session.scalars(query):
        conflict = (
            session.scalar(select(Conflict).where(Conflict.conflict_key == sale.conflict_key))
            if sale.conflict_key
            else None
        )
        sales.append(
            {
                "sale_id": sale.sale_id,
                "status": sale.status,
                "reason": sale.reason,
                "pack_id": sale.pack_id,
                "pack_name": sale.pack_name,
                "member_id": sale.member_id,
                "store_id": sale.store_id,
                "device_id": sale.device_id,
                "ticket_id": sale.ticket_id,
                "price": str(sale.price),
                "currency": sale.currency,
                "sold_at": sale.sold_at.isoformat(),
                "local_date": sale.local_date.isoformat(),
                "codes": [coupon["code"] for coupon in sale.coupons],
                "purchase_id": sale.purchase_id,
                "conflict_key": sale.conflict_key,
                "resolution": conflict.resolution if conflict is not None else None,
                "refund": None
                if sale.refund_amount is None
                else {
                    "amount": str(sale.refund_amount),
                    "method": sale.refund_method,
                    "by": sale.refunded_by,
                    "at": sale.refunded_at.isoformat() if sale.refunded_at else None,
                    "note": sale.refund_note,
                },
            }
        )
    return sales
