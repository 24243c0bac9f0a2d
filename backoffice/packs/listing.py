"""The pack list's rows: each pack with its sales state and figures (issued, redeemed, sold,
inventory left), counted for a whole page of packs in a few queries.

Sales state (K4, K8): a paid pack is ``not_yet_on_sale`` while a draft or before its
first day, ``on_sale`` inside its sales period, ``sold_out`` once its inventory is
sold, ``ended`` after its last day or once archived. A campaign pack is not sold:
``not_yet_on_sale`` while a draft, ``distributing`` when active, ``ended`` once archived.
"""

from __future__ import annotations

from collections.abc import Sequence
from datetime import datetime
from enum import StrEnum
from typing import Any

from sqlalchemy import func, select
from sqlalchemy.orm import Session

from backoffice.models.packs import CouponPack, PackCoupon, PackGrant
from backoffice.packs.currency import pack_currency
from backoffice.packs.details import pack_summary
from backoffice.packs.issuance import ARCHIVED, DRAFT, pack_zone
from backoffice.packs.refund_records import redeemed_codes
from backoffice.packs.schedule import local_date


class SalesState(StrEnum):
    not_yet_on_sale = "not_yet_on_sale"
    on_sale = "on_sale"
    sold_out = "sold_out"
    ended = "ended"
    distributing = "distributing"


def sales_state(pack: CouponPack, now: datetime) -> SalesState:
    """Where the pack stands for a buyer (or, for a campaign pack, for distribution)."""
    if pack.status == ARCHIVED:
        return SalesState.ended
    if pack.status == DRAFT:
        return SalesState.not_yet_on_sale
    if pack.pack_type != "paid":
        return SalesState.distributing
    today = local_date(now, pack_zone(pack))
    if pack.sales_first_day is not None and today < pack.sales_first_day:
        return SalesState.not_yet_on_sale
    if pack.sales_last_day is not None and today > pack.sales_last_day:
        return SalesState.ended
    if pack.inventory_limit is not None and pack.sold_count >= pack.inventory_limit:
        return SalesState.sold_out
    return SalesState.on_sale


def inventory_left(pack: CouponPack) -> int | None:
    """Packs still to sell; ``None`` for unlimited inventory or a campaign pack."""
    if pack.inventory_limit is None:
        return None
    return max(0, pack.inventory_limit - pack.sold_count)


def pack_rows(session: Session, packs: Sequence[CouponPack], now: datetime) -> list[dict[str, Any]]:
    """:func:`pack_summary` of each pack plus ``sales_state``, ``issued`` (packs),
    ``redeemed`` (coupons) and ``inventory_left``."""
    ids = [pack.id for pack in packs]
    issued: dict[int, int] = {}
    redeemed: dict[int, int] = {}
    if ids:
        issued = {
            pack_id: count
            for pack_id, count in session.execute(
                select(PackGrant.pack_id, func.count(PackGrant.id))
                .where(PackGrant.pack_id.in_(ids))
                .group_by(PackGrant.pack_id)
            ).all()
        }
        coupons = session.execute(
            select(PackCoupon.code, PackCoupon.pack_id).where(PackCoupon.pack_id.in_(ids))
        ).all()
        used = redeemed_codes(session, [code for code, _ in coupons])
        for code, pack_id in coupons:
            if code in used:
                redeemed[pack_id] = redeemed.get(pack_id, 0) + 1
    return [
        pack_summary(pack)
        | {
            "sales_state": str(sales_state(pack, now)),
            "issued": issued.get(pack.id, 0),
            "redeemed": redeemed.get(pack.id, 0),
            "inventory_left": inventory_left(pack),
            "currency": pack_currency(session, pack),
        }
        for pack in packs
    ]
