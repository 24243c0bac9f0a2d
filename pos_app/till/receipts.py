"""Receipts: of a sale the till just closed, of a closed sale found by its number (a
reprint, ``pos-app receipt NUMBER``) and of a return. Each names what people read:
the store, the till's number, the short ticket number, the member, promotions,
coupons and store discounts by name, the taxes per rate, and the coupons of the packs
a sale sold with their codes and validity (pure; printing is elsewhere)."""

from __future__ import annotations

from datetime import datetime
from decimal import Decimal

from sqlalchemy import select
from sqlalchemy.orm import Session, sessionmaker

from pos_app.engine import (
    Adjustment,
    CouponOutcome,
    Currency,
    PriceBook,
    PricedLine,
    PricedTicket,
    TicketState,
)
from pos_app.printing import (
    Receipt,
    ReceiptPack,
    ReceiptPackCoupon,
    ReceiptTax,
    StoreHeader,
)
from pos_app.protocol.taxes import TicketTaxes, rate_label
from pos_app.store.device import get_device
from pos_app.store.models.configuration import StoreInfo
from pos_app.store.models.shifts import LineTax
from pos_app.store.models.tickets import ClosedTicket
from pos_app.store.shift_records import find_by_number
from pos_app.store.ticket_state_codec import load_ticket_state
from pos_app.store.unit_of_work import UnitOfWork
from pos_app.till.errors import TillCode, TillRefusal
from pos_app.till.names import names_for
from pos_app.till.payments import Payment
from pos_app.till.refunds import RefundPlan
from pos_app.till.till import TicketChange

DEFAULT_FOOTER = "Thank you for your visit!"
ZERO = Decimal(0)


def store_header(sessions: sessionmaker[Session]) -> StoreHeader:
    """The till's store as a receipt names it (name, address lines, id)."""
    with UnitOfWork(sessions) as uow:
        session = uow.session
        device = get_device(session)
        store = session.get(StoreInfo, device.store_id) if device and device.store_id else None
        if store is None:
            stores = list(session.scalars(select(StoreInfo).limit(2)))
            store = stores[0] if len(stores) == 1 else None
        if store is None:
            return StoreHeader("Till", (), (device.store_id or "") if device else "")
        lines = tuple(part.strip() for part in store.address.split("\n") if part.strip())
        return StoreHeader(store.name, lines, store.store_id)


def till_label(sessions: sessionmaker[Session]) -> str:
    """The till's number in its store, as receipts print it ("01")."""
    with UnitOfWork(sessions) as uow:
        device = get_device(uow.session)
        return f"{device.till_number if device is not None else 1:02d}"


def receipt_taxes(taxes: TicketTaxes | None) -> tuple[ReceiptTax, ...]:
    if taxes is None:
        return ()
    return tuple(ReceiptTax(rate_label(r.rate), r.base, r.tax) for r in taxes.rates if r.rate)


def sale_receipt(
    change: TicketChange,
    *,
    store: StoreHeader,
    device_id: str,
    closed_at: datetime,
    footer: str = DEFAULT_FOOTER,
    book: PriceBook | None = None,
    till: str = "",
) -> Receipt:
    """The receipt of the sale ``change`` reports (the result of ``Till.close``); with
    ``book``, everything is named as the price book names it."""
    if change.closed_ticket_id is None:
        raise ValueError("a receipt is printed for a closed ticket only")
    state = change.outcome if isinstance(change.outcome, TicketState) else None
    taxes = change.taxes
    return Receipt.from_ticket(
        change.priced,
        ticket_id=change.closed_ticket_id,
        store=store,
        device_id=device_id,
        closed_at=closed_at,
        payments=change.payments,
        footer=footer,
        names=names_for(book, state) if book is not None else None,
        number=change.number,
        till=till,
        member=change.member_name or "",
        taxes=receipt_taxes(taxes),
        tax_inclusive=taxes.inclusive if taxes is not None else True,
        packs=[
            ReceiptPack(
                name=pack.name,
                member=pack.member_name,
                coupons=tuple(
                    ReceiptPackCoupon(c.name, c.code, c.valid_from, c.valid_to)
                    for c in pack.coupons
                ),
            )
            for pack in change.packs_sold
        ],
    )


