"""What every admin page module shares: the picker data, an error page, a service's refusal."""

from __future__ import annotations

from typing import Any

from fastapi import Request
from fastapi.responses import HTMLResponse
from sqlalchemy.orm import Session

from backoffice.admin.pages.templating import render
from backoffice.chain.organisations import list_organisations, organisation_view
from backoffice.chain.record_listing import live_records, names_of


def error_page(
    request: Request,
    heading: str,
    message: str,
    *,
    status_code: int,
    back_url: str | None = "/admin/packs",
    back_label: str = "Back to coupon packs",
) -> HTMLResponse:
    """A page that says what went wrong and what to do, never a stack trace."""
    return render(
        request,
        "error.html",
        {"heading": heading, "message": message, "back_url": back_url, "back_label": back_label},
        status_code=status_code,
    )


def pickers(session: Session) -> dict[str, Any]:
    """What the pack form and filters pick from: coupons, stores (and each one's currency),
    organisations by name."""
    stores = live_records(session, "store").rows
    return {
        "coupon_names": names_of(session, "coupon"),
        "stores": stores,
        "store_currency": {row["id"]: str(row.get("currency") or "") for row in stores},
        "store_names": names_of(session, "store"),
        "organisations": [organisation_view(o) for o in list_organisations(session)],
        "member_names": names_of(session, "member"),
    }
