"""Engine benchmark: recalculation and add-item latency on a synthetic chain.

Run from the project root: ``.venv/bin/python bench/engine.py`` (``make bench``).

The chain is deterministic (seeded): 5,000 SKUs in 250 categories of 20, with
100 / 1,000 / 10,000 active promotions of all eight types, each naming a few SKUs
or one category, and 10 coupons of every kind, three or four of which are
redeemed on each ticket. Tickets have 20 / 100 / 200 lines. For every
(promotions, lines) cell it times

* a full recalculation: ``recalculate(state, book, now)`` of the whole ticket, and
* adding one item: ``Ticket.add_item`` on a ticket holding the other lines (the
  ticket is rebuilt from its saved state outside the timed region),

and prints p50 / p99 in milliseconds. A second experiment holds fixed the
promotions that touch the tickets' items and grows the ones that touch nothing
on them from 100 to 10,000: with the promotion index the time must not grow
more than 2x. A third prices the same 20-line tickets with quantity 1 and with
quantity 9,999 on every line under 10,000 promotions: units move as runs, so
the time must stay within 2x. Then the memory a 200-line ticket takes while it
is rung up and priced under 10,000 promotions (tracemalloc peak, quantities of
9,999 on every line). Last, supermarket-size tickets: adding the 1,000th line to
tickets holding 999 under 10,000 promotions (each rebuilt from its state and its
objects collected before the timed add), and a scenario replay that rings up
1,000 lines one step at a time (``pos_app.scenario.replay.run_step``, each step's
result encoded as JSON as ``pos-app scenario run`` prints it), timed per step
over its last 100 lines. The targets (issues): 100 lines x 1,000 promotions p50
<= 5 ms; 200 lines x 10,000 promotions p99 <= 12 ms; that growth <= 2x; the
quantity ratio <= 2x; the ticket's memory < 50 MB; adding a line to a 1,000-line
ticket p99 <= 16 ms, and so a replay step there, output included (one frame). A
target on latency is judged on the slower of the two operations.

Options: ``--quick`` (tiny sizes, a few repetitions: for the test), ``--json FILE``
(write every figure), ``--reps N``, ``--seed N``, ``--strict`` (exit 1 on a MISS).
"""

from __future__ import annotations

import argparse
import contextlib
import gc
import json
import math
import os
import platform
import random
import sys
import time
import tracemalloc
from collections.abc import Callable, Sequence
from dataclasses import asdict, dataclass, replace
from datetime import datetime
from pathlib import Path
from typing import Any

from pos_app.engine import LineState, PriceBook, Refusal, Ticket, TicketState, recalculate
from pos_app.engine.commands import AddItem, Redeem
from pos_app.scenario.replay import run_step
from pos_app.till.till import keep_out_of_gc_scans

NOW = datetime(2026, 11, 21, 12, 0)

DEPARTMENTS = (
    "produce",
    "dairy",
    "bakery",
    "meat",
    "frozen",
    "beverages",
    "snacks",
    "pantry",
    "household",
    "personal-care",
)
PROMOTION_TYPES = (
    "percent_off",
    "amount_off",
    "special_price",
    "bogo",
    "nth_item",
    "add_on",
    "combo",
    "gift",
)
CATEGORY_SHARE = 0.25  # a promotion's item list names one category, else 1-4 SKUs
WINDOWED_SHARE = 0.33  # promotions with a validity window (that contains NOW)
PRICE_CENTS = ("00", "49", "79", "99")
PRICE_DOLLARS = (0, 1, 1, 2, 2, 3, 4, 5, 7, 9, 11, 14, 19, 29, 44)  # most items are cheap

Raw = dict[str, Any]


# ---------------------------------------------------------------- configuration


@dataclass(frozen=True)
class Config:
    categories: int = 250
    skus_per_category: int = 20
    promotion_counts: tuple[int, ...] = (100, 1_000, 10_000)
    line_counts: tuple[int, ...] = (20, 100, 200)
    tickets: int = 8  # distinct tickets per line count; repetitions cycle over them
    reps: int = 200
    warmup: int = 20
    touching: int = 150  # isolation: promotions drawn from the tickets' own items
    isolation_lines: int = 100
    seed: int = 20261121
    p50_cell: tuple[int, int] = (100, 1_000)  # (lines, promotions)
    p50_limit_ms: float = 5.0
    p99_cell: tuple[int, int] = (200, 10_000)
    p99_limit_ms: float = 12.0
    growth_limit: float = 2.0
    quantity_lines: int = 20
    big_quantity: int = 9_999
    quantity_limit: float = 2.0
    memory_limit_mb: float = 50.0
    big_lines: int = 1_000
    big_promotions: int = 10_000
    big_tickets: int = 4
    big_limit_ms: float = 16.0


