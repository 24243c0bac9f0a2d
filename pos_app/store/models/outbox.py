"""The outbox of events waiting for the back office, and the conflicts it reported
(S2-S6)."""

from __future__ import annotations

from datetime import datetime

from sqlalchemy import CheckConstraint, Index, Integer, String, Text
from sqlalchemy.orm import Mapped, mapped_column

from pos_app.store.base import Base
from pos_app.store.column_types import Instant


class OutboxEvent(Base):
    """An event for the back office. ``status``: ``pending`` until the back office
    answers; ``accepted``, ``duplicate`` or ``conflict`` once acknowledged; ``failed``
    when rejected (parked with its reason, S5). Never deleted unacknowledged (S2)."""

    __tablename__ = "outbox_events"
    __table_args__ = (Index("ix_outbox_events_status_seq", "status", "device_seq"),)

    device_seq: Mapped[int] = mapped_column(Integer, primary_key=True, autoincrement=False)
    idempotency_key: Mapped[str] = mapped_column(String(36), unique=True)
    type: Mapped[str] = mapped_column(String(64))
    version: Mapped[int] = mapped_column(Integer)
    device_time: Mapped[str] = mapped_column(String(40))
    created_at: Mapped[datetime] = mapped_column(Instant())
    payload: Mapped[str] = mapped_column(Text)
    status: Mapped[str] = mapped_column(String(16), default="pending")
    reason: Mapped[str | None] = mapped_column(Text)
    acknowledged_at: Mapped[datetime | None] = mapped_column(Instant())


class OutboxTally(Base):
    """How many outbox events are pending, kept by SQLite triggers on ``outbox_events``
    (migration 0003) in the same transaction as the change, so reading it costs the same
    with ten events waiting or a hundred thousand. Exactly one row.

    A batch migration that recreates ``outbox_events`` drops its triggers: such a
    migration must create them again (``tests/store/test_outbox.py`` checks the tally)."""

    __tablename__ = "outbox_tally"
    __table_args__ = (CheckConstraint("id = 1", name="single_row"),)

    id: Mapped[int] = mapped_column(Integer, primary_key=True, default=1)
    pending: Mapped[int] = mapped_column(Integer, default=0)


class Conflict(Base):
    """A conflict the back office reported for an event (S6): shown to the store
    manager and resolved by a recorded follow-up, never dropped."""

    __tablename__ = "conflicts"

    id: Mapped[int] = mapped_column(Integer, primary_key=True)
    conflict_key: Mapped[str] = mapped_column(String(36), unique=True)
    event_type: Mapped[str] = mapped_column(String(64))
    reason: Mapped[str] = mapped_column(Text)
    payload: Mapped[str] = mapped_column(Text)
    reported_at: Mapped[datetime] = mapped_column(Instant())
    resolved_at: Mapped[datetime | None] = mapped_column(Instant())
    resolution: Mapped[str | None] = mapped_column(String(64))
    note: Mapped[str | None] = mapped_column(Text)
    manager: Mapped[str | None] = mapped_column(String(100))
