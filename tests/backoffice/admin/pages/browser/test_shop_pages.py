"""Issue 21 in a real browser against a real `pos-backoffice serve`, on SQLite and
PostgreSQL: the share page sells on a 375 px phone, every form refuses bad input in an
administrator's words, the pack list sorts, filters and exports, and the menu works at
768 px."""

from __future__ import annotations

import re
import time

import pytest
from playwright.sync_api import Browser, Dialog, Page, expect

from tests.backoffice.admin.pages.browser.conftest import sign_in
from tests.backoffice.admin.pages.browser.test_admin_pages import fill_paid_pack
from tests.backoffice.admin.pages.test_plain_words import DEVELOPER_WORDS
from tests.helpers.live_admin import ServedBackOffice

pytestmark = [pytest.mark.browser, pytest.mark.slow]  # a real browser and server


def create_paid_pack(page: Page, name: str, price: str = "9.90") -> int:
    fill_paid_pack(page, name, price)
    page.check("input[name=channels][value=mall]")
    page.click("button:has-text('Create and publish')")
    expect(page.locator(".notice")).to_have_text(f"“{name}” created.")
    found = re.search(r"/admin/packs/(\d+)$", page.url)
    assert found, page.url
    return int(found.group(1))


def code_from_log(served: ServedBackOffice, phone: str, seen: int) -> str:
    """The newest code the development sender wrote to the server's log for ``phone``."""
    pattern = re.compile(rf"one-time code for {re.escape(phone)} \(buying .*\): (\d{{6}})")
    deadline = time.monotonic() + 10
    while time.monotonic() < deadline:
        codes = pattern.findall(served.log_path.read_text(errors="replace"))
        if len(codes) > seen:
            return str(codes[-1])
        time.sleep(0.1)
    raise AssertionError(f"no code for {phone} in {served.log_path}")


def no_sideways_scroll(page: Page) -> None:
    width = page.evaluate("document.documentElement.scrollWidth")
    viewport = page.viewport_size
    assert viewport is not None and width <= viewport["width"], width


def test_a_member_buys_on_the_share_page_at_375_px(
    page: Page, chromium: Browser, served: ServedBackOffice
) -> None:
    """K11: the QR's page shows the contents, price with currency and stock; a member
    buys with their phone and a one-time code; the stock goes down by one."""
    pack_id = create_paid_pack(page, "Phone tea " + "x" * 60)
    page.goto(f"/admin/packs/{pack_id}/link")
    share_url = page.locator("a[href*='/mall/packs/']").first.get_attribute("href")
    assert share_url and share_url.endswith(f"/mall/packs/{pack_id}")
    phone = chromium.new_context(
        viewport={"width": 375, "height": 740}, base_url=served.url, is_mobile=True
    )
    buyer = phone.new_page()
    buyer.goto(f"/mall/packs/{pack_id}")
    expect(buyer.locator(".price")).to_contain_text("USD 9.90")
    expect(buyer.locator(".contents")).to_contain_text("1 × Member 10% off")
    expect(buyer.locator("[data-stock]")).to_have_text("5")
    no_sideways_scroll(buyer)
    before = len(re.findall("one-time code for", served.log_path.read_text(errors="replace")))
    # the keyboard reaches the phone number, then the button, in that order
    buyer.get_by_label("Your phone number").focus()
    buyer.keyboard.type("+15550100001")
    buyer.keyboard.press("Tab")
    expect(buyer.get_by_role("button", name="Send me a code")).to_be_focused()
    buyer.keyboard.press("Enter")
    expect(buyer.get_by_text("We sent a 6-digit code")).to_be_visible()
    expect(buyer.get_by_label("Code from the message")).to_be_focused()
    buyer.get_by_label("Code from the message").fill("000000")
    buyer.get_by_role("button", name=re.compile("Buy for USD 9.90")).click()
    expect(buyer.locator("#code-error")).to_contain_text("not the code we sent")
    code = code_from_log(served, "+15550100001", before)
    buyer.get_by_label("Code from the message").fill(code)
    buyer.get_by_role("button", name=re.compile("Buy for USD 9.90")).click()
    expect(buyer.get_by_role("heading", name="Bought: the coupons are yours")).to_be_visible()
    expect(buyer.locator("[data-stock]")).to_have_text("4")
    no_sideways_scroll(buyer)
    phone.close()


