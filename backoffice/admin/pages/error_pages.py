"""Error pages for people: a refused or failed request under ``/admin``, ``/mall`` or
``/media`` is answered with a page in words (400, 403, 404, 405, 409, 500), never the
JSON the API gives; the API (``/api/...``) keeps its JSON.

:func:`is_page` says whether a path is read by a person; :func:`validation_page` and
:func:`http_error_page` are what the app's handlers answer for such a path.
"""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from typing import Any

from fastapi import Request
from fastapi.responses import HTMLResponse

from backoffice.admin.images import IMAGE_PATH
from backoffice.admin.pages.pages import error_page
from pos_app.protocol.plain_errors import sentence

PAGE_PREFIXES = ("/admin/", "/mall/", IMAGE_PATH)
# What a value in a page's address is, for a person.
_QUERY_NAMES = {"page": "The page number", "sort": "The sort order", "scale": "The QR code size"}
_HEADINGS = {
    400: "That address is not right",
    403: "Not allowed",
    404: "Page not found",
    405: "Not possible here",
    409: "Not possible",
    413: "Too large",
    500: "Something went wrong",
}
_MESSAGES = {
    400: "The address has a value this page cannot use. Go back and try again.",
    403: "You may not do this. Sign in with an account that may, or ask a group administrator.",
    404: "There is nothing at this address: it may have been removed, or the link is"
    " mistyped. Check the link, or start again from the list.",
    405: "This address cannot be used like that. Go back and use the page's own buttons.",
    409: "This cannot be done in the state things are in now. Reload the page and look again.",
    413: "What was sent is too large. Send something smaller.",
    500: "Nothing was changed. Try again in a moment; if it happens again, tell the support"
    " team what you were doing.",
}


def is_page(path: str) -> bool:
    """Is ``path`` one a person reads in a browser (admin pages, the share page, images)?"""
    return path == "/admin" or path.startswith(PAGE_PREFIXES)


def _back(path: str) -> tuple[str | None, str]:
    if path.startswith("/admin/promotions"):
        return "/admin/promotions", "Back to promotions"
    if path.startswith("/admin/coupons"):
        return "/admin/coupons", "Back to coupons"
    if path.startswith("/admin/stores") or path.startswith("/admin/organisations"):
        return "/admin/stores", "Back to stores"
    if path.startswith("/admin"):
        return "/admin/packs", "Back to coupon packs"
    return None, ""  # the share page and images: a buyer has no admin list to go back to


def http_error_page(request: Request, status_code: int, message: str | None = None) -> HTMLResponse:
    """The page for an HTTP error ``status_code`` at a person's path; ``message`` (already
    in words) replaces the general one."""
    shown = status_code if status_code in _HEADINGS else (400 if status_code < 500 else 500)
    back_url, back_label = _back(request.url.path)
    return error_page(
        request,
        _HEADINGS[shown],
        message or _MESSAGES[shown],
        status_code=status_code,
        back_url=back_url,
        back_label=back_label,
    )


def _problem(error: Mapping[str, Any]) -> str:
    loc: Sequence[Any] = error.get("loc") or ()
    name = str(loc[-1]) if loc else ""
    what = _QUERY_NAMES.get(name, f"The value of “{name.replace('_', ' ')}” in the address")
    return f"{what} {sentence(error)}."


def validation_page(request: Request, errors: Sequence[Mapping[str, Any]]) -> HTMLResponse:
    """A request whose path or query values were refused: a path value names nothing (404);
    a query value is wrong (400, saying which and why)."""
    if errors and all((error.get("loc") or ("",))[0] == "path" for error in errors):
        return http_error_page(request, 404)
    wrong = [_problem(error) for error in errors if (error.get("loc") or ("",))[0] == "query"]
    return http_error_page(request, 400, " ".join(wrong) or None)
