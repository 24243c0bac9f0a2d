"""The admin pages in a real browser against a real `pos-backoffice serve`, on SQLite and
PostgreSQL: what an administrator does from the coupon-pack seed (K1-K11) and the
execution-order page (R4, R12), down to a till that syncs the result."""

from __future__ import annotations

import re
from datetime import date, timedelta
from decimal import Decimal
from pathlib import Path

import pytest
from playwright.sync_api import Browser, Page, expect

from pos_app.engine import AddItem, Redeem
from tests.backoffice.admin.pages.browser.conftest import sign_in
from tests.e2e.tills import EnrolledTill
from tests.helpers.live_admin import ServedBackOffice

pytestmark = [pytest.mark.browser, pytest.mark.slow]  # a real browser and server


def create_recurring_campaign(page: Page, name: str) -> str:
    """Fill the form for a weekly campaign pack, 4 cycles, first distribution different."""
    page.goto("/admin/packs/new")
    expect(page.locator("input[name=cycles]")).to_be_hidden()
    page.fill("input[name=name]", name)
    page.check("input[name=method][value=recurring]")
    page.select_option("select[name=period]", "weekly")
    page.fill("input[name=cycles]", "4")
    page.check("input[name=first_same][value=different]")
    page.select_option("select[name=content-0-coupon_code]", label="5.00 cash voucher")
    page.fill("input[name=content-0-quantity]", "2")
    page.select_option("select[name=subsequent-0-coupon_code]", label="Member voucher 4.00")
    page.click("button:has-text('Create and publish')")
    expect(page.locator(".notice")).to_have_text(f"“{name}” created.")
    return page.url


def fill_paid_pack(page: Page, name: str, price: str) -> None:
    today = date.today()
    page.goto("/admin/packs/new")
    page.check("input[name=type][value=paid]")
    expect(page.locator("input[name=method]").first).to_be_hidden()
    page.fill("input[name=name]", name)
    page.select_option("select[name=content-0-coupon_code]", label="Member 10% off")
    page.check("input[name=channels][value=with_order]")
    page.fill("input[name=sales_first_day]", str(today - timedelta(days=1)))
    page.fill("input[name=sales_last_day]", str(today + timedelta(days=60)))
    page.fill("input[name=price]", price)
    page.check("input[name=inventory_mode][value=limited]")
    page.fill("input[name=inventory]", "5")
    page.check("label:has-text('Demo Diner') input[name=stores]")
    page.fill("input[name=limit_daily]", "1")


def test_sign_in_and_out(chromium: Browser, served: ServedBackOffice) -> None:
    """A visitor is sent to sign in; a wrong password says so; signing out ends the session."""
    context = chromium.new_context(base_url=served.url)
    page = context.new_page()
    page.goto("/admin/execution-order")
    expect(page).to_have_url(re.compile(r".*/admin/sign-in\?next=/admin/execution-order$"))
    sign_in(page, password="not the password")
    expect(page.locator(".error-summary")).to_contain_text("Wrong e-mail address or password")
    sign_in(page)
    expect(page).to_have_url(re.compile(r".*/admin/execution-order$"))
    page.click("button:has-text('Sign out')")
    expect(page.locator(".notice")).to_have_text("You are signed out.")
    page.goto("/admin/packs")
    expect(page).to_have_url(re.compile(r".*/admin/sign-in\?next=/admin/packs$"))
    context.close()


def test_create_a_recurring_and_a_paid_pack_and_see_them_listed(page: Page) -> None:
    """K1-K4: both packs from the form, listed with their sales state and figures."""
    create_recurring_campaign(page, "Weekly treats")
    expect(page.locator("dl.params")).to_contain_text("Recurring distribution: Weekly, 4 cycle(s)")
    expect(page.locator("dl.params")).to_contain_text("1 × Member voucher 4.00")
    fill_paid_pack(page, "Tea lover", "9.90")
    page.click("button:has-text('Create and publish')")
    expect(page.locator("h1")).to_have_text("Tea lover")
    expect(page.locator("dl.params")).to_contain_text("Coupon pack mall, Purchase with order")
    page.goto("/admin/packs")
    paid = page.locator("tr[data-pack='Tea lover']")
    expect(paid.locator(".sales-state")).to_have_text("On sale")
    expect(paid).to_contain_text("9.90")
    campaign = page.locator("tr[data-pack='Weekly treats']")
    expect(campaign.locator(".sales-state")).to_have_text("Distributing")
    page.select_option("select[name=type]", "paid")
    page.click("button:has-text('Filter')")
    expect(page.locator("tr[data-pack='Weekly treats']")).to_have_count(0)
    expect(page.locator("tr[data-pack='Tea lover']")).to_have_count(1)


