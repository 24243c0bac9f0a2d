"""Render the till's main screens offscreen into PNG files (the README's pictures).

    python scripts/till_screenshots.py docs/screenshots      (make screenshots)

A throwaway copy of the demo store with a demo manager (Grace, PIN 2468), member
coupons for Ada Lovelace (a welcome pack's, one not valid yet, and one not from a
pack), a coupon pack sold with orders (the tea lover's pack, with this till's quota and
a block of codes, as a sync would bring them), and two conflicts (a coupon redeemed
twice, a pack sold past a member's limit), so every screen has something to show. The
till is not enrolled: offline, as a pack sale must work.

A developer's tool, not part of the installed till (it fakes a demo day); it drives the
window as a cashier would, through the panels' public widgets.
"""

from __future__ import annotations

import os
import sys
import tempfile
from collections.abc import Callable
from datetime import datetime
from pathlib import Path
from typing import TextIO

from PySide6.QtGui import QColor, QPainter
from PySide6.QtWidgets import QWidget

from pos_app.cli.window import open_till_app
from pos_app.engine import (
    AddItem,
    AdjustPrice,
    ApplyDiscount,
    Close,
    Present,
    Redeem,
    RemoveLine,
    SellPack,
    TriggerPromotion,
)
from pos_app.protocol.events import EventType
from pos_app.protocol.pack_codes import block_prefix
from pos_app.protocol.pack_supplies import Allotment, CodeBlock, PackSupplies
from pos_app.protocol.records import RECORD_VERSION
from pos_app.store.database import database_path
from pos_app.store.store_document import store_document_records
from pos_app.store.till_file import TillFileError
from pos_app.till.clock import aware
from pos_app.till.commands import (
    ClearPayments,
    OverrideAutoExecute,
    PayCash,
    SetPermission,
    VoidTicket,
)
from pos_app.till.manager import GUARDED_ACTIONS, Actor
from pos_app.till.runtime import TillRuntime
from pos_app.till.shift_commands import AttachMember, ParkTicket
from pos_app.ui.app import TillApp, ensure_application
from pos_app.ui.driver import settle, wait_for
from pos_app.ui.file_refusal import FileRefusalWindow
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
    {
        "code": "MV-ADA-3",
        "member_id": "M-1001",
        "coupon_code": "MV-4",
        "status": "active",
        "valid_from": "2026-12-01",
    }
    | WELCOME_PACK,
]
TEA_PACK_ID = "12"
TEA_PACK = {
    "id": TEA_PACK_ID,
    "name": "Tea lover's pack",
    "price": "10.00",
    "time_zone": "UTC",
    "channels": ["with_order", "mall"],
    "sales_period": {"first_day": "2026-11-01", "last_day": "2026-12-31"},
    "stores": ["DEMO-1"],
    "inventory": 500,
    "limits": {"daily": 1},
    "content": [
        {"coupon_code": "MV-4", "quantity": 2, "effective": "immediate", "validity_days": 30},
        {
            "coupon_code": "MD-10",
            "quantity": 1,
            "effective": "after_days",
            "delay": 1,
            "validity_days": 14,
        },
    ],
}
DEMO_BLOCK = 4711


def demo_clock() -> datetime:
    return aware(SHOT_TIME)


def prepare_demo(runtime: TillRuntime) -> None:
    """Give a demo data directory (opened at :func:`demo_clock`) a manager, member
    coupons and one open conflict."""
    runtime.access.set_pin(*DEMO_MANAGER, by=None)
    manager = Actor(runtime.access.verify_pin(*DEMO_MANAGER))
    for action in GUARDED_ACTIONS:  # the demo store's manager trusts its cashiers
        runtime.till.handle(SetPermission(action, True), manager)
    runtime.access.end_session(manager.manager)
    runtime.sync_store.apply_changes_page(
        store_document_records({"entitlements": DEMO_ENTITLEMENTS}), None
    )
    till = runtime.new_till()
    for command in (AddItem(None, "BURGER"), Redeem("MV-ADA-1"), PayCash("10.00"), Close()):
        till.handle(command)
    (event,) = runtime.sync_store.pending_events(1)
    runtime.sync_store.record_outcome(
        str(event["idempotency_key"]),
        "conflict",
        "COUPON_ALREADY_REDEEMED: Member voucher 4.00 was already redeemed at another store"
        " on 2026-11-21 11:05 UTC",
    )
    stock_tea_pack(runtime)
    till = runtime.new_till()
    till.handle(SellPack(TEA_PACK_ID, member_id="M-1002"))
    till.handle(PayCash("10.00"))
    till.handle(Close())
    for pending in runtime.sync_store.pending_events(10):
        sold = pending["type"] == EventType.PACK_SOLD
        runtime.sync_store.record_outcome(
            str(pending["idempotency_key"]),
            "conflict" if sold else "accepted",
            "PACK_LIMIT_EXCEEDED" if sold else None,
        )


