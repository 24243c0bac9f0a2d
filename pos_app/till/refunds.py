"""Returns: some or all lines of a closed sale taken back at the price each was sold for.

A line is given back at its net (the engine's exact allocation of every discount) and
its tax, unit by unit: returning k of its n units gives back the cumulative share
``round(net × returned / n)`` less what earlier returns gave (:func:`returned_share`),
so returning every unit gives back exactly what was paid for it. The money goes back
in cash, or to a card when the sale was paid by card (never more than the card paid).

A coupon of the sale is given back (a recorded reversal, so a single-use code or a
member's entitlement can be redeemed again) only when every unit of every line it
covered has been returned; a coupon that covered the whole ticket, when the whole
ticket has.
"""

from __future__ import annotations

import json
import uuid
from collections.abc import Mapping, Sequence
from dataclasses import dataclass
from datetime import datetime
from decimal import Decimal
from typing import Any

from sqlalchemy import func, select
from sqlalchemy.orm import Session

from pos_app.engine import Currency
from pos_app.engine.bounds import QUANTITY_MESSAGE, QuantityError, parse_quantity
from pos_app.protocol.taxes import rate_key, returned_share
from pos_app.store.models.packs import PackSale
from pos_app.store.models.shifts import CouponReversal, LineTax, Refund, RefundLine, TicketHeader
from pos_app.store.models.tickets import ClosedTicket, TicketCoupon
from pos_app.store.models.tickets import Payment as PaymentRow
from pos_app.store.outbox import device_time_text
from pos_app.store.shift_records import SALE, find_by_number
from pos_app.till.errors import TillCode, TillRefusal
from pos_app.till.payments import CARD, CASH

METHODS = (CASH, CARD)
ZERO = Decimal(0)


@dataclass(frozen=True)
class ReturnableLine:
    """A line of a sale as a return sees it: sold, already returned, and its money."""

    line_id: str
    sku: str
    name: str
    qty: int
    returned: int
    net: Decimal
    tax: Decimal
    rate: Decimal
    is_gift: bool

    @property
    def left(self) -> int:
        return self.qty - self.returned


@dataclass(frozen=True)
class SaleForReturn:
    """A closed sale found for a return: its number, lines, payments and coupons."""

    ticket_id: str
    number: str
    closed_at: datetime
    currency: Currency
    tax_inclusive: bool
    total: Decimal
    paid: Decimal
    lines: tuple[ReturnableLine, ...]
    paid_by: Mapping[str, Decimal]
    refunded_by: Mapping[str, Decimal]
    coupons: Mapping[str, tuple[str, ...]]  # code -> the lines it covered ((): all)
    reversed_codes: frozenset[str]
    member_name: str | None = None
    packs: tuple[tuple[str, Decimal], ...] = ()  # coupon packs sold on it: (name, price)

    def line(self, line_id: str) -> ReturnableLine | None:
        return next((line for line in self.lines if line.line_id == line_id), None)

    @property
    def fully_returned(self) -> bool:
        """Every item line is back (a ticket of packs alone has nothing to return)."""
        return bool(self.lines) and all(line.left == 0 for line in self.lines)


@dataclass(frozen=True)
class RefundedLinePlan:
    line: ReturnableLine
    qty: int
    amount: Decimal  # the net's share
    tax: Decimal


@dataclass(frozen=True)
class RefundPlan:
    """What a return gives back, checked and computed before anything is written."""

    sale: SaleForReturn
    method: str
    lines: tuple[RefundedLinePlan, ...]
    restored_codes: tuple[str, ...]

    @property
    def tax(self) -> Decimal:
        return sum((line.tax for line in self.lines), ZERO)

    @property
    def amount(self) -> Decimal:
        """What goes back to the customer (positive): the nets, plus the tax when the
        store adds tax."""
        nets = sum((line.amount for line in self.lines), ZERO)
        return nets if self.sale.tax_inclusive else nets + self.tax


def find_sale(session: Session, number: str) -> SaleForReturn:
    """The closed sale with ``number``, or a refusal naming the number."""
    if not isinstance(number, str) or not number.strip():
        raise TillRefusal(TillCode.UNKNOWN_TICKET, "Type or scan the number of the ticket")
    header = find_by_number(session, number, SALE)
    ticket = session.get(ClosedTicket, header.ticket_id) if header is not None else None
    if header is None or ticket is None:
        raise TillRefusal(
            TillCode.UNKNOWN_TICKET, f"No closed sale numbered {number.strip()} at this till"
        )
    return sale_for_return(session, ticket, header)


