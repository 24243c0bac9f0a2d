"""The execution-order settings (R4, R12): sequence numbers and auto-execute.

Promotions and coupons each have their own sequence (lower runs first, ties by
id); promotions also have ``auto_execute`` (R12). Coupons have no auto-execute:
a cashier redeems them when presented. A change may touch any number of them in one
transaction: every entry is checked first, and a bad one changes nothing. Each
change is written with :func:`backoffice.chain.change_log.put_record`, so the tills get
it on their next pull; an entry that changes nothing logs nothing.
"""

from __future__ import annotations

from datetime import datetime
from typing import Any

from sqlalchemy import select
from sqlalchemy.orm import Session

from backoffice.chain.change_log import find_record, put_record, record_is_live
from backoffice.chain.record_kinds import KINDS, checked_record_data
from backoffice.models.records import Record
from pos_app.protocol.records import RecordDataError

# body section -> (record kind, id field, settings it may change)
SECTIONS = {
    "promotions": ("promotion", "id", ("sequence", "auto_execute")),
    "coupons": ("coupon", "code", ("sequence",)),
}


class ExecutionOrderRefused(ValueError):
    """A bad entry of an execution-order change: ``field`` names it (``promotions[0].sequence``)."""

    def __init__(self, field: str, problem: str) -> None:
        super().__init__(f"{field}: {problem}")
        self.field = field
        self.problem = problem


def execution_order_listing(session: Session) -> dict[str, list[dict[str, Any]]]:
    """Promotions and coupons in execution order (what ``GET /execution-order`` returns)."""
    listing: dict[str, list[dict[str, Any]]] = {}
    for section, (kind, id_field, _settings) in SECTIONS.items():
        records = session.scalars(
            select(Record).where(Record.kind == kind, Record.deleted.is_(False))
        ).all()
        rows = []
        for record in records:
            data = record.data
            row: dict[str, Any] = {
                id_field: record.record_id,
                "name": data.get("name"),
                "type" if kind == "promotion" else "kind": data.get(
                    "type" if kind == "promotion" else "kind"
                ),
                "sequence": data.get("sequence", 0),
                "store_id": record.store_id,
            }
            if kind == "promotion":
                row["auto_execute"] = data.get("auto_execute", True)
            rows.append(row)
        rows.sort(key=lambda row: (row["sequence"], row[id_field]))
        listing[section] = rows
    return listing


def _checked_changes(
    session: Session, body: dict[str, Any]
) -> list[tuple[str, str, dict[str, Any], str | None]]:
    unknown = set(body) - set(SECTIONS)
    if unknown:
        raise ExecutionOrderRefused(sorted(unknown)[0], "is not a section: promotions or coupons")
    planned: list[tuple[str, str, dict[str, Any], str | None]] = []
    for section, (kind, id_field, settings) in SECTIONS.items():
        entries = body.get(section, [])
        if not isinstance(entries, list):
            raise ExecutionOrderRefused(section, "must be a list")
        seen: set[str] = set()
        for index, entry in enumerate(entries):
            where = f"{section}[{index}]"
            if not isinstance(entry, dict):
                raise ExecutionOrderRefused(where, "must be an object")
            record_id = entry.get(id_field)
            if not isinstance(record_id, str) or not record_id:
                raise ExecutionOrderRefused(f"{where}.{id_field}", "is required")
            if record_id in seen:
                raise ExecutionOrderRefused(f"{where}.{id_field}", f"{record_id!r} is listed twice")
            seen.add(record_id)
            for key in entry:
                if key == "auto_execute" and kind == "coupon":
                    raise ExecutionOrderRefused(
                        f"{where}.auto_execute",
                        "coupons have no auto-execute; only promotions do (R12)",
                    )
                if key != id_field and key not in settings:
                    raise ExecutionOrderRefused(
                        f"{where}.{key}", "is not an execution-order setting"
                    )
            if "sequence" in entry:
                sequence = entry["sequence"]
                if isinstance(sequence, bool) or not isinstance(sequence, int) or sequence < 0:
                    raise ExecutionOrderRefused(f"{where}.sequence", "must be a whole number ≥ 0")
            if "auto_execute" in entry and not isinstance(entry["auto_execute"], bool):
                raise ExecutionOrderRefused(f"{where}.auto_execute", "must be true or false")
            record = find_record(session, kind, record_id, fresh=True)
            if record is None or record.deleted:
                raise ExecutionOrderRefused(f"{where}.{id_field}", f"unknown {kind} {record_id!r}")
            data = {**record.data, **{k: entry[k] for k in settings if k in entry}}
            try:
                checked = checked_record_data(
                    KINDS[kind], record_id, data, lambda k, i: record_is_live(session, k, i)
                )
            except RecordDataError as bad:
                raise ExecutionOrderRefused(f"{where}.{bad.field}", bad.problem) from None
            planned.append((kind, record_id, checked, record.store_id))
    return planned


def apply_execution_order(
    session: Session, body: dict[str, Any], *, now: datetime, actor: str
) -> list[dict[str, Any]]:
    """Check every entry of ``body`` (:class:`ExecutionOrderRefused` names a bad one), then write
    the changes in the caller's transaction; returns the records that changed."""
    changed: list[dict[str, Any]] = []
    for kind, record_id, data, store_id in _checked_changes(session, body):
        before = find_record(session, kind, record_id)
        last_seq = before.last_seq if before is not None else None
        state, _created = put_record(
            session,
            kind,
            record_id,
            data,
            store_id=store_id,
            now=now,
            actor=f"admin:{actor}",
        )
        if state.seq != last_seq:
            changed.append({"kind": kind, "id": record_id, "seq": state.seq})
    return changed