def test_bad_input_is_refused_in_words_in_the_browser(page: Page) -> None:
    """The pack form posted with the browser's own checks off: every refusal in words."""
    page.goto("/admin/packs/new")
    page.evaluate("document.querySelectorAll('form').forEach(f => f.noValidate = true)")
    fill_paid_pack(page, "", "abc")
    page.evaluate("document.querySelectorAll('form').forEach(f => f.noValidate = true)")
    page.fill("input[name=limit_total]", "1")
    page.fill("input[name=limit_daily]", "3")
    page.click("button:has-text('Create and publish')")
    expect(page.locator(".error-summary, .form-error, [role=alert]").first).to_be_visible()
    text = page.locator("main").inner_text()
    assert DEVELOPER_WORDS.search(text) is None, text
    for path, status in (
        ("/admin/packs?page=0", 400),
        ("/admin/packs/abc", 404),
        ("/mall/packs/-1", 404),
        ("/media/images/abc", 404),
    ):
        response = page.goto(path)
        assert response is not None and response.status == status, path
        assert response.headers["content-type"].startswith("text/html"), path
        body = page.locator("body").inner_text()
        assert DEVELOPER_WORDS.search(body) is None, (path, body)
    page.goto("/admin/promotions/new?type=percent_off")
    page.evaluate("document.querySelectorAll('form').forEach(f => f.noValidate = true)")
    page.fill("input[name=percent]", "150")
    page.click("button:has-text('Save')")
    text = page.locator("main").inner_text()
    assert "Name" in text and DEVELOPER_WORDS.search(text) is None, text


def test_sort_filter_select_and_export(page: Page) -> None:
    create_paid_pack(page, "Zebra pack", "3.00")
    create_paid_pack(page, "Aardvark" + "y" * 120, "30.00")  # 128 characters
    page.goto("/admin/packs")
    page.get_by_role("link", name="Name").click()
    first = page.locator("#pack-list tbody tr").first
    expect(first).to_have_attribute("data-pack", re.compile("^Aardvark"))
    expect(page.locator("th[aria-sort=ascending]")).to_have_text(re.compile("Name"))
    width = page.evaluate("document.getElementById('pack-list').scrollWidth")
    assert width <= 1280, width  # a 128-character name wraps
    page.fill("input[name=name]", "zebra")
    page.click("button:has-text('Filter')")
    expect(page.locator("#pack-list tbody tr")).to_have_count(1)
    page.check("input[name=pack]")
    with page.expect_download() as download:
        page.click("button:has-text('Export as CSV')")
    assert "Zebra pack" in download.value.path().read_text(encoding="utf-8-sig")
    page.once("dialog", lambda dialog: dialog.accept())
    page.check("input[name=pack]")
    page.click("#bulk-form button:has-text('Archive')")
    expect(page.locator(".notice")).to_contain_text("1 coupon pack(s) archived: Zebra pack")


def test_the_menu_and_pickers_at_768_px(chromium: Browser, served: ServedBackOffice) -> None:
    """At a tablet's 768 px every menu entry is on screen; items are found by typing; leaving
    the execution order with changes unsaved asks first."""
    context = chromium.new_context(viewport={"width": 768, "height": 1000}, base_url=served.url)
    tab = context.new_page()
    tab.goto("/admin/sign-in")
    sign_in(tab)
    tab.wait_for_url("**/admin/packs")
    for name in ("Coupon packs", "Promotions", "Coupons", "Execution order", "Stores"):
        link = tab.get_by_role("navigation", name="Main menu").get_by_role("link", name=name)
        expect(link).to_be_in_viewport()
    tab.get_by_role("link", name="Stores").click()
    expect(tab).to_have_url(re.compile("/admin/stores$"))
    tab.goto("/admin/promotions/new?type=special_price")
    tab.get_by_placeholder("Type to find").first.fill("latt")
    options = tab.locator(".picker-options label:visible")
    expect(options).to_have_count(1)
    options.first.locator("input").check()
    expect(tab.locator(".picker-chosen").first).to_have_text("Chosen: Latte")
    tab.goto("/admin/execution-order")
    tab.locator("[data-move=down]").first.click()
    asked: list[str] = []

    def answer(dialog: Dialog) -> None:
        asked.append(dialog.type)
        dialog.dismiss()

    tab.on("dialog", answer)
    tab.get_by_role("link", name="Coupon packs").click()
    tab.wait_for_timeout(300)
    assert asked == ["beforeunload"]
    expect(tab).to_have_url(re.compile("/admin/execution-order$"))
    context.close()
