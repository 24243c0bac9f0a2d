"""Receipts: of a sale the till just closed, of a closed sale found by its number (a
reprint, ``pos-app receipt NUMBER``) and of a return. Each names what people read:
the store, the till's number, the short ticket number, the member, promotions,
coupons and store discounts by name, the taxes per rate, and the coupons of the packs
a sale sold with their codes and validity (pure; printing is elsewhere)."""

from __future__ import annotations

from dataclasses import replace
from datetime import datetime
from decimal import Decimal

from pos_app.engine import PriceBook, PricedLine, PricedTicket, TicketState
from pos_app.printing import (
    Receipt,
    ReceiptPack,
    ReceiptPackCoupon,
    ReceiptTax,
    StoreHeader,
)
from pos_app.protocol.taxes import TicketTaxes, rate_label
from pos_app.store.refund_records import StoredReturn
from pos_app.store.shift_records import NumberReused
from pos_app.store.unit_of_work import TillDatabase
from pos_app.till.errors import TillCode, TillRefusal
from pos_app.till.names import names_for
from pos_app.till.payments import Method
from pos_app.till.refunds import RefundedLinePlan, RefundPlan, SaleForReturn, number_needs_day
from pos_app.till.ticket_change import TicketChange

DEFAULT_FOOTER = "Thank you for your visit!"
ZERO = Decimal(0)


def store_header(database: TillDatabase) -> StoreHeader:
    """The till's store as a receipt names it (name, address lines, id)."""
    with database.unit_of_work() as uow:
        store = uow.device.store()
    if store.name is None:
        return StoreHeader("Till", (), store.store_id)
    return StoreHeader(store.name, store.address_lines, store.store_id)


def till_label(database: TillDatabase) -> str:
    """The till's number in its store, as receipts print it ("01")."""
    with database.unit_of_work() as uow:
        return f"{uow.device.till_number():02d}"


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
    database: TillDatabase, book: PriceBook, number: str, *, reprint_footer: str = ""
) -> Receipt:
    """The receipt of the closed sale numbered ``number``, from what was stored when it
    closed (its prices are the ticket's, whatever the price book says today)."""
    store = store_header(database)
    till = till_label(database)
    with database.unit_of_work() as uow:
        try:
            sale = uow.closed_tickets.sale_numbered(number)
        except NumberReused as reused:
            raise number_needs_day(reused) from None
        packs = uow.packs.sales_on_ticket(sale.ticket_id) if sale is not None else []
        done = uow.refunds.return_numbered(number) if sale is None else None
        returned = uow.refunds.sale_for_return(done.sale_number) if done is not None else None
    if sale is None and done is not None and returned is not None:
        return refund_receipt(database, stored_plan(returned, done), done.number, done.refunded_at)
    if sale is None:
        raise TillRefusal(
            TillCode.UNKNOWN_TICKET,
            f"No closed sale or return numbered {number.strip()} at this till",
        )
    pack_lines = tuple(
        PricedLine(
            line_id=pack.line_id,
            sku="",
            name=pack.pack_name,
            qty=1,
            unit_price=pack.price,
            gross=pack.price,
            net=pack.price,
            adjustments=(),
            pack_id=pack.pack_id,
        )
        for pack in packs
    )
    return Receipt.from_ticket(
        replace(sale.priced, lines=sale.priced.lines + pack_lines),
        ticket_id=sale.ticket_id,
        store=store,
        device_id=sale.device_id,
        closed_at=sale.closed_at,
        payments=sale.payments,
        footer=reprint_footer or DEFAULT_FOOTER,
        names=names_for(book, sale.state),
        number=sale.number,
        till=till,
        member=sale.member_name or "",
        taxes=tuple(
            ReceiptTax(rate_label(rate), base, tax) for rate, base, tax in sale.taxes if rate
        ),
        tax_inclusive=sale.tax_inclusive,
        packs=[
            ReceiptPack(
                name=pack.pack_name,
                member=pack.member_name,
                coupons=tuple(
                    ReceiptPackCoupon(
                        book.coupon_name(c["coupon_code"]),
                        c["code"],
                        c["valid_from"],
                        c["valid_to"],
                    )
                    for c in pack.coupons
                ),
            )
            for pack in packs
        ],
    )


def stored_plan(sale: SaleForReturn, done: StoredReturn) -> RefundPlan:
    """A return as written, as the plan that made it (its slip is printed again)."""
    lines = []
    for returned in done.lines:
        line = sale.line(returned.line_id)
        if line is not None:
            lines.append(RefundedLinePlan(line, returned.qty, returned.amount, returned.tax))
    method: Method = "card" if done.method == "card" else "cash"
    return RefundPlan(sale, method, tuple(lines), ())


def refund_receipt(
    database: TillDatabase, plan: RefundPlan, number: str, refunded_at: datetime
) -> Receipt:
    """The slip of a return: the lines taken back at minus what they were sold for, the
    total and taxes negative, and the money given back."""
    currency = plan.sale.currency
    lines = tuple(
        PricedLine(
            line_id=line.line.line_id,
            sku=line.line.sku,
            name=line.line.name,
            qty=line.qty,
            unit_price=-line.amount,
            gross=-line.amount,
            net=-line.amount,
            adjustments=(),
        )
        for line in plan.lines
    )
    nets = -sum((line.amount for line in plan.lines), ZERO)
    priced = PricedTicket(currency, lines, {}, {}, {}, nets, closed=True)
    rates: dict[Decimal, tuple[Decimal, Decimal]] = {}
    for line in plan.lines:  # money going back: every amount on the slip is negative
        base, tax = rates.get(line.line.rate, (ZERO, ZERO))
        rates[line.line.rate] = (base - line.amount, tax - line.tax)
    return Receipt.from_ticket(
        priced,
        ticket_id=number,
        store=store_header(database),
        device_id="",
        closed_at=refunded_at,
        footer=f"Refunded {currency.format(plan.amount)} by {plan.method}",
        number=number,
        till=till_label(database),
        member=plan.sale.member_name or "",
        taxes=tuple(
            ReceiptTax(rate_label(rate), base, tax)
            for rate, (base, tax) in sorted(rates.items())
            if rate
        ),
        tax_inclusive=plan.sale.tax_inclusive,
    ).with_title(f"RETURN of ticket {plan.sale.number}")
