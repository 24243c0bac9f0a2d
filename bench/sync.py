"""Sync benchmark (issue 3): initial sync, outbox drain, durable ticket close.

Runs a real back office (`pos-backoffice serve`) on 127.0.0.1 with a SQLite file,
and a real till data directory. Prints:

- initial sync of 10,000 promotions and 100,000 entitlements: seconds and records/s;
- draining 10,000 outbox events: events/s (target >= 1,000);
- ticket close with a durable commit (WAL, synchronous=FULL): p50 / p99, the ratio
  to a bare sqlite3 insert-and-commit with the same pragmas (target <= 2), and the
  close's own work (its p50 less the bare commit's: what the disk's fsync does not
  hide, so it varies less with the disk).

    .venv/bin/python bench/sync.py [--quick] [--json FILE]
"""

from __future__ import annotations

import argparse
import json
import os
import socket
import sqlite3
import statistics
import subprocess
import sys
import tempfile
import time
from collections.abc import Iterator, Sequence
from contextlib import contextmanager
from dataclasses import dataclass
from datetime import UTC, datetime
from pathlib import Path
from typing import Any

from sqlalchemy import insert
from sqlalchemy.orm import Session

from backoffice.chain.demo_chain import load_chain, read_chain_file
from backoffice.database import create_database_engine
from backoffice.migrate import upgrade_database
from backoffice.models.records import ChangeLogEntry, Record
from pos_app.engine import AddItem, Close
from pos_app.store.outbox import enqueue_event
from pos_app.till.commands import PayCash
from pos_app.wiring import enroll_till, open_sync, open_till

PROJECT = Path(__file__).resolve().parents[1]
DRAIN_TARGET = 1_000.0  # events/s from one till (issue 10)
CLOSE_TARGET = 2.0  # a durable close costs at most twice a bare sqlite3 commit (issue 19)
BIN = Path(sys.executable).parent


@dataclass(frozen=True)
class Sizes:
    promotions: int
    entitlements: int
    members: int
    events: int
    closes: int


FULL = Sizes(promotions=10_000, entitlements=100_000, members=10_000, events=10_000, closes=300)
QUICK = Sizes(promotions=200, entitlements=1_000, members=100, events=200, closes=20)


def free_port() -> int:
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return int(sock.getsockname()[1])


def percentile(values: Sequence[float], q: float) -> float:
    ordered = sorted(values)
    index = min(len(ordered) - 1, max(0, round(q / 100 * (len(ordered) - 1))))
    return ordered[index]


# ---------------------------------------------------------------- back office


def seed_back_office(database_url: str, sizes: Sizes) -> int:
    """Demo chain, then promotions, members and entitlements in bulk; returns records."""

    upgrade_database(database_url)
    engine = create_database_engine(database_url)
    now = datetime.now(UTC)
    chain = read_chain_file()
    skus = [item["sku"] for item in chain["catalog"]]
    rows: list[tuple[str, str, dict[str, Any]]] = []
    for n in range(sizes.promotions):
        rows.append(
            (
                "promotion",
                f"BENCH-P{n:05d}",
                {
                    "id": f"BENCH-P{n:05d}",
                    "type": "percent_off",
                    "sequence": 100 + n,
                    "auto_execute": False,
                    "percent": str(1 + n % 30),
                    "items": [skus[n % len(skus)]],
                    "valid_to": "2020-01-01",
                },
            )
        )
    for n in range(sizes.members):
        phone = f"+1555{n:07d}"
        rows.append(
            ("member", f"BM{n:05d}", {"id": f"BM{n:05d}", "name": f"M {n}", "phone": phone})
        )
    for n in range(sizes.entitlements):
        rows.append(
            (
                "entitlement",
                f"BE{n:06d}",
                {
                    "code": f"BE{n:06d}",
                    "member_id": f"BM{n % sizes.members:05d}",
                    "coupon_code": "MV-4",
                    "status": "issued",
                },
            )
        )
    with Session(engine) as session:
        load_chain(session, chain, now)
        session.commit()
    with Session(engine) as session:
        for start in range(0, len(rows), 5_000):
            chunk = rows[start : start + 5_000]
            entries = session.execute(
                insert(ChangeLogEntry).returning(ChangeLogEntry.seq),
                [
                    {
                        "kind": kind,
                        "record_id": record_id,
                        "store_id": None,
                        "version": 1,
                        "deleted": False,
                        "data": data,
                        "changed_at": now,
                        "changed_by": "bench",
                    }
                    for kind, record_id, data in chunk
                ],
            ).scalars()
            seqs = list(entries)
            session.execute(
                insert(Record),
                [
                    {
                        "kind": kind,
                        "record_id": record_id,
                        "store_id": None,
                        "version": 1,
                        "revision": 1,
                        "data": data,
                        "deleted": False,
                        "last_seq": seq,
                        "updated_at": now,
                    }
                    for (kind, record_id, data), seq in zip(chunk, seqs, strict=True)
                ],
            )
        session.commit()
    engine.dispose()
    return len(rows)