def closed_ticket_receipt(
    sessions: sessionmaker[Session], book: PriceBook, number: str, *, reprint_footer: str = ""
) -> Receipt:
    """The receipt of the closed sale numbered ``number``, from what was stored when it
    closed (its prices are the ticket's, whatever the price book says today)."""
    store = store_header(sessions)
    till = till_label(sessions)
    with UnitOfWork(sessions) as uow:
        session = uow.session
        header = find_by_number(session, number)
        ticket = session.get(ClosedTicket, header.ticket_id) if header is not None else None
        if header is None or ticket is None:
            raise TillRefusal(
                TillCode.UNKNOWN_TICKET, f"No closed sale numbered {number.strip()} at this till"
            )
        priced = stored_priced_ticket(session, ticket)
        taxes = _stored_taxes(session, ticket, priced.currency)
        state = load_ticket_state(ticket.state)
        payments = tuple(Payment(p.method, p.amount, p.tendered, p.change) for p in ticket.payments)
        return Receipt.from_ticket(
            priced,
            ticket_id=ticket.ticket_id,
            store=store,
            device_id=ticket.device_id,
            closed_at=ticket.closed_at,
            payments=payments,
            footer=reprint_footer or DEFAULT_FOOTER,
            names=names_for(book, state),
            number=header.number,
            till=till,
            member=header.member_name or "",
            taxes=taxes,
            tax_inclusive=header.tax_inclusive,
        )


def refund_receipt(
    sessions: sessionmaker[Session], plan: RefundPlan, number: str, refunded_at: datetime
) -> Receipt:
    """The slip of a return: the lines taken back at what they were sold for, and the
    money given back."""
    currency = plan.sale.currency
    lines = tuple(
        PricedLine(
            line_id=line.line.line_id,
            sku=line.line.sku,
            name=line.line.name,
            qty=line.qty,
            unit_price=line.amount,
            gross=line.amount,
            net=line.amount,
            adjustments=(),
        )
        for line in plan.lines
    )
    nets = sum((line.amount for line in plan.lines), ZERO)
    priced = PricedTicket(currency, lines, {}, {}, {}, nets, closed=True)
    rates: dict[Decimal, tuple[Decimal, Decimal]] = {}
    for line in plan.lines:
        base, tax = rates.get(line.line.rate, (ZERO, ZERO))
        rates[line.line.rate] = (base + line.amount, tax + line.tax)
    return Receipt.from_ticket(
        priced,
        ticket_id=number,
        store=store_header(sessions),
        device_id="",
        closed_at=refunded_at,
        footer=f"Refunded {currency.format(plan.amount)} by {plan.method}",
        number=number,
        till=till_label(sessions),
        member=plan.sale.member_name or "",
        taxes=tuple(
            ReceiptTax(rate_label(rate), base, tax)
            for rate, (base, tax) in sorted(rates.items())
            if rate
        ),
        tax_inclusive=plan.sale.tax_inclusive,
    ).with_title(f"RETURN of ticket {plan.sale.number}")


def stored_priced_ticket(session: Session, ticket: ClosedTicket) -> PricedTicket:
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


def _stored_taxes(
    session: Session, ticket: ClosedTicket, currency: Currency
) -> tuple[ReceiptTax, ...]:
    nets = {line.line_id: line.net for line in ticket.lines}
    rates: dict[Decimal, tuple[Decimal, Decimal]] = {}
    for row in session.scalars(select(LineTax).where(LineTax.ticket_id == ticket.ticket_id)):
        base, tax = rates.get(row.rate, (ZERO, ZERO))
        rates[row.rate] = (base + nets.get(row.line_id, ZERO), tax + row.tax)
    return tuple(
        ReceiptTax(rate_label(rate), base, tax)
        for rate, (base, tax) in sorted(rates.items())
        if rate
    )
