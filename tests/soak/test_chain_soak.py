"""The short chain soak inside `make test` (issue 18 item 8; `make soak` runs the long
one): one business day of random cashier and administrator actions on two real servers
sharing PostgreSQL and three real tills, with kill -9 of tills, syncs and servers;
afterwards every sale is stored once, numbers are unique per till, every stored sale
adds up, Z reports equal their sales, no pack unit is sold twice, no entitlement lacks
its coupon, and no server answered 5xx (S1, S2, S8, S17, K12-K15)."""

from __future__ import annotations

import time
from pathlib import Path

import pytest

from tests.backoffice.conftest import PostgresServer
from tests.soak.chain import Chain
from tests.soak.machine import run_soak
from tests.soak.soak_run import PG_URL, prepare, report

pytestmark = pytest.mark.slow  # starts servers and processes

DAYS = 3
STEPS = 12


def test_a_short_soak_keeps_every_invariant(
    postgres_server: PostgresServer, tmp_path: Path
) -> None:
    if postgres_server.problem:
        pytest.skip(postgres_server.problem)
    seed = time.time_ns()
    chain = Chain(PG_URL, tmp_path, servers=2, tills=3)
    run = prepare(chain, seed)
    started = time.monotonic()
    try:
        run_soak(run, days=DAYS, steps=STEPS)
    finally:
        chain.close()
        print(report(run, time.monotonic() - started), f"(seed {seed})")
    try:
        assert run.days == DAYS + 1 and not run.counts.broken
        assert run.counts.counts["sales closed at the tills"] > 0
        assert run.counts.counts["sales stored"] == run.counts.counts["sales closed at the tills"]
    finally:
        chain.drop_database()