def stock_tea_pack(runtime: TillRuntime) -> None:
    """The tea lover's pack, five units of it and a block of codes, as a sync brings them."""
    record = {
        "kind": "pack",
        "version": RECORD_VERSION,
        "id": TEA_PACK_ID,
        "deleted": False,
        "data": TEA_PACK,
    }
    runtime.sync_store.apply_changes_page([record], None)
    runtime.sync_store.apply_pack_supplies(
        PackSupplies(
            allotments=[Allotment(pack_id=TEA_PACK_ID, granted=5)],
            code_blocks=[
                CodeBlock(prefix=block_prefix(DEMO_BLOCK), size=1000, reserved_at=demo_clock())
            ],
        )
    )


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

    def shoot_over(self, window: QWidget, dialog: QWidget, name: str) -> None:
        """``window`` with ``dialog`` drawn over its middle, as the cashier sees them (a
        dialog is a window of its own: grabbing the main window leaves it out)."""
        self.settle()
        picture = window.grab()
        shown = dialog.grab()
        painter = QPainter(picture)
        painter.fillRect(picture.rect(), QColor(0, 0, 0, 90))  # the window behind, dimmed
        x, y = (picture.width() - shown.width()) // 2, (picture.height() - shown.height()) // 2
        painter.drawPixmap(x, y, shown)
        painter.setPen(QColor(90, 90, 90))
        painter.drawRect(x - 1, y - 1, shown.width() + 1, shown.height() + 1)
        painter.end()
        path = self.out_dir / f"{name}.png"
        if not picture.save(str(path)):
            raise RuntimeError(f"{path}: could not write the screenshot")
        self.files.append(path)
        print(f"wrote {path}", file=self.out)

    def tap(self, sku: str, times: int = 1) -> None:
        for _ in range(times):
            self.app.window.ring_up.products.show_product(sku).click()
            self.settle()

    def do(self, action: Callable[[], None]) -> None:
        action()
        self.settle()


def render_screenshots(out_dir: Path, till_app: TillApp, out: TextIO | None = None) -> list[Path]:
    """Render the screens of ``till_app`` (a demo store given :func:`prepare_demo`) into
    ``out_dir``; returns the files written."""
    out = out or sys.stdout
    out_dir.mkdir(parents=True, exist_ok=True)
    shooter = _Shooter(till_app, out_dir, out)
    _shoot_all(shooter)
    return shooter.files


