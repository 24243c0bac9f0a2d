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

import logging
from collections.abc import Iterable
from dataclasses import dataclass
from datetime import datetime, timedelta

from sqlalchemy import select
from sqlalchemy.exc import IntegrityError
from sqlalchemy.orm import Session

from backoffice.chain.change_log import find_record, put_record
from backoffice.models.packs import PackCoupon, PackGrant, PackPurchase, PackRefund
from backoffice.models.sales import RedeemedCode
from backoffice.packs.purchase import PAID, REFUNDED, USED
from backoffice.packs.till_records import publish_purchase_record

log = logging.getLogger(__name__)

REFUND_GRACE = timedelta(hours=48)
EXPIRED_UNUSED = "expired_unused"
_CHUNK = 500


def redeemed_codes(session: Session, codes: Iterable[str]) -> set[str]:
    """Which of ``codes`` were redeemed: claimed by an uploaded sale, or marked so in the log."""
    wanted = list(codes)
    found: set[str] = set()
    for start in range(0, len(wanted), _CHUNK):
        chunk = wanted[start : start + _CHUNK]
        found.update(
            session.scalars(select(RedeemedCode.code).where(RedeemedCode.code.in_(chunk))).all()
        )
    for code in wanted:
        if code in found:
            continue
        record = find_record(session, "entitlement", code)
        if record is not None and record.data.get("status") == "redeemed":
            found.add(code)
    return found


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
    """Refund one expired purchase if none of its coupons was redeemed (K5)."""
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
        with session.begin_nested():
            session.add(
                PackRefund(
                    purchase_id=purchase.id,
                    amount=purchase.price,
                    currency=purchase.currency,
                    reason=EXPIRED_UNUSED,
                    refunded_at=now,
                )
            )
            session.flush()
    except IntegrityError:
        return RefundDecision(purchase_id, "skipped")
    purchase.status = REFUNDED
    publish_purchase_record(session, purchase, now=now, actor=actor)
    for coupon in coupons:
        record = find_record(session, "entitlement", coupon.code, fresh=True)
        if record is None or record.deleted or record.data.get("status") == "expired":
            continue
        put_record(
            session,
            "entitlement",
            coupon.code,
            {**record.data, "status": "expired"},
            store_id=record.store_id,
            now=now,
            actor=actor,
        )
    log.info(
        "refunded purchase %s of pack %s: %s %s",
        purchase.id,
        purchase.pack_id,
        purchase.price,
        purchase.currency,
    )
    return RefundDecision(purchase_id, REFUNDED)
