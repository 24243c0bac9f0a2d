"""The back office's HTTP application: :func:`create_app` builds it for one database."""

from __future__ import annotations

from collections.abc import AsyncIterator
from contextlib import asynccontextmanager

from fastapi import FastAPI, Request
from fastapi.encoders import jsonable_encoder
from fastapi.exception_handlers import request_validation_exception_handler
from fastapi.exceptions import RequestValidationError
from fastapi.responses import JSONResponse, Response

from backoffice.api import admin, devices, directory, execution_order, packs, sync
from backoffice.api.dependencies import Services
from backoffice.body_limit import MAX_BODY_BYTES, BodySizeLimit
from backoffice.clock import Clock, utc_now
from backoffice.database import Database, default_database_url
from backoffice.packs.scheduler import DEFAULT_INTERVAL_S, PackScheduler
from backoffice.web import site

DESCRIPTION = """\
The reference back office of the offline-first till: device enrollment and
tokens (S12), download by cursor with tombstones (S7), idempotent upload with
per-event outcomes (S3-S6), and an admin API for group administrators.
The admin pages for people are under `/admin` (sign in with `pos-backoffice admin-user add`).
The contract is `docs/sync-protocol.md`.
"""


async def _envelope_or_field_error(request: Request, exc: Exception) -> Response:
    """The upload's envelope is all or nothing: a bad one is a 400, not a 422."""
    assert isinstance(exc, RequestValidationError)
    if request.url.path != sync.UPLOAD_PATH:
        return await request_validation_exception_handler(request, exc)
    errors = [
        {key: value for key, value in error.items() if key not in ("input", "ctx", "url")}
        for error in exc.errors()
    ]
    return JSONResponse(status_code=400, content={"detail": jsonable_encoder(errors)})


def create_app(
    database_url: str | None = None,
    *,
    clock: Clock = utc_now,
    max_body_bytes: int = MAX_BODY_BYTES,
    pack_scheduler_interval: float | None = DEFAULT_INTERVAL_S,
) -> FastAPI:
    """The API over ``database_url`` (default: the SQLite file in the user data directory).

    The database must already be migrated (`pos-backoffice db upgrade`; `serve`
    does it). The engine is disposed of when the app shuts down. While the app
    runs, the pack scheduler issues due pack cycles and refunds every
    ``pack_scheduler_interval`` seconds (``None``: not in this process).
    """
    database = Database(database_url or default_database_url())

    @asynccontextmanager
    async def lifespan(_app: FastAPI) -> AsyncIterator[None]:
        scheduler = (
            PackScheduler(database, clock, pack_scheduler_interval)
            if pack_scheduler_interval
            else None
        )
        if scheduler is not None:
            scheduler.start()
        try:
            yield
        finally:
            if scheduler is not None:
                scheduler.stop()
            database.dispose()

    app = FastAPI(
        title="pos-backoffice",
        version="1",
        description=DESCRIPTION,
        lifespan=lifespan,
    )
    app.state.services = Services(database=database, clock=clock)
    app.add_middleware(BodySizeLimit, max_bytes=max_body_bytes)
    app.add_exception_handler(RequestValidationError, _envelope_or_field_error)
    app.include_router(devices.router)
    app.include_router(sync.router)
    # Before admin's /{collection}/{record_id}, which would otherwise take /packs/{id}.
    app.include_router(packs.admin_router)
    app.include_router(packs.mall_router)
    app.include_router(execution_order.router)
    app.include_router(directory.router)  # before admin's /{collection}/{record_id} as well
    app.include_router(admin.router)
    site.install(app)  # the admin pages under /admin, the share page, uploaded images
    return app
