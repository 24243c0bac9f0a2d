"""Exact money: currencies, half-up rounding (R1) and largest-remainder allocation (R2).

Amounts are :class:`decimal.Decimal` in the currency's unit, quantized to its
minor unit. No float ever touches a price.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass
from decimal import ROUND_DOWN, ROUND_HALF_UP, Decimal
from functools import cached_property

from pos_app.engine.bounds import (
    MAX_AMOUNT,
    MAX_PERCENT,
    PERCENT_RULE,
    DecimalTextError,
    amount_rule,
    plain_decimal,
)

ZERO = Decimal(0)
HUNDRED = Decimal(100)
_KEPT_AMOUNTS = 100_000

# ISO 4217 minor units that differ from the usual two places.
_EXPONENTS: dict[str, int] = {
    "BIF": 0,
    "CLP": 0,
    "DJF": 0,
    "GNF": 0,
    "ISK": 0,
    "JPY": 0,
    "KMF": 0,
    "KRW": 0,
    "PYG": 0,
    "RWF": 0,
    "UGX": 0,
    "UYI": 0,
    "VND": 0,
    "VUV": 0,
    "XAF": 0,
    "XOF": 0,
    "XPF": 0,
    "BHD": 3,
    "IQD": 3,
    "JOD": 3,
    "KWD": 3,
    "LYD": 3,
    "OMR": 3,
    "TND": 3,
}


class AmountError(ValueError):
    """A value that should be an amount of money or a percentage is not one."""


@dataclass(frozen=True)
class Currency:
    """A currency and its minor unit; rounds and formats amounts in it."""

    code: str
    exponent: int = 2

    @classmethod
    def of(cls, code: str) -> Currency:
        """The currency for an ISO 4217 code (two decimal places unless ISO says otherwise)."""
        upper = code.upper()
        return cls(upper, _EXPONENTS.get(upper, 2))

    @cached_property
    def quantum(self) -> Decimal:
        """The minor unit as a Decimal: 0.01 for USD, 1 for JPY."""
        return Decimal(1).scaleb(-self.exponent)

    @cached_property
    def zero(self) -> Decimal:
        """Zero with the currency's places: ``0.00``."""
        return Decimal(0).quantize(self.quantum)

    def round(self, amount: Decimal) -> Decimal:
        """Round half-up to the minor unit (R1)."""
        return amount.quantize(self.quantum, rounding=ROUND_HALF_UP)

    @cached_property
    def _formatted(self) -> dict[Decimal, str]:
        """Amounts already formatted (equal amounts format alike, whatever their places);
        bounded by :data:`_KEPT_AMOUNTS`."""
        return {}

    def format(self, amount: Decimal) -> str:
        """The amount as a plain decimal string with the currency's places: ``"17.00"``."""
        if amount.is_signed():  # -0 equals 0: only amounts of one sign share the table
            return str(self.round(amount))
        kept = self._formatted
        text = kept.get(amount)
        if text is None:
            if len(kept) >= _KEPT_AMOUNTS:
                kept.clear()
            text = kept[amount] = str(self.round(amount))
        return text

    @cached_property
    def _scale(self) -> Decimal:
        return Decimal(10) ** self.exponent

    @cached_property
    def _amounts(self) -> dict[int, Decimal]:
        """Amounts already made from minor units (a recalculation makes the same ones
        again and again); bounded by :data:`_KEPT_AMOUNTS`."""
        return {}

    def to_minor(self, amount: Decimal) -> int:
        """The amount in whole minor units, rounded half-up first if it has more places."""
        scaled = amount * self._scale
        units = int(scaled)
        if units == scaled:  # the usual case: no more places than the currency's
            return units
        return int(scaled.to_integral_value(rounding=ROUND_HALF_UP))

    def from_minor(self, units: int) -> Decimal:
        """Whole minor units back to an amount (with the currency's places)."""
        kept = self._amounts
        amount = kept.get(units)
        if amount is None:
            if len(kept) >= _KEPT_AMOUNTS:
                kept.clear()
            amount = kept[units] = Decimal(units).scaleb(-self.exponent) if units else self.zero
        return amount

    def percent_of(self, percent: Decimal, amount: Decimal) -> Decimal:
        """``percent`` % of ``amount``, rounded half-up once (R1)."""
        return self.round(amount * percent / HUNDRED)

    def allocate(self, total: Decimal, weights: Sequence[Decimal]) -> list[Decimal]:
        """Split ``total`` over ``weights`` pro rata by largest remainder (R2).

        The parts always add up to ``total`` exactly; equal remainders go to the
        earlier weight. With all weights zero the total is spread evenly.
        """
        if not weights:
            return []
        minor_total = self.to_minor(total)
        minor_weights = [self.to_minor(w) for w in weights]
        if sum(minor_weights) <= 0:
            minor_weights = [1] * len(weights)
        return [self.from_minor(part) for part in allocate_minor(minor_total, minor_weights)]


def allocate_minor(total: int, weights: Sequence[int]) -> list[int]:
    """Largest-remainder split of an integer ``total`` over positive integer ``weights``:
    each weight's floor share, then one more unit to each of the largest remainders, the
    earlier weight first among equal ones."""
    weight_sum = sum(weights)
    if weight_sum <= 0:
        raise ValueError("weights must add up to more than zero")
    scaled = [total * weight for weight in weights]
    parts = [share // weight_sum for share in scaled]
    left = total - sum(parts)
    if left > 0:
        remainders = [share % weight_sum for share in scaled]
        # a stable sort, descending: equal remainders keep the earlier weight first
        for index in sorted(range(len(parts)), key=remainders.__getitem__, reverse=True)[:left]:
            parts[index] += 1
    return parts


def spread_minor(total: int, weights: list[int]) -> list[int]:
    """``total`` minor units over ``weights`` by R2 (all weights zero: evenly; no weights:
    nothing)."""
    if not weights:
        return []
    return allocate_minor(total, weights if sum(weights) > 0 else [1] * len(weights))


def parse_amount(raw: object, places: int | None = None) -> Decimal:
    """An amount of money from 0 to 999,999,999,999.99, as a plain decimal string
    (:func:`pos_app.engine.bounds.plain_decimal`); with ``places``, no more decimal places
    than that (trailing zeros aside). Raises :class:`AmountError` saying what it must be."""
    rule = amount_rule(places if places is not None else 2)
    try:
        value = plain_decimal(raw)
    except DecimalTextError as exc:
        raise AmountError(f"must be {rule}, {_how(exc)}") from None
    if value > MAX_AMOUNT:
        raise AmountError(f"must be {rule}")
    if places is not None and value != value.quantize(Decimal(1).scaleb(-places), ROUND_DOWN):
        raise AmountError(f"must be {rule}")
    return value


def parse_percent(raw: object) -> Decimal:
    """A percentage from 0 to 100 inclusive, as a plain decimal string."""
    try:
        value = plain_decimal(raw)
    except DecimalTextError as exc:
        raise AmountError(f"must be {PERCENT_RULE}, {_how(exc)}") from None
    if value > MAX_PERCENT:
        raise AmountError(f"must be {PERCENT_RULE}")
    return value


def _how(error: DecimalTextError) -> str:
    """The reading's complaint after the rule: "written plainly, like 12.50 (...)"."""
    text = str(error)
    return text.removeprefix("must be ")
