"""Tickets: the one open ticket (its intent, restored after a crash) and closed
tickets with their lines, per-line adjustments, redeemed coupons and payments."""

from __future__ import annotations

from datetime import datetime
from decimal import Decimal

from sqlalchemy import Boolean, ForeignKey, ForeignKeyConstraint, Integer, String, Text
from sqlalchemy.orm import Mapped, mapped_column, relationship

from pos_app.store.base import Base
from pos_app.store.column_types import Instant, Money


class OpenTicket(Base):
    """The ticket being rung up: the engine's TicketState and the payments taken so far,
    as JSON. Rewritten by every cashier action; deleted when the ticket closes."""

    __tablename__ = "open_tickets"

    ticket_id: Mapped[str] = mapped_column(String(36), primary_key=True)
    opened_at: Mapped[datetime] = mapped_column(Instant())
    updated_at: Mapped[datetime] = mapped_column(Instant())
    state: Mapped[str] = mapped_column(Text)
    payments: Mapped[str] = mapped_column(Text, default="[]")


class ClosedTicket(Base):
    """A closed sale, written with its outbox event in one transaction (S1)."""

    __tablename__ = "tickets"

    ticket_id: Mapped[str] = mapped_column(String(36), primary_key=True)
    store_id: Mapped[str] = mapped_column(String(64))
    device_id: Mapped[str] = mapped_column(String(64))
    opened_at: Mapped[datetime] = mapped_column(Instant())
    closed_at: Mapped[datetime] = mapped_column(Instant(), index=True)
    currency: Mapped[str] = mapped_column(String(3))
    gross: Mapped[Decimal] = mapped_column(Money())
    total: Mapped[Decimal] = mapped_column(Money())
    state: Mapped[str] = mapped_column(Text)

    lines: Mapped[list[TicketLine]] = relationship(
        back_populates="ticket", cascade="all, delete-orphan", order_by="TicketLine.position"
    )
    coupons: Mapped[list[TicketCoupon]] = relationship(
        cascade="all, delete-orphan", order_by="TicketCoupon.code"
    )
    payments: Mapped[list[Payment]] = relationship(
        cascade="all, delete-orphan", order_by="Payment.position"
    )


class TicketLine(Base):
    """A line of a closed ticket as priced: gross, net and the unit price charged."""

    __tablename__ = "ticket_lines"

    ticket_id: Mapped[str] = mapped_column(
        ForeignKey("tickets.ticket_id", ondelete="CASCADE"), primary_key=True
    )
    line_id: Mapped[str] = mapped_column(String(64), primary_key=True)
    position: Mapped[int] = mapped_column(Integer)
    sku: Mapped[str] = mapped_column(String(64))
    name: Mapped[str] = mapped_column(String(200))
    qty: Mapped[int] = mapped_column(Integer)
    unit_price: Mapped[Decimal] = mapped_column(Money())
    gross: Mapped[Decimal] = mapped_column(Money())
    net: Mapped[Decimal] = mapped_column(Money())
    is_gift: Mapped[bool] = mapped_column(Boolean, default=False)

    ticket: Mapped[ClosedTicket] = relationship(back_populates="lines")
    adjustments: Mapped[list[LineAdjustment]] = relationship(
        cascade="all, delete-orphan", order_by="LineAdjustment.position"
    )


class LineAdjustment(Base):
    """One adjustment of a closed line: stage, kind, source, rule and amount (R13)."""

    __tablename__ = "line_adjustments"
    __table_args__ = (
        ForeignKeyConstraint(
            ["ticket_id", "line_id"],
            ["ticket_lines.ticket_id", "ticket_lines.line_id"],
            ondelete="CASCADE",
        ),
    )

    id: Mapped[int] = mapped_column(Integer, primary_key=True)
    ticket_id: Mapped[str] = mapped_column(String(36), index=True)
    line_id: Mapped[str] = mapped_column(String(64))
    position: Mapped[int] = mapped_column(Integer)
    stage: Mapped[int] = mapped_column(Integer)
    kind: Mapped[str] = mapped_column(String(64))
    source: Mapped[str] = mapped_column(String(64))
    rule: Mapped[str] = mapped_column(String(32))
    amount: Mapped[Decimal] = mapped_column(Money())
    note: Mapped[str] = mapped_column(Text, default="")


class TicketCoupon(Base):
    """A coupon redeemed on a closed ticket; a single-use code found here is spent."""

    __tablename__ = "ticket_coupons"

    ticket_id: Mapped[str] = mapped_column(
        ForeignKey("tickets.ticket_id", ondelete="CASCADE"), primary_key=True
    )
    code: Mapped[str] = mapped_column(String(64), primary_key=True, index=True)
    kind: Mapped[str] = mapped_column(String(32))
    amount: Mapped[Decimal] = mapped_column(Money())
    line_ids: Mapped[str] = mapped_column(Text, default="[]")
    single_use: Mapped[bool] = mapped_column(Boolean, default=False)
    provisional: Mapped[bool] = mapped_column(Boolean, default=False)


class Payment(Base):
    """A payment of a closed ticket: method, amount applied, tendered and change."""

    __tablename__ = "payments"

    id: Mapped[int] = mapped_column(Integer, primary_key=True)
    ticket_id: Mapped[str] = mapped_column(
        ForeignKey("tickets.ticket_id", ondelete="CASCADE"), index=True
    )
    position: Mapped[int] = mapped_column(Integer)
    method: Mapped[str] = mapped_column(String(16))
    amount: Mapped[Decimal] = mapped_column(Money())
    tendered: Mapped[Decimal] = mapped_column(Money())
    change: Mapped[Decimal] = mapped_column(Money())
