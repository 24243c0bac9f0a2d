"""The store list and the organisations (named groups of stores) that a pack's store picker
selects in bulk (K4). Organisations are changed through :mod:`backoffice.chain.organisations`,
as ``/api/v1/admin/organisations`` does.
"""

from __future__ import annotations

from fastapi import APIRouter, Request
from fastapi.responses import HTMLResponse, Response
from starlette.datastructures import FormData

from backoffice.admin.pages.auth import AdminFormDep, GroupAdminDep
from backoffice.admin.pages.labels import readable
from backoffice.admin.pages.pages import error_page
from backoffice.admin.pages.templating import redirect, render
from backoffice.chain.organisations import (
    OrganisationError,
    OrganisationInput,
    create_organisation,
    delete_organisation,
    get_organisation,
    list_organisations,
    update_organisation,
)
from backoffice.chain.record_listing import live_records
from backoffice.http.services import ServicesDep

router = APIRouter(prefix="/admin", include_in_schema=False)


@router.get("/stores", response_class=HTMLResponse)
def stores(
    request: Request, _user: GroupAdminDep, services: ServicesDep, search: str = ""
) -> HTMLResponse:
    """The stores (``GET /api/v1/admin/stores``) and their organisations."""
    with services.database.sessions.begin() as session:
        rows = live_records(session, "store", search=search or None).rows
        organisations = list_organisations(session)
        by_store = {
            row["id"]: [org.name for org in organisations if row["id"] in org.store_ids]
            for row in rows
        }
        return render(
            request,
            "stores.html",
            {
                "stores": rows,
                "search": search,
                "by_store": by_store,
                "organisations": organisations,
            },
        )


def _organisation_page(
    request: Request,
    services: ServicesDep,
    values: dict[str, object],
    organisation_id: int | None,
    error: tuple[str, str] | None = None,
) -> HTMLResponse:
    with services.database.sessions.begin() as session:
        all_stores = live_records(session, "store").rows
    return render(
        request,
        "organisation_form.html",
        {
            "values": values,
            "organisation_id": organisation_id,
            "all_stores": all_stores,
            "errors": dict([error]) if error else {},
        },
        status_code=422 if error else 200,
    )


def _submitted(form: FormData) -> OrganisationInput:
    return OrganisationInput(
        name=str(form.get("name") or ""), store_ids=[str(v) for v in form.getlist("stores")]
    )


def _error(bad: OrganisationError) -> tuple[str, str]:
    return ("stores" if bad.field.startswith("store_ids") else bad.field, readable(bad.problem))


@router.get("/organisations/new", response_class=HTMLResponse)
def new_organisation(request: Request, _user: GroupAdminDep, services: ServicesDep) -> HTMLResponse:
    return _organisation_page(request, services, {"name": "", "store_ids": []}, None)


@router.post("/organisations/new", response_class=HTMLResponse)
def create(
    request: Request, _user: GroupAdminDep, form: AdminFormDep, services: ServicesDep
) -> Response:
    """``POST /api/v1/admin/organisations`` from the page."""
    given = _submitted(form)
    try:
        with services.database.sessions.begin() as session:
            name = create_organisation(session, given, services.clock()).name
    except OrganisationError as bad:
        values = {"name": given.name, "store_ids": given.store_ids}
        return _organisation_page(request, services, values, None, _error(bad))
    return redirect("/admin/stores", f"Organisation “{name}” created.")


@router.get("/organisations/{organisation_id}/edit", response_class=HTMLResponse)
def edit_form(
    request: Request, organisation_id: int, _user: GroupAdminDep, services: ServicesDep
) -> HTMLResponse:
    try:
        with services.database.sessions.begin() as session:
            found = get_organisation(session, organisation_id)
            values: dict[str, object] = {"name": found.name, "store_ids": list(found.store_ids)}
    except OrganisationError:
        return _missing(request)
    return _organisation_page(request, services, values, organisation_id)


@router.post("/organisations/{organisation_id}/edit", response_class=HTMLResponse)
def edit(
    request: Request,
    organisation_id: int,
    _user: GroupAdminDep,
    form: AdminFormDep,
    services: ServicesDep,
) -> Response:
    """``PUT /api/v1/admin/organisations/{id}`` from the page."""
    given = _submitted(form)
    try:
        with services.database.sessions.begin() as session:
            name = update_organisation(session, organisation_id, given, services.clock()).name
    except OrganisationError as bad:
        if bad.status_code == 404:
            return _missing(request)
        values = {"name": given.name, "store_ids": given.store_ids}
        return _organisation_page(request, services, values, organisation_id, _error(bad))
    return redirect("/admin/stores", f"Organisation “{name}” saved.")


@router.post("/organisations/{organisation_id}/delete")
def delete(
    request: Request,
    organisation_id: int,
    _user: GroupAdminDep,
    _form: AdminFormDep,
    services: ServicesDep,
) -> Response:
    """``DELETE /api/v1/admin/organisations/{id}`` from the page; its stores stay."""
    try:
        with services.database.sessions.begin() as session:
            name = get_organisation(session, organisation_id).name
            delete_organisation(session, organisation_id)
    except OrganisationError:
        return _missing(request)
    return redirect("/admin/stores", f"Organisation “{name}” deleted; its stores are unchanged.")


def _missing(request: Request) -> HTMLResponse:
    return error_page(
        request,
        "No such organisation",
        "It may have been deleted. Pick one from the list.",
        status_code=404,
        back_url="/admin/stores",
        back_label="Back to stores",
    )
