"""Organisations over the admin API (group_admin only): named groups of stores that a
pack's store picker selects in bulk (K4), listed, created, changed and removed.

A refused change is a 422 (404 for an unknown organisation) whose detail names the field.
"""

from __future__ import annotations

from contextlib import AbstractContextManager
from typing import Annotated, Any

from fastapi import APIRouter, Body, HTTPException, status
from sqlalchemy.orm import Session

from backoffice.admin.api.directory import Limit, Offset, Search
from backoffice.admin.api.directory_bodies import OrganisationsPage, OrganisationView
from backoffice.chain.organisations import (
    OrganisationError,
    OrganisationInput,
    create_organisation,
    delete_organisation,
    get_organisation,
    list_organisations,
    organisation_view,
    update_organisation,
)
from backoffice.http.bearer import AdminDep
from backoffice.http.path_values import RowId
from backoffice.http.refusals import field_refusal
from backoffice.http.services import Services, ServicesDep, refusing_transaction
from backoffice.models.organisations import Organisation

router = APIRouter(prefix="/api/v1/admin", tags=["admin directory"])


def _view(organisation: Organisation) -> OrganisationView:
    return OrganisationView.model_validate(organisation_view(organisation))


def _field_error(status_code: int, field: str, problem: str) -> HTTPException:
    return field_refusal(status_code, ["body", field], field, f"{field}: {problem}")


@router.get("/organisations")
def organisations(
    _admin: AdminDep,
    services: ServicesDep,
    search: Search = None,
    store_id: str | None = None,
    limit: Limit = 100,
    offset: Offset = 0,
) -> OrganisationsPage:
    """Organisations (named groups of stores) by name; `store_id` keeps those holding it."""
    with services.database.sessions.begin() as session:
        found = list_organisations(session, name=search, store_id=store_id)
        rows = [_view(org) for org in found[offset : offset + limit]]
    return OrganisationsPage(organisations=rows, total=len(found))


def _organisations(services: Services) -> AbstractContextManager[Session]:
    """One transaction; a refused organisation change is a 4xx naming the field."""
    return refusing_transaction(
        services,
        OrganisationError,
        lambda bad: _field_error(bad.status_code, bad.field, bad.problem),
    )


def _organisation_input(body: dict[str, Any]) -> OrganisationInput:
    unknown = sorted(set(body) - {"name", "store_ids"})
    if unknown:
        raise _field_error(422, unknown[0], "is not an organisation setting: name, store_ids")
    return OrganisationInput(name=body.get("name"), store_ids=body.get("store_ids"))


OrganisationBody = Annotated[
    dict[str, Any], Body(examples=[{"name": "Paris stores", "store_ids": ["DEMO-1"]}])
]


@router.post("/organisations", status_code=status.HTTP_201_CREATED)
def create(body: OrganisationBody, _admin: AdminDep, services: ServicesDep) -> OrganisationView:
    """A new organisation: a unique name and at least one known store."""
    given = _organisation_input(body)
    with _organisations(services) as session:
        return _view(create_organisation(session, given, services.clock()))


@router.get("/organisations/{organisation_id}")
def organisation(
    organisation_id: RowId, _admin: AdminDep, services: ServicesDep
) -> OrganisationView:
    """One organisation, by its id."""
    with _organisations(services) as session:
        return _view(get_organisation(session, organisation_id))


@router.put("/organisations/{organisation_id}")
def update(
    organisation_id: RowId, body: OrganisationBody, _admin: AdminDep, services: ServicesDep
) -> OrganisationView:
    """Rename an organisation or change its stores."""
    given = _organisation_input(body)
    with _organisations(services) as session:
        return _view(update_organisation(session, organisation_id, given, services.clock()))


@router.delete("/organisations/{organisation_id}", status_code=status.HTTP_204_NO_CONTENT)
def delete(organisation_id: RowId, _admin: AdminDep, services: ServicesDep) -> None:
    """Remove an organisation; its stores and packs are unchanged."""
    with _organisations(services) as session:
        delete_organisation(session, organisation_id)
