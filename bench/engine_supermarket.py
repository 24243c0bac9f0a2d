"""The engine benchmark's supermarket figures: adding the last line to 1,000-line
tickets, their full recalculation, and a scenario replay ringing one up."""

from __future__ import annotations

import json
import random
import time
from dataclasses import dataclass
from typing import Any

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
    CpuTime,
    Figures,
    book_of,
    clock,
    figures,
    prepare,
    progress,
    time_add_item,
    time_recalculation,
)
from pos_app.engine import PriceBook, Ticket
from pos_app.scenario.replay import run_step


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
