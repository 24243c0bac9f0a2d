"""The staff's rows: who may sign in (with their PIN hash and wrong-PIN guard), who is
signed in, the drawer's cash moves and the approvals managers gave."""

from __future__ import annotations

import uuid
from dataclasses import dataclass
from datetime import datetime
from decimal import Decimal

from sqlalchemy import func, select, update
from sqlalchemy.orm import Session

from pos_app.store.database import Transaction
from pos_app.store.models.staff import Approval, CashMove, StaffMember, StaffSignIn

CASHIER_ROLE = "cashier"
MANAGER_ROLE = "manager"
LOCAL = "local"
BACKOFFICE = "backoffice"


@dataclass(frozen=True)
class StaffView:
    """One person who may sign in (no PIN hash)."""

    staff_id: str
    name: str
    role: str
    source: str


@dataclass(frozen=True)
class PinRecord:
    """A person's PIN hash and their wrong-PIN guard."""

    staff: StaffView
    pin_hash: str
    failed_pins: int
    locked_until: datetime | None


@dataclass(frozen=True)
class SignedIn:
    """Who is signed in at the till now, since when."""

    staff_id: str
    name: str
    role: str
    signed_in_at: datetime


@dataclass(frozen=True)
class CashMoveView:
    """Cash in or out of the drawer outside a sale (``float``, ``in``, ``out``)."""

    kind: str
    amount: Decimal
    reason: str
    cashier: str
    approved_by: str | None
    moved_at: datetime


def _view(row: StaffMember) -> StaffView:
    return StaffView(row.staff_id, row.name, row.role, row.source)


class StaffRecords:
    """The staff's rows in one unit of work (the ORM session)."""

    def __init__(self, transaction: Transaction) -> None:
        self._transaction = transaction

    @property
    def _session(self) -> Session:
        return self._transaction.session

    # ------------------------------------------------------------ people

    def everyone(self) -> list[StaffView]:
        rows = self._session.scalars(
            select(StaffMember).order_by(StaffMember.name, StaffMember.staff_id)
        )
        return [_view(row) for row in rows]

    def count(self, role: str | None = None) -> int:
        query = select(func.count()).select_from(StaffMember)
        if role is not None:
            query = query.where(StaffMember.role == role)
        return int(self._session.scalar(query) or 0)

    def pin_record(self, staff_id: str) -> PinRecord | None:
        row = self._session.get(StaffMember, staff_id)
        if row is None:
            return None
        return PinRecord(_view(row), row.pin_hash, row.failed_pins, row.locked_until)

    def named(self, name: str, role: str) -> PinRecord | None:
        """The person of ``role`` called ``name`` (the back office's before a local one)."""
        row = self._session.scalars(
            select(StaffMember)
            .where(StaffMember.name == name, StaffMember.role == role)
            .order_by(StaffMember.source, StaffMember.staff_id)
            .limit(1)
        ).one_or_none()
        if row is None:
            return None
        return PinRecord(_view(row), row.pin_hash, row.failed_pins, row.locked_until)

    def put(self, staff_id: str, name: str, role: str, pin_hash: str, source: str) -> None:
        """Add the person or replace their name, role and PIN hash."""
        row = self._session.get(StaffMember, staff_id)
        if row is None:
            row = StaffMember(
                staff_id=staff_id,
                name=name,
                role=role,
                pin_hash=pin_hash,
                source=source,
                failed_pins=0,
                locked_until=None,
            )
            self._session.add(row)
        else:
            row.name, row.role, row.pin_hash, row.source = name, role, pin_hash, source
        self._session.flush()

    def set_guard(self, staff_id: str, failed: int, locked_until: datetime | None) -> None:
        self._session.execute(
            update(StaffMember)
            .where(StaffMember.staff_id == staff_id)
            .values(failed_pins=failed, locked_until=locked_until)
        )

    # ------------------------------------------------------------ signing in

    def signed_in(self) -> SignedIn | None:
        row = self._session.scalars(
            select(StaffSignIn)
            .where(StaffSignIn.signed_out_at.is_(None))
            .order_by(StaffSignIn.sign_in_id.desc())
            .limit(1)
        ).one_or_none()
        if row is None:
            return None
        return SignedIn(row.staff_id, row.name, row.role, row.signed_in_at)

    def sign_in(self, staff: StaffView, now: datetime) -> None:
        """``staff`` signs in; whoever was signed in is signed out now."""
        self.sign_out(now)
        self._session.add(
            StaffSignIn(staff_id=staff.staff_id, name=staff.name, role=staff.role, signed_in_at=now)
        )
        self._session.flush()

    def sign_out(self, now: datetime) -> None:
        self._session.execute(
            update(StaffSignIn).where(StaffSignIn.signed_out_at.is_(None)).values(signed_out_at=now)
        )

    # ------------------------------------------------------------ the drawer

    def add_cash_move(
        self,
        shift_id: int,
        kind: str,
        amount: Decimal,
        *,
        reason: str,
        cashier: str,
        approved_by: str | None,
        now: datetime,
    ) -> None:
        self._session.add(
            CashMove(
                move_id=str(uuid.uuid4()),
                shift_id=shift_id,
                kind=kind,
                amount=amount,
                reason=reason,
                cashier=cashier,
                approved_by=approved_by,
                moved_at=now,
            )
        )
        self._session.flush()

    def cash_moves(self, shift_id: int) -> list[CashMoveView]:
        rows = self._session.scalars(
            select(CashMove).where(CashMove.shift_id == shift_id).order_by(CashMove.moved_at)
        )
        return [
            CashMoveView(r.kind, r.amount, r.reason, r.cashier, r.approved_by, r.moved_at)
            for r in rows
        ]

    # ------------------------------------------------------------ approvals

    def add_approval(
        self,
        shift_id: int | None,
        action: str,
        subject: str,
        *,
        cashier: str,
        manager: str,
        now: datetime,
    ) -> None:
        self._session.add(
            Approval(
                shift_id=shift_id,
                action=action,
                subject=subject[:64],
                cashier=cashier,
                manager=manager,
                approved_at=now,
            )
        )
        self._session.flush()

    def approvals(self, shift_id: int) -> list[tuple[str, str, str, str]]:
        """(action, subject, cashier, manager) of the shift's approvals, in order."""
        rows = self._session.scalars(
            select(Approval).where(Approval.shift_id == shift_id).order_by(Approval.approval_id)
        )
        return [(r.action, r.subject, r.cashier, r.manager) for r in rows]


def new_local_id() -> str:
    return f"local:{uuid.uuid4()}"
