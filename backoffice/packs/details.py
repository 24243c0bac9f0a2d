"""What an administrator sees of a pack (K10): configuration, statistics and records.

Statistics: packs issued (by distribution, gift and purchase), coupons issued,
coupons redeemed, purchases sold and refunded and their amounts. Records: the
purchase records (with any refund), the gift records and the distributions.
"""

from __future__ import annotations

from decimal import Decimal
from typing import Any

from sqlalchemy import func, select
from sqlalchemy.orm import Session

from backoffice.clock import iso_time
from backoffice.models.packs import (
    CouponPack,
    PackCoupon,
    PackDistribution,
    PackGift,
    PackGrant,
    PackPurchase,
    PackRefund,
)
from backoffice.packs.currency import pack_currency
from backoffice.packs.definition import definition_data
from backoffice.packs.lifecycle import definition_of
from backoffice.packs.refund_records import redeemed_codes


def _time(moment: Any) -> str | None:
    return None if moment is None else iso_time(moment)


def pack_summary(pack: CouponPack) -> dict[str, Any]:
    """One row of the pack list."""
    return {
        "id": pack.id,
        "type": pack.pack_type,
        "name": pack.name,
        "status": pack.status,
        "price": None if pack.price is None else str(pack.price),
        "channels": list(pack.channels),
        "stores": list(pack.store_ids),
        "inventory": pack.inventory_limit,
        "sold": pack.sold_count,
        "distribution": pack.distribution_method,
        "created_at": iso_time(pack.created_at),
    }


def pack_view(pack: CouponPack) -> dict[str, Any]:
    """A pack's full configuration and state, without statistics."""
    return {
        "id": pack.id,
        "status": pack.status,
        "sold": pack.sold_count,
        "copied_from": pack.copied_from,
        "created_at": iso_time(pack.created_at),
        "created_by": pack.created_by,
        "updated_at": iso_time(pack.updated_at),
        "archived_at": _time(pack.archived_at),
        "first_same_as_subsequent": (
            pack.subsequent_content is None if pack.pack_type == "campaign" else None
        ),
        "definition": definition_data(definition_of(pack)),
    }


def _money(amounts: list[Decimal]) -> str:
    return str(sum(amounts, Decimal(0)))


def pack_details(session: Session, pack: CouponPack) -> dict[str, Any]:
    """Configuration, statistics and records of ``pack`` (K10)."""
    grants_by_source = dict(
        session.execute(
            select(PackGrant.source, func.count(PackGrant.id))
            .where(PackGrant.pack_id == pack.id)
            .group_by(PackGrant.source)
        ).all()
    )
    codes = list(session.scalars(select(PackCoupon.code).where(PackCoupon.pack_id == pack.id)))
    redeemed = redeemed_codes(session, codes)
    purchases = session.scalars(
        select(PackPurchase).where(PackPurchase.pack_id == pack.id).order_by(PackPurchase.id)
    ).all()
    refunds = {
        refund.purchase_id: refund
        for refund in session.scalars(
            select(PackRefund)
            .join(PackPurchase, PackPurchase.id == PackRefund.purchase_id)
            .where(PackPurchase.pack_id == pack.id)
        )
    }
    gifts = session.scalars(
        select(PackGift).where(PackGift.pack_id == pack.id).order_by(PackGift.id)
    ).all()
    distributions = session.scalars(
        select(PackDistribution)
        .where(PackDistribution.pack_id == pack.id)
        .order_by(PackDistribution.id)
    ).all()
    statistics = {
        "packs_issued": sum(grants_by_source.values()),
        "packs_distributed": grants_by_source.get("distribution", 0),
        "packs_gifted": grants_by_source.get("gift", 0),
        "packs_sold": grants_by_source.get("purchase", 0),
        "coupons_issued": len(codes),
        "coupons_redeemed": len(redeemed),
        "purchases_refunded": len(refunds),
        "sales_amount": _money([purchase.price for purchase in purchases]),
        "refunded_amount": _money([refund.amount for refund in refunds.values()]),
    }
    purchase_records = [
        {
            "id": purchase.id,
            "member_id": purchase.member_id,
            "order_id": purchase.order_id,
            "channel": purchase.channel,
            "store_id": purchase.store_id,
            "price": str(purchase.price),
            "currency": purchase.currency,
            "purchased_at": iso_time(purchase.purchased_at),
            "status": purchase.status,
            "refund": None
            if purchase.id not in refunds
            else {
                "amount": str(refunds[purchase.id].amount),
                "reason": refunds[purchase.id].reason,
                "refunded_at": iso_time(refunds[purchase.id].refunded_at),
            },
        }
        for purchase in purchases
    ]
    gift_records = [
        {
            "id": gift.id,
            "member_id": gift.member_id,
            "phone": gift.phone,
            "quantity": gift.quantity,
            "gifted_at": iso_time(gift.gifted_at),
            "gifted_by": gift.gifted_by,
        }
        for gift in gifts
    ]
    distribution_records = [
        {
            "id": distribution.id,
            "starts_at": iso_time(distribution.starts_at),
            "audience": distribution.audience,
            "members": distribution.member_count,
            "key": distribution.request_key,
            "created_at": iso_time(distribution.created_at),
            "created_by": distribution.created_by,
        }
        for distribution in distributions
    ]
    return pack_view(pack) | {
        "currency": pack_currency(session, pack),
        "statistics": statistics,
        "records": {
            "purchases": purchase_records,
            "gifts": gift_records,
            "distributions": distribution_records,
        },
    }


def grant_view(session: Session, grant: PackGrant) -> dict[str, Any]:
    """A member's pack: its schedule and the coupons issued so far."""
    coupons = session.scalars(
        select(PackCoupon).where(PackCoupon.grant_id == grant.id).order_by(PackCoupon.code)
    ).all()
    return {
        "id": grant.id,
        "member_id": grant.member_id,
        "source": grant.source,
        "starts_at": iso_time(grant.starts_at),
        "cycles": grant.cycles,
        "cycles_issued": grant.next_cycle,
        "next_due_at": _time(grant.next_due_at),
        "coupons": [coupon_view(coupon) for coupon in coupons],
    }


def coupon_view(coupon: PackCoupon) -> dict[str, Any]:
    """An issued coupon: its entitlement code and window (``valid_to`` exclusive, K2)."""
    return {
        "code": coupon.code,
        "coupon_code": coupon.coupon_code,
        "member_id": coupon.member_id,
        "valid_from": iso_time(coupon.valid_from),
        "valid_to": iso_time(coupon.valid_to),
    }
