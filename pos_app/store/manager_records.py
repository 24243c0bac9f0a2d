"""Rows behind manager mode: salted PIN hashes, the wrong-PIN guard, cashier permissions.

PINs are hashed with :func:`hashlib.scrypt` and a random 16-byte salt per hash, and
compared in constant time. A PIN is never stored, logged or put in an error message.
Hashing is deliberately slow (tens of milliseconds): call it off the UI thread.
"""

from __future__ import annotations

import hashlib
import hmac
import secrets
from dataclasses import dataclass
from datetime import datetime

from sqlalchemy import select
from sqlalchemy.orm import Session

from pos_app.store.database import Transaction
from pos_app.store.models.managers import CashierPermission, ManagerAccount, PinGuard

SCRYPT_N = 2**14
SCRYPT_R = 8
SCRYPT_P = 1
SALT_BYTES = 16
KEY_BYTES = 32
SCHEME = "scrypt"


def hash_pin(pin: str, *, n: int = SCRYPT_N, r: int = SCRYPT_R, p: int = SCRYPT_P) -> str:
    """``scrypt$n$r$p$salt$key`` (hex) for ``pin`` with a fresh random salt."""
    salt = secrets.token_bytes(SALT_BYTES)
    key = _derive(pin, salt, n, r, p)
    return f"{SCHEME}${n}${r}${p}${salt.hex()}${key.hex()}"


def pin_matches(pin: str, stored: str) -> bool:
    """Whether ``pin`` hashes to ``stored`` (constant-time compare); False for a
    malformed stored hash."""
    try:
        scheme, n, r, p, salt_hex, key_hex = stored.split("$")
        if scheme != SCHEME:
            return False
        expected = bytes.fromhex(key_hex)
        key = _derive(pin, bytes.fromhex(salt_hex), int(n), int(r), int(p), len(expected))
    except ValueError:
        return False
    return hmac.compare_digest(key, expected)


def _derive(pin: str, salt: bytes, n: int, r: int, p: int, length: int = KEY_BYTES) -> bytes:
    return hashlib.scrypt(pin.encode("utf-8"), salt=salt, n=n, r=r, p=p, dklen=length, maxmem=2**26)


# ---------------------------------------------------------------- accounts


def manager_names(session: Session) -> list[str]:
    return list(session.scalars(select(ManagerAccount.name).order_by(ManagerAccount.name)))


def get_manager(session: Session, name: str) -> ManagerAccount | None:
    return session.get(ManagerAccount, name)


def put_manager(session: Session, name: str, pin_hash: str, now: datetime) -> ManagerAccount:
    """Create the account or replace its PIN hash."""
    row = session.get(ManagerAccount, name)
    if row is None:
        row = ManagerAccount(name=name, pin_hash=pin_hash, created_at=now, updated_at=now)
        session.add(row)
    else:
        row.pin_hash = pin_hash
        row.updated_at = now
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
