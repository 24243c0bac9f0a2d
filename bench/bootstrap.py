"""First-sync benchmark (issue 10, S16): a store of an old chain against the same store new.

Two back-office databases on the PostgreSQL server hold the same live records for
store DEMO-1 (the demo chain, 10,000 promotions, 10,000 members, 100,000 entitlements,
half of them redeemed):

- **aged**: the chain's whole history is in the change log, 1,000,000 changes: every
  promotion edited 20 times, every entitlement issued and half of them redeemed, and
  the rest other stores' item edits;
- **fresh**: one change per live record.

A real till enrolls with `pos-backoffice serve` over each and downloads until
current; the aged store's first sync must take at most 1.5 times the fresh one's.

    .venv/bin/python -m bench.bootstrap [--quick] [--json FILE] [--pg URL]
"""

from __future__ import annotations

import argparse
import json
import os
import sys
import tempfile
import time
from collections.abc import Sequence
from dataclasses import asdict, dataclass
from datetime import UTC, datetime
from pathlib import Path
from typing import Any

from sqlalchemy import create_engine, text

from backoffice.chain.demo_chain import load_chain, read_chain_file
from backoffice.database import Database
from backoffice.migrate import upgrade_database
from backoffice.trust.enrollment import issue_enrollment_code
from bench.intake import PG_URL, bench_database, running_server, verdict
from pos_app.wiring import enroll_till, open_sync, open_till

TARGET_RATIO = 1.5


@dataclass(frozen=True)
class Sizes:
    promotions: int
    edits: int
    members: int
    entitlements: int
    history: int  # changes the aged chain made over its life, in all


FULL = Sizes(promotions=10_000, edits=20, members=10_000, entitlements=100_000, history=1_000_000)
QUICK = Sizes(promotions=100, edits=20, members=100, entitlements=1_000, history=10_000)

PROMOTION_SQL = """
json_build_object('id', 'BENCH-P' || lpad(p::text, 6, '0'), 'type', 'percent_off',
  'sequence', 1000 + p, 'auto_execute', false, 'percent', (1 + (p + v) % 30)::text,
  'items', json_build_array('BURGER'), 'valid_to', '2020-01-01')
"""
MEMBER_SQL = """
json_build_object('id', 'BM' || lpad(m::text, 6, '0'), 'name', 'Member ' || m,
  'phone', '+1555' || lpad(m::text, 7, '0'))
"""
ENTITLEMENT_SQL = """
json_build_object('code', 'BE' || lpad(e::text, 7, '0'),
  'member_id', 'BM' || lpad((1 + e % :members)::text, 6, '0'), 'coupon_code', 'MV-4',
  'status', CASE WHEN redeemed THEN 'redeemed' ELSE 'issued' END)
"""
ITEM_SQL = """
json_build_object('sku', 'OTHER-' || i, 'name', 'Other item ' || i, 'price', (1 + v % 9)::text
  || '.00', 'category', 'other')
"""


def _log(connection: Any, select_sql: str, params: dict[str, Any]) -> int:
    """Append the change-log entries ``select_sql`` yields (kind, record_id, store_id, data)."""
    result = connection.execute(
        text(
            "INSERT INTO change_log (kind, record_id, store_id, version, deleted, data,"
            " changed_at, changed_by) SELECT kind, record_id, store_id, 1, false, data, now(),"
            f" 'bench' FROM ({select_sql}) AS changes (kind, record_id, store_id, data)"
        ),
        params,
    )
    return int(result.rowcount or 0)


