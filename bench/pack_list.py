"""Pack-list benchmark (issue 21, item 5): 50 packs a page out of 10,000 in under 300 ms of
server time, for every sort and a few filters, on SQLite and on PostgreSQL.

Each backend gets a new migrated database with the demo chain, 10,000 coupon packs (paid
and campaign, draft, active and archived, long names) and 20,000 grants, then ANALYZE.
The admin page ``GET /admin/packs`` is requested in-process (the app over a real
database, signed in as a group administrator); the figure is the time the request
takes inside the app, rendering included.

    .venv/bin/python -m bench.pack_list [--packs N] [--rounds N] [--pg URL] [--no-pg]
"""

from __future__ import annotations

import argparse
import statistics
import sys
import tempfile
import time
import warnings
from collections.abc import Sequence
from datetime import UTC, date, datetime, timedelta
from decimal import Decimal
from pathlib import Path
from typing import Any

from sqlalchemy import insert, text

from backoffice.admin.users import add_admin_user
from backoffice.app import create_app
from backoffice.chain.demo_chain import load_chain, read_chain_file
from backoffice.database import Database
from backoffice.migrate import upgrade_database
from backoffice.models.packs import CouponPack, PackGrant
from backoffice.trust.admin_tokens import GROUP_ADMIN
from bench.intake import PG_URL, bench_database, verdict

with warnings.catch_warnings():
    warnings.filterwarnings("ignore", message=r"Using `httpx` with `starlette\.testclient`")
    from fastapi.testclient import TestClient

BUDGET_MS = 300.0
EMAIL, PASSWORD = "bench@example.com", "correct horse battery"
NOW = datetime(2026, 11, 15, 12, tzinfo=UTC)
QUERIES = [
    "",
    "?sort=name&order=asc",
    "?sort=type&order=asc",
    "?sort=status&order=desc",
    "?sort=sales_state&order=asc",
    "?sort=price&order=desc",
    "?sort=issued&order=desc",
    "?sort=sold&order=desc",
    "?sort=inventory_left&order=asc",
    "?sort=name&order=asc&page=100",
    "?channel=mall&store=DEMO-1&sort=price&order=asc",
    "?name=pack+12&status=active",
]


def _pack(number: int) -> dict[str, Any]:
    paid = number % 3 != 0
    status = ("active", "active", "draft", "archived")[number % 4]
    name = f"Pack {number} " + ("x" * 100 if number % 50 == 0 else "treats")
    row: dict[str, Any] = {
        "pack_type": "paid" if paid else "campaign",
        "status": status,
        "name": name,
        "time_zone": "UTC",
        "content": [
            {
                "coupon_code": "CV-5",
                "quantity": 2,
                "effective": "immediate",
                "validity_days": 30,
            }
        ],
        "channels": ["mall", "with_order"] if number % 2 else ["with_order"],
        "sold_count": number % 7 if paid else 0,
        "store_ids": ["DEMO-1"] if paid else [],
        "auto_refund": False,
        "created_at": NOW,
        "created_by": "admin:bench",
        "updated_at": NOW,
    }
    if paid:
        row |= {
            "sales_first_day": date(2026, 11, 1) + timedelta(days=number % 20),
            "sales_last_day": date(2026, 12, 31),
            "price": Decimal(f"{5 + number % 40}.90"),
            "inventory_limit": None if number % 5 == 0 else 10,
        }
    else:
        row |= {"distribution_method": "one_time", "channels": [], "store_ids": []}
    return row


def seed(url: str, packs: int) -> None:
    """A migrated database with the demo chain, ``packs`` packs and two grants each."""
    upgrade_database(url)
    database = Database(url)
    try:
        with database.sessions.begin() as session:
            load_chain(session, read_chain_file(), now=NOW)
            add_admin_user(session, EMAIL, PASSWORD, role=GROUP_ADMIN, now=NOW)
        with database.sessions.begin() as session:
            for start in range(0, packs, 1000):
                rows = [_pack(n) for n in range(start + 1, min(packs, start + 1000) + 1)]
                session.execute(insert(CouponPack), rows)
        with database.sessions.begin() as session:
            ids = list(session.scalars(text("SELECT id FROM coupon_packs")).all())
            grants = [
                {
                    "pack_id": pack_id,
                    "member_id": member,
                    "source": "gift",
                    "starts_at": NOW,
                    "cycles": 1,
                    "next_cycle": 2,
                    "created_at": NOW,
                }
                for pack_id in ids
                for member in ("M-1001", "M-1002")
            ]
            for start in range(0, len(grants), 5000):
                session.execute(insert(PackGrant), grants[start : start + 5000])
        with database.engine.connect() as connection:
            connection.execute(text("ANALYZE"))
            connection.commit()
    finally:
        database.dispose()


def measure(url: str, rounds: int) -> dict[str, list[float]]:
    """Milliseconds per request of each query, ``rounds`` times after one warm-up."""
    app = create_app(url, clock=lambda: NOW, pack_scheduler_interval=None)
    timings: dict[str, list[float]] = {query: [] for query in QUERIES}
    with TestClient(app) as client:
        page = client.get("/admin/sign-in").text
        token = page.split('name="csrf_token" value="')[1].split('"')[0]
        signed = client.post(
            "/admin/sign-in",
            data={"email": EMAIL, "password": PASSWORD, "csrf_token": token},
            follow_redirects=False,
        )
        assert signed.status_code == 303, signed.text
        for query in QUERIES:
            assert client.get("/admin/packs" + query).status_code == 200, query
            for _ in range(rounds):
                started = time.perf_counter()
                response = client.get("/admin/packs" + query)
                timings[query].append((time.perf_counter() - started) * 1000)
                assert response.status_code == 200
    return timings


def report(backend: str, timings: dict[str, list[float]]) -> bool:
    print(f"\n{backend}: GET /admin/packs, 50 a page (ms: median, p95, max; budget {BUDGET_MS})")
    worst = 0.0
    for query, figures in timings.items():
        ordered = sorted(figures)
        p95 = ordered[max(0, int(len(ordered) * 0.95) - 1)]
        worst = max(worst, p95)
        print(
            f"  {query or '(newest first)':<50} {statistics.median(ordered):7.1f}"
            f" {p95:7.1f} {ordered[-1]:7.1f}"
        )
    ok = worst < BUDGET_MS
    print(f"  worst p95 {worst:.1f} ms = {worst / BUDGET_MS:.2f} x budget  {verdict(ok)}")
    return ok


def main(argv: Sequence[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0] if __doc__ else None)
    parser.add_argument("--packs", type=int, default=10_000)
    parser.add_argument("--rounds", type=int, default=10)
    parser.add_argument("--pg", default=PG_URL, help="PostgreSQL server URL")
    parser.add_argument("--no-pg", action="store_true", help="SQLite only")
    args = parser.parse_args(argv)
    results = []
    with tempfile.TemporaryDirectory() as directory:
        url = f"sqlite:///{Path(directory) / 'packs.sqlite3'}"
        seed(url, args.packs)
        results.append(report(f"SQLite, {args.packs} packs", measure(url, args.rounds)))
    if not args.no_pg:
        with bench_database(args.pg) as url:
            seed(url, args.packs)
            results.append(report(f"PostgreSQL, {args.packs} packs", measure(url, args.rounds)))
    return 0 if all(results) else 1


if __name__ == "__main__":
    sys.exit(main())
