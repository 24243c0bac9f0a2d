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

from collections.abc import Mapping, Sequence
from dataclasses import dataclass
from datetime import datetime
from decimal import Decimal

from pos_app.engine.bounds import QUANTITY_MESSAGE, QuantityError, parse_quantity
from pos_app.protocol.payloads import RefundedLine, TicketRefunded, wire_instant
from pos_app.protocol.taxes import rate_key, returned_share
from pos_app.store.refund_records import ReturnableLine, ReturnedLine, SaleForReturn
from pos_app.store.shift_records import NumberReused
from pos_app.till.errors import TillCode, TillRefusal
from pos_app.till.payments import CARD, Method, as_method

ZERO = Decimal(0)

__all__ = [
    "PACK_NOT_RETURNED",
    "RefundPlan",
    "RefundedLinePlan",
    "ReturnableLine",
    "SaleForReturn",
    "plan_refund",
    "refund_payload",
    "returned_lines",
    "unknown_sale",
]


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
    method: Method
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


def unknown_sale(number: object) -> TillRefusal:
    """The refusal of a number no closed sale of this till has."""
    if not isinstance(number, str) or not number.strip():
        return TillRefusal(TillCode.UNKNOWN_TICKET, "Type or scan the number of the ticket")
    return TillRefusal(
        TillCode.UNKNOWN_TICKET, f"No closed sale numbered {number.strip()} at this till"
    )


def number_needs_day(reused: NumberReused) -> TillRefusal:
    """The refusal of a number more than one day gave (before numbers ran for the
    till's whole life): the days that hold it, and how to name one."""
    days = reused.days
    listed = ", ".join(days[:-1]) + f" and {days[-1]}" if len(days) > 1 else days[0]
    return TillRefusal(
        TillCode.NUMBER_NEEDS_DAY,
        f"Ticket {reused.number} was given on {listed}, before numbers ran for the till's"
        f" whole life: type the number with its business day, e.g. {reused.number} {days[-1]}",
    )


# Why a coupon pack is not in a return of lines: a manager refunds a pack whole, when none
# of its coupons was used (pos_app.till.pack_returns).
PACK_NOT_RETURNED = "a coupon pack is refunded whole by a manager (Refund pack)"


def plan_refund(
    sale: SaleForReturn, method: object, lines: Sequence[tuple[str, object]] | None
) -> RefundPlan:
    """Check a return of ``lines`` ((line id, quantity); None: everything left) by
    ``method`` and compute what it gives back; a refusal names what is wrong."""
    paid_back = as_method(method)
    if paid_back is None:
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
    plan = RefundPlan(sale, paid_back, planned, _restored(sale, wanted))
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


def returned_lines(plan: RefundPlan) -> list[ReturnedLine]:
    """The units each line of the plan takes back, as the return is stored."""
    return [ReturnedLine(p.line.line_id, p.qty, p.amount, p.tax) for p in plan.lines]


def refund_payload(
    plan: RefundPlan,
    *,
    refund_id: str,
    number: str,
    store_id: str,
    device_id: str,
    business_day: str,
    now: datetime,
) -> TicketRefunded:
    """The ``ticket.refunded`` payload (docs/sync-protocol.md)."""
    fmt = plan.sale.currency.format
    return TicketRefunded(
        refund_id=refund_id,
        number=number,
        store_id=store_id,
        device_id=device_id,
        refund_of=plan.sale.ticket_id,
        refund_of_number=plan.sale.number,
        refunded_at=wire_instant(now),
        business_day=business_day,
        currency=plan.sale.currency.code,
        method=plan.method,
        amount=fmt(plan.amount),
        tax=fmt(plan.tax),
        tax_inclusive=plan.sale.tax_inclusive,
        lines=[
            RefundedLine(
                line_id=line.line.line_id,
                sku=line.line.sku,
                qty=line.qty,
                amount=fmt(line.amount),
                tax=fmt(line.tax),
                tax_rate=rate_key(line.line.rate),
            )
            for line in plan.lines
        ],
        restored_codes=list(plan.restored_codes),
    )
