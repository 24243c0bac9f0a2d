"""The store's staff over the admin API (group_admin tokens only): cashiers and managers
who may sign in at the tills, each a ``staff`` record in the change log (the tills get
it on their next pull). A PIN comes in and is hashed here (:mod:`pos_app.protocol.pins`);
only the hash is stored and synced, and no answer ever shows either."""

from __future__ import annotations

import logging
from typing import Annotated, Literal

from fastapi import APIRouter, HTTPException, Query, Response, status
from pydantic import BaseModel, ConfigDict, Field

from backoffice.chain.change_log import (
    RecordNotFound,
    delete_record,
    find_record,
    put_record,
    record_is_live,
)
from backoffice.chain.record_listing import live_records
from backoffice.http.bearer import AdminDep
from backoffice.http.refusals import field_refusal
from backoffice.http.services import ServicesDep, SessionDep
from pos_app.protocol.pins import PinError, check_pin, hash_pin
from pos_app.protocol.records import RecordDataError, RecordKind, checked_data

log = logging.getLogger(__name__)
router = APIRouter(prefix="/api/v1/admin/staff", tags=["admin"])
KIND = RecordKind.STAFF.value


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


@router.get("")
def list_staff(_admin: AdminDep, session: SessionDep) -> StaffList:
    """Everyone who may sign in, by name."""
    with session.begin():
        page = live_records(session, KIND)
    return StaffList(
        staff=[
            StaffPerson(id=r["id"], name=r["name"], role=r["role"], store_id=r["store_id"])
            for r in page.rows
        ],
        total=page.total,
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
    pin_hash: str | None = None
    if body.pin is not None:
        try:
            pin_hash = hash_pin(check_pin(body.pin))  # slow: before the transaction
        except PinError as bad:
            raise field_refusal(422, ["body", "pin"], "pin", str(bad)) from None
    with session.begin():
        if store_id is not None and not record_is_live(session, "store", store_id):
            raise field_refusal(
                422, ["query", "store_id"], "store_id", f"unknown store {store_id!r}"
            )
        existing = find_record(session, KIND, staff_id)
        if pin_hash is None:
            if existing is None or existing.deleted:
                raise field_refusal(422, ["body", "pin"], "pin", "a new person needs a PIN")
            pin_hash = str(existing.data["pin_hash"])
        data = {"id": staff_id, "name": body.name.strip(), "role": body.role, "pin_hash": pin_hash}
        try:
            checked = checked_data(RecordKind.STAFF, staff_id, data)
        except RecordDataError as bad:
            raise field_refusal(422, ["body", bad.field], bad.field, bad.problem) from None
        state, created = put_record(
            session,
            KIND,
            staff_id,
            checked,
            store_id=store_id,
            now=services.clock(),
            actor=f"admin:{admin.name}",
        )
    if created:
        response.status_code = status.HTTP_201_CREATED
    log.info("admin %s put staff %s (seq %s)", admin.name, staff_id, state.seq)
    return StaffPerson(id=staff_id, name=checked["name"], role=checked["role"], store_id=store_id)


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
