"""People read names, never internal ids: a demo day at the till (every kind of
discount, a member, a held ticket, a sale, a void, a return, the X and Z reports)
renders no UUID, line or discount id, SKU, promotion id, coupon definition code,
member id, engine kind or rule code on any screen text, receipt or report."""

from __future__ import annotations

import re
from collections.abc import Iterable

from PySide6.QtCore import Qt
from PySide6.QtWidgets import (
    QAbstractButton,
    QAbstractItemView,
    QLabel,
    QLineEdit,
    QPlainTextEdit,
    QWidget,
)

from pos_app.engine import (
    AddItem,
    AdjustPrice,
    ApplyDiscount,
    Close,
    Present,
    Redeem,
    SellPack,
    TriggerPromotion,
)
from pos_app.printing import preview_text
from pos_app.protocol.events import EventType
from pos_app.till.commands import PayCash
from pos_app.till.shift_commands import AttachMember, ParkTicket, RecallTicket
from pos_app.ui.main_window import MainWindow
from tests.helpers.till_packs import TEA_PACK_ID, stock_till
from tests.ui.conftest import Screen

UUID = re.compile(r"[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}")
INTERNAL = [
    re.compile(r"\bL\d+\b"),  # line ids
    re.compile(r"\bD\d+\b(?!-\d)"),  # discount ids (a ticket number starts D1-01-...)
    re.compile(r"\[?\bR\d{1,2}\b"),  # rule codes
    re.compile(r"\b(promotion|coupon|discount|present|price_adjustment):"),  # engine kinds
    re.compile(r"\b[a-z]+_[a-z_]+\b"),  # snake_case names (special_price, cash_voucher)
]


def texts_of(root: QWidget) -> list[str]:
    """Every text the till shows on ``root`` and its visible children: labels, buttons,
    field prompts, tooltips, table cells and their tooltips."""
    out: list[str] = []
    for widget in [root, *root.findChildren(QWidget)]:
        if not widget.isVisible():
            continue
        if isinstance(widget, QLabel | QAbstractButton):
            out.append(widget.text())
        elif isinstance(widget, QLineEdit):  # what was typed is the cashier's own
            out.append(widget.placeholderText())
        elif isinstance(widget, QPlainTextEdit):
            out.append(widget.toPlainText())
        if widget.toolTip():
            out.append(widget.toolTip())
        if isinstance(widget, QAbstractItemView) and widget.model() is not None:
            model = widget.model()
            for row in range(model.rowCount()):
                for column in range(model.columnCount()):
                    index = model.index(row, column)
                    for role in (Qt.ItemDataRole.DisplayRole, Qt.ItemDataRole.ToolTipRole):
                        value = index.data(role)
                        if isinstance(value, str):
                            out.append(value)
    return out


def ids_in(texts: Iterable[str], words: set[str]) -> list[tuple[str, str]]:
    found = []
    for text in texts:
        if UUID.search(text):
            found.append(("uuid", text))
        for pattern in INTERNAL:
            if pattern.search(text):
                found.append((pattern.pattern, text))
        for word in re.findall(r"[A-Za-z0-9][A-Za-z0-9_-]*", text):
            if word in words:
                found.append((word, text))
    return found


def shoot(window: MainWindow, dialogs: Iterable[QWidget]) -> list[str]:
    texts = texts_of(window)
    for dialog in dialogs:
        if dialog.isVisible():
            texts += texts_of(dialog)
    return texts


