"""The store's face toward the sync client (S2-S9): each method is one transaction.

The sync client (``pos_app/sync``) uploads :meth:`SyncStore.pending_events`, records
each outcome with :meth:`SyncStore.record_outcomes`, and applies downloaded pages with
:meth:`SyncStore.apply_changes_page`. After a page changed the configuration, the
till re-reads it (:meth:`pos_app.till.till.Till.reload_configuration`).
"""

from __future__ import annotations

from collections.abc import Callable, Iterable, Sequence
from dataclasses import dataclass
from datetime import UTC, datetime, timedelta
from pathlib import Path
from typing import Any

from sqlalchemy.orm import Session, sessionmaker

from pos_app.protocol.outcomes import Outcome
from pos_app.protocol.pack_supplies import PackSupplies
from pos_app.protocol.sync_api import EventResult
from pos_app.store import backups, changes, device, outbox, pack_ledger, phone_key, snapshots
from pos_app.store.database import engine_of
from pos_app.store.models.sync_state import SetAsideRecord
from pos_app.store.unit_of_work import UnitOfWork

Clock = Callable[[], datetime]


def utc_now() -> datetime:
    return datetime.now(UTC)


@dataclass(frozen=True)
class SetAsideReport:
    """A record kept aside (S9), as reported to an operator."""

    id: int
    kind: str
    version: str
    record_id: str
    reason: str
    received_at: datetime


@dataclass(frozen=True)
class ConflictReport:
    """A conflict for the store manager (S6)."""

    conflict_key: str
    event_type: str
    reason: str
    payload: str
    reported_at: datetime
    resolved_at: datetime | None
    resolution: str | None


# How much of the back office's words an outcome keeps beside its reason code.
REASON_DETAIL_LIMIT = 500


def _reason_of(result: EventResult) -> str | None:
    """The reason kept with an outcome: the back office's code, and its words when it
    gave some (``CODE: detail``), so a parked event or a conflict says why in words."""
    if result.reason is None or not result.detail:
        return result.reason
    return f"{result.reason}: {result.detail[:REASON_DETAIL_LIMIT]}"


