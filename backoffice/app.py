"""The back office's HTTP application: :func:`create_app` builds it for one database."""

from __future__ import annotations

import logging
import os
from collections.abc import AsyncIterator
from contextlib import asynccontextmanager
from datetime import timedelta
from typing import Any

import anyio.to_thread
from fastapi import FastAPI, Request
from fastapi.encoders import jsonable_encoder
from fastapi.exception_handlers import (
    http_exception_handler,
    request_validation_exception_handler,
)
from fastapi.exceptions import RequestValidationError
from fastapi.openapi.utils import get_openapi
from fastapi.responses import JSONResponse, Response
from starlette.exceptions import HTTPException as StarletteHTTPException

from backoffice.admin.api import (
    conflicts,
    directory,
    execution_order,
    images,
    lockouts,
    organisations,
    packs,
    records,
    staff,
)
from backoffice.admin.pages import error_pages, site
from backoffice.clock import Clock, utc_now
from backoffice.database import Database, default_database_url
from backoffice.http import health
from backoffice.http.bearer import Unauthorized
from backoffice.http.body_limit import MAX_BODY_BYTES, BodySizeLimit
from backoffice.http.metrics import RequestMetrics
from backoffice.http.openapi_document import complete_responses
from backoffice.http.request_guard import RequestGuard
from backoffice.http.services import Services
from backoffice.http.text_guard import JsonTextGuard
from backoffice.mall import api as mall_api
from backoffice.settings import (
    DEFAULT_INTERVAL_S,
    DEFAULT_PUBLIC_URL,
    DEFAULT_RETENTION,
    DEFAULT_SILENT_AFTER,
    SERVER_THREADS,
    ServerSettings,
    checked_public_url,
)
from backoffice.sync.api import enrollment, feed, pack_supplies, till_numbers, upload
from backoffice.sync.chores import ServerChores
from backoffice.trust.device_tokens import TokenPolicy, TokenProblem
from pos_app.protocol.bounds import MAX_JSON_DEPTH, deep_path

DESCRIPTION = """\
The reference back office of the offline-first till: device enrollment and
tokens (S12), download by cursor with tombstones (S7), idempotent upload with
per-event outcomes (S3-S6), and an admin API for group administrators.
The admin pages for people are under `/admin` (sign in with `pos-backoffice admin-user add`).
The contract is `docs/sync-protocol.md`.
"""


async def _envelope_or_field_error(request: Request, exc: Exception) -> Response:
    """The upload's envelope is all or nothing: a bad one is a 400, not a 422. A path
    value out of range (an id past what the database numbers) names nothing: 404 (S15)."""
    assert isinstance(exc, RequestValidationError)
    if error_pages.is_page(request.url.path):
        return error_pages.validation_page(request, exc.errors())
    if exc.errors() and all(error.get("loc", ("",))[0] == "path" for error in exc.errors()):
        return JSONResponse(
            status_code=404, content={"detail": f"no such path: {request.url.path}"}
        )
    if request.url.path != upload.UPLOAD_PATH:
        return await request_validation_exception_handler(request, exc)
    errors = [
        {key: value for key, value in error.items() if key not in ("input", "ctx", "url")}
        for error in exc.errors()
    ]
    return JSONResponse(status_code=400, content={"detail": jsonable_encoder(errors)})


async def _body_too_deep(request: Request, exc: Exception) -> Response:
    """A JSON body nested too deep for the parser (which ended in a RecursionError, and
    FastAPI's "error parsing the body") says so, naming where: a 422 like any field
    error, or the upload's 400 for a malformed envelope. At a person's path (/admin, /mall,
    /media), an error page in words; every other HTTP error as ever."""
    assert isinstance(exc, StarletteHTTPException)
    if error_pages.is_page(request.url.path) and exc.status_code != 401:
        return error_pages.http_error_page(request, exc.status_code)
    if not isinstance(exc.__cause__, RecursionError):
        return await http_exception_handler(request, exc)
    path = deep_path((await request.body()).decode("utf-8", "replace"), MAX_JSON_DEPTH)
    problem = f"is nested deeper than {MAX_JSON_DEPTH} levels"
    if request.url.path == upload.UPLOAD_PATH:
        return JSONResponse(status_code=400, content={"detail": f"body.{path}: {problem}"})
    loc = ["body", *(part for part in path.replace("[", ".[").split(".") if part)]
    error = {"loc": loc, "field": path or "body", "msg": problem, "type": "value_error"}
    return JSONResponse(status_code=422, content={"detail": [error]})


async def _unauthorized(_request: Request, exc: Exception) -> Response:
    """A 401 that says why: missing, unknown, revoked or expired (S17)."""
    assert isinstance(exc, Unauthorized)
    challenge = (
        "Bearer" if exc.reason is TokenProblem.MISSING_TOKEN else 'Bearer error="invalid_token"'
    )
    return JSONResponse(
        status_code=401,
        content={"detail": exc.detail, "reason": exc.reason.value},
        headers={"WWW-Authenticate": challenge},
    )


