"""Synced records over the admin API (group_admin tokens only): read, create or replace,
delete (S7).

Every change lands in the change log the tills page through; a DELETE leaves a
tombstone. A PUT body is the record's ``data`` as the protocol gives it; a bad
one is a 422 naming the field.
"""

from __future__ import annotations

import logging
from typing import Annotated, Any

from fastapi import APIRouter, Body, HTTPException, Query, Response, status

from backoffice.admin.api.record_bodies import RecordBody
from backoffice.chain.archive import remove_record
from backoffice.chain.change_log import (
    RecordNotFound,
    RecordState,
    find_record,
    put_record,
    record_is_live,
)
from backoffice.chain.record_kinds import KIND_BY_COLLECTION, Collection, checked_record_data
from backoffice.chain.record_uses import uses_of
from backoffice.clock import iso_time
from backoffice.http.bearer import AdminDep
from backoffice.http.refusals import field_refusal
from backoffice.http.services import ServicesDep, SessionDep
from pos_app.protocol.records import RecordDataError, check_record_id
from pos_app.protocol.records import RecordKind as ProtocolKind

log = logging.getLogger(__name__)
router = APIRouter(prefix="/api/v1/admin", tags=["admin"])


def _body(state: RecordState, used_by: list[str] | None = None) -> RecordBody:
    return RecordBody(
        kind=state.kind,
        id=state.id,
        store_id=state.store_id,
        version=state.version,
        revision=state.revision,
        deleted=state.deleted,
        data=state.data,
        seq=state.seq,
        archived_at=None if state.archived_at is None else iso_time(state.archived_at),
        used_by=used_by or [],
    )


def _may_exist(kind: str, record_id: str) -> bool:
    """Whether ``record_id`` is within its kind's bound (S15): one that is not was never
    stored (and may not even be comparable, on PostgreSQL)."""
    try:
        check_record_id(ProtocolKind(kind), record_id)
    except RecordDataError:
        return False
    return True


def _unprocessable(location: str, field: str, problem: str) -> HTTPException:
    loc = [location, *(part for part in field.split(".") if part)]
    return field_refusal(422, loc, field or location, problem)


@router.get("/{collection}/{record_id}")
def get_record(
    collection: Collection, record_id: str, _admin: AdminDep, session: SessionDep
) -> RecordBody:
    """A record as stored, deleted, archived or live, with what uses it."""
    kind = KIND_BY_COLLECTION[collection]
    if not _may_exist(kind.name, record_id):
        raise HTTPException(status.HTTP_404_NOT_FOUND, f"no {kind.name} {record_id!r}")
    with session.begin():
        record = find_record(session, kind.name, record_id)
        if record is None:
            raise HTTPException(status.HTTP_404_NOT_FOUND, f"no {kind.name} {record_id!r}")
        return _body(RecordState.of(record), uses_of(session, kind.name, record_id))


@router.put(
    "/{collection}/{record_id}",
    responses={201: {"description": "created"}, 422: {"description": "bad data; names the field"}},
)
def put(
    collection: Collection,
    record_id: str,
    data: Annotated[dict[str, Any], Body(description="the record's data, as in the protocol")],
    admin: AdminDep,
    services: ServicesDep,
    session: SessionDep,
    response: Response,
    store_id: Annotated[
        str | None, Query(description="the store it belongs to; omit for chain-wide")
    ] = None,
) -> RecordBody:
    """Create or replace a record; tills get it on their next pull (S7)."""
    kind = KIND_BY_COLLECTION[collection]
    if kind.name == "store":
        if store_id not in (None, record_id):
            raise _unprocessable("query", "store_id", "a store belongs to itself")
        store_id = record_id
    with session.begin():
        scoped_elsewhere = kind.name != "store" and store_id is not None
        if scoped_elsewhere and not record_is_live(session, "store", str(store_id)):
            raise _unprocessable("query", "store_id", f"unknown store {store_id!r}")
        try:
            checked = checked_record_data(
                kind, record_id, data, lambda k, i: record_is_live(session, k, i)
            )
        except RecordDataError as bad:
            raise _unprocessable("body", bad.field, bad.problem) from None
        state, created = put_record(
            session,
            kind.name,
            record_id,
            checked,
            store_id=store_id,
            now=services.clock(),
            actor=f"admin:{admin.name}",
        )
    if created:
        response.status_code = status.HTTP_201_CREATED
    log.info("admin %s put %s %s (seq %s)", admin.name, kind.name, record_id, state.seq)
    return _body(state)


@router.delete("/{collection}/{record_id}", responses={404: {"description": "no such record"}})
def delete(
    collection: Collection,
    record_id: str,
    admin: AdminDep,
    services: ServicesDep,
    session: SessionDep,
) -> RecordBody:
    """Delete a record (tills get a tombstone and remove it, S7), or archive it when a live
    pack, an entitlement, a sale or a till uses it: then it stays on the tills, the
    answer has ``archived_at`` and says in ``used_by`` what uses it."""
    kind = KIND_BY_COLLECTION[collection]
    if not _may_exist(kind.name, record_id):
        raise HTTPException(status.HTTP_404_NOT_FOUND, f"no {kind.name} {record_id!r}")
    try:
        with session.begin():
            removal = remove_record(
                session, kind.name, record_id, now=services.clock(), actor=f"admin:{admin.name}"
            )
    except RecordNotFound as missing:
        raise HTTPException(status.HTTP_404_NOT_FOUND, str(missing)) from None
    done = "archived" if removal.archived else "deleted"
    log.info("admin %s %s %s %s", admin.name, done, kind.name, record_id)
    return _body(removal.state, removal.uses)
