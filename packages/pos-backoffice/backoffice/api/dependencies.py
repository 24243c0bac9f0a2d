"""What the routes share: the app's services, a session, and who the bearer token is (S12)."""

from __future__ import annotations

from collections.abc import Iterator
from dataclasses import dataclass
from typing import Annotated

from fastapi import Depends, HTTPException, Request, status
from fastapi.security import HTTPAuthorizationCredentials, HTTPBearer
from sqlalchemy.orm import Session

from backoffice.clock import Clock
from backoffice.credentials import (
    GROUP_ADMIN,
    AdminIdentity,
    DeviceIdentity,
    find_admin,
    find_device,
)
from backoffice.database import Database


@dataclass(frozen=True)
class Services:
    """The app's database and clock, built by :func:`backoffice.app.create_app`."""

    database: Database
    clock: Clock


def get_services(request: Request) -> Services:
    services = request.app.state.services
    assert isinstance(services, Services)
    return services


ServicesDep = Annotated[Services, Depends(get_services)]


def get_session(services: ServicesDep) -> Iterator[Session]:
    """A session for one request; routes open their own transaction with ``session.begin()``."""
    with services.database.sessions() as session:
        yield session


SessionDep = Annotated[Session, Depends(get_session)]

_bearer = HTTPBearer(
    auto_error=False,
    description="A device token (from /api/v1/devices/enroll) or an admin token.",
)
BearerDep = Annotated[HTTPAuthorizationCredentials | None, Depends(_bearer)]


def _unauthorized(detail: str) -> HTTPException:
    return HTTPException(
        status_code=status.HTTP_401_UNAUTHORIZED,
        detail=detail,
        headers={"WWW-Authenticate": "Bearer"},
    )


def _identify(
    credentials: HTTPAuthorizationCredentials | None, session: Session
) -> DeviceIdentity | AdminIdentity:
    if credentials is None or not credentials.credentials:
        raise _unauthorized("missing bearer token")
    with session.begin():
        identity: DeviceIdentity | AdminIdentity | None = find_device(
            session, credentials.credentials
        ) or find_admin(session, credentials.credentials)
    if identity is None:
        raise _unauthorized("unknown or revoked token")
    return identity


def require_device(credentials: BearerDep, session: SessionDep) -> DeviceIdentity:
    """The enrolled device the token belongs to; 401 if none, 403 for an admin token."""
    identity = _identify(credentials, session)
    if not isinstance(identity, DeviceIdentity):
        raise HTTPException(status.HTTP_403_FORBIDDEN, "this route needs a device token")
    return identity


def require_admin(credentials: BearerDep, session: SessionDep) -> AdminIdentity:
    """The group administrator the token belongs to; 401 if none, 403 for a device token."""
    identity = _identify(credentials, session)
    if not isinstance(identity, AdminIdentity) or identity.role != GROUP_ADMIN:
        raise HTTPException(status.HTTP_403_FORBIDDEN, "this route needs a group_admin token")
    return identity


DeviceDep = Annotated[DeviceIdentity, Depends(require_device)]
AdminDep = Annotated[AdminIdentity, Depends(require_admin)]
