"""What the back office sends down (S7): the current records and the change log."""

from __future__ import annotations

from datetime import datetime
from typing import Any

from sqlalchemy import JSON, BigInteger, Boolean, Index, Integer, String
from sqlalchemy.orm import Mapped, mapped_column

from backoffice.models.base import Base, UTCDateTime
from pos_app.protocol import bounds


class Record(Base):
    """The current state of one synced record (store, item, promotion, coupon, member, ...).

    ``store_id`` is ``None`` for a chain-wide record. ``version`` is the schema
    version of ``data`` (the protocol's record version); ``revision`` counts edits.
    A deleted record keeps its last ``data`` so the back office still knows it. An
    archived one (``archived_at``: something still uses it) stays live on the tills.
    """

    __tablename__ = "records"
    # A store's snapshot reads its own records and the chain-wide ones by position (S16).
    __table_args__ = (Index(None, "store_id", "last_seq"),)

    kind: Mapped[str] = mapped_column(String(32), primary_key=True)
    record_id: Mapped[str] = mapped_column(String(bounds.ID.max_length), primary_key=True)
    store_id: Mapped[str | None] = mapped_column(String(bounds.STORE_ID.max_length))
    version: Mapped[int] = mapped_column(Integer)
    revision: Mapped[int] = mapped_column(Integer)
    data: Mapped[dict[str, Any]] = mapped_column(JSON)
    deleted: Mapped[bool] = mapped_column(Boolean)
    last_seq: Mapped[int] = mapped_column(Integer)
    updated_at: Mapped[datetime] = mapped_column(UTCDateTime)
    archived_at: Mapped[datetime | None] = mapped_column(UTCDateTime, default=None)
    archived_by: Mapped[str | None] = mapped_column(String(128), default=None)


class ChangeLogEntry(Base):
    """One change to one record, as a device will receive it; ``seq`` is the download cursor.

    Entries are never rewritten. A tombstone (``deleted``) carries ``data`` ``{}``.
    Writers serialise on the change log (see :mod:`backoffice.chain.change_log`), so
    entries become visible in ``seq`` order and a cursor never skips one.
    """

    __tablename__ = "change_log"
    # A till reads its store's entries and the chain-wide ones, each an index range (S16).
    __table_args__ = (Index(None, "store_id", "seq"), {"sqlite_autoincrement": True})

    seq: Mapped[int] = mapped_column(Integer, primary_key=True, autoincrement=True)
    kind: Mapped[str] = mapped_column(String(32))
    record_id: Mapped[str] = mapped_column(String(bounds.ID.max_length))
    store_id: Mapped[str | None] = mapped_column(String(bounds.STORE_ID.max_length))
    version: Mapped[int] = mapped_column(Integer)
    deleted: Mapped[bool] = mapped_column(Boolean)
    data: Mapped[dict[str, Any]] = mapped_column(JSON)
    changed_at: Mapped[datetime] = mapped_column(UTCDateTime)
    changed_by: Mapped[str] = mapped_column(String(128))


class ChangeLogHorizon(Base):
    """How far the change log was compacted (S16): one row. Entries up to
    ``compacted_through`` may be gone, so a cursor below it starts again from a snapshot."""

    __tablename__ = "change_log_horizon"

    id: Mapped[int] = mapped_column(Integer, primary_key=True)
    compacted_through: Mapped[int] = mapped_column(BigInteger)
    compacted_at: Mapped[datetime] = mapped_column(UTCDateTime)
