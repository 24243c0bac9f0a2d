"""Exact money: currencies, half-up rounding (R1) and largest-remainder allocation (R2).

Amounts are :class:`decimal.Decimal` in the currency's unit, quantized to its
minor unit. No float ever touches a price.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass
from decimal import ROUND_HALF_UP, Decimal, InvalidOperation
from functools import cached_property

ZERO = Decimal(0)
HUNDRED = Decimal(100)

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

    def format(self, amount: Decimal) -> str:
        """The amount as a plain decimal string with the currency's places: ``"17.00"``."""
        return str(self.round(amount))

    def to_minor(self, amount: Decimal) -> int:
        """The amount in whole minor units, rounded half-up first if it has more places."""
        return int(amount.scaleb(self.exponent).to_integral_value(rounding=ROUND_HALF_UP))

    def from_minor(self, units: int) -> Decimal:
        """Whole minor units back to an amount."""
        return Decimal(units).scaleb(-self.exponent) if units else self.zero

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
    """Largest-remainder split of an integer ``total`` over positive integer ``weights``."""
    weight_sum = sum(weights)
    if weight_sum <= 0:
        raise ValueError("weights must add up to more than zero")
    parts: list[int] = []
    remainders: list[tuple[int, int]] = []
    for index, weight in enumerate(weights):
        share, remainder = divmod(total * weight, weight_sum)
        parts.append(share)
        remainders.append((-remainder, index))
    left = total - sum(parts)
    for _, index in sorted(remainders)[:left]:
        parts[index] += 1
    return parts


def parse_decimal(raw: object) -> Decimal:
    """A finite Decimal from a string, int or Decimal; floats and booleans are refused."""
    if isinstance(raw, bool | float):
        raise AmountError(f"{raw!r} is not a decimal string")
    if isinstance(raw, Decimal):
        value = raw
    elif isinstance(raw, int):
        value = Decimal(raw)
    elif isinstance(raw, str):
        try:
            value = Decimal(raw.strip())
        except InvalidOperation:
            raise AmountError(f"{raw!r} is not a number") from None
    else:
        raise AmountError(f"{raw!r} is not a number")
    if not value.is_finite():
        raise AmountError(f"{raw!r} is not a finite number")
    return value


def parse_amount(raw: object) -> Decimal:
    """A non-negative amount of money."""
    value = parse_decimal(raw)
    if value < 0:
        raise AmountError(f"{raw!r} is negative")
    return value


def parse_percent(raw: object) -> Decimal:
    """A percentage from 0 to 100 inclusive."""
    value = parse_decimal(raw)
    if value < 0 or value > HUNDRED:
        raise AmountError(f"{raw!r} is outside 0-100")
    return value
