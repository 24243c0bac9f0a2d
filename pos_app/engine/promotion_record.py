"""What stage 3 of R4 leaves for the next recalculation of a ticket, and what it is given.

:class:`PromotionRecord` is the stage's result kept with the priced ticket: each line's
input and claims, each promotion's outcome (:class:`LineEffect`) and each line's
adjustments (:class:`LineResult`). :mod:`pos_app.engine.promotion_stage` works the stage
out in full or again from such a record.
"""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from dataclasses import dataclass
from datetime import datetime
from decimal import Decimal
from typing import NamedTuple

from pos_app.engine.catalog import Item
from pos_app.engine.coupons import CouponDefinition
from pos_app.engine.price_book import PriceBook
from pos_app.engine.priced_ticket import Adjustment
from pos_app.engine.promotions import Gift
from pos_app.engine.ticket_state import LineState, Redemption

# What the stage sees of a line: its SKU, its units' value after manual pricing, its first
# unit free for promotions, how many are free, and the promotions it admits (None: any).
LineInput = tuple[str, Decimal, int, int, frozenset[str] | None]
Claims = tuple[tuple[int, int], ...]  # (rank of a promotion, units it claims), by rank


@dataclass(frozen=True)
class LineEffect:
    """A promotion's outcome by line id: units claimed, the discount on each line as its
    stage-3 adjustment (in ticket order), the whole discount, and any gift."""

    claimed: Mapping[str, int]
    adjustments: Mapping[str, Adjustment]
    amount: Decimal
    gift: Gift | None = None


class LineResult(NamedTuple):
    """What stage 3 did to one line: its adjustments (in execution order), their sum, and
    the promotions holding any of its units (R5)."""

    adjustments: tuple[Adjustment, ...]
    minor: int  # their sum in the currency's minor units
    claiming: tuple[str, ...]


NO_EFFECT = LineResult((), 0, ())


@dataclass(frozen=True, eq=False)
class PromotionRecord:
    """What stage 3 did on a ticket: under which book, validity and triggers; its lines
    (ids and inputs in ticket order, their places by SKU and category) and their claims;
    each promotion's outcome (by rank). Immutable: a refused action that recalculated
    leaves the ticket's record as it was."""

    book: PriceBook
    valid: tuple[bool, ...]
    triggered: frozenset[str]
    cancelled: frozenset[str]
    line_ids: tuple[str, ...]
    skus: tuple[str, ...]
    inputs: tuple[LineInput, ...]
    claims: Mapping[str, Claims]
    effects: Mapping[int, LineEffect]
    results: Mapping[str, LineResult]
    lines_by_sku: Mapping[str, tuple[int, ...]]
    lines_by_category: Mapping[str, tuple[int, ...]]

    def kept_lines(self, line_ids: tuple[str, ...], skus: tuple[str, ...]) -> int | None:
        """How many lines it has, when they are the first of ``line_ids`` (of ``skus``) in
        the same places (lines were added or changed in place since); else None."""
        count = len(self.line_ids)
        if line_ids[:count] != self.line_ids or skus[:count] != self.skus:
            return None
        return count


@dataclass(frozen=True)
class StageInput:
    """The ticket as stages 1 and 2 left it, for stage 3."""

    book: PriceBook
    now: datetime
    lines: Sequence[LineState]
    line_ids: tuple[str, ...]
    position: Mapping[str, int]  # line id -> its place in ``lines``
    items: Sequence[Item]
    unit_values: Sequence[Decimal]  # per line: a unit's price after manual pricing
    covered: Sequence[int]  # per line: units group purchases cover (R7)
    coupon_claims: Mapping[int, Sequence[tuple[Redemption, CouponDefinition]]]  # by place
    triggered: frozenset[str]
    cancelled: frozenset[str]
    same: Sequence[bool] = ()  # per line: priced as for the last record, so its input too
