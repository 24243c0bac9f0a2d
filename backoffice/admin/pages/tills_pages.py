"""The "Tills" page: the fleet as operators see it (issue 18), as `pos-backoffice tills`
lists it: every till with its store, software version, last sync, and the outbox depth
and parked events it reported at its last ping; a till silent longer than the server's
setting (``--silent-after-minutes``) is flagged."""

from __future__ import annotations

from fastapi import APIRouter, Request
from fastapi.responses import HTMLResponse

from backoffice.admin.pages.auth import SignedInDep
from backoffice.admin.pages.templating import render
from backoffice.http.services import ServicesDep
from backoffice.reports.tills import describe_span, list_tills

router = APIRouter(prefix="/admin", include_in_schema=False)


@router.get("/tills", response_class=HTMLResponse)
def tills(request: Request, _user: SignedInDep, services: ServicesDep) -> HTMLResponse:
    """Silent tills first, then the rest, by store and till number."""
    with services.database.sessions.begin() as session:
        found = list_tills(session, services.clock(), services.silent_after)
    found.sort(key=lambda till: not till["silent"])
    return render(
        request,
        "tills.html",
        {
            "tills": found,
            "silent": sum(1 for till in found if till["silent"]),
            "silent_after": describe_span(services.silent_after),
        },
    )
