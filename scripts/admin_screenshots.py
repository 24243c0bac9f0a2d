"""Render the admin pages (pack list, create form, details, execution order, promotions,
an error page, the item picker, the menu at 768 px, anomalies, tills, members) and the
share page on a 375 px phone into PNGs.

    python scripts/admin_screenshots.py docs/screenshots

A throw-away back office (SQLite, demo chain, a few packs with records) is served by
`pos-backoffice serve` and photographed by headless Chromium at 1280 px, plus the pack
list at a tablet's 820 px.
"""

from __future__ import annotations

import sys
import tempfile
from datetime import UTC, date, datetime, timedelta
from pathlib import Path

import requests
from playwright.sync_api import Page, sync_playwright
from sqlalchemy import update

sys.path.insert(0, str(Path(__file__).resolve().parent.parent))

from backoffice.chain.demo_chain import load_chain
from backoffice.chain.organisations import OrganisationInput, create_organisation
from backoffice.database import Database
from backoffice.models.trust import Device
from backoffice.packs.gifting import gift_pack
from backoffice.packs.lifecycle import create_pack
from backoffice.packs.pack_refund import refund_purchase
from backoffice.packs.purchase import PurchaseRequest, purchase_pack
from tests.helpers.chromium import launch_chromium
from tests.helpers.held_sales import enrolled_headers, send_held_sales
from tests.helpers.live_admin import (
    ADMIN_EMAIL,
    ADMIN_PASSWORD,
    ServedBackOffice,
    prepare_admin_database,
)

STORES = [("HARBOUR-1", "Harbour Café", "3 Quay Road"), ("HARBOUR-2", "Harbour Kiosk", "Pier 2")]


def _entry(coupon: str, quantity: int, days: int) -> dict[str, object]:
    return {
        "coupon_code": coupon,
        "quantity": quantity,
        "effective": "immediate",
        "validity_days": days,
    }


def seed(database_url: str) -> int:
    """A few packs in every state, with gifts and purchases; returns the paid pack's id."""
    now = datetime.now(UTC)
    today = now.date()
    database = Database(database_url)
    paid = {
        "type": "paid",
        "name": "Milk tea lover's pack",
        "description": "Two drinks vouchers a month",
        "content": [_entry("CV-5", 2, 30), _entry("MD-10", 1, 60)],
        "channels": ["mall", "with_order"],
        "sales_period": {
            "first_day": str(today - timedelta(days=10)),
            "last_day": str(today + timedelta(days=50)),
        },
        "price": "9.90",
        "inventory": 200,
        "stores": ["DEMO-1"],
        "auto_refund": True,
        "redirect_url": "https://example.com/thanks",
        "limits": {"total": 3, "daily": 1},
    }
    try:
        with database.sessions.begin() as session:
            for store_id, name, address in STORES:
                store = {"id": store_id, "name": name, "address": address, "currency": "USD"}
                load_chain(session, {"store": store}, now)
            everywhere = OrganisationInput("Harbour district", [s[0] for s in STORES])
            create_organisation(session, everywhere, now)
            weekly = create_pack(
                session,
                {
                    "type": "campaign",
                    "name": "Weekly treats",
                    "content": [_entry("MV-4", 1, 7)],
                    "distribution": {"method": "recurring", "period": "weekly", "cycles": 8},
                },
                now=now,
                actor="admin:" + ADMIN_EMAIL,
            )
            pack = create_pack(session, paid, now=now, actor="admin:" + ADMIN_EMAIL)
            create_pack(
                session,
                paid
                | {
                    "name": "Summer pack",
                    "sales_period": {
                        "first_day": str(date(today.year + 1, 6, 1)),
                        "last_day": str(date(today.year + 1, 8, 31)),
                    },
                },
                now=now,
                actor="admin:" + ADMIN_EMAIL,
            )
            create_pack(
                session, paid | {"name": "Launch week pack", "inventory": 1}, now=now, actor="cli"
            )
            gift_pack(
                session,
                weekly.id,
                phone="+15550100001",
                quantity=2,
                now=now,
                actor="admin:" + ADMIN_EMAIL,
            )
            gift_pack(
                session,
                pack.id,
                phone="+15550100002",
                quantity=1,
                now=now,
                actor="admin:" + ADMIN_EMAIL,
            )
            for member in ("M-1001", "M-1002"):
                request = PurchaseRequest(pack.id, "mall", "DEMO-1", member_id=member)
                bought = purchase_pack(session, request, now=now, actor="mall:app")
            refund_purchase(  # the last one: Grace changed her mind
                session,
                bought.purchase.id,
                note="Bought by mistake",
                now=now,
                actor="admin:" + ADMIN_EMAIL,
            )
            sold_out = PurchaseRequest(pack.id + 2, "mall", "DEMO-1", member_id="M-1001")
            purchase_pack(session, sold_out, now=now, actor="mall:app")
            return pack.id
    finally:
        database.dispose()


