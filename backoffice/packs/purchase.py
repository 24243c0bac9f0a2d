"""Buying a paid pack (K4): every rule checked under the pack's row lock, so no oversell.

A purchase locks the pack row (``SELECT ... FOR UPDATE`` on PostgreSQL; SQLite's
``BEGIN IMMEDIATE`` already serialises writers), then checks status, channel,
store, sales period, inventory and the member's total and daily limits against
what is committed, then counts the sale and issues the content at once. Two
buyers racing for the last unit, or one member racing against their own limit,
queue on that lock: the second sees the first's sale.

The caller's ``order_id`` is an idempotency key: the same order sent again
returns the first purchase and sells nothing more.
"""

from __future__ import annotations

import uuid
from dataclasses import dataclass
from datetime import date, datetime

from sqlalchemy import ColumnElement, func, select
from sqlalchemy.orm import Session

from backoffice.chain.change_log import find_record
from backoffice.models.packs import CouponPack, PackCoupon, PackGrant, PackPurchase
from backoffice.packs.definition import Channel, PackType
from backoffice.packs.errors import PackInputError, PackStateError
from backoffice.packs.inventory import free_units
from backoffice.packs.issuance import (
    IssueCount,
    issue_due_cycles,
    lock_pack,
    open_grant,
    pack_zone,
    require_active,
)
from backoffice.packs.members import Member, find_member, find_member_by_phone
from backoffice.packs.schedule import local_date
from backoffice.packs.till_records import publish_purchase_record
from pos_app.protocol.pack_limits import NOT_COUNTED, Bought, limit_breach
from pos_app.protocol.pack_limits import REFUNDED as PROTOCOL_REFUNDED
from pos_app.protocol.pack_records import PackLimits

MALL_ROLE = "mall"  # the role of a token that may only buy packs for members (the mall)
PAID = "paid"
REFUNDED = PROTOCOL_REFUNDED
USED = "used"  # every coupon expired and one was redeemed: never refunded (K5)
PURCHASE = "purchase"

SOLD_OUT = "SOLD_OUT"
OUTSIDE_SALES_PERIOD = "OUTSIDE_SALES_PERIOD"
CHANNEL_NOT_OFFERED = "CHANNEL_NOT_OFFERED"
STORE_NOT_AVAILABLE = "STORE_NOT_AVAILABLE"


@dataclass(frozen=True)
class PurchaseRequest:
    """Who buys which pack, where, on which channel, under which order id."""

    pack_id: int
    channel: str
    store_id: str
    member_id: str | None = None
    phone: str | None = None
    order_id: str | None = None


@dataclass
class PurchaseResult:
    """The purchase, its grant and coupons; ``repeated`` when the order was already bought."""

    purchase: PackPurchase
    grant: PackGrant | None
    coupons: list[PackCoupon]
    redirect_url: str | None
    repeated: bool = False


def _buyer(session: Session, request: PurchaseRequest) -> Member:
    if request.member_id:
        member = find_member(session, request.member_id)
        if member is None:
            raise PackInputError("member_id", f"unknown member {request.member_id!r}")
        return member
    if request.phone:
        member = find_member_by_phone(session, request.phone)
        if member is None:
            raise PackInputError("phone", f"no member has phone number {request.phone!r}")
        return member
    raise PackInputError("member_id", "is required: the buyer's member_id or phone (K4)")


def _existing(session: Session, order_id: str) -> PackPurchase | None:
    return session.scalar(select(PackPurchase).where(PackPurchase.order_id == order_id))


def _result_of(session: Session, purchase: PackPurchase, pack: CouponPack) -> PurchaseResult:
    grant = session.scalar(select(PackGrant).where(PackGrant.purchase_id == purchase.id))
    coupons = (
        []
        if grant is None
        else list(
            session.scalars(
                select(PackCoupon).where(PackCoupon.grant_id == grant.id).order_by(PackCoupon.code)
            ).all()
        )
    )
    return PurchaseResult(purchase, grant, coupons, pack.redirect_url, repeated=True)


def _count(session: Session, pack_id: int, member_id: str, *conditions: ColumnElement[bool]) -> int:
    query = select(func.count(PackPurchase.id)).where(
        PackPurchase.pack_id == pack_id,
        PackPurchase.member_id == member_id,
        PackPurchase.status.not_in(NOT_COUNTED),
        *conditions,
    )
    return int(session.scalar(query) or 0)


