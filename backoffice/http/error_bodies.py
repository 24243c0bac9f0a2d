"""The bodies of refusals every route may answer (S15): a message or the fields at fault,
and a 401 that says why the token was refused."""

from __future__ import annotations

from typing import Any

from pydantic import BaseModel, Field


class FieldProblem(BaseModel):
    """One thing wrong with a request, naming where (``loc``, ``field``) and why."""

    loc: list[str | int] = Field(default_factory=list)
    field: str | None = None
    msg: str
    type: str | None = None


class ErrorBody(BaseModel):
    """A refused request: what is wrong, for people (a message, or a list of problems)."""

    detail: str | list[FieldProblem]


class UnauthorizedBody(BaseModel):
    """A 401: the token is missing, unknown, revoked or expired (``reason`` says which)."""

    detail: str
    reason: str = Field(
        description="MISSING_TOKEN, UNKNOWN_TOKEN, DEVICE_REVOKED or TOKEN_EXPIRED",
        examples=["DEVICE_REVOKED"],
    )


AUTH_RESPONSES: dict[int | str, dict[str, Any]] = {
    401: {"model": UnauthorizedBody, "description": "missing, unknown, revoked or expired token"}
}
DEVICE_ONLY: dict[int | str, dict[str, Any]] = {
    403: {"model": ErrorBody, "description": "not a device token"}
}
