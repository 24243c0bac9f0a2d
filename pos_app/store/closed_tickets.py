"""Closed sales as the till stores them: the ticket with its lines, adjustments, coupons
and payments (written in the closing transaction, S1), read back for receipts, the
ticket list and the single-use check of a coupon code."""

from __future__ import annotations

import json
from collections.abc import Sequence
from dataclasses import dataclass, field
from datetime import datetime
from decimal import Decimal
from typing import Any

from sqlalchemy import select
from sqlalchemy.orm import selectinload

from pos_app.engine import (
    Adjustment,
    CouponOutcome,
    Currency,
    PricedLine,
    PricedTicket,
    TicketState,
)
from pos_app.store.database import DirectStatement, Transaction
from pos_app.store.models.shifts import CouponReversal, LineTax, TicketHeader
from pos_app.store.models.tickets import (
    ClosedTicket,
    LineAdjustment,
    OpenTicket,
    TicketCoupon,
    TicketLine,
)
from pos_app.store.models.tickets import Payment as PaymentRow
from pos_app.store.shift_records import find_by_number
from pos_app.store.ticket_state_codec import dump_ticket_state, load_ticket_state

ZERO = Decimal(0)


@dataclass(frozen=True)
class StoredPayment:
    """A payment of a closed sale: method, amount toward the total, tendered, change."""

    method: str
    amount: Decimal
    tendered: Decimal
    change: Decimal


@dataclass(frozen=True)
class ClosedSale:
    """A ticket being closed: who, where, when, what was priced and how it was paid,
    and which of its coupon codes are single use or provisional (S14)."""

    ticket_id: str
    store_id: str
    device_id: str
    opened_at: datetime
    closed_at: datetime
    state: TicketState
    priced: PricedTicket
    payments: Sequence[StoredPayment]
    single_use_codes: frozenset[str] = frozenset()
    provisional_codes: frozenset[str] = frozenset()


@dataclass(frozen=True)
class StoredSale:
    """A closed sale read back as it was priced when it closed (whatever the price book
    says today), with its header and each tax rate's lines (rate, nets, tax)."""

    ticket_id: str
    number: str
    device_id: str
    closed_at: datetime
    state: TicketState
    priced: PricedTicket
    payments: tuple[StoredPayment, ...]
    member_name: str | None
    tax_inclusive: bool
    taxes: tuple[tuple[Decimal, Decimal, Decimal], ...]  # (rate, base, tax), rate order


@dataclass(frozen=True)
class ListedLine:
    line_id: str
    sku: str
    name: str
    qty: int
    net: Decimal


@dataclass(frozen=True)
class ListedSale:
    """A closed sale as ``pos-app tickets`` lists it."""

    ticket_id: str
    number: str | None
    closed_at: datetime
    total: Decimal  # what the customer paid (the total when the sale has no header)
    tax: Decimal | None
    member_name: str | None
    lines: tuple[ListedLine, ...] = field(default=())


Row = tuple[Any, ...]

_INSERT_TICKET = DirectStatement.insert(
    ClosedTicket,
    (
        "ticket_id",
        "store_id",
        "device_id",
        "opened_at",
        "closed_at",
        "currency",
        "gross",
        "total",
        "state",
    ),
)
_INSERT_LINES = DirectStatement.insert(
    TicketLine,
    (
        "ticket_id",
        "line_id",
        "position",
        "sku",
        "name",
        "qty",
        "unit_price",
        "gross",
        "net",
        "is_gift",
    ),
)
_INSERT_ADJUSTMENTS = DirectStatement.insert(
    LineAdjustment,
    ("ticket_id", "line_id", "position", "stage", "kind", "source", "rule", "amount", "note"),
)
_INSERT_COUPONS = DirectStatement.insert(
    TicketCoupon,
    ("ticket_id", "code", "kind", "amount", "line_ids", "single_use", "provisional"),
)
_INSERT_PAYMENTS = DirectStatement.insert(
    PaymentRow, ("ticket_id", "position", "method", "amount", "tendered", "change")
)
_DELETE_OPEN_TICKET = DirectStatement(
    f"DELETE FROM {OpenTicket.__tablename__} WHERE ticket_id = ?", [None]
)
# The closed ticket that took a code and whose return did not give it back, if any.
_REDEEMED_ON = DirectStatement(
    f"SELECT c.ticket_id, h.number FROM {TicketCoupon.__tablename__} c"
    f" LEFT JOIN {TicketHeader.__tablename__} h ON h.ticket_id = c.ticket_id"
    " WHERE c.code = ? AND NOT EXISTS (SELECT 1 FROM"
    f" {CouponReversal.__tablename__} r WHERE r.ticket_id = c.ticket_id AND r.code = c.code)"
    " LIMIT 1",
    [None],
)


