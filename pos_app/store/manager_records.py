"""Rows behind manager mode: salted PIN hashes, the wrong-PIN guard, cashier permissions.

The managers are staff of role ``manager`` (:mod:`pos_app.store.staff_records`); PINs
are hashed by :mod:`pos_app.protocol.pins`.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime

from sqlalchemy import select
from sqlalchemy.orm import Session

from pos_app.store.database import Transaction
from pos_app.store.models.managers import CashierPermission, PinGuard
from pos_app.store.models.staff import StaffMember
from pos_app.store.staff_records import LOCAL, MANAGER_ROLE

# ---------------------------------------------------------------- accounts


def manager_names(session: Session) -> list[str]:
    return list(
        session.scalars(
            select(StaffMember.name)
            .where(StaffMember.role == MANAGER_ROLE)
            .distinct()
            .order_by(StaffMember.name)
        )
    )


def get_manager(session: Session, name: str) -> StaffMember | None:
    """The manager called ``name`` (the back office's before one added here)."""
    return session.scalars(
        select(StaffMember)
        .where(StaffMember.name == name, StaffMember.role == MANAGER_ROLE)
        .order_by(StaffMember.source, StaffMember.staff_id)
        .limit(1)
    ).one_or_none()


def put_manager(session: Session, name: str, pin_hash: str, now: datetime) -> StaffMember:
    """Create the manager (added here) or replace their PIN hash."""
    row = get_manager(session, name)
    if row is None:
        row = StaffMember(
            staff_id=f"{LOCAL}:{name}",
            name=name,
            role=MANAGER_ROLE,
            pin_hash=pin_hash,
            source=LOCAL,
            failed_pins=0,
            locked_until=None,
        )
        session.add(row)
    else:
        row.pin_hash = pin_hash
    session.flush()
    return row


# ---------------------------------------------------------------- wrong-PIN guard


def pin_guard(session: Session) -> PinGuard:
    """The guard row, made on first use."""
    row = session.get(PinGuard, 1)
    if row is None:
        row = PinGuard(id=1, failed_attempts=0, locked_until=None)
        session.add(row)
        session.flush()
    return row


# ---------------------------------------------------------------- permissions


def permission_rows(session: Session) -> dict[str, bool]:
    """The stored permissions, action → allowed (actions with no row are absent)."""
    return {row.action: row.allowed for row in session.scalars(select(CashierPermission))}


def put_permission(
    session: Session, action: str, allowed: bool, manager: str, now: datetime
) -> bool | None:
    """Set one permission; returns the previous stored value (None: no row)."""
    row = session.get(CashierPermission, action)
    previous = row.allowed if row is not None else None
    if row is None:
        session.add(
            CashierPermission(action=action, allowed=allowed, manager=manager, changed_at=now)
        )
    else:
        row.allowed = allowed
        row.manager = manager
        row.changed_at = now
    session.flush()
    return previous


@dataclass(frozen=True)
class GuardState:
    """The wrong-PIN guard: wrong PINs in a row, and until when manager mode is locked."""

    failed_attempts: int
    locked_until: datetime | None


class ManagerRecords:
    """Manager accounts, the wrong-PIN guard and cashier permissions in one unit of work."""

    def __init__(self, transaction: Transaction) -> None:
        self._session = transaction.session

    def names(self) -> list[str]:
        return manager_names(self._session)

    def pin_hash(self, name: str) -> str | None:
        """The stored PIN hash of manager ``name`` (None: no such manager)."""
        account = get_manager(self._session, name)
        return account.pin_hash if account is not None else None

    def put(self, name: str, pin_hash: str, now: datetime) -> None:
        put_manager(self._session, name, pin_hash, now)

    def guard(self) -> GuardState:
        row = pin_guard(self._session)
        return GuardState(row.failed_attempts, row.locked_until)

    def set_guard(self, failed_attempts: int, locked_until: datetime | None) -> None:
        row = pin_guard(self._session)
        row.failed_attempts = failed_attempts
        row.locked_until = locked_until

    def permissions(self) -> dict[str, bool]:
        return permission_rows(self._session)

    def put_permission(
        self, action: str, allowed: bool, manager: str, now: datetime
    ) -> bool | None:
        return put_permission(self._session, action, allowed, manager, now)
