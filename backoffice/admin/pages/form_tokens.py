"""One-time form tokens: every admin form carries a fresh ``form_token`` (rendered with
its CSRF token); the first post with it claims it, and the page that post led to is kept
beside it. A second post of the same token (back and resubmit, a double click, a
browser's retry) makes nothing new: it is sent to that page, told the form was already
saved. A post that was refused (the form shown again with its errors) gives its token
back, so the corrected form can be sent.
"""

from __future__ import annotations

import secrets
from collections.abc import Awaitable, Callable
from datetime import timedelta

from fastapi import FastAPI, Request
from fastapi.responses import Response
from sqlalchemy import delete, update
from sqlalchemy.exc import IntegrityError
from starlette.concurrency import run_in_threadpool

from backoffice.http.services import Services, get_services
from backoffice.models.admin_users import FormSubmission

FORM_TOKEN_FIELD = "form_token"
KEPT_FOR = timedelta(days=1)  # how long a token is remembered (a day of back buttons)
MAX_TOKEN_LENGTH = 64
_CLAIMED = "form_token_claimed"


def new_form_token() -> str:
    """A fresh token for one rendered form."""
    return secrets.token_urlsafe(24)


class FormTokenMissing(Exception):
    """A form post without a usable one-time token (refused like a CSRF failure)."""


class FormAlreadySent(Exception):
    """The form's token was used before; ``result_url`` is where that post led (None
    while the first post is still being saved)."""

    def __init__(self, result_url: str | None) -> None:
        self.result_url = result_url


def _claim(services: Services, token: str, email: str) -> None:
    now = services.clock()
    try:
        with services.database.sessions.begin() as session:
            session.execute(
                delete(FormSubmission).where(FormSubmission.submitted_at < now - KEPT_FOR)
            )
            session.add(FormSubmission(token=token, email=email, submitted_at=now, result_url=None))
    except IntegrityError:
        with services.database.sessions.begin() as session:
            earlier = session.get(FormSubmission, token)
            if earlier is None or earlier.email != email:
                raise FormTokenMissing() from None
            raise FormAlreadySent(earlier.result_url) from None


def _settle(services: Services, token: str, result_url: str | None) -> None:
    """Keep where the post led (a redirect), or give the token back (anything else)."""
    with services.database.sessions.begin() as session:
        if result_url is None:
            session.execute(delete(FormSubmission).where(FormSubmission.token == token))
        else:
            session.execute(
                update(FormSubmission)
                .where(FormSubmission.token == token)
                .values(result_url=result_url)
            )


async def claim_form_token(request: Request, given: object, email: str) -> None:
    """Claim the form's token for ``email``'s post, or raise :class:`FormTokenMissing` /
    :class:`FormAlreadySent`. The response settles it (:func:`install`)."""
    if not isinstance(given, str) or not 16 <= len(given) <= MAX_TOKEN_LENGTH:
        raise FormTokenMissing()
    await run_in_threadpool(_claim, get_services(request), given, email)
    request.state.form_token_claimed = given


def install(app: FastAPI) -> None:
    """Settle each claimed token when its post is answered."""

    @app.middleware("http")
    async def settle_form_tokens(
        request: Request, call_next: Callable[[Request], Awaitable[Response]]
    ) -> Response:
        response = await call_next(request)
        token = getattr(request.state, _CLAIMED, None)
        if token is not None:
            led_to = response.headers.get("location") if response.status_code == 303 else None
            await run_in_threadpool(_settle, get_services(request), token, led_to)
        return response
