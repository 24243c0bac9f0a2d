"""The lockouts page: who is locked out of admin sign-in or till enrollment after too many
failed attempts, until when, and a button to lift each lockout."""

from __future__ import annotations

from fastapi import APIRouter, Request
from fastapi.responses import HTMLResponse, Response

from backoffice.admin.pages.auth import AdminFormDep, GroupAdminDep, actor
from backoffice.admin.pages.templating import redirect, render
from backoffice.http.path_values import RowId
from backoffice.http.services import ServicesDep
from backoffice.trust.rate_limits import lift, lockouts

router = APIRouter(prefix="/admin/lockouts", include_in_schema=False)


@router.get("", response_class=HTMLResponse)
def lockouts_page(request: Request, _user: GroupAdminDep, services: ServicesDep) -> HTMLResponse:
    with services.database.sessions.begin() as session:
        found = lockouts(session, services.clock())
    return render(request, "lockouts.html", {"lockouts": found})


@router.post("/{lockout_id}/lift")
def lift_lockout(
    lockout_id: RowId, user: GroupAdminDep, _form: AdminFormDep, services: ServicesDep
) -> Response:
    with services.database.sessions.begin() as session:
        lifted = lift(session, lockout_id)
    if lifted is None:
        return redirect("/admin/lockouts", "That lockout had already ended.")
    return redirect(
        "/admin/lockouts", f"Lifted by {actor(user).removeprefix('admin:')}: {lifted.description}."
    )
