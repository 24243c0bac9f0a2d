"""Listing synced records for people: coupons, promotions, stores, members, items, paged and
filtered, for the admin pages' pickers and their JSON API.

A ``search`` matches any part of the record's id, name or phone number, in any case.
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any

from sqlalchemy import select
from sqlalchemy.orm import Session

from backoffice.models.records import Record

SEARCHED_FIELDS = ("name", "phone")


@dataclass(frozen=True)
class RecordPage:
    """One page of live records (id, store scope, data) and how many match in all."""

    rows: list[dict[str, Any]]
    total: int


def _matches(record: Record, search: str) -> bool:
    wanted = search.strip().lower()
    texts = [record.record_id, *(str(record.data.get(field, "")) for field in SEARCHED_FIELDS)]
    return any(wanted in text.lower() for text in texts)


def live_records(
    session: Session,
    kind: str,
    *,
    search: str | None = None,
    where: dict[str, str] | None = None,
    limit: int | None = None,
    offset: int = 0,
) -> RecordPage:
    """Live records of ``kind``, by name then id; ``where`` keeps those whose data field
    equals the value given (e.g. ``{"type": "combo"}``)."""
    records = session.scalars(
        select(Record).where(Record.kind == kind, Record.deleted.is_(False))
    ).all()
    found = [r for r in records if not search or _matches(r, search)]
    for field, value in (where or {}).items():
        found = [r for r in found if str(r.data.get(field, "")) == value]
    found.sort(key=lambda r: (str(r.data.get("name", r.record_id)).lower(), r.record_id))
    page = found[offset:] if limit is None else found[offset : offset + limit]
    return RecordPage(
        rows=[
            {**r.data, "id": r.record_id, "store_id": r.store_id, "archived": _archived(r)}
            for r in page
        ],
        total=len(found),
    )


def _archived(record: Record) -> bool:
    return record.archived_at is not None


def names_of(session: Session, kind: str) -> dict[str, str]:
    """Each live record's id and the name people know it by (its id if it has none)."""
    return {
        row["id"]: str(row.get("name") or row["id"]) for row in live_records(session, kind).rows
    }