FULL = Config()
QUICK = Config(
    categories=20,
    skus_per_category=10,
    promotion_counts=(10, 40, 160),
    line_counts=(6, 12),
    tickets=3,
    reps=6,
    warmup=1,
    touching=10,
    isolation_lines=8,
    p50_cell=(12, 40),
    p99_cell=(12, 160),
    quantity_lines=6,
    big_lines=40,
    big_promotions=160,
    big_tickets=2,
)


# ---------------------------------------------------------------- the synthetic chain


@dataclass(frozen=True)
class Catalog:
    entries: list[Raw]
    categories: list[str]
    skus_by_category: dict[str, list[str]]
    category_of: dict[str, str]
    near: list[str]  # categories tickets of the isolation experiment and coupons draw from
    far: list[str]  # the others: isolation "rest" promotions target only these


def make_catalog(rng: random.Random, config: Config) -> Catalog:
    categories = [
        f"{DEPARTMENTS[i % len(DEPARTMENTS)]}-{i // len(DEPARTMENTS) + 1:02d}"
        for i in range(config.categories)
    ]
    entries: list[Raw] = []
    skus_by_category: dict[str, list[str]] = {}
    category_of: dict[str, str] = {}
    number = 0
    for category in categories:
        skus = []
        for _ in range(config.skus_per_category):
            number += 1
            sku = f"SKU{number:05d}"
            dollars = rng.choice(PRICE_DOLLARS)
            price = f"{dollars}.{rng.choice(PRICE_CENTS[1:] if dollars == 0 else PRICE_CENTS)}"
            entries.append(
                {
                    "sku": sku,
                    "name": f"{category} item {number}",
                    "price": price,
                    "category": category,
                }
            )
            skus.append(sku)
            category_of[sku] = category
        skus_by_category[category] = skus
    shuffled = categories[:]
    rng.shuffle(shuffled)
    half = len(shuffled) // 2
    return Catalog(
        entries, categories, skus_by_category, category_of, shuffled[:half], shuffled[half:]
    )


@dataclass(frozen=True)
class Targets:
    """Where promotions pick their item lists from."""

    skus: Sequence[str]
    categories: Sequence[str]

    @classmethod
    def of_categories(cls, catalog: Catalog, categories: Sequence[str]) -> Targets:
        skus = [s for c in categories for s in catalog.skus_by_category[c]]
        return cls(skus, list(categories))

    def items(self, rng: random.Random) -> list[str]:
        if rng.random() < CATEGORY_SHARE:
            return [f"category:{rng.choice(self.categories)}"]
        return rng.sample(list(self.skus), rng.randint(1, 4))


def money(rng: random.Random, low: int, high: int) -> str:
    return f"{rng.randint(low, high)}.{rng.choice(PRICE_CENTS)}"


def make_promotion(rng: random.Random, pid: str, kind: str, targets: Targets) -> Raw:
    promo: Raw = {"id": pid, "type": kind, "sequence": rng.randint(1, 100), "auto_execute": True}
    if rng.random() < WINDOWED_SHARE:
        promo["valid_from"] = "2026-11-01"
        promo["valid_to"] = "2026-12-31"
    if kind == "percent_off":
        promo["percent"] = str(rng.choice((5, 10, 15, 20, 25, 30)))
        promo["items"] = targets.items(rng)
        if rng.random() < 0.3:
            promo["min_spend"] = money(rng, 5, 30)
    elif kind == "amount_off":
        promo["threshold"] = money(rng, 5, 40)
        promo["amount"] = money(rng, 1, 5)
        promo["items"] = targets.items(rng)
    elif kind == "special_price":
        promo["price"] = money(rng, 0, 4)
        promo["items"] = targets.items(rng)
    elif kind == "bogo":
        promo["buy"] = rng.choice((1, 1, 2))
        promo["get"] = 1
        promo["items"] = targets.items(rng)
    elif kind == "nth_item":
        promo["n"] = rng.choice((2, 3))
        promo["percent"] = str(rng.choice((25, 50, 100)))
        promo["items"] = targets.items(rng)
    elif kind == "add_on":
        promo["trigger_items"] = targets.items(rng)
        promo["addon_items"] = targets.items(rng)
        promo["addon_price"] = money(rng, 0, 2)
    elif kind == "combo":
        promo["components"] = [targets.items(rng) for _ in range(rng.randint(2, 3))]
        promo["price"] = money(rng, 3, 20)
    elif kind == "gift":
        promo["threshold"] = money(rng, 10, 60)
        promo["gift_sku"] = rng.choice(list(targets.skus))
        promo["items"] = targets.items(rng)
    else:  # pragma: no cover - PROMOTION_TYPES is closed
        raise ValueError(kind)
    return promo


