"""Builders for engine tests: the scenarios' catalog, price books and tickets at a fixed time.

Promotions and coupons are written in the scenario JSON form (FORMAT.md) so a test
reads like a scenario; :func:`assert_refused` checks a refusal's code and that the
ticket was left exactly as it was.
"""

from __future__ import annotations

from collections.abc import Callable, Iterable, Mapping
from datetime import datetime
from decimal import Decimal
from typing import Any

from pos_app.engine import AddItem, PriceBook, PricedTicket, Refusal, RefusalCode, Ticket
from pos_app.engine.commands import TicketCommand

NOW = datetime(2026, 11, 21, 12, 0, 0)

# The catalog every public scenario uses (shared/scenarios/public/*.json).
STANDARD_CATALOG: list[dict[str, str]] = [
    {"sku": "BURGER", "name": "Burger", "price": "12.00", "category": "mains"},
    {"sku": "SALAD", "name": "Salad", "price": "8.00", "category": "mains"},
    {"sku": "FRIES", "name": "Fries", "price": "4.00", "category": "sides"},
    {"sku": "COLA", "name": "Cola", "price": "3.00", "category": "drinks"},
    {"sku": "LATTE", "name": "Latte", "price": "5.00", "category": "drinks"},
    {"sku": "CAKE", "name": "Cake", "price": "6.00", "category": "desserts"},
    {"sku": "WINE", "name": "Glass of wine", "price": "9.99", "category": "drinks"},
    {"sku": "TEA", "name": "Tea", "price": "1.05", "category": "drinks"},
]

LineSpec = tuple[str, str, int]


def D(text: str) -> Decimal:
    """A Decimal from its string form (never a float)."""
    return Decimal(text)


def promotion(
    pid: str, kind: str, *, sequence: int = 1, auto: bool = True, **fields: Any
) -> dict[str, Any]:
    """A promotion in scenario form: ``promotion("P1", "percent_off", percent="20")``."""
    return {"id": pid, "type": kind, "sequence": sequence, "auto_execute": auto, **fields}


def coupon(code: str, kind: str, *, sequence: int = 1, **fields: Any) -> dict[str, Any]:
    """A coupon in scenario form: ``coupon("CV", "cash_voucher", face_value="3.00")``."""
    return {"code": code, "kind": kind, "sequence": sequence, **fields}


class TillClock:
    """A settable till clock: a ticket calls it for "now"; tests move it on purpose."""

    def __init__(self, now: datetime = NOW) -> None:
        self.now = now

    def __call__(self) -> datetime:
        return self.now


def price_book(
    promotions: Iterable[Mapping[str, Any]] = (),
    coupons: Iterable[Mapping[str, Any]] = (),
    *,
    catalog: Iterable[Mapping[str, Any]] = STANDARD_CATALOG,
    currency: str = "USD",
) -> PriceBook:
    """A price book parsed from the scenario JSON form."""
    return PriceBook.parse(
        {
            "currency": currency,
            "catalog": [dict(x) for x in catalog],
            "promotions": [dict(x) for x in promotions],
            "coupons": [dict(x) for x in coupons],
        }
    )


def open_ticket(
    promotions: Iterable[Mapping[str, Any]] = (),
    coupons: Iterable[Mapping[str, Any]] = (),
    *,
    lines: Iterable[LineSpec] = (),
    catalog: Iterable[Mapping[str, Any]] = STANDARD_CATALOG,
    currency: str = "USD",
    clock: Callable[[], datetime] | None = None,
) -> Ticket:
    """A ticket at :data:`NOW` (or ``clock``) with ``lines`` rung up in order."""
    book = price_book(promotions, coupons, catalog=catalog, currency=currency)
    ticket = Ticket(book, clock or TillClock())
    for line_id, sku, qty in lines:
        ticket.apply(AddItem(line_id, sku, qty))
    return ticket


def nets(priced: PricedTicket) -> dict[str, Decimal]:
    """Every line's net, gift lines included, keyed by line id."""
    return {line.line_id: line.net for line in priced.lines}


def promotion_amounts(priced: PricedTicket) -> dict[str, Decimal]:
    """Promotions in effect with a non-zero amount (FORMAT.md: null = absent or 0)."""
    return {pid: amount for pid, amount in priced.promotions.items() if amount != 0}


def coupon_amounts(priced: PricedTicket) -> dict[str, Decimal]:
    """Every redeemed coupon's amount, a coupon worth 0 included."""
    return {code: outcome.amount for code, outcome in priced.coupons.items()}


def discount_amounts(priced: PricedTicket) -> dict[str, Decimal]:
    """Store discounts with a non-zero amount."""
    return {did: amount for did, amount in priced.discounts.items() if amount != 0}


def assert_refused(ticket: Ticket, command: TicketCommand, code: RefusalCode | str) -> Refusal:
    """Apply ``command``; it must be refused with ``code`` and leave state and prices as
    they were."""
    state_before, priced_before = ticket.state, ticket.priced
    try:
        ticket.apply(command)
    except Refusal as refusal:
        assert refusal.code == RefusalCode(code), f"refused {refusal.code}, expected {code}"
        assert ticket.state == state_before, "a refused action changed the ticket's state"
        assert ticket.priced == priced_before, "a refused action changed the ticket's prices"
        return refusal
    raise AssertionError(f"expected refusal {code}, but the action succeeded")
