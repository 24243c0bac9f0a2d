"""Intake load test (issue 10): many tills uploading to `pos-backoffice serve` on PostgreSQL.

A real till (a temporary data directory, the demo store) rings up and closes a few
4-line tickets; their ``ticket.closed`` events, cut from its outbox, are the templates
of every uploaded event (each with its own idempotency key, ticket id, device and
sequence number). ``--tills`` tills, each enrolled for real, upload ``--batches``
batches of ``--batch`` events at once, over keep-alive connections, to
`pos-backoffice serve --workers N` on a database of its own on the PostgreSQL server.
Then ``--stored`` sales are written straight into the database and the load runs
again. Prints events/s for both runs, their ratio, and PASS/MISS against the targets
(>= 2,000 events/s; the second run within 20% of the first).

    .venv/bin/python -m bench.intake [--quick] [--json FILE] [--pg URL] [--workers N]
"""

from __future__ import annotations

import argparse
import http.client
import json
import os
import statistics
import subprocess
import sys
import tempfile
import threading
import time
import uuid
from collections.abc import Iterator, Sequence
from contextlib import contextmanager
from dataclasses import asdict, dataclass
from datetime import UTC, datetime
from pathlib import Path
from typing import Any

from sqlalchemy import create_engine, text
from sqlalchemy.engine import make_url

from backoffice.chain.demo_chain import load_chain, read_chain_file
from backoffice.database import Database
from backoffice.migrate import upgrade_database
from backoffice.trust.enrollment import enroll_device, issue_enrollment_code
from bench.sync import free_port, percentile
from pos_app.engine import AddItem, Close
from pos_app.till.commands import PayCash
from pos_app.wiring import open_till

BIN = Path(sys.executable).parent
START_TIMEOUT_S = 180
PG_URL = os.environ.get(
    "POS_BACKOFFICE_TEST_PG", "postgresql+psycopg://postgres@127.0.0.1:5432/test"
)
TARGET_EVENTS_PER_S = 2_000.0
TARGET_RATIO = 0.8
TICKETS = [
    ("BURGER", "FRIES", "COLA", "SALAD"),
    ("BURGER", "BURGER", "COLA", "COLA"),
    ("SALAD", "FRIES", "COLA", "BURGER"),
]


@dataclass(frozen=True)
class Sizes:
    tills: int
    batches: int
    batch: int
    stored: int
    workers: int


FULL = Sizes(tills=100, batches=4, batch=50, stored=1_000_000, workers=2)
QUICK = Sizes(tills=6, batches=2, batch=10, stored=2_000, workers=2)


# ---------------------------------------------------------------- events


def real_ticket_events(directory: Path) -> list[dict[str, Any]]:
    """``ticket.closed`` events of real 4-line tickets, from a real till's outbox."""
    runtime = open_till(directory)
    try:
        till = runtime.till
        for skus in TICKETS:
            for number, sku in enumerate(skus, start=1):
                till.handle(AddItem(f"L{number}", sku, 1))
            till.handle(PayCash(str(till.priced.total)))
            till.handle(Close())
        events = runtime.sync_store.pending_events(len(TICKETS))
    finally:
        runtime.close()
    if len(events) != len(TICKETS) or any(len(e["payload"]["lines"]) != 4 for e in events):
        raise RuntimeError("the till did not queue one 4-line ticket.closed per ticket")
    return events


def batches_for(
    templates: Sequence[dict[str, Any]], device_id: str, store_id: str, sizes: Sizes, run: str
) -> list[bytes]:
    """The upload bodies of one till: its events, each with its own key, ticket id and
    number (the back office holds a store's number once: issue 18)."""
    bodies = []
    seq = 0
    for _ in range(sizes.batches):
        events = []
        for _ in range(sizes.batch):
            template = templates[seq % len(templates)]
            seq += 1
            payload = {
                **template["payload"],
                "ticket_id": f"{run}-{device_id[:8]}-{seq:06d}",
                "number": f"{run}-{device_id[:8]}-{seq:06d}",  # a till gives each once
                "store_id": store_id,
                "device_id": device_id,
            }
            events.append(
                {
                    **template,
                    "idempotency_key": str(uuid.uuid4()),
                    "device_seq": seq,
                    "payload": payload,
                }
            )
        bodies.append(json.dumps({"events": events}).encode("utf-8"))
    return bodies