def _shoot_all(s: _Shooter) -> None:
    window, c = s.app.window, s.app.controllers.ticket
    window.resize(1920, 1080)
    window.show()
    wait_for(lambda: c.change is not None and c.book is not None, "the ticket")
    s.settle()

    # A ticket with every kind of badge.
    for sku in ("BURGER", "FRIES", "COLA", "LATTE", "COOKIE", "SALAD", "TEA", "LEMONADE"):
        s.tap(sku)
    window.ring_up.numpad.type_text("2")
    s.tap("CAKE")
    line_of = {line.sku: line.line_id for line in c.change.priced.lines} if c.change else {}
    s.do(lambda: c.do(Present(line_of["TEA"])))
    s.do(lambda: c.do(AdjustPrice(line_of["LEMONADE"], "2.50")))
    s.do(lambda: c.do(ApplyDiscount(None, percent="10", line_id=line_of["SALAD"])))
    s.do(lambda: c.do(Redeem("CV-5")))
    s.do(lambda: c.do(TriggerPromotion("DESSERT-10")))
    s.do(lambda: c.select(line_of["SALAD"]))
    s.shoot(window, "main-1920x1080")

    window.ring_up.open_why()
    s.app.window.ring_up.why.resize(760, 420)
    s.shoot(window.ring_up.why, "why-this-price")
    window.ring_up.why.accept()

    _shoot_1024(s)

    # A refusal with the rule's message: a presented line, then a coupon for it.
    s.tap("BURGER")
    s.do(lambda: c.do_on_line(Present))
    s.do(lambda: c.do(Redeem("GP-BURGER")))
    window.resize(1024, 768)
    s.shoot(window, "main-1024x768-refusal")
    s.do(lambda: c.do_on_line(RemoveLine))

    window.members.open_member_lookup()
    window.members.member_lookup.resize(960, 620)
    window.members.member_lookup.numpad.type_text("0100001")
    window.members.member_lookup.find_member()
    s.settle()
    s.shoot(window.members.member_lookup, "member-lookup")
    window.members.member_lookup.accept()

    s.do(lambda: c.do(AttachMember("M-1001")))
    window.sale.open_checkout()
    window.sale.checkout.resize(960, 640)
    window.sale.checkout.numpad.type_text("20")
    s.do(window.sale.checkout.card.click)
    window.sale.checkout.numpad.type_text("50")
    s.do(window.sale.checkout.cash.click)
    s.shoot(window.sale.checkout, "checkout-split")
    s.do(window.sale.checkout.close_sale.click)
    window.sale.receipt_preview.resize(620, 1000)
    s.shoot(window.sale.receipt_preview, "receipt-preview")
    s.shoot(window.sale.receipt_preview, "receipt-taxes-and-names")
    sold = window.sale.receipt_preview.receipt
    window.sale.receipt_preview.accept()

    _shoot_pack_sale(s)

    pin = window.manager.open_pin_dialog()
    pin.pin.type_pin("24")
    s.shoot(pin, "manager-pin")
    pin.pin.type_pin(DEMO_MANAGER[1][2:])
    s.do(pin.pin.submit)
    wait_for(window.manager.manager_mode.isVisible, "manager mode")
    mode = window.manager.manager_mode
    mode.resize(1000, 700)
    s.do(lambda: c.do(OverrideAutoExecute("DESSERT-10", True)))
    view = mode.execution_order
    view.ensureWidgetVisible(view.switches["GIFT-30"])
    s.shoot(mode, "manager-execution-order")
    mode.show_tab(mode.conflicts)
    s.shoot(mode, "manager-conflicts")
    conflicts = mode.conflicts
    for conflict in conflicts.conflicts:
        if conflict.event_type == EventType.PACK_SOLD:
            conflicts.ensureWidgetVisible(conflicts.buttons[(conflict.conflict_key, "refunded")])
            s.shoot(mode, "manager-pack-conflict")
    mode.show_tab(mode.permissions)
    s.shoot(mode, "manager-permissions")
    mode.show_tab(mode.printer)
    printer = mode.printer
    printer.kind.setCurrentIndex(printer.kind.findData("network"))
    printer.host.setText("192.168.1.50")
    printer.open_drawer.setChecked(True)
    s.shoot(mode, "manager-printer")
    mode.show_tab(mode.tools)
    s.shoot(mode, "manager-tools")
    connect = window.manager.connect_dialog
    connect.start()
    connect.address.setText("http://127.0.0.1:9")  # nothing answers there
    connect.code.setText("K7Q2-9XHD")
    s.do(connect.connect_button.click)
    s.shoot(connect, "connect-back-office")
    connect.reject()
    mode.accept()
    s.do(s.app.controllers.manager.exit_manager_mode)
    _shoot_shift(s, sold.number if sold is not None else "")
    _shoot_redemption_warning(s)


