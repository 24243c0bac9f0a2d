"""The "Anomalies" page (issue 18): held sales with store and till names, totals with
their currency and reasons in words; the Accept button (CSRF-checked, group
administrators only) makes the sale count, recording who and when."""

from __future__ import annotations

from fastapi.testclient import TestClient

from backoffice.database import Database
from backoffice.reports.anomalies import list_anomalies
from tests.backoffice.admin.pages.conftest import ADMIN_EMAIL, MANAGER_EMAIL, PageClient
from tests.backoffice.conftest import MovableClock, enroll
from tests.backoffice.factories import ticket_closed


def _held_sale(app_client: TestClient, database: Database, clock: MovableClock) -> int:
    till = enroll(app_client, database, "DEMO-1", "Front counter", clock())
    broken = ticket_closed("DEMO-1", till.device_id, ticket_id="T-BAD", total="999999.00")
    app_client.post("/api/v1/events", json={"events": [broken]}, headers=till.headers)
    with database.sessions.begin() as session:
        (held,) = list_anomalies(session)
    return int(held["id"])


def test_the_page_lists_held_sales_in_words_and_accepts_one(
    app_client: TestClient, database: Database, accounts: None, clock: MovableClock
) -> None:
    anomaly_id = _held_sale(app_client, database, clock)
    browser = PageClient(app_client)
    browser.sign_in(ADMIN_EMAIL)
    page = browser.get("/admin/anomalies")
    assert page.status_code == 200
    assert "Demo Diner" in page.text and "Front counter" in page.text
    assert "USD 999999.00" in page.text
    assert "The total says USD 999999.00, but the lines add up to USD 15.50." in page.text
    assert "DEMO-1" not in page.text  # names, never ids

    refused = browser.post(f"/admin/anomalies/{anomaly_id}/accept", data={"csrf_token": "x"})
    assert refused.status_code == 403
    accepted = browser.post(f"/admin/anomalies/{anomaly_id}/accept")
    assert accepted.status_code == 303
    page = browser.get("/admin/anomalies")
    assert "Sale T-BAD accepted: it now counts as revenue." in page.text
    assert f"by {ADMIN_EMAIL}" in page.text
    assert "No sale is held" in page.text
    again = browser.post(f"/admin/anomalies/{anomaly_id}/accept")
    assert again.status_code == 303
    assert "already accepted" in browser.get("/admin/anomalies").text
    assert browser.post("/admin/anomalies/4242/accept").status_code == 404


def test_a_store_manager_cannot_accept(
    app_client: TestClient, database: Database, accounts: None, clock: MovableClock
) -> None:
    anomaly_id = _held_sale(app_client, database, clock)
    browser = PageClient(app_client)
    browser.sign_in(MANAGER_EMAIL)
    assert browser.post(f"/admin/anomalies/{anomaly_id}/accept").status_code == 403
    with database.sessions.begin() as session:
        assert list_anomalies(session)[0]["state"] == "held"