def cli(*args: str, database_url: str) -> str:
    proc = subprocess.run(
        [str(BIN / "pos-backoffice"), *args, "--database-url", database_url],
        capture_output=True,
        text=True,
        check=True,
    )
    return proc.stdout.strip().splitlines()[-1]


@contextmanager
def running_back_office(database_url: str) -> Iterator[str]:
    port = free_port()
    server = subprocess.Popen(
        [
            str(BIN / "pos-backoffice"),
            "serve",
            "--host",
            "127.0.0.1",
            "--port",
            str(port),
            "--database-url",
            database_url,
        ],
        stdout=subprocess.DEVNULL,
        stderr=subprocess.DEVNULL,
    )
    url = f"http://127.0.0.1:{port}"
    try:
        deadline = time.monotonic() + 30
        while time.monotonic() < deadline:
            try:
                socket.create_connection(("127.0.0.1", port), timeout=0.2).close()
                break
            except OSError:
                time.sleep(0.1)
        else:
            raise RuntimeError(f"{url}: the back office did not start")
        yield url
    finally:
        server.terminate()
        server.wait(10)


# ---------------------------------------------------------------- measurements


def measure_initial_sync(runtime: Any, records: int) -> dict[str, float]:

    run = open_sync(runtime, timeout=(5.0, 120.0))
    started = time.perf_counter()
    applied, set_aside, pages = run.pull_changes()
    seconds = time.perf_counter() - started
    return {
        "records": float(applied),
        "seeded": float(records),
        "set_aside": float(set_aside),
        "pages": float(pages),
        "seconds": seconds,
        "records_per_s": applied / seconds,
    }


def close_one_ticket(till: Any) -> float:
    """Ring up a small ticket, pay cash, and time only the durable close."""
    till.handle(AddItem("L1", "BURGER", 1))
    till.handle(AddItem("L2", "FRIES", 1))
    till.handle(AddItem("L3", "COLA", 1))
    till.handle(PayCash(str(till.priced.total)))
    started = time.perf_counter()
    till.handle(Close())
    return (time.perf_counter() - started) * 1000


def fill_outbox(runtime: Any, count: int) -> None:
    """``count`` ticket.closed events with distinct ticket ids, like a day offline."""

    events = runtime.sync_store.pending_events(1)
    template = json.loads(json.dumps(events[0]["payload"]))
    now = datetime.now(UTC)
    with runtime.database.unit_of_work() as uow:
        for n in range(count):
            payload = {**template, "ticket_id": f"bench-{n:06d}-{template['ticket_id']}"}
            enqueue_event(uow.session, "ticket.closed", payload, now)
        uow.commit()


def measure_drain(runtime: Any) -> dict[str, float]:

    run = open_sync(runtime, timeout=(5.0, 120.0))
    pending = runtime.sync_store.outbox_counts().pending
    started = time.perf_counter()
    uploaded, parked, _conflicts = run.drain_outbox()
    seconds = time.perf_counter() - started
    return {
        "events": float(uploaded),
        "pending_before": float(pending),
        "parked": float(parked),
        "seconds": seconds,
        "events_per_s": uploaded / seconds,
    }


