"""The outbox of events waiting for the back office, and the conflicts it reported
(S2-S6)."""

from __future__ import annotations

from datetime import datetime

from sqlalchemy import Index, Integer, String, Text
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
