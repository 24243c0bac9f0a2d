"""Signing in and out of the admin pages (an administrator's e-mail address and password).

The sign-in form has its own CSRF token, held in a short-lived cookie until the
session exists; a wrong address or password gets one message for both, so the
page does not tell which addresses have accounts. Failed attempts are counted per
account and per client address (:mod:`backoffice.trust.rate_limits`): past the limit the
page answers 429 with ``Retry-After`` before any password is checked.
"""

from __future__ import annotations

import hmac
import secrets
from typing import Annotated

from fastapi import APIRouter, Depends, Request
from fastapi.responses import HTMLResponse, RedirectResponse, Response
from starlette.datastructures import FormData

from backoffice.admin.pages.auth import CSRF_FIELD, SESSION_COOKIE, AnyUserFormDep
from backoffice.admin.pages.templating import redirect, render
from backoffice.admin.users import authenticate, end_session, normalize_email, start_session
from backoffice.http.client_address import client_address
from backoffice.http.services import ServicesDep
from backoffice.trust.admin_tokens import GROUP_ADMIN
from backoffice.trust.rate_limits import (
    ACCOUNT,
    ADDRESS,
    SIGN_IN,
    LockedOut,
    check_open,
    record_failure,
    record_success,
)

router = APIRouter(prefix="/admin", include_in_schema=False)
SIGN_IN_COOKIE = "pos_admin_sign_in"
HOME = "/admin/packs"
MEMBERS_HOME = "/admin/members"


def _safe_next(target: str | None) -> str:
    """Only a path of these pages: never another site after signing in."""
    if target and target.startswith("/admin") and not target.startswith("//"):
        return target
    return HOME


def _sign_in_page(
    request: Request, next_url: str, *, email: str = "", error: str | None = None
) -> HTMLResponse:
    token = secrets.token_urlsafe(32)
    response = render(
        request,
        "sign_in.html",
        {"csrf_token": token, "next_url": next_url, "email": email, "error": error},
        status_code=400 if error else 200,
    )
    response.set_cookie(
        SIGN_IN_COOKIE, token, max_age=3600, path="/admin", httponly=True, samesite="strict"
    )
    return response


@router.get("", response_class=RedirectResponse)
def home() -> RedirectResponse:
    return RedirectResponse(HOME, status_code=303)


@router.get("/sign-in", response_class=HTMLResponse)
def sign_in_form(request: Request, next: str | None = None) -> HTMLResponse:
    return _sign_in_page(request, _safe_next(next))


async def _sign_in_form(request: Request) -> FormData:
    return await request.form(max_fields=10, max_files=0)


@router.post("/sign-in", response_class=HTMLResponse)
def sign_in(
    request: Request,
    form: Annotated[FormData, Depends(_sign_in_form)],
    services: ServicesDep,
) -> Response:
    email = str(form.get("email") or "")
    password = str(form.get("password") or "")
    next_url = _safe_next(str(form.get("next") or ""))
    expected = request.cookies.get(SIGN_IN_COOKIE) or ""
    given = str(form.get(CSRF_FIELD) or "")
    if not expected or not hmac.compare_digest(expected, given):
        return _sign_in_page(
            request, next_url, email=email, error="The form had expired: sign in again."
        )
    sessions, now = services.database.sessions, services.clock()
    keys = {ACCOUNT: normalize_email(email), ADDRESS: client_address(request)}
    try:
        check_open(sessions, SIGN_IN, keys, now)
    except LockedOut as locked:
        page = _sign_in_page(request, next_url, email=email, error=f"Not now: {locked}.")
        page.status_code = 429
        page.headers["Retry-After"] = str(locked.retry_after)
        return page
    with sessions.begin() as session:
        user = authenticate(session, email, password)
        token = start_session(session, user, now) if user else None
        if user is not None and user.role != GROUP_ADMIN and next_url == HOME:
            next_url = MEMBERS_HOME  # a store manager's pages are the members'
    if token is None:
        record_failure(sessions, SIGN_IN, keys, now)
        return _sign_in_page(
            request,
            next_url,
            email=email,
            error="Wrong e-mail address or password. Check both and try again.",
        )
    record_success(sessions, SIGN_IN, ACCOUNT, keys[ACCOUNT])
    response = redirect(next_url)
    response.set_cookie(
        SESSION_COOKIE,
        token,
        path="/",
        httponly=True,
        samesite="lax",
        secure=request.url.scheme == "https",  # plain http only on a test or local server
    )
    response.delete_cookie(SIGN_IN_COOKIE, path="/admin")
    return response


@router.post("/sign-out")
def sign_out(request: Request, _form: AnyUserFormDep, services: ServicesDep) -> Response:
    token = request.cookies.get(SESSION_COOKIE)
    if token:
        with services.database.sessions.begin() as session:
            end_session(session, token, services.clock())
    response = redirect("/admin/sign-in", "You are signed out.")
    response.delete_cookie(SESSION_COOKIE, path="/")
    return response