class SyncStore:
    """What the sync client needs from the till's database; thread-safe (one session
    per call), every method its own transaction."""

    def __init__(self, sessions: sessionmaker[Session], clock: Clock = utc_now) -> None:
        self._sessions = sessions
        self._clock = clock

    # ------------------------------------------------------------ download (S7-S9)

    def download_cursor(self) -> str | None:
        """The cursor to ask for next; None before the first page (ask from the start)."""
        with UnitOfWork(self._sessions) as uow:
            return changes.download_cursor(uow.session)

    def apply_changes_page(
        self,
        records: Iterable[object],
        new_cursor: str | None,
        *,
        snapshot_start: bool = False,
        snapshot: bool = False,
        snapshot_complete: bool = False,
    ) -> changes.PageOutcome:
        """Apply a page of records and its new cursor in one transaction (S8): both or
        neither. Unknown kinds and versions are kept aside, and the page still applies
        (S9). ``new_cursor`` None leaves the cursor alone (local loads, e.g. the demo).

        A snapshot (S16): ``snapshot_start`` on its first page forgets an unfinished
        one, each ``snapshot`` page notes the records it holds, and the page with
        ``snapshot_complete`` removes every synced record the snapshot did not hold."""
        records = list(records)
        with UnitOfWork(self._sessions) as uow:
            if snapshot_start:
                snapshots.begin_snapshot(uow.session)
            if snapshot:
                snapshots.note_records(uow.session, records)
            outcome = changes.apply_records(uow.session, records, self._clock(), new_cursor)
            if snapshot_complete:
                snapshots.finish_snapshot(uow.session)
            uow.commit()
        return outcome

    def set_aside_records(self, *, unreported_only: bool = False) -> list[SetAsideReport]:
        with UnitOfWork(self._sessions) as uow:
            return [
                SetAsideReport(r.id, r.kind, r.version, r.record_id, r.reason, r.received_at)
                for r in changes.set_aside_records(uow.session, unreported_only=unreported_only)
            ]

    def mark_set_aside_reported(self, ids: Sequence[int]) -> None:
        with UnitOfWork(self._sessions) as uow:
            now = self._clock()
            for record_id in ids:
                row = uow.session.get(SetAsideRecord, record_id)
                if row is not None and row.reported_at is None:
                    row.reported_at = now
            uow.commit()

    # ------------------------------------------------------------ upload (S2-S6)

    def pending_events(self, limit: int = 500) -> list[dict[str, Any]]:
        """The next batch to upload, oldest first (S4), in the upload form."""
        with UnitOfWork(self._sessions) as uow:
            return outbox.pending_envelopes(uow.session, limit)

    def record_outcome(self, idempotency_key: str, outcome: str, reason: str | None = None) -> None:
        """One event's outcome (``accepted``, ``duplicate``, ``conflict``, ``rejected``)."""
        self._record([outbox.EventOutcome(idempotency_key, outcome, reason)])

    def record_outcomes(self, results: Iterable[EventResult]) -> None:
        """The server's ``results`` list for a batch, recorded in one transaction (one
        statement per run of equal outcomes). A ``duplicate`` whose ``first_outcome``
        was a conflict or a rejection is recorded as that first outcome: the answer to
        the first send may have been lost."""
        outcomes = []
        for result in results:
            outcome, first = result.outcome, result.first_outcome
            if outcome == Outcome.DUPLICATE and first in (Outcome.CONFLICT, Outcome.REJECTED):
                outcome = first
            outcomes.append(
                outbox.EventOutcome(result.idempotency_key, outcome.value, _reason_of(result))
            )
        self._record(outcomes)

    def _record(self, outcomes: list[outbox.EventOutcome]) -> None:
        with UnitOfWork(self._sessions) as uow:
            outbox.record_outcomes(uow.session, outcomes, self._clock())
            uow.commit()

    def requeue_failed(self, idempotency_key: str) -> None:
        with UnitOfWork(self._sessions) as uow:
            outbox.requeue_failed(uow.session, idempotency_key)
            uow.commit()

    def prune_acknowledged(self, older_than_days: float, now: datetime | None = None) -> int:
        """Delete events acknowledged more than ``older_than_days`` before ``now`` (default:
        the store's clock) (S2)."""
        with UnitOfWork(self._sessions) as uow:
            count = outbox.prune_acknowledged(
                uow.session, timedelta(days=older_than_days), now or self._clock()
            )
            uow.commit()
        return count

    def outbox_counts(self) -> outbox.OutboxCounts:
        with UnitOfWork(self._sessions) as uow:
            return outbox.outbox_counts(uow.session)

    def back_up_if_due(self) -> backups.Backup | None:
        """Take the timed backup of the database when the newest is older than the data
        directory's ``every_minutes`` (see :mod:`pos_app.store.backups`); None if not due."""
        database = Path(str(engine_of(self._sessions).url.database))
        settings = backups.load_backup_settings(database.parent)
        now = self._clock().astimezone()
        if not backups.backup_due(database, now, settings.every_minutes):
            return None
        return backups.back_up(database, now, "timer", settings.keep)

    def parked_events(self) -> list[outbox.ParkedEvent]:
        """The events the back office rejected, parked with their reason (S5)."""
        with UnitOfWork(self._sessions) as uow:
            return outbox.parked_events(uow.session)

    def conflicts(self, *, open_only: bool = True) -> list[ConflictReport]:
        with UnitOfWork(self._sessions) as uow:
            return [
                ConflictReport(
                    c.conflict_key,
                    c.event_type,
                    c.reason,
                    c.payload,
                    c.reported_at,
                    c.resolved_at,
                    c.resolution,
                )
                for c in outbox.list_conflicts(uow.session, open_only=open_only)
            ]

    # ------------------------------------------------------------ pack supplies (K13, K15)

    def pack_codes_left(self) -> int:
        """Coupon codes left in the till's blocks, not issued yet."""
        with UnitOfWork(self._sessions) as uow:
            return pack_ledger.codes_left(uow.session)

    def apply_pack_supplies(self, supplies: PackSupplies) -> None:
        """The back office's quotas and code blocks, in one transaction."""
        with UnitOfWork(self._sessions) as uow:
            pack_ledger.apply_supplies(uow.session, supplies, self._clock())
            uow.commit()

    def take_phone_key(self, key_hex: str) -> bool:
        """Use the chain's phone key from now on; True if it replaced another (then the
        next download is a snapshot that hashes members' numbers again)."""
        with UnitOfWork(self._sessions) as uow:
            changed = phone_key.take_phone_key(uow.session, key_hex)
            uow.commit()
        return changed

    # ------------------------------------------------------------ identity (S12)

    def device_identity(self) -> tuple[str, str | None] | None:
        """(device id, store id), or None before the till's first start."""
        with UnitOfWork(self._sessions) as uow:
            row = device.get_device(uow.session)
            return (row.device_id, row.store_id) if row is not None else None

    def set_enrollment(self, device_id: str, store_id: str, till_number: int | None = None) -> None:
        """Record enrollment's device id, store and till number (S12); the till picks
        them up at its next :meth:`~pos_app.till.till.Till.reload_configuration`."""
        with UnitOfWork(self._sessions) as uow:
            device.set_enrollment(uow.session, device_id, store_id, till_number)
            uow.commit()
