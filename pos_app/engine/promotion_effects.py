"""What each promotion type does to the units it may claim (stage 3 of R4, R5).

Each function receives, per item filter of the promotion, the eligible unclaimed
units as runs (a line's units at one value move together) and returns how many
units of each line it claims and the discount per line, or the reason it does not
apply (shown when a cashier's trigger is refused). A line's units are always
claimed from its first free unit on: within a line, values never rise.
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


class Run(NamedTuple):
    """Units of one line side by side at one value: ``size`` units from ``start``.

    Promotions work on runs, never on single units, so the cost of a recalculation
    follows the number of lines, not the quantities on them.
    """

    value: Decimal
    line: int
    start: int
    size: int


@dataclass(frozen=True)
class PromotionOutcome:
    """The units a promotion claimed (per line: how many of its first free units), the
    discount it gives per line, and any gift."""

    claimed: dict[int, int]
    line_amounts: dict[int, Decimal]
    gift: Gift | None = None

    @property
    def amount(self) -> Decimal:
        return sum(self.line_amounts.values(), ZERO)


Effect = PromotionOutcome | str
NO_ITEMS = "no eligible item on the ticket"


def dearest_first(runs: Sequence[Run]) -> list[Run]:
    """Dearest unit first, oldest line first on ties (ENGINE-RULES details)."""
    return sorted(runs, key=lambda r: (-r.value, r.line, r.start))


def _units(runs: Sequence[Run]) -> int:
    return sum(r.size for r in runs)


def _sum(runs: Sequence[Run]) -> Decimal:
    return sum((r.value * r.size for r in runs), ZERO)


def _by_line(runs: Sequence[Run]) -> dict[int, Decimal]:
    totals: dict[int, Decimal] = defaultdict(lambda: ZERO)
    for run in runs:
        totals[run.line] += run.value * run.size
    return dict(totals)


def _counts(runs: Sequence[Run]) -> dict[int, int]:
    counts: dict[int, int] = defaultdict(int)
    for run in runs:
        counts[run.line] += run.size
    return dict(counts)


def _take(ordered: Sequence[Run], units: int) -> list[Run]:
    """The first ``units`` units of ``ordered``, as runs."""
    taken: list[Run] = []
    for run in ordered:
        if units <= 0:
            break
        if run.size <= units:
            taken.append(run)
        else:
            taken.append(run._replace(size=units))
        units -= run.size
    return taken


def _percent_per_line(
    runs: Sequence[Run], percent: Decimal, currency: Currency
) -> dict[int, Decimal]:
    """A percentage taken of each line's units together, rounded once per line (R1)."""
    return {line: currency.percent_of(percent, value) for line, value in _by_line(runs).items()}


def _spread(amount: Decimal, runs: Sequence[Run], currency: Currency) -> dict[int, Decimal]:
    """``amount`` spread over lines pro rata to their units' value (R2)."""
    per_line = _by_line(runs)
    lines = sorted(per_line)
    parts = currency.allocate(amount, [per_line[line] for line in lines])
    return dict(zip(lines, parts, strict=True))


def _every_kth(
    ordered: Sequence[Run], length: int, picked: Callable[[int], int]
) -> tuple[dict[int, int], list[Run]]:
    """Claim the first ``length`` units of ``ordered``; ``picked(x)`` counts the chosen
    places among the first ``x``. Returns the claims and the chosen units as runs."""
    claimed: dict[int, int] = defaultdict(int)
    chosen: list[Run] = []
    position = 0
    for run in ordered:
        if position >= length:
            break
        end = min(position + run.size, length)
        claimed[run.line] += end - position
        count = picked(end) - picked(position)
        if count:
            chosen.append(run._replace(size=count))
        position = end
    return dict(claimed), chosen


def _percent_off(p: PercentOff, pools: Sequence[list[Run]], currency: Currency) -> Effect:
    runs = pools[0]
    if not runs:
        return NO_ITEMS
    if p.min_spend is not None and _sum(runs) < p.min_spend:
        return f"min spend {currency.format(p.min_spend)} not reached"
    return PromotionOutcome(_counts(runs), _percent_per_line(runs, p.percent, currency))


def _amount_off(p: AmountOff, pools: Sequence[list[Run]], currency: Currency) -> Effect:
    runs = pools[0]
    if not runs:
        return NO_ITEMS
    spend = _sum(runs)
    if spend < p.threshold or spend <= 0:
        return f"spend {currency.format(p.threshold)} not reached"
    return PromotionOutcome(_counts(runs), _spread(min(p.amount, spend), runs, currency))


def _special_price(p: SpecialPrice, pools: Sequence[list[Run]], currency: Currency) -> Effect:
    runs = [r for r in pools[0] if r.value > p.price]
    if not runs:
        return "no eligible item priced above the special price" if pools[0] else NO_ITEMS
    amounts: dict[int, Decimal] = defaultdict(lambda: ZERO)
    for run in runs:
        amounts[run.line] += (run.value - p.price) * run.size
    return PromotionOutcome(_counts(runs), dict(amounts))