def seed(database_url: str, sizes: Sizes, *, aged: bool) -> int:
    """The demo chain plus the bench's records; with ``aged``, their whole history and
    other stores' changes up to ``sizes.history`` entries. Returns the entries written."""
    upgrade_database(database_url)
    database = Database(database_url)
    with database.sessions.begin() as session:
        load_chain(session, read_chain_file(), datetime.now(UTC))
    database.dispose()
    engine = create_engine(database_url)
    edits = sizes.edits if aged else 1
    params = {
        "promotions": sizes.promotions,
        "members": sizes.members,
        "entitlements": sizes.entitlements,
        "edits": edits,
    }
    written = 0
    with engine.begin() as connection:
        written += _log(
            connection,
            f"SELECT 'promotion' AS kind, 'BENCH-P' || lpad(p::text, 6, '0') AS record_id,"
            f" NULL AS store_id, {PROMOTION_SQL} AS data FROM generate_series(1, :edits) AS v,"
            f" generate_series(1, :promotions) AS p ORDER BY v, p",
            params,
        )
        written += _log(
            connection,
            f"SELECT 'member', 'BM' || lpad(m::text, 6, '0'), NULL, {MEMBER_SQL}"
            " FROM generate_series(1, :members) AS m",
            params,
        )
        redeemed_stages = "ARRAY[false, true]" if aged else "ARRAY[e % 2 = 0]"
        written += _log(
            connection,
            f"SELECT 'entitlement', 'BE' || lpad(e::text, 7, '0'), NULL, {ENTITLEMENT_SQL}"
            f" FROM generate_series(1, :entitlements) AS e,"
            f" unnest({redeemed_stages}) WITH ORDINALITY AS stage(redeemed, n)"
            " WHERE NOT redeemed OR e % 2 = 0 ORDER BY n, e",
            params,
        )
        if aged:
            filler = max(0, sizes.history - written)
            written += _log(
                connection,
                f"SELECT 'item', 'OTHER-' || i, 'S' || lpad((i % 1000)::text, 4, '0'),"
                f" {ITEM_SQL} FROM generate_series(0, :filler - 1) AS n,"
                " LATERAL (SELECT n % 50000 AS i, n / 50000 AS v) AS which ORDER BY n",
                {"filler": filler},
            )
        connection.execute(
            text(
                "INSERT INTO records (kind, record_id, store_id, version, revision, data,"
                " deleted, last_seq, updated_at)"
                " SELECT DISTINCT ON (kind, record_id) kind, record_id, store_id, 1,"
                " count(*) OVER (PARTITION BY kind, record_id), data, false, seq, now()"
                " FROM change_log WHERE changed_by = 'bench'"
                " ORDER BY kind, record_id, seq DESC"
            )
        )
    with engine.connect().execution_options(isolation_level="AUTOCOMMIT") as connection:
        connection.execute(text("VACUUM ANALYZE"))
    engine.dispose()
    return written


@dataclass
class FirstSync:
    entries: int
    records: int
    pages: int
    seconds: float


def first_sync(database_url: str, directory: Path, entries: int) -> FirstSync:
    """A new till's first download from `serve` over ``database_url``, timed."""
    database = Database(database_url)
    with database.sessions.begin() as session:
        code = issue_enrollment_code(session, "DEMO-1", datetime.now(UTC))
    database.dispose()
    with running_server(database_url, 1) as (port, _server):
        till_dir = directory / "till"
        enroll_till(till_dir, f"http://127.0.0.1:{port}", code, device_name="bench-first-sync")
        runtime = open_till(till_dir)
        try:
            run = open_sync(runtime, timeout=(5.0, 300.0))
            started = time.perf_counter()
            applied, _aside, pages = run.pull_changes()
            seconds = time.perf_counter() - started
        finally:
            runtime.close()
    return FirstSync(entries, applied, pages, seconds)


def main(argv: Sequence[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--quick", action="store_true", help="tiny sizes (for the tests)")
    parser.add_argument("--json", metavar="FILE", help="also write the figures as JSON")
    parser.add_argument("--pg", default=PG_URL, help="the PostgreSQL server to use")
    args = parser.parse_args(argv)
    sizes = QUICK if args.quick else FULL
    results: dict[str, FirstSync] = {}
    for label, aged in (("fresh", False), ("aged", True)):
        with bench_database(args.pg) as url, tempfile.TemporaryDirectory() as temp:
            print(f"seeding the {label} chain ...", flush=True)
            entries = seed(url, sizes, aged=aged)
            results[label] = first_sync(url, Path(temp), entries)
    fresh, aged_sync = results["fresh"], results["aged"]
    ratio = aged_sync.seconds / fresh.seconds
    print()
    for label, result in results.items():
        print(
            f"{label:>6} chain: {result.entries:>9,} changes in its life; first sync"
            f" {result.records:,} records in {result.pages} pages, {result.seconds:.2f} s"
        )
    print(
        f"aged / fresh {ratio:.2f} (target <= {TARGET_RATIO}: {verdict(ratio <= TARGET_RATIO)});"
        f" load {os.getloadavg()[0]:.1f}"
    )
    if args.json:
        figures: dict[str, Any] = {label: asdict(result) for label, result in results.items()}
        figures.update(ratio=ratio, sizes=asdict(sizes))
        Path(args.json).write_text(json.dumps(figures, indent=1), encoding="utf-8")
    return 0


if __name__ == "__main__":
    os.environ.setdefault("QT_QPA_PLATFORM", "offscreen")
    sys.exit(main())
