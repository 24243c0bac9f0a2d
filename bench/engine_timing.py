"""The engine benchmark's timing harness: tickets prepared under a price book, wall and
CPU time of a recalculation and of adding an item, one grid cell measured."""

from __future__ import annotations

import gc
import math
import os
import sys
import time
from collections.abc import Callable, Sequence
from dataclasses import dataclass
from datetime import datetime

from bench.engine_chain import NOW, Catalog, Config, CouponPlan, Raw, TicketSpec
from pos_app.engine import LineState, PriceBook, Refusal, Ticket, TicketState, recalculate
from pos_app.engine.commands import AddItem, Redeem
from pos_app.till.till import keep_out_of_gc_scans

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


def ratio(a: float, b: float) -> float:
    return a / b if b > 0 else math.inf