def make_promotions(rng: random.Random, count: int, prefix: str, targets: Targets) -> list[Raw]:
    """``count`` promotions, the eight types in turn, sequences at random."""
    return [
        make_promotion(rng, f"{prefix}{n:05d}", PROMOTION_TYPES[n % len(PROMOTION_TYPES)], targets)
        for n in range(count)
    ]


@dataclass(frozen=True)
class CouponPlan:
    """The chain's ten coupons, and which the tickets redeem (with the lines they need)."""

    coupons: list[Raw]
    plans: list[tuple[list[str], list[str]]]  # (SKUs forced onto the ticket, codes in order)


def make_coupons(rng: random.Random, catalog: Catalog) -> CouponPlan:
    gp_cat, mv_cat, cu_cat = rng.sample(catalog.near, 3)
    near_skus = [s for c in catalog.near for s in catalog.skus_by_category[c]]
    gp_sku, tp_sku = rng.sample(near_skus, 2)
    coupons: list[Raw] = [
        {"code": "CV-10", "kind": "cash_voucher", "sequence": 1, "face_value": "10.00"},
        {
            "code": "CV-MIN",
            "kind": "cash_voucher",
            "sequence": 2,
            "face_value": "5.00",
            "min_spend": "15.00",
        },
        {
            "code": "GP-CAT",
            "kind": "group_purchase",
            "sequence": 3,
            "units": 2,
            "face_value": "12.00",
            "items": [f"category:{gp_cat}"],
        },
        {"code": "GP-SKU", "kind": "group_purchase", "sequence": 4, "items": [gp_sku]},
        {
            "code": "TP-GP",
            "kind": "third_party",
            "as": "group_purchase",
            "sequence": 5,
            "items": [tp_sku],
        },
        {
            "code": "TP-CV",
            "kind": "third_party",
            "as": "cash_voucher",
            "sequence": 6,
            "face_value": "4.00",
        },
        {
            "code": "MV-ORIG",
            "kind": "member_voucher",
            "sequence": 7,
            "face_value": "3.00",
            "deduct_from": "original",
            "items": [f"category:{mv_cat}"],
        },
        {
            "code": "MV-DISC",
            "kind": "member_voucher",
            "sequence": 8,
            "face_value": "5.00",
            "deduct_from": "discounted",
            "min_spend": "10.00",
        },
        {"code": "MD-5", "kind": "member_discount", "sequence": 9, "percent": "5"},
        {
            "code": "CU-10",
            "kind": "custom",
            "sequence": 10,
            "percent": "10",
            "items": [f"category:{cu_cat}"],
        },
    ]
    cat_sku = {c: catalog.skus_by_category[c][0] for c in (gp_cat, mv_cat, cu_cat)}
    plans = [
        ([cat_sku[gp_cat], cat_sku[cu_cat]], ["GP-CAT", "CU-10", "CV-10", "MD-5"]),
        ([tp_sku, cat_sku[mv_cat]], ["TP-GP", "MV-ORIG", "TP-CV", "MV-DISC"]),
        ([gp_sku], ["GP-SKU", "CV-MIN", "MD-5"]),
    ]
    return CouponPlan(coupons, plans)


@dataclass(frozen=True)
class TicketSpec:
    """A ticket to ring up: its lines (SKU, qty), the coupons redeemed, the item added last."""

    lines: list[tuple[str, int]]
    coupons: list[str]