async def _expired_cursor(_request: Request, exc: Exception) -> Response:
    """A 410: the till's cursor is older than the retention window; start a snapshot (S16)."""
    assert isinstance(exc, feed.ExpiredCursor)
    return JSONResponse(
        status_code=410,
        content={
            "detail": exc.detail,
            "reason": "CURSOR_EXPIRED",
            "retention_seconds": exc.retention_seconds,
        },
    )


def create_app(
    database_url: str | None = None,
    *,
    clock: Clock = utc_now,
    max_body_bytes: int = MAX_BODY_BYTES,
    pack_scheduler_interval: float | None = DEFAULT_INTERVAL_S,
    token_policy: TokenPolicy | None = None,
    retention: timedelta = DEFAULT_RETENTION,
    server_threads: int = SERVER_THREADS,
    public_url: str = DEFAULT_PUBLIC_URL,
    silent_after: timedelta = DEFAULT_SILENT_AFTER,
) -> FastAPI:
    """The API over ``database_url`` (default: the SQLite file in the user data directory).

    The database must already be migrated (`pos-backoffice db upgrade`; `serve`
    does it). The engine is disposed of when the app shuts down. Requests run on
    ``server_threads`` threads, each with a connection of the pool (one per request).
    While the app runs, the process that leads (one among all the servers on the
    database, S17) issues due pack cycles and refunds, publishes redemptions and
    compacts the change log past ``retention`` every ``pack_scheduler_interval``
    seconds (``None``: not in this process).
    """
    database = Database(database_url or default_database_url(), pool_size=server_threads + 2)

    @asynccontextmanager
    async def lifespan(_app: FastAPI) -> AsyncIterator[None]:
        anyio.to_thread.current_default_thread_limiter().total_tokens = server_threads
        chores = (
            ServerChores(database, clock, pack_scheduler_interval, retention=retention)
            if pack_scheduler_interval
            else None
        )
        if chores is not None:
            chores.start()
        try:
            yield
        finally:
            if chores is not None:
                chores.stop()
            database.dispose()

    app = FastAPI(
        title="pos-backoffice",
        version="1",
        description=DESCRIPTION,
        lifespan=lifespan,
    )
    app.state.services = Services(
        database=database,
        clock=clock,
        token_policy=token_policy or TokenPolicy(),
        retention=retention,
        public_url=checked_public_url(public_url),
        silent_after=silent_after,
    )
    app.add_middleware(JsonTextGuard)  # inside the size limit: reads a bounded body
    app.add_middleware(BodySizeLimit, max_bytes=max_body_bytes)
    app.add_middleware(RequestGuard)
    app.add_middleware(RequestMetrics, metrics=app.state.services.metrics)  # outermost
    app.add_exception_handler(RequestValidationError, _envelope_or_field_error)
    app.add_exception_handler(StarletteHTTPException, _body_too_deep)
    app.add_exception_handler(Unauthorized, _unauthorized)
    app.add_exception_handler(feed.ExpiredCursor, _expired_cursor)
    app.include_router(health.router)
    app.include_router(enrollment.router)
    app.include_router(feed.router)
    app.include_router(upload.router)
    app.include_router(pack_supplies.router)
    app.include_router(till_numbers.router)
    # Before admin's /{collection}/{record_id}, which would otherwise take /packs/{id}.
    app.include_router(packs.router)
    app.include_router(mall_api.router)
    app.include_router(execution_order.router)
    # Before /{collection}/{record_id}, which would otherwise take /organisations/{id}.
    app.include_router(directory.router)
    app.include_router(organisations.router)
    app.include_router(images.router)
    app.include_router(conflicts.router)
    app.include_router(staff.router)
    app.include_router(lockouts.router)
    app.include_router(records.router)
    site.install(app)  # the admin pages under /admin, the share page, uploaded images

    def openapi() -> dict[str, Any]:
        if app.openapi_schema is None:
            app.openapi_schema = complete_responses(
                get_openapi(
                    title=app.title,
                    version=app.version,
                    description=app.description,
                    routes=app.routes,
                )
            )
        return app.openapi_schema

    app.openapi = openapi  # type: ignore[method-assign]
    return app


def app_from_environment() -> FastAPI:
    """The app as `pos-backoffice serve` runs it in each worker process: its settings
    come from the environment (:class:`backoffice.settings.ServerSettings`)."""
    settings = ServerSettings.from_environment(os.environ)
    if not logging.getLogger().handlers:  # the server's own notes (leadership, chores)
        logging.basicConfig(level=logging.INFO, format="%(levelname)s:     %(name)s: %(message)s")
    return create_app(
        settings.database_url,
        retention=settings.retention,
        server_threads=settings.threads,
        token_policy=settings.token_policy,
        pack_scheduler_interval=settings.chores_interval,
        public_url=settings.public_url,
        silent_after=settings.silent_after,
    )
