"""The sync daemon: probes the back office with backoff, then drains and pulls (S10, S11).

It runs a :class:`SyncCycle` on its own thread (never the UI's), again after
``interval`` seconds while online, and after a backoff delay while offline. A
"sync now" request wakes it at once. Plain threads: nothing here imports Qt.
"""

from __future__ import annotations

import logging
import threading
from collections.abc import Callable
from typing import Protocol

from pos_app.sync.backoff import Backoff
from pos_app.sync.errors import SyncError, problem_of
from pos_app.sync.status import SyncProblem, SyncStatus

log = logging.getLogger(__name__)


class SyncCycle(Protocol):
    """One full sync attempt: probe, upload the outbox, download changes."""

    def run(self) -> SyncStatus:
        """Sync once; raise :class:`SyncError` when the back office cannot be reached."""
        ...

    def offline_status(self, error: str, problem: SyncProblem = SyncProblem.OFFLINE) -> SyncStatus:
        """The status to show after a failed attempt (events waiting, conflicts...)."""
        ...


class SyncDaemon:
    """Runs sync cycles on a background thread until stopped.

    Thread: its own daemon thread. ``status`` and ``sync_now()`` may be called from any
    thread; ``on_status`` is called on the daemon thread after every attempt.
    """

    def __init__(
        self,
        cycle: SyncCycle,
        *,
        interval: float = 30.0,
        backoff: Backoff | None = None,
        on_status: Callable[[SyncStatus], None] | None = None,
    ) -> None:
        self._cycle = cycle
        self._interval = interval
        self._backoff = backoff or Backoff()
        self._on_status = on_status
        self._wake = threading.Event()
        self._stop = threading.Event()
        self._lock = threading.Lock()
        self._status = SyncStatus()
        self._thread: threading.Thread | None = None
        self.attempts = 0

    @property
    def status(self) -> SyncStatus:
        with self._lock:
            return self._status

    def start(self) -> None:
        if self._thread is not None:
            return
        self._thread = threading.Thread(target=self._loop, name="sync-daemon", daemon=True)
        self._thread.start()

    def sync_now(self) -> None:
        """Wake the daemon for an attempt right away (the cashier's "Sync now")."""
        self._backoff.reset()
        self._wake.set()

    def stop(self, timeout: float = 10.0) -> None:
        self._stop.set()
        self._wake.set()
        if self._thread is not None:
            self._thread.join(timeout)
            self._thread = None

    def run_once(self) -> SyncStatus:
        """One attempt on the calling thread; returns and publishes the new status."""
        self.attempts += 1
        try:
            status = self._cycle.run()
            self._backoff.reset()
        except SyncError as exc:
            status = self._cycle.offline_status(str(exc), problem_of(exc))
        except Exception as exc:  # a bug must not kill the daemon: report it and go on
            log.exception("sync attempt failed")
            status = self._cycle.offline_status(f"internal error: {type(exc).__name__}")
        with self._lock:
            self._status = status
        if self._on_status is not None:
            self._on_status(status)
        return status

    def _loop(self) -> None:
        while not self._stop.is_set():
            status = self.run_once()
            delay = self._interval if status.online else self._backoff.next_delay()
            self._wake.wait(delay)
            self._wake.clear()
