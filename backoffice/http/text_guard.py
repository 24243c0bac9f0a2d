"""Refuse text no database can store (S15): a NUL character or a lone surrogate anywhere
in the JSON body of an admin or mall request is a 422 naming the field, answered before
any route runs (PostgreSQL cannot store or even compare such text). Sync uploads are
not looked at here: the intake judges each event on its own (and parks a bad one).
"""

from __future__ import annotations

import json

from starlette.responses import JSONResponse
from starlette.types import ASGIApp, Message, Receive, Scope, Send

from backoffice.http.refusals import field_path
from pos_app.protocol.bounds import json_problem

GUARDED_PREFIXES = ("/api/v1/admin", "/api/v1/mall")


def _suspect(body: bytes) -> bool:
    """Whether a body may hold a NUL or a lone surrogate: a raw NUL, or any \\u escape."""
    return b"\x00" in body or b"\\u" in body or b"\\U" in body


class JsonTextGuard:
    """Plain ASGI middleware: reads an admin or mall JSON body (already bounded in size
    by :class:`~backoffice.http.body_limit.BodySizeLimit`) and refuses one holding text
    that cannot be stored; else hands the body on unchanged."""

    def __init__(self, app: ASGIApp) -> None:
        self.app = app

    async def __call__(self, scope: Scope, receive: Receive, send: Send) -> None:
        if (
            scope["type"] != "http"
            or scope.get("method") not in ("POST", "PUT", "PATCH")
            or not str(scope.get("path", "")).startswith(GUARDED_PREFIXES)
            or b"json" not in dict(scope.get("headers", [])).get(b"content-type", b"")
        ):
            await self.app(scope, receive, send)
            return
        messages: list[Message] = []
        body = b""
        while True:
            message = await receive()
            messages.append(message)
            if message["type"] != "http.request":
                break
            body += message.get("body", b"")
            if not message.get("more_body", False):
                break
        problem = _problem(body) if _suspect(body) else None
        if problem is not None:
            path, text = problem
            field = path or "body"
            detail = [
                {
                    "loc": ["body", *field_path(path)],
                    "field": field,
                    "msg": f"{field}: {text}",
                    "type": "value_error",
                }
            ]
            await JSONResponse({"detail": detail}, 422)(scope, receive, send)
            return
        replay = iter(messages)

        async def replayed() -> Message:
            return next(replay, None) or await receive()

        await self.app(scope, replayed, send)


def _problem(body: bytes) -> tuple[str, str] | None:
    try:
        value = json.loads(body)
    except (ValueError, RecursionError):
        return None  # not JSON: the route says so
    return json_problem(value)
