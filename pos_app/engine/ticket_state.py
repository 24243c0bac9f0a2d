"""What the cashier did to a ticket: lines, manual pricing, discounts, coupons, triggers.

This is the ticket's *intent*. Prices are never stored here: they are recomputed
from it by :func:`pos_app.engine.recalculation.recalculate` after every action (R4).
It is plain immutable data, so the till can persist it and restore it after a crash.
"""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass, field
from decimal import Decimal

from pos_app.engine.packs import PackLine

GIFT_LINE_PREFIX = "gift:"


@dataclass(frozen=True)
class LineState:
    """A line as rung up: the catalog unit price is captured when the item is added."""

    line_id: str
    sku: str
    qty: int
    unit_price: Decimal
    presented: bool = False
    adjusted_price: Decimal | None = None


@dataclass(frozen=True)
class StoreDiscount:
    """A store discount: a percent or an amount, on one line or (line_id None) the order."""

    discount_id: str
    percent: Decimal | None = None
    amount: Decimal | None = None
    line_id: str | None = None


@dataclass(frozen=True)
class Redemption:
    """A redeemed coupon with applicable items, with the lines of those items on the
    ticket at that moment (R6: later lines are not covered) and, per line, the
    promotions that were already on it then (R8). The lines are claimed for stacking
    unless the coupon is custom (R11)."""

    code: str
    claimed_lines: tuple[str, ...] = ()
    promotions_before: Mapping[str, frozenset[str]] = field(default_factory=dict)


@dataclass(frozen=True)
class TicketState:
    """The whole of a ticket's intent; every action makes a new one. ``packs`` are the
    coupon packs sold on it, lines of their own that no pricing rule sees."""

    lines: tuple[LineState, ...] = ()
    discounts: tuple[StoreDiscount, ...] = ()
    redemptions: tuple[Redemption, ...] = ()
    triggered: tuple[str, ...] = ()
    cancelled: tuple[str, ...] = ()
    closed: bool = False
    packs: tuple[PackLine, ...] = ()

    def line(self, line_id: str) -> LineState | None:
        for line in self.lines:
            if line.line_id == line_id:
                return line
        return None

    def pack_line(self, line_id: str) -> PackLine | None:
        for pack in self.packs:
            if pack.line_id == line_id:
                return pack
        return None

    @property
    def is_empty(self) -> bool:
        """Nothing rung up: no item line and no pack line."""
        return not self.lines and not self.packs

    def redemption(self, code: str) -> Redemption | None:
        for redemption in self.redemptions:
            if redemption.code == code:
                return redemption
        return None

    def discount(self, discount_id: str) -> StoreDiscount | None:
        for discount in self.discounts:
            if discount.discount_id == discount_id:
                return discount
        return None
