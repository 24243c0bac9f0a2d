"""``pos-app screenshots DIR``: render the till's main screens offscreen into PNG files
(the README's pictures; ``make screenshots``).

Works on a throwaway copy of the demo store with a demo manager (Grace, PIN 2468),
member coupons for Ada Lovelace (a welcome pack's, and one not from a pack), and one
conflict, so every screen has something to show. Nothing here touches a real till's
data.
"""

from __future__ import annotations

import os
import sys
import tempfile
from collections.abc import Callable
from datetime import datetime
from pathlib import Path
from typing import TextIO

from PySide6.QtWidgets import QWidget

from pos_app.store.store_document import store_document_records
from pos_app.till.manager import ManagerAccess
from pos_app.till.till import aware
from pos_app.ui.app import TillApp, ensure_application, open_till_app
from pos_app.ui.driver import settle, wait_for
from pos_app.wiring import open_till

DEMO_MANAGER = ("Grace", "2468")
SHOT_TIME = datetime(2026, 11, 21, 12, 30)
WELCOME_PACK = {"pack_id": "7", "pack_name": "Welcome pack"}
DEMO_ENTITLEMENTS = [
    {"code": "MV-ADA-1", "member_id": "M-1001", "coupon_code": "MV-4", "status": "active"}
    | WELCOME_PACK,
    {"code": "MV-ADA-2", "member_id": "M-1001", "coupon_code": "MV-4", "status": "active"}
    | WELCOME_PACK,
    {
        "code": "MD-ADA-1",
        "member_id": "M-1001",
        "coupon_code": "MD-10",
        "status": "active",
        "valid_to": "2026-12-31",
    },
    {"code": "MV-ADA-0", "member_id": "M-1001", "coupon_code": "MV-4", "status": "redeemed"}
    | WELCOME_PACK,
]


def demo_clock() -> datetime:
    return aware(SHOT_TIME)


def prepare_demo(data_dir: Path) -> None:
    """A demo data directory with a manager, member coupons and one open conflict."""
    runtime = open_till(data_dir, clock=demo_clock)
    try:
        ManagerAccess(runtime.sessions, demo_clock).set_pin(*DEMO_MANAGER, by=None)
        runtime.sync_store.apply_changes_page(
            store_document_records({"entitlements": DEMO_ENTITLEMENTS}), None
        )
        till = runtime.new_till()
        till.add_item("L1", "BURGER")
        till.redeem_coupon("MV-ADA-1")
        till.pay_cash("10.00")
        till.close()
        (event,) = runtime.sync_store.pending_events(1)
        runtime.sync_store.record_outcome(
            str(event["idempotency_key"]),
            "conflict",
            "COUPON_ALREADY_REDEEMED: MV-ADA-1 was already redeemed on ticket"
            " 7f3c-0042 at store DEMO-2",
        )
    finally:
        runtime.close()


class _Shooter:
    def __init__(self, till_app: TillApp, out_dir: Path, out: TextIO) -> None:
        self.app = till_app
        self.out_dir = out_dir
        self.out = out
        self.files: list[Path] = []

    def settle(self) -> None:
        settle(self.app.ops, self.app.print_ops)

    def shoot(self, widget: QWidget, name: str) -> None:
        self.settle()
        widget.repaint()
        path = self.out_dir / f"{name}.png"
        if not widget.grab().save(str(path)):
            raise RuntimeError(f"{path}: could not write the screenshot")
        self.files.append(path)
        print(f"wrote {path}", file=self.out)

    def tap(self, sku: str, times: int = 1) -> None:
        for _ in range(times):
            self.app.window.products.show_product(sku).click()
            self.settle()

    def do(self, action: Callable[[], None]) -> None:
        action()
        self.settle()


