"""The members pages in a real browser against a real `pos-backoffice serve`, on SQLite
and PostgreSQL (issue 21, item 1): customer service finds a member by phone, reads their
packs and coupons, and gifts a pack from the member's page (K9)."""

from __future__ import annotations

from datetime import UTC, datetime, timedelta

import pytest
from playwright.sync_api import Page, expect

from backoffice.database import Database
from backoffice.packs.lifecycle import create_pack
from backoffice.packs.purchase import PurchaseRequest, purchase_pack
from tests.helpers.live_admin import ServedBackOffice

pytestmark = [pytest.mark.browser, pytest.mark.slow]  # a real browser and server


def _entry(coupon: str, quantity: int, days: int) -> dict[str, object]:
    return {
        "coupon_code": coupon,
        "quantity": quantity,
        "effective": "immediate",
        "validity_days": days,
    }


def seed_paid_pack(served: ServedBackOffice, name: str, *, buyer: str | None) -> int:
    """A paid pack on sale at DEMO-1 for 9.90 (K4), bought once by ``buyer`` if given."""
    now = datetime.now(UTC)
    today = now.date()
    database = Database(served.database_url)
    try:
        with database.sessions.begin() as session:
            pack = create_pack(
                session,
                {
                    "type": "paid",
                    "name": name,
                    "content": [_entry("CV-5", 2, 30)],
                    "channels": ["mall", "with_order"],
                    "sales_period": {
                        "first_day": str(today - timedelta(days=1)),
                        "last_day": str(today + timedelta(days=30)),
                    },
                    "price": "9.90",
                    "stores": ["DEMO-1"],
                },
                now=now,
                actor="admin:ada@example.com",
            )
            if buyer is not None:
                request = PurchaseRequest(pack.id, "mall", "DEMO-1", member_id=buyer)
                purchase_pack(session, request, now=now, actor="mall:app")
            return pack.id
    finally:
        database.dispose()


def test_find_a_member_by_phone_read_their_packs_and_gift_one(
    page: Page, served: ServedBackOffice
) -> None:
    """K4/K9/K10: search by phone as people type it, the member's bought pack with its
    coupons valid, the price with its currency; a gift from the page adds the pack."""
    seed_paid_pack(served, "Browser tea pack", buyer="M-1002")
    seed_paid_pack(served, "Browser gift pack", buyer=None)
    page.get_by_role("link", name="Members").click()
    page.fill("input[name=q]", "+1 (555) 0100-002")
    page.click("button:has-text('Search')")
    expect(page.locator("#member-list tbody tr")).to_have_count(1)
    page.get_by_role("link", name="Grace Hopper").first.click()
    expect(page.locator("h1")).to_have_text("Grace Hopper")
    bought = page.locator('.member-pack[data-pack="Browser tea pack"]')
    expect(bought).to_contain_text("bought at Demo Diner for 9.90 USD")
    expect(bought.locator(".coupon-valid")).to_have_count(2)
    expect(page.locator('#purchases tr[data-purchase="Browser tea pack"]')).to_contain_text(
        "9.90 USD"
    )
    page.select_option("select[name=pack]", label="Browser gift pack")
    page.fill("input[name=quantity]", "0")
    page.click("#gift-form button:has-text('Gift')")
    expect(page.locator("input[name=quantity]:invalid")).to_have_count(1)  # the browser's check
    page.fill("input[name=quantity]", "1")
    page.click("#gift-form button:has-text('Gift')")
    expect(page.locator(".notice")).to_have_text("1 “Browser gift pack” gifted to Grace Hopper.")
    gifted = page.locator('.member-pack[data-pack="Browser gift pack"]')
    expect(gifted).to_contain_text("Gift")
    expect(gifted.locator(".coupon-valid")).to_have_count(2)
    expect(page.locator("#gifts")).to_contain_text("Browser gift pack")


def test_refund_a_pack_from_the_member_page(page: Page, served: ServedBackOffice) -> None:
    """K4/K14: the refund asks why, then the purchase shows refunded with who and why,
    and the pack's coupons are withdrawn; the refund button is gone."""
    seed_paid_pack(served, "Browser refund pack", buyer="M-1001")
    page.goto("/admin/members?q=Ada")
    page.get_by_role("link", name="Ada Lovelace").first.click()
    row = page.locator('#purchases tr[data-purchase="Browser refund pack"]')
    row.locator("button:has-text('Refund 9.90 USD')").click()
    expect(page.locator("input[name=reason]:invalid")).not_to_have_count(0)  # a reason first
    row.locator("input[name=reason]").fill("Bought the wrong pack")
    row.locator("button:has-text('Refund 9.90 USD')").click()
    expect(page.locator(".notice")).to_have_text(
        "“Browser refund pack” refunded to Ada Lovelace: 9.90 USD; 2 coupon(s) withdrawn."
    )
    refunded = page.locator('#purchases tr[data-purchase="Browser refund pack"]')
    expect(refunded).to_contain_text("Refunded")
    expect(refunded).to_contain_text("9.90 USD refunded")
    expect(refunded).to_contain_text("by ada@example.com: Bought the wrong pack")
    expect(refunded.locator("button")).to_have_count(0)
    pack = page.locator('.member-pack[data-pack="Browser refund pack"]')
    expect(pack.locator(".coupon-withdrawn")).to_have_count(2)
