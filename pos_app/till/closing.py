"""What closing a ticket writes: the closed-ticket rows and the ``ticket.closed`` event
payload (docs/sync-protocol.md), both made from the same priced ticket."""

from __future__ import annotations

import json
from collections.abc import Mapping, Sequence
from dataclasses import dataclass, field
from datetime import datetime
from typing import Any

from pos_app.engine import PricedTicket, TicketState
from pos_app.store.database import DirectStatement
from pos_app.store.models.tickets import (
    ClosedTicket,
    LineAdjustment,
    OpenTicket,
    TicketCoupon,
    TicketLine,
)
from pos_app.store.models.tickets import (
    Payment as PaymentRow,
)
from pos_app.store.outbox import device_time_text
from pos_app.store.ticket_state_codec import dump_ticket_state
from pos_app.till.payments import Payment


@dataclass(frozen=True)
class Sale:
    """A ticket being closed: who, where, when, what was priced and how it was paid."""

    ticket_id: str
    store_id: str
    device_id: str
    opened_at: datetime
    closed_at: datetime
    state: TicketState
    priced: PricedTicket
    payments: Sequence[Payment]
    single_use_codes: frozenset[str] = frozenset()
    provisional_codes: frozenset[str] = frozenset()
    pack_sale_ids: Mapping[str, str] = field(default_factory=dict)  # pack line id -> sale id


Row = tuple[Any, ...]


@dataclass(frozen=True)
class ClosedTicketRows:
    """The rows a closed ticket is stored as, one list per table, values in the order
    of that table's statement below."""

    ticket: Row
    lines: list[Row]
    adjustments: list[Row]
    coupons: list[Row]
    payments: list[Row]


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


def closed_ticket_rows(sale: Sale) -> ClosedTicketRows:
    """The closed ticket with its lines, adjustments, coupons and payments, as rows. Its
    coupon packs are not item lines: they are stored as pack sales (with their coupons)."""
    priced = sale.priced
    items = priced.item_lines
    ticket_id = sale.ticket_id
    return ClosedTicketRows(
        ticket=(
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
        lines=[
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
        adjustments=[
            (ticket_id, line.line_id, i, a.stage, a.kind, a.source, a.rule, a.amount, a.note)
            for line in items
            for i, a in enumerate(line.adjustments)
        ],
        coupons=[
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
        payments=[
            (ticket_id, i, p.method, p.amount, p.tendered, p.change)
            for i, p in enumerate(sale.payments)
        ],
    )


def write_closed_ticket(connection: Any, sale: Sale) -> None:
    """Insert the closed ticket's rows on the sqlite3 ``connection``, in its transaction
    (the caller commits them with the ``ticket.closed`` event: S1), one statement per
    table, and drop the open ticket's row."""
    rows = closed_ticket_rows(sale)
    _INSERT_TICKET.execute(connection, rows.ticket)
    _INSERT_LINES.execute_many(connection, rows.lines)
    _INSERT_ADJUSTMENTS.execute_many(connection, rows.adjustments)
    _INSERT_COUPONS.execute_many(connection, rows.coupons)
    _INSERT_PAYMENTS.execute_many(connection, rows.payments)
    _DELETE_OPEN_TICKET.execute(connection, (sale.ticket_id,))


def ticket_closed_payload(sale: Sale) -> dict[str, Any]:
    """The ``ticket.closed`` payload, exactly as docs/sync-protocol.md lists it: item
    lines in ``lines``, coupon packs in ``packs`` (only when there are some)."""
    priced = sale.priced
    fmt = priced.currency.format
    packs = [
        {
            "line_id": line.line_id,
            "pack_id": line.pack_id,
            "name": line.name,
            "price": fmt(line.net),
            "sale_id": sale.pack_sale_ids[line.line_id],
        }
        for line in priced.pack_lines
    ]
    return {
        "ticket_id": sale.ticket_id,
        "store_id": sale.store_id,
        "device_id": sale.device_id,
        "opened_at": device_time_text(sale.opened_at),
        "closed_at": device_time_text(sale.closed_at),
        "currency": priced.currency.code,
        "total": fmt(priced.total),
        "lines": [
            {
                "line_id": line.line_id,
                "sku": line.sku,
                "name": line.name,
                "qty": line.qty,
                "unit_price": fmt(line.unit_price),
                "gross": fmt(line.gross),
                "net": fmt(line.net),
                "adjustments": [a.to_json(priced.currency) for a in line.adjustments],
            }
            for line in priced.item_lines
        ],
        "promotions": {pid: fmt(amount) for pid, amount in priced.promotions.items()},
        "coupons": [
            {
                "code": c.code,
                "kind": c.kind,
                "amount": fmt(c.amount),
                "lines": list(c.line_ids),
                **({"provisional": True} if c.code in sale.provisional_codes else {}),
            }
            for c in priced.coupons.values()
        ],
        "discounts": {did: fmt(amount) for did, amount in priced.discounts.items()},
        "payments": [p.to_json(priced.currency) for p in sale.payments],
        **({"packs": packs} if packs else {}),
    }
