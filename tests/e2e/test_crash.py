"""kill -9 at random moments (S1, S2, S8): while a till process closes tickets, after
every crash each closed ticket has its event and each event its ticket; while it syncs,
its download cursor always matches the pages applied. After a sync the back office
holds exactly the till's tickets."""

from __future__ import annotations

import json
import random
import sqlite3
import subprocess
import sys
import time
from functools import partial
from pathlib import Path

import pytest

from pos_app.store.database import database_path
from pos_app.sync.client import DEFAULT_TIMEOUT
from tests.e2e.conftest import EnrollTill
from tests.e2e.tills import assert_same_sales, backoffice_sales, console_script
from tests.helpers.fault_proxy import Exchange, FaultProxy
from tests.helpers.live_backoffice import LiveBackOffice, RawChange

pytestmark = pytest.mark.slow  # starts servers or processes

WORKER = Path(__file__).with_name("close_tickets_worker.py")
TARGET = 200
KILLS = 6
START_TIMEOUT = 30.0
FINISH_TIMEOUT = 60.0


def _till_state(path: Path) -> tuple[list[str], list[str], int, str]:
    """(closed ticket ids, ticket ids of ticket.closed events, open tickets, integrity)."""
    connection = sqlite3.connect(f"file:{path}?mode=ro", uri=True, timeout=10)
    try:
        tickets = [row[0] for row in connection.execute("SELECT ticket_id FROM tickets")]
        events = [
            json.loads(row[0])["ticket_id"]
            for row in connection.execute(
                "SELECT payload FROM outbox_events WHERE type = 'ticket.closed'"
            )
        ]
        open_tickets = connection.execute("SELECT COUNT(*) FROM open_tickets").fetchone()[0]
        integrity = connection.execute("PRAGMA integrity_check").fetchone()[0]
    finally:
        connection.close()
    return tickets, events, int(open_tickets), str(integrity)


def _start_worker(data_dir: Path) -> subprocess.Popen[str]:
    worker = subprocess.Popen(
        [sys.executable, str(WORKER), str(data_dir), str(TARGET)],
        stdout=subprocess.PIPE,
        stderr=subprocess.PIPE,
        text=True,
        cwd=Path(__file__).resolve().parents[2],
    )
    assert worker.stdout is not None
    line = worker.stdout.readline()  # blocks until "ready", or "" if the worker died
    if line.strip() != "ready":
        worker.kill()
        _, err = worker.communicate(timeout=START_TIMEOUT)
        raise AssertionError(f"the till worker did not start: {line!r} {err[-2000:]}")
    return worker


