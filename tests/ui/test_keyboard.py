"""The on-screen keyboard (pos_app/ui/keyboard.py) keeps opening whatever window the
last field it typed into belonged to, and however that window went away."""

from __future__ import annotations

from PySide6.QtCore import Qt
from PySide6.QtWidgets import QLineEdit

from pos_app.ui.keyboard import KeyboardDialog
from tests.ui.conftest import Screen

PIN = "2468"


def tap_for_keyboard(screen: Screen, field: QLineEdit) -> KeyboardDialog:
    """Tap ``field`` and wait for the keyboard it opens."""
    touch = screen.window.touch
    assert touch is not None
    opened: list[KeyboardDialog] = []
    touch.keyboard_opened.connect(opened.append)
    try:
        screen.qtbot.mouseClick(field, Qt.MouseButton.LeftButton)
        screen.qtbot.waitUntil(lambda: bool(opened) and opened[0].isVisible())
    finally:
        touch.keyboard_opened.disconnect(opened.append)
    return opened[0]


def test_the_keyboard_opens_after_the_first_manager_is_set_up(strict_screen: Screen) -> None:
    """The first manager's name typed by touch in the PIN dialog, which is deleted once
    the manager is set up: a tap on the coupon field still opens the keyboard, and its
    Done redeems the code (it used to raise "KeyboardDialog already deleted")."""
    screen = strict_screen
    window = screen.window
    screen.click(window.status.manager_button)
    dialog = window.manager.pin_dialog
    assert dialog is not None and dialog.setup
    keyboard = tap_for_keyboard(screen, dialog.new_name)
    keyboard.keyboard.type_text("Grace")
    screen.click(keyboard.done_button)
    assert dialog.new_name.text() == "Grace"
    for _ in range(2):
        dialog.pin.type_pin(PIN)
        screen.click(dialog.pin.ok)
    assert screen.manager.signed_in == "Grace"
    window.manager.manager_mode.reject()
    screen.settle()
    screen.qtbot.waitUntil(lambda: window.manager.pin_dialog is None)
    screen.qtbot.wait(50)  # the PIN dialog's deleteLater runs, and the keyboard with it

    screen.tap_product("BURGER")
    keyboard = tap_for_keyboard(screen, window.counter.coupon_entry.field)
    keyboard.keyboard.type_text("TP-3")
    screen.click(keyboard.done_button)
    change = screen.ticket.change
    assert change is not None and "TP-3" in change.priced.coupons


def test_a_closed_keyboard_is_let_go(screen: Screen) -> None:
    """Each tap opens a fresh keyboard; the one closed before is deleted and forgotten."""
    field = screen.window.counter.coupon_entry.field
    first = tap_for_keyboard(screen, field)
    screen.click(first.keyboard.keys["1"])
    first.reject()
    touch = screen.window.touch
    assert touch is not None
    screen.qtbot.waitUntil(lambda: touch.last is None)
    second = tap_for_keyboard(screen, field)
    assert touch.last is second and second.edit.text() == ""
    second.reject()
