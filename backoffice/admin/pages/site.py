"""Puts the admin pages on the app: routers, static files, and the answers to
"sign in first", "not a group administrator" and "the form's CSRF token is wrong"."""

from __future__ import annotations

from urllib.parse import quote

from fastapi import FastAPI, Request
from fastapi.responses import PlainTextResponse, RedirectResponse, Response
from fastapi.staticfiles import StaticFiles

from backoffice.admin.pages import (
    anomalies_pages,
    execution_order_page,
    form_tokens,
    lockouts_page,
    media,
    members_pages,
    pack_bulk_pages,
    pack_grants_pages,
    pack_link_pages,
    pack_refusals,
    packs_pages,
    records_bulk_pages,
    records_pages,
    refund_pages,
    share_page,
    sign_in,
    staff_pages,
    stores_pages,
    tills_pages,
)
from backoffice.admin.pages.auth import CsrfRefused, NotGroupAdmin, SignInRequired, TextRefused
from backoffice.admin.pages.error_pages import http_error_page, is_page
from backoffice.admin.pages.pages import error_page
from backoffice.admin.pages.templating import redirect


async def _to_sign_in(_request: Request, exc: Exception) -> Response:
    assert isinstance(exc, SignInRequired)
    return RedirectResponse(f"/admin/sign-in?next={quote(exc.next_url)}", status_code=303)


async def _not_group_admin(request: Request, exc: Exception) -> Response:
    assert isinstance(exc, NotGroupAdmin)
    request.state.admin_user = exc.signed_in
    return error_page(
        request,
        "Group administrators only",
        f"You are signed in as {exc.signed_in.email}, a {exc.signed_in.role.replace('_', ' ')}:"
        " coupon packs, promotions and coupons are managed by group administrators."
        " Ask one of them, or sign out and sign in with a group administrator's account.",
        status_code=403,
        back_url="/admin/sign-in",
        back_label="Sign in as someone else",
    )


async def _pack_refused(request: Request, exc: Exception) -> Response:
    assert isinstance(exc, pack_refusals.Refused)
    return pack_refusals.refused_page(request, exc)


async def _record_missing(request: Request, exc: Exception) -> Response:
    assert isinstance(exc, records_pages.RecordMissing)
    return records_pages.missing_page(request, exc.area)


async def _member_missing(request: Request, _exc: Exception) -> Response:
    return members_pages.missing_page(request)


async def _csrf_refused(request: Request, _exc: Exception) -> Response:
    return error_page(
        request,
        "The form had expired",
        "Nothing was changed. Go back, reload the page and submit the form again.",
        status_code=403,
    )


async def _text_refused(request: Request, exc: Exception) -> Response:
    assert isinstance(exc, TextRefused)
    field = exc.field.replace("_", " ").replace("-", " ")
    return error_page(
        request,
        "A field holds a character that cannot be kept",
        f"The field “{field}” {exc.problem} (an invisible control character, often pasted"
        " from another program). Nothing was saved: go back, retype that field and send"
        " the form again.",
        status_code=422,
    )


async def _form_already_sent(request: Request, exc: Exception) -> Response:
    assert isinstance(exc, form_tokens.FormAlreadySent)
    if exc.result_url is not None:
        return redirect(
            exc.result_url, "This form was already sent and saved: nothing new was made."
        )
    return error_page(
        request,
        "This form is being saved",
        "It was sent a moment ago and is still being saved: nothing new was made. Open the"
        " list in a moment to see it.",
        status_code=409,
    )


async def _unexpected(request: Request, _exc: Exception) -> Response:
    """A failure nobody foresaw: logged by the server; a page says what to do, no trace."""
    if not is_page(request.url.path):
        return PlainTextResponse("Internal Server Error", status_code=500)
    return http_error_page(request, 500)


def install(app: FastAPI) -> None:
    """Add the admin pages, the share page and uploaded media to ``app``."""
    app.mount(
        "/admin/static",
        StaticFiles(packages=[("backoffice.admin.pages", "static")]),
        name="admin-static",
    )
    for router in (
        sign_in.router,
        pack_bulk_pages.router,  # before /admin/packs/{pack_id}
        packs_pages.router,
        pack_grants_pages.router,
        pack_link_pages.router,
        records_bulk_pages.router,
        records_pages.router,
        refund_pages.router,
        execution_order_page.router,
        stores_pages.router,
        staff_pages.router,
        lockouts_page.router,
        anomalies_pages.router,
        tills_pages.router,
        share_page.router,
        members_pages.router,
        media.router,
    ):
        app.include_router(router)
    app.add_exception_handler(SignInRequired, _to_sign_in)
    app.add_exception_handler(NotGroupAdmin, _not_group_admin)
    app.add_exception_handler(CsrfRefused, _csrf_refused)
    app.add_exception_handler(TextRefused, _text_refused)
    app.add_exception_handler(form_tokens.FormTokenMissing, _csrf_refused)
    app.add_exception_handler(form_tokens.FormAlreadySent, _form_already_sent)
    form_tokens.install(app)
    app.add_exception_handler(members_pages.MemberMissing, _member_missing)
    app.add_exception_handler(pack_refusals.Refused, _pack_refused)
    app.add_exception_handler(records_pages.RecordMissing, _record_missing)
    app.add_exception_handler(Exception, _unexpected)
