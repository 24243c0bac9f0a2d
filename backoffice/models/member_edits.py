"""Who changed a member's details, when, and what they were before and after (the audit
of member edits made from the admin pages)."""

from __future__ import annotations

from datetime import datetime
from typing import Any

from sqlalchemy import JSON, Integer, String
from sqlalchemy.orm import Mapped, mapped_column

from backoffice.models.base import Base, UTCDateTime


class MemberEdit(Base):
    """One edit of one member record: the fields changed, each before and after.

    Rows are only ever added; the member record itself holds the current values.
    """

    __tablename__ = "member_edits"

    id: Mapped[int] = mapped_column(Integer, primary_key=True, autoincrement=True)
    member_id: Mapped[str] = mapped_column(String(128), index=True)
    changed_at: Mapped[datetime] = mapped_column(UTCDateTime)
    changed_by: Mapped[str] = mapped_column(String(254))
    before: Mapped[dict[str, Any]] = mapped_column(JSON)
    after: Mapped[dict[str, Any]] = mapped_column(JSON)