def make_tickets(
    rng: random.Random, count: int, lines: int, skus: Sequence[str], coupons: CouponPlan
) -> list[TicketSpec]:
    specs = []
    for k in range(count):
        forced, codes = coupons.plans[k % len(coupons.plans)]
        # the coupons' lines first: the state before the last add must hold them
        chosen = [*forced, *(rng.choice(skus) for _ in range(lines - len(forced)))]
        qtys = [rng.choice((1, 1, 1, 1, 2, 2, 3)) for _ in chosen]
        specs.append(TicketSpec(list(zip(chosen, qtys, strict=True)), codes))
    return specs


# ---------------------------------------------------------------- ringing up


@dataclass(frozen=True)
class Prepared:
    """One ticket under one price book: the state before the last add and after it."""

    before: TicketState
    after: TicketState
    last_line: str
    last_sku: str
    last_qty: int
    redeemed: int
    touching: int
    applied: int


def clock() -> datetime:
    return NOW


def prepare(book: PriceBook, spec: TicketSpec) -> Prepared:
    *head, (last_sku, last_qty) = spec.lines
    lines = tuple(
        LineState(f"L{i + 1}", sku, qty, book.items[sku].price) for i, (sku, qty) in enumerate(head)
    )
    ticket = Ticket(book, clock, state=TicketState(lines=lines))
    redeemed = 0
    for code in spec.coupons:
        try:
            ticket.apply(Redeem(code))
            redeemed += 1
        except Refusal:
            pass
    before = ticket.state
    last_line = f"L{len(spec.lines)}"
    priced = ticket.apply(AddItem(last_line, last_sku, last_qty))
    items = [book.items[line.sku] for line in ticket.state.lines]
    return Prepared(
        before=before,
        after=ticket.state,
        last_line=last_line,
        last_sku=last_sku,
        last_qty=last_qty,
        redeemed=redeemed,
        touching=len(book.index.candidates(items)),
        applied=len(priced.promotions),
    )


# ---------------------------------------------------------------- timing


@dataclass(frozen=True)
class Figures:
    p50: float
    p99: float
    mean: float
    max: float
    n: int


def percentile(sorted_ms: Sequence[float], pct: float) -> float:
    """Nearest-rank percentile of an ascending list."""
    rank = max(1, math.ceil(pct / 100 * len(sorted_ms)))
    return sorted_ms[rank - 1]


def figures(samples_ns: Sequence[int]) -> Figures:
    ms = sorted(s / 1e6 for s in samples_ns)
    return Figures(percentile(ms, 50), percentile(ms, 99), sum(ms) / len(ms), ms[-1], len(ms))


class CpuTime:
    """The thread's CPU time of each timed operation, beside its wall time: what a busy
    machine's other processes do not add (the verdicts stay on wall time)."""

    def __init__(self) -> None:
        self.samples: list[int] = []
        self._start = 0

    def start(self) -> None:
        self._start = time.thread_time_ns()

    def stop(self) -> None:
        self.samples.append(time.thread_time_ns() - self._start)

    def figures(self, last: int) -> Figures:
        """The figures of the ``last`` operations timed (the warm-up left out)."""
        return figures(self.samples[-last:])


def time_recalculation(
    book: PriceBook, tickets: Sequence[Prepared], config: Config, cpu: CpuTime | None = None
) -> Figures:
    cpu = cpu or CpuTime()

    def once(k: int) -> int:
        state = tickets[k % len(tickets)].after
        cpu.start()
        start = time.perf_counter_ns()
        recalculate(state, book, NOW)
        wall = time.perf_counter_ns() - start
        cpu.stop()
        return wall

    return run_series(once, config)


def time_add_item(
    book: PriceBook,
    tickets: Sequence[Prepared],
    config: Config,
    *,
    settle: bool = False,
    cpu: CpuTime | None = None,
) -> Figures:
    """Adding the last line to a ticket rebuilt from its state outside the timed region.
    ``settle``: the rebuilt ticket's objects are collected first, as those of a ticket
    rung up over minutes are (else the add pays for collecting a whole new ticket)."""
    cpu = cpu or CpuTime()

    def once(k: int) -> int:
        t = tickets[k % len(tickets)]
        ticket = Ticket(book, clock, state=t.before)  # rebuilt outside the timed region
        if settle:
            gc.collect()
        cpu.start()
        start = time.perf_counter_ns()
        ticket.apply(AddItem(t.last_line, t.last_sku, t.last_qty))
        wall = time.perf_counter_ns() - start
        cpu.stop()
        return wall

    return run_series(once, config)


