"""What the back office sends down (S7): the current records and the change log."""

from __future__ import annotations

from datetime import datetime
from typing import Any

from sqlalchemy import JSON, Boolean, Integer, String
from sqlalchemy.orm import Mapped, mapped_column

from backoffice.models.base import Base, UTCDateTime


class Record(Base):
    """The current state of one synced record (store, item, promotion, coupon, member, ...).

    ``store_id`` is ``None`` for a chain-wide record. ``version`` is the schema
    version of ``data`` (the protocol's record version); ``revision`` counts edits.
    A deleted record keeps its last ``data`` so the back office still knows it.
    """

    __tablename__ = "records"

    kind: Mapped[str] = mapped_column(String(32), primary_key=True)
    record_id: Mapped[str] = mapped_column(String(128), primary_key=True)
    store_id: Mapped[str | None] = mapped_column(String(64), index=True)
    version: Mapped[int] = mapped_column(Integer)
    revision: Mapped[int] = mapped_column(Integer)
    data: Mapped[dict[str, Any]] = mapped_column(JSON)
    deleted: Mapped[bool] = mapped_column(Boolean)
    last_seq: Mapped[int] = mapped_column(Integer)
    updated_at: Mapped[datetime] = mapped_column(UTCDateTime)


class ChangeLogEntry(Base):
    """One change to one record, as a device will receive it; ``seq`` is the download cursor.

    Entries are never rewritten. A tombstone (``deleted``) carries ``data`` ``{}``.
    Writers serialise on the change log (see :mod:`backoffice.change_log`), so
    entries become visible in ``seq`` order and a cursor never skips one.
    """

    __tablename__ = "change_log"
    __table_args__ = ({"sqlite_autoincrement": True},)

    seq: Mapped[int] = mapped_column(Integer, primary_key=True, autoincrement=True)
    kind: Mapped[str] = mapped_column(String(32))
    record_id: Mapped[str] = mapped_column(String(128))
    store_id: Mapped[str | None] = mapped_column(String(64), index=True)
    version: Mapped[int] = mapped_column(Integer)
    deleted: Mapped[bool] = mapped_column(Boolean)
    data: Mapped[dict[str, Any]] = mapped_column(JSON)
    changed_at: Mapped[datetime] = mapped_column(UTCDateTime)
    changed_by: Mapped[str] = mapped_column(String(128))
