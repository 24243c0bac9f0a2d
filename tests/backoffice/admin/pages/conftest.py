"""Admin-page fixtures: the app over the test database (SQLite and PostgreSQL), accounts,
and a client signed in the way a browser is (session cookie, CSRF token from the page)."""

from __future__ import annotations

import re
import secrets
import warnings
from collections.abc import Iterator
from typing import Any

import pytest

from backoffice.admin.users import STORE_MANAGER, add_admin_user
from backoffice.app import create_app
from backoffice.clock import utc_now
from backoffice.database import Database
from backoffice.trust.admin_tokens import GROUP_ADMIN
from tests.backoffice.conftest import MovableClock

with warnings.catch_warnings():
    warnings.filterwarnings("ignore", message=r"Using `httpx` with `starlette\.testclient`")
    from fastapi.testclient import TestClient

ADMIN_EMAIL = "ada@example.com"
MANAGER_EMAIL = "max@example.com"
PASSWORD = "correct horse battery"
_CSRF = re.compile(r'name="csrf_token" value="([^"]+)"')


def csrf_of(page: str) -> str:
    """The CSRF token a rendered page's forms carry."""
    found = _CSRF.search(page)
    assert found, "the page has no form with a CSRF token"
    return found.group(1)


class PageClient:
    """A TestClient used as a browser: follows no redirect by itself, sends the CSRF token."""

    def __init__(self, client: TestClient) -> None:
        self.client = client
        self.csrf = ""

    def sign_in(self, email: str, password: str = PASSWORD) -> Any:
        page = self.client.get("/admin/sign-in")
        response = self.client.post(
            "/admin/sign-in",
            data={"email": email, "password": password, "csrf_token": csrf_of(page.text)},
            follow_redirects=False,
        )
        if response.status_code == 303:
            self.csrf = csrf_of(self.client.get("/admin/stores").text)
        return response

    def get(self, path: str, **kwargs: Any) -> Any:
        return self.client.get(path, follow_redirects=False, **kwargs)

    def post(self, path: str, data: Any = None, **kwargs: Any) -> Any:
        """POST a form with this session's CSRF token and a fresh one-time form token, as a
        page just loaded carries them (unless ``data`` names its own)."""
        pairs = list(data.items()) if isinstance(data, dict) else list(data or [])
        body: dict[str, list[str]] = {"csrf_token": [self.csrf]}
        if not any(name == "form_token" for name, _ in pairs):
            body["form_token"] = [secrets.token_urlsafe(24)]
        for name, value in pairs:  # a list of pairs may repeat a name (checkboxes)
            if name in ("csrf_token", "form_token"):
                body[name] = [value]
            else:
                body.setdefault(name, []).append(value)
        return self.client.post(path, data=body, follow_redirects=False, **kwargs)


@pytest.fixture
def app_client(database_url: str, clock: MovableClock) -> Iterator[TestClient]:
    """The whole app (API and pages) over the test database, no background scheduler."""
    app = create_app(database_url, clock=clock, pack_scheduler_interval=None)
    with TestClient(app) as client:
        yield client


@pytest.fixture
def accounts(database: Database, demo_chain: None) -> None:
    """A group administrator and a store manager, over the demo chain."""
    with database.sessions.begin() as session:
        add_admin_user(session, ADMIN_EMAIL, PASSWORD, role=GROUP_ADMIN, now=utc_now())
        add_admin_user(session, MANAGER_EMAIL, PASSWORD, role=STORE_MANAGER, now=utc_now())


@pytest.fixture
def pages(app_client: TestClient, accounts: None) -> PageClient:
    """The admin pages, signed in as the group administrator."""
    client = PageClient(app_client)
    assert client.sign_in(ADMIN_EMAIL).status_code == 303
    return client
