"""The execution-order settings (group_admin only): sequence numbers and auto-execute.

Promotions and coupons each have their own sequence (lower runs first, ties by
id); promotions also have ``auto_execute`` (R12). Coupons have no auto-execute:
a cashier redeems them when presented. ``PUT`` changes any number of them in one
transaction: every entry is checked first, and a bad one changes nothing. Each
change is written with :func:`backoffice.change_log.put_record`, so the tills get
it on their next pull; an entry that changes nothing logs nothing.
"""

from __future__ import annotations

import logging
from datetime import datetime
from typing import Annotated, Any

from fastapi import APIRouter, Body, HTTPException
from sqlalchemy import select
from sqlalchemy.orm import Session

from backoffice.api.bodies import ExecutionOrderBody
from backoffice.api.dependencies import AdminDep, ServicesDep, SessionDep
from backoffice.change_log import find_record, put_record, record_is_live
from backoffice.models.records import Record
from backoffice.record_kinds import KINDS, checked_record_data
from pos_app.protocol.records import RecordDataError

log = logging.getLogger(__name__)
router = APIRouter(prefix="/api/v1/admin", tags=["execution order"])

# body section -> (record kind, id field, settings it may change)
SECTIONS = {
    "promotions": ("promotion", "id", ("sequence", "auto_execute")),
    "coupons": ("coupon", "code", ("sequence",)),
}


def _unprocessable(field: str, problem: str) -> HTTPException:
    parts: list[Any] = [
        int(part) if part.isdigit() else part
        for part in field.replace("]", "").replace("[", ".").split(".")
        if part
    ]
    return HTTPException(
        422,
        [
            {
                "loc": ["body", *parts],
                "field": field,
                "msg": f"{field}: {problem}",
                "type": "value_error",
            }
        ],
    )


def _listing(session: Session) -> dict[str, list[dict[str, Any]]]:
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


@router.get("/execution-order", response_model=None, responses={200: {"model": ExecutionOrderBody}})
def execution_order(_admin: AdminDep, session: SessionDep) -> dict[str, Any]:
    """Promotions and coupons in execution order, each with its sequence number
    (promotions also with `auto_execute`)."""
    with session.begin():
        return _listing(session)


def _checked_changes(
    session: Session, body: dict[str, Any]
) -> list[tuple[str, str, dict[str, Any], str | None]]:
    unknown = set(body) - set(SECTIONS)
    if unknown:
        raise _unprocessable(sorted(unknown)[0], "is not a section: promotions or coupons")
    planned: list[tuple[str, str, dict[str, Any], str | None]] = []
    for section, (kind, id_field, settings) in SECTIONS.items():
        entries = body.get(section, [])
        if not isinstance(entries, list):
            raise _unprocessable(section, "must be a list")
        seen: set[str] = set()
        for index, entry in enumerate(entries):
            where = f"{section}[{index}]"
            if not isinstance(entry, dict):
                raise _unprocessable(where, "must be an object")
            record_id = entry.get(id_field)
            if not isinstance(record_id, str) or not record_id:
                raise _unprocessable(f"{where}.{id_field}", "is required")
            if record_id in seen:
                raise _unprocessable(f"{where}.{id_field}", f"{record_id!r} is listed twice")
            seen.add(record_id)
            for key in entry:
                if key == "auto_execute" and kind == "coupon":
                    raise _unprocessable(
                        f"{where}.auto_execute",
                        "coupons have no auto-execute; only promotions do (R12)",
                    )
                if key != id_field and key not in settings:
                    raise _unprocessable(f"{where}.{key}", "is not an execution-order setting")
            if "sequence" in entry:
                sequence = entry["sequence"]
                if isinstance(sequence, bool) or not isinstance(sequence, int) or sequence < 0:
                    raise _unprocessable(f"{where}.sequence", "must be a whole number ≥ 0")
            if "auto_execute" in entry and not isinstance(entry["auto_execute"], bool):
                raise _unprocessable(f"{where}.auto_execute", "must be true or false")
            record = find_record(session, kind, record_id, fresh=True)
            if record is None or record.deleted:
                raise _unprocessable(f"{where}.{id_field}", f"unknown {kind} {record_id!r}")
            data = {**record.data, **{k: entry[k] for k in settings if k in entry}}
            try:
                checked = checked_record_data(
                    KINDS[kind], record_id, data, lambda k, i: record_is_live(session, k, i)
                )
            except RecordDataError as bad:
                raise _unprocessable(f"{where}.{bad.field}", bad.problem) from None
            planned.append((kind, record_id, checked, record.store_id))
    return planned


@router.put(
    "/execution-order",
    response_model=None,
    responses={
        200: {"model": ExecutionOrderBody},
        422: {"description": "a bad entry; names it, and nothing was changed"},
    },
)
def change_execution_order(
    body: Annotated[
        dict[str, Any],
        Body(
            examples=[
                {
                    "promotions": [
                        {"id": "DRINKS-BOGO", "sequence": 1, "auto_execute": False},
                        {"id": "COMBO-MEAL", "sequence": 2},
                    ],
                    "coupons": [{"code": "CV-5", "sequence": 1}],
                }
            ]
        ),
    ],
    admin: AdminDep,
    services: ServicesDep,
    session: SessionDep,
) -> dict[str, Any]:
    """Change sequence numbers and auto-execute flags together, all or nothing."""
    with session.begin():
        changed = apply_execution_order(session, body, now=services.clock(), actor=admin.name)
        listing = _listing(session)
    log.info("admin %s changed the execution order of %d record(s)", admin.name, len(changed))
    return {"changed": changed, **listing}


def execution_order_listing(session: Session) -> dict[str, list[dict[str, Any]]]:
    """Promotions and coupons in execution order (what ``GET /execution-order`` returns)."""
    return _listing(session)


def apply_execution_order(
    session: Session, body: dict[str, Any], *, now: datetime, actor: str
) -> list[dict[str, Any]]:
    """Check every entry of ``body`` (a 422 ``HTTPException`` names a bad one), then write
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
