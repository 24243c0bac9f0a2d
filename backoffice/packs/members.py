"""Finding the members packs go to: by id, by phone number (K9), or all of them.

Members are the chain-wide ``member`` records the tills also get. Phone numbers
are compared without spaces, dashes, dots and brackets.
"""

from __future__ import annotations

from dataclasses import dataclass

from sqlalchemy import select
from sqlalchemy.orm import Session

from backoffice.chain.change_log import find_record
from backoffice.models.records import Record

_PHONE_NOISE = str.maketrans("", "", " -.()/")


def normalize_phone(phone: str) -> str:
    """A phone number as compared: no spaces, dashes, dots, slashes or brackets."""
    return phone.strip().translate(_PHONE_NOISE)


@dataclass(frozen=True)
class Member:
    """A live member record: its id, name and phone."""

    member_id: str
    name: str
    phone: str


def _member(record: Record) -> Member:
    data = record.data
    return Member(record.record_id, str(data.get("name", "")), str(data.get("phone", "")))


def live_members(session: Session) -> list[Member]:
    """Every member that is not deleted, by id."""
    records = session.scalars(
        select(Record)
        .where(Record.kind == "member", Record.deleted.is_(False))
        .order_by(Record.record_id)
    ).all()
    return [_member(record) for record in records]


def find_member(session: Session, member_id: str) -> Member | None:
    """The live member ``member_id``, if any."""
    record = find_record(session, "member", member_id)
    return None if record is None or record.deleted else _member(record)


def find_member_by_phone(session: Session, phone: str) -> Member | None:
    """The live member with this phone number, if exactly one has it."""
    wanted = normalize_phone(phone)
    if not wanted:
        return None
    found = [m for m in live_members(session) if normalize_phone(m.phone) == wanted]
    return found[0] if len(found) == 1 else None
