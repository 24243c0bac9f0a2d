"""Customer service's view of members: found by name or phone number, a page at a time,
and their name and phone corrected with an audit of who changed what, when.

Members are the chain-wide ``member`` records the tills also get (an edit reaches every
till through the change log). A phone number is compared without spaces, dashes, dots
and brackets (:func:`~backoffice.packs.members.normalize_phone`), and no two live members
may share one: the tills and gifts (K9) find a member by it.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime

from sqlalchemy import select
from sqlalchemy.orm import Session

from backoffice.chain.change_log import find_record, put_record
from backoffice.models.member_edits import MemberEdit
from backoffice.models.records import Record
from backoffice.packs.errors import PackInputError
from backoffice.packs.members import Member, normalize_phone
from pos_app.protocol import bounds
from pos_app.protocol.records import RecordDataError, RecordKind, checked_data

PAGE_SIZE = 25
EDITED_FIELDS = ("name", "phone")


@dataclass(frozen=True)
class MemberPage:
    """One page of members (by name), how many match in all, and which page this is."""

    members: list[Member]
    total: int
    page: int
    page_size: int

    @property
    def pages(self) -> int:
        return max(1, -(-self.total // self.page_size))


def _member(record: Record) -> Member:
    data = record.data
    return Member(record.record_id, str(data.get("name", "")), str(data.get("phone", "")))


def _matches(member: Member, wanted: str) -> bool:
    words = wanted.strip().lower()
    if words in member.name.lower():
        return True
    digits = normalize_phone(wanted)
    return bool(digits) and digits in normalize_phone(member.phone)


def search_members(
    session: Session, query: str = "", *, page: int = 1, page_size: int = PAGE_SIZE
) -> MemberPage:
    """Live members whose name or phone number holds ``query`` (all when it is empty),
    by name; page ``page`` (from 1; a page past the last shows the last)."""
    records = session.scalars(
        select(Record).where(Record.kind == RecordKind.MEMBER.value, Record.deleted.is_(False))
    ).all()
    found = [_member(record) for record in records]
    if query.strip():
        found = [member for member in found if _matches(member, query)]
    found.sort(key=lambda m: (m.name.lower(), m.member_id))
    last = max(1, -(-len(found) // page_size))
    page = min(max(1, page), last)
    start = (page - 1) * page_size
    return MemberPage(found[start : start + page_size], len(found), page, page_size)


@dataclass(frozen=True)
class MemberEditView:
    """One audited edit, as people read it: who, when, each field before and after."""

    changed_at: datetime
    changed_by: str
    changes: list[tuple[str, str, str]]


def member_edits(session: Session, member_id: str) -> list[MemberEditView]:
    """The member's audited edits, newest first."""
    rows = session.scalars(
        select(MemberEdit).where(MemberEdit.member_id == member_id).order_by(MemberEdit.id.desc())
    ).all()
    return [
        MemberEditView(
            row.changed_at,
            row.changed_by,
            [(f, str(row.before.get(f, "")), str(row.after.get(f, ""))) for f in row.after],
        )
        for row in rows
    ]


def _checked_name(name: str) -> str:
    cleaned = " ".join(name.split())
    if not cleaned:
        raise PackInputError("name", "the member's name cannot be empty")
    if len(cleaned) > bounds.NAME.max_length:
        raise PackInputError("name", f"is longer than {bounds.NAME.max_length} characters")
    return cleaned


def _checked_phone(session: Session, member_id: str, phone: str) -> str:
    cleaned = phone.strip()
    digits = normalize_phone(cleaned)
    if not digits or not digits.lstrip("+").isdigit() or len(digits) < 5:
        raise PackInputError("phone", f"“{cleaned}” is not a phone number")
    for other in session.scalars(
        select(Record).where(Record.kind == RecordKind.MEMBER.value, Record.deleted.is_(False))
    ):
        if (
            other.record_id != member_id
            and normalize_phone(str(other.data.get("phone", ""))) == digits
        ):
            raise PackInputError(
                "phone", f"{cleaned} is already the phone number of {other.data.get('name')}"
            )
    return cleaned


def edit_member(
    session: Session, member_id: str, *, name: str, phone: str, now: datetime, actor: str
) -> MemberEditView | None:
    """Change the member's name and phone; the edit is audited (who, when, before and
    after) and reaches the tills. None when nothing changed (no audit row then)."""
    record = find_record(session, RecordKind.MEMBER.value, member_id, fresh=True)
    if record is None or record.deleted:
        raise PackInputError("member", "this member does not exist any more")
    wanted = {"name": _checked_name(name), "phone": _checked_phone(session, member_id, phone)}
    before = {f: str(record.data.get(f, "")) for f in EDITED_FIELDS}
    changed = [f for f in EDITED_FIELDS if before[f] != wanted[f]]
    if not changed:
        return None
    try:
        data = checked_data(RecordKind.MEMBER, member_id, {**record.data, **wanted})
    except RecordDataError as bad:
        raise PackInputError(bad.field or "name", bad.problem) from None
    put_record(
        session,
        RecordKind.MEMBER.value,
        member_id,
        data,
        store_id=record.store_id,
        now=now,
        actor=actor,
    )
    edit = MemberEdit(
        member_id=member_id,
        changed_at=now,
        changed_by=actor,
        before={f: before[f] for f in changed},
        after={f: wanted[f] for f in changed},
    )
    session.add(edit)
    session.flush()
    return MemberEditView(now, actor, [(f, before[f], wanted[f]) for f in changed])
