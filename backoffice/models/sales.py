"""Sales the tills closed (from ``ticket.closed`` events) and the single-use codes they used."""

from __future__ import annotations

from datetime import datetime
from decimal import Decimal
from typing import Any

from sqlalchemy import JSON, Boolean, ForeignKey, Integer, String, UniqueConstraint, true
from sqlalchemy.orm import Mapped, mapped_column, relationship

from backoffice.models.base import Base, MoneyText, UTCDateTime
from pos_app.protocol import bounds


class SaleTicket(Base):
    """A closed ticket as a till reported it; amounts are the till's, exactly.

    A store's ticket is stored once: (store_id, ticket_id) is unique, so the same sale
    sent again under another idempotency key cannot become a second sale.
    """

    __tablename__ = "sale_tickets"
    __table_args__ = (UniqueConstraint("store_id", "ticket_id"),)

    id: Mapped[int] = mapped_column(Integer, primary_key=True, autoincrement=True)
    event_id: Mapped[int] = mapped_column(ForeignKey("received_events.id"), unique=True)
    # (store_id, ticket_id) is the unique index every lookup of a store's ticket uses;
    # no index of its own on either column leads a planner away from it.
    ticket_id: Mapped[str] = mapped_column(String(bounds.ID.max_length))
    store_id: Mapped[str] = mapped_column(String(bounds.STORE_ID.max_length))
    device_id: Mapped[str] = mapped_column(String(bounds.STORE_ID.max_length))
    currency: Mapped[str] = mapped_column(String(bounds.CURRENCY.max_length))
    total: Mapped[Decimal] = mapped_column(MoneyText)
    opened_at: Mapped[datetime] = mapped_column(UTCDateTime)
    closed_at: Mapped[datetime] = mapped_column(UTCDateTime)
    received_at: Mapped[datetime] = mapped_column(UTCDateTime)

    lines: Mapped[list[SaleLine]] = relationship(
        back_populates="ticket", order_by="SaleLine.position", cascade="all, delete-orphan"
    )


class SaleLine(Base):
    """One line of a :class:`SaleTicket`, with its adjustments (stage, source, rule, amount)."""

    __tablename__ = "sale_lines"

    id: Mapped[int] = mapped_column(Integer, primary_key=True, autoincrement=True)
    sale_id: Mapped[int] = mapped_column(ForeignKey("sale_tickets.id"), index=True)
    position: Mapped[int] = mapped_column(Integer)
    line_id: Mapped[str] = mapped_column(String(bounds.ID.max_length))
    sku: Mapped[str] = mapped_column(String(bounds.ID.max_length))
    name: Mapped[str] = mapped_column(String(bounds.NAME.max_length))
    qty: Mapped[int] = mapped_column(Integer)
    unit_price: Mapped[Decimal] = mapped_column(MoneyText)
    gross: Mapped[Decimal] = mapped_column(MoneyText)
    net: Mapped[Decimal] = mapped_column(MoneyText)
    adjustments: Mapped[list[dict[str, Any]]] = mapped_column(JSON)

    ticket: Mapped[SaleTicket] = relationship(back_populates="lines")


class SaleNumber(Base):
    """The first sale a store's ticket number was received with: the primary key
    (store, number) makes a second sale under the number a ``TICKET_NUMBER_REUSED``
    conflict. The number names its till (``D1-02-000147``: till 02 of store D1), and a
    till gives each number once in its life."""

    __tablename__ = "sale_numbers"

    store_id: Mapped[str] = mapped_column(String(bounds.STORE_ID.max_length), primary_key=True)
    number: Mapped[str] = mapped_column(String(bounds.KEY.max_length), primary_key=True)
    sale_id: Mapped[int] = mapped_column(ForeignKey("sale_tickets.id"))
    ticket_id: Mapped[str] = mapped_column(String(bounds.ID.max_length))
    device_id: Mapped[str] = mapped_column(String(bounds.STORE_ID.max_length))
    received_at: Mapped[datetime] = mapped_column(UTCDateTime)


class RedeemedCode(Base):
    """The first redemption of a single-use code; the primary key makes a second one clash."""

    __tablename__ = "redeemed_codes"

    code: Mapped[str] = mapped_column(String(bounds.ID.max_length), primary_key=True)
    source: Mapped[str] = mapped_column(String(16))  # "entitlement", "coupon", "provisional"
    sale_id: Mapped[int] = mapped_column(ForeignKey("sale_tickets.id"))
    ticket_id: Mapped[str] = mapped_column(String(128))
    store_id: Mapped[str] = mapped_column(String(64))
    device_id: Mapped[str] = mapped_column(String(64))
    redeemed_at: Mapped[datetime] = mapped_column(UTCDateTime)
    # False until the entitlement is marked redeemed in the change log
    # (backoffice.sync.redemptions).
    published: Mapped[bool] = mapped_column(
        Boolean, default=True, server_default=true(), index=True
    )