def report_fleet(office: ServedBackOffice, database_url: str) -> None:
    """Three more tills ping with their reports; one has been silent for three hours."""
    for name, version, depth, parked in (
        ("Drive-through", "0.2.0", 0, 0),
        ("Terrace", "0.2.0", 14, 1),
        ("Back bar", "0.1.9", 3, 0),
    ):
        _, headers = enrolled_headers(office, name)
        report = {
            "software_version": version,
            "outbox_depth": str(depth),
            "parked_events": str(parked),
        }
        requests.get(f"{office.url}/api/v1/ping", params=report, headers=headers, timeout=10)
    database = Database(database_url)
    try:
        with database.sessions.begin() as session:
            session.execute(
                update(Device)
                .where(Device.name == "Back bar")
                .values(last_seen_at=datetime.now(UTC) - timedelta(hours=3))
            )
    finally:
        database.dispose()


def shoot(page: Page, url: str, path: Path) -> None:
    page.goto(url)
    page.screenshot(path=str(path), full_page=True)
    print(f"wrote {path}")


def main(out: Path) -> int:
    out.mkdir(parents=True, exist_ok=True)
    with tempfile.TemporaryDirectory() as tmp:
        url = f"sqlite:///{Path(tmp) / 'backoffice.sqlite3'}"
        prepare_admin_database(url)
        pack_id = seed(url)
        with (
            ServedBackOffice(url, Path(tmp) / "serve.log") as office,
            sync_playwright() as playwright,
        ):
            browser = launch_chromium(playwright)
            page = browser.new_page(viewport={"width": 1280, "height": 800})
            page.goto(f"{office.url}/admin/sign-in")
            page.fill("input[name=email]", ADMIN_EMAIL)
            page.fill("input[name=password]", ADMIN_PASSWORD)
            page.click("button[type=submit]")
            page.wait_for_url("**/admin/packs")
            shoot(page, f"{office.url}/admin/packs", out / "admin-packs-list.png")
            page.goto(f"{office.url}/admin/packs/new")
            page.check("input[name=type][value=paid]")
            page.fill("input[name=name]", "Milk tea lover's pack")
            page.screenshot(path=str(out / "admin-pack-form.png"), full_page=True)
            print(f"wrote {out / 'admin-pack-form.png'}")
            shoot(page, f"{office.url}/admin/packs/{pack_id}", out / "admin-pack-details.png")
            shoot(page, f"{office.url}/admin/execution-order", out / "admin-execution-order.png")
            shoot(
                page,
                f"{office.url}/admin/packs?sort=price&order=desc",
                out / "admin-packs-list-sorted.png",
            )
            shoot(page, f"{office.url}/admin/promotions?sort=name", out / "admin-promotions.png")
            shoot(page, f"{office.url}/admin/packs?page=0", out / "admin-error-page.png")
            page.goto(f"{office.url}/admin/promotions/new?type=special_price")
            page.get_by_placeholder("Type to find").first.fill("te")
            page.screenshot(path=str(out / "admin-item-picker.png"), full_page=True)
            print(f"wrote {out / 'admin-item-picker.png'}")
            send_held_sales(office, "Front counter", 141)
            shoot(page, f"{office.url}/admin/anomalies", out / "admin-anomalies.png")
            report_fleet(office, url)
            shoot(page, f"{office.url}/admin/tills", out / "admin-tills.png")
            shoot(page, f"{office.url}/admin/members", out / "admin-members.png")
            shoot(page, f"{office.url}/admin/members/M-1002", out / "admin-member.png")
            page.set_viewport_size({"width": 820, "height": 1100})
            shoot(page, f"{office.url}/admin/packs", out / "admin-packs-list-tablet.png")
            page.set_viewport_size({"width": 768, "height": 1000})
            shoot(page, f"{office.url}/admin/stores", out / "admin-menu-768.png")
            phone = browser.new_page(viewport={"width": 375, "height": 740}, is_mobile=True)
            shoot(phone, f"{office.url}/mall/packs/{pack_id}", out / "share-page-375.png")
            phone.get_by_label("Your phone number").fill("+15550100002")
            phone.get_by_role("button", name="Send me a code").click()
            phone.get_by_label("Code from the message").wait_for()
            phone.screenshot(path=str(out / "share-page-code-375.png"), full_page=True)
            print(f"wrote {out / 'share-page-code-375.png'}")
            browser.close()
    return 0


if __name__ == "__main__":
    sys.exit(main(Path(sys.argv[1] if len(sys.argv) > 1 else "docs/screenshots")))
