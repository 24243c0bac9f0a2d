"""A test oracle: every promotion type worked out one unit at a time.

This is the engine's first, unit-by-unit implementation of stage 3, kept to check
that the run-based one (:mod:`pos_app.engine.promotion_effects`) gives the same
claims and amounts whatever the quantities.
"""

from __future__ import annotations

from collections import defaultdict
from collections.abc import Callable, Sequence
from dataclasses import dataclass
from decimal import Decimal
from typing import NamedTuple

from pos_app.engine.money import ZERO, Currency
from pos_app.engine.promotions import (
    AddOn,
    AmountOff,
    BuyGet,
    Combo,
    Gift,
    NthItem,
    PercentOff,
    Promotion,
    SpecialPrice,
)


class Unit(NamedTuple):
    """One unit of a line: its current value, its line's index and its place in the line."""

    value: Decimal
    line: int
    position: int


@dataclass(frozen=True)
class UnitOutcome:
    """The units a promotion claimed, the discount it gives per line, and any gift."""

    claimed: tuple[Unit, ...]
    line_amounts: dict[int, Decimal]
    gift: Gift | None = None


UnitEffect = UnitOutcome | str
_NO_ITEMS = "no eligible item on the ticket"


def dearest_first(units: Sequence[Unit]) -> list[Unit]:
    """Dearest unit first, oldest line first on ties (ENGINE-RULES details)."""
    return sorted(units, key=lambda u: (-u.value, u.line, u.position))


def _sum(units: Sequence[Unit]) -> Decimal:
    return sum((u.value for u in units), ZERO)


def _by_line(units: Sequence[Unit]) -> dict[int, Decimal]:
    totals: dict[int, Decimal] = defaultdict(lambda: ZERO)
    for unit in units:
        totals[unit.line] += unit.value
    return dict(totals)


def _percent_per_line(
    units: Sequence[Unit], percent: Decimal, currency: Currency
) -> dict[int, Decimal]:
    """A percentage taken of each line's units together, rounded once per line (R1)."""
    return {line: currency.percent_of(percent, value) for line, value in _by_line(units).items()}


def _spread(amount: Decimal, units: Sequence[Unit], currency: Currency) -> dict[int, Decimal]:
    """``amount`` spread over lines pro rata to their units' value (R2)."""
    per_line = _by_line(units)
    lines = sorted(per_line)
    parts = currency.allocate(amount, [per_line[line] for line in lines])
    return dict(zip(lines, parts, strict=True))


def _percent_off(p: PercentOff, pools: Sequence[list[Unit]], currency: Currency) -> UnitEffect:
    units = pools[0]
    if not units:
        return _NO_ITEMS
    if p.min_spend is not None and _sum(units) < p.min_spend:
        return f"min spend {currency.format(p.min_spend)} not reached"
    return UnitOutcome(tuple(units), _percent_per_line(units, p.percent, currency))


def _amount_off(p: AmountOff, pools: Sequence[list[Unit]], currency: Currency) -> UnitEffect:
    units = pools[0]
    if not units:
        return _NO_ITEMS
    spend = _sum(units)
    if spend < p.threshold or spend <= 0:
        return f"spend {currency.format(p.threshold)} not reached"
    return UnitOutcome(tuple(units), _spread(min(p.amount, spend), units, currency))


def _special_price(p: SpecialPrice, pools: Sequence[list[Unit]], currency: Currency) -> UnitEffect:
    units = [u for u in pools[0] if u.value > p.price]
    if not units:
        return "no eligible item priced above the special price" if pools[0] else _NO_ITEMS
    amounts: dict[int, Decimal] = defaultdict(lambda: ZERO)
    for unit in units:
        amounts[unit.line] += unit.value - p.price
    return UnitOutcome(tuple(units), dict(amounts))


def _buy_get(p: BuyGet, pools: Sequence[list[Unit]], currency: Currency) -> UnitEffect:
    ordered = dearest_first(pools[0])
    run = p.buy + p.get
    runs = len(ordered) // run
    if runs == 0:
        return f"needs {run} eligible units, the ticket has {len(ordered)}"
    claimed = ordered[: runs * run]
    free = [u for k in range(runs) for u in claimed[k * run + p.buy : (k + 1) * run]]
    return UnitOutcome(tuple(claimed), _by_line(free))


def _nth_item(p: NthItem, pools: Sequence[list[Unit]], currency: Currency) -> UnitEffect:
    ordered = dearest_first(pools[0])
    groups = len(ordered) // p.n
    if groups == 0:
        return f"needs {p.n} eligible units, the ticket has {len(ordered)}"
    claimed = ordered[: groups * p.n]
    discounted = [claimed[(k + 1) * p.n - 1] for k in range(groups)]
    return UnitOutcome(tuple(claimed), _percent_per_line(discounted, p.percent, currency))


def _add_on(p: AddOn, pools: Sequence[list[Unit]], currency: Currency) -> UnitEffect:
    triggers = dearest_first(pools[0])
    trigger_keys = {(u.line, u.position) for u in triggers}
    addons = dearest_first(
        [
            u
            for u in pools[1]
            if (u.line, u.position) not in trigger_keys and u.value > p.addon_price
        ]
    )
    pairs = min(len(triggers), len(addons))
    if pairs == 0:
        return "needs a trigger item and an add-on item" if triggers else "no trigger item"
    amounts: dict[int, Decimal] = defaultdict(lambda: ZERO)
    for unit in addons[:pairs]:
        amounts[unit.line] += unit.value - p.addon_price
    return UnitOutcome(tuple(triggers[:pairs] + addons[:pairs]), dict(amounts))


def _combo(p: Combo, pools: Sequence[list[Unit]], currency: Currency) -> UnitEffect:
    ordered = [dearest_first(pool) for pool in pools]
    used: set[tuple[int, int]] = set()
    claimed: list[Unit] = []
    amounts: dict[int, Decimal] = defaultdict(lambda: ZERO)
    while True:
        chosen: list[Unit] = []
        for pool in ordered:
            pick = next(
                (u for u in pool if (u.line, u.position) not in used and u not in chosen), None
            )
            if pick is None:
                break
            chosen.append(pick)
        if len(chosen) < len(ordered) or _sum(chosen) <= p.price:
            break
        used.update((u.line, u.position) for u in chosen)
        claimed.extend(chosen)
        in_ticket_order = sorted(chosen, key=lambda u: (u.line, u.position))
        saving = _sum(chosen) - p.price
        parts = currency.allocate(saving, [u.value for u in in_ticket_order])
        for unit, part in zip(in_ticket_order, parts, strict=True):
            amounts[unit.line] += part
    if not claimed:
        return "no complete set priced above the combo price"
    return UnitOutcome(tuple(claimed), dict(amounts))


def _gift(p: Gift, pools: Sequence[list[Unit]], currency: Currency) -> UnitEffect:
    if _sum(pools[0]) < p.threshold or not pools[0]:
        return f"spend {currency.format(p.threshold)} not reached"
    return UnitOutcome((), {}, gift=p)


_EFFECTS: dict[type[Promotion], Callable[..., UnitEffect]] = {
    PercentOff: _percent_off,
    AmountOff: _amount_off,
    SpecialPrice: _special_price,
    BuyGet: _buy_get,
    NthItem: _nth_item,
    AddOn: _add_on,
    Combo: _combo,
    Gift: _gift,
}


def apply_unit_by_unit(
    promotion: Promotion, pools: Sequence[list[Unit]], currency: Currency
) -> UnitEffect:
    """The outcome of ``promotion`` worked out one unit at a time."""
    return _EFFECTS[type(promotion)](promotion, pools, currency)
