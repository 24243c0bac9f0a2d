"""Where a synced record is used: the live packs, entitlements, sales and tills that
refer to a coupon, promotion, store or item. A record in use is never deleted (its
tombstone would leave packs, members' coupons and tills pointing at nothing): it is
archived instead (:func:`backoffice.chain.archive.remove_record`), and the administrator
is shown these uses in words.
"""

from __future__ import annotations

import json
from collections.abc import Callable

from sqlalchemy import String, cast, func, select
from sqlalchemy.orm import Session

from backoffice.models.packs import CouponPack
from backoffice.models.records import Record
from backoffice.models.sales import SaleLine, SaleTicket
from backoffice.models.trust import Device
from pos_app.protocol.records import REDEEMABLE_ENTITLEMENT_STATUSES

MAX_PACKS_NAMED = 5
_LIVE_PACK = ("active", "draft")


def _plural(count: int, one: str, many: str) -> str:
    return f"{count:,} {one if count == 1 else many}"


def _packs_named(packs: list[CouponPack]) -> list[str]:
    named = [f"coupon pack “{pack.name}”" for pack in packs[:MAX_PACKS_NAMED]]
    if len(packs) > MAX_PACKS_NAMED:
        named.append(_plural(len(packs) - MAX_PACKS_NAMED, "more coupon pack", "more coupon packs"))
    return named


def _live_packs(session: Session) -> list[CouponPack]:
    query = select(CouponPack).where(CouponPack.status.in_(_LIVE_PACK)).order_by(CouponPack.id)
    return list(session.scalars(query))


def _coupon_uses(session: Session, code: str) -> list[str]:
    packs = [
        pack
        for pack in _live_packs(session)
        if any(entry.get("coupon_code") == code for entry in pack.content)
        or any(entry.get("coupon_code") == code for entry in pack.subsequent_content or ())
    ]
    entitlements = session.scalar(
        select(func.count())
        .select_from(Record)
        .where(
            Record.kind == "entitlement",
            Record.deleted.is_(False),
            Record.data["coupon_code"].as_string() == code,
            Record.data["status"].as_string().in_(sorted(REDEEMABLE_ENTITLEMENT_STATUSES)),
        )
    )
    uses = _packs_named(packs)
    if entitlements:
        uses.append(_plural(entitlements, "member's coupon", "members' coupons") + " not yet used")
    return uses + _sales_by_rule(session, code)


def _sales_by_rule(session: Session, rule: str) -> list[str]:
    """Sales whose adjustments name ``rule`` (a promotion's id or a coupon's code)."""
    needle = f'"rule": {_json_text(rule)}'
    count = session.scalar(
        select(func.count(func.distinct(SaleLine.sale_id))).where(
            cast(SaleLine.adjustments, String).contains(needle, autoescape=True)
        )
    )
    return [_plural(count, "sale", "sales") + " on record"] if count else []


def _json_text(value: str) -> str:
    """The text the JSON column holds for a string (json.dumps, as SQLAlchemy writes it)."""
    return json.dumps(value)


def _promotion_uses(session: Session, promotion_id: str) -> list[str]:
    return _sales_by_rule(session, promotion_id)


def _store_uses(session: Session, store_id: str) -> list[str]:
    packs = [pack for pack in _live_packs(session) if store_id in (pack.store_ids or ())]
    tills = session.scalar(
        select(func.count())
        .select_from(Device)
        .where(Device.store_id == store_id, Device.revoked_at.is_(None))
    )
    sales = session.scalar(
        select(func.count()).select_from(SaleTicket).where(SaleTicket.store_id == store_id)
    )
    uses = _packs_named(packs)
    if tills:
        uses.append(_plural(tills, "enrolled till", "enrolled tills"))
    if sales:
        uses.append(_plural(sales, "sale", "sales") + " on record")
    return uses


def _item_uses(session: Session, sku: str) -> list[str]:
    sales = session.scalar(
        select(func.count(func.distinct(SaleLine.sale_id))).where(SaleLine.sku == sku)
    )
    return [_plural(sales, "sale", "sales") + " on record"] if sales else []


_USES: dict[str, Callable[[Session, str], list[str]]] = {
    "coupon": _coupon_uses,
    "promotion": _promotion_uses,
    "store": _store_uses,
    "item": _item_uses,
}


def uses_of(session: Session, kind: str, record_id: str) -> list[str]:
    """What refers to the ``kind`` record ``record_id``, in words ("coupon pack “Tea
    lover”", "12 members' coupons not yet used", "3 sales on record"); [] when nothing
    does (or the kind is never archived)."""
    find = _USES.get(kind)
    return find(session, record_id) if find is not None else []