# ---------------------------------------------------------------- database and server


@contextmanager
def bench_database(server_url: str) -> Iterator[str]:
    """A new database on the PostgreSQL server, dropped at the end."""
    admin_url = make_url(server_url).set(database="postgres")
    name = f"bench_intake_{uuid.uuid4().hex[:10]}"
    engine = create_engine(admin_url, isolation_level="AUTOCOMMIT")
    with engine.connect() as connection:
        connection.execute(text(f'CREATE DATABASE "{name}"'))
    try:
        yield admin_url.set(database=name).render_as_string(hide_password=False)
    finally:
        with engine.connect() as connection:
            connection.execute(text(f'DROP DATABASE IF EXISTS "{name}" WITH (FORCE)'))
        engine.dispose()


def enroll_tills(database_url: str, count: int) -> list[tuple[str, str, str]]:
    """``count`` devices of store DEMO-1, enrolled with one-time codes: (id, store, token)."""
    database = Database(database_url)
    try:
        now = datetime.now(UTC)
        with database.sessions.begin() as session:
            load_chain(session, read_chain_file(), now)
        tills = []
        with database.sessions.begin() as session:
            for number in range(count):
                code = issue_enrollment_code(session, "DEMO-1", now)
                device = enroll_device(session, code, f"bench-till-{number}", now)
                tills.append((device.device_id, device.store_id, device.token))
        return tills
    finally:
        database.dispose()


def store_sales(database_url: str, count: int) -> float:
    """``count`` 4-line sales of 1,000 stores written straight into the database (as if
    received before); returns the seconds it took."""
    started = time.perf_counter()
    engine = create_engine(database_url)
    with engine.begin() as connection:
        connection.execute(
            text(
                "INSERT INTO devices (device_id, store_id, name, token_hash, enrolled_at)"
                " VALUES ('seed-device', 'SEED', 'seed', :hash, now())"
            ),
            {"hash": uuid.uuid4().hex},
        )
        connection.execute(
            text(
                "INSERT INTO received_events (idempotency_key, payload_hash, device_id,"
                " store_id, event_type, event_version, device_seq, device_time, received_at,"
                " outcome, body)"
                " SELECT 'seed-' || g, md5(g::text), 'seed-device', 'S' || (g % 1000),"
                " 'ticket.closed', 1, g, now(), now(), 'accepted', '{}'::json"
                " FROM generate_series(1, :n) AS g"
            ),
            {"n": count},
        )
        connection.execute(
            text(
                "INSERT INTO sale_tickets (event_id, ticket_id, store_id, device_id, currency,"
                " total, opened_at, closed_at, received_at)"
                " SELECT id, 'seed-' || id, store_id, device_id, 'USD', '21.50', now(), now(),"
                " now() FROM received_events WHERE device_id = 'seed-device'"
            )
        )
        connection.execute(
            text(
                "INSERT INTO sale_lines (sale_id, position, line_id, sku, name, qty,"
                " unit_price, gross, net, adjustments)"
                " SELECT s.id, p, 'L' || p, 'BURGER', 'Classic burger', 1, '12.00', '12.00',"
                " '12.00', '[]'::json FROM sale_tickets s CROSS JOIN generate_series(0, 3) AS p"
                " WHERE s.device_id = 'seed-device'"
            )
        )
    with engine.connect().execution_options(isolation_level="AUTOCOMMIT") as connection:
        connection.execute(text("ANALYZE"))
    engine.dispose()
    return time.perf_counter() - started


