"""The staff page: cashiers and managers who may sign in at the tills, and a form to add
one or change a PIN (:mod:`backoffice.chain.staff`, as ``/api/v1/admin/staff`` does)."""

from __future__ import annotations

import re

from fastapi import APIRouter, Request
from fastapi.responses import HTMLResponse, Response

from backoffice.admin.pages.auth import AdminFormDep, GroupAdminDep
from backoffice.admin.pages.labels import readable
from backoffice.admin.pages.templating import redirect, render
from backoffice.chain.record_listing import live_records
from backoffice.chain.staff import StaffError, hashed_pin, list_staff, save_staff
from backoffice.http.services import ServicesDep

router = APIRouter(prefix="/admin", include_in_schema=False)


def _staff_id(name: str) -> str:
    """A new person's id from their name (``Ana Lima`` → ``staff-ana-lima``)."""
    slug = re.sub(r"[^a-z0-9]+", "-", name.strip().lower()).strip("-")
    return f"staff-{slug or 'person'}"[:100]


def _page(
    request: Request,
    services: ServicesDep,
    values: dict[str, str],
    errors: dict[str, str] | None = None,
) -> HTMLResponse:
    with services.database.sessions.begin() as session:
        people = list_staff(session)
        stores = {row["id"]: row["name"] for row in live_records(session, "store").rows}
    return render(
        request,
        "staff.html",
        {"people": people, "stores": stores, "values": values, "errors": errors or {}},
        status_code=422 if errors else 200,
    )


@router.get("/staff", response_class=HTMLResponse)
def staff_page(request: Request, _user: GroupAdminDep, services: ServicesDep) -> HTMLResponse:
    """Everyone who may sign in at the tills, and the form to add someone."""
    return _page(request, services, {"name": "", "role": "cashier", "store_id": ""})


@router.post("/staff", response_class=HTMLResponse)
def save(
    request: Request, user: GroupAdminDep, form: AdminFormDep, services: ServicesDep
) -> Response:
    """``PUT /api/v1/admin/staff/{id}`` from the page: a new person, or a new PIN."""
    values = {
        "name": str(form.get("name") or "").strip(),
        "role": str(form.get("role") or ""),
        "store_id": str(form.get("store_id") or ""),
        "staff_id": str(form.get("staff_id") or ""),
    }
    if not values["name"]:
        return _page(request, services, values, {"name": "Type the person's name"})
    try:
        pin_hash = hashed_pin(str(form.get("pin") or ""))
        with services.database.sessions.begin() as session:
            person, created = save_staff(
                session,
                values["staff_id"] or _staff_id(values["name"]),
                name=values["name"],
                role=values["role"],
                pin_hash=pin_hash,
                store_id=values["store_id"] or None,
                now=services.clock(),
                actor=f"admin:{user.email}",
            )
    except StaffError as bad:
        return _page(request, services, values, {bad.field: readable(bad.problem)})
    said = "added" if created else "saved"
    return redirect(
        "/admin/staff",
        f"{person.name} ({person.role}) {said}; the tills get it on their next sync.",
    )