def sale_for_return(session: Session, ticket: ClosedTicket, header: TicketHeader) -> SaleForReturn:
    taxes = {
        row.line_id: row
        for row in session.scalars(select(LineTax).where(LineTax.ticket_id == ticket.ticket_id))
    }
    returned: dict[str, int] = dict(
        session.execute(
            select(RefundLine.line_id, func.sum(RefundLine.qty))
            .join(Refund, Refund.refund_id == RefundLine.refund_id)
            .where(Refund.ticket_id == ticket.ticket_id)
            .group_by(RefundLine.line_id)
        ).all()
    )
    refunded_by: dict[str, Decimal] = {}
    for refund in session.scalars(select(Refund).where(Refund.ticket_id == ticket.ticket_id)):
        refunded_by[refund.method] = refunded_by.get(refund.method, ZERO) + refund.amount
    paid_by: dict[str, Decimal] = {}
    for payment in session.scalars(
        select(PaymentRow).where(PaymentRow.ticket_id == ticket.ticket_id)
    ):
        paid_by[payment.method] = paid_by.get(payment.method, ZERO) + payment.amount
    coupons = {
        coupon.code: tuple(json.loads(coupon.line_ids or "[]"))
        for coupon in session.scalars(
            select(TicketCoupon).where(TicketCoupon.ticket_id == ticket.ticket_id)
        )
    }
    reversed_codes = frozenset(
        session.scalars(
            select(CouponReversal.code).where(CouponReversal.ticket_id == ticket.ticket_id)
        )
    )
    lines = tuple(
        ReturnableLine(
            line_id=line.line_id,
            sku=line.sku,
            name=line.name,
            qty=line.qty,
            returned=int(returned.get(line.line_id, 0)),
            net=line.net,
            tax=taxes[line.line_id].tax if line.line_id in taxes else ZERO,
            rate=taxes[line.line_id].rate if line.line_id in taxes else ZERO,
            is_gift=line.is_gift,
        )
        for line in ticket.lines
    )
    return SaleForReturn(
        ticket_id=ticket.ticket_id,
        number=header.number,
        closed_at=ticket.closed_at,
        currency=Currency.of(ticket.currency),
        tax_inclusive=header.tax_inclusive,
        total=ticket.total,
        paid=header.paid,
        lines=lines,
        paid_by=paid_by,
        refunded_by=refunded_by,
        coupons=coupons,
        reversed_codes=reversed_codes,
        member_name=header.member_name,
        packs=tuple(
            (name, price)
            for name, price in session.execute(
                select(PackSale.pack_name, PackSale.price)
                .where(PackSale.ticket_id == ticket.ticket_id)
                .order_by(PackSale.line_id)
            )
        ),
    )


# Why a coupon pack is not in a return: its coupons may be in use anywhere in the chain.
PACK_NOT_RETURNED = "a coupon pack is not returned at the till; its coupons stay with the member"


