"""Refuse what no route can look up (S15): a NUL in a request's path or query.

No id, code or search holds a NUL, and PostgreSQL cannot even compare text holding
one, so such a request is answered before any route runs: 404 for a path (nothing is
there), 400 for a query. (Invalid UTF-8 in either is decoded to U+FFFD, a character
like any other, so it needs nothing here.)
"""

from __future__ import annotations

from starlette.responses import JSONResponse
from starlette.types import ASGIApp, Receive, Scope, Send


class RequestGuard:
    """Plain ASGI middleware: a NUL in the path is a 404, in the query string a 400."""

    def __init__(self, app: ASGIApp) -> None:
        self.app = app

    async def __call__(self, scope: Scope, receive: Receive, send: Send) -> None:
        if scope["type"] == "http":
            query = bytes(scope.get("query_string", b"")).lower()
            if "\x00" in scope.get("path", ""):
                await JSONResponse({"detail": "no such path"}, 404)(scope, receive, send)
                return
            if b"%00" in query or b"\x00" in query:
                detail = "query: must not contain a NUL character"
                await JSONResponse({"detail": detail}, 400)(scope, receive, send)
                return
        await self.app(scope, receive, send)