def test_gift_by_phone_and_see_the_records_change(page: Page) -> None:
    """K9/K10: the gift record and the statistics change on the details page."""
    create_recurring_campaign(page, "Gift me")
    expect(page.locator("[data-stat=packs_issued]")).to_have_text("0")
    page.click("text=Gift coupon pack")
    page.fill("input[name=phone]", "+1 555 0100 002")
    page.fill("input[name=quantity]", "2")
    page.click("button:has-text('OK')")
    expect(page.locator(".notice")).to_contain_text("gifted to +1 555 0100 002")
    expect(page.locator("[data-stat=packs_issued]")).to_have_text("2")
    expect(page.locator("[data-stat=coupons_issued]")).to_have_text("4")
    expect(page.locator("#gift-records tbody tr")).to_have_count(1)
    expect(page.locator("#gift-records")).to_contain_text("Grace Hopper")


def test_copy_then_archive_and_see_actions_refused(page: Page) -> None:
    """K7/K8: a copy is a draft; the archived pack loses Edit and Gift and refuses them."""
    url = create_recurring_campaign(page, "Old campaign")
    page.click("button:has-text('Copy')")
    expect(page.locator("h1")).to_have_text("Old campaign (copy)")
    expect(page.locator(".page-head")).to_contain_text("Draft")
    page.goto(url)
    page.click("a:has-text('Archive')")
    expect(page.locator("h1")).to_have_text("Archive “Old campaign”?")
    page.click("button:has-text('Archive the pack')")
    expect(page.locator(".notice")).to_contain_text("is archived")
    expect(page.locator(".head-actions a:has-text('Edit')")).to_have_count(0)
    expect(page.locator(".head-actions a:has-text('Gift coupon pack')")).to_have_count(0)
    page.goto(url + "/gift")
    expect(page.locator(".error-summary")).to_contain_text(
        "can no longer be edited, sold or gifted"
    )
    page.goto(url + "/edit")
    expect(page.locator("main")).to_contain_text("Copy it to start again")


def test_bad_input_shows_on_the_field_and_saves_nothing(page: Page) -> None:
    """K4: a price of 0 is refused on the price field; the list has no such pack."""
    fill_paid_pack(page, "Free tea?", "0")
    page.click("button:has-text('Create and publish')")
    expect(page.locator("[data-field=price]")).to_contain_text("greater than 0")
    expect(page.locator("input[name=price]")).to_have_attribute("aria-invalid", "true")
    expect(page.locator("input[name=name]")).to_have_value("Free tea?")
    page.goto("/admin/packs?name=Free")
    expect(page.locator("tr[data-pack]")).to_have_count(0)


def test_stored_strings_are_shown_as_text(page: Page) -> None:
    """A pack named like a script runs nothing: the name is shown as typed."""
    name = '<img src=x onerror="window.pwned=1">'
    create_recurring_campaign(page, name)
    expect(page.locator("h1")).to_have_text(name)
    page.goto("/admin/packs")
    expect(page.locator("tbody a.strong").first).to_have_text(name)
    assert page.evaluate("window.pwned") is None


def test_the_pages_fit_a_tablet(page: Page) -> None:
    """At 820 px the list, the form and the execution order need no sideways scrolling."""
    page.set_viewport_size({"width": 820, "height": 1100})
    for path in ("/admin/packs", "/admin/packs/new", "/admin/execution-order", "/admin/stores"):
        page.goto(path)
        assert page.evaluate("document.documentElement.scrollWidth <= window.innerWidth"), path


