"""Who the bearer token is (S12, S17): a device, an admin, or a 401 saying why.

A route that needs a device answers an admin token 403, and the other way round, so a
caller is told it used the wrong kind of token rather than an unknown one.
"""

from __future__ import annotations

from typing import Annotated

from fastapi import Depends, HTTPException, status
from fastapi.security import HTTPAuthorizationCredentials, HTTPBearer
from sqlalchemy.orm import Session

from backoffice.http.services import Services, ServicesDep, SessionDep
from backoffice.trust.admin_tokens import GROUP_ADMIN, AdminIdentity, find_admin
from backoffice.trust.device_tokens import (
    DeviceIdentity,
    TokenProblem,
    TokenRefused,
    identify_device,
)

_bearer = HTTPBearer(
    auto_error=False,
    description="A device token (from /api/v1/devices/enroll) or an admin token.",
)


BearerDep = Annotated[HTTPAuthorizationCredentials | None, Depends(_bearer)]


class Unauthorized(Exception):
    """A 401 whose body says why (``reason``, a :class:`TokenProblem`), for the app's handler."""

    def __init__(self, reason: TokenProblem, detail: str) -> None:
        super().__init__(detail)
        self.reason = reason
        self.detail = detail


def identify_in(
    session: Session, credentials: HTTPAuthorizationCredentials | None, services: Services
) -> DeviceIdentity | AdminIdentity:
    """Who the bearer token is, inside ``session``'s open transaction; :class:`Unauthorized`
    if nobody (missing, unknown, revoked or expired)."""
    if credentials is None or not credentials.credentials:
        raise Unauthorized(TokenProblem.MISSING_TOKEN, "missing bearer token")
    try:
        device = identify_device(
            session, credentials.credentials, services.clock(), services.token_policy.grace
        )
    except TokenRefused as refused:
        raise Unauthorized(refused.reason, str(refused)) from None
    identity = device or find_admin(session, credentials.credentials)
    if identity is None:
        raise Unauthorized(TokenProblem.UNKNOWN_TOKEN, "unknown or revoked token")
    return identity


def device_in(
    session: Session, credentials: HTTPAuthorizationCredentials | None, services: Services
) -> DeviceIdentity:
    """The enrolled device the token belongs to; 401 if none, 403 for an admin token."""
    identity = identify_in(session, credentials, services)
    if not isinstance(identity, DeviceIdentity):
        raise HTTPException(status.HTTP_403_FORBIDDEN, "this route needs a device token")
    return identity


def _identify(
    credentials: HTTPAuthorizationCredentials | None, session: Session, services: Services
) -> DeviceIdentity | AdminIdentity:
    with session.begin():
        return identify_in(session, credentials, services)


def require_device(
    credentials: BearerDep, session: SessionDep, services: ServicesDep
) -> DeviceIdentity:
    """The enrolled device the token belongs to; 401 if none, 403 for an admin token."""
    with session.begin():
        return device_in(session, credentials, services)


def require_admin(
    credentials: BearerDep, session: SessionDep, services: ServicesDep
) -> AdminIdentity:
    """The group administrator the token belongs to; 401 if none, 403 for a device token."""
    identity = _identify(credentials, session, services)
    if not isinstance(identity, AdminIdentity) or identity.role != GROUP_ADMIN:
        raise HTTPException(status.HTTP_403_FORBIDDEN, "this route needs a group_admin token")
    return identity


DeviceDep = Annotated[DeviceIdentity, Depends(require_device)]


AdminDep = Annotated[AdminIdentity, Depends(require_admin)]