def render_screenshots(out_dir: Path, out: TextIO | None = None) -> list[Path]:
    """Render the screens into ``out_dir``; returns the files written."""
    out = out or sys.stdout
    os.environ.setdefault("QT_QPA_PLATFORM", "offscreen")
    ensure_application(offscreen_if_headless=True)
    out_dir.mkdir(parents=True, exist_ok=True)
    with tempfile.TemporaryDirectory(prefix="pos-app-shots-") as scratch:
        data_dir = Path(scratch) / "till"
        prepare_demo(data_dir)
        till_app = open_till_app(data_dir, clock=demo_clock, start_sync=False)
        try:
            shooter = _Shooter(till_app, out_dir, out)
            _shoot_all(shooter)
            return shooter.files
        finally:
            till_app.close()


def _shoot_all(s: _Shooter) -> None:
    window, c = s.app.window, s.app.controller
    window.resize(1920, 1080)
    window.show()
    wait_for(lambda: c.change is not None and c.book is not None, "the ticket")
    s.settle()

    # A ticket with every kind of badge.
    for sku in ("BURGER", "FRIES", "COLA", "LATTE", "COOKIE", "SALAD", "TEA", "LEMONADE"):
        s.tap(sku)
    window.numpad.type_text("2")
    s.tap("CAKE")
    line_of = {line.sku: line.line_id for line in c.change.priced.lines} if c.change else {}
    s.do(lambda: c.select(line_of["TEA"]))
    s.do(c.toggle_present)
    s.do(lambda: c.select(line_of["LEMONADE"]))
    s.do(lambda: c.adjust_price("2.50"))
    s.do(lambda: c.select(line_of["SALAD"]))
    s.do(lambda: c.apply_discount(percent="10"))
    s.do(lambda: c.redeem_coupon("CV-5"))
    s.do(lambda: c.trigger_promotion("DESSERT-10"))
    s.do(lambda: c.select(line_of["SALAD"]))
    s.shoot(window, "main-1920x1080")

    window.open_why()
    s.app.window.why.resize(760, 420)
    s.shoot(window.why, "why-this-price")
    window.why.accept()

    # A refusal with the rule's message: a presented line, then a coupon for it.
    s.tap("BURGER")
    s.do(c.toggle_present)
    s.do(lambda: c.redeem_coupon("GP-BURGER"))
    window.resize(1024, 768)
    s.shoot(window, "main-1024x768-refusal")
    s.do(c.void_line)

    window.open_member_lookup()
    window.member_lookup.resize(960, 620)
    window.member_lookup.numpad.type_text("0100001")
    window.member_lookup.find_member()
    s.settle()
    s.shoot(window.member_lookup, "member-lookup")
    window.member_lookup.accept()

    window.open_checkout()
    window.checkout.resize(960, 640)
    window.checkout.numpad.type_text("20")
    s.do(window.checkout.card.click)
    window.checkout.numpad.type_text("50")
    s.do(window.checkout.cash.click)
    s.shoot(window.checkout, "checkout-split")
    s.do(window.checkout.close_sale.click)
    window.receipt_preview.resize(620, 900)
    s.shoot(window.receipt_preview, "receipt-preview")
    window.receipt_preview.accept()

    pin = window.open_pin_dialog()
    pin.pin.type_pin("24")
    s.shoot(pin, "manager-pin")
    pin.pin.type_pin(DEMO_MANAGER[1][2:])
    s.do(pin.pin.submit)
    wait_for(window.manager_mode.isVisible, "manager mode")
    mode = window.manager_mode
    mode.resize(1000, 700)
    s.do(lambda: c.override_auto_execute("DESSERT-10", True))
    view = mode.execution_order
    view.ensureWidgetVisible(view.switches["GIFT-30"])
    s.shoot(mode, "manager-execution-order")
    mode.show_tab(mode.conflicts)
    s.shoot(mode, "manager-conflicts")
    mode.show_tab(mode.permissions)
    s.shoot(mode, "manager-permissions")
    mode.show_tab(mode.printer)
    printer = mode.printer
    printer.kind.setCurrentIndex(printer.kind.findData("network"))
    printer.host.setText("192.168.1.50")
    printer.open_drawer.setChecked(True)
    s.shoot(mode, "manager-printer")
    mode.accept()
