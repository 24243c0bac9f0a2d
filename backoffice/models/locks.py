"""Failed attempts at the doors (sign-in, enrollment), counted per account, enrollment code
and client address, and the lockouts they lead to (issue 18 item 5)."""

from __future__ import annotations

from datetime import datetime

from sqlalchemy import Integer, String, UniqueConstraint
from sqlalchemy.orm import Mapped, mapped_column

from backoffice.models.base import Base, UTCDateTime


class AttemptCounter(Base):
    """Failures of one ``door`` ("sign_in", "enroll") by one ``subject`` ("account",
    "address", "code") named ``key`` since ``window_started_at``; ``locked_until`` is set
    once they pass the limit, and an administrator may lift it (``lifted_*``)."""

    __tablename__ = "attempt_counters"
    __table_args__ = (UniqueConstraint("door", "subject", "key"),)

    id: Mapped[int] = mapped_column(Integer, primary_key=True, autoincrement=True)
    door: Mapped[str] = mapped_column(String(16))
    subject: Mapped[str] = mapped_column(String(16))
    key: Mapped[str] = mapped_column(String(256))
    failures: Mapped[int] = mapped_column(Integer)
    window_started_at: Mapped[datetime] = mapped_column(UTCDateTime)
    last_failure_at: Mapped[datetime] = mapped_column(UTCDateTime)
    locked_until: Mapped[datetime | None] = mapped_column(UTCDateTime, index=True)
