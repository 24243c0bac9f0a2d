"""The names people know stores by, for the reports (a store with no record keeps its id)."""

from __future__ import annotations

from collections.abc import Iterable

from sqlalchemy import select
from sqlalchemy.orm import Session

from backoffice.models.records import Record


def store_names(session: Session, store_ids: Iterable[str]) -> dict[str, str]:
    """Each of ``store_ids`` that has a store record, with its name."""
    wanted = sorted(set(store_ids))
    if not wanted:
        return {}
    query = select(Record.record_id, Record.data).where(
        Record.kind == "store", Record.record_id.in_(wanted)
    )
    return {
        store_id: str(data.get("name") or store_id) for store_id, data in session.execute(query)
    }
