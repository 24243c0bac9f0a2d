"""Sales stored as received that do not add up or name what the back office does not
know (issue 18): held out of clean revenue until an administrator accepts them."""

from __future__ import annotations

from datetime import datetime
from typing import Any

from sqlalchemy import JSON, ForeignKey, Integer, String
from sqlalchemy.orm import Mapped, mapped_column

from backoffice.models.base import Base, UTCDateTime
from pos_app.protocol import bounds


class SaleAnomaly(Base):
    """One received sale the intake's checks found wrong, with every reason in words.

    ``reasons`` is a list of ``{"code": ..., "text": ...}``: the code for support and
    tests, the text for people. Until ``accepted_at`` is set the sale counts in no
    report; ``accepted_by`` names the administrator who accepted it.
    """

    __tablename__ = "sale_anomalies"

    id: Mapped[int] = mapped_column(Integer, primary_key=True, autoincrement=True)
    sale_id: Mapped[int] = mapped_column(ForeignKey("sale_tickets.id"), unique=True)
    store_id: Mapped[str] = mapped_column(String(bounds.STORE_ID.max_length), index=True)
    device_id: Mapped[str] = mapped_column(String(64))
    reasons: Mapped[list[dict[str, Any]]] = mapped_column(JSON)
    detected_at: Mapped[datetime] = mapped_column(UTCDateTime)
    accepted_at: Mapped[datetime | None] = mapped_column(UTCDateTime)
    accepted_by: Mapped[str | None] = mapped_column(String(bounds.NAME.max_length))
