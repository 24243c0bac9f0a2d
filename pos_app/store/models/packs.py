"""Coupon packs at the till (COUPON-PACK-RULES K12-K15): what the back office sends
(the packs it sells with an order, the purchases it confirmed, this till's quota of each
limited pack and its blocks of coupon codes) and what the till did (each pack it sold,
each sale it refunded after a conflict). Sales and refunds are never deleted."""

from __future__ import annotations

from datetime import datetime
from decimal import Decimal

from sqlalchemy import ForeignKey, Integer, String, Text
from sqlalchemy.orm import Mapped, mapped_column

from pos_app.store.base import Base
from pos_app.store.column_types import Instant, Money


class PackRecord(Base):
    """A paid pack the back office sells (kind ``pack``): its checked record data."""

    __tablename__ = "packs"

    pack_id: Mapped[str] = mapped_column(String(64), primary_key=True)
    name: Mapped[str] = mapped_column(String(200))
    price: Mapped[Decimal] = mapped_column(Money())
    definition: Mapped[str] = mapped_column(Text)


class PackPurchaseRecord(Base):
    """A purchase the back office confirmed (kind ``pack_purchase``), any channel and
    any till: what a member's limits count before this till's own unsynced sales."""

    __tablename__ = "pack_purchases"

    purchase_id: Mapped[str] = mapped_column(String(128), primary_key=True)
    pack_id: Mapped[str] = mapped_column(String(64))
    member_id: Mapped[str] = mapped_column(String(128), index=True)
    local_date: Mapped[str] = mapped_column(String(10))
    status: Mapped[str] = mapped_column(String(16))


class PackAllotment(Base):
    """Units of a limited pack the back office granted this till, in all (K13): the till
    may sell ``granted`` less the packs it sold."""

    __tablename__ = "pack_allotments"

    pack_id: Mapped[str] = mapped_column(String(64), primary_key=True)
    granted: Mapped[int] = mapped_column(Integer)
    updated_at: Mapped[datetime] = mapped_column(Instant())


class PackCodeBlock(Base):
    """A block of coupon codes reserved for this till alone (K15); ``next_index`` is the
    first code not yet issued."""

    __tablename__ = "pack_code_blocks"

    prefix: Mapped[str] = mapped_column(String(16), primary_key=True)
    size: Mapped[int] = mapped_column(Integer)
    next_index: Mapped[int] = mapped_column(Integer)
    reserved_at: Mapped[datetime] = mapped_column(Instant())


class PackSale(Base):
    """A pack this till sold with an order, written with its ticket (S1): who bought it,
    the price, the pack-local day, the coupons issued (JSON) and the idempotency key of
    its ``pack.sold`` event (a conflict names it)."""

    __tablename__ = "pack_sales"

    sale_id: Mapped[str] = mapped_column(String(36), primary_key=True)
    ticket_id: Mapped[str] = mapped_column(String(36), index=True)
    line_id: Mapped[str] = mapped_column(String(64))
    pack_id: Mapped[str] = mapped_column(String(64), index=True)
    pack_name: Mapped[str] = mapped_column(String(200))
    member_id: Mapped[str] = mapped_column(String(128), index=True)
    price: Mapped[Decimal] = mapped_column(Money())
    currency: Mapped[str] = mapped_column(String(3))
    sold_at: Mapped[datetime] = mapped_column(Instant())
    local_date: Mapped[str] = mapped_column(String(10))
    event_key: Mapped[str] = mapped_column(String(36), unique=True)
    coupons: Mapped[str] = mapped_column(Text)


class PackRefund(Base):
    """The recorded reversal of a pack sale the back office did not accept (K14): what
    was paid back, how, by which manager, and the conflict it follows up."""

    __tablename__ = "pack_refunds"

    sale_id: Mapped[str] = mapped_column(ForeignKey("pack_sales.sale_id"), primary_key=True)
    amount: Mapped[Decimal] = mapped_column(Money())
    currency: Mapped[str] = mapped_column(String(3))
    method: Mapped[str] = mapped_column(String(8))
    manager: Mapped[str] = mapped_column(String(100))
    refunded_at: Mapped[datetime] = mapped_column(Instant())
    conflict_key: Mapped[str] = mapped_column(String(36))
    note: Mapped[str] = mapped_column(Text, default="")
