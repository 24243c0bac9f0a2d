"""Taxes on a ticket, from the line nets the engine gives (after every discount).

One rounding, used by the till's screen, its receipts and reports, the sync payload
and the back office (docs/sync-protocol.md, "Taxes"):

- Lines are grouped by their item's tax rate (a percent); a rate's *base* is the sum of
  its lines' nets, exactly.
- A tax-exclusive store adds tax: a rate's tax is ``base × rate / 100``; a
  tax-inclusive store's prices hold it: ``base × rate / (100 + rate)``. Either is
  rounded half-up to the currency's minor unit once per rate per ticket.
- A rate's tax is spread over its lines pro rata to their nets by largest remainder
  (the engine's R2), so the lines' taxes add up to the rate's exactly.
- What the customer pays is the nets plus the tax (exclusive) or the nets (inclusive):
  in both cases the nets without tax plus the tax equal the amount paid.

A return takes back the same share of a line's net and tax as of its units
(:func:`returned_share`), so returning every unit gives back exactly what was paid.
"""

from __future__ import annotations

from collections.abc import Iterable, Mapping
from dataclasses import dataclass, field
from decimal import ROUND_HALF_UP, Decimal

from pos_app.engine import Currency
from pos_app.engine.bounds import DecimalTextError, plain_decimal

ZERO = Decimal(0)
HUNDRED = Decimal(100)
MAX_RATE_PLACES = 3
TAX_RATE_RULE = "a percent from 0 to 100 with at most 3 decimal places, as a string such as '20'"


class TaxRateError(ValueError):
    """A tax rate that is not a percent from 0 to 100 (as a decimal string)."""


def parse_tax_rate(raw: object) -> Decimal:
    """A tax rate from its record form (a decimal string such as ``"20"`` or ``"5.5"``)."""
    if not isinstance(raw, str):
        raise TaxRateError(f"must be {TAX_RATE_RULE}")
    try:
        rate = plain_decimal(raw)
    except DecimalTextError as exc:
        raise TaxRateError(f"must be {TAX_RATE_RULE}; it {exc}") from None
    exponent = rate.as_tuple().exponent
    if (
        not rate.is_finite()
        or rate < 0
        or rate > HUNDRED
        or (isinstance(exponent, int) and exponent < -MAX_RATE_PLACES)
    ):
        raise TaxRateError(f"must be {TAX_RATE_RULE}")
    return Decimal(rate_key(rate))


def rate_key(rate: Decimal) -> str:
    """A rate as a key of reports and payloads: ``"20"``, ``"5.5"``, ``"0"``."""
    text = format(rate.normalize(), "f")
    return text if "." not in text else text.rstrip("0").rstrip(".")


def rate_label(rate: Decimal) -> str:
    """A rate as people read it: ``"20%"``."""
    return f"{rate_key(rate)}%"


def _round(amount: Decimal, currency: Currency) -> Decimal:
    return amount.quantize(currency.quantum, rounding=ROUND_HALF_UP)


def rate_tax(base: Decimal, rate: Decimal, currency: Currency, *, inclusive: bool) -> Decimal:
    """The tax of ``base`` at ``rate`` percent, rounded half-up once."""
    if not base or not rate:
        return _round(ZERO, currency)
    divisor = HUNDRED + rate if inclusive else HUNDRED
    return _round(base * rate / divisor, currency)


@dataclass(frozen=True)
class RateTax:
    """One rate's part of a ticket: the nets at that rate (``base``) and its tax."""

    rate: Decimal
    base: Decimal
    tax: Decimal
    inclusive: bool

    @property
    def net_of_tax(self) -> Decimal:
        """The base without tax."""
        return self.base - self.tax if self.inclusive else self.base

    @property
    def paid(self) -> Decimal:
        """What the customer pays for this rate's lines."""
        return self.base if self.inclusive else self.base + self.tax


@dataclass(frozen=True)
class TicketTaxes:
    """A ticket's taxes: per rate (in rate order) and per line (line id → tax)."""

    inclusive: bool
    rates: tuple[RateTax, ...] = ()
    lines: Mapping[str, Decimal] = field(default_factory=dict)
    line_rates: Mapping[str, Decimal] = field(default_factory=dict)

    @property
    def total(self) -> Decimal:
        return sum((r.tax for r in self.rates), ZERO)

    def amount_due(self, nets: Decimal) -> Decimal:
        """What a ticket whose nets add up to ``nets`` costs the customer."""
        return nets if self.inclusive else nets + self.total

    def by_rate(self) -> dict[str, RateTax]:
        return {rate_key(r.rate): r for r in self.rates}


def compute_taxes(
    lines: Iterable[tuple[str, Decimal, Decimal]], currency: Currency, *, inclusive: bool
) -> TicketTaxes:
    """The taxes of lines given as ``(line_id, net, rate)`` (see the module's rounding)."""
    by_rate: dict[Decimal, list[tuple[str, Decimal]]] = {}
    line_rates: dict[str, Decimal] = {}
    for line_id, net, rate in lines:
        by_rate.setdefault(rate, []).append((line_id, net))
        line_rates[line_id] = rate
    rates: list[RateTax] = []
    per_line: dict[str, Decimal] = {}
    for rate in sorted(by_rate):
        members = by_rate[rate]
        base = sum((net for _, net in members), ZERO)
        tax = rate_tax(base, rate, currency, inclusive=inclusive)
        shares = currency.allocate(tax, [net for _, net in members])
        for (line_id, _), share in zip(members, shares, strict=True):
            per_line[line_id] = share
        rates.append(RateTax(rate, base, tax, inclusive))
    return TicketTaxes(inclusive, tuple(rates), per_line, line_rates)


def returned_share(
    amount: Decimal, qty: int, returned_before: int, returning: int, currency: Currency
) -> Decimal:
    """The part of a line's ``amount`` (its net or its tax, over ``qty`` units) that
    ``returning`` more units take back when ``returned_before`` were returned already:
    the cumulative share rounded half-up, less what earlier returns took. Returning
    every unit gives back ``amount`` exactly."""
    if qty <= 0 or returning <= 0:
        return ZERO
    after = returned_before + returning
    taken_before = _round(amount * returned_before / qty, currency)
    taken_after = amount if after >= qty else _round(amount * after / qty, currency)
    return taken_after - taken_before
