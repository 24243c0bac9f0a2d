"""Units as runs: every promotion type gives, on runs, exactly what it gives unit by unit
(R1, R2, R5 and the Details' unit order), and its cost does not follow the quantities."""

from __future__ import annotations

from collections import Counter
from decimal import Decimal

from hypothesis import given, settings
from hypothesis import strategies as st

from pos_app.engine.catalog import ItemFilter
from pos_app.engine.money import Currency
from pos_app.engine.promotion_effects import PromotionOutcome, Run, apply_promotion
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
from tests.helpers.unit_by_unit_promotions import Unit, UnitOutcome, apply_unit_by_unit

USD = Currency.of("USD")
ANY = ItemFilter()
D = Decimal


@st.composite
def free_lines(draw: st.DrawFn) -> dict[int, list[Run]]:
    """Lines as the recalculation hands them to stage 3: a line's value spread evenly over
    its units (the earlier ones take the odd cents), some first units already claimed."""
    lines: dict[int, list[Run]] = {}
    for line in range(draw(st.integers(1, 5))):
        qty = draw(st.integers(1, 25))
        base, odd = divmod(draw(st.integers(0, 3000 * qty)), qty)
        runs = []
        if odd:
            runs.append(Run(USD.from_minor(base + 1), line, 0, odd))
        if qty > odd:
            runs.append(Run(USD.from_minor(base), line, odd, qty - odd))
        claimed = draw(st.integers(0, qty - 1))
        free: list[Run] = []
        for run in runs:
            end = run.start + run.size
            if end > claimed:
                start = max(run.start, claimed)
                free.append(run._replace(start=start, size=end - start))
        lines[line] = free
    return lines


def money(draw: st.DrawFn, high: int = 6000) -> Decimal:
    return USD.from_minor(draw(st.integers(0, high)))


@st.composite
def promotions(draw: st.DrawFn) -> tuple[Promotion, int]:
    """A promotion of any type and how many item filters (pools) it has."""
    kind = draw(st.sampled_from(["percent", "amount", "special", "bogo", "nth", "addon", "combo"]))
    percent = D(draw(st.sampled_from(["0", "10", "12.5", "33", "50", "100"])))
    if kind == "percent":
        min_spend = draw(st.none() | st.integers(0, 20000).map(USD.from_minor))
        return PercentOff("P", 1, percent=percent, min_spend=min_spend), 1
    if kind == "amount":
        return AmountOff("P", 1, threshold=money(draw, 20000), amount=money(draw)), 1
    if kind == "special":
        return SpecialPrice("P", 1, price=money(draw, 3000)), 1
    if kind == "bogo":
        buy, get = draw(st.integers(1, 4)), draw(st.integers(1, 3))
        return BuyGet("P", 1, buy=buy, get=get), 1
    if kind == "nth":
        return NthItem("P", 1, n=draw(st.integers(1, 5)), percent=percent), 1
    if kind == "addon":
        return AddOn("P", 1, addon_price=money(draw, 3000)), 2
    if draw(st.booleans()):
        return Gift("P", 1, threshold=money(draw, 20000), gift_sku="G"), 1
    components = draw(st.integers(1, 3))
    return Combo("P", 1, components=(ANY,) * components, price=money(draw, 8000)), components


def as_units(pool: list[Run]) -> list[Unit]:
    return [
        Unit(run.value, run.line, position)
        for run in pool
        for position in range(run.start, run.start + run.size)
    ]


@settings(max_examples=600, deadline=None, database=None)
@given(free_lines(), promotions(), st.data())
def test_runs_give_what_units_give(
    lines: dict[int, list[Run]], case: tuple[Promotion, int], data: st.DataObject
) -> None:
    """R5: on runs every promotion claims the same units (the first free ones of each line)
    and gives the same amount per line as worked out one unit at a time."""
    promotion, pool_count = case
    pools = []
    for _ in range(pool_count):
        chosen = data.draw(st.sets(st.sampled_from(sorted(lines))), label="lines in pool")
        pools.append([run for line in sorted(chosen) for run in lines[line]])
    by_runs = apply_promotion(promotion, pools, USD)
    by_units = apply_unit_by_unit(promotion, [as_units(pool) for pool in pools], USD)
    if isinstance(by_units, str):
        assert by_runs == by_units
        return
    assert isinstance(by_runs, PromotionOutcome) and isinstance(by_units, UnitOutcome)
    assert by_runs.line_amounts == by_units.line_amounts
    assert by_runs.gift == by_units.gift
    assert by_runs.claimed == dict(Counter(u.line for u in by_units.claimed))
    for line, count in by_runs.claimed.items():
        first_free = sorted(u for r in lines[line] for u in range(r.start, r.start + r.size))
        claimed = sorted(u.position for u in by_units.claimed if u.line == line)
        assert claimed == first_free[:count], "a line's units are claimed from the first on"


def test_combo_of_thousands_of_sets_is_priced_in_a_few_steps() -> None:
    """Details: a combo of 9,999 burger-and-fries sets prices every set, at the cost of one."""
    pools = [[Run(D("12.00"), 0, 0, 9_999)], [Run(D("4.00"), 1, 0, 9_999)]]
    outcome = apply_promotion(Combo("P", 1, components=(ANY, ANY), price=D("10.00")), pools, USD)
    assert isinstance(outcome, PromotionOutcome)
    assert outcome.claimed == {0: 9_999, 1: 9_999}
    assert outcome.line_amounts == {0: D("4.50") * 9_999, 1: D("1.50") * 9_999}


def test_combo_component_that_looks_past_a_used_run_takes_the_next() -> None:
    """Details: a component whose dearest runs are taken by the set so far picks the next
    free unit (a regression: the runs it only looked at were counted as used)."""
    runs = [Run(D("0.01"), 2, 0, 3), Run(D("0.00"), 2, 3, 1)]
    pools = [[Run(D("0.00"), 0, 0, 1), *runs], runs, runs]
    outcome = apply_promotion(Combo("P", 1, components=(ANY,) * 3, price=D("0.00")), pools, USD)
    assert isinstance(outcome, PromotionOutcome)
    assert outcome.claimed == {2: 3}
    assert outcome.line_amounts == {2: D("0.03")}
