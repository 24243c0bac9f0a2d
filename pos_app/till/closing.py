"""Closing the open ticket (S1): the payments must cover what it costs exactly; the
ticket, its lines, adjustments, coupons, payments, taxes and number, its coupon packs'
sales and the ``ticket.closed`` event are written in one durable transaction, then the
till starts a new, empty ticket."""

from __future__ import annotations

import uuid
from decimal import Decimal
from typing import Any

from pos_app.engine import Close, PricedTicket, Refusal, RefusalCode
from pos_app.protocol import payloads
from pos_app.protocol.payloads import TicketClosed, wire_instant
from pos_app.protocol.taxes import TicketTaxes, rate_key
from pos_app.store.closed_tickets import ClosedSale, StoredPayment
from pos_app.till.clock import aware
from pos_app.till.errors import TillRefusal
from pos_app.till.pack_sales import held_coupons
from pos_app.till.payments import check_covers
from pos_app.till.services import TillServices
from pos_app.till.ticket_change import TicketChange


def close_ticket(services: TillServices) -> TicketChange:
    """Close the open ticket; the change describes the ticket just closed."""
    ticket, configuration, packs = services.ticket, services.configuration, services.packs
    taxes = ticket.taxes
    book = configuration.book
    try:
        if ticket.state.is_empty:
            raise Refusal(RefusalCode.INVALID, "The ticket is empty: nothing to close")
        check_covers(taxes.amount_due(ticket.priced.total), ticket.payments, book.currency)
        store_id, device_id = configuration.identity()
        pack_refusal = packs.close_refusal(ticket.state, book, store_id)
        if pack_refusal is not None:
            raise pack_refusal
    except (Refusal, TillRefusal):
        # The engine's own refusal of closing goes first; tried on a copy only when
        # the till refuses anyway (otherwise closing below says the same).
        refusal = ticket.refusal_for(Close())
        if refusal is not None:
            raise refusal from None
        raise
    now = aware(services.clock())
    before = ticket.state
    pack_sale_ids = {line.line_id: str(uuid.uuid4()) for line in before.packs}
    closing_packs = packs.closing(before, pack_sale_ids)
    codes = configuration.codes
    redeemed = [r.code for r in before.redemptions]
    by_prefix = {code for code in redeemed if code not in book.coupons}  # platform codes (S14)
    closed = ticket.close()
    sale = ClosedSale(
        ticket_id=ticket.ticket_id,
        store_id=store_id,
        device_id=device_id,
        opened_at=ticket.opened_at or now,
        closed_at=now,
        state=ticket.state,
        priced=closed,
        payments=[StoredPayment(p.method, p.amount, p.tendered, p.change) for p in ticket.payments],
        single_use_codes=frozenset(c for c in redeemed if c in codes.single_use or c in by_prefix),
        provisional_codes=frozenset(
            c for c in redeemed if c in codes.verify_later or c in by_prefix
        ),
    )
    cashier = services.staff.cashier_name  # read before the unit of work begins
    try:
        with services.database.unit_of_work() as uow:
            number = ticket.number_in(uow, now)
            uow.shifts.close_sale(
                sale.ticket_id,
                tax_inclusive=taxes.inclusive,
                tax=taxes.total,
                paid=taxes.amount_due(closed.total),
                line_taxes=[
                    (line.line_id, taxes.line_rates[line.line_id], taxes.lines[line.line_id])
                    for line in closed.item_lines
                ],
                cashier=cashier or None,
            )
            uow.closed_tickets.add(sale)
            member_id = ticket.member_id
            uow.outbox.add(
                ticket_closed(sale, taxes, number, member_id, pack_sale_ids, cashier), now
            )
            sold = packs.write_sales(
                uow,
                closing_packs,
                ticket_id=sale.ticket_id,
                book=book,
                store_id=store_id,
                device_id=device_id,
                now=now,
            )
            pending = uow.outbox.pending_count()
            uow.commit()
    except BaseException:
        ticket.put_back(before)
        raise
    if sold:  # their coupons are redeemable on the next ticket (K15)
        configuration.add_held_coupons(held_coupons(sold))
    change = TicketChange(
        ticket_id=sale.ticket_id,
        priced=closed,
        payments=ticket.payments,
        amount_due=Decimal(0),
        outbox_pending=pending,
        closed_ticket_id=sale.ticket_id,
        number=number,
        member_name=ticket.member[1] if ticket.member else None,
        cashier=cashier,
        taxes=taxes,
        outcome=ticket.state,  # the closed ticket's intent: its discounts' names
        packs_sold=sold,
    )
    packs.forget_reservations(sale.ticket_id)
    ticket.start_new()
    return change


