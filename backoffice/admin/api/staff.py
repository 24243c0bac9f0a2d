"""The store's staff over the admin API (group_admin tokens only): cashiers and managers
who may sign in at the tills (:mod:`backoffice.chain.staff`: a PIN in, only its hash
stored and synced as a ``staff`` record; no answer ever shows either)."""

from __future__ import annotations

import logging
from typing import Annotated, Literal

from fastapi import APIRouter, HTTPException, Query, Response, status
from pydantic import BaseModel, ConfigDict, Field

from backoffice.chain.change_log import RecordNotFound, delete_record, find_record
from backoffice.chain.staff import KIND, StaffError, hashed_pin, list_staff, save_staff
from backoffice.http.bearer import AdminDep
from backoffice.http.refusals import field_refusal
from backoffice.http.services import ServicesDep, SessionDep

log = logging.getLogger(__name__)
router = APIRouter(prefix="/api/v1/admin/staff", tags=["admin"])


class StaffBody(BaseModel):
    """A person to add or change; ``pin`` may be left out to keep the current one."""

    model_config = ConfigDict(extra="forbid")

    name: str = Field(min_length=1, max_length=100)
    role: Literal["cashier", "manager"]
    pin: str | None = Field(default=None, description="4 to 8 digits; hashed, never stored")


class StaffPerson(BaseModel):
    """A person as the admin API shows them: no PIN, no hash."""

    id: str
    name: str
    role: str
    store_id: str | None


class StaffList(BaseModel):
    staff: list[StaffPerson]
    total: int


def _refusal(bad: StaffError) -> HTTPException:
    where = "query" if bad.field == "store_id" else "body"
    return field_refusal(422, [where, bad.field], bad.field, bad.problem)


@router.get("")
def get_staff(_admin: AdminDep, session: SessionDep) -> StaffList:
    """Everyone who may sign in, by name."""
    with session.begin():
        people = list_staff(session)
    return StaffList(
        staff=[StaffPerson(id=p.id, name=p.name, role=p.role, store_id=p.store_id) for p in people],
        total=len(people),
    )


@router.put("/{staff_id}", responses={201: {"description": "created"}})
def put_staff(
    staff_id: str,
    body: StaffBody,
    admin: AdminDep,
    services: ServicesDep,
    session: SessionDep,
    response: Response,
    store_id: Annotated[
        str | None, Query(description="the store whose tills they work; omit for every store")
    ] = None,
) -> StaffPerson:
    """Add a person or change their name, role or PIN; a new person needs a PIN."""
    try:
        pin_hash = hashed_pin(body.pin)  # slow: before the transaction
        with session.begin():
            person, created = save_staff(
                session,
                staff_id,
                name=body.name,
                role=body.role,
                pin_hash=pin_hash,
                store_id=store_id,
                now=services.clock(),
                actor=f"admin:{admin.name}",
            )
    except StaffError as bad:
        raise _refusal(bad) from None
    if created:
        response.status_code = status.HTTP_201_CREATED
    log.info("admin %s put staff %s", admin.name, staff_id)
    return StaffPerson(id=person.id, name=person.name, role=person.role, store_id=person.store_id)


@router.delete("/{staff_id}", responses={404: {"description": "no such person"}})
def delete_staff(
    staff_id: str, admin: AdminDep, services: ServicesDep, session: SessionDep
) -> StaffPerson:
    """Remove a person: the tills get a tombstone and no longer let them sign in."""
    try:
        with session.begin():
            record = find_record(session, KIND, staff_id)
            if record is None or record.deleted:
                raise RecordNotFound(f"no staff {staff_id!r}")
            person = StaffPerson(
                id=staff_id,
                name=record.data["name"],
                role=record.data["role"],
                store_id=record.store_id,
            )
            delete_record(
                session, KIND, staff_id, now=services.clock(), actor=f"admin:{admin.name}"
            )
    except RecordNotFound:
        raise HTTPException(status.HTTP_404_NOT_FOUND, "No such person") from None
    return person
