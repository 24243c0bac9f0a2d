"""What closing a ticket writes: the closed-ticket rows and the ``ticket.closed`` event
payload (docs/sync-protocol.md), both made from the same priced ticket."""

from __future__ import annotations

import json
from collections.abc import Sequence
from dataclasses import dataclass
from datetime import datetime
from typing import Any

from pos_app.engine import PricedTicket, TicketState
from pos_app.store.models.tickets import (
    ClosedTicket,
    LineAdjustment,
    TicketCoupon,
    TicketLine,
)
from pos_app.store.models.tickets import (
    Payment as PaymentRow,
)
from pos_app.store.outbox import device_time_text
from pos_app.store.ticket_state_codec import dump_ticket_state
from pos_app.till.payments import Payment

TICKET_CLOSED = "ticket.closed"


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


def closed_ticket_rows(sale: Sale) -> ClosedTicket:
    """The closed ticket with its lines, adjustments, coupons and payments."""
    priced = sale.priced
    ticket = ClosedTicket(
        ticket_id=sale.ticket_id,
        store_id=sale.store_id,
        device_id=sale.device_id,
        opened_at=sale.opened_at,
        closed_at=sale.closed_at,
        currency=priced.currency.code,
        gross=priced.gross,
        total=priced.total,
        state=dump_ticket_state(sale.state),
    )
    for position, line in enumerate(priced.lines):
        row = TicketLine(
            line_id=line.line_id,
            position=position,
            sku=line.sku,
            name=line.name,
            qty=line.qty,
            unit_price=line.unit_price,
            gross=line.gross,
            net=line.net,
            is_gift=line.is_gift,
        )
        row.adjustments = [
            LineAdjustment(
                ticket_id=sale.ticket_id,
                line_id=line.line_id,
                position=i,
                stage=a.stage,
                kind=a.kind,
                source=a.source,
                rule=a.rule,
                amount=a.amount,
                note=a.note,
            )
            for i, a in enumerate(line.adjustments)
        ]
        ticket.lines.append(row)
    ticket.coupons = [
        TicketCoupon(
            code=c.code,
            kind=c.kind,
            amount=c.amount,
            line_ids=json.dumps(list(c.line_ids)),
            single_use=c.code in sale.single_use_codes,
            provisional=c.code in sale.provisional_codes,
        )
        for c in priced.coupons.values()
    ]
    ticket.payments = [
        PaymentRow(
            position=i,
            method=p.method,
            amount=p.amount,
            tendered=p.tendered,
            change=p.change,
        )
        for i, p in enumerate(sale.payments)
    ]
    return ticket


def ticket_closed_payload(sale: Sale) -> dict[str, Any]:
    """The ``ticket.closed`` payload, exactly as docs/sync-protocol.md lists it."""
    priced = sale.priced
    fmt = priced.currency.format
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
                "adjustments": [
                    {
                        "stage": a.stage,
                        "kind": a.kind,
                        "source": a.source,
                        "rule": a.rule,
                        "amount": fmt(a.amount),
                    }
                    for a in line.adjustments
                ],
            }
            for line in priced.lines
        ],
        "promotions": {pid: fmt(amount) for pid, amount in priced.promotions.items()},
        "coupons": [
            {"code": c.code, "kind": c.kind, "amount": fmt(c.amount), "lines": list(c.line_ids)}
            for c in priced.coupons.values()
        ],
        "discounts": {did: fmt(amount) for did, amount in priced.discounts.items()},
        "payments": [p.to_json(priced.currency) for p in sale.payments],
    }
