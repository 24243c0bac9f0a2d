"""Signing in to the admin pages: sessions, roles (K1), CSRF, and tokens that open no page."""

from __future__ import annotations

from typing import Any

from backoffice.clock import utc_now
from backoffice.database import Database
from backoffice.packs.purchase import MALL_ROLE
from backoffice.trust.admin_tokens import issue_admin_token
from tests.backoffice.admin.pages.conftest import ADMIN_EMAIL, MANAGER_EMAIL, PageClient, csrf_of
from tests.backoffice.conftest import EnrolledTill

PAGES = [
    "/admin/packs",
    "/admin/packs/new",
    "/admin/promotions",
    "/admin/coupons",
    "/admin/execution-order",
    "/admin/stores",
]


def test_pages_send_a_visitor_to_sign_in_and_back(app_client: Any, accounts: None) -> None:
    """No session: every page redirects to the sign-in page, which returns there afterwards."""
    for path in PAGES:
        response = app_client.get(path, follow_redirects=False)
        assert response.status_code == 303, path
        assert response.headers["location"].startswith("/admin/sign-in?next=")
    client = PageClient(app_client)
    page = app_client.get("/admin/sign-in?next=/admin/coupons")
    signed = app_client.post(
        "/admin/sign-in",
        data={
            "email": ADMIN_EMAIL.upper(),
            "password": "correct horse battery",
            "next": "/admin/coupons",
            "csrf_token": csrf_of(page.text),
        },
        follow_redirects=False,
    )
    assert signed.status_code == 303 and signed.headers["location"] == "/admin/coupons"
    assert client.get("/admin/coupons").status_code == 200


def test_a_wrong_password_says_so_without_naming_which(app_client: Any, accounts: None) -> None:
    """A wrong password and an unknown address get the same message and no session."""
    client = PageClient(app_client)
    wrong = client.sign_in(ADMIN_EMAIL, "not the password")
    unknown = client.sign_in("nobody@example.com")
    for response in (wrong, unknown):
        assert response.status_code == 400
        assert "Wrong e-mail address or password" in response.text
    assert client.get("/admin/packs").status_code == 303


def test_sign_in_needs_its_form_token(app_client: Any, accounts: None) -> None:
    """A sign-in POST without the form's token (login CSRF) starts no session."""
    response = app_client.post(
        "/admin/sign-in",
        data={"email": ADMIN_EMAIL, "password": "correct horse battery", "csrf_token": "forged"},
        follow_redirects=False,
    )
    assert response.status_code == 400 and "expired" in response.text
    assert app_client.get("/admin/packs", follow_redirects=False).status_code == 303


def test_sign_out_ends_the_session(pages: PageClient) -> None:
    """After signing out, the same cookie opens nothing."""
    cookie = pages.client.cookies.get("pos_admin_session")
    assert pages.post("/admin/sign-out").status_code == 303
    pages.client.cookies.set("pos_admin_session", str(cookie))
    assert pages.get("/admin/packs").status_code == 303


def test_form_posts_need_the_csrf_token(pages: PageClient, database: Database) -> None:
    """Every form POST without this session's CSRF token is refused and changes nothing."""
    bad = pages.client.post(
        "/admin/organisations/new",
        data={"name": "Paris", "stores": "DEMO-1", "csrf_token": "forged"},
        follow_redirects=False,
    )
    missing = pages.client.post(
        "/admin/organisations/new",
        data={"name": "Paris", "stores": "DEMO-1"},
        follow_redirects=False,
    )
    for response in (bad, missing):
        assert response.status_code == 403 and "Nothing was changed" in response.text
    assert "Paris" not in pages.get("/admin/stores").text
    assert (
        pages.post("/admin/organisations/new", {"name": "Paris", "stores": "DEMO-1"}).status_code
        == 303
    )


def test_a_store_manager_session_is_refused(app_client: Any, accounts: None) -> None:
    """K1: only group_admin manages packs and promotions; a store manager gets a 403 page."""
    client = PageClient(app_client)
    assert client.sign_in(MANAGER_EMAIL).status_code == 303
    for path in PAGES:
        response = client.get(path)
        assert response.status_code == 403, path
        assert "group administrators" in response.text
    refused = client.client.post("/admin/packs/new", data={"name": "x"}, follow_redirects=False)
    assert refused.status_code == 403


def test_tokens_never_open_a_page(
    app_client: Any,
    accounts: None,
    database: Database,
    till: EnrolledTill,
    admin_headers: dict[str, str],
) -> None:
    """A device, mall or even group_admin bearer token opens no page: pages need a session."""
    with database.sessions.begin() as session:
        mall = issue_admin_token(session, "mall", utc_now(), role=MALL_ROLE)
    for headers in (till.headers, {"Authorization": f"Bearer {mall}"}, admin_headers):
        response = app_client.get("/admin/packs", headers=headers, follow_redirects=False)
        assert response.status_code == 303 and "/admin/sign-in" in response.headers["location"]


def test_a_nul_in_the_address_is_a_wrong_address(app_client: Any, accounts: None) -> None:
    """An address holding a NUL (PostgreSQL cannot compare it) is answered like a wrong
    address, never a 500."""
    response = PageClient(app_client).sign_in("ada\x00@example.com")
    assert response.status_code == 400
    assert "Wrong e-mail address or password" in response.text