@contextmanager
def running_server(
    database_url: str, workers: int
) -> Iterator[tuple[int, subprocess.Popen[bytes]]]:
    port = free_port()
    with tempfile.TemporaryFile() as log:  # the server's stderr, told if it fails to start
        server = subprocess.Popen(
            [
                str(BIN / "pos-backoffice"),
                "serve",
                "--port",
                str(port),
                "--workers",
                str(workers),
                "--log-level",
                "warning",
                "--database-url",
                database_url,
            ],
            stdout=subprocess.DEVNULL,
            stderr=log,
        )
        try:
            # Workers import the whole app before they answer: on a loaded 2-core machine
            # that has taken over a minute.
            deadline = time.monotonic() + START_TIMEOUT_S
            while True:
                try:
                    connection = http.client.HTTPConnection("127.0.0.1", port, timeout=2)
                    connection.request("GET", "/api/v1/ping")
                    connection.getresponse().read()
                    connection.close()
                    break
                except OSError:
                    if time.monotonic() > deadline or server.poll() is not None:
                        log.seek(0)
                        told = log.read().decode(errors="replace")[-2000:]
                        raise RuntimeError(
                            f"pos-backoffice serve did not start in {START_TIMEOUT_S} s:\n{told}"
                        ) from None
                    time.sleep(0.2)
            yield port, server
        finally:
            server.terminate()
            server.wait(30)


def cpu_seconds(pid: int) -> float:
    """CPU time of a process and its children (the server's workers), from /proc."""
    total = 0.0
    ticks = os.sysconf("SC_CLK_TCK")
    pids = [pid, *_children(pid)]
    for one in pids:
        try:
            fields = Path(f"/proc/{one}/stat").read_text().rsplit(")", 1)[1].split()
        except OSError:
            continue
        total += (int(fields[11]) + int(fields[12])) / ticks
    return total


def _children(pid: int) -> list[int]:
    try:
        found = Path(f"/proc/{pid}/task/{pid}/children").read_text().split()
    except OSError:
        return []
    children = [int(child) for child in found]
    return children + [grand for child in children for grand in _children(child)]


# ---------------------------------------------------------------- load


@dataclass
class LoadResult:
    events: int
    seconds: float
    events_per_s: float
    batch_p50_ms: float
    batch_p99_ms: float
    server_cpu_ms_per_event: float
    rejected: int
    load_average: float


Upload = tuple[str, list[bytes]]  # a till's token and its upload bodies


def run_load(port: int, server_pid: int, uploads: list[Upload]) -> LoadResult:
    """Every till uploads its batches one after the other, all tills at once."""
    latencies: list[float] = []
    outcomes: dict[str, int] = {}
    errors: list[str] = []
    lock = threading.Lock()
    start = threading.Barrier(len(uploads) + 1)

    def till(bodies: list[bytes], token: str) -> None:
        connection = http.client.HTTPConnection("127.0.0.1", port, timeout=120)
        headers = {"Authorization": f"Bearer {token}", "Content-Type": "application/json"}
        start.wait()
        for body in bodies:
            began = time.perf_counter()
            connection.request("POST", "/api/v1/events", body=body, headers=headers)
            response = connection.getresponse()
            reply = response.read()
            took = time.perf_counter() - began
            with lock:
                latencies.append(took * 1000)
                if response.status != 200:
                    errors.append(f"{response.status}: {reply[:200]!r}")
                    continue
                for result in json.loads(reply)["results"]:
                    outcomes[result["outcome"]] = outcomes.get(result["outcome"], 0) + 1
        connection.close()

    threads = [
        threading.Thread(target=till, args=(bodies, token), daemon=True)
        for token, bodies in uploads
    ]
    for thread in threads:
        thread.start()
    cpu_before = cpu_seconds(server_pid)
    start.wait()
    began = time.perf_counter()
    for thread in threads:
        thread.join()
    seconds = time.perf_counter() - began
    cpu = cpu_seconds(server_pid) - cpu_before
    if errors:
        raise RuntimeError(f"{len(errors)} upload(s) failed, first: {errors[0]}")
    events = sum(outcomes.values())
    if outcomes.get("accepted", 0) != events:
        raise RuntimeError(f"not every event was accepted: {outcomes}")
    return LoadResult(
        events=events,
        seconds=seconds,
        events_per_s=events / seconds,
        batch_p50_ms=statistics.median(latencies),
        batch_p99_ms=percentile(latencies, 99),
        server_cpu_ms_per_event=cpu * 1000 / events,
        rejected=outcomes.get("rejected", 0),
        load_average=os.getloadavg()[0],
    )


