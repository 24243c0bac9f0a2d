"""Automatic refund of expired, unused packs (K5): in full, once, recorded.

A purchase made while its pack promised a refund is refunded when every coupon
it issued has expired and none was redeemed. Because tills redeem offline and
upload later, the back office waits a grace period after the last expiry before
it decides, so a redemption made just before expiry on an offline till can still
arrive. A purchase with a redeemed coupon is marked ``used`` and never refunded.

"Refunded once": the refund row is unique per purchase, and the purchase row is
locked while deciding, so two schedulers cannot both refund it. The refund is
recorded here; paying it back through the payment provider is outside the back office.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime, timedelta

from sqlalchemy import select
from sqlalchemy.orm import Session

from backoffice.models.packs import PackCoupon, PackGrant, PackPurchase
from backoffice.packs.errors import PackStateError
from backoffice.packs.issuance import lock_pack
from backoffice.packs.pack_refund import refund_purchase
from backoffice.packs.purchase import PAID, REFUNDED, USED
from backoffice.packs.refund_records import redeemed_codes
from backoffice.packs.till_records import publish_purchase_record

REFUND_GRACE = timedelta(hours=48)


def refundable_purchase_ids(session: Session, now: datetime, grace: timedelta) -> list[int]:
    """Paid purchases with the refund promise whose coupons all expired ``grace`` ago."""
    return list(
        session.scalars(
            select(PackPurchase.id)
            .join(PackGrant, PackGrant.purchase_id == PackPurchase.id)
            .where(
                PackPurchase.status == PAID,
                PackPurchase.auto_refund.is_(True),
                PackGrant.next_due_at.is_(None),
                PackGrant.expires_at.is_not(None),
                PackGrant.expires_at <= now - grace,
            )
            .order_by(PackPurchase.id)
        ).all()
    )


@dataclass(frozen=True)
class RefundDecision:
    """What happened to one purchase: ``refunded``, ``used`` or ``skipped`` (already decided)."""

    purchase_id: int
    outcome: str


def settle_purchase(
    session: Session, purchase_id: int, *, now: datetime, grace: timedelta, actor: str
) -> RefundDecision:
    """Refund one expired purchase if none of its coupons was redeemed (K5), through the
    one refund path (:func:`~backoffice.packs.pack_refund.refund_purchase`). The pack row
    is locked before the purchase's, in the order every writer takes them."""
    pack_id = session.scalar(select(PackPurchase.pack_id).where(PackPurchase.id == purchase_id))
    if pack_id is None:
        return RefundDecision(purchase_id, "skipped")
    lock_pack(session, pack_id)
    purchase = session.scalar(
        select(PackPurchase)
        .where(PackPurchase.id == purchase_id)
        .with_for_update()
        .execution_options(populate_existing=True)
    )
    if purchase is None or purchase.status != PAID or not purchase.auto_refund:
        return RefundDecision(purchase_id, "skipped")
    grant = session.scalar(select(PackGrant).where(PackGrant.purchase_id == purchase.id))
    if grant is None or grant.next_due_at is not None or grant.expires_at is None:
        return RefundDecision(purchase_id, "skipped")
    if grant.expires_at > now - grace:
        return RefundDecision(purchase_id, "skipped")
    coupons = session.scalars(select(PackCoupon).where(PackCoupon.grant_id == grant.id)).all()
    if any(coupon.valid_to > now for coupon in coupons):
        return RefundDecision(purchase_id, "skipped")
    if redeemed_codes(session, (coupon.code for coupon in coupons)):
        purchase.status = USED
        publish_purchase_record(session, purchase, now=now, actor=actor)
        return RefundDecision(purchase_id, USED)
    try:
        refund_purchase(session, purchase.id, note="", now=now, actor=actor, automatic=True)
    except PackStateError:  # refunded a moment ago by someone else: once is enough
        return RefundDecision(purchase_id, "skipped")
    return RefundDecision(purchase_id, REFUNDED)
