"""One sync attempt: probe, drain the outbox in order, then pull changes (S3–S10, S13)
and the till's pack supplies (COUPON-PACK-RULES K13, K15)."""

from __future__ import annotations

import logging
from collections.abc import Callable, Mapping, Sequence
from concurrent.futures import ThreadPoolExecutor, wait
from dataclasses import dataclass
from datetime import UTC, datetime, timedelta
from typing import Any

from pos_app.protocol.outcomes import Outcome
from pos_app.protocol.sync_api import EventResult, RotatedToken, TillReport
from pos_app.store.backups import BackupError
from pos_app.store.sync_store import SyncStore
from pos_app.sync.client import BackOfficeClient
from pos_app.sync.errors import CursorExpired, NotAuthorized, RequestRefused
from pos_app.sync.pack_supplies import PackSupplier
from pos_app.sync.status import SyncProblem, SyncStatus
from pos_app.sync.version import software_version

log = logging.getLogger(__name__)

log = logging.getLogger(__name__)


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


DEFAULT_KEEP_ACKNOWLEDGED_DAYS = 30.0  # acknowledged events stay this long for audit (S2)


class SyncRun:
    """Runs sync attempts for one till against one back office. Use from one thread
    at a time (the daemon's). ``on_configuration_changed`` is called after a download
    that applied anything, so the owner can re-price the open ticket. Acknowledged
    events are pruned after ``keep_acknowledged_days`` (S2)."""

    def __init__(
        self,
        store: SyncStore,
        client: BackOfficeClient,
        *,
        batch_size: int = 200,
        page_size: int = 500,
        clock: Callable[[], datetime] | None = None,
        on_configuration_changed: Callable[[], None] | None = None,
        keep_acknowledged_days: float = DEFAULT_KEEP_ACKNOWLEDGED_DAYS,
        on_token_rotated: Callable[[str], None] | None = None,
        pack_supplier: PackSupplier | None = None,
    ) -> None:
        self._store = store
        self._on_token_rotated = on_token_rotated
        self._keep_acknowledged_days = keep_acknowledged_days
        self._client = client
        self._batch_size = batch_size
        self._page_size = page_size
        self._clock = clock or (lambda: datetime.now(UTC))
        self._on_configuration_changed = on_configuration_changed
        self._pack_supplier = pack_supplier
        self._last_success: datetime | None = None
        self._clock_skew: timedelta | None = None
        self.last_report = SyncReport()

    # ------------------------------------------------------------ SyncCycle

    def run(self) -> SyncStatus:
        """Probe, then drain, then pull (S10). Raises SyncError when offline. First, the
        timed backup of the till's database when one is due (online or not)."""
        self._back_up_if_due()
        counts = self._store.outbox_counts()
        pong = self._client.ping(
            TillReport(
                software_version=software_version(),
                outbox_depth=counts.pending,
                parked_events=counts.failed,
            )
        )
        self._check_store(pong.store_id)
        self._take_rotated_token(pong.token)
        if pong.phone_key is not None:
            self._take_phone_key(pong.phone_key)
        self._clock_skew = self._skew(pong.server_time)
        uploaded, parked, conflicts = self.drain_outbox()
        self._store.prune_acknowledged(self._keep_acknowledged_days, self._clock())  # S2
        applied, set_aside, pages = self.pull_changes()
        if self._pack_supplier is not None:  # quotas and code blocks (K13, K15)
            self._pack_supplier.refresh()
        self.last_report = SyncReport(
            uploaded, parked, conflicts, applied, set_aside, pages, download_current=True
        )
        self._last_success = self._clock()
        return self.status(online=True)

    def _back_up_if_due(self) -> None:
        try:
            taken = self._store.back_up_if_due()
        except BackupError as exc:  # the till goes on; the operator reads why
            log.warning("timed backup failed: %s", exc)
            return
        if taken is not None:
            log.info("backup taken: %s", taken.path)

    def offline_status(self, error: str, problem: SyncProblem = SyncProblem.OFFLINE) -> SyncStatus:
        return self.status(online=False, error=error, problem=problem)

    def _take_phone_key(self, key_hex: str) -> None:
        """The chain's key for members' phone digests: kept; a new one empties the old
        digests and makes this sync's download a snapshot (the numbers hashed again)."""
        try:
            self._store.take_phone_key(key_hex)
        except ValueError:
            log.warning("the back office sent a phone key that is not 64 hex digits: ignored")

    def _take_rotated_token(self, rotated: RotatedToken | None) -> None:
        """A new device token from the ping (S17): kept first, then used."""
        if rotated is None:
            return
        if self._on_token_rotated is not None:
            self._on_token_rotated(rotated.token)
        self._client.use_token(rotated.token)

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
                outcome = result.settled
                if outcome == Outcome.REJECTED:
                    parked += 1
                elif outcome == Outcome.CONFLICT:
                    conflicts += 1
                uploaded += 1

    def _upload(self, events: Sequence[Mapping[str, Any]]) -> list[EventResult]:
        """One batch; a batch the server refuses whole (one malformed event, a body too
        large) is split in halves, sent in order, down to single events, so one bad
        event is parked and never blocks the queue (S5), for a few requests rather than
        one per event."""
        try:
            return list(self._client.upload_events(events).results)
        except NotAuthorized:
            raise
        except RequestRefused as exc:
            if len(events) == 1:
                key = str(events[0]["idempotency_key"])
                return [EventResult(idempotency_key=key, outcome=Outcome.REJECTED, reason=str(exc))]
            middle = len(events) // 2
            return self._upload(events[:middle]) + self._upload(events[middle:])

    def pull_changes(self) -> tuple[int, int, int]:
        """Download pages from the stored cursor until current, each page applied with
        its cursor in one transaction (S7, S8). Returns (applied, set aside, pages).
        With no cursor the back office sends a snapshot of the store's live records;
        a cursor older than its retention window starts a snapshot again, and the
        snapshot's last page removes what it no longer holds (S16).

        The next page is fetched (on a helper thread) while this one is applied: its
        cursor is already known, and pages are still applied one after the other, in
        order. A failure stops after the last page applied; a page fetched ahead and
        not applied is fetched again next time."""
        cursor = self._store.download_cursor()
        try:
            return self._pull_from(cursor)
        except CursorExpired:
            if cursor is None:
                raise
            return self._pull_from(None)

    def _pull_from(self, cursor: str | None) -> tuple[int, int, int]:
        applied = set_aside = pages = 0
        with ThreadPoolExecutor(max_workers=1, thread_name_prefix="sync-fetch") as fetcher:
            page = self._client.fetch_changes(cursor, self._page_size)
            starting = cursor is None
            while True:
                ahead = (
                    fetcher.submit(self._client.fetch_changes, page.cursor, self._page_size)
                    if page.has_more
                    else None
                )
                try:
                    outcome = self._store.apply_changes_page(
                        page.records,
                        page.cursor,
                        snapshot_start=starting,
                        snapshot=page.snapshot,
                        snapshot_complete=page.snapshot_complete,
                    )
                    starting = False
                except BaseException:
                    if ahead is not None and not ahead.cancel():
                        wait([ahead])  # no request left running on the client
                    raise
                pages += 1
                applied += outcome.applied + outcome.deleted
                set_aside += len(outcome.set_aside)
                if ahead is None:
                    break
                page = ahead.result()
        if applied and self._on_configuration_changed is not None:
            self._on_configuration_changed()
        return applied, set_aside, pages

    # ------------------------------------------------------------ status

    def status(
        self, *, online: bool, error: str | None = None, problem: SyncProblem | None = None
    ) -> SyncStatus:
        counts = self._store.outbox_counts()
        return SyncStatus(
            online=online,
            pending_events=counts.pending,
            failed_events=counts.failed,
            open_conflicts=counts.open_conflicts,
            last_success=self._last_success,
            last_error=error,
            clock_skew=self._clock_skew,
            problem=problem,
        )

    def _check_store(self, token_store: str | None) -> None:
        """The token must act for the store this till is enrolled in (S12). With another
        store's token every sale would be parked as FOREIGN_STORE and that store's
        records would come down into this till, so nothing is sent or applied."""
        identity = self._store.device_identity()
        enrolled = identity[1] if identity is not None else None
        if token_store is not None and enrolled is not None and token_store != enrolled:
            raise NotAuthorized(
                f"{self._client.base_url}: not authorized: the device token acts for store"
                f" {token_store}, but this till is enrolled in store {enrolled}; enroll again",
                403,
            )

    def _skew(self, server_time: str | None) -> timedelta | None:
        if server_time is None:
            return None
        try:
            server = datetime.fromisoformat(server_time)
        except ValueError:
            return None
        if server.tzinfo is None:
            server = server.replace(tzinfo=UTC)
        return self._clock() - server
