"""A till's business day: shifts (one per till and day, closed by a Z report), the short
ticket numbers given in a shift, parked tickets, taxes of closed tickets, returns and
the coupons a return gave back."""

from __future__ import annotations

from datetime import datetime
from decimal import Decimal

from sqlalchemy import (
    Boolean,
    ForeignKey,
    Index,
    Integer,
    String,
    Text,
    UniqueConstraint,
    text,
)
from sqlalchemy.orm import Mapped, mapped_column

from pos_app.store.base import Base
from pos_app.store.column_types import Instant, Money


class Shift(Base):
    """One business day of this till: opened by its first ticket, closed by the Z report
    (``report`` keeps it as printed and synced) under its Z number, the next of the
    till's Z reports. ``last_seq`` counts the ticket numbers given in the day; the
    numbers themselves count up for the till's whole life (the device row)."""

    __tablename__ = "shifts"

    shift_id: Mapped[int] = mapped_column(Integer, primary_key=True, autoincrement=True)
    business_day: Mapped[str] = mapped_column(String(10))
    opened_at: Mapped[datetime] = mapped_column(Instant())
    closed_at: Mapped[datetime | None] = mapped_column(Instant(), nullable=True)
    last_seq: Mapped[int] = mapped_column(Integer, default=0)
    counted_cash: Mapped[Decimal | None] = mapped_column(Money(), nullable=True)
    report: Mapped[str | None] = mapped_column(Text, nullable=True)
    z_number: Mapped[int | None] = mapped_column(Integer, nullable=True)


class TicketHeader(Base):
    """A ticket's short number (store-till-sequence) and what the shift needs to know of
    it: sale or return, open, parked, closed or voided, its member, taxes and the amount
    paid (a sale) or given back (a return)."""

    __tablename__ = "ticket_headers"
    __table_args__ = (
        UniqueConstraint("shift_id", "number"),
        # A number is given once for the till's whole life. Only tickets numbered before
        # that rule (numbers started again each day) may share one: ``number_reused``.
        Index(
            "uq_ticket_headers_number_for_life",
            "number",
            unique=True,
            sqlite_where=text("number_reused = 0"),
        ),
    )

    ticket_id: Mapped[str] = mapped_column(String(36), primary_key=True)
    number: Mapped[str] = mapped_column(String(32), index=True)
    shift_id: Mapped[int] = mapped_column(ForeignKey("shifts.shift_id"), index=True)
    kind: Mapped[str] = mapped_column(String(8), default="sale")  # sale | refund
    status: Mapped[str] = mapped_column(String(8), default="open")  # open|parked|closed|voided
    member_id: Mapped[str | None] = mapped_column(String(64), nullable=True)
    member_name: Mapped[str | None] = mapped_column(String(200), nullable=True)
    number_reused: Mapped[bool] = mapped_column(Boolean, default=False, server_default="0")
    tax_inclusive: Mapped[bool] = mapped_column(Boolean, default=True)
    tax: Mapped[Decimal] = mapped_column(Money(), default=Decimal(0))
    paid: Mapped[Decimal] = mapped_column(Money(), default=Decimal(0))


class ParkedTicket(Base):
    """A ticket set aside (held) with its intent and payments, to be recalled later."""

    __tablename__ = "parked_tickets"

    ticket_id: Mapped[str] = mapped_column(String(36), primary_key=True)
    opened_at: Mapped[datetime] = mapped_column(Instant())
    parked_at: Mapped[datetime] = mapped_column(Instant())
    state: Mapped[str] = mapped_column(Text)
    payments: Mapped[str] = mapped_column(Text, default="[]")


class LineTax(Base):
    """The tax of one line of a closed ticket, at its item's rate."""

    __tablename__ = "line_taxes"

    ticket_id: Mapped[str] = mapped_column(String(36), primary_key=True)
    line_id: Mapped[str] = mapped_column(String(64), primary_key=True)
    rate: Mapped[Decimal] = mapped_column(Money())
    tax: Mapped[Decimal] = mapped_column(Money())


class Refund(Base):
    """A return: lines of a closed sale taken back and the money given back (positive
    ``amount``, tax included) by ``method``."""

    __tablename__ = "refunds"

    refund_id: Mapped[str] = mapped_column(String(36), primary_key=True)
    ticket_id: Mapped[str] = mapped_column(String(36), index=True)  # the sale
    shift_id: Mapped[int] = mapped_column(ForeignKey("shifts.shift_id"), index=True)
    number: Mapped[str] = mapped_column(String(32))
    method: Mapped[str] = mapped_column(String(16))
    amount: Mapped[Decimal] = mapped_column(Money())
    tax: Mapped[Decimal] = mapped_column(Money())
    refunded_at: Mapped[datetime] = mapped_column(Instant())


class RefundLine(Base):
    """Units of one sale line a return took back, with their share of net and tax."""

    __tablename__ = "refund_lines"

    refund_id: Mapped[str] = mapped_column(
        ForeignKey("refunds.refund_id", ondelete="CASCADE"), primary_key=True
    )
    line_id: Mapped[str] = mapped_column(String(64), primary_key=True)
    qty: Mapped[int] = mapped_column(Integer)
    amount: Mapped[Decimal] = mapped_column(Money())
    tax: Mapped[Decimal] = mapped_column(Money())


class CouponReversal(Base):
    """A coupon of a sale given back by a return of everything it covered: the recorded
    reversal that makes a single-use code usable again."""

    __tablename__ = "coupon_reversals"

    ticket_id: Mapped[str] = mapped_column(String(36), primary_key=True)
    code: Mapped[str] = mapped_column(String(64), primary_key=True)
    refund_id: Mapped[str] = mapped_column(ForeignKey("refunds.refund_id"))
    reversed_at: Mapped[datetime] = mapped_column(Instant())
