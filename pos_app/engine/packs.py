"""Coupon packs on a ticket: a pack the till may sell (:class:`PackOffer`) and a pack
line rung up (:class:`PackLine`).

A pack line is exact money outside every pricing rule: the five stages of R4 price
the ticket's item lines only, so no promotion, local discount or coupon discounts a
pack line, and a pack line never counts toward a threshold (R5's spends, a coupon's
minimum spend, an order discount's base). It is added after the five stages at its
price, and the ticket's total is still the sum of its lines' nets (R3).
"""

from __future__ import annotations

from dataclasses import dataclass
from decimal import Decimal

PACK_LINE_KIND = "coupon_pack"


@dataclass(frozen=True)
class PackOffer:
    """A coupon pack the back office sells with an order: its id, name and price in the
    store's currency (COUPON-PACK-RULES K4). Whether this till may sell it now is the
    till's check (K12), not the engine's."""

    pack_id: str
    name: str
    price: Decimal


@dataclass(frozen=True)
class PackLine:
    """A pack rung up on a ticket: one pack, at the price it had when rung up, sold to
    the member ``member_id`` (a pack is sold to a member only, K12)."""

    line_id: str
    pack_id: str
    name: str
    price: Decimal
    member_id: str


def fixed_price_refusal_text(name: str) -> str:
    """Why a pack line takes no manual pricing, quantity change, discount or coupon."""
    return (
        f"{name} is a coupon pack: it is sold at its price, one per line, and takes no"
        " present, price change, discount, promotion or coupon"
    )