class BareCommit:
    """A bare sqlite3 insert-and-commit with the till's pragmas (WAL, FULL), timed
    right after each ticket close so both see the same disk conditions."""

    def __init__(self, directory: Path) -> None:
        self._connection = sqlite3.connect(directory / "bare.sqlite3", isolation_level=None)
        self._connection.execute("PRAGMA journal_mode=WAL")
        self._connection.execute("PRAGMA synchronous=FULL")
        self._connection.execute("CREATE TABLE t (id INTEGER PRIMARY KEY, body TEXT)")
        self._body = "x" * 2_000

    def once(self) -> float:
        started = time.perf_counter()
        self._connection.execute("BEGIN IMMEDIATE")
        self._connection.execute("INSERT INTO t (body) VALUES (?)", (self._body,))
        self._connection.execute("COMMIT")
        return (time.perf_counter() - started) * 1000

    def close(self) -> None:
        self._connection.close()


# ---------------------------------------------------------------- main


def main(argv: Sequence[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--quick", action="store_true", help="tiny sizes (for the tests)")
    parser.add_argument("--json", metavar="FILE", help="also write the figures as JSON")
    args = parser.parse_args(argv)
    sizes = QUICK if args.quick else FULL

    figures: dict[str, Any] = {"sizes": sizes.__dict__}
    with tempfile.TemporaryDirectory(prefix="pos-bench-sync-") as temp:
        root = Path(temp)
        database_url = f"sqlite:///{root / 'backoffice.sqlite3'}"
        print(
            f"seeding the back office ({sizes.promotions} promotions, "
            f"{sizes.entitlements} entitlements, {sizes.members} members) ...",
            flush=True,
        )
        seeded = seed_back_office(database_url, sizes)
        code = cli("device-code", "--store", "DEMO-1", database_url=database_url)
        with running_back_office(database_url) as url:
            till_dir = root / "till"
            enroll_till(till_dir, url, code, device_name="bench")
            runtime = open_till(till_dir)
            try:
                initial = measure_initial_sync(runtime, seeded)
                runtime.till.reload_configuration()
                bare_commit = BareCommit(root)
                closes, bare = [], []
                for _ in range(sizes.closes):
                    closes.append(close_one_ticket(runtime.till))
                    bare.append(bare_commit.once())
                bare_commit.close()
                fill_outbox(runtime, sizes.events - sizes.closes)
                drain = measure_drain(runtime)
            finally:
                runtime.close()
    close_p50, close_p99 = statistics.median(closes), percentile(closes, 99)
    bare_p50, bare_p99 = statistics.median(bare), percentile(bare, 99)
    ratio = close_p50 / bare_p50
    figures.update(
        initial_sync=initial,
        drain=drain,
        close_ms={"p50": close_p50, "p99": close_p99},
        bare_commit_ms={"p50": bare_p50, "p99": bare_p99},
        close_to_bare_ratio_p50=ratio,
        close_work_ms_p50=close_p50 - bare_p50,
        close_to_bare_ratio_p99=close_p99 / bare_p99,
    )
    print()
    print(
        f"initial sync   {initial['records']:>9.0f} records in {initial['seconds']:.2f} s"
        f" = {initial['records_per_s']:,.0f} records/s ({initial['pages']:.0f} pages)"
    )
    drain_verdict = "PASS" if drain["events_per_s"] >= DRAIN_TARGET else "MISS"
    print(
        f"outbox drain   {drain['events']:>9.0f} events  in {drain['seconds']:.2f} s"
        f" = {drain['events_per_s']:,.0f} events/s (target >= {DRAIN_TARGET:,.0f}: {drain_verdict})"
    )
    print(f"ticket close   p50 {close_p50:.2f} ms  p99 {close_p99:.2f} ms  (durable commit)")
    print(f"bare sqlite3   p50 {bare_p50:.2f} ms  p99 {bare_p99:.2f} ms  (insert + commit)")
    verdict = "PASS" if ratio <= CLOSE_TARGET else "MISS"
    print(
        f"close / bare   p50 ratio {ratio:.2f} (target <= {CLOSE_TARGET:g}: {verdict}),"
        f" p99 ratio {close_p99 / bare_p99:.2f}"
    )
    print(f"close's work   p50 {close_p50 - bare_p50:.2f} ms beyond the bare commit")
    if args.json:
        Path(args.json).write_text(json.dumps(figures, indent=1), encoding="utf-8")
    return 0


if __name__ == "__main__":
    os.environ.setdefault("QT_QPA_PLATFORM", "offscreen")
    sys.exit(main())
