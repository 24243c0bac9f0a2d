"""This till's identity (S12, S13)."""

from __future__ import annotations

from datetime import datetime

from sqlalchemy import CheckConstraint, Integer, String
from sqlalchemy.orm import Mapped, mapped_column

from pos_app.store.base import Base
from pos_app.store.column_types import Instant


class Device(Base):
    """This till: its device id, its store, the last per-device sequence number given
    to an event (S13), and the last ticket and Z report numbers it gave (each counts up
    for the till's whole life, never starting again). Exactly one row."""

    __tablename__ = "device"
    __table_args__ = (CheckConstraint("id = 1", name="single_row"),)

    id: Mapped[int] = mapped_column(Integer, primary_key=True, default=1)
    device_id: Mapped[str] = mapped_column(String(64))
    store_id: Mapped[str | None] = mapped_column(String(64))
    last_seq: Mapped[int] = mapped_column(Integer, default=0)
    till_number: Mapped[int] = mapped_column(Integer, default=1)  # in ticket numbers
    last_ticket_number: Mapped[int] = mapped_column(Integer, default=0, server_default="0")
    last_z_number: Mapped[int] = mapped_column(Integer, default=0, server_default="0")
    created_at: Mapped[datetime] = mapped_column(Instant())
