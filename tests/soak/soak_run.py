"""Set up a chain for the soak and run it: the packs it sells and gifts, the days, the
counts. `python -m tests.soak.soak_run --days 20` is what `make soak` runs."""

from __future__ import annotations

import argparse
import os
import random
import sys
import tempfile
import time
from pathlib import Path

from tests.soak.chain import STORE, Chain
from tests.soak.machine import SoakRun, run_soak

PG_URL = os.environ.get(
    "POS_BACKOFFICE_TEST_PG", "postgresql+psycopg://postgres@127.0.0.1:5432/test"
)
ALWAYS = {"first_day": "2020-01-01", "last_day": "2099-12-31"}


def _content(coupon: str, quantity: int) -> dict[str, object]:
    return {
        "coupon_code": coupon,
        "quantity": quantity,
        "effective": "immediate",
        "validity_days": 30,
    }


def prepare(chain: Chain, seed: int) -> SoakRun:
    """The packs of the soak: one sold at the tills (two member vouchers for 10.00, 40
    units, K12-K15) and one the administrator gifts (a cash voucher)."""
    server = chain.servers[0]
    paid = chain.admin(
        "POST",
        "/packs",
        server,
        {
            "type": "paid",
            "name": "Soak tea pack",
            "content": [_content("MV-4", 2)],
            "channels": ["with_order"],
            "sales_period": ALWAYS,
            "price": "10.00",
            "inventory": 40,
            "stores": [STORE],
        },
    )
    assert paid.status_code == 201, paid.text
    gift = chain.admin(
        "POST",
        "/packs",
        server,
        {
            "type": "campaign",
            "name": "Soak welcome pack",
            "content": [_content("CV-5", 1)],
            "distribution": {"method": "one_time"},
        },
    )
    assert gift.status_code == 201, gift.text
    return SoakRun(chain, random.Random(seed), str(paid.json()["id"]), str(gift.json()["id"]))


def report(run: SoakRun, seconds: float) -> str:
    rows = [f"{run.days} days in {seconds:.0f} s"]
    rows += [f"  {what}: {n}" for what, n in sorted(run.counts.counts.items())]
    rows += [f"  action {what}: {n}" for what, n in sorted(run.actions.items())]
    rows += [f"  syncs {run.chain.syncs}, syncs killed {run.chain.sync_kills}"]
    rows += [
        f"  server starts {sum(s.starts for s in run.chain.servers)},"
        f" till lives {sum(t.lives for t in run.chain.tills)},"
        f" open tickets restored with lines {sum(t.restored_lines for t in run.chain.tills)}"
    ]
    rows += [f"  broken: {b}" for b in run.counts.broken] or ["  broken: none"]
    rows += [f"  failed step:\n{error}" for error in run.errors]
    return "\n".join(rows)


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__)
    parser.add_argument("--days", type=int, default=20)
    parser.add_argument("--steps", type=int, default=40, help="actions a day, at most")
    parser.add_argument("--tills", type=int, default=3)
    parser.add_argument("--servers", type=int, default=2)
    parser.add_argument("--seed", type=int, default=None)
    args = parser.parse_args(argv)
    seed = args.seed if args.seed is not None else time.time_ns()
    started = time.monotonic()
    with tempfile.TemporaryDirectory(prefix="soak-") as work:
        print(f"soak seed {seed} in {work}", flush=True)
        chain = Chain(PG_URL, Path(work), servers=args.servers, tills=args.tills)
        run = prepare(chain, seed)
        try:
            run_soak(run, days=args.days, steps=args.steps)
        finally:
            chain.close()
            print(report(run, time.monotonic() - started), flush=True)
            if not run.counts.broken and not run.errors:
                chain.drop_database()
    return 0 if not run.counts.broken and not run.errors else 1


if __name__ == "__main__":
    sys.exit(main())
