"""The main window works from 1024×768 to 1920×1080: it fits, nothing is cut off, the
ticket shows at least 8 lines, manager mode never widens it, every dialog fits the
screen, and every control a finger hits (scrollbars, tabs, list rows included) is at
least 48 px each way; the mouse wheel never changes a value."""

from __future__ import annotations

from collections.abc import Iterator
from decimal import Decimal
from pathlib import Path

import pytest
from PySide6.QtCore import QPoint, QPointF, QRect, Qt
from PySide6.QtGui import QWheelEvent
from PySide6.QtWidgets import (
    QAbstractButton,
    QApplication,
    QDialog,
    QLabel,
    QLineEdit,
    QToolButton,
    QWidget,
)
from pytestqt.qtbot import QtBot

from pos_app.till.commands import PayCash
from pos_app.ui.main_window import MainWindow
from pos_app.ui.style import TOUCH
from tests.helpers.device_clock import FakeClock
from tests.ui.conftest import Screen, open_screen

SIZES = [(1024, 768), (1280, 800), (1920, 1080)]


@pytest.fixture(params=SIZES, ids=[f"{w}x{h}" for w, h in SIZES])
def sized(
    request: pytest.FixtureRequest, qtbot: QtBot, data_dir: Path, clock: FakeClock
) -> Iterator[Screen]:
    screen = open_screen(qtbot, data_dir, clock, request.param)  # Grace (2468) granted
    # Something on every part of the screen: lines, a coupon chip, a selection.
    for sku in ("BURGER", "FRIES", "COLA", "CAKE", "LATTE"):
        screen.tap_product(sku)
    screen.scan("TP-3")
    yield screen
    screen.settle()
    screen.app.close()


def visible_controls(root: QWidget) -> list[QWidget]:
    return [
        w
        for w in root.findChildren(QWidget)
        if isinstance(w, QAbstractButton | QLineEdit) and w.isVisible()
    ]


def test_the_window_takes_the_screen_size(sized: Screen) -> None:
    """The window's minimum fits 1024×768, so it takes exactly the size it is given."""
    window = sized.window
    hint = window.minimumSizeHint()
    assert hint.width() <= 1024 and hint.height() <= 768
    assert window.size().toTuple() in SIZES


def test_every_touch_target_is_at_least_48_px(sized: Screen) -> None:
    """Product, category, numpad, line, coupon, shift, pay and status-bar buttons are
    all ≥ 48 × 48; the code field ≥ 44 high (its frame adds the rest)."""
    controls = visible_controls(sized.window)
    assert len(controls) >= 35
    small = [
        (type(w).__name__, getattr(w, "text", lambda: "")(), w.width(), w.height())
        for w in controls
        if w.width() < TOUCH or w.height() < TOUCH - 4  # a line edit's frame: 44 + border
    ]
    assert small == []


def test_nothing_is_cut_off(sized: Screen) -> None:
    """Every visible control lies wholly inside the window, the product buttons wholly
    inside their scroll area's viewport."""
    window = sized.window
    frame = QRect(QPoint(0, 0), window.size())
    for widget in visible_controls(window):
        top_left = widget.mapTo(window, QPoint(0, 0))
        rect = QRect(top_left, widget.size())
        assert frame.contains(rect), (widget, rect)
    products = window.ring_up.products
    viewport = products._scroll.viewport()
    for button in products.product_buttons():
        if button.isVisible():
            left = button.mapTo(viewport, QPoint(0, 0)).x()
            assert left >= 0 and left + button.width() <= viewport.width(), button.text()


def every_dialog(window: MainWindow) -> list[QDialog]:
    return [
        window.sale.checkout,
        window.members.member_lookup,
        window.manager.manager_mode,
        window.sale.receipt_preview,
        window.ring_up.discount,
        window.ring_up.why,
        window.ring_up.promotions,
        window.shift.held_tickets,
        window.shift.return_dialog,
        window.shift.report,
        window.shift.void_dialog,
        window.ring_up.item_search,
    ]


def test_every_dialog_fits_the_screen(sized: Screen) -> None:
    """Every dialog, opened at this screen size, lies within the screen (the window)."""
    window = sized.window
    screen_size = window.size()
    for dialog in every_dialog(window):
        hint = dialog.minimumSizeHint().expandedTo(dialog.minimumSize())
        assert hint.width() <= 1024 and hint.height() <= 768, type(dialog).__name__
        dialog.open()
        sized.settle()
        assert dialog.width() <= screen_size.width(), type(dialog).__name__
        assert dialog.height() <= screen_size.height(), type(dialog).__name__
        dialog.reject()