def run_series(once: Callable[[int], int], config: Config) -> Figures:
    for k in range(config.warmup):
        once(k)
    gc.collect()
    return figures([once(k) for k in range(config.reps)])


# ---------------------------------------------------------------- experiments


@dataclass(frozen=True)
class Cell:
    promotions: int
    lines: int
    touching: float  # promotions the index returns for a ticket (mean over tickets)
    applied: float  # promotions in effect on a ticket (mean)
    redeemed: float  # coupons redeemed on a ticket (mean)
    recalc: Figures
    add: Figures


def book_of(catalog: Catalog, promotions: list[Raw], coupons: CouponPlan) -> PriceBook:
    raw = {
        "currency": "USD",
        "catalog": catalog.entries,
        "promotions": promotions,
        "coupons": coupons.coupons,
    }
    book = PriceBook.parse(raw, strict_skus=True)
    keep_out_of_gc_scans()  # as the till does once it has loaded its configuration
    return book


def measure(book: PriceBook, specs: Sequence[TicketSpec], promotions: int, config: Config) -> Cell:
    prepared = [prepare(book, spec) for spec in specs]
    n = len(prepared)
    return Cell(
        promotions=promotions,
        lines=len(specs[0].lines),
        touching=sum(p.touching for p in prepared) / n,
        applied=sum(p.applied for p in prepared) / n,
        redeemed=sum(p.redeemed for p in prepared) / n,
        recalc=time_recalculation(book, prepared, config),
        add=time_add_item(book, prepared, config),
    )


def load_average() -> float | None:
    """The 1-minute load average (None where the platform has none)."""
    try:
        return os.getloadavg()[0]
    except (AttributeError, OSError):
        return None


def progress(message: str) -> None:
    print(f"  ... {message}", file=sys.stderr, flush=True)


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


@dataclass(frozen=True)
class BigTickets:
    """Supermarket-size tickets: adding the last line to a ticket of ``lines`` lines, a
    full recalculation of such a ticket from nothing (no last result), and a scenario
    replay ringing them up one by one (its steps over the last tenth of lines,
    output included; ``replay_s`` the whole replay)."""

    promotions: int
    lines: int
    add: Figures
    recalculation: Figures
    replay: Figures
    replay_s: float
    cpu: dict[str, Figures]  # the same operations' thread CPU time (:class:`CpuTime`)


def replay_steps(spec: TicketSpec) -> list[dict[str, Any]]:
    """Scenario steps ringing up ``spec``: each line an ``add``, its coupons once the
    lines they need are on the ticket."""
    steps: list[dict[str, Any]] = []
    forced = len(spec.lines) - 1 if len(spec.lines) < 4 else 3
    for n, (sku, qty) in enumerate(spec.lines):
        steps.append({"do": "add", "line": f"L{n + 1}", "sku": sku, "qty": qty})
        if n == forced:
            steps.extend({"do": "redeem", "code": code} for code in spec.coupons)
    return steps


