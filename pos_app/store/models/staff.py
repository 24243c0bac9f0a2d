"""The people at the till: cashiers and managers (from the back office or added here),
who is signed in, and the cash that goes in and out of the drawer beside sales."""

from __future__ import annotations

from datetime import datetime
from decimal import Decimal

from sqlalchemy import ForeignKey, Integer, String
from sqlalchemy.orm import Mapped, mapped_column

from pos_app.store.base import Base
from pos_app.store.column_types import Instant, Money


class StaffMember(Base):
    """A cashier or manager who may sign in at this till: a name, a role and a salted
    PIN hash (``scrypt$n$r$p$salt$hash``, hex; the PIN itself is never stored).
    ``source`` says where the person comes from: ``backoffice`` (synced, kind
    ``staff``) or ``local`` (added by a manager at this till)."""

    __tablename__ = "staff_members"

    staff_id: Mapped[str] = mapped_column(String(128), primary_key=True)
    name: Mapped[str] = mapped_column(String(100), index=True)
    role: Mapped[str] = mapped_column(String(16))  # cashier | manager
    pin_hash: Mapped[str] = mapped_column(String(300))
    source: Mapped[str] = mapped_column(String(16), default="backoffice")
    failed_pins: Mapped[int] = mapped_column(Integer, default=0)
    locked_until: Mapped[datetime | None] = mapped_column(Instant(), nullable=True)


class StaffSignIn(Base):
    """One cashier's time at this till: signed in, and signed out (None while on)."""

    __tablename__ = "staff_sign_ins"

    sign_in_id: Mapped[int] = mapped_column(Integer, primary_key=True, autoincrement=True)
    staff_id: Mapped[str] = mapped_column(String(128))
    name: Mapped[str] = mapped_column(String(100))
    role: Mapped[str] = mapped_column(String(16))
    signed_in_at: Mapped[datetime] = mapped_column(Instant())
    signed_out_at: Mapped[datetime | None] = mapped_column(Instant(), nullable=True)


class CashMove(Base):
    """Cash put in or taken out of the drawer outside a sale: the day's opening
    ``float``, ``in`` or ``out`` with a reason; who did it and who approved it."""

    __tablename__ = "cash_moves"

    move_id: Mapped[str] = mapped_column(String(36), primary_key=True)
    shift_id: Mapped[int] = mapped_column(ForeignKey("shifts.shift_id"), index=True)
    kind: Mapped[str] = mapped_column(String(8))  # float | in | out
    amount: Mapped[Decimal] = mapped_column(Money())
    reason: Mapped[str] = mapped_column(String(200), default="")
    cashier: Mapped[str] = mapped_column(String(100), default="")
    approved_by: Mapped[str | None] = mapped_column(String(100), nullable=True)
    moved_at: Mapped[datetime] = mapped_column(Instant())


class Approval(Base):
    """A manager's PIN given where an action needed it: what, for whom, by whom."""

    __tablename__ = "approvals"

    approval_id: Mapped[int] = mapped_column(Integer, primary_key=True, autoincrement=True)
    shift_id: Mapped[int | None] = mapped_column(Integer, nullable=True)
    action: Mapped[str] = mapped_column(String(32))
    subject: Mapped[str] = mapped_column(String(64), default="")
    cashier: Mapped[str] = mapped_column(String(100), default="")
    manager: Mapped[str] = mapped_column(String(100))
    approved_at: Mapped[datetime] = mapped_column(Instant())
