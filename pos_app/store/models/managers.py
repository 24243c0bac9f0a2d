"""Manager mode at the till: the lockout after wrong PINs and what cashiers may do
without a manager (the managers themselves are staff, :mod:`pos_app.store.models.staff`)."""

from __future__ import annotations

from datetime import datetime

from sqlalchemy import Boolean, CheckConstraint, Integer, String
from sqlalchemy.orm import Mapped, mapped_column

from pos_app.store.base import Base
from pos_app.store.column_types import Instant


class PinGuard(Base):
    """Wrong PINs entered in a row at this till and, after too many, until when manager
    mode is locked. Exactly one row (made on first use)."""

    __tablename__ = "pin_guard"
    __table_args__ = (CheckConstraint("id = 1", name="single_row"),)

    id: Mapped[int] = mapped_column(Integer, primary_key=True, default=1)
    failed_attempts: Mapped[int] = mapped_column(Integer, default=0)
    locked_until: Mapped[datetime | None] = mapped_column(Instant())


class CashierPermission(Base):
    """Whether a cashier may take a guarded action (``present``, ``adjust_price``,
    ``discount``) without a manager; set by a manager. No row: allowed."""

    __tablename__ = "cashier_permissions"

    action: Mapped[str] = mapped_column(String(32), primary_key=True)
    allowed: Mapped[bool] = mapped_column(Boolean)
    manager: Mapped[str] = mapped_column(String(100))
    changed_at: Mapped[datetime] = mapped_column(Instant())
