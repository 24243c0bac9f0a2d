"""The admin pages' Jinja2 environment (templates are package data) and how a page is rendered.

Autoescaping is on for every template, so a stored string such as a pack named
``<script>`` is shown as text. A one-time notice (after a redirect) rides in a
short-lived cookie and is shown on the next page.
"""

from __future__ import annotations

from collections.abc import Mapping
from typing import Any
from urllib.parse import quote, unquote

from fastapi import Request
from fastapi.responses import HTMLResponse, RedirectResponse
from jinja2 import Environment, PackageLoader, select_autoescape

from backoffice.admin.pages import labels
from backoffice.admin.pages.form_tokens import new_form_token

NOTICE_COOKIE = "pos_admin_notice"


def _environment() -> Environment:
    env = Environment(
        loader=PackageLoader("backoffice.admin.pages", "templates"),
        autoescape=select_autoescape(default=True, default_for_string=True),
        trim_blocks=True,
        lstrip_blocks=True,
    )
    env.globals["labels"] = labels
    env.globals["new_form_token"] = new_form_token
    env.filters["label"] = labels.label
    env.filters["readable"] = labels.readable
    return env


ENVIRONMENT = _environment()


def render(
    request: Request,
    template: str,
    context: Mapping[str, Any],
    *,
    status_code: int = 200,
) -> HTMLResponse:
    """``template`` rendered with ``context``, the signed-in user and any pending notice."""
    notice = request.cookies.get(NOTICE_COOKIE)
    page = ENVIRONMENT.get_template(template).render(
        {
            "request": request,
            "user": getattr(request.state, "admin_user", None),
            "notice": unquote(notice) if notice else None,
            **context,
        }
    )
    response = HTMLResponse(page, status_code=status_code)
    if notice:
        response.delete_cookie(NOTICE_COOKIE, path="/admin")
    return response


def redirect(url: str, notice: str | None = None) -> RedirectResponse:
    """A 303 to ``url`` (after a POST), carrying ``notice`` to the next page."""
    response = RedirectResponse(url, status_code=303)
    if notice:
        response.set_cookie(
            NOTICE_COOKIE, quote(notice), max_age=60, path="/admin", httponly=True, samesite="lax"
        )
    return response
