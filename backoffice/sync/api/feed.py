"""What a till reads (S7, S10, S16, S17): ``GET /api/v1/ping`` (the back office is
reachable, its clock, a rotated token when due) and ``GET /api/v1/changes`` (a snapshot,
then the change log, page by page)."""

from __future__ import annotations

from typing import Annotated

from fastapi import APIRouter, HTTPException, Query, status

from backoffice.clock import iso_time
from backoffice.http.bearer import DeviceDep
from backoffice.http.error_bodies import AUTH_RESPONSES, DEVICE_ONLY, ErrorBody
from backoffice.http.services import ServicesDep, SessionDep
from backoffice.sync.api.bodies import (
    ChangedRecord,
    ChangesResponse,
    ExpiredCursorBody,
    PingResponse,
    RotatedTokenBody,
)
from backoffice.sync.change_feed import (
    MAX_PAGE_SIZE,
    BadCursor,
    CursorExpired,
    parse_cursor,
    read_page,
)
from backoffice.sync.till_reports import BadReport, parse_report, record_report
from backoffice.trust.chain_keys import chain_phone_key
from backoffice.trust.device_tokens import rotate_if_due
from pos_app.protocol.bounds import COUNT

router = APIRouter(prefix="/api/v1", tags=["sync"])


class ExpiredCursor(Exception):
    """A 410 for the app's handler: the cursor is older than the retention window (S16)."""

    def __init__(self, detail: str, retention_seconds: int) -> None:
        super().__init__(detail)
        self.detail = detail
        self.retention_seconds = retention_seconds


@router.get(
    "/ping",
    responses={
        **AUTH_RESPONSES,
        **DEVICE_ONLY,
        422: {"model": ErrorBody, "description": "a report incomplete or out of bounds"},
    },
)
def ping(
    device: DeviceDep,
    services: ServicesDep,
    session: SessionDep,
    software_version: Annotated[
        str | None, Query(max_length=64, description="the till's software version")
    ] = None,
    outbox_depth: Annotated[
        int | None, Query(ge=0, le=COUNT.high, description="events waiting in its outbox")
    ] = None,
    parked_events: Annotated[
        int | None, Query(ge=0, le=COUNT.high, description="events parked as failed")
    ] = None,
) -> PingResponse:
    """Whether the back office is reachable, its clock, the token's store and the change
    log's retention; a new device token when the current one is due for rotation (S17).
    A till may report its version, outbox depth and parked events (all three or none):
    the fleet page shows them."""
    now = services.clock()
    try:
        report = parse_report(software_version, outbox_depth, parked_events)
    except BadReport as bad:
        raise HTTPException(status.HTTP_422_UNPROCESSABLE_CONTENT, str(bad)) from None
    with session.begin():
        rotated = rotate_if_due(session, device, now, services.token_policy)
        if report is not None:
            record_report(session, device.device_id, report, now)
    return PingResponse(
        ok=True,
        server_time=iso_time(now),
        store_id=device.store_id,
        retention_seconds=services.retention_seconds,
        token=None
        if rotated is None
        else RotatedTokenBody(token=rotated.token, expires_at=iso_time(rotated.expires_at)),
        phone_key=chain_phone_key(services.database.sessions),
    )


@router.get(
    "/changes",
    responses={
        **AUTH_RESPONSES,
        400: {"model": ErrorBody, "description": "a cursor this server never issued"},
        403: {"model": ErrorBody, "description": "not a device token, or another store"},
        410: {
            "model": ExpiredCursorBody,
            "description": "the cursor is older than the retention window: start again with"
            " no cursor (a snapshot)",
        },
    },
)
def changes(
    device: DeviceDep,
    session: SessionDep,
    services: ServicesDep,
    cursor: Annotated[
        str | None, Query(max_length=64, description="from the last page; empty = a snapshot")
    ] = None,
    limit: Annotated[int, Query(ge=1, le=MAX_PAGE_SIZE)] = 500,
    store_id: Annotated[
        str | None, Query(max_length=64, description="optional; must be the token's own store")
    ] = None,
) -> ChangesResponse:
    """The next page for the device's store: a snapshot of live records when there is no
    cursor, then the changes after it, in order (S7, S16)."""
    if store_id is not None and store_id != device.store_id:
        raise HTTPException(status.HTTP_403_FORBIDDEN, "this token acts for another store")
    try:
        after = parse_cursor(cursor)
    except BadCursor as bad:
        raise HTTPException(status.HTTP_400_BAD_REQUEST, str(bad)) from None
    try:
        with session.begin():
            page = read_page(session, device.store_id, after, limit)
    except CursorExpired as expired:
        raise ExpiredCursor(str(expired), services.retention_seconds) from None
    return ChangesResponse(
        records=[ChangedRecord.model_validate(record) for record in page.records],
        cursor=page.cursor,
        has_more=page.has_more,
        snapshot=page.snapshot,
        snapshot_complete=page.snapshot_complete,
        retention_seconds=services.retention_seconds,
    )
