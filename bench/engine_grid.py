"""The engine benchmark's grid experiments: promotions x lines, the touching promotions
held fixed, big quantities, and the memory of one ticket."""

from __future__ import annotations

import contextlib
import gc
import random
import tracemalloc
from dataclasses import dataclass, replace

from bench.engine_chain import (
    Catalog,
    Config,
    CouponPlan,
    Targets,
    TicketSpec,
    make_promotions,
    make_tickets,
)
from bench.engine_timing import (
    Cell,
    Figures,
    book_of,
    clock,
    measure,
    prepare,
    progress,
    ratio,
    time_recalculation,
)
from pos_app.engine import Refusal, Ticket
from pos_app.engine.commands import AddItem, Redeem


def grid(config: Config, catalog: Catalog, coupons: CouponPlan) -> list[Cell]:
    rng = random.Random(config.seed + 1)
    everything = Targets.of_categories(catalog, catalog.categories)
    all_promotions = make_promotions(rng, max(config.promotion_counts), "P", everything)
    ticket_rng = random.Random(config.seed + 2)
    specs = {
        lines: make_tickets(ticket_rng, config.tickets, lines, everything.skus, coupons)
        for lines in config.line_counts
    }
    cells = []
    for count in config.promotion_counts:
        book = book_of(catalog, all_promotions[:count], coupons)
        for lines in config.line_counts:
            progress(f"{count:,} promotions x {lines} lines")
            cells.append(measure(book, specs[lines], count, config))
    return cells


def isolation(config: Config, catalog: Catalog, coupons: CouponPlan) -> list[Cell]:
    """The promotions touching the tickets fixed; those touching nothing on them grow."""
    near = Targets.of_categories(catalog, catalog.near)
    far = Targets.of_categories(catalog, catalog.far)
    rng = random.Random(config.seed + 3)
    specs = make_tickets(rng, config.tickets, config.isolation_lines, near.skus, coupons)
    on_tickets = sorted({sku for spec in specs for sku, _ in spec.lines})
    touching = Targets(on_tickets, sorted({catalog.category_of[s] for s in on_tickets}))
    fixed = make_promotions(rng, config.touching, "T", touching)
    rest = make_promotions(rng, max(config.promotion_counts), "R", far)
    cells = []
    for count in config.promotion_counts:
        progress(f"isolation: {config.touching} touching + {count:,} elsewhere")
        book = book_of(catalog, fixed + rest[:count], coupons)
        cells.append(measure(book, specs, count, config))
    return cells


@dataclass(frozen=True)
class QuantityRun:
    """The same tickets priced with quantity 1 and with a big quantity on every line."""

    promotions: int
    lines: int
    quantity: int
    small: Figures
    big: Figures

    @property
    def growth(self) -> float:
        return ratio(self.big.p50, self.small.p50)


def with_quantity(spec: TicketSpec, qty: int) -> TicketSpec:
    return replace(spec, lines=[(sku, qty) for sku, _ in spec.lines])


def quantities(config: Config, catalog: Catalog, coupons: CouponPlan) -> QuantityRun:
    """Recalculation time with quantity 1 against ``big_quantity`` on every line."""
    rng = random.Random(config.seed + 4)
    everything = Targets.of_categories(catalog, catalog.categories)
    count = max(config.promotion_counts)
    book = book_of(catalog, make_promotions(rng, count, "Q", everything), coupons)
    specs = make_tickets(rng, config.tickets, config.quantity_lines, everything.skus, coupons)
    progress(f"quantities: {config.quantity_lines} lines x 1 and x {config.big_quantity:,}")
    small = [prepare(book, with_quantity(spec, 1)) for spec in specs]
    big = [prepare(book, with_quantity(spec, config.big_quantity)) for spec in specs]
    return QuantityRun(
        promotions=count,
        lines=config.quantity_lines,
        quantity=config.big_quantity,
        small=time_recalculation(book, small, config),
        big=time_recalculation(book, big, config),
    )


def ticket_memory_mb(config: Config, catalog: Catalog, coupons: CouponPlan) -> float:
    """Peak memory (tracemalloc) of ringing up and pricing the largest ticket, line by
    line, under the most promotions, with the big quantity on every line."""
    rng = random.Random(config.seed + 5)
    everything = Targets.of_categories(catalog, catalog.categories)
    lines, count = config.p99_cell
    book = book_of(catalog, make_promotions(rng, count, "M", everything), coupons)
    (spec,) = make_tickets(rng, 1, lines, everything.skus, coupons)
    spec = with_quantity(spec, config.big_quantity)
    progress(f"memory: {lines} lines x {config.big_quantity:,} under {count:,} promotions")
    gc.collect()
    tracemalloc.start()
    try:
        ticket = Ticket(book, clock)
        for n, (sku, qty) in enumerate(spec.lines):
            ticket.apply(AddItem(f"L{n + 1}", sku, qty))
        for code in spec.coupons:
            with contextlib.suppress(Refusal):
                ticket.apply(Redeem(code))
        _, peak = tracemalloc.get_traced_memory()
    finally:
        tracemalloc.stop()
    return peak / 2**20
