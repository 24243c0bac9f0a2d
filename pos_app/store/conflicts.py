"""Conflicts the back office reported (S6) as a store manager follows them up: found
open by their key, then resolved with the manager's resolution and note."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime

from sqlalchemy import select

from pos_app.store.database import Transaction
from pos_app.store.models.outbox import Conflict


@dataclass(frozen=True)
class ConflictView:
    """A conflict as its follow-up needs it: the event it is about and why."""

    conflict_key: str
    event_type: str
    reason: str
    resolved: bool


class ConflictRepository:
    """Conflicts in one unit of work (the ORM)."""

    def __init__(self, transaction: Transaction) -> None:
        self._session = transaction.session

    def get(self, conflict_key: str) -> ConflictView | None:
        row = self._row(conflict_key)
        if row is None:
            return None
        return ConflictView(
            row.conflict_key, row.event_type, row.reason, row.resolved_at is not None
        )

    def resolve(
        self, conflict_key: str, resolution: str, note: str, manager: str, now: datetime
    ) -> None:
        """Record the follow-up of the conflict ``conflict_key``."""
        row = self._row(conflict_key)
        if row is None:
            raise LookupError(f"no conflict {conflict_key}")
        row.resolved_at = now
        row.resolution = resolution
        row.note = note
        row.manager = manager

    def _row(self, conflict_key: str) -> Conflict | None:
        return self._session.scalars(
            select(Conflict).where(Conflict.conflict_key == conflict_key)
        ).one_or_none()
