"""Rate limits at the doors (issue 18 item 5), on SQLite and PostgreSQL: failed sign-ins
per account and client address, failed enrollments per code and client address end in
429 with Retry-After; the administrator sees the lockout and lifts it; it also ends by
itself."""

from __future__ import annotations

import warnings
from collections.abc import Iterator
from datetime import timedelta
from typing import Any

import pytest

from backoffice.admin.users import add_admin_user
from backoffice.app import create_app
from backoffice.clock import utc_now
from backoffice.database import Database
from backoffice.trust.admin_tokens import GROUP_ADMIN
from backoffice.trust.enrollment import issue_enrollment_code
from tests.backoffice.admin.pages.conftest import PASSWORD, PageClient
from tests.backoffice.conftest import MovableClock

with warnings.catch_warnings():
    warnings.filterwarnings("ignore", message=r"Using `httpx` with `starlette\.testclient`")
    from fastapi.testclient import TestClient

EMAIL = "ada@example.com"


@pytest.fixture
def web(
    database_url: str, clock: MovableClock, database: Database, demo_chain: None
) -> Iterator[Any]:
    with database.sessions.begin() as session:
        add_admin_user(session, EMAIL, PASSWORD, role=GROUP_ADMIN, now=utc_now())
    with TestClient(create_app(database_url, clock=clock, pack_scheduler_interval=None)) as c:
        yield c


def test_five_wrong_passwords_lock_the_account_until_lifted(
    web: Any, admin_headers: dict[str, str], clock: MovableClock
) -> None:
    browser = PageClient(web)
    for _ in range(5):
        assert browser.sign_in(EMAIL, "wrong password").status_code == 400
    locked = browser.sign_in(EMAIL)  # the right password, too soon
    assert locked.status_code == 429
    assert 0 < int(locked.headers["Retry-After"]) <= 15 * 60
    assert "try again in 15 minutes" in locked.text
    (lockout,) = web.get("/api/v1/admin/lockouts", headers=admin_headers).json()
    assert lockout["description"] == f"admin sign-in: account {EMAIL}"
    lifted = web.delete(f"/api/v1/admin/lockouts/{lockout['id']}", headers=admin_headers)
    assert lifted.status_code == 204
    assert browser.sign_in(EMAIL).status_code == 303


def test_the_lockouts_page_lists_and_lifts(web: Any, clock: MovableClock) -> None:
    admin = PageClient(web)
    assert admin.sign_in(EMAIL).status_code == 303
    stranger = PageClient(TestClient(web.app))
    for _ in range(5):
        stranger.sign_in("max@example.com", "guess")
    page = admin.get("/admin/lockouts").text
    assert "admin sign-in: account max@example.com" in page
    lockout_id = int(page.split("/admin/lockouts/")[1].split("/lift")[0])
    done = admin.post(f"/admin/lockouts/{lockout_id}/lift")
    assert done.status_code == 303
    assert "Nobody is locked out" in admin.client.get("/admin/lockouts").text


def test_wrong_enrollment_codes_lock_the_code_and_the_address(
    web: Any, database: Database, admin_headers: dict[str, str], clock: MovableClock
) -> None:
    def enroll(code: str) -> Any:
        return web.post("/api/v1/devices/enroll", json={"code": code, "device_name": "t"})

    for _ in range(5):
        assert enroll("WRONG-CODE").status_code == 400
    same_code = enroll("WRONG-CODE")
    assert same_code.status_code == 429 and int(same_code.headers["Retry-After"]) > 0
    for number in range(5):
        assert enroll(f"GUESS-{number}").status_code == 400
    with database.sessions.begin() as session:
        good = issue_enrollment_code(session, "DEMO-1", clock())
    assert enroll(good).status_code == 429, "the address is locked out: even a good code waits"
    clock.advance(timedelta(minutes=16))  # a lockout ends by itself
    assert enroll(good).status_code == 201