def time_replay(
    book: PriceBook, spec: TicketSpec, lines: int, cpu: CpuTime | None = None
) -> tuple[Figures, float]:
    """Each step of a replay as ``pos-app scenario run`` does it: the step's command on
    the ticket, its RESULT object and that object encoded as JSON. Figures over the steps
    that ring up the last tenth of the lines."""
    cpu = cpu or CpuTime()
    ticket = Ticket(book, clock)
    samples: list[int] = []
    started = time.perf_counter()
    steps = replay_steps(spec)
    timed_from = len(steps) - max(1, lines // 10)
    for n, step in enumerate(steps):
        cpu.start()
        start = time.perf_counter_ns()
        outcome = run_step(ticket.apply, lambda: ticket.priced, step)
        json.dumps(outcome)
        wall = time.perf_counter_ns() - start
        cpu.stop()
        if n >= timed_from:
            samples.append(wall)
    return figures(samples), time.perf_counter() - started


def big_tickets(config: Config, catalog: Catalog, coupons: CouponPlan) -> BigTickets:
    """Adding a line to ``big_lines``-line tickets under ``big_promotions`` promotions, and
    a replay ringing one up step by step."""
    rng = random.Random(config.seed + 6)
    everything = Targets.of_categories(catalog, catalog.categories)
    count, lines = config.big_promotions, config.big_lines
    book = book_of(catalog, make_promotions(rng, count, "B", everything), coupons)
    specs = make_tickets(rng, config.big_tickets, lines, everything.skus, coupons)
    progress(f"supermarket: {lines:,} lines under {count:,} promotions")
    prepared = [prepare(book, spec) for spec in specs]
    add_cpu, recalc_cpu, replay_cpu = CpuTime(), CpuTime(), CpuTime()
    add = time_add_item(book, prepared, config, settle=True, cpu=add_cpu)
    progress(f"supermarket: full recalculation of {lines:,} lines")
    recalc = time_recalculation(book, prepared, config, recalc_cpu)
    progress(f"supermarket: replaying {lines:,} adds")
    replay, replay_s = time_replay(book, specs[0], lines, replay_cpu)
    cpu = {
        "add": add_cpu.figures(add.n),
        "recalculation": recalc_cpu.figures(recalc.n),
        "replay": replay_cpu.figures(replay.n),
    }
    return BigTickets(count, lines, add, recalc, replay, replay_s, cpu)


# ---------------------------------------------------------------- report


@dataclass(frozen=True)
class Target:
    name: str
    figure: float
    limit: float
    unit: str
    detail: str

    @property
    def passed(self) -> bool:
        return self.figure <= self.limit


def cell_at(cells: Sequence[Cell], lines: int, promotions: int) -> Cell:
    return next(c for c in cells if c.lines == lines and c.promotions == promotions)


def ratio(a: float, b: float) -> float:
    return a / b if b > 0 else math.inf


def targets(
    config: Config,
    cells: Sequence[Cell],
    iso: Sequence[Cell],
    qty: QuantityRun,
    memory_mb: float,
    big: BigTickets,
) -> list[Target]:
    lines, count = config.p50_cell
    c = cell_at(cells, lines, count)
    first = Target(
        f"{lines} lines x {count:,} promotions, p50",
        max(c.recalc.p50, c.add.p50),
        config.p50_limit_ms,
        "ms",
        f"recalculation {c.recalc.p50:.2f} ms, add item {c.add.p50:.2f} ms",
    )
    lines, count = config.p99_cell
    c = cell_at(cells, lines, count)
    second = Target(
        f"{lines} lines x {count:,} promotions, p99",
        max(c.recalc.p99, c.add.p99),
        config.p99_limit_ms,
        "ms",
        f"recalculation {c.recalc.p99:.2f} ms, add item {c.add.p99:.2f} ms",
    )
    low, high = iso[0], iso[-1]
    recalc_growth = ratio(high.recalc.p50, low.recalc.p50)
    add_growth = ratio(high.add.p50, low.add.p50)
    third = Target(
        f"touching fixed, rest {low.promotions:,} -> {high.promotions:,}: p50 growth",
        max(recalc_growth, add_growth),
        config.growth_limit,
        "x",
        f"recalculation x{recalc_growth:.2f}, add item x{add_growth:.2f}",
    )
    fourth = Target(
        f"{qty.lines} lines, quantity {qty.quantity:,} vs 1 under {qty.promotions:,}"
        " promotions: recalculation p50",
        qty.growth,
        config.quantity_limit,
        "x",
        f"p50 {qty.small.p50:.2f} -> {qty.big.p50:.2f} ms,"
        f" p99 {qty.small.p99:.2f} -> {qty.big.p99:.2f} ms",
    )
    lines, count = config.p99_cell
    fifth = Target(
        f"{lines}-line ticket x {config.big_quantity:,} under {count:,} promotions: memory",
        memory_mb,
        config.memory_limit_mb,
        "MB",
        "tracemalloc peak while it is rung up and priced",
    )
    sixth = Target(
        f"{big.lines:,} lines x {big.promotions:,} promotions, add item p99",
        big.add.p99,
        config.big_limit_ms,
        "ms",
        f"p50 {big.add.p50:.2f} ms, max {big.add.max:.2f} ms",
    )
    seventh = Target(
        f"scenario replay of {big.lines:,} adds, a step's p99 (output included)",
        big.replay.p99,
        config.big_limit_ms,
        "ms",
        f"steps over the last {big.replay.n} lines: p50 {big.replay.p50:.2f} ms,"
        f" max {big.replay.max:.2f} ms; whole replay {big.replay_s:.1f} s",
    )
    return [first, second, third, fourth, fifth, sixth, seventh]


def show_figure(value: float, unit: str) -> str:
    return f"x{value:.2f}" if unit == "x" else f"{value:.2f} {unit}"


def print_report(
    config: Config,
    catalog: Catalog,
    cells: Sequence[Cell],
    iso: Sequence[Cell],
    qty: QuantityRun,
    big: BigTickets,
    goals: Sequence[Target],
    elapsed: float,
    loads: Sequence[float | None],
    quick: bool,
) -> None:
    p = print
    skus = len(catalog.entries)
    redeemed = sum(c.redeemed for c in cells) / len(cells)
    p(f"Engine benchmark{' (QUICK: tiny sizes, figures not meaningful)' if quick else ''}")
    p(
        f"  chain: {skus:,} SKUs in {len(catalog.categories)} categories, 10 coupons;"
        f" {config.tickets} tickets per size, {redeemed:.1f} coupons redeemed on each (mean)"
    )
    p(
        f"  {config.reps} timed repetitions (after {config.warmup} warm-up) per figure;"
        f" Python {platform.python_version()}, {os.cpu_count()} CPUs"
    )
    known = [x for x in loads if x is not None]
    if known:
        cpus = os.cpu_count() or 1
        p(f"  load average (1 min) at start / end: {' / '.join(f'{x:.2f}' for x in known)}")
        if max(known) > 1.0 + 0.25 * cpus:
            p("  WARNING: other processes competed for the CPUs: figures are inflated, rerun idle")
    p("  touching = promotions the index returns for a ticket; applied = in effect (means)")
    p("")
    header = (
        f"{'promotions':>10} {'lines':>5} {'touching':>8} {'applied':>7} "
        f"{'recalc p50':>10} {'recalc p99':>10} {'add p50':>8} {'add p99':>8}   (ms)"
    )
    p(header)
    p("-" * len(header))
    for c in cells:
        p(
            f"{c.promotions:>10,} {c.lines:>5} {c.touching:>8.0f} {c.applied:>7.0f} "
            f"{c.recalc.p50:>10.2f} {c.recalc.p99:>10.2f} {c.add.p50:>8.2f} {c.add.p99:>8.2f}"
        )
    p("")
    low, high = config.promotion_counts[0], config.promotion_counts[-1]
    p(f"Growth with the chain's promotions ({high:,} vs {low:,}; p50 ratio):")
    for lines in config.line_counts:
        a, b = cell_at(cells, lines, low), cell_at(cells, lines, high)
        p(
            f"  {lines:>4} lines: recalculation x{ratio(b.recalc.p50, a.recalc.p50):.2f},"
            f" add item x{ratio(b.add.p50, a.add.p50):.2f}"
            f"  (touching {a.touching:.0f} -> {b.touching:.0f})"
        )
    p("Add item vs full recalculation (p50 ratio):")
    for c in cells:
        if c.lines == config.line_counts[-1]:
            growth = ratio(c.add.p50, c.recalc.p50)
            p(f"  {c.promotions:>6,} promotions x {c.lines} lines: x{growth:.2f}")
    p("")
    p(
        f"Touching held fixed ({config.touching} promotions drawn from the tickets' items),"
        f" rest on other categories; {config.isolation_lines}-line tickets:"
    )
    header = (
        f"{'rest':>10} {'total':>7} {'touching':>8} {'applied':>7} "
        f"{'recalc p50':>10} {'recalc p99':>10} {'add p50':>8} {'add p99':>8}   (ms)"
    )
    p(header)
    p("-" * len(header))
    for c in iso:
        p(
            f"{c.promotions:>10,} {c.promotions + config.touching:>7,} {c.touching:>8.0f}"
            f" {c.applied:>7.0f} {c.recalc.p50:>10.2f} {c.recalc.p99:>10.2f}"
            f" {c.add.p50:>8.2f} {c.add.p99:>8.2f}"
        )
    a, b = iso[0], iso[-1]
    p(
        f"  ratio {b.promotions:,} vs {a.promotions:,}:"
        f" recalculation p50 x{ratio(b.recalc.p50, a.recalc.p50):.2f}"
        f" p99 x{ratio(b.recalc.p99, a.recalc.p99):.2f};"
        f" add item p50 x{ratio(b.add.p50, a.add.p50):.2f}"
        f" p99 x{ratio(b.add.p99, a.add.p99):.2f}"
    )
    p("")
    p(
        f"Quantities ({qty.lines}-line tickets, {qty.promotions:,} promotions): recalculation"
        f" p50 / p99 {qty.small.p50:.2f} / {qty.small.p99:.2f} ms at quantity 1,"
        f" {qty.big.p50:.2f} / {qty.big.p99:.2f} ms at quantity {qty.quantity:,}"
    )
    p(
        f"Supermarket ({big.lines:,}-line tickets, {big.promotions:,} promotions): add item"
        f" p50 / p99 {big.add.p50:.2f} / {big.add.p99:.2f} ms; full recalculation p50 / p99"
        f" {big.recalculation.p50:.2f} / {big.recalculation.p99:.2f} ms;"
        f" replaying {big.lines:,} adds"
        f" took {big.replay_s:.1f} s, a step over its last {big.replay.n} lines p50 / p99"
        f" {big.replay.p50:.2f} / {big.replay.p99:.2f} ms (output included); the same in CPU"
        f" time (what the machine's load does not add): add p50 / p99"
        f" {big.cpu['add'].p50:.2f} / {big.cpu['add'].p99:.2f} ms, recalculation"
        f" {big.cpu['recalculation'].p50:.2f} / {big.cpu['recalculation'].p99:.2f} ms,"
        f" replay step {big.cpu['replay'].p50:.2f} / {big.cpu['replay'].p99:.2f} ms"
    )
    p("")
    p("Targets (a latency target is judged on the slower of recalculation and add item):")
    for goal in goals:
        verdict = "PASS" if goal.passed else "MISS"
        p(
            f"  [{verdict}] {goal.name}: {show_figure(goal.figure, goal.unit)}"
            f" (target <= {show_figure(goal.limit, goal.unit)}; {goal.detail})"
        )
    p(f"Run took {elapsed:.0f} s.")


def to_json(
    config: Config,
    cells: Sequence[Cell],
    iso: Sequence[Cell],
    qty: QuantityRun,
    big: BigTickets,
    goals: Sequence[Target],
) -> dict[str, Any]:
    return {
        "config": asdict(config),
        "machine": {
            "python": platform.python_version(),
            "cpus": os.cpu_count(),
            "platform": platform.platform(),
        },
        "unit": "ms",
        "grid": [asdict(c) for c in cells],
        "isolation": [asdict(c) | {"rest": c.promotions, "fixed": config.touching} for c in iso],
        "quantities": asdict(qty),
        "supermarket": asdict(big),
        "targets": [
            {
                "name": g.name,
                "figure": g.figure,
                "limit": g.limit,
                "unit": g.unit,
                "passed": g.passed,
                "detail": g.detail,
            }
            for g in goals
        ],
    }


def main(argv: Sequence[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0] if __doc__ else None)
    parser.add_argument("--quick", action="store_true", help="tiny sizes, few repetitions")
    parser.add_argument("--json", type=Path, metavar="FILE", help="write the figures as JSON")
    parser.add_argument("--reps", type=int, help="timed repetitions per figure")
    parser.add_argument("--seed", type=int, help="seed of the synthetic chain")
    parser.add_argument("--strict", action="store_true", help="exit 1 when a target is missed")
    args = parser.parse_args(argv)
    config = QUICK if args.quick else FULL
    if args.reps is not None:
        config = replace(config, reps=max(1, args.reps))
    if args.seed is not None:
        config = replace(config, seed=args.seed)
    started = time.perf_counter()
    loads = [load_average()]
    rng = random.Random(config.seed)
    catalog = make_catalog(rng, config)
    coupons = make_coupons(rng, catalog)
    cells = grid(config, catalog, coupons)
    iso = isolation(config, catalog, coupons)
    qty = quantities(config, catalog, coupons)
    memory_mb = ticket_memory_mb(config, catalog, coupons)
    big = big_tickets(config, catalog, coupons)
    goals = targets(config, cells, iso, qty, memory_mb, big)
    loads.append(load_average())
    elapsed = time.perf_counter() - started
    print_report(config, catalog, cells, iso, qty, big, goals, elapsed, loads, quick=args.quick)
    if args.json is not None:
        figures = to_json(config, cells, iso, qty, big, goals) | {"load_average": loads}
        args.json.write_text(json.dumps(figures, indent=2) + "\n")
    return 1 if args.strict and not all(g.passed for g in goals) else 0


if __name__ == "__main__":
    sys.exit(main())
