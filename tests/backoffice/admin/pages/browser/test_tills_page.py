"""The "Tills" page in a real browser against a real `pos-backoffice serve`, on SQLite and
PostgreSQL (issue 18, item 7): a till that reported at its ping is listed by store and
name with its version, outbox and parked events; one that never reported says so."""

from __future__ import annotations

import re

import pytest
import requests
from playwright.sync_api import Page, expect

from tests.helpers.held_sales import enrolled_headers
from tests.helpers.live_admin import ServedBackOffice

pytestmark = [pytest.mark.browser, pytest.mark.slow]  # a real browser and server


def test_the_fleet_is_listed_with_what_each_till_reported(
    page: Page, served: ServedBackOffice
) -> None:
    _, reporting = enrolled_headers(served, "Drive-through")
    _, older = enrolled_headers(served, "Old kiosk")
    report = {"software_version": "0.18.0", "outbox_depth": "12", "parked_events": "3"}
    ping = f"{served.url}/api/v1/ping"
    assert requests.get(ping, params=report, headers=reporting, timeout=10).status_code == 200
    assert requests.get(ping, headers=older, timeout=10).status_code == 200
    page.click("nav.menu >> text=Tills")
    row = page.locator("#till-list tr[data-till='Drive-through']")
    expect(row).to_contain_text("Demo Diner")
    expect(row).to_contain_text("0.18.0")
    expect(row.locator("td.num").nth(0)).to_have_text("12")
    expect(row.locator("td.num").nth(1)).to_have_text("3")
    expect(row).to_contain_text(re.compile(r"Heard from (just now|\d+ minutes? ago)"))
    expect(page.locator("#till-list tr[data-till='Old kiosk']")).to_contain_text("not reported")
