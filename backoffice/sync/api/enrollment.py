"""Device enrollment (S12): a one-time code buys a store-scoped device token."""

from __future__ import annotations

import logging

from fastapi import APIRouter, HTTPException, status

from backoffice.http.services import ServicesDep
from backoffice.sync.api.bodies import EnrollRequest, EnrollResponse
from backoffice.trust.enrollment import EnrollmentRefused, enroll_device

log = logging.getLogger(__name__)
router = APIRouter(prefix="/api/v1/devices", tags=["devices"])


@router.post(
    "/enroll",
    status_code=status.HTTP_201_CREATED,
    responses={400: {"description": "wrong, used or expired code"}},
)
def enroll(request: EnrollRequest, services: ServicesDep) -> EnrollResponse:
    """Enroll a till with a code from `pos-backoffice device-code`; the token is shown once."""
    try:
        with services.database.sessions.begin() as session:
            device = enroll_device(session, request.code, request.device_name, services.clock())
    except EnrollmentRefused as refused:
        raise HTTPException(status.HTTP_400_BAD_REQUEST, str(refused)) from None
    log.info("device %s enrolled into store %s", device.device_id, device.store_id)
    return EnrollResponse(
        device_id=device.device_id,
        store_id=device.store_id,
        token=device.token,
        till_number=device.till_number,
    )
