"""One-time codes a buyer on the share page proves their phone with (K11): only a hash is
kept; each code expires, takes a few tries at most, and is used once."""

from __future__ import annotations

from datetime import datetime

from sqlalchemy import ForeignKey, Index, Integer, String
from sqlalchemy.orm import Mapped, mapped_column

from backoffice.models.base import Base, UTCDateTime


class MallCode(Base):
    """A code sent to ``phone`` (normalised) to buy ``pack_id`` on the share page."""

    __tablename__ = "mall_codes"
    __table_args__ = (Index("ix_mall_codes_phone_sent", "phone", "sent_at"),)

    id: Mapped[int] = mapped_column(Integer, primary_key=True, autoincrement=True)
    phone: Mapped[str] = mapped_column(String(64))
    pack_id: Mapped[int] = mapped_column(ForeignKey("coupon_packs.id"))
    code_hash: Mapped[str] = mapped_column(String(96))
    sent_at: Mapped[datetime] = mapped_column(UTCDateTime)
    expires_at: Mapped[datetime] = mapped_column(UTCDateTime)
    attempts: Mapped[int] = mapped_column(Integer, default=0)
    used_at: Mapped[datetime | None] = mapped_column(UTCDateTime, nullable=True)