def _shoot_shift(s: _Shooter, sold: str) -> None:
    """Held tickets, a return, the on-screen keyboard and the Z report."""
    window, c = s.app.window, s.app.controllers.ticket
    window.resize(1024, 768)
    for skus in (("LATTE", "COOKIE"), ("BURGER", "FRIES", "COLA")):
        for sku in skus:
            s.tap(sku)
        s.do(lambda: c.do(ParkTicket()))
    s.tap("SALAD")
    window.shift.open_held_tickets()
    s.settle()
    window.shift.held_tickets.resize(640, 420)
    s.shoot(window.shift.held_tickets, "held-tickets")
    window.shift.held_tickets.accept()

    touch = window.touch
    if touch is not None:
        keyboard = touch.open_for(window.counter.coupon_entry.field)
        keyboard.keyboard.type_text("TP-3")
        s.shoot(keyboard, "on-screen-keyboard")
        keyboard.reject()

    window.shift.open_returns()
    window.shift.return_dialog.number.setText(sold)
    s.do(window.shift.return_dialog.find_sale)
    window.shift.return_dialog.resize(820, 560)
    sale = window.shift.return_dialog.sale
    if sale is not None:
        window.shift.return_dialog.change_qty(sale.lines[0].line_id, 1)
    s.shoot(window.shift.return_dialog, "return")
    s.do(window.shift.return_dialog.refund.click)
    window.sale.receipt_preview.resize(620, 760)
    s.shoot(window.sale.receipt_preview, "return-slip")
    window.sale.receipt_preview.accept()

    s.do(lambda: c.do(VoidTicket("Rung up by mistake")))
    window.shift.open_day_report()
    s.settle()
    window.shift.report.numpad.type_text("50")
    s.do(window.shift.report.close_day.click)
    s.do(window.shift.report.confirm_close.click)
    window.shift.report.resize(900, 720)
    s.shoot(window.shift.report, "z-report")
    window.shift.report.accept()


HALF_PRICE_BURGER = {
    "id": "BURGER-HALF",
    "name": "Burger half price",
    "type": "percent_off",
    "sequence": 20,
    "auto_execute": True,
    "percent": "50",
    "items": ["BURGER"],
}
GROUP_PURCHASE_FIVE = {
    "code": "GP-BURGER-5",
    "name": "Group purchase: a burger for 5.00",
    "kind": "group_purchase",
    "sequence": 9,
    "items": ["BURGER"],
    "face_value": "5.00",
}


def _shoot_redemption_warning(s: _Shooter) -> None:
    """Last (the promotion it adds changes no earlier picture): a burger at half price,
    and a 5.00 group purchase scanned for it asks first, since the bill goes up (R7)."""
    window, c = s.app.window, s.app.controllers.ticket
    doc = {"promotions": [HALF_PRICE_BURGER], "coupons": [GROUP_PURCHASE_FIVE]}
    s.app.runtime.sync_store.apply_changes_page(store_document_records(doc), None)
    s.do(c.reload_configuration)
    window.resize(1024, 768)
    s.tap("BURGER")
    field = window.counter.coupon_entry.field
    field.setText("GP-BURGER-5")
    s.do(window.counter.coupon_entry.submit)
    dialog = window.counter.warning
    if dialog is None:
        raise RuntimeError("the coupon that raises the bill did not ask first")
    s.shoot_over(window, dialog, "redemption-warning-1024x768")
    dialog.reject()


def _shoot_1024(s: _Shooter) -> None:
    """At 1024×768: the totals once a payment is recorded, the Promotions dialog by
    name, and Find item with its finger-high keys."""
    window, c = s.app.window, s.app.controllers.ticket
    window.resize(1024, 768)
    s.do(lambda: c.do(PayCash("20.00")))
    s.shoot(window, "main-1024x768-paid")
    s.do(lambda: c.do(ClearPayments()))
    window.ring_up.open_promotions()
    s.settle()
    s.shoot(window.ring_up.promotions, "promotions")
    window.ring_up.promotions.accept()
    window.ring_up.item_search.start(c.book)
    window.ring_up.item_search.keyboard.type_text("co")
    s.shoot(window.ring_up.item_search, "find-item")
    window.ring_up.item_search.accept()
    window.resize(1920, 1080)


def _find_ada(s: _Shooter) -> None:
    """Member lookup by the end of Ada's number, then "Add to ticket": her wallet."""
    window = s.app.window
    window.members.open_member_lookup()
    window.members.member_lookup.numpad.clear()
    window.members.member_lookup.numpad.type_text("0100001")
    window.members.member_lookup.find_member()
    s.settle()
    s.do(window.members.member_lookup.attach_buttons["M-1001"].click)
    wait_for(window.members.wallet.isVisible, "the wallet")


