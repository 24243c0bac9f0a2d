"""Returns and closed business days the tills reported (``ticket.refunded``,
``shift.closed``); amounts are the till's, exactly."""

from __future__ import annotations

from datetime import datetime
from decimal import Decimal
from typing import Any

from sqlalchemy import JSON, ForeignKey, Integer, String, UniqueConstraint
from sqlalchemy.orm import Mapped, mapped_column

from backoffice.models.base import Base, MoneyText, UTCDateTime


class SaleRefund(Base):
    """A return of lines of a sale (``refund_of``, the sale's ticket id). A store's
    return is stored once: (store_id, refund_id) is unique."""

    __tablename__ = "sale_refunds"
    __table_args__ = (UniqueConstraint("store_id", "refund_id"),)

    id: Mapped[int] = mapped_column(Integer, primary_key=True, autoincrement=True)
    event_id: Mapped[int] = mapped_column(ForeignKey("received_events.id"), unique=True)
    refund_id: Mapped[str] = mapped_column(String(128))
    store_id: Mapped[str] = mapped_column(String(64), index=True)
    device_id: Mapped[str] = mapped_column(String(64))
    number: Mapped[str] = mapped_column(String(32))
    refund_of: Mapped[str] = mapped_column(String(128), index=True)
    refund_of_number: Mapped[str] = mapped_column(String(32))
    currency: Mapped[str] = mapped_column(String(8))
    method: Mapped[str] = mapped_column(String(16))
    amount: Mapped[Decimal] = mapped_column(MoneyText)
    tax: Mapped[Decimal] = mapped_column(MoneyText)
    lines: Mapped[list[dict[str, Any]]] = mapped_column(JSON)
    restored_codes: Mapped[list[str]] = mapped_column(JSON)
    refunded_at: Mapped[datetime] = mapped_column(UTCDateTime)
    received_at: Mapped[datetime] = mapped_column(UTCDateTime)


class ShiftClosing(Base):
    """A till's closed business day with its Z report; stored once per (store, shift)."""

    __tablename__ = "shift_closings"
    __table_args__ = (UniqueConstraint("store_id", "shift_id"),)

    id: Mapped[int] = mapped_column(Integer, primary_key=True, autoincrement=True)
    event_id: Mapped[int] = mapped_column(ForeignKey("received_events.id"), unique=True)
    shift_id: Mapped[str] = mapped_column(String(128))
    store_id: Mapped[str] = mapped_column(String(64), index=True)
    device_id: Mapped[str] = mapped_column(String(64))
    business_day: Mapped[str] = mapped_column(String(10))
    currency: Mapped[str] = mapped_column(String(8))
    sales: Mapped[Decimal] = mapped_column(MoneyText)
    returns: Mapped[Decimal] = mapped_column(MoneyText)
    net: Mapped[Decimal] = mapped_column(MoneyText)
    report: Mapped[dict[str, Any]] = mapped_column(JSON)
    opened_at: Mapped[datetime] = mapped_column(UTCDateTime)
    closed_at: Mapped[datetime] = mapped_column(UTCDateTime)
    received_at: Mapped[datetime] = mapped_column(UTCDateTime)
