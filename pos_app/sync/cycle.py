"""One sync attempt: probe, drain the outbox in order, then pull changes (S3–S10, S13)."""

from __future__ import annotations

from collections.abc import Callable, Mapping, Sequence
from dataclasses import dataclass
from datetime import UTC, datetime, timedelta
from typing import Any

from pos_app.store.sync_store import SyncStore
from pos_app.sync.client import BackOfficeClient
from pos_app.sync.errors import NotAuthorized, RequestRefused
from pos_app.sync.status import SyncStatus


@dataclass(frozen=True)
class SyncReport:
    """What one attempt did: events sent, records applied, pages, whether all is current."""

    uploaded: int = 0
    parked: int = 0
    conflicts: int = 0
    records_applied: int = 0
    records_set_aside: int = 0
    pages: int = 0
    download_current: bool = False


class SyncRun:
    """Runs sync attempts for one till against one back office. Use from one thread
    at a time (the daemon's). ``on_configuration_changed`` is called after a download
    that applied anything, so the owner can re-price the open ticket."""

    def __init__(
        self,
        store: SyncStore,
        client: BackOfficeClient,
        *,
        batch_size: int = 200,
        page_size: int = 500,
        clock: Callable[[], datetime] | None = None,
        on_configuration_changed: Callable[[], None] | None = None,
    ) -> None:
        self._store = store
        self._client = client
        self._batch_size = batch_size
        self._page_size = page_size
        self._clock = clock or (lambda: datetime.now(UTC))
        self._on_configuration_changed = on_configuration_changed
        self._last_success: datetime | None = None
        self._clock_skew: timedelta | None = None
        self.last_report = SyncReport()

    # ------------------------------------------------------------ SyncCycle

    def run(self) -> SyncStatus:
        """Probe, then drain, then pull (S10). Raises SyncError when offline."""
        pong = self._client.ping()
        self._clock_skew = self._skew(pong.get("server_time"))
        uploaded, parked, conflicts = self.drain_outbox()
        applied, set_aside, pages = self.pull_changes()
        self.last_report = SyncReport(
            uploaded, parked, conflicts, applied, set_aside, pages, download_current=True
        )
        self._last_success = self._clock()
        return self.status(online=True)

    def offline_status(self, error: str) -> SyncStatus:
        return self.status(online=False, error=error)

    # ------------------------------------------------------------ steps

    def drain_outbox(self) -> tuple[int, int, int]:
        """Upload every pending event in order, batch by batch (S4). Returns
        (events acknowledged, events parked as failed, conflicts)."""
        uploaded = parked = conflicts = 0
        while True:
            events = self._store.pending_events(self._batch_size)
            if not events:
                return uploaded, parked, conflicts
            results = self._upload(events)
            self._store.record_outcomes(results)
            for result in results:
                outcome = result.get("first_outcome") or result["outcome"]
                if outcome == "rejected":
                    parked += 1
                elif outcome == "conflict":
                    conflicts += 1
                uploaded += 1

    def _upload(self, events: Sequence[Mapping[str, Any]]) -> list[Mapping[str, Any]]:
        """One batch; a batch the server refuses whole is retried event by event so one
        bad event is parked and never blocks the queue (S5)."""
        try:
            return list(self._client.upload_events(events)["results"])
        except NotAuthorized:
            raise
        except RequestRefused as exc:
            if len(events) == 1:
                key = str(events[0]["idempotency_key"])
                return [{"idempotency_key": key, "outcome": "rejected", "reason": str(exc)}]
            results: list[Mapping[str, Any]] = []
            for event in events:
                results.extend(self._upload([event]))
            return results

    def pull_changes(self) -> tuple[int, int, int]:
        """Download pages from the stored cursor until current, each page applied with
        its cursor in one transaction (S7, S8). Returns (applied, set aside, pages)."""
        applied = set_aside = pages = 0
        cursor = self._store.download_cursor()
        while True:
            page = self._client.fetch_changes(cursor, self._page_size)
            outcome = self._store.apply_changes_page(page.records, page.cursor)
            pages += 1
            applied += outcome.applied + outcome.deleted
            set_aside += len(outcome.set_aside)
            cursor = page.cursor
            if not page.has_more:
                break
        if applied and self._on_configuration_changed is not None:
            self._on_configuration_changed()
        return applied, set_aside, pages

    # ------------------------------------------------------------ status

    def status(self, *, online: bool, error: str | None = None) -> SyncStatus:
        counts = self._store.outbox_counts()
        return SyncStatus(
            online=online,
            pending_events=counts.pending,
            failed_events=counts.failed,
            open_conflicts=counts.open_conflicts,
            last_success=self._last_success,
            last_error=error,
            clock_skew=self._clock_skew,
        )

    def _skew(self, server_time: object) -> timedelta | None:
        if not isinstance(server_time, str):
            return None
        try:
            server = datetime.fromisoformat(server_time)
        except ValueError:
            return None
        if server.tzinfo is None:
            server = server.replace(tzinfo=UTC)
        return self._clock() - server
