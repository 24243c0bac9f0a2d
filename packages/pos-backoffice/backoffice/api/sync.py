"""The till's side of sync: probe (S10), download by cursor (S7), upload events (S3-S6)."""

from __future__ import annotations

from typing import Annotated

from fastapi import APIRouter, HTTPException, Query, status

from backoffice.api.dependencies import DeviceDep, ServicesDep, SessionDep
from backoffice.api.schemas import (
    ChangedRecord,
    ChangesResponse,
    EventResultBody,
    PingResponse,
    UploadResponse,
)
from backoffice.change_log import MAX_PAGE_SIZE, BadCursor, parse_cursor, read_changes
from backoffice.clock import iso_time
from backoffice.event_intake import EventIntake
from pos_app.protocol.payloads import UploadRequest

router = APIRouter(prefix="/api/v1", tags=["sync"])

UPLOAD_PATH = "/api/v1/events"


@router.get("/ping")
def ping(device: DeviceDep, services: ServicesDep) -> PingResponse:
    """Whether the back office is reachable, its clock, and the token's store."""
    return PingResponse(ok=True, server_time=iso_time(services.clock()), store_id=device.store_id)


@router.get("/changes", responses={400: {"description": "a cursor this server never issued"}})
def changes(
    device: DeviceDep,
    session: SessionDep,
    cursor: Annotated[str | None, Query(description="from the last page; empty = start")] = None,
    limit: Annotated[int, Query(ge=1, le=MAX_PAGE_SIZE)] = 500,
    store_id: Annotated[
        str | None, Query(description="optional; must be the token's own store")
    ] = None,
) -> ChangesResponse:
    """The records changed after `cursor` for the device's store and chain-wide, in order."""
    if store_id is not None and store_id != device.store_id:
        raise HTTPException(status.HTTP_403_FORBIDDEN, "this token acts for another store")
    try:
        after = parse_cursor(cursor)
    except BadCursor as bad:
        raise HTTPException(status.HTTP_400_BAD_REQUEST, str(bad)) from None
    with session.begin():
        page = read_changes(session, device.store_id, after, limit)
    return ChangesResponse(
        records=[ChangedRecord.model_validate(record) for record in page.records],
        cursor=page.cursor,
        has_more=page.has_more,
    )


@router.post(
    "/events",
    responses={
        400: {"description": "malformed envelope or unknown envelope version"},
        413: {"description": "body larger than 5 MiB"},
    },
)
def upload_events(
    upload: UploadRequest, device: DeviceDep, services: ServicesDep
) -> UploadResponse:
    """Receive events in order; one result per event (accepted/duplicate/conflict/rejected)."""
    intake = EventIntake(services.database.sessions, services.clock)
    results = intake.receive_all(device, upload.events)
    return UploadResponse(
        server_time=iso_time(services.clock()),
        results=[
            EventResultBody(
                idempotency_key=result.idempotency_key,
                outcome=result.outcome,
                reason=result.reason,
                detail=result.detail,
                first_outcome=result.first_outcome,
                conflict_key=result.conflict_key,
            )
            for result in results
        ],
    )
