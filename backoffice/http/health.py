"""For the people who run the servers (issue 18): ``GET /healthz`` and ``GET /metrics``.

``/healthz`` answers ``200 ok`` when the database answers and its schema is at this
server's newest migration; otherwise ``503`` with one plain line saying which, and what
to do. ``/metrics`` is :mod:`backoffice.http.metrics`' exposition. Neither needs a
token: they say nothing about the chain's data.
"""

from __future__ import annotations

from functools import cache

from alembic.runtime.migration import MigrationContext
from alembic.script import ScriptDirectory
from fastapi import APIRouter
from fastapi.responses import PlainTextResponse, Response
from sqlalchemy import text
from sqlalchemy.exc import SQLAlchemyError

from backoffice.http.metrics import METRICS_CONTENT_TYPE
from backoffice.http.services import ServicesDep
from backoffice.migrate import alembic_config

router = APIRouter(include_in_schema=False)


@cache
def newest_migrations() -> frozenset[str]:
    """The head revision(s) of the migrations this server ships."""
    script = ScriptDirectory.from_config(alembic_config("sqlite://"))
    return frozenset(script.get_heads())


@router.get("/healthz", response_class=PlainTextResponse)
def healthz(services: ServicesDep) -> PlainTextResponse:
    """``ok``, or a 503 naming what is wrong: the database, or its migrations."""
    try:
        with services.database.engine.connect() as connection:
            connection.execute(text("SELECT 1"))
            current = frozenset(MigrationContext.configure(connection).get_current_heads())
    except SQLAlchemyError as error:
        first = str(error.orig if hasattr(error, "orig") else error).strip().splitlines()
        reason = first[0] if first else type(error).__name__
        return PlainTextResponse(f"database unreachable: {reason}\n", status_code=503)
    wanted = newest_migrations()
    if current != wanted:
        at = ", ".join(sorted(current)) or "no migration"
        return PlainTextResponse(
            f"database schema is at {at}, this server needs {', '.join(sorted(wanted))}:"
            " run `pos-backoffice db upgrade`\n",
            status_code=503,
        )
    return PlainTextResponse("ok\n")


@router.get("/metrics")
def metrics(services: ServicesDep) -> Response:
    """Every metric in the Prometheus text format."""
    return Response(services.metrics.exposition(), media_type=METRICS_CONTENT_TYPE)