class ClosedTicketRepository:
    """Closed sales in one unit of work."""

    def __init__(self, transaction: Transaction) -> None:
        self._transaction = transaction

    def add(self, sale: ClosedSale) -> None:
        """Insert the closed ticket with its lines, adjustments, coupons and payments and
        drop the open ticket's row, on the unit's sqlite3 connection (one statement per
        table). Its coupon packs are not item lines: they are stored as pack sales."""
        connection = self._transaction.connection
        priced, ticket_id = sale.priced, sale.ticket_id
        items = priced.item_lines
        _INSERT_TICKET.execute(
            connection,
            (
                ticket_id,
                sale.store_id,
                sale.device_id,
                sale.opened_at,
                sale.closed_at,
                priced.currency.code,
                priced.gross,
                priced.total,
                dump_ticket_state(sale.state),
            ),
        )
        _INSERT_LINES.execute_many(
            connection,
            [
                (
                    ticket_id,
                    line.line_id,
                    position,
                    line.sku,
                    line.name,
                    line.qty,
                    line.unit_price,
                    line.gross,
                    line.net,
                    line.is_gift,
                )
                for position, line in enumerate(items)
            ],
        )
        _INSERT_ADJUSTMENTS.execute_many(
            connection,
            [
                (ticket_id, line.line_id, i, a.stage, a.kind, a.source, a.rule, a.amount, a.note)
                for line in items
                for i, a in enumerate(line.adjustments)
            ],
        )
        _INSERT_COUPONS.execute_many(
            connection,
            [
                (
                    ticket_id,
                    c.code,
                    c.kind,
                    c.amount,
                    json.dumps(list(c.line_ids)),
                    c.code in sale.single_use_codes,
                    c.code in sale.provisional_codes,
                )
                for c in priced.coupons.values()
            ],
        )
        _INSERT_PAYMENTS.execute_many(
            connection,
            [
                (ticket_id, i, p.method, p.amount, p.tendered, p.change)
                for i, p in enumerate(sale.payments)
            ],
        )
        _DELETE_OPEN_TICKET.execute(connection, (ticket_id,))

    def redeemed_on(self, code: str) -> str | None:
        """The number (its id when it has none) of a closed sale of this till that took
        ``code`` and was not given it back by a return; None if there is none."""
        row = _REDEEMED_ON.execute(self._transaction.connection, (code,)).fetchone()
        return None if row is None else str(row[1] or row[0])

    def sale_numbered(self, number: str) -> StoredSale | None:
        """The closed sale numbered ``number`` (or ``NUMBER BUSINESS-DAY``), as it was
        stored when it closed; a number two days gave raises
        :class:`~pos_app.store.shift_records.NumberReused`."""
        session = self._transaction.session
        header = find_by_number(session, number)
        ticket = session.get(ClosedTicket, header.ticket_id) if header is not None else None
        if header is None or ticket is None:
            return None
        priced = _stored_priced(ticket)
        nets = {line.line_id: line.net for line in ticket.lines}
        rates: dict[Decimal, tuple[Decimal, Decimal]] = {}
        for row in session.scalars(select(LineTax).where(LineTax.ticket_id == ticket.ticket_id)):
            base, tax = rates.get(row.rate, (ZERO, ZERO))
            rates[row.rate] = (base + nets.get(row.line_id, ZERO), tax + row.tax)
        return StoredSale(
            ticket_id=ticket.ticket_id,
            number=header.number,
            device_id=ticket.device_id,
            closed_at=ticket.closed_at,
            state=load_ticket_state(ticket.state),
            priced=priced,
            payments=tuple(
                StoredPayment(p.method, p.amount, p.tendered, p.change) for p in ticket.payments
            ),
            member_name=header.member_name,
            tax_inclusive=header.tax_inclusive,
            taxes=tuple((rate, base, tax) for rate, (base, tax) in sorted(rates.items())),
        )

    def listing(self) -> list[ListedSale]:
        """Every closed sale with its number and lines, oldest first."""
        rows = self._transaction.session.execute(
            select(ClosedTicket, TicketHeader)
            .outerjoin(TicketHeader, TicketHeader.ticket_id == ClosedTicket.ticket_id)
            .options(selectinload(ClosedTicket.lines))
            .order_by(ClosedTicket.closed_at)
        )
        return [
            ListedSale(
                ticket_id=ticket.ticket_id,
                number=header.number if header is not None else None,
                closed_at=ticket.closed_at,
                total=header.paid if header is not None else ticket.total,
                tax=header.tax if header is not None else None,
                member_name=header.member_name if header is not None else None,
                lines=tuple(
                    ListedLine(line.line_id, line.sku, line.name, line.qty, line.net)
                    for line in ticket.lines
                ),
            )
            for ticket, header in rows
        ]


def _stored_priced(ticket: ClosedTicket) -> PricedTicket:
    """A closed ticket as priced when it closed, from its stored rows."""
    currency = Currency.of(ticket.currency)
    lines = tuple(
        PricedLine(
            line_id=line.line_id,
            sku=line.sku,
            name=line.name,
            qty=line.qty,
            unit_price=line.unit_price,
            gross=line.gross,
            net=line.net,
            adjustments=tuple(
                Adjustment(a.stage, a.kind, a.source, a.rule, a.amount, a.note)
                for a in line.adjustments
            ),
            is_gift=line.is_gift,
        )
        for line in ticket.lines
    )
    coupons = {c.code: CouponOutcome(c.code, c.kind, c.amount, ()) for c in ticket.coupons}
    return PricedTicket(currency, lines, {}, coupons, {}, ticket.total, closed=True)
