"""The recalculated ticket: per-line nets with every adjustment explained (R3, R13)."""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass, field
from decimal import Decimal
from typing import TYPE_CHECKING

from pos_app.engine.money import Currency

if TYPE_CHECKING:
    from pos_app.engine.line_adjustments import RecalculationMemo


@dataclass(frozen=True)
class Adjustment:
    """One change to a line's price: stage (R4), kind, source id, rule and amount.

    A positive amount lowers the line's net; a price raised by adjustment is negative.
    """

    stage: int
    kind: str
    source: str
    rule: str
    amount: Decimal
    note: str = ""

    def to_json(self, currency: Currency) -> dict[str, object]:
        """The adjustment as the explain output, the receipt and the sync payload carry
        it: stage, kind, source, rule and the amount as a decimal string (R13)."""
        return {
            "stage": self.stage,
            "kind": self.kind,
            "source": self.source,
            "rule": self.rule,
            "amount": currency.format(self.amount),
        }


@dataclass(frozen=True)
class PricedLine:
    """A line as priced: gross = unit price × qty, net = gross − adjustments, never < 0."""

    line_id: str
    sku: str
    name: str
    qty: int
    unit_price: Decimal
    gross: Decimal
    net: Decimal
    adjustments: tuple[Adjustment, ...]
    is_gift: bool = False
    presented: bool = False
    adjusted_price: Decimal | None = None
    coupon_codes: tuple[str, ...] = ()  # non-custom coupons that claim the line (R6)
    claiming_promotions: tuple[str, ...] = ()  # promotions holding any of its units (R5)
    pack_id: str | None = None  # a coupon pack sold on the ticket (no sku, no adjustment)

    @classmethod
    def of_item(
        cls,
        line_id: str,
        sku: str,
        name: str,
        qty: int,
        unit_price: Decimal,
        net: Decimal,
        adjustments: tuple[Adjustment, ...],
        presented: bool,
        adjusted_price: Decimal | None,
        coupon_codes: tuple[str, ...],
        claiming_promotions: tuple[str, ...],
    ) -> PricedLine:
        """An item line as the recalculation makes it, up to 1,000 a step: the same line
        the constructor makes (gross = unit price x qty), without the frozen dataclass's
        one ``object.__setattr__`` per field, which costs four times as much."""
        line = object.__new__(cls)
        line.__dict__.update(
            line_id=line_id,
            sku=sku,
            name=name,
            qty=qty,
            unit_price=unit_price,
            gross=unit_price * qty,
            net=net,
            adjustments=adjustments,
            is_gift=False,
            presented=presented,
            adjusted_price=adjusted_price,
            coupon_codes=coupon_codes,
            claiming_promotions=claiming_promotions,
            pack_id=None,
        )
        return line

    @property
    def is_pack(self) -> bool:
        return self.pack_id is not None

    @property
    def promotion_ids(self) -> tuple[str, ...]:
        """Promotions that discount this line (stage 3 adjustments)."""
        return tuple(a.source for a in self.adjustments if a.stage == 3)

    @property
    def badges(self) -> tuple[str, ...]:
        """Short labels for the screen and receipt: presented, adjusted, promotion, ..."""
        found: list[str] = []
        for adjustment in self.adjustments:
            label = adjustment.kind.split(":")[0]
            if label not in found:
                found.append(label)
        return tuple(found)


@dataclass(frozen=True)
class CouponOutcome:
    """A redeemed coupon's amount and the lines it deducted from."""

    code: str
    kind: str
    amount: Decimal
    line_ids: tuple[str, ...]
    min_spend_met: bool = True


@dataclass(frozen=True)
class PricedTicket:
    """A ticket's prices after the five stages. ``total`` is the sum of line nets (R3)."""

    currency: Currency
    lines: tuple[PricedLine, ...]
    promotions: Mapping[str, Decimal]
    coupons: Mapping[str, CouponOutcome]
    discounts: Mapping[str, Decimal]
    total: Decimal
    closed: bool = False
    not_applied: Mapping[str, str] = field(default_factory=dict)
    # What the recalculation leaves for the next one of this ticket (not part of its value).
    memo: RecalculationMemo | None = field(default=None, compare=False, repr=False)

    @property
    def can_close(self) -> bool:
        """False while a redeemed coupon is worth 0 (§5.2, §7)."""
        return all(c.amount > 0 for c in self.coupons.values())

    @property
    def gross(self) -> Decimal:
        return sum((line.gross for line in self.lines), Decimal(0))

    @property
    def savings(self) -> Decimal:
        return self.gross - self.total

    def line(self, line_id: str) -> PricedLine | None:
        for line in self.lines:
            if line.line_id == line_id:
                return line
        return None

    @property
    def item_lines(self) -> tuple[PricedLine, ...]:
        """The lines of items (gifts included): what the pricing rules work on."""
        return tuple(line for line in self.lines if line.pack_id is None)

    @property
    def pack_lines(self) -> tuple[PricedLine, ...]:
        """The coupon packs sold on the ticket, each at its price."""
        return tuple(line for line in self.lines if line.pack_id is not None)

    def coupon_amounts(self) -> dict[str, Decimal]:
        return {code: outcome.amount for code, outcome in self.coupons.items()}
