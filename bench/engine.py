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

The parts live beside this command: ``engine_chain`` (the synthetic chain),
``engine_timing`` (the timing harness), ``engine_grid`` and ``engine_supermarket``
(the experiments), ``engine_report`` (the verdicts, the printed report, the JSON).
"""

from __future__ import annotations

import argparse
import json
import random
import sys
import time
from collections.abc import Sequence
from dataclasses import replace
from pathlib import Path

from bench.engine_chain import FULL, QUICK, make_catalog, make_coupons
from bench.engine_grid import grid, isolation, quantities, ticket_memory_mb
from bench.engine_report import print_report, targets, to_json
from bench.engine_supermarket import big_tickets
from bench.engine_timing import load_average


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
