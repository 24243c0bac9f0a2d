"""Device enrollment (S12): a one-time code buys a store-scoped device token."""

from __future__ import annotations

import logging

from fastapi import APIRouter, HTTPException, Request, status

from backoffice.http.client_address import client_address
from backoffice.http.services import ServicesDep
from backoffice.sync.api.bodies import EnrollRequest, EnrollResponse
from backoffice.trust.enrollment import (
    EnrollmentRefused,
    enroll_device,
    normalize_enrollment_code,
)
from backoffice.trust.rate_limits import (
    ADDRESS,
    CODE,
    ENROLL,
    LockedOut,
    check_open,
    record_failure,
)

log = logging.getLogger(__name__)
router = APIRouter(prefix="/api/v1/devices", tags=["devices"])


@router.post(
    "/enroll",
    status_code=status.HTTP_201_CREATED,
    responses={
        400: {"description": "wrong, used or expired code"},
        429: {"description": "too many failed attempts with this code or from this address"},
    },
)
def enroll(body: EnrollRequest, request: Request, services: ServicesDep) -> EnrollResponse:
    """Enroll a till with a code from `pos-backoffice device-code`; the token is shown once.
    Failed attempts are counted per code and per client address: past the limit the
    answer is 429 with `Retry-After`, before the code is looked at."""
    sessions, now = services.database.sessions, services.clock()
    keys = {CODE: normalize_enrollment_code(body.code), ADDRESS: client_address(request)}
    try:
        check_open(sessions, ENROLL, keys, now)
    except LockedOut as locked:
        raise HTTPException(
            status.HTTP_429_TOO_MANY_REQUESTS,
            str(locked),
            headers={"Retry-After": str(locked.retry_after)},
        ) from None
    try:
        with sessions.begin() as session:
            device = enroll_device(session, body.code, body.device_name, now)
    except EnrollmentRefused as refused:
        record_failure(sessions, ENROLL, keys, now)
        raise HTTPException(status.HTTP_400_BAD_REQUEST, str(refused)) from None
    log.info("device %s enrolled into store %s", device.device_id, device.store_id)
    return EnrollResponse(
        device_id=device.device_id,
        store_id=device.store_id,
        token=device.token,
        till_number=device.till_number,
    )
