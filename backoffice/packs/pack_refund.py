"""Refunding a whole pack purchase (COUPON-PACK-RULES K4, K5, K14): the one path every
refund takes, from the member's page, the pack's records, the command line, a till's
manager-approved return, and the automatic refund of expired, unused packs.

Only a whole pack with no coupon used is refunded; otherwise the refusal names the
coupon used, when, where and on which ticket. A refund withdraws the pack's coupons
from every till (their ``entitlement`` records become ``revoked``, or ``expired`` when
already past their window; a till that presents one offline afterwards makes a
conflict at upload), gives the unit back to the pack's inventory, takes the purchase
out of the member's limits (its ``pack_purchase`` record says ``refunded``, which K4
counts no more) and keeps a refund record with who and why. Once: the purchase row is
locked and the refund row is unique per purchase.
"""

from __future__ import annotations

import logging
from dataclasses import dataclass
from datetime import datetime

from sqlalchemy import select
from sqlalchemy.exc import IntegrityError
from sqlalchemy.orm import Session

from backoffice.chain.change_log import find_record, put_record
from backoffice.chain.record_listing import names_of
from backoffice.models.pack_sales import TillPackSale
from backoffice.models.packs import PackCoupon, PackGrant, PackPurchase, PackRefund
from backoffice.packs.errors import PackInputError, PackNotFound, PackStateError
from backoffice.packs.issuance import lock_pack
from backoffice.packs.member_activity import coupon_uses
from backoffice.packs.purchase import REFUNDED
from backoffice.packs.refund_records import EXPIRED_UNUSED, redeemed_codes
from backoffice.packs.till_records import publish_purchase_record

log = logging.getLogger(__name__)

REQUESTED = "requested"
MAX_NOTE = 500
COUPON_USED = "COUPON_USED"
ALREADY_REFUNDED = "ALREADY_REFUNDED"


@dataclass(frozen=True)
class RefundResult:
    """The refund recorded and the coupon codes it withdrew."""

    refund: PackRefund
    purchase: PackPurchase
    withdrawn: list[str]


def find_purchase(session: Session, sale: str) -> PackPurchase:
    """The purchase with order id ``sale`` (a till's pack sale id is its order id)."""
    wanted = sale.strip()
    purchase = (
        session.scalar(select(PackPurchase).where(PackPurchase.order_id == wanted))
        if wanted and len(wanted) <= 128
        else None
    )
    if purchase is None:
        raise PackNotFound("sale", f"there is no pack purchase {wanted!r}")
    return purchase


def _used_sentence(session: Session, coupons: list[PackCoupon], used: set[str]) -> str:
    names = names_of(session, "coupon")
    stores = names_of(session, "store")
    uses = coupon_uses(session, used)
    first = next(coupon for coupon in coupons if coupon.code in used)
    name = names.get(first.coupon_code, first.coupon_code)
    where = ""
    if first.code in uses:
        claim, number = uses[first.code]
        store = stores.get(claim.store_id, claim.store_id)
        where = f" on {claim.redeemed_at:%Y-%m-%d %H:%M} UTC at {store}, ticket {number}"
    more = f" (and {len(used) - 1} more coupon(s) of it)" if len(used) > 1 else ""
    return (
        f"The coupon “{name}” of this pack was used{where}{more}: only a whole pack with no"
        " coupon used can be refunded"
    )


def _checked_note(note: str) -> str:
    cleaned = " ".join(note.split())
    if not cleaned:
        raise PackInputError("reason", "Say why the pack is refunded")
    if len(cleaned) > MAX_NOTE:
        raise PackInputError("reason", f"The reason is longer than {MAX_NOTE} characters")
    return cleaned


def refund_purchase(
    session: Session,
    purchase_id: int,
    *,
    note: str,
    now: datetime,
    actor: str,
    automatic: bool = False,
    method: str | None = None,
) -> RefundResult:
    """Refund the whole purchase (see above), or refuse naming what stands in the way."""
    why = EXPIRED_UNUSED if automatic else _checked_note(note)
    found = session.get(PackPurchase, purchase_id)
    if found is None:
        raise PackNotFound("sale", "there is no such pack purchase")
    pack = lock_pack(session, found.pack_id)
    purchase = session.scalar(
        select(PackPurchase)
        .where(PackPurchase.id == purchase_id)
        .with_for_update()
        .execution_options(populate_existing=True)
    )
    assert purchase is not None
    if purchase.status == REFUNDED:
        raise PackStateError("sale", "This pack was already refunded", ALREADY_REFUNDED)
    grant = session.scalar(select(PackGrant).where(PackGrant.purchase_id == purchase.id))
    coupons = (
        []
        if grant is None
        else list(session.scalars(select(PackCoupon).where(PackCoupon.grant_id == grant.id)))
    )
    used = redeemed_codes(session, (coupon.code for coupon in coupons))
    if used:
        raise PackStateError("sale", _used_sentence(session, coupons, used), COUPON_USED)
    refund = PackRefund(
        purchase_id=purchase.id,
        amount=purchase.price,
        currency=purchase.currency,
        reason=EXPIRED_UNUSED if automatic else REQUESTED,
        refunded_at=now,
        refunded_by=actor,
        note=None if automatic else why,
    )
    try:
        with session.begin_nested():
            session.add(refund)
            session.flush()
    except IntegrityError:
        raise PackStateError("sale", "This pack was already refunded", ALREADY_REFUNDED) from None
    purchase.status = REFUNDED
    pack.sold_count = max(0, pack.sold_count - 1)  # the unit is back in the inventory
    publish_purchase_record(session, purchase, now=now, actor=actor)
    withdrawn = _withdraw(session, coupons, now=now, actor=actor)
    sale = session.scalar(select(TillPackSale).where(TillPackSale.purchase_id == purchase.id))
    if sale is not None:
        sale.status = REFUNDED
        sale.refund_amount = purchase.price
        sale.refund_method = method
        sale.refunded_by = actor
        sale.refunded_at = now
        sale.refund_note = refund.note or "expired unused"
    log.info(
        "refunded purchase %s of pack %s (%s %s) by %s: %s",
        purchase.order_id,
        purchase.pack_id,
        purchase.price,
        purchase.currency,
        actor,
        why,
    )
    return RefundResult(refund, purchase, withdrawn)


def _withdraw(
    session: Session, coupons: list[PackCoupon], *, now: datetime, actor: str
) -> list[str]:
    """Every coupon's entitlement out of the tills' hands: revoked, or expired if past."""
    withdrawn = []
    for coupon in coupons:
        record = find_record(session, "entitlement", coupon.code, fresh=True)
        if record is None or record.deleted:
            continue
        status = "expired" if coupon.valid_to <= now else "revoked"
        if record.data.get("status") != status:
            put_record(
                session,
                "entitlement",
                coupon.code,
                {**record.data, "status": status},
                store_id=record.store_id,
                now=now,
                actor=actor,
            )
        withdrawn.append(coupon.code)
    return withdrawn
