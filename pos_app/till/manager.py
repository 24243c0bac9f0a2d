"""Manager mode at the till: who may enter it (a name and a PIN, stored as a salted
hash), the lockout after too many wrong PINs, and what cashiers may do without a
manager (present, price adjustment, discounts).

Every change is audited. A PIN never appears in the database, the audit log, a log
line or a message. PIN checks are slow on purpose (scrypt): run them off the UI thread.
"""

from __future__ import annotations

import secrets
from collections.abc import Mapping
from dataclasses import dataclass, field
from datetime import datetime, timedelta
from functools import cache

from pos_app.engine import AdjustPrice, ApplyDiscount, Present, RemoveLine, Unadjust, Unpresent
from pos_app.store.manager_records import hash_pin, pin_matches
from pos_app.store.unit_of_work import TillDatabase
from pos_app.till.clock import Clock, aware, local_now
from pos_app.till.commands import (
    OverrideAutoExecute,
    RefundPackSale,
    ResolveConflict,
    ReturnPackLine,
    SetPermission,
    VoidTicket,
)
from pos_app.till.errors import TillCode, TillRefusal

MAX_WRONG_PINS = 5
LOCKOUT = timedelta(minutes=5)
PIN_DIGITS = (4, 8)
GUARDED_ACTIONS = ("present", "adjust_price", "discount", "void")
SYSTEM = "(till)"

PIN_SET = "manager.pin_set"
SIGNED_IN = "manager.signed_in"
PIN_LOCKED_OUT = "manager.pin_locked"
PERMISSION_CHANGED = "permission.changed"


@cache
def _decoy_hash() -> str:
    """A hash of a PIN nobody has: an unknown name costs the same time as a wrong PIN."""
    return hash_pin(secrets.token_hex(8))


# The permission each guarded cashier action needs, and what only a manager may do.
GUARD_OF: dict[type, str] = {
    Present: "present",
    Unpresent: "present",
    AdjustPrice: "adjust_price",
    Unadjust: "adjust_price",
    ApplyDiscount: "discount",
    RemoveLine: "void",
    VoidTicket: "void",
}
MANAGER_ONLY: tuple[type, ...] = (
    OverrideAutoExecute,
    ResolveConflict,
    RefundPackSale,
    ReturnPackLine,
    SetPermission,
)
NEEDS_MANAGER = {
    "present": "Presenting needs a manager (Manager mode)",
    "adjust_price": "Price adjustment needs a manager (Manager mode)",
    "discount": "Discounts need a manager (Manager mode)",
    "void": "Voiding needs a manager (Manager mode)",
}


@dataclass(frozen=True)
class ManagerSession:
    """A manager signed in at this till: made only by :meth:`ManagerAccess.verify_pin`
    (a right PIN), valid until :meth:`ManagerAccess.end_session`. Carries no PIN."""

    name: str
    started_at: datetime
    token: str = field(repr=False, compare=True)


@dataclass(frozen=True)
class Actor:
    """Who asks the till to act: the cashier, with a manager's session while a manager
    is signed in. The till checks the session, never a name it is handed."""

    manager: ManagerSession | None = None


CASHIER = Actor()


@dataclass(frozen=True)
class CashierPermissions:
    """What a cashier may do without a manager: each needs a manager until a manager
    grants it to cashiers."""

    present: bool = False
    adjust_price: bool = False
    discount: bool = False
    void: bool = False

    def allows(self, action: str) -> bool:
        if action not in GUARDED_ACTIONS:
            raise ValueError(f"unknown guarded action {action!r}")
        return bool(getattr(self, action))

    @classmethod
    def from_rows(cls, rows: Mapping[str, bool]) -> CashierPermissions:
        return cls(**{a: rows[a] for a in GUARDED_ACTIONS if a in rows})

    def refusal_for(self, command: object, manager: ManagerSession | None) -> TillRefusal | None:
        """Why the cashier may not do ``command`` without a manager, or None."""
        if manager is not None:
            return None
        if isinstance(command, MANAGER_ONLY):
            return TillRefusal(TillCode.MANAGER_REQUIRED, "Enter manager mode first")
        guard = GUARD_OF.get(type(command))
        if guard is not None and not self.allows(guard):
            return TillRefusal(TillCode.MANAGER_REQUIRED, NEEDS_MANAGER[guard])
        return None


