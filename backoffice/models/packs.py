"""Coupon packs (COUPON-PACK-RULES.md K1-K11): packs, who holds them, what they issued.

A :class:`CouponPack` is the configuration. A :class:`PackGrant` is one pack held
by one member (from a campaign distribution, a gift or a purchase); each of its
cycles is issued once (:class:`PackIssuance`, unique per grant and cycle) as
:class:`PackCoupon` rows, each also an ``entitlement`` record in the change log.
Instants are UTC; dates (``sales_first_day``, ``local_date``) are the pack's local dates.
"""

from __future__ import annotations

from datetime import date, datetime
from decimal import Decimal
from typing import Any

from sqlalchemy import (
    JSON,
    Boolean,
    Date,
    ForeignKey,
    Index,
    Integer,
    String,
    Text,
    UniqueConstraint,
)
from sqlalchemy.orm import Mapped, mapped_column

from backoffice.models.base import Base, MoneyText, UTCDateTime


class CouponPack(Base):
    """One pack's configuration and its sold count (the row purchases lock, K4).

    ``pack_type`` is fixed at creation (K1). ``content`` is a list of entries
    (K2); ``subsequent_content`` is set only when a recurring pack's first
    distribution differs from the rest (K3). Paid-pack columns are ``None`` on a
    campaign pack and the other way round. ``inventory_limit`` ``None`` is unlimited.
    """

    __tablename__ = "coupon_packs"

    id: Mapped[int] = mapped_column(Integer, primary_key=True, autoincrement=True)
    pack_type: Mapped[str] = mapped_column(String(16), index=True)
    status: Mapped[str] = mapped_column(String(16), index=True)
    name: Mapped[str] = mapped_column(String(200))
    image_url: Mapped[str | None] = mapped_column(Text)
    description: Mapped[str | None] = mapped_column(Text)
    time_zone: Mapped[str] = mapped_column(String(64))
    content: Mapped[list[dict[str, Any]]] = mapped_column(JSON)
    subsequent_content: Mapped[list[dict[str, Any]] | None] = mapped_column(JSON)
    distribution_method: Mapped[str | None] = mapped_column(String(16))
    period: Mapped[str | None] = mapped_column(String(16))
    cycles: Mapped[int | None] = mapped_column(Integer)
    channels: Mapped[list[str]] = mapped_column(JSON)
    sales_first_day: Mapped[date | None] = mapped_column(Date)
    sales_last_day: Mapped[date | None] = mapped_column(Date)
    price: Mapped[Decimal | None] = mapped_column(MoneyText)
    inventory_limit: Mapped[int | None] = mapped_column(Integer)
    sold_count: Mapped[int] = mapped_column(Integer)
    store_ids: Mapped[list[str]] = mapped_column(JSON)
    redirect_url: Mapped[str | None] = mapped_column(Text)
    auto_refund: Mapped[bool] = mapped_column(Boolean)
    limit_total: Mapped[int | None] = mapped_column(Integer)
    limit_daily: Mapped[int | None] = mapped_column(Integer)
    copied_from: Mapped[int | None] = mapped_column(Integer)
    created_at: Mapped[datetime] = mapped_column(UTCDateTime)
    created_by: Mapped[str] = mapped_column(String(128))
    updated_at: Mapped[datetime] = mapped_column(UTCDateTime)
    archived_at: Mapped[datetime | None] = mapped_column(UTCDateTime)


class PackDistribution(Base):
    """A campaign pack distributed to a set of members from ``starts_at`` (K3).

    ``request_key`` (optional, unique per pack) makes a repeated request harmless.
    """

    __tablename__ = "pack_distributions"
    __table_args__ = (UniqueConstraint("pack_id", "request_key"),)

    id: Mapped[int] = mapped_column(Integer, primary_key=True, autoincrement=True)
    pack_id: Mapped[int] = mapped_column(ForeignKey("coupon_packs.id"), index=True)
    request_key: Mapped[str | None] = mapped_column(String(128))
    starts_at: Mapped[datetime] = mapped_column(UTCDateTime)
    audience: Mapped[dict[str, Any]] = mapped_column(JSON)
    member_count: Mapped[int] = mapped_column(Integer)
    created_at: Mapped[datetime] = mapped_column(UTCDateTime)
    created_by: Mapped[str] = mapped_column(String(128))


class PackGift(Base):
    """A gift record (K9): ``quantity`` packs given to the member with ``phone``."""

    __tablename__ = "pack_gifts"

    id: Mapped[int] = mapped_column(Integer, primary_key=True, autoincrement=True)
    pack_id: Mapped[int] = mapped_column(ForeignKey("coupon_packs.id"), index=True)
    member_id: Mapped[str] = mapped_column(String(128), index=True)
    phone: Mapped[str] = mapped_column(String(64))
    quantity: Mapped[int] = mapped_column(Integer)
    gifted_at: Mapped[datetime] = mapped_column(UTCDateTime)
    gifted_by: Mapped[str] = mapped_column(String(128))