def _buy_get(p: BuyGet, pools: Sequence[list[Run]], currency: Currency) -> Effect:
    ordered = dearest_first(pools[0])
    size = p.buy + p.get
    units = _units(ordered)
    groups = units // size
    if groups == 0:
        return f"needs {size} eligible units, the ticket has {units}"

    def free_among(x: int) -> int:  # places k*size+buy .. (k+1)*size-1 are free
        return (x // size) * p.get + max(0, x % size - p.buy)

    claimed, free = _every_kth(ordered, groups * size, free_among)
    return PromotionOutcome(claimed, _by_line(free))


def _nth_item(p: NthItem, pools: Sequence[list[Run]], currency: Currency) -> Effect:
    ordered = dearest_first(pools[0])
    units = _units(ordered)
    groups = units // p.n
    if groups == 0:
        return f"needs {p.n} eligible units, the ticket has {units}"
    claimed, discounted = _every_kth(ordered, groups * p.n, lambda x: x // p.n)
    return PromotionOutcome(claimed, _percent_per_line(discounted, p.percent, currency))


def _add_on(p: AddOn, pools: Sequence[list[Run]], currency: Currency) -> Effect:
    triggers = dearest_first(pools[0])
    trigger_lines = {r.line for r in triggers}  # a unit matching both counts as a trigger
    addons = dearest_first(
        [r for r in pools[1] if r.line not in trigger_lines and r.value > p.addon_price]
    )
    pairs = min(_units(triggers), _units(addons))
    if pairs == 0:
        return "needs a trigger item and an add-on item" if triggers else "no trigger item"
    taken_addons = _take(addons, pairs)
    amounts: dict[int, Decimal] = defaultdict(lambda: ZERO)
    for run in taken_addons:
        amounts[run.line] += (run.value - p.addon_price) * run.size
    claimed = _counts(_take(triggers, pairs))
    for line, count in _counts(taken_addons).items():
        claimed[line] = claimed.get(line, 0) + count
    return PromotionOutcome(claimed, dict(amounts))


def _combo(p: Combo, pools: Sequence[list[Run]], currency: Currency) -> Effect:
    """Complete sets, each of the dearest free unit of every component in turn. A set
    that repeats (the same runs feeding every component) is priced once and counted."""
    ordered = [dearest_first(pool) for pool in pools]
    used: dict[tuple[int, int], int] = defaultdict(int)  # (line, start) -> units used
    heads = [0] * len(ordered)  # per component: the runs before this one are used up
    claimed: dict[int, int] = defaultdict(int)
    amounts: dict[int, Decimal] = defaultdict(lambda: ZERO)
    while True:
        chosen: list[Run] = []
        uses: dict[tuple[int, int], int] = {}  # runs this set takes units from, and how many
        for c, pool in enumerate(ordered):
            while heads[c] < len(pool) and used[_key(pool[heads[c]])] >= pool[heads[c]].size:
                heads[c] += 1
            pick = None
            for k in range(heads[c], len(pool)):
                if used[_key(pool[k])] + uses.get(_key(pool[k]), 0) < pool[k].size:
                    pick = pool[k]
                    break
            if pick is None:
                break
            chosen.append(pick)
            uses[_key(pick)] = uses.get(_key(pick), 0) + 1
        value = sum((r.value for r in chosen), ZERO)
        if len(chosen) < len(ordered) or value <= p.price:
            break
        runs = {_key(r): r for r in chosen}
        sets = min((runs[key].size - used[key]) // n for key, n in uses.items())
        in_ticket_order = sorted(range(len(chosen)), key=lambda k: (_key(chosen[k]), k))
        parts = currency.allocate(value - p.price, [chosen[k].value for k in in_ticket_order])
        for k, part in zip(in_ticket_order, parts, strict=True):
            amounts[chosen[k].line] += part * sets
        for key, n in uses.items():
            used[key] += n * sets
            claimed[key[0]] += n * sets
    if not claimed:
        return "no complete set priced above the combo price"
    return PromotionOutcome(dict(claimed), dict(amounts))


def _key(run: Run) -> tuple[int, int]:
    return (run.line, run.start)


def _gift(p: Gift, pools: Sequence[list[Run]], currency: Currency) -> Effect:
    if _sum(pools[0]) < p.threshold or not pools[0]:
        return f"spend {currency.format(p.threshold)} not reached"
    return PromotionOutcome({}, {}, gift=p)


_EFFECTS: dict[type[Promotion], Callable[..., Effect]] = {
    PercentOff: _percent_off,
    AmountOff: _amount_off,
    SpecialPrice: _special_price,
    BuyGet: _buy_get,
    NthItem: _nth_item,
    AddOn: _add_on,
    Combo: _combo,
    Gift: _gift,
}


def apply_promotion(promotion: Promotion, pools: Sequence[list[Run]], currency: Currency) -> Effect:
    """The outcome of ``promotion`` on its eligible free units, or why it does not apply."""
    return _EFFECTS[type(promotion)](promotion, pools, currency)
