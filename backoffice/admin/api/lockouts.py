"""Lockouts over the admin API (group_admin only): the accounts, enrollment codes and
client addresses locked out after too many failed attempts, and lifting one."""

from __future__ import annotations

from fastapi import APIRouter, HTTPException, Response, status
from pydantic import BaseModel, ConfigDict

from backoffice.clock import iso_time
from backoffice.http.bearer import AdminDep
from backoffice.http.path_values import RowId
from backoffice.http.services import ServicesDep
from backoffice.trust.rate_limits import Lockout, lift, lockouts

router = APIRouter(prefix="/api/v1/admin", tags=["admin"])


class LockoutBody(BaseModel):
    """One lockout in force: which door, who (an account, a code, an address), until when."""

    model_config = ConfigDict(extra="forbid")

    id: int
    door: str
    subject: str
    key: str
    description: str
    failures: int
    locked_until: str


def lockout_body(lockout: Lockout) -> LockoutBody:
    return LockoutBody(
        id=lockout.id,
        door=lockout.door,
        subject=lockout.subject,
        key=lockout.key,
        description=lockout.description,
        failures=lockout.failures,
        locked_until=iso_time(lockout.locked_until),
    )


@router.get("/lockouts")
def list_lockouts(_admin: AdminDep, services: ServicesDep) -> list[LockoutBody]:
    """Every lockout in force (admin sign-in, till enrollment), the latest to end first."""
    with services.database.sessions.begin() as session:
        return [lockout_body(found) for found in lockouts(session, services.clock())]


@router.delete(
    "/lockouts/{lockout_id}",
    status_code=status.HTTP_204_NO_CONTENT,
    responses={404: {"description": "no such lockout"}},
)
def lift_lockout(lockout_id: RowId, _admin: AdminDep, services: ServicesDep) -> Response:
    """Lift a lockout: its account, code or address may try again at once."""
    with services.database.sessions.begin() as session:
        lifted = lift(session, lockout_id)
    if lifted is None:
        raise HTTPException(status.HTTP_404_NOT_FOUND, f"no lockout {lockout_id}")
    return Response(status_code=status.HTTP_204_NO_CONTENT)