def test_the_ticket_shows_at_least_eight_lines_and_keeps_the_newest_in_view(
    sized: Screen,
) -> None:
    """With a coupon chip on screen, at least 8 whole ticket rows show; ringing up a
    twelfth line scrolls it into view."""
    view = sized.window.ticket.ticket_view
    assert sized.window.ticket.coupon_strip.isVisible()
    assert view.visible_rows() >= 8, view.viewport().height()
    for sku in ("TEA", "SOUP", "WRAP", "ONIONRINGS", "ICECREAM", "WINE", "ESPRESSO"):
        sized.tap_product(sku)
    newest = sized.line_ids()[-1]
    rect = view.row_rect(newest)
    assert view.viewport().rect().contains(rect), (rect, view.viewport().rect())


def test_the_totals_are_whole_once_a_payment_is_recorded(sized: Screen) -> None:
    """A part payment brings Paid and Due: every figure of the totals shows whole (it
    used to read "Subtotal 31.4…" at 1024×768) and the ticket still shows 8 rows."""
    change = sized.ticket.change
    assert change is not None
    fmt = change.priced.currency.format
    sized.do(lambda: sized.ticket.do(PayCash("5.00")))
    totals = sized.window.ticket.totals
    shown = [label.text() for label in totals.findChildren(QLabel) if label.isVisible()]
    assert f"Total {fmt(change.total_due)}" in shown and "Paid 5.00" in shown
    assert f"Due USD {fmt(change.total_due - Decimal('5.00'))}" in shown
    cut = [
        (label.text(), label.width(), label.sizeHint().width())
        for label in totals.findChildren(QLabel)
        if label.isVisible() and label.width() < label.sizeHint().width()
    ]
    assert cut == []
    assert sized.window.ticket.ticket_view.visible_rows() >= 8


def test_manager_mode_leaves_the_main_windows_width_alone(sized: Screen) -> None:
    """Signing a manager in (banner, Tools and Exit in the status bar) and out again
    never changes the window's width, nor its minimum."""
    window = sized.window
    width, minimum = window.width(), window.minimumSizeHint().width()
    access = sized.app.runtime.access
    sized.do(lambda: sized.manager.verify_pin("Grace", "2468"))
    assert sized.manager.signed_in == "Grace"
    assert window.width() == width and window.minimumSizeHint().width() <= 1024
    window.manager.manager_mode.accept()
    sized.do(sized.manager.exit_manager_mode)
    assert window.width() == width and window.minimumSizeHint().width() == minimum
    assert access.manager_names() == ("Grace",)


def test_scrollbars_tab_arrows_and_list_rows_are_touch_sized(sized: Screen) -> None:
    """The ticket's scrollbar, the manager tabs' scroll arrows and dropdown rows are
    at least 48 px wide or high."""
    window = sized.window
    assert window.ticket.ticket_view.verticalScrollBar().sizeHint().width() >= TOUCH
    mode = window.manager.manager_mode
    mode.open()
    sized.settle()
    arrows = [b for b in mode.tabs.tabBar().findChildren(QToolButton)]
    assert all(b.minimumSizeHint().width() >= TOUCH or b.width() >= TOUCH for b in arrows)
    assert all(mode.tabs.tabBar().tabRect(i).height() >= TOUCH for i in range(mode.tabs.count()))
    combo = mode.printer.kind
    view = combo.view()
    assert view.sizeHintForRow(0) >= TOUCH
    mode.reject()


def test_the_wheel_never_changes_a_dropdowns_value(sized: Screen) -> None:
    """A wheel turn over the printer form's dropdown leaves its value as it was."""
    mode = sized.window.manager.manager_mode
    mode.open()
    mode.show_tab(mode.printer)
    sized.settle()
    combo = mode.printer.kind
    before = combo.currentIndex()
    centre = QPointF(combo.rect().center())
    global_centre = QPointF(combo.mapToGlobal(combo.rect().center()))
    event = QWheelEvent(
        centre,
        global_centre,
        QPoint(0, 0),
        QPoint(0, -120),
        Qt.MouseButton.NoButton,
        Qt.KeyboardModifier.NoModifier,
        Qt.ScrollPhase.NoScrollPhase,
        False,
    )
    QApplication.sendEvent(combo, event)
    assert combo.currentIndex() == before
    mode.reject()