@pytest.mark.slow
def test_kill_9_while_closing_tickets_loses_and_doubles_nothing(
    backoffice: LiveBackOffice, enroll: EnrollTill
) -> None:
    """S1/S2: kill -9 while closing 200 tickets: ticket and event stay together, none lost."""
    till = enroll("till-1")
    till.sync()  # the configuration comes down before the till sells
    path = database_path(till.data_dir)
    seed = time.time_ns()
    rng = random.Random(seed)
    context = f"(random seed {seed})"

    kills = restored = 0
    while True:
        worker = _start_worker(till.data_dir)
        if kills < KILLS:
            # Let this life close a random share of what is left (so every kill happens
            # before the target), then kill it a random instant later: mid-ticket.
            left = TARGET - len(_till_state(path)[0])
            closes = rng.randint(1, max(1, left // (KILLS - kills + 1)))
            assert worker.stdout is not None
            for _ in range(closes):
                if not worker.stdout.readline():
                    break
            try:
                worker.wait(timeout=rng.uniform(0.0, 0.03))
            except subprocess.TimeoutExpired:
                worker.kill()  # SIGKILL: no cleanup, no rollback, no flush
                worker.communicate(timeout=START_TIMEOUT)
                kills += 1
                tickets, events, open_tickets, integrity = _till_state(path)
                assert integrity == "ok", context
                assert sorted(tickets) == sorted(events), f"S1 broken after kill {kills} {context}"
                assert len(set(events)) == len(events), context
                restored += open_tickets
                continue
        out, err = worker.communicate(timeout=FINISH_TIMEOUT)
        assert worker.returncode == 0, f"{err[-2000:]} {context}"
        assert out.strip().endswith(f"done {TARGET}"), context
        break

    tickets, events, open_tickets, integrity = _till_state(path)
    assert integrity == "ok", context
    assert len(tickets) == TARGET and sorted(tickets) == sorted(events), context
    assert open_tickets == 0, context

    started = time.monotonic()
    status = till.sync(timeout=DEFAULT_TIMEOUT)  # 200 events in one batch: the real timeout
    upload_seconds = time.monotonic() - started
    assert (status.pending_events, status.failed_events) == (0, 0), context
    assert till.outbox_statuses() == {"accepted": TARGET}, context
    assert_same_sales(till.closed_sales(), backoffice_sales(backoffice.sales()))
    assert kills == KILLS, context
    print(f"{kills} kills, {restored} left an open ticket, sync {upload_seconds:.1f} s {context}")


SOLD_BEFORE_SYNC = 150
PAGE = 500  # the page size `pos-app sync` asks for (SyncRun's default)
BULK_ITEMS = 3000
UNKNOWN_EVERY = 100
# Where each `pos-app sync --once` is killed: after which request reached the back
# office, and how long after it (seconds, drawn at random).
SYNC_KILLS = [
    ("/api/v1/ping", 0.05, 0.6),  # in the upload, most likely
    ("/api/v1/changes", 0.0, 0.15),  # in the download
    ("/api/v1/ping", 0.0, 1.2),  # anywhere
    ("/api/v1/changes", 0.0, 0.1),
]


def _requested(seen: list[Exchange], *, path: str, after: int) -> bool:
    """Whether a request to ``path`` reached the back office after the first ``after``."""
    return any(e.path == path for e in seen[after:])


def _download_state(path: Path) -> tuple[int, int, int]:
    """(cursor, records kept aside, bulk items applied) as the till's database has them."""
    connection = sqlite3.connect(f"file:{path}?mode=ro", uri=True, timeout=10)
    try:
        cursor = connection.execute("SELECT cursor FROM sync_cursors WHERE name = 'changes'")
        aside = connection.execute("SELECT COUNT(*) FROM set_aside_records").fetchone()[0]
        bulk = connection.execute(
            "SELECT COUNT(*) FROM catalog_items WHERE sku LIKE 'BULK-%'"
        ).fetchone()[0]
        return int(cursor.fetchone()[0]), int(aside), int(bulk)
    finally:
        connection.close()


@pytest.mark.slow
def test_kill_9_during_sync_resumes_without_loss_or_double_apply(
    backoffice: LiveBackOffice, proxy: FaultProxy, enroll: EnrollTill
) -> None:
    """S8/S3: kill -9 during `pos-app sync --once`: whole pages with their cursor, sales once."""
    till = enroll("till-1", url=proxy.url)
    till.sync()
    for n in range(SOLD_BEFORE_SYNC):
        till.sell([("BURGER", 1), ("COLA", 1 + n % 3)], card=n % 2 == 0)
    changes = [
        RawChange("gift_card", f"GC-{n:04}", {"code": f"GC-{n:04}"})
        if n % UNKNOWN_EVERY == 0
        else RawChange(
            "item",
            f"BULK-{n:04}",
            {"sku": f"BULK-{n:04}", "name": f"Bulk {n}", "price": "1.00", "category": "bulk"},
        )
        for n in range(BULK_ITEMS)
    ]
    seqs = backoffice.append_raw_changes(changes)
    unknown_seqs = [seq for seq, change in zip(seqs, changes, strict=True) if change.kind != "item"]
    path = database_path(till.data_dir)
    seed = time.time_ns()
    rng = random.Random(seed)
    context = f"(random seed {seed})"

    cursors: list[int] = []
    for after_path, shortest, longest in SYNC_KILLS:
        seen_before = len(proxy.exchanges)
        sync = subprocess.Popen(
            [*console_script("pos-app"), "--data-dir", str(till.data_dir), "sync", "--once"],
            stdout=subprocess.DEVNULL,
            stderr=subprocess.PIPE,
            text=True,
        )
        try:
            proxy.wait_for(partial(_requested, path=after_path, after=seen_before), timeout=30)
            sync.wait(timeout=rng.uniform(shortest, longest))
        except subprocess.TimeoutExpired:
            pass  # still syncing: the kill lands now
        finally:
            sync.kill()  # SIGKILL (nothing happens if it already finished)
            sync.communicate(timeout=30)
        cursor, aside, bulk = _download_state(path)
        applied = [seq for seq in seqs if seq <= cursor]
        at_page_end = cursor < seqs[0] or (
            cursor in seqs and ((seqs.index(cursor) + 1) % PAGE == 0 or cursor == seqs[-1])
        )
        assert at_page_end, f"cursor {cursor} is inside a page {context}"
        cursors.append(cursor)
        assert aside == len([seq for seq in unknown_seqs if seq <= cursor]), context  # S8
        assert bulk == len(applied) - aside, context
        tickets, events, _, integrity = _till_state(path)
        assert integrity == "ok" and sorted(tickets) == sorted(events), context

    status = till.sync(timeout=DEFAULT_TIMEOUT)
    assert (status.pending_events, status.failed_events) == (0, 0), context
    assert _download_state(path) == (seqs[-1], len(unknown_seqs), BULK_ITEMS - len(unknown_seqs))
    statuses = till.outbox_statuses()
    assert statuses["accepted"] + statuses["duplicate"] == SOLD_BEFORE_SYNC, context
    assert_same_sales(till.closed_sales(), backoffice_sales(backoffice.sales()))
    print(f"cursors after the kills: {cursors}, bulk {seqs[0]}..{seqs[-1]} {context}")
