"""Who is knocking: the client's address as the server saw it (the connection's peer, or
what a trusted proxy said when uvicorn runs with ``--proxy-headers``), never a header a
client may write itself."""

from __future__ import annotations

from fastapi import Request


def client_address(request: Request) -> str:
    """The client's address, or "unknown" when the server was not told one."""
    return request.client.host if request.client is not None else "unknown"
