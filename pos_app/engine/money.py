"""Exact money: currencies, half-up rounding (R1) and largest-remainder allocation (R2).

Amounts are :class:`decimal.Decimal` in the currency's unit, quantized to its
minor unit. No float ever touches a price.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass
from decimal import ROUND_DOWN, ROUND_HALF_UP, Decimal, InvalidOperation
from functools import cached_property

from pos_app.engine.bounds import MAX_AMOUNT, MAX_PERCENT, PERCENT_RULE, amount_rule

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

    def allocate_units(self, total: Decimal, runs: Sequence[tuple[Decimal, int]]) -> list[Decimal]:
        """Split ``total`` over units by R2, the units given as runs of ``(value, count)``
        side by side; returns each run's share. The same shares as :meth:`allocate` over
        every unit one by one, summed per run, at a cost that ignores the counts."""
        if not runs:
            return []
        minor_runs = [(self.to_minor(value), count) for value, count in runs]
        if sum(w * c for w, c in minor_runs) <= 0:
            minor_runs = [(1, count) for _, count in minor_runs]
        parts = allocate_minor_runs(self.to_minor(total), minor_runs)
        return [self.from_minor(part) for part in parts]


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


def allocate_minor_runs(total: int, runs: Sequence[tuple[int, int]]) -> list[int]:
    """Largest remainder over units given as runs of ``(weight, count)``: what
    :func:`allocate_minor` gives each unit, summed per run. Units of one run share
    their remainder, so the leftover goes run by run, earlier runs first on ties."""
    weight_sum = sum(weight * count for weight, count in runs)
    if weight_sum <= 0:
        raise ValueError("weights must add up to more than zero")
    parts: list[int] = []
    remainders: list[tuple[int, int]] = []
    for index, (weight, count) in enumerate(runs):
        share, remainder = divmod(total * weight, weight_sum)
        parts.append(share * count)
        remainders.append((-remainder, index))
    left = total - sum(parts)
    for _, index in sorted(remainders):
        if left <= 0:
            break
        extra = min(left, runs[index][1])
        parts[index] += extra
        left -= extra
    return parts


def parse_decimal(raw: object) -> Decimal:
    """A finite Decimal from a string, int or Decimal; floats and booleans are refused."""
    if isinstance(raw, bool | float):
        raise AmountError(f"must be a decimal string, not {type(raw).__name__}")
    if isinstance(raw, Decimal):
        value = raw
    elif isinstance(raw, int):
        value = Decimal(raw)
    elif isinstance(raw, str):
        try:
            value = Decimal(raw.strip())
        except InvalidOperation:
            raise AmountError("must be a number") from None
    else:
        raise AmountError("must be a number")
    if not value.is_finite():
        raise AmountError("must be a finite number")
    return value


def parse_amount(raw: object, places: int | None = None) -> Decimal:
    """An amount of money from 0 to 999,999,999,999.99; with ``places``, no more
    decimal places than that (trailing zeros aside). Raises :class:`AmountError`."""
    rule = amount_rule(places if places is not None else 2)
    try:
        value = parse_decimal(raw)
    except AmountError:
        raise AmountError(f"must be {rule}") from None
    if value < 0 or value > MAX_AMOUNT:
        raise AmountError(f"must be {rule}")
    if places is not None and value != value.quantize(Decimal(1).scaleb(-places), ROUND_DOWN):
        raise AmountError(f"must be {rule}")
    return value


def parse_percent(raw: object) -> Decimal:
    """A percentage from 0 to 100 inclusive."""
    try:
        value = parse_decimal(raw)
    except AmountError:
        raise AmountError(f"must be {PERCENT_RULE}") from None
    if value < 0 or value > MAX_PERCENT:
        raise AmountError(f"must be {PERCENT_RULE}")
    return value
