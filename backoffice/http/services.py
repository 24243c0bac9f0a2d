"""What every route is given: the app's services (database, clock, token policy, retention)
and a database session for the request."""

from __future__ import annotations

from collections.abc import Iterator
from dataclasses import dataclass, field
from datetime import timedelta
from typing import Annotated

from fastapi import Depends, Request
from sqlalchemy.orm import Session

from backoffice.clock import Clock
from backoffice.database import Database
from backoffice.settings import DEFAULT_RETENTION
from backoffice.trust.device_tokens import TokenPolicy


@dataclass(frozen=True)
class Services:
    """The app's database and clock, built by :func:`backoffice.app.create_app`."""

    database: Database
    clock: Clock
    token_policy: TokenPolicy = field(default_factory=TokenPolicy)
    retention: timedelta = DEFAULT_RETENTION

    @property
    def retention_seconds(self) -> int:
        return int(self.retention.total_seconds())


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
