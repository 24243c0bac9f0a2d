"""What every route is given: the app's services (database, clock, token policy, retention),
a database session for the request, and a transaction whose refusals become answers."""

from __future__ import annotations

from collections.abc import Callable, Iterator
from contextlib import contextmanager
from dataclasses import dataclass, field
from datetime import timedelta
from typing import Annotated, TypeVar

from fastapi import Depends, Request
from sqlalchemy.orm import Session

from backoffice.clock import Clock
from backoffice.database import Database
from backoffice.http.metrics import Metrics
from backoffice.settings import DEFAULT_PUBLIC_URL, DEFAULT_RETENTION, DEFAULT_SILENT_AFTER
from backoffice.trust.device_tokens import TokenPolicy


@dataclass(frozen=True)
class Services:
    """The app's database and clock, built by :func:`backoffice.app.create_app`, and
    its settings (token policy, retention, when a till counts as silent)."""

    database: Database
    clock: Clock
    token_policy: TokenPolicy = field(default_factory=TokenPolicy)
    retention: timedelta = DEFAULT_RETENTION
    public_url: str = DEFAULT_PUBLIC_URL  # what every URL handed out starts with
    silent_after: timedelta = DEFAULT_SILENT_AFTER
    metrics: Metrics = field(default_factory=Metrics)

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


Refusal = TypeVar("Refusal", bound=Exception)


@contextmanager
def refusing_transaction(
    services: Services, refused: type[Refusal], answer: Callable[[Refusal], Exception]
) -> Iterator[Session]:
    """One transaction; a ``refused`` error inside rolls it back (nothing changes) and
    becomes ``answer(error)``: a refusal naming the field, or the page that says why."""
    try:
        with services.database.sessions.begin() as session:
            yield session
    except refused as error:
        raise answer(error) from None