def _remaining_text(left: timedelta) -> str:
    seconds = max(1, int(left.total_seconds() + 0.999))
    minutes, seconds = divmod(seconds, 60)
    return f"{minutes} min {seconds:02d} s" if minutes else f"{seconds} s"


class ManagerAccess:
    """The door to manager mode and the cashier permissions of one till database.

    Not thread-safe: one owner at a time (the UI runs it on the same serial op queue
    as the :class:`~pos_app.till.till.Till`). ``clock`` gives aware times (the lockout
    is measured on it; tests move it by hand).
    """

    def __init__(
        self,
        database: TillDatabase,
        clock: Clock = local_now,
        *,
        max_wrong_pins: int = MAX_WRONG_PINS,
        lockout: timedelta = LOCKOUT,
    ) -> None:
        self._database = database
        self._clock = clock
        self._max_wrong = max_wrong_pins
        self._lockout = lockout
        self._live: set[str] = set()
        self._permissions: CashierPermissions | None = None

    # ------------------------------------------------------------ accounts

    def manager_names(self) -> tuple[str, ...]:
        with self._database.unit_of_work() as uow:
            return tuple(uow.managers.names())

    def set_pin(self, name: str, pin: str, *, by: ManagerSession | None) -> None:
        """Create manager ``name`` or change their PIN (4-8 digits). ``by`` is the signed-in
        manager doing it; only the very first manager of a till may be set up with no one."""
        name = _name(name)
        if (
            not isinstance(pin, str)
            or not pin.isdigit()
            or not (PIN_DIGITS[0] <= len(pin) <= PIN_DIGITS[1])
        ):
            raise TillRefusal(
                TillCode.PIN_INVALID, f"A PIN is {PIN_DIGITS[0]} to {PIN_DIGITS[1]} digits"
            )
        pin_hash = hash_pin(pin)  # slow: outside the transaction
        now = aware(self._clock())
        with self._database.unit_of_work() as uow:
            existing = uow.managers.names()
            if existing and not self.is_live(by):
                raise TillRefusal(
                    TillCode.MANAGER_REQUIRED, "Only a manager may add a manager or change a PIN"
                )
            uow.managers.put(name, pin_hash, now)
            doer = by.name if by is not None else name
            uow.audit.record(now, doer, PIN_SET, name, {"first_manager": not existing})
            uow.commit()

    # ------------------------------------------------------------ signing in

    def lockout_left(self) -> timedelta | None:
        """How long manager mode stays locked, or None."""
        now = aware(self._clock())
        with self._database.unit_of_work() as uow:
            until = uow.managers.guard().locked_until
        return until - now if until is not None and now < until else None

    def verify_pin(self, name: str, pin: str) -> ManagerSession:
        """A session for the manager when ``pin`` is theirs. A wrong PIN (or unknown name)
        is refused PIN_INCORRECT; the ``max_wrong_pins``-th wrong one in a row locks
        manager mode for ``lockout``, during which every try is refused PIN_LOCKED."""
        now = aware(self._clock())
        with self._database.unit_of_work() as uow:
            guard = uow.managers.guard()
            failed, locked_until = guard.failed_attempts, guard.locked_until
            if locked_until is not None:
                if now < locked_until:
                    raise TillRefusal(
                        TillCode.PIN_LOCKED,
                        "Manager mode is locked after too many wrong PINs: try again in "
                        + _remaining_text(locked_until - now),
                    )
                failed, locked_until = 0, None
            stored = uow.managers.pin_hash(name) if isinstance(name, str) else None
            right = isinstance(pin, str) and pin_matches(pin, stored or _decoy_hash())
            if right and stored is not None:
                uow.managers.set_guard(0, None)
                uow.audit.record(now, name, SIGNED_IN, name, {})
                uow.commit()
                signed_in = ManagerSession(name, now, secrets.token_hex(16))
                self._live.add(signed_in.token)
                return signed_in
            failed += 1
            left = self._max_wrong - failed
            if left <= 0:
                locked_until = now + self._lockout
                failed = 0
                uow.audit.record(
                    now,
                    SYSTEM,
                    PIN_LOCKED_OUT,
                    str(name)[:200],
                    {"until": locked_until.isoformat(), "wrong_pins": self._max_wrong},
                )
                refusal = TillRefusal(
                    TillCode.PIN_LOCKED,
                    f"{self._max_wrong} wrong PINs: manager mode is locked for "
                    + _remaining_text(self._lockout),
                )
            else:
                refusal = TillRefusal(
                    TillCode.PIN_INCORRECT,
                    f"Wrong name or PIN: {left} {'try' if left == 1 else 'tries'} left",
                )
            uow.managers.set_guard(failed, locked_until)
            uow.commit()
        raise refusal

    def is_live(self, session: ManagerSession | None) -> bool:
        """Whether ``session`` was made here by a right PIN and has not ended."""
        return session is not None and session.token in self._live

    def end_session(self, session: ManagerSession | None) -> None:
        """Leave manager mode: the session no longer opens anything."""
        if session is not None:
            self._live.discard(session.token)

    # ------------------------------------------------------------ permissions

    def permissions(self) -> CashierPermissions:
        """What cashiers may do without a manager now (read once, then kept)."""
        if self._permissions is None:
            with self._database.unit_of_work() as uow:
                self._permissions = CashierPermissions.from_rows(uow.managers.permissions())
        return self._permissions

    def set_permission(
        self, action: str, allowed: bool, by: ManagerSession | None
    ) -> CashierPermissions:
        """Allow or forbid a guarded action for cashiers (audited)."""
        if action not in GUARDED_ACTIONS:
            raise TillRefusal(TillCode.MANAGER_REQUIRED, f"Unknown permission {action}")
        if by is None or not self.is_live(by):
            raise TillRefusal(TillCode.MANAGER_REQUIRED, "Enter manager mode first")
        manager = by.name
        now = aware(self._clock())
        with self._database.unit_of_work() as uow:
            if uow.managers.pin_hash(manager) is None:
                raise TillRefusal(TillCode.MANAGER_REQUIRED, f"{manager} is not a manager here")
            previous = uow.managers.put_permission(action, bool(allowed), manager, now)
            uow.audit.record(
                now,
                manager,
                PERMISSION_CHANGED,
                action,
                {"allowed": bool(allowed), "previous": previous},
            )
            permissions = CashierPermissions.from_rows(uow.managers.permissions())
            uow.commit()
        self._permissions = permissions
        return permissions

    def refusal_for(self, command: object, actor: Actor) -> TillRefusal | None:
        """Why ``actor`` may not give ``command`` now: a manager's session that ended,
        or a guarded action the cashier may not do without a manager."""
        manager = actor.manager
        if manager is not None and not self.is_live(manager):
            return TillRefusal(
                TillCode.MANAGER_REQUIRED, "The manager's session has ended: sign in again"
            )
        return self.permissions().refusal_for(command, manager)


def _name(name: object) -> str:
    if not isinstance(name, str) or not name.strip():
        raise TillRefusal(TillCode.MANAGER_REQUIRED, "A manager's name is required")
    name = name.strip()
    if len(name) > 100:
        raise TillRefusal(TillCode.MANAGER_REQUIRED, "A manager's name is at most 100 characters")
    return name