class PackPurchase(Base):
    """A purchase record (K4): one pack bought by one member on a channel at a store.

    ``order_id`` is the caller's idempotency key: the same order bought again is
    the same purchase. ``local_date`` is the pack-local day the daily limit counts.
    ``auto_refund`` is the pack's refund promise as it stood when the member paid (K5).
    """

    __tablename__ = "pack_purchases"
    __table_args__ = (Index(None, "pack_id", "member_id", "local_date"),)

    id: Mapped[int] = mapped_column(Integer, primary_key=True, autoincrement=True)
    pack_id: Mapped[int] = mapped_column(ForeignKey("coupon_packs.id"), index=True)
    member_id: Mapped[str] = mapped_column(String(128))
    order_id: Mapped[str] = mapped_column(String(128), unique=True)
    channel: Mapped[str] = mapped_column(String(16))
    store_id: Mapped[str] = mapped_column(String(64))
    price: Mapped[Decimal] = mapped_column(MoneyText)
    currency: Mapped[str] = mapped_column(String(8))
    purchased_at: Mapped[datetime] = mapped_column(UTCDateTime)
    local_date: Mapped[date] = mapped_column(Date)
    auto_refund: Mapped[bool] = mapped_column(Boolean)
    status: Mapped[str] = mapped_column(String(16), index=True)  # paid, refunded, used


class PackRefund(Base):
    """A refund of a whole purchase, one per purchase ever: asked for by a person
    (``refunded_by``, with ``note`` saying why) or automatic for an expired, unused pack
    (K5, ``reason`` ``expired_unused``, by the scheduler)."""

    __tablename__ = "pack_refunds"

    id: Mapped[int] = mapped_column(Integer, primary_key=True, autoincrement=True)
    purchase_id: Mapped[int] = mapped_column(ForeignKey("pack_purchases.id"), unique=True)
    amount: Mapped[Decimal] = mapped_column(MoneyText)
    currency: Mapped[str] = mapped_column(String(8))
    reason: Mapped[str] = mapped_column(String(64))
    refunded_at: Mapped[datetime] = mapped_column(UTCDateTime)
    refunded_by: Mapped[str] = mapped_column(String(254), server_default="scheduler")
    note: Mapped[str | None] = mapped_column(Text)


class PackGrant(Base):
    """One pack held by one member, and where its schedule stands (K3).

    Exactly one of ``distribution_id``, ``gift_id``, ``purchase_id`` says where it
    came from. Cycle ``next_cycle`` is due at ``next_due_at`` (``None`` once all
    ``cycles`` are issued). ``expires_at`` is the latest end of validity issued so far.
    """

    __tablename__ = "pack_grants"
    __table_args__ = (UniqueConstraint("distribution_id", "member_id"),)

    id: Mapped[int] = mapped_column(Integer, primary_key=True, autoincrement=True)
    pack_id: Mapped[int] = mapped_column(ForeignKey("coupon_packs.id"), index=True)
    member_id: Mapped[str] = mapped_column(String(128), index=True)
    source: Mapped[str] = mapped_column(String(16))  # distribution, gift, purchase
    distribution_id: Mapped[int | None] = mapped_column(ForeignKey("pack_distributions.id"))
    gift_id: Mapped[int | None] = mapped_column(ForeignKey("pack_gifts.id"), index=True)
    purchase_id: Mapped[int | None] = mapped_column(ForeignKey("pack_purchases.id"), unique=True)
    starts_at: Mapped[datetime] = mapped_column(UTCDateTime)
    cycles: Mapped[int] = mapped_column(Integer)
    next_cycle: Mapped[int] = mapped_column(Integer)
    next_due_at: Mapped[datetime | None] = mapped_column(UTCDateTime, index=True)
    expires_at: Mapped[datetime | None] = mapped_column(UTCDateTime)
    created_at: Mapped[datetime] = mapped_column(UTCDateTime)


class PackIssuance(Base):
    """Cycle ``cycle`` of a grant, issued once: (grant_id, cycle) is unique.

    ``scheduled_at`` is the cycle's distribution time, which the coupons' validity
    counts from (K3); ``issued_at`` is when the back office actually issued it.
    """

    __tablename__ = "pack_issuances"
    __table_args__ = (UniqueConstraint("grant_id", "cycle"),)

    id: Mapped[int] = mapped_column(Integer, primary_key=True, autoincrement=True)
    grant_id: Mapped[int] = mapped_column(ForeignKey("pack_grants.id"))
    cycle: Mapped[int] = mapped_column(Integer)
    scheduled_at: Mapped[datetime] = mapped_column(UTCDateTime)
    issued_at: Mapped[datetime] = mapped_column(UTCDateTime)


class PackCoupon(Base):
    """One coupon a pack issued: an ``entitlement`` record with the same ``code``.

    ``valid_to`` is exclusive here (K2); the entitlement carries its last instant.
    """

    __tablename__ = "pack_coupons"

    code: Mapped[str] = mapped_column(String(64), primary_key=True)
    pack_id: Mapped[int] = mapped_column(ForeignKey("coupon_packs.id"), index=True)
    grant_id: Mapped[int] = mapped_column(ForeignKey("pack_grants.id"), index=True)
    issuance_id: Mapped[int] = mapped_column(ForeignKey("pack_issuances.id"))
    member_id: Mapped[str] = mapped_column(String(128))
    coupon_code: Mapped[str] = mapped_column(String(128))
    valid_from: Mapped[datetime] = mapped_column(UTCDateTime)
    valid_to: Mapped[datetime] = mapped_column(UTCDateTime)
