"""Coupon packs sold at the tills (COUPON-PACK-RULES K12-K15): the units of a limited
pack each till may sell, the blocks of coupon codes reserved for each till, online
reservations, and every ``pack.sold`` a till uploaded with what became of it.

Inventory (K13): a pack's units are sold (``CouponPack.sold_count``), granted to a till
and not yet reported sold (``granted - received`` of its :class:`PackAllotment`), held
by a sale waiting for the store manager (a :class:`TillPackSale` in conflict), or free.
Only free units are granted or sold, so the four never add up past the limit.
"""

from __future__ import annotations

from datetime import date, datetime
from decimal import Decimal
from typing import Any

from sqlalchemy import JSON, Date, ForeignKey, Integer, String, Text, UniqueConstraint
from sqlalchemy.orm import Mapped, mapped_column

from backoffice.models.base import Base, MoneyText, UTCDateTime


class PackAllotment(Base):
    """Units of a limited pack granted to one till, in all (``granted``), and how many
    of its ``pack.sold`` events the back office has received (``received``, whatever
    their outcome): the till holds ``granted - received`` units it may still sell."""

    __tablename__ = "pack_allotments"
    __table_args__ = (UniqueConstraint("pack_id", "device_id"),)

    id: Mapped[int] = mapped_column(Integer, primary_key=True, autoincrement=True)
    pack_id: Mapped[int] = mapped_column(ForeignKey("coupon_packs.id"), index=True)
    device_id: Mapped[str] = mapped_column(String(64))
    granted: Mapped[int] = mapped_column(Integer)
    received: Mapped[int] = mapped_column(Integer)
    updated_at: Mapped[datetime] = mapped_column(UTCDateTime)


class PackCodeBlock(Base):
    """A block of coupon codes reserved for one till (K15): its ``id`` is the block
    number the codes carry (:mod:`pos_app.protocol.pack_codes`), so no two tills share
    a code."""

    __tablename__ = "pack_code_blocks"

    id: Mapped[int] = mapped_column(Integer, primary_key=True, autoincrement=True)
    device_id: Mapped[str] = mapped_column(String(64), index=True)
    store_id: Mapped[str] = mapped_column(String(64))
    size: Mapped[int] = mapped_column(Integer)
    reserved_at: Mapped[datetime] = mapped_column(UTCDateTime)


class PackReservation(Base):
    """One unit reserved online for a sale at a till (K13), or why it was refused; the
    same ``reservation_key`` asked again gets the same answer."""

    __tablename__ = "pack_reservations"

    id: Mapped[int] = mapped_column(Integer, primary_key=True, autoincrement=True)
    reservation_key: Mapped[str] = mapped_column(String(36), unique=True)
    device_id: Mapped[str] = mapped_column(String(64))
    pack_id: Mapped[int] = mapped_column(ForeignKey("coupon_packs.id"), index=True)
    member_id: Mapped[str] = mapped_column(String(128))
    outcome: Mapped[str] = mapped_column(String(16))
    reason: Mapped[str | None] = mapped_column(String(64))
    detail: Mapped[str | None] = mapped_column(Text)
    granted: Mapped[int | None] = mapped_column(Integer)
    reserved_at: Mapped[datetime] = mapped_column(UTCDateTime)


class TillPackSale(Base):
    """A ``pack.sold`` a till uploaded, kept whatever became of it (K14: never lost).

    ``status``: ``accepted`` (a purchase, ``purchase_id``, with the till's coupons),
    ``conflict`` (the back office could not accept it: ``reason``; its coupons are
    withdrawn, its unit held until the store manager decides), ``refunded`` (the till
    recorded the reversal: ``refund_*``) or ``accepted`` again when the manager accepted
    the exception. Nothing is ever deleted.
    """

    __tablename__ = "till_pack_sales"

    id: Mapped[int] = mapped_column(Integer, primary_key=True, autoincrement=True)
    sale_id: Mapped[str] = mapped_column(String(36), unique=True)
    event_id: Mapped[int] = mapped_column(ForeignKey("received_events.id"))
    device_id: Mapped[str] = mapped_column(String(64))
    store_id: Mapped[str] = mapped_column(String(64), index=True)
    ticket_id: Mapped[str] = mapped_column(String(64))
    line_id: Mapped[str] = mapped_column(String(64))
    pack_id: Mapped[int] = mapped_column(ForeignKey("coupon_packs.id"), index=True)
    pack_name: Mapped[str] = mapped_column(String(256))
    member_id: Mapped[str] = mapped_column(String(128), index=True)
    price: Mapped[Decimal] = mapped_column(MoneyText)
    currency: Mapped[str] = mapped_column(String(8))
    sold_at: Mapped[datetime] = mapped_column(UTCDateTime)
    local_date: Mapped[date] = mapped_column(Date)
    reservation_key: Mapped[str | None] = mapped_column(String(36))
    coupons: Mapped[list[dict[str, Any]]] = mapped_column(JSON)
    status: Mapped[str] = mapped_column(String(16), index=True)
    reason: Mapped[str | None] = mapped_column(String(64))
    conflict_key: Mapped[str | None] = mapped_column(String(64))
    purchase_id: Mapped[int | None] = mapped_column(ForeignKey("pack_purchases.id"))
    received_at: Mapped[datetime] = mapped_column(UTCDateTime)
    refund_amount: Mapped[Decimal | None] = mapped_column(MoneyText)
    refund_method: Mapped[str | None] = mapped_column(String(16))
    refunded_by: Mapped[str | None] = mapped_column(String(128))
    refunded_at: Mapped[datetime | None] = mapped_column(UTCDateTime)
    refund_note: Mapped[str | None] = mapped_column(Text)