def uploads_for(
    templates: Sequence[dict[str, Any]],
    tills: Sequence[tuple[str, str, str]],
    sizes: Sizes,
    run: str,
) -> list[Upload]:
    """Per till: its token and its batches."""
    return [
        (token, batches_for(templates, device_id, store_id, sizes, run))
        for device_id, store_id, token in tills
    ]


def verdict(ok: bool) -> str:
    return "PASS" if ok else "MISS"


def main(argv: Sequence[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--quick", action="store_true", help="tiny sizes (for the tests)")
    parser.add_argument("--json", metavar="FILE", help="also write the figures as JSON")
    parser.add_argument("--pg", default=PG_URL, help="the PostgreSQL server to use")
    parser.add_argument("--workers", type=int, default=None, help="server processes")
    args = parser.parse_args(argv)
    sizes = QUICK if args.quick else FULL
    if args.workers:
        sizes = Sizes(sizes.tills, sizes.batches, sizes.batch, sizes.stored, args.workers)
    with tempfile.TemporaryDirectory(prefix="pos-bench-intake-") as temp:
        templates = real_ticket_events(Path(temp) / "till")
    with bench_database(args.pg) as database_url:
        upgrade_database(database_url)
        tills = enroll_tills(database_url, sizes.tills)
        print(
            f"{sizes.tills} tills x {sizes.batches} batches x {sizes.batch} events,"
            f" serve --workers {sizes.workers}, PostgreSQL",
            flush=True,
        )
        with running_server(database_url, sizes.workers) as (port, server):
            warm = uploads_for(templates, tills[:2], Sizes(2, 1, sizes.batch, 0, 1), "warm")
            run_load(port, server.pid, warm)
            empty = run_load(port, server.pid, uploads_for(templates, tills, sizes, "a"))
        print(f"storing {sizes.stored:,} sales ...", flush=True)
        seeding = store_sales(database_url, sizes.stored)
        with running_server(database_url, sizes.workers) as (port, server):
            warm = uploads_for(templates, tills[:2], Sizes(2, 1, sizes.batch, 0, 1), "warm2")
            run_load(port, server.pid, warm)
            full = run_load(port, server.pid, uploads_for(templates, tills, sizes, "b"))
    ratio = full.events_per_s / empty.events_per_s
    figures = {
        "sizes": asdict(sizes),
        "empty": asdict(empty),
        "stored": asdict(full),
        "seeding_s": seeding,
        "ratio": ratio,
    }
    print()
    for label, result in (("empty database", empty), (f"{sizes.stored:,} sales", full)):
        print(
            f"{label:>18}: {result.events:,} events in {result.seconds:.2f} s ="
            f" {result.events_per_s:,.0f} events/s; batch p50 {result.batch_p50_ms:.0f} ms,"
            f" p99 {result.batch_p99_ms:.0f} ms; server CPU {result.server_cpu_ms_per_event:.2f}"
            f" ms/event; load {result.load_average:.1f}"
        )
    fast_enough = empty.events_per_s >= TARGET_EVENTS_PER_S
    print(
        f"ingest             {empty.events_per_s:,.0f} events/s"
        f" (target >= {TARGET_EVENTS_PER_S:,.0f}: {verdict(fast_enough)})"
    )
    print(
        f"with stored sales  {full.events_per_s:,.0f} events/s, ratio {ratio:.2f}"
        f" (target >= {TARGET_RATIO}: {verdict(ratio >= TARGET_RATIO)})"
    )
    if args.json:
        Path(args.json).write_text(json.dumps(figures, indent=1), encoding="utf-8")
    return 0


if __name__ == "__main__":
    os.environ.setdefault("QT_QPA_PLATFORM", "offscreen")
    sys.exit(main())
