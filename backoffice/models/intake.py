"""What the tills sent up (S3, S4, S13): one row per idempotency key, with its outcome."""

from __future__ import annotations

from datetime import datetime
from typing import Any

from sqlalchemy import JSON, BigInteger, ForeignKey, Index, Integer, String, Text
from sqlalchemy.orm import Mapped, mapped_column

from backoffice.models.base import Base, UTCDateTime
from pos_app.protocol import bounds


class ReceivedEvent(Base):
    """An uploaded event and the outcome it got the first time; a resend gets the same.

    ``payload_hash`` covers everything but the key, so the same key with another
    payload is told apart (IDEMPOTENCY_KEY_REUSED). Envelope fields that were
    malformed are ``None``; ``body`` keeps the event as received.
    """

    __tablename__ = "received_events"
    __table_args__ = (Index(None, "device_id", "device_seq"),)

    id: Mapped[int] = mapped_column(Integer, primary_key=True, autoincrement=True)
    idempotency_key: Mapped[str] = mapped_column(String(bounds.KEY.max_length), unique=True)
    payload_hash: Mapped[str] = mapped_column(String(64))
    device_id: Mapped[str] = mapped_column(ForeignKey("devices.device_id"))
    store_id: Mapped[str] = mapped_column(String(64))
    event_type: Mapped[str | None] = mapped_column(String(bounds.KEY.max_length))
    event_version: Mapped[int | None] = mapped_column(Integer)
    device_seq: Mapped[int | None] = mapped_column(BigInteger)  # a till's counter: 64 bits (S15)
    device_time: Mapped[datetime | None] = mapped_column(UTCDateTime)
    received_at: Mapped[datetime] = mapped_column(UTCDateTime)
    outcome: Mapped[str] = mapped_column(String(16))
    reason: Mapped[str | None] = mapped_column(String(64))
    detail: Mapped[str | None] = mapped_column(Text)
    body: Mapped[dict[str, Any]] = mapped_column(JSON)