def ticket_closed(
    sale: ClosedSale,
    taxes: TicketTaxes,
    number: str,
    member_id: str | None,
    pack_sale_ids: dict[str, str],
    cashier: str = "",
) -> TicketClosed:
    """The ``ticket.closed`` payload, exactly as docs/sync-protocol.md lists it: item
    lines in ``lines`` with their taxes, coupon packs in ``packs`` (only when there are
    some), the number, the member (when there is one) and the taxes per rate."""
    priced: PricedTicket = sale.priced
    currency = priced.currency
    fmt = currency.format
    optional: dict[str, Any] = {}
    if priced.pack_lines:
        optional["packs"] = [
            payloads.TicketPack(
                line_id=line.line_id,
                pack_id=line.pack_id or "",
                name=line.name,
                price=fmt(line.net),
                sale_id=pack_sale_ids[line.line_id],
            )
            for line in priced.pack_lines
        ]
    if member_id is not None:
        optional["member_id"] = member_id
    if cashier:
        optional["cashier"] = cashier
    return TicketClosed(
        ticket_id=sale.ticket_id,
        store_id=sale.store_id,
        device_id=sale.device_id,
        opened_at=wire_instant(sale.opened_at),
        closed_at=wire_instant(sale.closed_at),
        currency=currency.code,
        total=fmt(priced.total),
        lines=[
            payloads.TicketLine(
                line_id=line.line_id,
                sku=line.sku,
                name=line.name,
                qty=line.qty,
                unit_price=fmt(line.unit_price),
                gross=fmt(line.gross),
                net=fmt(line.net),
                adjustments=[
                    payloads.Adjustment(
                        stage=a.stage,
                        kind=a.kind,
                        source=a.source,
                        rule=a.rule,
                        amount=fmt(a.amount),
                    )
                    for a in line.adjustments
                ],
                tax_rate=rate_key(taxes.line_rates[line.line_id]),
                tax=fmt(taxes.lines[line.line_id]),
            )
            for line in priced.item_lines
        ],
        promotions={pid: fmt(amount) for pid, amount in priced.promotions.items()},
        coupons=[
            _coupon_use(c.code, c.kind, fmt(c.amount), c.line_ids, sale)
            for c in priced.coupons.values()
        ],
        discounts={did: fmt(amount) for did, amount in priced.discounts.items()},
        payments=[
            payloads.Payment(
                method=p.method,
                amount=fmt(p.amount),
                tendered=fmt(p.tendered),
                change=fmt(p.change),
            )
            for p in sale.payments
        ],
        number=number,
        tax_inclusive=taxes.inclusive,
        taxes=[
            payloads.RateTax(rate=rate_key(r.rate), base=fmt(r.base), tax=fmt(r.tax))
            for r in taxes.rates
        ],
        tax_total=fmt(taxes.total),
        amount_paid=fmt(taxes.amount_due(priced.total)),
        **optional,
    )


def _coupon_use(
    code: str, kind: str, amount: str, line_ids: tuple[str, ...], sale: ClosedSale
) -> payloads.CouponUse:
    if code in sale.provisional_codes:
        return payloads.CouponUse(
            code=code, kind=kind, amount=amount, lines=list(line_ids), provisional=True
        )
    return payloads.CouponUse(code=code, kind=kind, amount=amount, lines=list(line_ids))
