"""Manager mode's door: PINs stored as salted hashes, the lockout after 5 wrong PINs
(on the till's clock), and cashier permissions, each change audited."""

from __future__ import annotations

import json
from collections.abc import Callable

import pytest
from sqlalchemy import select

from pos_app.protocol.pins import hash_pin, pin_matches
from pos_app.store.models.audit import AuditEntry
from pos_app.store.models.staff import StaffMember
from pos_app.store.unit_of_work import UnitOfWork
from pos_app.till.errors import TillCode, TillRefusal
from pos_app.till.manager import CashierPermissions, ManagerAccess, ManagerSession
from pos_app.till.runtime import TillRuntime
from tests.helpers.device_clock import FakeClock
from tests.till.conftest import Snapshot


@pytest.fixture
def access(runtime: TillRuntime, clock: FakeClock) -> ManagerAccess:
    managers = ManagerAccess(runtime.database, clock)
    managers.set_pin("Grace", "2468", by=None)
    return managers


def audit(runtime: TillRuntime) -> list[AuditEntry]:
    with UnitOfWork(runtime.database.sessions) as uow:
        return list(uow.session.scalars(select(AuditEntry).order_by(AuditEntry.id)))


def refused(action: Callable[[], object]) -> TillRefusal:
    with pytest.raises(TillRefusal) as error:
        action()
    return error.value


def test_a_pin_hash_is_salted_and_checks_in_constant_form() -> None:
    """Two hashes of one PIN differ (salt); each verifies; a wrong PIN does not."""
    first, second = hash_pin("2468"), hash_pin("2468")
    assert first != second and first.startswith("scrypt$16384$8$1$")
    assert pin_matches("2468", first) and pin_matches("2468", second)
    assert not pin_matches("2469", first)
    assert not pin_matches("2468", "md5$abc")


def test_the_pin_is_never_stored_or_audited(runtime: TillRuntime, access: ManagerAccess) -> None:
    """Only the hash is in the database; the audit row names the manager, not the PIN."""
    with UnitOfWork(runtime.database.sessions) as uow:
        (account,) = uow.session.scalars(select(StaffMember))
    # a hex hash may hold "2468" by chance: check its shape, not a substring
    scheme, *parameters, salt, digest = account.pin_hash.split("$")
    assert scheme == "scrypt" and len(parameters) == 3
    assert len(salt) >= 32 and len(digest) >= 64 and "2468" not in (salt, digest)
    (entry,) = audit(runtime)
    assert (entry.action, entry.subject, entry.manager) == ("manager.pin_set", "Grace", "Grace")
    assert "2468" not in entry.detail


def test_the_right_pin_signs_in(runtime: TillRuntime, access: ManagerAccess) -> None:
    """verify_pin returns a live session for the manager and audits the sign-in; ending
    the session closes it; a session made elsewhere never opens anything."""
    session = access.verify_pin("Grace", "2468")
    assert session.name == "Grace" and access.is_live(session)
    assert "token" not in repr(session)
    assert audit(runtime)[-1].action == "manager.signed_in"
    access.end_session(session)
    assert not access.is_live(session)
    forged = ManagerSession("Grace", session.started_at, "0" * 32)
    assert not access.is_live(forged)
    assert refused(lambda: access.set_permission("present", False, forged)).code == (
        TillCode.MANAGER_REQUIRED
    )


def test_wrong_pins_count_down_then_lock_until_the_clock_passes(
    runtime: TillRuntime, access: ManagerAccess, clock: FakeClock
) -> None:
    """Tries 1-4: PIN_INCORRECT with tries left; try 5 locks for 5 minutes; during the
    lockout the right PIN is refused too; afterwards it works and the count restarts."""
    for left in (4, 3, 2, 1):
        error = refused(lambda: access.verify_pin("Grace", "0000"))
        assert error.code == TillCode.PIN_INCORRECT
        assert error.message.endswith(f"{left} {'try' if left == 1 else 'tries'} left")
    error = refused(lambda: access.verify_pin("Grace", "0000"))
    assert error.code == TillCode.PIN_LOCKED
    clock.advance(minutes=4, seconds=59)
    assert refused(lambda: access.verify_pin("Grace", "2468")).code == TillCode.PIN_LOCKED
    clock.advance(seconds=1)
    assert access.lockout_left() is None
    assert access.verify_pin("Grace", "2468").name == "Grace"
    assert refused(lambda: access.verify_pin("Grace", "1")).message.endswith("4 tries left")
    locked = [e for e in audit(runtime) if e.action == "manager.pin_locked"]
    assert len(locked) == 1 and json.loads(locked[0].detail)["wrong_pins"] == 5


def test_an_unknown_name_counts_as_a_wrong_pin(access: ManagerAccess) -> None:
    """No hint whether the name or the PIN was wrong."""
    error = refused(lambda: access.verify_pin("Mallory", "2468"))
    assert error.code == TillCode.PIN_INCORRECT
    assert error.message == "Wrong name or PIN: 4 tries left"


def test_only_a_manager_adds_managers_and_pins_are_4_to_8_digits(
    access: ManagerAccess, runtime: TillRuntime, snapshot: Callable[[], Snapshot]
) -> None:
    """Once a manager exists, set_pin needs one signed in; a bad PIN is refused; nothing
    written."""
    grace = access.verify_pin("Grace", "2468")
    before = snapshot()
    assert refused(lambda: access.set_pin("Eve", "1234", by=None)).code == (
        TillCode.MANAGER_REQUIRED
    )
    assert refused(lambda: access.set_pin("Eve", "12a4", by=grace)).code == TillCode.PIN_INVALID
    assert refused(lambda: access.set_pin("Eve", "123", by=grace)).code == TillCode.PIN_INVALID
    assert snapshot() == before
    access.set_pin("Ada", "13579", by=grace)
    assert access.manager_names() == ("Ada", "Grace")
    assert access.verify_pin("Ada", "13579").name == "Ada"


def test_permissions_default_to_allowed_and_changes_are_audited(
    runtime: TillRuntime, access: ManagerAccess
) -> None:
    """No row: allowed. A manager's change is stored and audited with the old value."""
    assert access.permissions() == CashierPermissions()
    changed = access.set_permission("adjust_price", False, access.verify_pin("Grace", "2468"))
    assert changed == CashierPermissions(adjust_price=False)
    assert access.permissions().allows("adjust_price") is False
    entry = audit(runtime)[-1]
    assert (entry.action, entry.subject, entry.manager) == (
        "permission.changed",
        "adjust_price",
        "Grace",
    )
    assert json.loads(entry.detail) == {"allowed": False, "previous": None}
    assert refused(lambda: access.set_permission("present", False, None)).code == (
        TillCode.MANAGER_REQUIRED
    )