def test_a_demo_day_shows_no_internal_id(screen: Screen) -> None:
    """Collect the text of every screen and printout of a day; none holds an id."""
    window, c = screen.window, screen.ticket
    book = c.book
    assert book is not None
    words = {*book.items, *book.promotions, *book.coupons, "M-1001", "M-1002", "DEMO-1"}
    words -= {item.name for item in book.items.values()}
    seen: list[str] = []
    dialogs = [
        window.ring_up.why,
        window.shift.held_tickets,
        window.shift.return_dialog,
        window.shift.report,
    ]

    for sku in ("BURGER", "FRIES", "COLA", "SALAD", "TEA", "LEMONADE", "CAKE", "COOKIE"):
        screen.tap_product(sku)
    lines = {line.sku: line.line_id for line in c.change.priced.lines}  # type: ignore[union-attr]
    screen.do(lambda: c.do(Present(lines["TEA"])))
    screen.do(lambda: c.do(AdjustPrice(lines["LEMONADE"], "2.50")))
    screen.do(lambda: c.do(ApplyDiscount(None, percent="10", line_id=lines["SALAD"])))
    screen.do(lambda: c.do(ApplyDiscount(None, amount="1.00")))
    screen.do(lambda: c.do(TriggerPromotion("DESSERT-10")))
    screen.do(lambda: c.do(AttachMember("M-1001")))
    screen.scan("CV-5")
    seen += shoot(window, dialogs)
    for sku in lines:
        screen.select_row(lines[sku])
        screen.click(window.ring_up.line_actions.why)
        seen += shoot(window, dialogs)
        window.ring_up.why.accept()
    screen.scan("GP-BURGER")  # refused: the message names the coupon and line
    seen += shoot(window, dialogs)
    screen.do(lambda: c.do(ParkTicket()))
    screen.tap_product("WINE")
    screen.click(window.counter.held)
    seen += shoot(window, dialogs)
    (ticket_id,) = [t for t in [c.change.ticket_id] if t]  # type: ignore[union-attr]
    parked = screen.app.runtime.till.desk.parked()
    screen.do(lambda: c.do(RecallTicket(parked[0].ticket_id)))
    window.shift.held_tickets.accept()
    screen.click(window.ticket.pay)
    seen += shoot(window, [window.sale.checkout])
    screen.click(window.sale.checkout.card)
    screen.click(window.sale.checkout.close_sale)
    receipt = window.sale.receipt_preview.receipt
    assert receipt is not None
    seen += shoot(window, [window.sale.receipt_preview])
    seen.append(preview_text(receipt, 42))
    window.sale.receipt_preview.accept()

    screen.tap_product("SOUP")
    screen.click(window.ticket.void_ticket)
    seen += shoot(window, [window.shift.void_dialog])
    screen.click(window.shift.void_dialog.reasons["Rung up by mistake"])
    screen.click(window.shift.void_dialog.confirm)
    seen += shoot(window, dialogs)

    screen.click(window.counter.returns)
    screen.qtbot.keyClicks(window.shift.return_dialog.number, receipt.number)
    screen.click(window.shift.return_dialog.find_button)
    screen.click(window.shift.return_dialog.all_button)
    seen += shoot(window, dialogs)
    screen.click(window.shift.return_dialog.reasons["Wrong item"])
    screen.click(window.shift.return_dialog.refund)
    slip = window.sale.receipt_preview.receipt
    assert slip is not None
    seen.append(preview_text(slip, 42))
    seen += shoot(window, [window.sale.receipt_preview])
    window.sale.receipt_preview.accept()

    screen.click(window.counter.day)
    seen += shoot(window, dialogs)
    window.shift.report.numpad.type_text("0")
    screen.click(window.shift.report.close_day)
    screen.click(window.shift.report.confirm_close)
    seen += shoot(window, dialogs)
    seen.append("\n".join(window.shift.report.rows))

    assert ticket_id not in "\n".join(seen)
    assert len(seen) > 300
    found = ids_in(seen, words)
    assert found == [], "\n".join(sorted({f"{word!r} in {text!r}" for word, text in found}))


def test_manager_mode_and_the_wallet_show_no_internal_id(strict_screen: Screen) -> None:
    """Every manager tab (with a coupon conflict and a pack conflict open) and a member's
    wallet with a pack for sale: names only; rule codes and ids stay behind Details."""
    screen = strict_screen
    runtime, window, c = screen.app.runtime, screen.window, screen.ticket
    book = c.book
    assert book is not None
    stock_till(runtime, granted={TEA_PACK_ID: 3})
    screen.do(c.reload_configuration)
    till = runtime.new_till()
    for command in (AddItem(None, "BURGER"), Redeem("TP-3"), PayCash("9.00"), Close()):
        till.handle(command)
    till = runtime.new_till()
    for step in (SellPack(TEA_PACK_ID, member_id="M-1002"), PayCash("10.00"), Close()):
        till.handle(step)
    (device,) = {event["payload"]["device_id"] for event in runtime.sync_store.pending_events(1)}
    for pending in runtime.sync_store.pending_events(10):
        key = str(pending["idempotency_key"])
        if pending["type"] == EventType.PACK_SOLD:
            runtime.sync_store.record_outcome(key, "conflict", "PACK_LIMIT_EXCEEDED")
        elif pending["payload"].get("coupons"):
            said = "Delivery platform 3.00 was already redeemed at another store on 2026-11-21"
            runtime.sync_store.record_outcome(key, "conflict", f"COUPON_ALREADY_REDEEMED: {said}")
        else:
            runtime.sync_store.record_outcome(key, "accepted", None)
    words = {*book.items, *book.promotions, *book.coupons, "M-1001", "M-1002", "DEMO-1"}
    words.add(device)  # (the tea pack's id is a bare number, like a sequence number)
    words -= {item.name for item in book.items.values()}

    seen: list[str] = []
    screen.do(lambda: runtime.access.set_pin("Grace", "2468", by=None))
    screen.do(screen.manager.list_managers)
    screen.do(lambda: screen.manager.verify_pin("Grace", "2468"))
    mode = window.manager.manager_mode
    panels = (
        mode.execution_order,
        mode.conflicts,
        mode.permissions,
        mode.printer,
        mode.managers,
        mode.tools,
    )
    for panel in panels:
        mode.show_tab(panel)
        seen += texts_of(mode)
    assert len(mode.conflicts.conflicts) == 2
    mode.accept()

    screen.tap_product("BURGER")
    screen.click(window.counter.coupon_entry.member)
    lookup = window.members.member_lookup
    for digit in "C0100001":
        screen.qtbot.mouseClick(lookup.numpad.keys[digit], Qt.MouseButton.LeftButton)
    screen.click(lookup.find_button)
    seen += texts_of(lookup)
    screen.click(lookup.attach_buttons["M-1001"])
    seen += texts_of(window.members.wallet)
    assert any("Member voucher 4.00" in text for text in seen)

    assert len(seen) > 60
    found = ids_in(seen, words)
    assert found == [], "\n".join(sorted({f"{word!r} in {text!r}" for word, text in found}))
