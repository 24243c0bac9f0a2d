"""The "Tills" page (issue 18, item 7): each till by store and till name with what it
reported at its last ping; a silent one is flagged in words."""

from __future__ import annotations

from datetime import timedelta

from fastapi.testclient import TestClient

from backoffice.database import Database
from tests.backoffice.admin.pages.conftest import ADMIN_EMAIL, PageClient
from tests.backoffice.conftest import MovableClock, enroll


def test_the_page_shows_each_till_and_flags_the_silent_one(
    app_client: TestClient, database: Database, accounts: None, clock: MovableClock
) -> None:
    front = enroll(app_client, database, "DEMO-1", "Front counter", clock())
    back = enroll(app_client, database, "DEMO-1", "Back bar", clock())
    report = {"software_version": "0.18.0", "outbox_depth": "4", "parked_events": "1"}
    app_client.get("/api/v1/ping", headers=back.headers)  # an older till: no report
    clock.advance(timedelta(hours=2))
    app_client.get("/api/v1/ping", params=report, headers=front.headers)
    browser = PageClient(app_client)
    browser.sign_in(ADMIN_EMAIL)
    page = browser.get("/admin/tills")
    assert page.status_code == 200
    text = page.text
    assert "Demo Diner" in text and "Front counter" in text and "0.18.0" in text
    assert "Silent for 2 hours" in text and "not reported" in text
    assert "2 till(s)" in text and "1 silent" in text
    assert front.device_id not in text and back.device_id not in text
