"""The engine benchmark's verdicts and output: the targets judged, the printed table
and summary, the figures as JSON."""

from __future__ import annotations

import os
import platform
from collections.abc import Sequence
from dataclasses import asdict, dataclass
from typing import Any

from bench.engine_chain import Catalog, Config
from bench.engine_grid import QuantityRun
from bench.engine_supermarket import BigTickets
from bench.engine_timing import Cell, ratio

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
