"""Who is looking at an admin page: the session cookie, its role, and the CSRF check.

Only the cookie counts: a bearer token (a device's, the mall's, even a
group_admin API token) opens no page. A visitor without a live session is sent to
the sign-in page; a signed-in account that is not ``group_admin`` gets a 403 page
(K1). Every form POST must carry the session's CSRF token (field ``csrf_token``)
or it is refused with a 403 and changes nothing; a group administrator's form also its
one-time ``form_token``.
"""

from __future__ import annotations

from typing import Annotated

from fastapi import Depends, Request
from starlette.datastructures import FormData

from backoffice.admin.pages.form_tokens import FORM_TOKEN_FIELD, claim_form_token
from backoffice.admin.users import SignedIn, csrf_matches, find_session
from backoffice.http.body_limit import MAX_BODY_BYTES
from backoffice.http.services import ServicesDep
from pos_app.protocol.bounds import text_problem

SESSION_COOKIE = "pos_admin_session"
CSRF_FIELD = "csrf_token"
MAX_FORM_FIELDS = 5000


class SignInRequired(Exception):
    """No live session: the page handler answers with a redirect to the sign-in page."""

    def __init__(self, next_url: str) -> None:
        self.next_url = next_url


class NotGroupAdmin(Exception):
    """A signed-in account whose role may not manage packs and promotions (K1)."""

    def __init__(self, signed_in: SignedIn) -> None:
        self.signed_in = signed_in


class CsrfRefused(Exception):
    """A form POST without this session's CSRF token."""


class TextRefused(Exception):
    """A form field holding text no database can store (a NUL, a lone surrogate)."""

    def __init__(self, field: str, problem: str) -> None:
        self.field = field
        self.problem = problem


def signed_in_user(request: Request, services: ServicesDep) -> SignedIn:
    """The live session's account (any role), or :class:`SignInRequired`."""
    token = request.cookies.get(SESSION_COOKIE)
    found = None
    if token:
        with services.database.sessions.begin() as session:
            found = find_session(session, token, services.clock())
    if found is None:
        target = request.url.path + (f"?{request.url.query}" if request.url.query else "")
        raise SignInRequired(target)
    request.state.admin_user = found
    return found


def group_admin(user: Annotated[SignedIn, Depends(signed_in_user)]) -> SignedIn:
    """The signed-in account if it is a group administrator (K1), else :class:`NotGroupAdmin`."""
    if not user.is_group_admin:
        raise NotGroupAdmin(user)
    return user


SignedInDep = Annotated[SignedIn, Depends(signed_in_user)]
GroupAdminDep = Annotated[SignedIn, Depends(group_admin)]


async def _checked_form(request: Request, user: SignedIn) -> FormData:
    form = await request.form(max_fields=MAX_FORM_FIELDS, max_part_size=MAX_BODY_BYTES)
    given = form.get(CSRF_FIELD)
    if not csrf_matches(user, given if isinstance(given, str) else None):
        raise CsrfRefused()
    for field, value in form.multi_items():
        problem = text_problem(value) if isinstance(value, str) else None
        if problem is not None:
            raise TextRefused(field, problem)
    return form


async def admin_form(request: Request, user: GroupAdminDep) -> FormData:
    """A group administrator's form, once its CSRF token matched and its one-time form
    token was claimed (:mod:`.form_tokens`: a repeated post makes nothing new)."""
    form = await _checked_form(request, user)
    await claim_form_token(request, form.get(FORM_TOKEN_FIELD), user.email)
    return form


async def any_user_form(request: Request, user: SignedInDep) -> FormData:
    """A signed-in account's form (sign-out), once its CSRF token matched."""
    return await _checked_form(request, user)


AdminFormDep = Annotated[FormData, Depends(admin_form)]
AnyUserFormDep = Annotated[FormData, Depends(any_user_form)]


def actor(user: SignedIn) -> str:
    """How a change by ``user`` is recorded (``created_by``, ``changed_by``)."""
    return f"admin:{user.email}"
