"""The "Anomalies" page: sales held out of revenue because they did not add up or named
what the chain does not know (issue 18), and the button that accepts one (who and when
are kept, as ``pos-backoffice anomalies accept`` does)."""

from __future__ import annotations

from fastapi import APIRouter, Request
from fastapi.responses import HTMLResponse, Response

from backoffice.admin.pages.auth import AdminFormDep, GroupAdminDep, actor
from backoffice.admin.pages.pages import error_page
from backoffice.admin.pages.templating import redirect, render
from backoffice.http.services import ServicesDep
from backoffice.reports.anomalies import AnomalyError, accept_anomaly, list_anomalies

router = APIRouter(prefix="/admin", include_in_schema=False)


@router.get("/anomalies", response_class=HTMLResponse)
def anomalies(request: Request, _user: GroupAdminDep, services: ServicesDep) -> HTMLResponse:
    """Held sales first, then those accepted, each with its reasons in words."""
    with services.database.sessions.begin() as session:
        found = list_anomalies(session)
    held = [anomaly for anomaly in found if anomaly["state"] == "held"]
    accepted = [anomaly for anomaly in found if anomaly["state"] != "held"]
    return render(request, "anomalies.html", {"held": held, "accepted": accepted})


@router.post("/anomalies/{anomaly_id}/accept")
def accept(
    request: Request,
    anomaly_id: int,
    user: GroupAdminDep,
    _form: AdminFormDep,
    services: ServicesDep,
) -> Response:
    """Accept a held sale: from now on it counts as revenue."""
    try:
        with services.database.sessions.begin() as session:
            number = accept_anomaly(session, anomaly_id, actor(user), services.clock())
    except AnomalyError as bad:
        if bad.missing:
            return error_page(
                request,
                "No such anomaly",
                "Pick one from the list.",
                status_code=404,
                back_url="/admin/anomalies",
                back_label="Back to anomalies",
            )
        return redirect("/admin/anomalies", f"Nothing changed: {bad.message}.")
    return redirect("/admin/anomalies", f"Sale {number} accepted: it now counts as revenue.")