def check_sale(
    session: Session,
    pack: CouponPack,
    request: PurchaseRequest,
    member: Member,
    now: datetime,
    *,
    check_inventory: bool = True,
) -> None:
    """Refuse the sale naming the rule it breaks (K4), with a stable code: a campaign
    pack, not active, channel, store, sales period, inventory (the free units: those
    with the tills are theirs to sell, K13) and the member's total and daily limits."""
    if pack.pack_type != PackType.paid:
        raise PackStateError(
            "type", f"pack {pack.id} is a campaign pack: it is not sold (K3)", "NOT_FOR_SALE"
        )
    require_active(pack, "sold")
    if request.channel not in pack.channels:
        raise PackStateError(
            "channel",
            f"pack {pack.id} is not sold on channel {request.channel!r} (K4)",
            CHANNEL_NOT_OFFERED,
        )
    if request.store_id not in pack.store_ids:
        raise PackStateError(
            "store_id",
            f"pack {pack.id} is not sold at store {request.store_id!r} (K4)",
            STORE_NOT_AVAILABLE,
        )
    today = local_date(now, pack_zone(pack))
    first, last = pack.sales_first_day, pack.sales_last_day
    if first is None or last is None or not first <= today <= last:
        raise PackStateError(
            "sales_period",
            f"pack {pack.id} is on sale from {first} to {last}; today is {today} (K4)",
            OUTSIDE_SALES_PERIOD,
        )
    if check_inventory and free_units(session, pack) == 0:
        raise PackStateError(
            "inventory",
            f"pack {pack.id} is sold out ({pack.sold_count} of {pack.inventory_limit} sold,"
            " the rest with the tills) (K4, K13)",
            SOLD_OUT,
        )
    check_member_limits(session, pack, member.member_id, today)


def check_member_limits(session: Session, pack: CouponPack, member_id: str, day: date) -> None:
    """Refuse one more purchase of ``pack`` by ``member_id`` on local day ``day`` past the
    member's total or daily limit (K4, the protocol's rule), counted over every purchase
    confirmed here."""
    limits = PackLimits.model_construct(total=pack.limit_total, daily=pack.limit_daily)
    bought = Bought(
        total=_count(session, pack.id, member_id) if limits.total is not None else 0,
        on_day=(
            _count(session, pack.id, member_id, PackPurchase.local_date == day)
            if limits.daily is not None
            else 0
        ),
    )
    breach = limit_breach(limits, bought)
    if breach is not None and not breach.daily:
        raise PackStateError(
            "limits.total",
            f"member {member_id} has bought pack {pack.id} {breach.bought} time(s);"
            f" the limit is {breach.allowed} (K4)",
            breach.reason,
        )
    if breach is not None:
        raise PackStateError(
            "limits.daily",
            f"member {member_id} has bought pack {pack.id} {breach.bought} time(s)"
            f" on {day}; the daily limit is {breach.allowed} (K4)",
            breach.reason,
        )


def purchase_pack(
    session: Session, request: PurchaseRequest, *, now: datetime, actor: str
) -> PurchaseResult:
    """Sell one pack to a member, or refuse naming the rule (K4); the caller commits."""
    if request.channel not in {str(channel) for channel in Channel}:
        raise PackInputError("channel", f"unknown channel {request.channel!r}: mall or with_order")
    if not request.store_id:
        raise PackInputError("store_id", "is required: the store the pack is bought at")
    if request.order_id is not None and not request.order_id.strip():
        raise PackInputError("order_id", "must not be empty")
    pack = lock_pack(session, request.pack_id)
    if request.order_id is not None:
        earlier = _existing(session, request.order_id)
        if earlier is not None:
            if earlier.pack_id != pack.id:
                raise PackInputError("order_id", f"order {request.order_id!r} bought another pack")
            return _result_of(session, earlier, pack)
    member = _buyer(session, request)
    check_sale(session, pack, request, member, now)
    store = find_record(session, "store", request.store_id)
    currency = str(store.data.get("currency", "")) if store is not None else ""
    assert pack.price is not None
    purchase = PackPurchase(
        pack_id=pack.id,
        member_id=member.member_id,
        order_id=request.order_id or f"auto-{uuid.uuid4()}",
        channel=request.channel,
        store_id=request.store_id,
        price=pack.price,
        currency=currency,
        purchased_at=now,
        local_date=local_date(now, pack_zone(pack)),
        auto_refund=pack.auto_refund,
        status=PAID,
    )
    session.add(purchase)
    pack.sold_count += 1
    session.flush()
    publish_purchase_record(session, purchase, now=now, actor=actor)
    grant = open_grant(
        session,
        pack,
        member.member_id,
        source=PURCHASE,
        starts_at=now,
        now=now,
        purchase_id=purchase.id,
    )
    issued: IssueCount = issue_due_cycles(session, pack, grant, now=now, actor=actor)
    coupons = list(
        session.scalars(
            select(PackCoupon).where(PackCoupon.grant_id == grant.id).order_by(PackCoupon.code)
        ).all()
    )
    assert len(coupons) == issued.coupons
    return PurchaseResult(purchase, grant, coupons, pack.redirect_url)