def _shoot_pack_sale(s: _Shooter) -> None:
    """A coupon pack sold with an order from the member's wallet, its receipt with the
    coupons, and one coupon redeemed from the wallet on the next ticket, offline."""
    window = s.app.window
    window.resize(1280, 800)
    for sku in ("BURGER", "LATTE"):
        s.tap(sku)
    _find_ada(s)
    window.members.wallet.resize(1100, 720)
    s.shoot(window.members.wallet, "wallet-sell-pack")
    s.do(window.members.wallet.sell_buttons[TEA_PACK_ID].click)
    window.members.wallet.accept()
    s.shoot(window, "pack-on-ticket")
    window.sale.open_checkout()
    s.do(window.sale.checkout.cash.click)
    s.do(window.sale.checkout.close_sale.click)
    window.sale.receipt_preview.resize(620, 1000)
    s.shoot(window.sale.receipt_preview, "pack-receipt")
    receipt = window.sale.receipt_preview.receipt
    window.sale.receipt_preview.accept()

    s.tap("LATTE")
    _find_ada(s)
    window.members.wallet.resize(1100, 720)
    s.shoot(window.members.wallet, "wallet-next-ticket")
    if receipt is not None and receipt.packs:
        s.do(window.members.wallet.redeem_buttons[receipt.packs[0].coupons[0].code].click)
    window.members.wallet.accept()
    s.shoot(window, "pack-coupon-redeemed")
    window.sale.open_checkout()
    s.do(window.sale.checkout.cash.click)
    s.do(window.sale.checkout.close_sale.click)
    window.sale.receipt_preview.accept()

    if receipt is not None:  # the pack's ticket at the return screen: Refund pack
        window.shift.open_returns()
        window.shift.return_dialog.number.setText(receipt.number)
        s.do(window.shift.return_dialog.find_sale)
        window.shift.return_dialog.resize(820, 560)
        s.shoot(window.shift.return_dialog, "return-pack")
        window.shift.return_dialog.reject()


def render_demo(folder: Path) -> list[Path]:
    """Every screen rendered offscreen into ``folder``, from a throwaway demo store
    (nothing touches a real till's data); returns the files written."""
    ensure_application(offscreen_if_headless=True)
    with tempfile.TemporaryDirectory(prefix="pos-app-shots-") as scratch:
        data_dir = Path(scratch) / "till"
        runtime = open_till(data_dir, clock=demo_clock)
        try:
            prepare_demo(runtime)
        finally:
            runtime.close()
        till_app = open_till_app(data_dir, clock=demo_clock, start_sync=False)
        try:
            return render_screenshots(folder, till_app)
        finally:
            till_app.close()


def render_file_refusal(folder: Path, out: TextIO | None = None) -> Path:
    """The till's refusal of a missing database at 1024x768: a throwaway till sells
    once, its database is deleted, and the till is started again."""
    out = out or sys.stdout
    ensure_application(offscreen_if_headless=True)
    with tempfile.TemporaryDirectory(prefix="pos-app-shots-") as scratch:
        data_dir = Path(scratch) / "till"
        runtime = open_till(data_dir, clock=demo_clock)
        try:
            runtime.till.handle(AddItem(None, "TEA"))
            runtime.till.handle(PayCash("10.00"))
            runtime.till.handle(Close())
        finally:
            runtime.close()
        for suffix in ("", "-wal", "-shm"):
            Path(f"{database_path(data_dir)}{suffix}").unlink(missing_ok=True)
        try:
            open_till_app(data_dir, clock=demo_clock, start_sync=False).close()
        except TillFileError as refused:
            error = TillFileError(
                refused.path, str(refused).replace(str(data_dir), "/var/lib/pos-app")
            )
        else:
            raise RuntimeError("the till opened without its database")
        window = FileRefusalWindow(error)
        window.resize(1024, 768)
        window.show()
        settle()
        folder.mkdir(parents=True, exist_ok=True)
        path = folder / "till-missing-database.png"
        if not window.grab().save(str(path)):
            raise RuntimeError(f"{path}: could not write the screenshot")
        window.close()
    print(f"wrote {path}", file=out)
    return path


def main(argv: list[str] | None = None) -> int:
    """``till_screenshots.py [DIR]`` (default docs/screenshots): 0 once written."""
    args = sys.argv[1:] if argv is None else argv
    folder = Path(args[0] if args else "docs/screenshots")
    render_demo(folder)
    render_file_refusal(folder)
    return 0


if __name__ == "__main__":
    os.environ.setdefault("QT_QPA_PLATFORM", "offscreen")
    sys.exit(main())