def plan_refund(
    sale: SaleForReturn, method: object, lines: Sequence[tuple[str, object]] | None
) -> RefundPlan:
    """Check a return of ``lines`` ((line id, quantity); None: everything left) by
    ``method`` and compute what it gives back; a refusal names what is wrong."""
    if method not in METHODS:
        raise TillRefusal(TillCode.INVALID_METHOD, f"Refund by cash or card, not {method!r}")
    wanted: dict[str, int] = {}
    if lines is None:
        if not sale.lines:
            only_packs = f"{sale.number} holds only coupon packs: {PACK_NOT_RETURNED}"
            raise TillRefusal(TillCode.NOTHING_TO_RETURN, only_packs)
        wanted = {line.line_id: line.left for line in sale.lines if line.left > 0}
        if not wanted:
            raise TillRefusal(
                TillCode.NOTHING_TO_RETURN, f"Everything on {sale.number} was already returned"
            )
    else:
        if not lines:
            raise TillRefusal(TillCode.NOTHING_TO_RETURN, "Choose the lines to return")
        for line_id, raw_qty in lines:
            line = sale.line(line_id) if isinstance(line_id, str) else None
            if line is None:
                raise TillRefusal(
                    TillCode.NOTHING_TO_RETURN, f"Ticket {sale.number} has no line {line_id!r}"
                )
            try:
                qty = parse_quantity(raw_qty)
            except QuantityError:
                raise TillRefusal(TillCode.INVALID_QUANTITY, QUANTITY_MESSAGE) from None
            qty += wanted.get(line.line_id, 0)
            if qty > line.left:
                raise TillRefusal(
                    TillCode.NOTHING_TO_RETURN,
                    f"{line.name}: {line.left} of {line.qty} left to return, not {qty}",
                )
            wanted[line.line_id] = qty
    currency = sale.currency
    planned = tuple(
        RefundedLinePlan(
            line,
            qty,
            returned_share(line.net, line.qty, line.returned, qty, currency),
            returned_share(line.tax, line.qty, line.returned, qty, currency),
        )
        for line in sale.lines
        if (qty := wanted.get(line.line_id, 0)) > 0
    )
    plan = RefundPlan(sale, str(method), planned, _restored(sale, wanted))
    if method == CARD:
        card_left = sale.paid_by.get(CARD, ZERO) - sale.refunded_by.get(CARD, ZERO)
        if not sale.paid_by.get(CARD):
            raise TillRefusal(
                TillCode.INVALID_METHOD, f"{sale.number} was not paid by card: refund in cash"
            )
        if plan.amount > card_left:
            fmt = currency.format
            raise TillRefusal(
                TillCode.INVALID_METHOD,
                f"{sale.number} was paid {fmt(sale.paid_by.get(CARD, ZERO))} by card:"
                f" at most {fmt(max(card_left, ZERO))} can go back to the card; refund in cash",
            )
    return plan


def _restored(sale: SaleForReturn, wanted: Mapping[str, int]) -> tuple[str, ...]:
    """The coupons this return gives back: every line they covered fully returned."""

    def all_back(line_ids: Sequence[str]) -> bool:
        lines = [sale.line(i) for i in line_ids] if line_ids else list(sale.lines)
        return all(
            line is not None and line.returned + wanted.get(line.line_id, 0) >= line.qty
            for line in lines
        )

    return tuple(
        code
        for code, covered in sorted(sale.coupons.items())
        if code not in sale.reversed_codes and all_back(covered)
    )


def write_refund(
    session: Session,
    plan: RefundPlan,
    *,
    refund_id: str,
    number: str,
    shift_id: int,
    now: datetime,
) -> None:
    """The return's rows and its coupons' reversals, in ``session``'s transaction."""
    session.add(
        Refund(
            refund_id=refund_id,
            ticket_id=plan.sale.ticket_id,
            shift_id=shift_id,
            number=number,
            method=plan.method,
            amount=plan.amount,
            tax=plan.tax,
            refunded_at=now,
        )
    )
    session.flush()
    session.add_all(
        RefundLine(
            refund_id=refund_id,
            line_id=line.line.line_id,
            qty=line.qty,
            amount=line.amount,
            tax=line.tax,
        )
        for line in plan.lines
    )
    session.add_all(
        CouponReversal(
            ticket_id=plan.sale.ticket_id, code=code, refund_id=refund_id, reversed_at=now
        )
        for code in plan.restored_codes
    )


def new_refund_id() -> str:
    return str(uuid.uuid4())


def refund_payload(
    plan: RefundPlan,
    *,
    refund_id: str,
    number: str,
    store_id: str,
    device_id: str,
    business_day: str,
    now: datetime,
) -> dict[str, Any]:
    """The ``ticket.refunded`` payload (docs/sync-protocol.md)."""
    fmt = plan.sale.currency.format
    return {
        "refund_id": refund_id,
        "number": number,
        "store_id": store_id,
        "device_id": device_id,
        "refund_of": plan.sale.ticket_id,
        "refund_of_number": plan.sale.number,
        "refunded_at": device_time_text(now),
        "business_day": business_day,
        "currency": plan.sale.currency.code,
        "method": plan.method,
        "amount": fmt(plan.amount),
        "tax": fmt(plan.tax),
        "tax_inclusive": plan.sale.tax_inclusive,
        "lines": [
            {
                "line_id": line.line.line_id,
                "sku": line.line.sku,
                "qty": line.qty,
                "amount": fmt(line.amount),
                "tax": fmt(line.tax),
                "tax_rate": rate_key(line.line.rate),
            }
            for line in plan.lines
        ],
        "restored_codes": list(plan.restored_codes),
    }
