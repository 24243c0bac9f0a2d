"""The people at the till: who may sign in (cashiers and managers from the back office,
or added here by a manager), who is signed in now, and the approvals managers give.

A PIN is checked with the same lockout as manager mode (:class:`PinLockout`), per
person: five wrong PINs in a row lock that person's sign-in for five minutes. A till
with cashiers takes no sale until someone signs in; a till with none (a demo, a test)
records no one. PIN checks are slow on purpose: run them off the UI thread.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import timedelta

from pos_app.protocol.pins import PinError, check_pin, hash_pin, pin_matches
from pos_app.store.staff_records import (
    CASHIER_ROLE,
    LOCAL,
    MANAGER_ROLE,
    SignedIn,
    StaffView,
    new_local_id,
)
from pos_app.store.unit_of_work import TillDatabase
from pos_app.till.clock import Clock, aware
from pos_app.till.errors import TillCode, TillRefusal
from pos_app.till.manager import LOCKOUT, MAX_WRONG_PINS, PinLockout, decoy_hash

ROLES = (CASHIER_ROLE, MANAGER_ROLE)
STAFF_SIGNED_IN = "staff.signed_in"
STAFF_SIGNED_OUT = "staff.signed_out"
STAFF_ADDED = "staff.added"


@dataclass(frozen=True)
class SignInDone:
    """Who signed in, and whether the day still needs its opening float."""

    name: str
    role: str
    needs_float: bool


class StaffDesk:
    """Signing in and out at one till, and the people it knows. The till's owner
    thread only; ``clock`` gives aware times (the lockout is measured on it)."""

    def __init__(
        self,
        database: TillDatabase,
        clock: Clock,
        *,
        max_wrong_pins: int = MAX_WRONG_PINS,
        lockout: timedelta = LOCKOUT,
    ) -> None:
        self._database = database
        self._clock = clock
        self._max_wrong = max_wrong_pins
        self._lockout = lockout
        self._current: SignedIn | None = None
        self._has_cashiers: bool | None = None
        self._loaded = False

    # ------------------------------------------------------------ who

    def everyone(self) -> list[StaffView]:
        with self._database.unit_of_work() as uow:
            return uow.staff.everyone()

    @property
    def current(self) -> SignedIn | None:
        """Who is signed in now (kept over a restart), or None."""
        if not self._loaded:
            with self._database.unit_of_work() as uow:
                self._current = uow.staff.signed_in()
            self._loaded = True
        return self._current

    @property
    def cashier_name(self) -> str:
        """The name tickets, returns and cash moves record ("" when no one signed in)."""
        current = self.current
        return current.name if current is not None else ""

    def sign_in_required(self) -> bool:
        """Whether this till takes nothing until someone signs in: it has cashiers."""
        if self._has_cashiers is None:
            with self._database.unit_of_work() as uow:
                self._has_cashiers = uow.staff.count(CASHIER_ROLE) > 0
        return self._has_cashiers and self.current is None

    def refresh(self) -> None:
        """Read the people again (after a sync page brought staff)."""
        self._has_cashiers = None

    # ------------------------------------------------------------ signing in

    def sign_in(self, staff_id: object, pin: object) -> SignedIn:
        """``staff_id`` signs in with their PIN (whoever was on is signed out). A wrong PIN
        is refused PIN_INCORRECT; the fifth in a row locks that person's sign-in."""
        if not isinstance(staff_id, str) or not staff_id:
            raise TillRefusal(TillCode.UNKNOWN_STAFF, "Choose who is signing in")
        rule_now = aware(self._clock())
        with self._database.unit_of_work() as uow:
            record = uow.staff.pin_record(staff_id)
            if record is None:
                pin_matches(str(pin), decoy_hash())  # the same time as a wrong PIN
                raise TillRefusal(TillCode.UNKNOWN_STAFF, "No one by that name works here")
            rule = PinLockout(self._max_wrong, self._lockout, f"Signing in as {record.staff.name}")
            locked = rule.refusal_while_locked(record.locked_until, rule_now)
            if locked is not None:
                raise locked
            failed = record.failed_pins if record.locked_until is None else 0
            if isinstance(pin, str) and pin_matches(pin, record.pin_hash):
                uow.staff.set_guard(staff_id, 0, None)
                uow.staff.sign_in(record.staff, rule_now)
                uow.audit.record(rule_now, record.staff.name, STAFF_SIGNED_IN, staff_id, {})
                current = uow.staff.signed_in()
                uow.commit()
                self._current, self._loaded = current, True
                assert current is not None
                return current
            failed, locked_until, refusal = rule.after_wrong_pin(failed, rule_now, "Wrong PIN")
            uow.staff.set_guard(staff_id, failed, locked_until)
            uow.commit()
        raise refusal

    def sign_out(self) -> None:
        now = aware(self._clock())
        with self._database.unit_of_work() as uow:
            current = uow.staff.signed_in()
            if current is not None:
                uow.staff.sign_out(now)
                uow.audit.record(now, current.name, STAFF_SIGNED_OUT, current.staff_id, {})
            uow.commit()
        self._current, self._loaded = None, True

    # ------------------------------------------------------------ people added here

    def add_local(self, name: object, role: object, pin: object, manager: str) -> StaffView:
        """A person added at this till by ``manager`` (audited; the PIN only hashed)."""
        if not isinstance(name, str) or not name.strip():
            raise TillRefusal(TillCode.UNKNOWN_STAFF, "A name is required")
        name = name.strip()
        if len(name) > 100:
            raise TillRefusal(TillCode.UNKNOWN_STAFF, "A name is at most 100 characters")
        if role not in ROLES:
            raise TillRefusal(TillCode.UNKNOWN_STAFF, "The role is cashier or manager")
        try:
            pin_hash = hash_pin(check_pin(pin))  # slow: outside the transaction
        except PinError as bad:
            raise TillRefusal(TillCode.PIN_INVALID, str(bad)) from None
        now = aware(self._clock())
        person = StaffView(new_local_id(), name, str(role), LOCAL)
        with self._database.unit_of_work() as uow:
            uow.staff.put(person.staff_id, name, person.role, pin_hash, LOCAL)
            uow.audit.record(now, manager, STAFF_ADDED, name, {"role": person.role})
            uow.commit()
        self._has_cashiers = None
        return person

    # ------------------------------------------------------------ approvals

    def record_approval(self, action: str, subject: str, manager: str) -> None:
        """A manager's PIN given for ``action`` on ``subject`` for the cashier signed in."""
        now = aware(self._clock())
        cashier = self.cashier_name
        with self._database.unit_of_work() as uow:
            shift = uow.shifts.current()
            uow.staff.add_approval(
                shift.shift_id if shift is not None else None,
                action,
                subject,
                cashier=cashier,
                manager=manager,
                now=now,
            )
            uow.commit()
