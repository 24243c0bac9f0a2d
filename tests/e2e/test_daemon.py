"""The sync daemon (S10, S11): backs off while the back office is away, notices it coming
back and drains the outbox on its own; "sync now" wakes it at once; it also runs
headless as `pos-app sync --daemon`."""

from __future__ import annotations

import queue
import random
import signal
import subprocess
import time
from collections.abc import Callable
from itertools import pairwise

import pytest

from pos_app.sync.backoff import Backoff
from pos_app.sync.daemon import SyncDaemon
from pos_app.sync.status import SyncStatus
from pos_app.wiring import open_sync
from tests.e2e.conftest import EnrollTill
from tests.e2e.tills import SHORT_TIMEOUT, console_script
from tests.helpers.fault_proxy import Fault, FaultProxy
from tests.helpers.live_backoffice import LiveBackOffice

pytestmark = pytest.mark.slow  # starts servers or processes

STATUS_TIMEOUT = 10.0


def _wait_until(condition: Callable[[], bool], timeout: float, what: str) -> None:
    """Poll ``condition`` (a process or server we cannot be told about) until a deadline."""
    deadline = time.monotonic() + timeout
    while not condition():
        if time.monotonic() > deadline:
            raise AssertionError(f"timed out after {timeout} s waiting for {what}")
        time.sleep(0.05)


def test_daemon_backs_off_offline_drains_when_back_and_wakes_on_sync_now(
    backoffice: LiveBackOffice, proxy: FaultProxy, enroll: EnrollTill
) -> None:
    """S10/S11: the daemon backs off offline, drains by itself when back, wakes on sync_now."""
    till = enroll("till-1", url=proxy.url)
    till.sync()
    proxy.set_fault(Fault.REFUSE)
    sold = {till.sell([("BURGER", 1), ("COLA", n)]).closed_ticket_id for n in (1, 2, 3)}

    reports: queue.Queue[tuple[float, SyncStatus]] = queue.Queue()
    backoff = Backoff(initial=0.1, maximum=0.4, rng=random.Random(7))
    daemon = SyncDaemon(
        open_sync(till.runtime, timeout=SHORT_TIMEOUT),  # no re-pricing: the till is ours
        interval=60.0,  # online, only "sync now" brings the next attempt before a minute
        backoff=backoff,
        on_status=lambda status: reports.put((time.monotonic(), status)),
    )

    def next_status() -> tuple[float, SyncStatus]:
        return reports.get(timeout=STATUS_TIMEOUT)

    daemon.start()
    try:
        offline = [next_status() for _ in range(5)]
        assert all(not s.online and s.pending_events == 3 for _, s in offline)
        assert offline[-1][1].summary().startswith("offline · 3 waiting")
        gaps = [later - earlier for (earlier, _), (later, _) in pairwise(offline)]
        for gap, ceiling in zip(gaps, (0.1, 0.2, 0.4, 0.4), strict=True):
            assert ceiling / 2 - 0.01 <= gap <= ceiling + 1.0  # jittered, capped

        proxy.heal()  # the back office is reachable again: nobody tells the daemon
        healed_at = time.monotonic()
        at, status = next_status()
        while not status.online:
            at, status = next_status()
        assert at - healed_at <= 0.4 + 2.0  # within one (capped) backoff delay and an attempt
        assert (status.pending_events, status.failed_events) == (0, 0)
        assert status.last_success is not None
        assert {sale["id"] for sale in backoffice.sales()} == sold
        attempts = daemon.attempts

        woken = till.sell([("FRIES", 2)]).closed_ticket_id
        asked_at = time.monotonic()
        daemon.sync_now()
        at, status = next_status()
        assert at - asked_at < 5.0  # at once, not after the 60 s interval
        assert daemon.attempts == attempts + 1
        assert status.online and status.pending_events == 0
        assert woken in {sale["id"] for sale in backoffice.sales()}
    finally:
        daemon.stop()
    assert daemon.status.online


def test_headless_daemon_command_syncs_until_stopped(
    backoffice: LiveBackOffice, proxy: FaultProxy, enroll: EnrollTill
) -> None:
    """S11: `pos-app sync --daemon` runs headless, uploads as sales come, stops on SIGTERM."""
    till = enroll("till-1", url=proxy.url)
    till.sync()
    proxy.set_fault(Fault.REFUSE)
    first = till.sell([("SALAD", 1)]).closed_ticket_id
    daemon = subprocess.Popen(
        [
            *console_script("pos-app"),
            "--data-dir",
            str(till.data_dir),
            "sync",
            "--daemon",
            "--interval",
            "0.3",
        ],
        stdout=subprocess.PIPE,
        stderr=subprocess.PIPE,
        text=True,
    )
    try:
        assert daemon.stdout is not None
        assert daemon.stdout.readline().startswith("offline · 1 waiting")
        proxy.heal()

        def received() -> set[str]:
            return {sale["id"] for sale in backoffice.sales()}

        _wait_until(lambda: received() == {first}, 20, "the daemon to upload the first sale")
        second = till.sell([("SOUP", 2)]).closed_ticket_id
        _wait_until(lambda: received() == {first, second}, 10, "the daemon to upload another")
    finally:
        daemon.send_signal(signal.SIGTERM)
        out, err = daemon.communicate(timeout=20)
    assert daemon.returncode == 0, err
    assert "online · 0 waiting" in out
    assert till.outbox_statuses() == {"accepted": 2}
