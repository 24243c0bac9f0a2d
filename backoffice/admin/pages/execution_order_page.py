"""The execution-order page: promotions and coupons in their sequence, reordered by drag or
by up/down buttons, with the auto-execute switch of each promotion (R4, R12).

Saving sends the whole order through the same check and write as
``PUT /api/v1/admin/execution-order``; the tills get it on their next sync.
"""

from __future__ import annotations

from typing import Any

from fastapi import APIRouter, Request
from fastapi.responses import HTMLResponse, Response

from backoffice.admin.pages.auth import AdminFormDep, GroupAdminDep
from backoffice.admin.pages.labels import readable
from backoffice.admin.pages.templating import redirect, render
from backoffice.chain.execution_order import (
    ExecutionOrderRefused,
    apply_execution_order,
    execution_order_listing,
)
from backoffice.http.services import ServicesDep

router = APIRouter(prefix="/admin/execution-order", include_in_schema=False)


def _page(request: Request, services: ServicesDep, error: str | None = None) -> HTMLResponse:
    with services.database.sessions.begin() as session:
        listing = execution_order_listing(session)
    return render(
        request,
        "execution_order.html",
        {"listing": listing, "error": error},
        status_code=422 if error else 200,
    )


@router.get("", response_class=HTMLResponse)
def execution_order(request: Request, _user: GroupAdminDep, services: ServicesDep) -> HTMLResponse:
    """``GET /api/v1/admin/execution-order`` as a page."""
    return _page(request, services)


def order_body(
    promotion_ids: list[str], auto_ids: set[str], coupon_codes: list[str]
) -> dict[str, Any]:
    """The execution-order change the page's form describes: sequences 1, 2, ... in the
    order shown, and auto-execute on for the promotions ticked."""
    return {
        "promotions": [
            {"id": pid, "sequence": n, "auto_execute": pid in auto_ids}
            for n, pid in enumerate(promotion_ids, start=1)
        ],
        "coupons": [{"code": code, "sequence": n} for n, code in enumerate(coupon_codes, start=1)],
    }


@router.post("", response_class=HTMLResponse)
def save(
    request: Request, user: GroupAdminDep, form: AdminFormDep, services: ServicesDep
) -> Response:
    """``PUT /api/v1/admin/execution-order`` from the page: all or nothing."""
    body = order_body(
        [str(v) for v in form.getlist("promotion")],
        {str(v) for v in form.getlist("auto_execute")},
        [str(v) for v in form.getlist("coupon")],
    )
    try:
        with services.database.sessions.begin() as session:
            changed = apply_execution_order(session, body, now=services.clock(), actor=user.email)
    except ExecutionOrderRefused as refused:
        return _page(
            request,
            services,
            f"Nothing was saved: {readable(str(refused))}. Reload the page and try again.",
        )
    return redirect(
        "/admin/execution-order",
        f"Execution order saved ({len(changed)} change(s)). Tills get it on their next sync.",
    )
