"""The chain's staff: cashiers and managers who may sign in at the tills, each a
``staff`` record in the change log. A PIN comes in and is hashed here
(:mod:`pos_app.protocol.pins`, the tills' own check); only the hash is stored and
synced. The admin API and the admin page both go through :func:`save_staff`."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime

from sqlalchemy.orm import Session

from backoffice.chain.change_log import find_record, put_record, record_is_live
from backoffice.chain.record_listing import live_records
from pos_app.protocol.pins import PinError, check_pin, hash_pin
from pos_app.protocol.records import RecordDataError, RecordKind, checked_data

KIND = RecordKind.STAFF.value
ROLES = ("cashier", "manager")


class StaffError(ValueError):
    """Bad staff input: ``field`` names what is wrong (``name``, ``role``, ``pin``,
    ``store_id``); nothing was saved."""

    def __init__(self, field: str, problem: str) -> None:
        self.field = field
        self.problem = problem
        super().__init__(f"{field}: {problem}")


@dataclass(frozen=True)
class StaffPerson:
    """A person as admins see them: no PIN, no hash."""

    id: str
    name: str
    role: str
    store_id: str | None


def hashed_pin(pin: str | None) -> str | None:
    """The PIN's hash (None: no PIN given), or StaffError. Slow: before a transaction."""
    if pin is None or pin == "":
        return None
    try:
        return hash_pin(check_pin(pin))
    except PinError as bad:
        raise StaffError("pin", str(bad)) from None


def save_staff(
    session: Session,
    staff_id: str,
    *,
    name: str,
    role: str,
    pin_hash: str | None,
    store_id: str | None,
    now: datetime,
    actor: str,
) -> tuple[StaffPerson, bool]:
    """Add a person or change them (a new person needs a PIN; no PIN keeps the one they
    have); (the person, created)."""
    if role not in ROLES:
        raise StaffError("role", "must be cashier or manager")
    if store_id is not None and not record_is_live(session, "store", store_id):
        raise StaffError("store_id", f"unknown store {store_id!r}")
    existing = find_record(session, KIND, staff_id)
    if pin_hash is None:
        if existing is None or existing.deleted:
            raise StaffError("pin", "a new person needs a PIN")
        pin_hash = str(existing.data["pin_hash"])
    data = {"id": staff_id, "name": name.strip(), "role": role, "pin_hash": pin_hash}
    try:
        checked = checked_data(RecordKind.STAFF, staff_id, data)
    except RecordDataError as bad:
        raise StaffError(bad.field or "id", bad.problem) from None
    _, created = put_record(
        session, KIND, staff_id, checked, store_id=store_id, now=now, actor=actor
    )
    return StaffPerson(staff_id, checked["name"], checked["role"], store_id), created


def list_staff(session: Session) -> list[StaffPerson]:
    """Everyone who may sign in, by name."""
    return [
        StaffPerson(r["id"], r["name"], r["role"], r["store_id"])
        for r in live_records(session, KIND).rows
    ]