def test_reorder_and_switch_auto_execute_then_a_till_gets_it(
    page: Page, served: ServedBackOffice, till_dir: Path
) -> None:
    """R4/R12: up/down and drag reorder, auto-execute off; a till enrolled and synced runs
    promotions and coupons in the new order with the new switch."""
    page.goto("/admin/execution-order")
    promotions = page.locator("[data-sortable=promotion] .order-row")
    expect(promotions.first).to_contain_text("Burger meal")
    page.click("button[aria-label='Move Drinks buy one get one up']")
    expect(promotions.first).to_contain_text("Drinks buy one get one")
    expect(promotions.first.locator(".seq")).to_have_text("1")
    page.uncheck("input[aria-label='Auto-execute Burger meal']")
    coupons = page.locator("[data-sortable=coupon] .order-row")
    coupons.locator("text=Manager goodwill 1.00").drag_to(coupons.first)
    expect(coupons.first).to_contain_text("Manager goodwill 1.00")
    page.click("button:has-text('Save the order')")
    expect(page.locator(".notice")).to_contain_text("Execution order saved")
    expect(promotions.first).to_contain_text("Drinks buy one get one")
    expect(page.locator("input[aria-label='Auto-execute Burger meal']")).not_to_be_checked()

    till = EnrolledTill.enroll("till-1", till_dir, served.url, served.device_code())
    try:
        assert till.sync().online
        book = till.runtime.till.book
        order = [p.id for p in sorted(book.promotions.values(), key=lambda p: p.order_key)]
        assert order[:2] == ["DRINKS-BOGO", "COMBO-MEAL"]
        assert book.promotions["COMBO-MEAL"].auto_execute is False
        assert book.promotions["DRINKS-BOGO"].auto_execute is True
        coupon_order = [c.code for c in sorted(book.coupons.values(), key=lambda c: c.order_key)]
        assert coupon_order[0] == "CUSTOM-1"
    finally:
        till.close()


def test_create_a_promotion_and_a_coupon_then_a_till_sells_with_them(
    page: Page, served: ServedBackOffice, till_dir: Path
) -> None:
    """R-rules at the back office: a special price and a cash voucher made from their forms
    (a bad percent refused on its field first) reach a till at its next sync (S7)."""
    page.goto("/admin/promotions")
    page.click("a:has-text('New promotion')")
    page.click("a:has-text('Percentage off')")
    page.fill("input[name=name]", "Too generous")
    page.fill("input[name=percent]", "150")
    page.click("button:has-text('Save')")
    expect(page.locator(".error-summary")).to_contain_text("Nothing was saved")
    expect(page.locator("[data-field=percent]")).to_be_visible()
    expect(page.locator("input[name=percent]")).to_have_attribute("aria-invalid", "true")

    page.goto("/admin/promotions/new?type=special_price")
    page.fill("input[name=name]", "Latte time")
    page.fill("input[name=price]", "3.50")
    page.get_by_placeholder("Type to find").first.fill("Latte")  # the searchable picker
    page.locator(".picker-options label:visible", has_text="Latte").locator("input").check()
    page.check("input[name=auto_execute]")
    page.click("button:has-text('Save')")
    expect(page.locator(".notice")).to_contain_text("“Latte time” saved")
    expect(page.locator("main")).to_contain_text("Latte time")
    expect(page.locator("main")).not_to_contain_text("Too generous")

    page.goto("/admin/coupons")
    page.click("a:has-text('New coupon')")
    page.click("a:has-text('Cash voucher (platform)')")
    page.fill("input[name=name]", "Welcome 3.00")
    page.fill("input[name=new_id]", "WELCOME-3")
    page.fill("input[name=face_value]", "3.00")
    page.click("button:has-text('Save')")
    expect(page.locator(".notice")).to_contain_text("“Welcome 3.00” saved")

    till = EnrolledTill.enroll("till-2", till_dir, served.url, served.device_code())
    try:
        assert till.sync().online
        book = till.runtime.till.book
        (latte_time,) = [p for p in book.promotions.values() if p.name == "Latte time"]
        assert latte_time.auto_execute is True
        assert book.coupons["WELCOME-3"].name == "Welcome 3.00"
        sale = till.runtime.new_till()
        sale.handle(AddItem(None, "LATTE"))
        assert sale.priced.total == Decimal("3.50")  # the special price, auto-executed
        sale.handle(Redeem("WELCOME-3"))
        assert sale.priced.coupons["WELCOME-3"].amount == Decimal("3.00")
        assert sale.priced.total == Decimal("0.50")
    finally:
        till.close()
