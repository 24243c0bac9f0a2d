"""A till's upload over HTTP (S3-S6, S15): ``POST /api/v1/events``.

An upload uses one connection and one transaction: the token is checked and the whole
batch received in it (:class:`backoffice.sync.intake.upload.UploadIntake`); the
entitlements it spent are marked redeemed in the change log right after the commit,
never under the upload's own transaction.
"""

from __future__ import annotations

from fastapi import APIRouter

from backoffice.clock import iso_time
from backoffice.http.bearer import BearerDep, device_in
from backoffice.http.error_bodies import AUTH_RESPONSES, DEVICE_ONLY, ErrorBody
from backoffice.http.services import ServicesDep, SessionDep
from backoffice.sync.api.bodies import EventResultBody, UploadResponse
from backoffice.sync.intake.upload import UploadIntake
from pos_app.protocol.payloads import UploadRequest

router = APIRouter(prefix="/api/v1", tags=["sync"])

UPLOAD_PATH = "/api/v1/events"


@router.post(
    "/events",
    responses={
        **AUTH_RESPONSES,
        **DEVICE_ONLY,
        400: {"model": ErrorBody, "description": "malformed envelope or unknown envelope version"},
        413: {"model": ErrorBody, "description": "body larger than 5 MiB"},
    },
)
def upload_events(
    upload: UploadRequest, credentials: BearerDep, services: ServicesDep, session: SessionDep
) -> UploadResponse:
    """Receive events in order; one result per event (accepted/duplicate/conflict/rejected).
    An event that fails a check or that the database refuses is rejected alone (S15)."""
    now = services.clock()
    intake = UploadIntake(services.database, services.clock)
    with services.metrics.intake_seconds.time():
        with session.begin():
            device = device_in(session, credentials, services)
            outcome = intake.receive(session, device, upload.events, now)
        intake.publish(outcome, device, now)
    services.metrics.count_outcomes(result.outcome for result in outcome.results)
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
            for result in outcome.results
        ],
    )
