"""The "Anomalies" page in a real browser against a real `pos-backoffice serve`, on
SQLite and PostgreSQL (issue 18): held sales by name with money in its currency and
reasons in words; Accept (after the confirmation) moves one to "Accepted", with who."""

from __future__ import annotations

import pytest
from playwright.sync_api import Page, expect

from tests.helpers.held_sales import send_held_sales
from tests.helpers.live_admin import ADMIN_EMAIL, ServedBackOffice

pytestmark = [pytest.mark.browser, pytest.mark.slow]  # a real browser and server


def test_held_sales_are_listed_in_words_and_one_is_accepted(
    page: Page, served: ServedBackOffice
) -> None:
    clean, inflated, short, foreign = send_held_sales(served, "Front counter", 141)
    page.click("nav.menu >> text=Anomalies")
    held = page.locator("#held-anomalies")
    expect(held.locator(f"tr[data-sale='{clean}']")).to_have_count(0)
    row = held.locator(f"tr[data-sale='{inflated}']")
    expect(row).to_contain_text("Demo Diner")
    expect(row).to_contain_text("Front counter")
    expect(row).to_contain_text("USD 999999.00")
    expect(row).to_contain_text("The total says USD 999999.00, but the lines add up to USD 15.50.")
    expect(held.locator(f"tr[data-sale='{short}']")).to_contain_text(
        "The payments cover USD 0.01 of the USD 15.50 due."
    )
    other = held.locator(f"tr[data-sale='{foreign}']")
    expect(other).to_contain_text("Rung up in XXX, but Demo Diner sells in USD.")
    expect(other).to_contain_text("Cola: item MYSTERY-SODA is not in the catalog.")

    page.once("dialog", lambda dialog: dialog.accept())
    row.locator("button:has-text('Accept')").click()
    expect(page.locator(".notice")).to_have_text(
        f"Sale {inflated} accepted: it now counts as revenue."
    )
    expect(held.locator(f"tr[data-sale='{inflated}']")).to_have_count(0)
    accepted = page.locator(f"#accepted-anomalies tr[data-sale='{inflated}']")
    expect(accepted).to_contain_text(f"by {ADMIN_EMAIL}")
    expect(held.locator(f"tr[data-sale='{short}']")).to_have_count(1)
