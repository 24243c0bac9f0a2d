"""The server's chores (S16, S17), run by one server process at a time.

Every interval the process that leads (:class:`backoffice.sync.leadership.Leadership`)
issues due pack cycles and refunds (:func:`backoffice.packs.scheduler.run_due_work`),
publishes redemptions an upload left unpublished, and, once an hour, compacts the
change log past the retention window. The others only try to lead. All of this work
is safe twice; leading makes it happen once.
"""

from __future__ import annotations

import logging
import threading
import time
from datetime import timedelta

from backoffice.clock import Clock
from backoffice.database import Database
from backoffice.packs.scheduler import run_due_work
from backoffice.settings import DEFAULT_RETENTION
from backoffice.sync.change_feed import compact
from backoffice.sync.leadership import Leadership
from backoffice.sync.redemptions import publish_pending

log = logging.getLogger(__name__)

COMPACTION_EVERY_S = 3600.0


class ServerChores:
    """Runs the chores every ``interval`` seconds on its own daemon thread while this
    process leads. The first pass comes one interval after :meth:`start`; :meth:`stop`
    ends the thread after the pass under way and gives up the lead. A failing pass is
    logged and the next one runs as usual."""

    def __init__(
        self,
        database: Database,
        clock: Clock,
        interval: float,
        *,
        retention: timedelta = DEFAULT_RETENTION,
        compaction_every: float = COMPACTION_EVERY_S,
    ) -> None:
        if interval <= 0:
            raise ValueError(f"scheduler interval {interval} must be positive")
        self._database = database
        self._clock = clock
        self._interval = interval
        self._retention = retention
        self._compaction_every = compaction_every
        self._last_compaction: float | None = None
        self._leadership = Leadership(database)
        self._stopping = threading.Event()
        self._thread: threading.Thread | None = None
        self.passes = 0

    @property
    def leading(self) -> bool:
        return self._leadership.held

    def start(self) -> None:
        if self._thread is not None:
            return
        self._thread = threading.Thread(target=self._run, name="server-chores", daemon=True)
        self._thread.start()

    def stop(self, timeout: float = 30.0) -> None:
        self._stopping.set()
        if self._thread is not None:
            self._thread.join(timeout)
            self._thread = None
        self._leadership.release()

    def _run(self) -> None:
        while not self._stopping.wait(self._interval):
            try:
                if not self._leadership.try_lead():
                    continue
                self._pass()
            except Exception:  # a bad pass must not end the chores
                log.exception("server chores pass failed")
            finally:
                self.passes += 1

    def _pass(self) -> None:
        now = self._clock()
        report = run_due_work(self._database, now)
        if report.cycles_issued or report.refunded or report.failed_packs:
            log.info("pack scheduler: %s", report.summary())
        published = publish_pending(self._database, now)
        if published:
            log.info("published %d redeemed entitlement(s) left by uploads", published)
        started = time.monotonic()
        due = self._last_compaction is None or (
            started - self._last_compaction >= self._compaction_every
        )
        if due:
            self._last_compaction = started
            done = compact(self._database.sessions, now, self._retention)
            if done.dropped:
                log.info(
                    "compacted the change log: %d entries dropped, horizon %d",
                    done.dropped,
                    done.horizon,
                )
