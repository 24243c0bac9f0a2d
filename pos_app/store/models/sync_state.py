"""Download bookkeeping: the cursors the back office issued (S7, S8) and the records
kept aside because the till does not know their kind or version (S9)."""

from __future__ import annotations

from datetime import datetime

from sqlalchemy import Boolean, Integer, String, Text
from sqlalchemy.orm import Mapped, mapped_column

from pos_app.store.base import Base
from pos_app.store.column_types import Instant


class SyncCursor(Base):
    """The last cursor applied for a download stream, written with its page (S8)."""

    __tablename__ = "sync_cursors"

    name: Mapped[str] = mapped_column(String(32), primary_key=True)
    cursor: Mapped[str] = mapped_column(Text)
    updated_at: Mapped[datetime] = mapped_column(Instant())


class SetAsideRecord(Base):
    """A downloaded record not applied: unknown kind or version, or a definition the
    till cannot read. Kept with the reason, to be reported (S9)."""

    __tablename__ = "set_aside_records"

    id: Mapped[int] = mapped_column(Integer, primary_key=True)
    kind: Mapped[str] = mapped_column(String(64))
    version: Mapped[str] = mapped_column(String(16))
    record_id: Mapped[str] = mapped_column(String(200))
    deleted: Mapped[bool] = mapped_column(Boolean, default=False)
    record: Mapped[str] = mapped_column(Text)
    reason: Mapped[str] = mapped_column(Text)
    received_at: Mapped[datetime] = mapped_column(Instant())
    reported_at: Mapped[datetime | None] = mapped_column(Instant())


class SnapshotKey(Base):
    """A record a snapshot under way has sent (S16): when the snapshot ends, synced
    records it did not send are removed, and these rows are cleared."""

    __tablename__ = "snapshot_keys"

    kind: Mapped[str] = mapped_column(String(64), primary_key=True)
    record_id: Mapped[str] = mapped_column(String(200), primary_key=True)
