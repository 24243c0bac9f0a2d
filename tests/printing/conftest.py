"""Fixtures for the printing tests: a real price book, a priced ticket and its receipt."""

from __future__ import annotations

from datetime import datetime
from decimal import Decimal

import pytest

from pos_app.engine import PriceBook, PricedTicket, Ticket
from pos_app.engine.commands import AddItem, AdjustPrice, ApplyDiscount, Close, Present, Redeem
from pos_app.printing import Payment, Receipt, StoreHeader

CLOSED_AT = datetime(2024, 5, 1, 14, 3)
LONG_NAME = "Triple chocolate fudge cake with salted caramel and whipped cream"

BOOK = {
    "currency": "USD",
    "catalog": [
        {"sku": "LATTE", "name": "Latte", "price": "5.00", "category": "drinks"},
        {"sku": "BURGER", "name": "Burger", "price": "12.00", "category": "mains"},
        {"sku": "CAKE", "name": LONG_NAME, "price": "6.00", "category": "desserts"},
        {"sku": "COLA", "name": "Cola", "price": "3.00", "category": "drinks"},
        {"sku": "TEA", "name": "Tea", "price": "1.05", "category": "drinks"},
    ],
    "promotions": [
        {
            "id": "P1",
            "type": "percent_off",
            "sequence": 1,
            "auto_execute": True,
            "percent": "20",
            "items": ["LATTE"],
        }
    ],
    "coupons": [{"code": "CV", "kind": "cash_voucher", "sequence": 1, "face_value": "3.00"}],
}

STORE = StoreHeader("Corner Cafe", ("1 High Street", "Springfield 12345"), "S01")


def clock() -> datetime:
    return CLOSED_AT


@pytest.fixture
def priced() -> PricedTicket:
    """Latte x2 under P1, a burger, a long-named cake with D1, a price-adjusted cola,
    a presented tea, and cash voucher CV over all of them."""
    ticket = Ticket(PriceBook.parse(BOOK), clock=clock)
    ticket.apply(AddItem("L1", "LATTE", 2))
    ticket.apply(AddItem("L2", "BURGER"))
    ticket.apply(AddItem("L3", "CAKE"))
    ticket.apply(AddItem("L4", "COLA"))
    ticket.apply(AddItem("L5", "TEA"))
    ticket.apply(AdjustPrice("L4", "2.50"))
    ticket.apply(Present("L5"))
    ticket.apply(ApplyDiscount("D1", percent="10", line_id="L3"))
    ticket.apply(Redeem("CV"))
    return ticket.apply(Close())


def make_receipt(priced: PricedTicket, *, ticket_id: str = "S01-D02-000123") -> Receipt:
    return Receipt.from_ticket(
        priced,
        ticket_id=ticket_id,
        store=STORE,
        device_id="D02",
        closed_at=CLOSED_AT,
        payments=[
            Payment.card(Decimal("10.00")),
            Payment.cash(priced.total - Decimal("10.00"), Decimal("20.00")),
        ],
        footer="Thank you for your visit!\nReturns within 30 days with this receipt",
    )


@pytest.fixture
def receipt(priced: PricedTicket) -> Receipt:
    """The fixture ticket's receipt, paid part by card and part in cash with change."""
    return make_receipt(priced)
